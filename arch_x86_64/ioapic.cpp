// I/O APICs: device interrupts as GSIs [82093AA I/O APIC datasheet 3.1,
// 3.2.4; ACPI 6.5 5.2.12.3 I/O APIC, 5.2.12.5 interrupt source override].
//
// Each I/O APIC serves the GSIs gsi_base .. gsi_base + pins - 1. GSI g is
// routed to vector vector_irq_base + g on the boot CPU (fixed delivery,
// physical destination), masked until a handler asks for it. ISA
// interrupts are edge-triggered and active high, PCI's (GSI 16 and up)
// level-triggered and active low, unless the MADT overrides them. The
// legacy 8259s stay masked (apic.cpp).
//
// debug_irq_raise sends the vector to this CPU. A raise while the GSI is
// masked is held back until it is unmasked, as the GIC holds a pending
// interrupt: an edge a masked I/O APIC pin would simply lose.
#include "acpi.hpp"
#include "arch.hpp"
#include "log.hpp"
#include "x86.hpp"

namespace x86_64 {
namespace {

constexpr u32 reg_select = 0, reg_window = 4;  // u32 indexes: 0x00, 0x10
constexpr u32 reg_version = 0x01, reg_redirection = 0x10;
constexpr u32 entry_masked = 1u << 16, entry_level = 1u << 15, entry_active_low = 1u << 13;

struct Ioapic {
    volatile u32* regs;
    u32 gsi_base, pins;
};

Ioapic ioapics[kernel::Madt_info::max_ioapics];
u32 ioapic_count = 0;
u32 gsi_limit = 0;            // GSIs below this may exist
constexpr u32 none = ~0u;
u32 kernel_gsis[2] = {none, none};  // the PIT's and the console UART's
bool masked[max_gsis];
bool held[max_gsis];          // raised while masked

u32 read(const Ioapic& a, u32 reg) {
    a.regs[reg_select] = reg;
    return a.regs[reg_window];
}

void write(const Ioapic& a, u32 reg, u32 v) {
    a.regs[reg_select] = reg;
    a.regs[reg_window] = v;
}

const Ioapic* owner(u32 gsi) {
    for (u32 i = 0; i < ioapic_count; ++i)
        if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].pins) return &ioapics[i];
    return nullptr;
}

u32 low_register(const Ioapic& a, u32 gsi) { return reg_redirection + 2 * (gsi - a.gsi_base); }

// Where ISA IRQ `irq` arrives.
u32 isa_gsi(const kernel::Madt_info& m, u32 irq) {
    for (u32 i = 0; i < m.override_count; ++i)
        if (m.overrides[i].source == irq) return m.overrides[i].gsi;
    return irq;
}

// The redirection entry's low word for gsi (masked): MPS INTI flags give
// polarity (bits 0-1: 1 high, 3 low) and trigger mode (bits 2-3: 1 edge,
// 3 level); 0 means as the bus does.
u32 entry_for(const kernel::Madt_info& m, u32 gsi) {
    bool isa = gsi < 16, level = !isa, low = !isa;
    for (u32 i = 0; i < m.override_count; ++i) {
        if (m.overrides[i].gsi != gsi) continue;
        u16 f = m.overrides[i].flags;
        level = (f & 0xc) == 0xc;   // the source is ISA: "as the bus" is edge
        low = (f & 0x3) == 0x3;     // and active high
    }
    return entry_masked | (level ? entry_level : 0) | (low ? entry_active_low : 0) | (vector_irq_base + gsi);
}

}  // namespace

void ioapic_init(const kernel::Madt_info* madt) {
    if (!madt) {
        kernel::kprint("x86_64: no MADT: no I/O APIC, no device interrupts\n");
        return;
    }
    u32 dest = lapic_id();
    for (u32 i = 0; i < madt->ioapic_count && i < kernel::Madt_info::max_ioapics; ++i) {
        const auto& d = madt->ioapics[i];
        Ioapic a{reinterpret_cast<volatile u32*>(u64(d.address) + arch::physmap_base), d.gsi_base, 0};
        a.pins = ((read(a, reg_version) >> 16) & 0xff) + 1;
        if (d.gsi_base >= max_gsis) continue;
        a.pins = min(a.pins, max_gsis - d.gsi_base);
        ioapics[ioapic_count++] = a;
        gsi_limit = max(gsi_limit, d.gsi_base + a.pins);
        for (u32 g = a.gsi_base; g < a.gsi_base + a.pins; ++g) {
            write(a, low_register(a, g) + 1, dest << 24);
            write(a, low_register(a, g), entry_for(*madt, g));
            masked[g] = true;
        }
    }
    kernel_gsis[0] = isa_gsi(*madt, 0);  // the PIT (and HPET legacy) timer line
    int uart = uart_isa_irq();
    if (uart >= 0) kernel_gsis[1] = isa_gsi(*madt, u32(uart));
    kernel::kprint("x86_64: %u I/O APIC%s, GSIs 0-%u on vectors %#x-%#x\n", ioapic_count,
                   ioapic_count == 1 ? "" : "s", gsi_limit ? gsi_limit - 1 : 0, vector_irq_base,
                   vector_irq_base + (gsi_limit ? gsi_limit - 1 : 0));
}

bool ioapic_vector_gsi(u64 vector, u32& gsi) {
    if (vector < vector_irq_base || vector - vector_irq_base >= gsi_limit) return false;
    gsi = u32(vector - vector_irq_base);
    return true;
}

}  // namespace x86_64

using namespace x86_64;

u32 arch::irq_count() { return gsi_limit; }

bool arch::irq_reserved(u32 gsi) {
    return !owner(gsi) || gsi == kernel_gsis[0] || gsi == kernel_gsis[1];
}

void arch::irq_enable(u32 gsi) {
    const Ioapic* a = owner(gsi);
    if (!a) return;
    u32 reg = low_register(*a, gsi);
    write(*a, reg, read(*a, reg) & ~entry_masked);
    masked[gsi] = false;
    if (held[gsi]) {
        held[gsi] = false;
        lapic_self_ipi(u8(vector_irq_base + gsi));
    }
}

void arch::irq_disable(u32 gsi) {
    const Ioapic* a = owner(gsi);
    if (!a) return;
    u32 reg = low_register(*a, gsi);
    write(*a, reg, read(*a, reg) | entry_masked);
    masked[gsi] = true;
}

void arch::irq_end(u32) { lapic_eoi(); }

void arch::irq_raise(u32 gsi) {
    if (gsi >= gsi_limit) return;
    if (masked[gsi]) held[gsi] = true;
    else lapic_self_ipi(u8(vector_irq_base + gsi));
}
