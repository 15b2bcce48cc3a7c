// ARM generic timer: the EL1 physical timer (CNTP_*) as a periodic tick,
// re-armed from each interrupt by advancing the compare value
// [ARM ARM D11.2 (The Generic Timer in AArch64 state), D11.2.4].
#include "arch.hpp"
#include "cpu.hpp"
#include "log.hpp"
#include "percpu.hpp"

namespace arm64 {
namespace {

constexpr u64 ctl_enable = 1;       // CNTP_CTL_EL0.ENABLE; IMASK (bit 1) clear
u32 intid = 30;                     // the timer's PPI as a GIC INTID

u64 counter() {
    isb();  // the read must not be hoisted above earlier instructions
    return read_sysreg(cntpct_el0);
}

}  // namespace

void timer_init(const kernel::Fdt_devices& dev) {
    intid = dev.timer_phys_intid;
    write_sysreg(cntp_ctl_el0, 0);
    // EL0 may read the physical and virtual counters (CNTKCTL_EL1.EL0PCTEN,
    // EL0VCTEN), not the timers.
    write_sysreg(cntkctl_el1, 0x3);
    isb();
}

u32 timer_intid() { return intid; }

// Next deadline one interval after the previous one, so the tick does not
// drift; if the kernel fell behind by more than an interval, skip ahead.
void timer_rearm() {
    arch::Cpu_arch& a = arch::cpu_local()->arch;
    a.timer_deadline += a.timer_interval;
    u64 now = counter();
    if (a.timer_deadline <= now) a.timer_deadline = now + a.timer_interval;
    write_sysreg(cntp_cval_el0, a.timer_deadline);
    isb();
}

}  // namespace arm64

void arch::timer_start(u32 hz) {
    u64 freq = read_sysreg(cntfrq_el0);
    if (hz == 0 || freq < hz) kernel::panic("arm64: timer: cannot tick at %u Hz with a %llu Hz counter", hz, (unsigned long long)freq);
    Cpu_arch& a = cpu_local()->arch;
    a.timer_interval = freq / hz;
    a.timer_deadline = arm64::counter() + a.timer_interval;
    write_sysreg(cntp_cval_el0, a.timer_deadline);
    write_sysreg(cntp_ctl_el0, arm64::ctl_enable);
    isb();
    arm64::gic_enable(arm64::intid);
}
