// The scheduler's cross-CPU operations (smp.cpp), for thread.cpp.
//
// A thread runs only on the CPU its affinity names, and only that CPU
// touches its run queue. Another CPU that makes the thread ready pushes it
// onto that CPU's inbox (a lock-free MPSC queue) and interrupts it; one
// that must take a queued or running thread away (suspend, delete,
// priority or affinity change) asks that CPU to do it and waits.
#pragma once

#include "thread.hpp"

namespace kernel {

// t (Ready, affinity elsewhere) goes to its CPU's inbox; that CPU is
// interrupted. Nothing happens if t is already on its way.
void wake_remote(Thread& t);
// Moves the threads in this CPU's inbox to its run queue (those still
// Ready and still meant for it).
void drain_inbox();
// Takes t off this CPU: out of the run queue, no longer current, and with
// fpu its FP/SIMD registers saved to its TCB if they are live here.
void release_local(Thread& t, bool fpu);
// The same on t's CPU, which is asked and waited for (by a CPU holding
// the kernel lock).
void release_remote(Thread& t);
// Lets the secondary CPUs, waiting in secondary_main(), schedule (boot).
void release_secondaries();

}  // namespace kernel
