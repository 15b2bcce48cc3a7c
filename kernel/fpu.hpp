// Lazy FP/SIMD switching. Each thread's FP/SIMD state lives in its TCB
// (Thread::fpu) while someone else's is in the registers. Per CPU, the
// owner (Per_cpu::fpu_owner) is the thread whose state the registers hold.
// Changing threads saves and loads nothing: it only arms the trap on user
// FP/SIMD instructions when the incoming thread is not the owner, and
// disarms it when it is. The first FP/SIMD instruction of a non-owner
// traps (kernel::handle_fpu_trap): the owner's state goes to its TCB, the
// running thread's comes from its own, and it becomes the owner. A thread
// that never touches FP/SIMD never pays for it; two threads that take
// turns with it pay one trap per change of owner.
#pragma once

#include "arch.hpp"
#include "percpu.hpp"
#include "thread.hpp"

namespace kernel {

// Called when `cpu` starts running `next` (the scheduler's switch_to, and
// any fast path that changes threads): the trap is armed exactly when
// `next` does not own the live state. Writes the hardware only when that
// changes.
inline void fpu_switch(Per_cpu& cpu, const Thread* next) {
    bool enable = cpu.fpu_owner == next;
    if (enable != cpu.fpu_enabled) {
        arch::fpu_arm(!enable);
        cpu.fpu_enabled = enable;
    }
}

// t is being deleted: wherever its state is live, it is dropped unsaved,
// so nothing is ever saved into a TCB that no longer exists (or into the
// new object made in its memory).
void fpu_release(const Thread& t);

// t has ended (thread_exit): its state is dropped and, should it be
// restarted, it starts from the initial FP/SIMD state.
void fpu_thread_exited(Thread& t);

}  // namespace kernel
