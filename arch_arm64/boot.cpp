// arm64 boot in C++: from start.S (MMU on, running at the link address on
// the boot stack, interrupts masked) to kernel::boot_main().
//
//   per-CPU pointer -> early console (boot window) -> device tree ->
//   Platform_info -> final page tables -> console and power through the
//   physmap -> GIC, timer, PMU -> secondary CPUs (parked) -> the core
#include "arch.hpp"
#include "board.hpp"
#include "cpu.hpp"
#include "fdt.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"

extern "C" {
extern char _start[], __image_end[];
extern const char root_task_elf_start[], root_task_elf_end[];
using Init_fn = void (*)();
extern Init_fn __init_array_start[], __init_array_end[];
}

namespace arm64 {

// EL0 may read the cycle counter (PMCCNTR_EL0), which counts at EL0 and
// EL1 [ARM ARM D13.3 PMCR_EL0, PMCNTENSET_EL0, PMUSERENR_EL0].
void enable_cycle_counter() {
    u64 pmuver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;
    if (pmuver == 0 || pmuver == 0xf) return;
    write_sysreg(pmccfiltr_el0, 0);
    write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | 0x5);  // E, C (reset the cycle counter)
    write_sysreg(pmcntenset_el0, u64(1) << 31);
    write_sysreg(pmuserenr_el0, 0x5);                     // EN, CR
    isb();
}

namespace {

// Outlive boot_main: the core keeps pointers into them (info.machine_model
// points at devices.model).
kernel::Platform_info info;
kernel::Fdt_devices devices;

constexpr u64 window_mask = board::early_window_size - 1;

void run_constructors() {
    for (Init_fn* f = __init_array_start; f < __init_array_end; ++f) (*f)();
}

void set_up_per_cpu() {
    kernel::Per_cpu& cpu = kernel::cpus[0];
    cpu.self = &cpu;
    cpu.kernel_stack_top = reinterpret_cast<u64>(boot_stack_top);
    cpu.cpu_id = 0;
    write_sysreg(tpidr_el1, &cpu);
}

void reserve(u64 base, u64 size, kernel::Reserved_kind kind) {
    if (!info.add_reserved(base, size, kind)) kernel::panic("arm64: more than %u reserved ranges", info.max_reserved);
}

// The image is reserved around the embedded root task, which the core
// reserves itself as the root task's range.
void describe_image() {
    u64 start = image_pa(_start), end = image_pa(__image_end);
    u64 rt_start = image_pa(root_task_elf_start), rt_end = image_pa(root_task_elf_end);
    if (devices.initrd_end) {
        reserve(start, end - start, kernel::Reserved_kind::Kernel);
        kernel::kprint("arm64: root task from the initrd at %#llx-%#llx\n", (unsigned long long)devices.initrd_start,
                       (unsigned long long)devices.initrd_end);
        return;
    }
    reserve(start, rt_start - start, kernel::Reserved_kind::Kernel);
    reserve(rt_end, end - rt_end, kernel::Reserved_kind::Kernel);
    info.root_task = {rt_start, rt_end - rt_start};
}

// The devices the kernel drives are not the root task's to map: they are
// reported as reserved device ranges and left out of device untyped memory.
void reserve_devices() {
    const kernel::Mmio_range own[] = {devices.uart, devices.gic_dist, devices.gic_cpu, devices.gic_redist, devices.power};
    for (const kernel::Mmio_range& r : own) {
        if (r.size == 0) continue;
        u64 first = align_down(r.base, 4 * KiB), last = align_up(r.base + r.size, 4 * KiB);
        reserve(first, last - first, kernel::Reserved_kind::Device);
    }
}

// ID_AA64MMFR0_EL1.PARange [ARM ARM D17.2.64]: 32, 36, 40, 42, 44, 48, 52 bits.
u32 physical_address_bits() {
    static constexpr u8 bits[] = {32, 36, 40, 42, 44, 48, 52};
    u64 range = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    return range < sizeof bits ? bits[range] : 48;
}

void parse_device_tree(u64 dtb_pa) {
    if (dtb_pa == 0)
        kernel::panic("arm64: no device tree (x0 was 0 at entry); boot the Image so the loader passes one");
    u64 offset = dtb_pa & window_mask;
    const u8* blob = reinterpret_cast<const u8*>(EARLY_WINDOW_DTB + offset);
    u64 avail = 2 * board::early_window_size - offset;
    auto st = kernel::fdt_parse(blob, avail, dtb_pa, info, devices);
    if (!st) {
        using kernel::Fdt_error;
        Fdt_error e = st.error();
        if (e == Fdt_error::No_memory || e == Fdt_error::No_uart || e == Fdt_error::No_interrupt_controller)
            kernel::panic("%s; device tree at %#llx", kernel::describe(e), (unsigned long long)dtb_pa);
        kernel::panic("%s (detail %#llx); device tree at %#llx", kernel::describe(e), (unsigned long long)st.detail(),
                      (unsigned long long)dtb_pa);
    }
    info.platform_name = board::Current::platform_name;
    // A tree without the PM node still gets the board's power-off device.
    if (board::Current::power_off == board::Power_off::Bcm2711_watchdog && devices.psci == kernel::Psci_conduit::None &&
        devices.power.size == 0)
        devices.power = {board::Current::early_power, 0x1000};
}

}  // namespace
}  // namespace arm64

extern "C" [[noreturn]] void arm64_boot(u64 dtb_pa, u64 phys_base, u64 entry_el) {
    using namespace arm64;
    image_phys_base = phys_base;
    set_up_per_cpu();
    run_constructors();
    console_set_base(EARLY_WINDOW_UART + (board::Current::early_uart & window_mask));
    power_init_early(entry_el);
    kernel::kprint("\narm64: Baton on %s: entered at EL%llu, image at %#llx, device tree at %#llx\n",
                   board::Current::platform_name, (unsigned long long)entry_el,
                   (unsigned long long)image_pa(_start), (unsigned long long)dtb_pa);

    parse_device_tree(dtb_pa);
    describe_image();
    reserve_devices();
    info.paddr_bits = physical_address_bits();
    mmu_init(info, devices);
    console_set_base(physmap(devices.uart.base));
    console_init();
    power_init(devices);
    kernel::kprint("arm64: %s, %u CPU%s in the device tree; console PL011 at %#llx%s; power off by %s\n", info.machine_model,
                   info.cpu_count, info.cpu_count == 1 ? "" : "s", (unsigned long long)devices.uart.base,
                   devices.uart_is_stdout ? " (stdout-path)" : "", power_method());

    auto gic = gic_init(devices);
    if (!gic) kernel::panic("arm64: %s (detail %#llx)", describe(gic.error()), (unsigned long long)gic.detail());
    timer_init(devices);
    irq_init(devices);
    enable_cycle_counter();
    kernel::kprint("arm64: %s distributor at %#llx; timer INTID %u%s, %llu Hz\n", gic_name(),
                   (unsigned long long)devices.gic_dist.base, timer_intid(),
                   devices.timer_from_dt ? "" : " (default)", (unsigned long long)read_sysreg(cntfrq_el0));

    kernel::boot_main(info);
}

// The other CPUs, parked (smp.cpp); the core counts those that came up.
u32 arch::start_secondary_cpus() { return arm64::start_secondary_cpus(arm64::info, arm64::devices); }
u64 arch::cpu_hw_id(u32 cpu) { return cpu < kernel::max_cpus ? kernel::cpus[cpu].arch.hw_id : ~u64(0); }
