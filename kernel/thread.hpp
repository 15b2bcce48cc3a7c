// Threads and the per-CPU scheduler.
//
// For now a CPU runs the threads on its queue round-robin with a fixed time
// slice; the priority scheduler and IPC-driven switching build on this.
#pragma once

#include "arch.hpp"
#include "types.hpp"

namespace kernel {

enum class Thread_state : u32 {
    Inactive,  // created, not started
    Ready,     // on a run queue or running
    Faulted,   // stopped by a fault nobody handles
    Exited,    // called thread_exit
};

struct Thread {
    arch::User_context ctx;  // saved user registers
    Thread_state state = Thread_state::Inactive;
    u64 vspace_root = 0;     // physical address of the page-table root
    u64 exit_status = 0;
    u32 slice_left = 0;      // ticks before preemption
    Thread* next = nullptr;  // run-queue link
    char name[16] = {};
};

constexpr u32 time_slice_ticks = 5;
constexpr u32 timer_hz = 100;

// Makes t runnable on this CPU.
void thread_start(Thread& t);
// Stops the current thread (exit or fault) and picks another.
void thread_stop_current(Thread_state why);
// Moves the current thread to the back of the queue if another is ready.
void thread_yield();
// Points the CPU at the next thread to run, or idles (never returning) if
// there is none.
void schedule();
// Number of threads that are Ready.
u32 live_threads();

}  // namespace kernel
