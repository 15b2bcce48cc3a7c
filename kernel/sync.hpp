// Kernel synchronisation for SMP: the lock-word protocol (an uncontended
// compare-and-swap fast path, per-class contention counters), locks inside
// kernel objects, a lock order checked at run time in -Dlock_order_check
// builds, and an intrusive lock-free
// multi-producer / single-consumer queue (remote wake-ups: any CPU pushes,
// the owning CPU pops). Portable (GCC __atomic builtins); host-tested with
// real threads under ThreadSanitizer.
#pragma once

#include "config.hpp"
#include "types.hpp"

#include <arch/defs.hpp>

namespace kernel {

// ---- lock classes -----------------------------------------------------------
// Every lock belongs to a class with a rank; a CPU takes locks in strictly
// increasing rank, so no two CPUs can wait for each other. Each class counts
// acquisitions and the acquisitions that found the lock taken.
struct Lock_class {
    const char* name;
    u32 rank;
    u64 acquired = 0;
    u64 contended = 0;
};

// The kernel's lock classes in debug_lock_stats' numbering (smp.cpp).
extern Lock_class* const lock_classes[];
extern const u32 lock_class_count;

// Where a lock-order violation is reported (debug builds; the kernel
// panics, the host tests record it).
using Lock_order_hook = void (*)(const Lock_class& held, const Lock_class& wanted);
void set_lock_order_hook(Lock_order_hook hook);

// The classes a CPU holds, innermost last (checked in debug builds only).
struct Held_locks {
    static constexpr unsigned max = 8;
    const Lock_class* held[max] = {};
    unsigned count = 0;
};
Held_locks& held_locks();  // this CPU's (host: this thread's)

#ifdef BATON_DEBUG_LOCK_ORDER
constexpr bool check_lock_order = true;
#else
constexpr bool check_lock_order = false;
#endif

// The lock word and its protocol, shared by every kind of lock below.
// Taking it: one compare-and-swap when nobody holds it; otherwise count a
// contended acquisition, and spin (reading, calling while_waiting() each
// turn: a CPU that waits for a lock still answers what other CPUs ask of
// it) until a compare-and-swap succeeds.
namespace lock_word {

inline bool try_take(u32& word) {
    u32 expected = 0;
    return __atomic_compare_exchange_n(&word, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

template <class Waiting>
void take(u32& word, Lock_class& c, Waiting&& while_waiting) {
    if (!try_take(word)) {
        __atomic_fetch_add(&c.contended, 1, __ATOMIC_RELAXED);
        do {
            while (__atomic_load_n(&word, __ATOMIC_RELAXED)) {
                while_waiting();
                arch::cpu_relax();
            }
        } while (!try_take(word));
    }
    __atomic_fetch_add(&c.acquired, 1, __ATOMIC_RELAXED);
}

inline void give(u32& word) { __atomic_store_n(&word, 0, __ATOMIC_RELEASE); }

}  // namespace lock_word

// Debug builds: the lock order this CPU follows (sync.cpp).
void lock_order_acquire(const Lock_class& c);
void lock_order_release();

// A lock inside a kernel object (an endpoint, a notification, a Reply):
// the word alone, so that it fits the object; the class comes with each
// use. Zero (what Retype leaves) is unlocked.
class Object_lock {
public:
    void lock(Lock_class& c) {
        if constexpr (!config::smp) return;
        if constexpr (check_lock_order) lock_order_acquire(c);
        lock_word::take(word_, c, [] {});
    }
    void unlock() {
        if constexpr (!config::smp) return;
        lock_word::give(word_);
        if constexpr (check_lock_order) lock_order_release();
    }
private:
    u32 word_ = 0;
};

// Holds an object's lock for a scope.
class Object_guard {
public:
    Object_guard(Object_lock& l, Lock_class& c) : lock_(l) { lock_.lock(c); }
    ~Object_guard() { lock_.unlock(); }
    Object_guard(const Object_guard&) = delete;
    Object_guard& operator=(const Object_guard&) = delete;

private:
    Object_lock& lock_;
};

// ---- the lock-free queue ----------------------------------------------------
// An intrusive multi-producer, single-consumer queue [D. Vyukov's MPSC
// node-based queue]: push is one atomic exchange and one store, from any
// CPU, without locks; pop runs on the owning CPU only. Nodes are embedded
// in the queued objects (a TCB's wake-up link).
struct Mpsc_node {
    Mpsc_node* next = nullptr;
};

class Mpsc_queue {
public:
    Mpsc_queue() { init(); }
    // Empties the queue. Kernel globals holding one (the per-CPU data) are
    // initialised by boot code calling this, not by their constructors:
    // GCC 12 zero-fills an array of them in .bss, even when declared
    // constinit, and leaves the constructor to a pass that never comes.
    void init() {
        stub_.next = nullptr;
        head_ = &stub_;
        tail_ = &stub_;
    }
    Mpsc_queue(const Mpsc_queue&) = delete;
    Mpsc_queue& operator=(const Mpsc_queue&) = delete;

    // Any CPU.
    void push(Mpsc_node* n) {
        __atomic_store_n(&n->next, nullptr, __ATOMIC_RELAXED);
        Mpsc_node* prev = __atomic_exchange_n(&head_, n, __ATOMIC_ACQ_REL);
        __atomic_store_n(&prev->next, n, __ATOMIC_RELEASE);
    }

    // The owning CPU only. Null when empty, or when a push is halfway
    // (between its exchange and its store): the caller simply tries later,
    // and the pusher follows up (an IPI) once it is done.
    Mpsc_node* pop() {
        Mpsc_node* tail = tail_;
        Mpsc_node* next = __atomic_load_n(&tail->next, __ATOMIC_ACQUIRE);
        if (tail == &stub_) {
            if (!next) return nullptr;
            tail_ = next;
            tail = next;
            next = __atomic_load_n(&next->next, __ATOMIC_ACQUIRE);
        }
        if (next) {
            tail_ = next;
            return tail;
        }
        if (tail != __atomic_load_n(&head_, __ATOMIC_ACQUIRE)) return nullptr;  // a push is halfway
        push(&stub_);
        next = __atomic_load_n(&tail->next, __ATOMIC_ACQUIRE);
        if (next) {
            tail_ = next;
            return tail;
        }
        return nullptr;
    }

    bool empty() const {
        return tail_ == &stub_ && __atomic_load_n(&stub_.next, __ATOMIC_ACQUIRE) == nullptr;
    }

private:
    Mpsc_node* head_;  // last pushed (producers)
    Mpsc_node* tail_;  // next to pop (consumer)
    Mpsc_node stub_;
};

}  // namespace kernel
