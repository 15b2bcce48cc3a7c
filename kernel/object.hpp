// Kernel objects made from untyped memory: their layouts, creation and
// finalisation (what happens when the last capability to one goes away).
#pragma once

#include "cap.hpp"
#include "cspace.hpp"
#include "sync.hpp"
#include "types.hpp"

namespace kernel {

struct Thread;

// A queue of threads linked through Thread::q_prev/q_next.
struct Thread_queue {
    Thread* head = nullptr;
    Thread* tail = nullptr;
    bool empty() const { return head == nullptr; }
    void push_back(Thread* t);
    void remove(Thread* t);
    Thread* pop_front();
};

enum class Endpoint_state : u64 { Idle, Sending, Receiving };

// Each object that IPC touches has its own lock (kernel/smp.cpp has the
// rules); the classes, in the order a CPU may nest them.
extern Lock_class endpoint_lock_class, reply_lock_class, notification_lock_class;

// The lock comes first in each: the entry paths' fastpaths address it
// with no offset.
struct Endpoint {
    Object_lock lock;
    Thread_queue queue;  // all senders or all receivers, by state
    Endpoint_state state = Endpoint_state::Idle;
};
static_assert(sizeof(Endpoint) <= 32);

enum class Notification_state : u64 { Idle, Waiting, Active };

struct Notification {
    Thread_queue queue;        // waiters while Waiting
    u64 word = 0;              // OR of the badges signalled while Active
    Notification_state state = Notification_state::Idle;
    Thread* bound = nullptr;   // the thread whose Recv also waits here
    Object_lock lock;
};
static_assert(sizeof(Notification) <= 64);

struct Reply {
    Object_lock lock;
    Thread* caller = nullptr;  // the thread blocked in Call, until the reply
    Thread* server = nullptr;  // the thread that received the Call into it
};
static_assert(sizeof(Reply) <= 32);

template <class T> T* object_ptr(const Cap& c);

// Slots that died with an object and still hold capabilities (a thread's
// own slots); the caller deletes them.
struct Finalise_extra {
    Slot* slots[4] = {};
    unsigned slot_count = 0;
};

// Takes a thread off whatever IPC queue it waits on (its operation is
// abandoned).
void thread_cancel_ipc(Thread& t);

// Makes a new object of type t in zeroed memory at pa.
void init_object(Cap_type t, u64 pa, unsigned size_bits);
// Tears down the object named by the last capability c to it.
void finalise_object(const Cap& c, Finalise_extra& extra);
// What deleting a capability that is not the last one undoes: the mapping
// a frame capability holds.
void capability_removed(const Cap& c);

}  // namespace kernel
