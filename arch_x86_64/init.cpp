// x86_64 boot in C++: boot information, ACPI, page tables, CPU and
// interrupt set-up, then the portable core.
#include "acpi.hpp"
#include "arch.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "multiboot.hpp"
#include "pagetable.hpp"
#include "percpu.hpp"
#include "x86.hpp"

extern "C" char __kernel_phys_start[], __kernel_phys_end[];
extern "C" void (*__init_array_start[])(), (*__init_array_end[])();

namespace x86_64 {
namespace {

kernel::Platform_info platform;
kernel::Madt_info madt;   // valid when have_madt
bool have_madt = false;

// Until the final page tables are in place the boot tables map physical
// 0-4 GiB at the physmap, which is where Multiboot puts its information
// (32-bit pointers) and where firmware puts the ACPI tables.
const u8* boot_phys_map(void*, u64 pa, u64 len) {
    u64 end;
    if (!range_end(pa, len, end) || end > 4 * GiB) return nullptr;
    return reinterpret_cast<const u8*>(pa + arch::physmap_base);
}
const kernel::Phys_reader boot_phys{boot_phys_map, nullptr};

struct Acpi_summary {
    bool ok;
    u64 lapic_pa;
    u32 cpus;
    bool pcat_compat;  // the MADT says the PC has the legacy 8259 PICs
    u64 hpet_pa;       // HPET registers; 0: none described
};

// The HPET table [IA-PC HPET 1.0a, 3.2.4] gives the base of the registers
// as a Generic Address Structure at offset 40, with the address at 44; it
// must be in system memory (address space 0).
u64 find_hpet(const kernel::Rsdp_info& rsdp) {
    using namespace kernel;
    auto pa = find_table(boot_phys, rsdp, "HPET");
    if (!pa) return 0;
    const u8* t = boot_phys.read(*pa, 52);
    if (!t || load_le32(t + 4) < 52 || t[40] != 0) return 0;
    return load_le64(t + 44);
}

// NUMA topology from the SRAT (CPUs the MADT lists, memory ranges) and the
// SLIT (distances). A table that is structurally broken is ignored as a
// whole and said so; entry-level problems are kept in platform.numa and
// reported by the core. Neither table: no topology, one node.
void read_numa(const kernel::Rsdp_info& rsdp) {
    using namespace kernel;
    u32 listed = have_madt ? min(madt.cpu_count, Madt_info::max_cpus) : 0;
    auto srat = read_srat(boot_phys, rsdp, platform.numa, have_madt ? madt.apic_ids : nullptr, listed);
    if (!srat) {
        if (srat.error() != Acpi_error::Table_not_found)
            kprint("x86_64: ACPI: SRAT ignored: %s (detail %#llx)\n", describe(srat.error()),
                   (unsigned long long)srat.detail());
        platform.numa = Numa_topology{};
        return;
    }
    auto slit = read_slit(boot_phys, rsdp, platform.numa);
    if (!slit && slit.error() != Acpi_error::Table_not_found) {
        kprint("x86_64: ACPI: SLIT ignored: %s (detail %#llx)\n", describe(slit.error()),
               (unsigned long long)slit.detail());
        platform.numa.clear_distances();
    }
    kprint("x86_64: ACPI SRAT: %u CPU and %u memory affinity entries%s\n", platform.numa.cpu_count,
           platform.numa.mem_count, platform.numa.distances_given ? "; SLIT distances" : "");
}

// RSDP from Multiboot2 tag 15/14 (the only way under UEFI), else the BIOS
// areas; then the MADT.
Acpi_summary read_acpi(const kernel::Multiboot_extra& extra) {
    using namespace kernel;
    Result<Rsdp_info, Acpi_error> rsdp = fail(Acpi_error::No_rsdp);
    const char* source = "Multiboot2 tag";
    if (extra.rsdp_size) {
        rsdp = parse_rsdp(extra.rsdp, extra.rsdp_size);
    } else {
        source = "BIOS area";
        auto pa = find_rsdp_bios(boot_phys);
        if (pa) rsdp = read_rsdp(boot_phys, *pa);
        else rsdp = pa.failure();
    }
    if (!rsdp) {
        kprint("x86_64: ACPI: %s (%s, detail %#llx)\n", describe(rsdp.error()), source,
               (unsigned long long)rsdp.detail());
        return {false, 0, 0, true, 0};
    }
    auto madt_result = read_madt(boot_phys, *rsdp);
    if (!madt_result) {
        kprint("x86_64: ACPI: %s (detail %#llx)\n", describe(madt_result.error()),
               (unsigned long long)madt_result.detail());
        return {false, 0, 0, true, find_hpet(*rsdp)};
    }
    madt = *madt_result;
    have_madt = true;
    kprint("x86_64: ACPI %u RSDP (%s, OEM \"%s\"): %u CPU%s enabled, %u I/O APIC%s, local APIC at %#llx\n",
           rsdp->revision >= 2 ? 2u : 1u, source, rsdp->oem_id, madt.cpu_count, madt.cpu_count == 1 ? "" : "s",
           madt.ioapic_count, madt.ioapic_count == 1 ? "" : "s", (unsigned long long)madt.lapic_base);
    read_numa(*rsdp);
    return {true, madt.lapic_base, madt.cpu_count, madt.pcat_compat, find_hpet(*rsdp)};
}

void reserve_or_panic(u64 base, u64 size, kernel::Reserved_kind kind) {
    if (!platform.add_reserved(base, size, kind)) kernel::panic("x86_64: too many reserved ranges");
}

// The local APIC and the I/O APICs are the kernel's: reserved as devices,
// mapped uncached by vspace_build_kernel, left out of device untyped.
// Two I/O APICs may share a page: each page is reserved (and mapped) once.
void reserve_device_page(u64 pa) {
    u64 page = align_down(pa, kernel::page_size);
    for (u32 i = 0; i < platform.reserved_count; ++i)
        if (platform.reserved[i].kind == kernel::Reserved_kind::Device && platform.reserved[i].range.base == page)
            return;
    reserve_or_panic(page, kernel::page_size, kernel::Reserved_kind::Device);
}

void reserve_interrupt_controllers(u64 lapic_pa) {
    reserve_device_page(lapic_pa);
    if (!have_madt) return;
    for (u32 i = 0; i < madt.ioapic_count && i < kernel::Madt_info::max_ioapics; ++i)
        reserve_device_page(madt.ioapics[i].address);
}

// CPUID 0x80000008 EAX[7:0] [SDM 2A CPUID]; 36 bits where it is missing.
u32 physical_address_bits() {
    if (cpuid(0x80000000).eax < 0x80000008) return 36;
    return cpuid(0x80000008).eax & 0xff;
}

bool in_ram(const kernel::Mem_range& r) {
    for (u32 i = 0; i < platform.ram_count; ++i)
        if (r.base >= platform.ram[i].base && r.end() <= platform.ram[i].end()) return true;
    return false;
}

}  // namespace
}  // namespace x86_64

// Called by boot.S on the boot stack, in long mode, with the boot page
// tables; magic and info are what the loader left in eax and ebx.
extern "C" [[noreturn]] void x86_boot_main(u32 magic, u32 info_pa) {
    using namespace x86_64;
    using namespace kernel;
    uart_init();
    for (auto* ctor = __init_array_start; ctor != __init_array_end; ++ctor) (*ctor)();
    cpu_init_boot(0);
    kprint("\nx86_64: Baton starting (boot magic %#x, information at %#x)\n", magic, info_pa);

    platform.platform_name = BATON_PLATFORM_NAME;
    Multiboot_extra extra;
    auto st = parse_multiboot(magic, info_pa, boot_phys, platform, extra);
    if (!st && st.error() == Multiboot_error::No_root_task_module)
        panic("no root-task module: give the root task's ELF as the first Multiboot module "
              "(QEMU -initrd, GRUB module2)");
    if (!st) panic("x86_64: boot information: %s (detail %#llx)", describe(st.error()), (unsigned long long)st.detail());
    kprint("x86_64: Multiboot%u from \"%s\": %u RAM range%s, %u module%s, root task at %#llx (%llu bytes)\n",
           extra.version, extra.loader_name, platform.ram_count, platform.ram_count == 1 ? "" : "s",
           extra.module_count, extra.module_count == 1 ? "" : "s", (unsigned long long)platform.root_task.base,
           (unsigned long long)platform.root_task.size);
    if (!in_ram(platform.root_task))
        panic("x86_64: the root-task module at %#llx-%#llx is not in RAM", (unsigned long long)platform.root_task.base,
              (unsigned long long)platform.root_task.end());

    // Never handed out: the kernel image with .bss (page-table pool, stacks)
    // and page 0 (real-mode IVT and BIOS data area; physical address 0 also
    // reads as "no page" to the page-table allocators). The rest of low
    // memory is ordinary RAM: the loaders may put modules there (GRUB under
    // UEFI does), and the EBDA is not type-1 memory.
    u64 image = reinterpret_cast<u64>(__kernel_phys_start);
    reserve_or_panic(image, reinterpret_cast<u64>(__kernel_phys_end) - image, Reserved_kind::Kernel);
    reserve_or_panic(0, kernel::page_size, Reserved_kind::Firmware);

    Acpi_summary acpi = read_acpi(extra);
    u64 msr_lapic = rdmsr(msr_apic_base) & 0x000ffffffffff000;
    u64 lapic_pa = acpi.ok ? acpi.lapic_pa : msr_lapic;
    platform.cpu_count = acpi.ok ? acpi.cpus : 1;
    if (!acpi.ok) kprint("x86_64: without ACPI: assuming one CPU\n");
    if (lapic_pa != msr_lapic) {
        kprint("x86_64: MADT local APIC address %#llx differs from IA32_APIC_BASE %#llx; using the MSR's\n",
               (unsigned long long)lapic_pa, (unsigned long long)msr_lapic);
        lapic_pa = msr_lapic;
    }
    if (platform.cpu_count > kernel::max_cpus) {
        kprint("x86_64: using %u of %u CPUs\n", kernel::max_cpus, platform.cpu_count);
        platform.cpu_count = kernel::max_cpus;
    }

    // The 8259s only where they exist (always assumed without ACPI).
    if (acpi.pcat_compat) pic_disable();
    // Before the final page tables: the APIC timer's calibration reads the
    // HPET through the boot tables' map of 0-4 GiB (see apic.cpp).
    lapic_init(lapic_pa, acpi.hpet_pa);
    reserve_interrupt_controllers(lapic_pa);
    smp_prepare(platform, have_madt ? &madt : nullptr);
    platform.paddr_bits = physical_address_bits();
    vspace_build_kernel(platform);
    ioapic_init(have_madt ? &madt : nullptr);
    syscall_init();
    kernel::boot_main(platform);
}
