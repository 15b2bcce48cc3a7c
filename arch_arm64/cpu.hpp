// arm64-private helpers: system registers, MMIO, and the interfaces the
// files of this port offer each other.
#pragma once

#include "fdt.hpp"
#include "platform.hpp"
#include "result.hpp"
#include "types.hpp"

#include <arch/defs.hpp>

namespace kernel {
struct Per_cpu;
}

// System registers by name (or s3_x_cx_cx_x encoding).
#define read_sysreg(reg)                                      \
    ({                                                        \
        u64 sysreg_value_;                                    \
        asm volatile("mrs %0, " #reg : "=r"(sysreg_value_)); \
        sysreg_value_;                                        \
    })
#define write_sysreg(reg, v) asm volatile("msr " #reg ", %0" ::"r"(u64(v)) : "memory")

#define isb() asm volatile("isb" ::: "memory")
#define dsb(opt) asm volatile("dsb " #opt ::: "memory")

namespace arm64 {

// ---- memory-mapped registers --------------------------------------------
// Devices are reached through the physmap (Device-nGnRE) once the final
// tables are up; earlier, through the boot windows (board.hpp).
inline u32 mmio_read32(u64 va) { return *reinterpret_cast<volatile u32*>(va); }
inline void mmio_write32(u64 va, u32 v) { *reinterpret_cast<volatile u32*>(va) = v; }
inline u64 mmio_read64(u64 va) { return *reinterpret_cast<volatile u64*>(va); }
inline void mmio_write64(u64 va, u64 v) { *reinterpret_cast<volatile u64*>(va) = v; }
inline u64 physmap(u64 pa) { return pa + arch::physmap_base; }

// ---- the kernel image (mmu.cpp) -----------------------------------------
// The 2 MiB-aligned physical base that kernel_image_base maps.
extern u64 image_phys_base;
extern u64 empty_user_root;  // TTBR0 when no user address space is active
extern u64 kernel_root;      // TTBR1 of every CPU once mmu_init() has run
inline u64 image_pa(u64 va) { return va - arch::kernel_image_base + image_phys_base; }
inline u64 image_pa(const void* p) { return image_pa(reinterpret_cast<u64>(p)); }

// Builds the final kernel tables (physmap of RAM, devices, the image with
// per-section rights) and switches to them; TTBR0 is left empty. Panics
// with the reason if the pool runs out or a range cannot be mapped.
void mmu_init(const kernel::Platform_info& info, const kernel::Fdt_devices& dev);

// ---- console (pl011.cpp) --------------------------------------------------
void console_set_base(u64 va);
void console_init();

// ---- interrupt controller (gic.cpp) -----------------------------------------
enum class Gic_error : u32 {
    No_redistributor,     // detail: this CPU's affinity (MPIDR Aff3.Aff2.Aff1.Aff0)
    Redistributor_asleep, // detail: the redistributor's physical address
    No_system_registers,  // ICC_SRE_EL1.SRE stays 0 (disabled by a higher EL)
};
const char* describe(Gic_error e);

Status<Gic_error> gic_init(const kernel::Fdt_devices& dev);
// A secondary CPU's own part: its redistributor (v3), its banked SGIs and
// PPIs, its CPU interface. After gic_init() on the boot CPU.
Status<Gic_error> gic_init_secondary();
void gic_enable(u32 intid);
void gic_disable(u32 intid);
void gic_set_pending(u32 intid);
u32 gic_lines();              // INTIDs below this exist (SGIs, PPIs, then SPIs)
u32 gic_acknowledge();        // the raw IAR value
u32 gic_intid(u32 iar);       // its INTID; 1020..1023: nothing pending
void gic_end(u32 iar);
// The SGI the kernel interrupts other CPUs with, and sending it.
constexpr u32 ipi_sgi = 0;
void gic_send_ipi(const kernel::Per_cpu& to);
const char* gic_name();

// ---- timer (timer.cpp) ------------------------------------------------------
void timer_init(const kernel::Fdt_devices& dev);
u32 timer_intid();
void timer_rearm();

// ---- power (power.cpp) ------------------------------------------------------
void power_init_early(u64 entry_el);
void power_init(const kernel::Fdt_devices& dev);
const char* power_method();

// ---- this CPU (boot.cpp) -----------------------------------------------------
// Starts the PMU cycle counter and lets EL0 read it.
void enable_cycle_counter();

// ---- secondary CPUs (smp.cpp) -------------------------------------------------
// Starts every other CPU the device tree describes (PSCI CPU_ON or the spin
// table), one at a time, each to a parked state: own stack, per-CPU
// pointer, the kernel's tables, vectors and GIC interface, interrupts
// masked, in WFI. Waits for each with a time limit; a CPU that does not
// come up is reported and left out. Returns the CPUs online, this one
// included; they are kernel::cpus[0 .. n-1].
u32 start_secondary_cpus(const kernel::Platform_info& info, const kernel::Fdt_devices& dev);

// ---- device interrupts (irq.cpp) ---------------------------------------------
// Records the interrupts the kernel keeps for itself (the console UART's).
void irq_init(const kernel::Fdt_devices& dev);

// ---- exceptions (exception.cpp) ----------------------------------------------
// The interrupt that arrived, if any, is handled: timer ticks go to the
// core's tick, anything else to kernel::handle_irq().
void handle_irq(bool from_user);

}  // namespace arm64

// Assembly entry points.
extern "C" {
[[noreturn]] void arm64_enter_user(void* ctx);
void arm64_replace_ttbr1(u64 ttbr1);
extern char boot_stack_top[];
void secondary_entry();  // a secondary CPU's first instruction (physical address, MMU off)
}
