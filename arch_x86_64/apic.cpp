// Interrupt hardware: the legacy 8259 PICs (remapped, masked), the local
// APIC, and its timer calibrated against the HPET, or else PIT channel 2.
#include "arch.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "x86.hpp"

namespace x86_64 {
namespace {

// Local APIC registers, offsets from its base [SDM 3A 11.4.1, Table 11-1].
constexpr u32 reg_id = 0x20, reg_tpr = 0x80, reg_eoi = 0xb0, reg_svr = 0xf0, reg_isr = 0x100;
constexpr u32 reg_lvt_timer = 0x320, reg_lvt_lint0 = 0x350, reg_lvt_error = 0x370;
constexpr u32 reg_timer_initial = 0x380, reg_timer_current = 0x390, reg_timer_divide = 0x3e0;
constexpr u32 reg_icr_low = 0x300, reg_icr_high = 0x310;
// ICR [SDM 3A 11.6.1, Figure 11-12]: delivery status, level assert,
// destination shorthand "self".
constexpr u32 icr_pending = 1u << 12, icr_assert = 1u << 14, icr_self = 1u << 18;
// Delivery modes INIT (101b) and Start-Up (110b), bits 8-10.
constexpr u32 icr_init = 5u << 8, icr_startup = 6u << 8;
constexpr u32 lvt_masked = 1u << 16, lvt_periodic = 1u << 17;
constexpr u32 svr_enable = 1u << 8;
constexpr u32 divide_by_16 = 0x3;  // [SDM 3A 11.5.4, Figure 11-10]
constexpr u64 apic_base_enable = u64(1) << 11;

// PIT [Intel 8254 datasheet]: 1.193182 MHz input; port 0x61 bit 0 gates
// channel 2 and bit 5 reads its output.
constexpr u32 pit_hz = 1193182;
constexpr u32 calibration_hz = 50;  // measure over 20 ms
constexpr u16 pit_channel2 = 0x42, pit_command = 0x43, port_b = 0x61;

// HPET registers [IA-PC HPET 1.0a, 2.3]: the capabilities' high half is
// the counter period in femtoseconds (at most 100 ns); configuration bit 0
// runs the main counter.
constexpr u32 hpet_period = 0x004, hpet_config = 0x010, hpet_counter = 0x0f0;
constexpr u32 hpet_enable = 1;
constexpr u64 hpet_max_period_fs = 100000000;
constexpr u64 fs_per_second = 1000000000000000;
// Bound on every calibration wait, so that a dead timer cannot hang the boot.
constexpr u64 max_calibration_spins = 100000000;

volatile u32* lapic = nullptr;
u64 timer_ticks_per_second = 0;  // APIC timer counts at divide-by-16

u32 lapic_read(u32 reg) { return lapic[reg / 4]; }
void lapic_write(u32 reg, u32 v) { lapic[reg / 4] = v; }

void io_wait() { outb(0x80, 0); }

// Masks every local interrupt source and enables the APIC (software
// enable in the spurious-vector register); the timer stays masked.
void lapic_enable_local() {
    wrmsr(msr_apic_base, rdmsr(msr_apic_base) | apic_base_enable);
    lapic_write(reg_tpr, 0);                     // accept every priority
    lapic_write(reg_lvt_timer, lvt_masked | vector_timer);
    lapic_write(reg_lvt_lint0, lvt_masked);      // the 8259s' ExtINT path
    lapic_write(reg_lvt_error, lvt_masked);
    lapic_write(reg_svr, svr_enable | vector_spurious);
}

// Waits (bounded) until the ICR has sent the previous interrupt.
void icr_wait() {
    for (u64 spins = 0; spins < max_calibration_spins && (lapic_read(reg_icr_low) & icr_pending); ++spins)
        asm volatile("pause");
}

void send_ipi(u32 apic_id, u32 low) {
    icr_wait();
    lapic_write(reg_icr_high, apic_id << 24);
    lapic_write(reg_icr_low, low);  // the write sends it
    icr_wait();
}

void apic_timer_start_count() {
    lapic_write(reg_timer_divide, divide_by_16);
    lapic_write(reg_lvt_timer, lvt_masked | vector_timer);
    lapic_write(reg_timer_initial, 0xffffffff);
}

// APIC timer ticks per second, from its count over 1/calibration_hz s;
// 0 when the count is implausible (under 1000 ticks: the reference clock
// ended at once, or the APIC timer does not run; all ran out: too fast).
u64 apic_timer_rate(u32 left) {
    lapic_write(reg_timer_initial, 0);
    u32 counted = 0xffffffff - left;
    if (left == 0 || counted < 1000) return 0;
    return u64(counted) * calibration_hz;
}

// Counts APIC timer ticks over 20 ms of the HPET's main counter. The HPET
// is the ACPI-described timer of PCs with or without legacy devices; under
// QEMU it runs on the same virtual clock as the APIC timer, which follows
// the instruction count under -icount, so the ratio holds either way.
// Called while the boot page tables map 0-4 GiB write-back at the physmap:
// the firmware's MTRRs make the MMIO hole uncached [SDM 3A 11.11.4.1,
// Table 11-7: MTRR UC wins over PAT WB].
u64 calibrate_with_hpet(u64 hpet_pa) {
    if (hpet_pa == 0 || hpet_pa % 8 != 0 || hpet_pa + 0x400 > 4 * GiB) return 0;
    volatile u32* hpet = reinterpret_cast<volatile u32*>(hpet_pa + arch::physmap_base);
    u64 period = hpet[hpet_period / 4];
    if (period == 0 || period > hpet_max_period_fs) return 0;  // also catches an absent HPET (all ones)
    u32 config = hpet[hpet_config / 4];
    if (!(config & hpet_enable)) hpet[hpet_config / 4] = config | hpet_enable;
    u32 interval = u32(fs_per_second / calibration_hz / period);
    // The low 32 bits are enough: at 100 MHz they wrap after 42 s.
    u32 start = hpet[hpet_counter / 4];
    apic_timer_start_count();
    bool done = false;
    for (u64 spins = 0; spins < max_calibration_spins && !done; ++spins)
        done = u32(hpet[hpet_counter / 4] - start) >= interval;
    u32 left = lapic_read(reg_timer_current);
    if (!(config & hpet_enable)) hpet[hpet_config / 4] = config;  // as the firmware left it
    return done ? apic_timer_rate(left) : 0;
}

// Counts APIC timer ticks over one PIT channel-2 one-shot (mode 0) period.
// Both clocks are QEMU's virtual clock under TCG, and both follow the
// instruction count under -icount, so the ratio holds in either mode.
u64 calibrate_with_pit() {
    constexpr u32 latch = pit_hz / calibration_hz;
    outb(port_b, u8((inb(port_b) & ~0x02) | 0x01));  // gate on, speaker off
    outb(pit_command, 0xb0);                          // channel 2, lo/hi byte, mode 0, binary
    outb(pit_channel2, latch & 0xff);
    // Mode 0 holds OUT2 low until the count runs out: high now means no PIT
    // (an unclaimed port reads all ones).
    if (inb(port_b) & 0x20) return 0;
    outb(pit_channel2, latch >> 8);                   // counting starts
    apic_timer_start_count();
    // Bounded: a PIT that never counts must not hang the boot.
    bool done = false;
    for (u64 spins = 0; spins < max_calibration_spins && !done; ++spins) done = (inb(port_b) & 0x20) != 0;
    u32 left = lapic_read(reg_timer_current);
    return done ? apic_timer_rate(left) : 0;
}

}  // namespace

// Remaps the 8259s to vectors 0x20-0x2f and masks every line [8259A
// datasheet, ICW1-ICW4]: all interrupts come through the local APIC.
void pic_disable() {
    outb(0x20, 0x11);  // ICW1: initialise, ICW4 follows (master)
    io_wait();
    outb(0xa0, 0x11);  // (slave)
    io_wait();
    outb(0x21, vector_pic_base);  // ICW2: vector bases
    io_wait();
    outb(0xa1, vector_pic_base + 8);
    io_wait();
    outb(0x21, 0x04);  // ICW3: slave on IRQ 2
    io_wait();
    outb(0xa1, 0x02);  // ICW3: slave identity
    io_wait();
    outb(0x21, 0x01);  // ICW4: 8086 mode
    io_wait();
    outb(0xa1, 0x01);
    io_wait();
    outb(0x21, 0xff);  // OCW1: mask everything
    outb(0xa1, 0xff);
}

// Enables the local APIC at lapic_pa (reached through the physmap, which
// vspace_build_kernel maps uncached) and calibrates its timer against the
// HPET at hpet_pa (0: none), or else the PIT.
void lapic_init(u64 lapic_pa, u64 hpet_pa) {
    lapic = reinterpret_cast<volatile u32*>(lapic_pa + arch::physmap_base);
    lapic_enable_local();
    arch::cpu_local()->arch.apic_id = lapic_id();

    const char* reference = "the HPET";
    timer_ticks_per_second = calibrate_with_hpet(hpet_pa);
    if (timer_ticks_per_second == 0) {
        reference = "the PIT";
        timer_ticks_per_second = calibrate_with_pit();
    }
    if (timer_ticks_per_second == 0) {
        // QEMU's APIC timer runs at 1 GHz before the divider.
        reference = "nothing: no HPET or PIT answered; assumed";
        timer_ticks_per_second = 1000000000 / 16;
    }
    kernel::kprint("x86_64: local APIC id %u at %#llx, timer %llu Hz (divided by 16, calibrated against %s)\n",
                   lapic_read(reg_id) >> 24, (unsigned long long)lapic_pa,
                   (unsigned long long)timer_ticks_per_second, reference);
}

// Every CPU's local APIC sits at the same physical address (the
// IA32_APIC_BASE default the MADT gave; its page is mapped uncached).
void lapic_init_secondary() {
    lapic_enable_local();
    arch::cpu_local()->arch.apic_id = lapic_id();
}

// INIT, level assert [SDM 3A 11.6.1]; modern CPUs need no de-assert.
void lapic_send_init(u32 apic_id) { send_ipi(apic_id, icr_init | icr_assert); }

void lapic_send_fixed(u32 apic_id, u8 vector) { send_ipi(apic_id, icr_assert | vector); }

// Start-Up: the CPU begins in real mode at vector << 12 [SDM 3A 9.4.4].
void lapic_send_startup(u32 apic_id, u8 vector) { send_ipi(apic_id, icr_startup | icr_assert | vector); }

// A one-shot count of the (masked) APIC timer; only before timer_start.
void lapic_timeout_start(u32 us) {
    u64 count = timer_ticks_per_second * us / 1000000;
    if (count == 0) count = 1;
    if (count > 0xffffffff) count = 0xffffffff;
    lapic_write(reg_timer_divide, divide_by_16);
    lapic_write(reg_lvt_timer, lvt_masked | vector_timer);
    lapic_write(reg_timer_initial, u32(count));
}

bool lapic_timeout_expired() { return lapic_read(reg_timer_current) == 0; }

void lapic_delay_us(u32 us) {
    lapic_timeout_start(us);
    for (u64 spins = 0; spins < max_calibration_spins && !lapic_timeout_expired(); ++spins) asm volatile("pause");
}

void lapic_eoi() { lapic_write(reg_eoi, 0); }

u32 lapic_id() { return lapic_read(reg_id) >> 24; }

void lapic_self_ipi(u8 vector) {
    while (lapic_read(reg_icr_low) & icr_pending) asm volatile("pause");
    lapic_write(reg_icr_low, icr_self | icr_assert | vector);
}

bool lapic_in_service(u8 vector) {
    if (!lapic) return false;
    return (lapic_read(reg_isr + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

}  // namespace x86_64

namespace arch {

// Stores before it reach the other CPU first: x86 keeps stores in order,
// the APIC page is uncached, and the ICR write is a store [SDM 3A 8.2.2].
void send_ipi(u32 cpu) { x86_64::lapic_send_fixed(kernel::cpus[cpu].arch.apic_id, x86_64::vector_ipi); }

// Periodic mode reloads the initial count by itself [SDM 3A 11.5.4].
void timer_start(u32 hz) {
    using namespace x86_64;
    u64 count = timer_ticks_per_second / (hz ? hz : 1);
    if (count == 0) count = 1;
    if (count > 0xffffffff) count = 0xffffffff;
    lapic_write(reg_timer_divide, divide_by_16);
    lapic_write(reg_lvt_timer, lvt_periodic | vector_timer);
    lapic_write(reg_timer_initial, u32(count));
}

}  // namespace arch
