// Per-CPU kernel state. Each CPU reaches its own Per_cpu in O(1) through
// arch::cpu_local() (TPIDR_EL1 on arm64, the GS base on x86_64), from the
// first C++ instruction on, so adding CPUs does not reshape the kernel.
//
// The first fields are read by the arch entry code at fixed offsets; the
// static_asserts below pin them.
#pragma once

#include "object.hpp"
#include "sync.hpp"
#include "types.hpp"

#include <arch/context.hpp>

namespace kernel {

struct Thread;

// One CPU's ready threads (the running one is not queued): a FIFO per
// priority, and the highest ready priority two count-leading-zeros away:
// `summary` has bit w set when bitmap[w] has any bit set. Only its own
// CPU touches it; other CPUs hand wake-ups over (thread.cpp).
struct Run_queue {
    u64 summary = 0;
    u64 bitmap[4] = {};  // bit p % 64 of word p / 64: queues[p] is not empty
    u32 queued = 0;
    Thread_queue queues[256];

    void enqueue(Thread* t);
    void remove(Thread* t);
    Thread* highest() const;
};

struct Per_cpu {
    Per_cpu* self;               // 0: lets x86 load the pointer with one %gs: access
    u64 kernel_stack_top;        // 8: the stack the kernel runs on after entry
    u64 scratch;                 // 16: entry-path scratch (x86: user rsp at syscall)
    arch::User_context* user_ctx;  // 24: where the entry path saves user registers
    u32 cpu_id;                  // 32
    u32 reserved0;
    Thread* current;             // running thread (nullptr while idle)
    u64 ticks;                   // timer interrupts taken on this CPU
    u64 ticks_from_user;         // of which interrupted user mode
    // Lazy FP/SIMD switching (fpu.hpp): the thread whose state the FP/SIMD
    // registers hold (null: nobody's), whether user FP/SIMD instructions
    // run untrapped (false, as at boot: the trap is armed), traps taken.
    Thread* fpu_owner;
    bool fpu_enabled;
    u64 fpu_traps;
    u64 fastpath_hits;           // IPC system calls the fastpath completed here
    // The kernel's locks (smp.cpp): set while another CPU holds the kernel
    // exclusively; set while this CPU is inside it (as a reader); which of
    // the locks this CPU holds. Near the start: the entry paths reach them
    // with immediate offsets.
    u32 stop;
    u32 in_kernel;
    u32 lock_held;
    u32 reserved1;
    Run_queue rq;                // this CPU's ready threads
    // Cross-CPU traffic (smp.cpp): threads other CPUs made ready for this
    // one (pushed lock-free, drained here), how many are on their way, a
    // thread another CPU wants off this one (null: none; cleared when
    // done), and how the kernel was last entered (Entry).
    Mpsc_queue inbox;
    u32 inbox_count;
    u32 entry;
    Thread* release_request;
    // A function another CPU asks this one to run (smp_call_others), and
    // whether this CPU schedules yet (it answers such calls from then on).
    void (*call_fn)(u64, u64);
    u64 call_args[2];
    u32 call_pending;
    bool scheduling;
    // Whether the system call this CPU runs must be dispatched again with
    // the kernel held exclusively (smp.cpp).
    bool retry_exclusive;
    Held_locks held_locks;       // lock classes held, innermost last (sync.hpp; debug builds)
    arch::Cpu_arch arch;         // arch-private per-CPU state (TSS, GDT, ...)
};

static_assert(__builtin_offsetof(Per_cpu, self) == 0);
static_assert(__builtin_offsetof(Per_cpu, kernel_stack_top) == 8);
static_assert(__builtin_offsetof(Per_cpu, scratch) == 16);
static_assert(__builtin_offsetof(Per_cpu, user_ctx) == 24);
static_assert(__builtin_offsetof(Per_cpu, cpu_id) == 32);

constexpr u32 max_cpus = 8;
extern Per_cpu cpus[max_cpus];

}  // namespace kernel
