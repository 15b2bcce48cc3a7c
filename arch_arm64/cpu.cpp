// arm64 CPU services for the core: per-CPU pointer, idling, entering user mode.
#include "arch.hpp"
#include "cpu.hpp"
#include "kernel.hpp"
#include "percpu.hpp"

static_assert(sizeof(arch::User_context) % 16 == 0);

// TPIDR_EL1 holds &kernel::cpus[this CPU] from the first C++ instruction on
// (boot.cpp); EL0 cannot read it.
kernel::Per_cpu* arch::cpu_local() { return reinterpret_cast<kernel::Per_cpu*>(read_sysreg(tpidr_el1)); }

// WFI wakes on a pending interrupt even while PSTATE.I masks it [ARM ARM
// D1.16.2 (Wait for Interrupt)]; unmasking briefly then takes it, so none
// can slip in between checking and sleeping.
void arch::wait_for_interrupt() {
    volatile u64& handled = cpu_local()->arch.irqs_handled;
    u64 seen = handled;
    while (handled == seen) asm volatile("dsb sy; wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
}

void arch::enter_user(User_context* ctx) {
    kernel::kernel_exit();
    arm64_enter_user(ctx);
}
