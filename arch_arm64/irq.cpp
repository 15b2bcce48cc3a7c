// Device interrupts for the core (arch.hpp): GIC INTIDs, switched one at
// a time at the distributor (SPIs) or the CPU's banked registers (PPIs).
// The kernel keeps the SGIs (0-15, for IPIs), its timer's PPI and its
// console UART's interrupt [GIC arch spec IHI 0069, 2.2 INTIDs].
#include "arch.hpp"
#include "cpu.hpp"
#include "percpu.hpp"

namespace arm64 {
namespace {
constexpr u32 sgi_count = 16;
constexpr u32 none = ~0u;
u32 uart_intid = none;
}  // namespace

void irq_init(const kernel::Fdt_devices& dev) { uart_intid = dev.uart_intid ? dev.uart_intid : none; }

}  // namespace arm64

u32 arch::irq_count() { return arm64::gic_lines(); }

bool arch::irq_reserved(u32 irq) {
    return irq < arm64::sgi_count || irq == arm64::timer_intid() || irq == arm64::uart_intid;
}

void arch::irq_enable(u32 irq) { arm64::gic_enable(irq); }
void arch::irq_disable(u32 irq) { arm64::gic_disable(irq); }
// The core never hands SGIs out, so the INTID is the whole acknowledge
// value (GICv2 keeps an SGI's source CPU beside it).
void arch::irq_end(u32 irq) { arm64::gic_end(irq); }
void arch::irq_raise(u32 irq) { arm64::gic_set_pending(irq); }
void arch::send_ipi(u32 cpu) { arm64::gic_send_ipi(kernel::cpus[cpu]); }
