// Lazy FP/SIMD switching: the trap, and threads that go away (fpu.hpp).
#include "fpu.hpp"

#include "kernel.hpp"
#include "log.hpp"

namespace kernel {

void handle_fpu_trap() {
    Per_cpu* cpu = arch::cpu_local();
    Thread* t = cpu->current;
    if (!t) panic("FP/SIMD trap with no thread running");
    ++cpu->fpu_traps;
    arch::fpu_arm(false);
    cpu->fpu_enabled = true;
    if (cpu->fpu_owner == t) return;  // the owner runs untrapped; nothing to move
    if (cpu->fpu_owner) arch::fpu_save(cpu->fpu_owner->fpu);
    arch::fpu_load(t->fpu);
    cpu->fpu_owner = t;
}

void fpu_release(const Thread& t) {
    for (Per_cpu& cpu : cpus)
        if (cpu.fpu_owner == &t) cpu.fpu_owner = nullptr;
}

void fpu_thread_exited(Thread& t) {
    fpu_release(t);
    t.fpu = arch::Fpu_state{};
}

}  // namespace kernel
