// Threads (TCB objects) and the per-CPU scheduler: 256 priorities, one
// FIFO per priority and a bitmap to find the highest ready one in O(1);
// round-robin with a time slice within a priority.
#pragma once

#include <baton/ipc.h>

#include "arch.hpp"
#include "cspace.hpp"
#include "object.hpp"
#include "sync.hpp"
#include "types.hpp"

namespace kernel {

enum class Thread_state : u32 {
    Inactive,              // never resumed, or suspended
    Ready,                 // runnable: queued, or running
    Blocked_send,          // in Send/Call, on an endpoint's queue
    Blocked_recv,          // in Recv, on an endpoint's queue
    Blocked_reply,         // in Call, waiting for the reply
    Blocked_notification,  // in Wait, on a notification's queue
    Faulted,               // stopped by a fault nobody handles
    Exited,                // called thread_exit
};
const char* describe(Thread_state s);

// The capability slots every TCB holds.
enum Tcb_slot : unsigned { tcb_cspace = 0, tcb_vspace = 1, tcb_ipc_buffer = 2, tcb_fault_handler = 3, tcb_slot_count };

constexpr unsigned max_priority = 255;

struct Thread {
    arch::User_context ctx;  // saved user registers
    Thread_state state = Thread_state::Inactive;
    u8 priority = 0;         // scheduling priority
    u8 mcp = 0;              // maximum controlled priority: the highest it may give
    u16 affinity = 0;        // the CPU it runs on
    u32 slice_left = 0;      // ticks before round-robin preemption
    u32 reserved0 = 0;
    u64 vspace_root = 0;     // physical address of the page-table root (0: none)
    u64 asid = 0;            // the address space's hardware tag
    u64 ipc_buffer_va = 0;   // user address of the IPC buffer (0: none)
    Thread* q_prev = nullptr;  // run-queue or wait-queue links
    Thread* q_next = nullptr;
    void* blocked_on = nullptr;  // the endpoint/notification/reply it waits on
    Notification* bound_notification = nullptr;
    // IPC in progress (endpoint.cpp): a blocked sender's capability badge
    // and rights and whether it Calls; the Reply object a blocked receiver
    // offered; the Reply object a server holds its caller in.
    u64 ipc_badge = 0;
    u8 ipc_rights = 0;
    bool ipc_call = false;
    bool fault_pending = false;  // sending a fault message, not its registers
    Reply* ipc_reply_wanted = nullptr;
    Reply* ipc_reply = nullptr;
    u64 fault_label = 0;
    u64 fault_words[4] = {};
    u64 exit_status = 0;
    char name[16] = {};
    Slot slots[tcb_slot_count];
    // The scheduler's bookkeeping (thread.cpp, smp.cpp): queued on its
    // CPU's run queue; on its way there through the CPU's inbox (the link,
    // and 1 while pushed and not yet drained).
    bool on_rq = false;
    // The priority SetPriority gave; `priority` is the one it runs at: at
    // least this, and at least that of the caller it serves (endpoint.cpp).
    u8 base_priority = 0;
    u32 in_inbox = 0;
    Mpsc_node wake_link;
    // FP/SIMD registers while another thread's are live (fpu.hpp); the
    // initial state until the thread first uses them.
    arch::Fpu_state fpu;

    Slot& slot(Tcb_slot s) { return slots[s]; }
};
static_assert(sizeof(Thread) <= 2048, "a TCB object is 2^11 bytes");

// CPUs the platform describes (TCB SetAffinity's bound).
extern u32 cpu_count;

constexpr u32 time_slice_ticks = 5;
constexpr u32 timer_hz = 100;

// Makes t runnable (Ready, queued on its CPU).
void thread_make_ready(Thread& t);
// Takes t off every queue and stops it in state `why` (the current thread
// included: the CPU then picks another).
void thread_stop(Thread& t, Thread_state why);
// Convenience for the running thread.
void thread_stop_current(Thread_state why);
// Changes t's priority, requeueing it if it is ready.
void thread_set_priority(Thread& t, u8 prio);
// IPC priority inheritance: a server runs at least at the priority of the
// caller whose Call it holds (transitively: a boosted server's own Calls
// boost their servers), back to its own when it replies. thread_inherit
// raises t to prio if that is higher; thread_settle_priority gives t the
// highest of its base priority and its held caller's.
void thread_inherit(Thread& t, u8 prio);
void thread_settle_priority(Thread& t);
// Makes t ready and, when nothing more urgent is ready, runs it at once
// instead of the current thread (IPC's direct hand-over).
void thread_switch_to(Thread& t);
// Runs t on this CPU now, in place of the current thread (which the caller
// has already blocked or queued): the switch without a scheduler decision.
void thread_run_now(Thread& t);
// Takes t off whatever CPU it is queued or running on (another CPU is
// asked and waited for); with `fpu`, its FP/SIMD state is also saved to its
// TCB wherever it is live, so that it may move to another CPU.
void thread_release(Thread& t, bool fpu);
// If t runs on another CPU, its registers are brought back to its TCB
// (it stops there and is queued there again), so that they can be read
// or written.
void thread_fetch_context(Thread& t);
// Moves t to `cpu` (an online CPU): SetAffinity.
void thread_set_affinity(Thread& t, u32 cpu);
// Whether a ready thread waits with a priority above / at least `prio`.
bool ready_above(u8 prio);
bool ready_at_or_above(u8 prio);
// Round-robin: the current thread goes behind the others of its priority.
void thread_yield();
// Picks what runs next on this CPU (the current thread keeps the CPU
// unless a higher-priority thread is ready); idles, never returning, when
// nothing can run.
void schedule();
// Threads that are Ready on any CPU, the running ones included.
u32 live_threads();
// The thread currently running on this CPU (null when idle).
Thread* current_thread();
// The kernel's view of a thread's IPC buffer (null if it has none).
baton_ipc_buffer* ipc_buffer_of(Thread& t);

}  // namespace kernel
