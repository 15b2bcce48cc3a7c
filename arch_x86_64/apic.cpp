// Interrupt hardware: the legacy 8259 PICs (remapped, masked), the local
// APIC, and its timer calibrated against PIT channel 2.
#include "arch.hpp"
#include "log.hpp"
#include "x86.hpp"

namespace x86_64 {
namespace {

// Local APIC registers, offsets from its base [SDM 3A 11.4.1, Table 11-1].
constexpr u32 reg_id = 0x20, reg_tpr = 0x80, reg_eoi = 0xb0, reg_svr = 0xf0, reg_isr = 0x100;
constexpr u32 reg_lvt_timer = 0x320, reg_lvt_lint0 = 0x350, reg_lvt_error = 0x370;
constexpr u32 reg_timer_initial = 0x380, reg_timer_current = 0x390, reg_timer_divide = 0x3e0;
constexpr u32 lvt_masked = 1u << 16, lvt_periodic = 1u << 17;
constexpr u32 svr_enable = 1u << 8;
constexpr u32 divide_by_16 = 0x3;  // [SDM 3A 11.5.4, Figure 11-10]
constexpr u64 apic_base_enable = u64(1) << 11;

// PIT [Intel 8254 datasheet]: 1.193182 MHz input; port 0x61 bit 0 gates
// channel 2 and bit 5 reads its output.
constexpr u32 pit_hz = 1193182;
constexpr u32 calibration_hz = 50;  // measure over 20 ms
constexpr u16 pit_channel2 = 0x42, pit_command = 0x43, port_b = 0x61;

volatile u32* lapic = nullptr;
u64 timer_ticks_per_second = 0;  // APIC timer counts at divide-by-16

u32 lapic_read(u32 reg) { return lapic[reg / 4]; }
void lapic_write(u32 reg, u32 v) { lapic[reg / 4] = v; }

void io_wait() { outb(0x80, 0); }

// Counts APIC timer ticks over one PIT channel-2 one-shot (mode 0) period.
// Both clocks are QEMU's virtual clock under TCG, and both follow the
// instruction count under -icount, so the ratio holds in either mode.
u64 calibrate_timer() {
    constexpr u32 latch = pit_hz / calibration_hz;
    outb(port_b, u8((inb(port_b) & ~0x02) | 0x01));  // gate on, speaker off
    outb(pit_command, 0xb0);                          // channel 2, lo/hi byte, mode 0, binary
    lapic_write(reg_timer_divide, divide_by_16);
    lapic_write(reg_lvt_timer, lvt_masked | vector_timer);
    outb(pit_channel2, latch & 0xff);
    outb(pit_channel2, latch >> 8);                   // counting starts
    lapic_write(reg_timer_initial, 0xffffffff);
    // OUT2 rises when the count reaches zero. Bounded: a missing PIT must
    // not hang the boot.
    bool done = false;
    for (u64 spins = 0; spins < 100000000 && !done; ++spins) done = (inb(port_b) & 0x20) != 0;
    u32 left = lapic_read(reg_timer_current);
    lapic_write(reg_timer_initial, 0);
    if (!done || left == 0xffffffff) return 0;
    return u64(0xffffffff - left) * calibration_hz;
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

// Enables the local APIC at lapic_pa (mapped uncached in the physmap by
// vspace_build_kernel) and calibrates its timer.
void lapic_init(u64 lapic_pa) {
    wrmsr(msr_apic_base, rdmsr(msr_apic_base) | apic_base_enable);
    lapic = reinterpret_cast<volatile u32*>(lapic_pa + arch::physmap_base);
    lapic_write(reg_tpr, 0);                     // accept every priority
    lapic_write(reg_lvt_timer, lvt_masked | vector_timer);
    lapic_write(reg_lvt_lint0, lvt_masked);      // the 8259s' ExtINT path
    lapic_write(reg_lvt_error, lvt_masked);
    lapic_write(reg_svr, svr_enable | vector_spurious);

    timer_ticks_per_second = calibrate_timer();
    if (timer_ticks_per_second == 0) {
        // QEMU's APIC timer runs at 1 GHz before the divider.
        timer_ticks_per_second = 1000000000 / 16;
        kernel::kprint("x86_64: APIC timer calibration failed (no PIT?); assuming %llu Hz\n",
                       (unsigned long long)timer_ticks_per_second);
    }
    kernel::kprint("x86_64: local APIC id %u at %#llx, timer %llu Hz (divided by 16, calibrated against the PIT)\n",
                   lapic_read(reg_id) >> 24, (unsigned long long)lapic_pa,
                   (unsigned long long)timer_ticks_per_second);
}

void lapic_eoi() { lapic_write(reg_eoi, 0); }

bool lapic_in_service(u8 vector) {
    if (!lapic) return false;
    return (lapic_read(reg_isr + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

}  // namespace x86_64

namespace arch {

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
