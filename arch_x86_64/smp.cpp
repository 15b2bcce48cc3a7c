// Secondary CPU start-up: each enabled local APIC of the MADT other than
// the boot CPU's is started with INIT-SIPI-SIPI from a real-mode
// trampoline in a page below 1 MiB (smp.S), one at a time. Each comes up
// on its own stack with its own GDT, TSS and GS base (kernel::cpus[i]),
// the shared IDT, the kernel's page tables and its local APIC enabled,
// reports itself and parks with interrupts masked.
#include "arch.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "string.hpp"
#include "vm.hpp"
#include "x86.hpp"

extern "C" char x86_trampoline_start[], x86_trampoline_end[];
extern "C" char x86_tr_gdtr[], x86_tr_pm32_ptr[], x86_tr_cr3[];
extern "C" const u32 x86_tr_gdt_offset, x86_tr_pm32_offset;
extern "C" char x86_boot_pml4[];

// Read by x86_ap_entry64 (smp.S): what the starting CPU takes.
extern "C" {
u64 x86_ap_cr3;
u32 x86_ap_apic_id = ~0u;
u64 x86_ap_stack_top;
}

namespace x86_64 {

using kernel::kprint;
namespace {

constexpr u64 ap_stack_size = 16 * KiB;
alignas(16) u8 ap_stacks[kernel::max_cpus][ap_stack_size];

u64 trampoline_pa = 0;  // 0: none reserved, no secondary CPUs
u32 ap_apic_ids[kernel::max_cpus];
u32 ap_count = 0;       // secondary CPUs to start
u32 online_apic_ids[kernel::max_cpus];  // of each online CPU, by its number (arch::cpu_hw_id)

// The CPU being started, and its acknowledgement: it writes its cpu id
// here once it is set up.
u32 starting_cpu = 0;
u32 online_ack = 0;

// Bounds in microseconds [SDM 3A 9.4.4.1: INIT, 10 ms, SIPI, 200 us, SIPI].
constexpr u32 init_delay_us = 10000, sipi_delay_us = 200;
constexpr u32 online_timeout_us = 500000;
// A second bound, in case the APIC timer does not count.
constexpr u64 max_wait_spins = 100000000;

bool overlaps(const kernel::Mem_range& r, u64 base, u64 size) { return base < r.end() && r.base < base + size; }

// A page below 1 MiB (and below the EBDA and video memory at 0xa0000) in
// RAM that nothing reserved holds: the highest one, from 0x1000 up (page 0
// holds the real-mode IVT and BIOS data area).
u64 find_trampoline_page(const kernel::Platform_info& info) {
    for (u64 pa = 0x9f000; pa >= 0x1000; pa -= kernel::page_size) {
        bool ram = false;
        for (u32 i = 0; i < info.ram_count; ++i)
            if (pa >= info.ram[i].base && pa + kernel::page_size <= info.ram[i].end()) ram = true;
        if (!ram) continue;
        bool taken = overlaps(info.root_task, pa, kernel::page_size);
        for (u32 i = 0; i < info.reserved_count && !taken; ++i)
            taken = overlaps(info.reserved[i].range, pa, kernel::page_size);
        if (!taken) return pa;
    }
    return 0;
}

// Fault injection for the tests: the kernel command line option
// x86_64.smp.withhold=N withholds the Start-Up IPIs from APIC id N, which
// then never comes up (as a broken CPU would not).
constexpr const char withhold_option[] = "x86_64.smp.withhold=";
u32 withheld_apic_id = ~0u;

void read_options(const kernel::Platform_info& info) {
    const char* c = info.cmdline;
    usize len = kstr::bounded_len(c, sizeof info.cmdline);
    for (usize i = 0; i < len; ++i) {
        if ((i > 0 && c[i - 1] != ' ') || len - i < sizeof withhold_option - 1 ||
            !kstr::starts_with(c + i, withhold_option))
            continue;
        u32 v = 0;
        bool digits = false;
        for (usize j = i + sizeof withhold_option - 1; j < len && c[j] >= '0' && c[j] <= '9' && v < 100000; ++j) {
            v = v * 10 + u32(c[j] - '0');
            digits = true;
        }
        if (digits) withheld_apic_id = v;
    }
}

bool acknowledged(u32 cpu) { return __atomic_load_n(&online_ack, __ATOMIC_ACQUIRE) == cpu; }

}  // namespace

void smp_prepare(kernel::Platform_info& info, const kernel::Madt_info* madt) {
    if (!madt || madt->cpu_count <= 1) return;
    read_options(info);
    u32 self = lapic_id();
    u32 listed = madt->cpu_count < kernel::Madt_info::max_cpus ? madt->cpu_count : kernel::Madt_info::max_cpus;
    for (u32 i = 0; i < listed; ++i) {
        u32 id = madt->apic_ids[i];
        if (id == self) continue;
        if (ap_count + 1 == kernel::max_cpus) {
            kprint("x86_64: APIC id %u and later CPUs left out (room for %u CPUs)\n", id, kernel::max_cpus);
            break;
        }
        // xAPIC mode addresses 8-bit APIC ids only.
        if (id > 0xfe) {
            kprint("x86_64: APIC id %u cannot be addressed in xAPIC mode; left out\n", id);
            continue;
        }
        ap_apic_ids[ap_count++] = id;
    }
    if (ap_count == 0) return;
    u64 page = find_trampoline_page(info);
    if (page == 0) {
        kprint("x86_64: no free RAM page below 1 MiB for the CPU start-up code; using one CPU\n");
        ap_count = 0;
        return;
    }
    if (!info.add_reserved(page, kernel::page_size, kernel::Reserved_kind::Kernel))
        kernel::panic("x86_64: too many reserved ranges");
    trampoline_pa = page;
}

// Called on the new CPU by x86_ap_entry64, on its stack, with the kernel's
// page tables and interrupts masked.
extern "C" [[noreturn]] void x86_ap_main() {
    u32 cpu = starting_cpu;
    cpu_init_secondary(cpu, x86_ap_stack_top);
    syscall_init();
    lapic_init_secondary();
    // The number printed comes through the GS base, as every later use will.
    kprint("x86_64: cpu %u online (APIC id %u)\n", arch::cpu_local()->cpu_id, lapic_id());
    __atomic_store_n(&online_ack, cpu, __ATOMIC_RELEASE);
    kernel::secondary_main();
}

u32 smp_start() {
    online_apic_ids[0] = lapic_id();
    if (trampoline_pa == 0) return 1;
    u8* page = static_cast<u8*>(kernel::phys_to_virt(trampoline_pa));
    u64 size = u64(x86_trampoline_end - x86_trampoline_start);
    memcpy(page, x86_trampoline_start, size);
    auto patch32 = [&](const char* field, u32 value) {
        memcpy(page + (field - x86_trampoline_start), &value, sizeof value);
    };
    patch32(x86_tr_gdtr + 2, u32(trampoline_pa + x86_tr_gdt_offset));
    patch32(x86_tr_pm32_ptr, u32(trampoline_pa + x86_tr_pm32_offset));
    patch32(x86_tr_cr3, u32(reinterpret_cast<u64>(x86_boot_pml4) - arch::kernel_image_base));
    x86_ap_cr3 = read_cr3() & ~u64(0xfff);

    u32 online = 1;
    for (u32 i = 0; i < ap_count; ++i) {
        u32 cpu = online, id = ap_apic_ids[i];
        starting_cpu = cpu;
        x86_ap_apic_id = id;
        x86_ap_stack_top = reinterpret_cast<u64>(ap_stacks[cpu]) + ap_stack_size;
        __atomic_store_n(&online_ack, 0, __ATOMIC_RELEASE);
        u8 vector = u8(trampoline_pa >> 12);
        lapic_send_init(id);
        lapic_delay_us(init_delay_us);
        for (int sipi = 0; sipi < 2 && !acknowledged(cpu) && id != withheld_apic_id; ++sipi) {
            lapic_send_startup(id, vector);
            lapic_delay_us(sipi_delay_us);
        }
        lapic_timeout_start(online_timeout_us);
        bool up = acknowledged(cpu);
        for (u64 spins = 0; !up && spins < max_wait_spins && !lapic_timeout_expired(); ++spins) {
            asm volatile("pause");
            up = acknowledged(cpu);
        }
        if (!up) {
            // Back to wait-for-SIPI, so that it cannot start late on a
            // stack handed to the next one.
            lapic_send_init(id);
            kprint("x86_64: cpu with APIC id %u did not come up within %u ms; left out\n", id,
                   online_timeout_us / 1000);
            continue;
        }
        online_apic_ids[cpu] = id;
        ++online;
    }
    x86_ap_apic_id = ~0u;
    kprint("x86_64: %u of %u CPUs online\n", online, ap_count + 1);
    return online;
}

}  // namespace x86_64

namespace arch {

u32 start_secondary_cpus() { return x86_64::smp_start(); }
u64 cpu_hw_id(u32 cpu) { return cpu < kernel::max_cpus ? x86_64::online_apic_ids[cpu] : ~u64(0); }

}  // namespace arch
