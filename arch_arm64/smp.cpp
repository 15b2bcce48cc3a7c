// Secondary CPUs: started one at a time by the boot CPU, each brought to a
// parked state (its own kernel stack and Per_cpu, the kernel's tables and
// vectors, its GIC interface, interrupts masked, waiting in WFI). Nothing
// runs on them yet.
//
// How a CPU is started is the device tree's per-CPU enable-method:
//   "psci"        PSCI CPU_ON [ARM DEN 0022, 5.6] through the /psci node's
//                 conduit (hvc or smc)
//   "spin-table"  the CPU spins in firmware on its cpu-release-addr; writing
//                 the entry point there and signalling an event releases it
//                 [Linux Documentation/arch/arm64/booting.rst, 4]
// Either way it arrives at secondary_entry (start.S) with the MMU off.
#include "arch.hpp"
#include "cpu.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"

namespace {

// Read by start.S at fixed offsets, partly with the MMU off.
struct Secondary_boot {
    u64 ttbr1;              // 0: the kernel's tables
    u64 stack_top;          // 8
    u64 hw_id;              // 16: the MPIDR affinity of the CPU expected; bit 63 set once it claimed this
    kernel::Per_cpu* cpu;   // 24
};
static_assert(__builtin_offsetof(Secondary_boot, ttbr1) == 0);
static_assert(__builtin_offsetof(Secondary_boot, stack_top) == 8);
static_assert(__builtin_offsetof(Secondary_boot, hw_id) == 16);

enum State : u32 { Starting = 0, Online = 1, Failed = 2 };

constexpr u64 stack_size = 16 * KiB;
alignas(16) u8 stacks[kernel::max_cpus][stack_size];
u32 state[kernel::max_cpus];  // set by each secondary (atomically), polled by the boot CPU

// PSCI CPU_ON, SMC64 function ID, and its error codes [ARM DEN 0022 5.2.2].
constexpr u64 psci_cpu_on = 0xc4000003;

const char* psci_error(i64 r) {
    switch (r) {
    case -1: return "not supported";
    case -2: return "invalid parameters";
    case -3: return "denied";
    case -4: return "already on";
    case -5: return "on pending";
    case -6: return "internal failure";
    case -7: return "not present";
    case -8: return "disabled";
    case -9: return "invalid address";
    }
    return "unknown error";
}

i64 psci_call(kernel::Psci_conduit conduit, u64 fn, u64 a1, u64 a2, u64 a3) {
    register u64 x0 asm("x0") = fn;
    register u64 x1 asm("x1") = a1;
    register u64 x2 asm("x2") = a2;
    register u64 x3 asm("x3") = a3;
    if (conduit == kernel::Psci_conduit::Smc)
        asm volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    else
        asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    return i64(x0);
}

// Cleans and invalidates [p, p + n) to the point of coherency, so a CPU
// reading with its MMU (and caches) off sees what this one wrote.
void clean_to_poc(const void* p, u64 n) {
    u64 line = u64(4) << ((read_sysreg(ctr_el0) >> 16) & 0xf);
    u64 a = reinterpret_cast<u64>(p) & ~(line - 1), end = reinterpret_cast<u64>(p) + n;
    for (; a < end; a += line) asm volatile("dc civac, %0" ::"r"(a) : "memory");
    dsb(sy);
}

u64 this_hw_id() {
    u64 m = read_sysreg(mpidr_el1);
    return (m & 0xffffff) | ((m >> 32) & 0xff) << 32;
}

bool in_ram(const kernel::Platform_info& info, u64 pa) {
    for (u32 i = 0; i < info.ram_count; ++i)
        if (pa >= info.ram[i].base && pa - info.ram[i].base + 8 <= info.ram[i].size) return true;
    return false;
}

const char* method_name(kernel::Cpu_enable e, kernel::Psci_conduit conduit) {
    if (e == kernel::Cpu_enable::Spin_table) return "spin table";
    return conduit == kernel::Psci_conduit::Smc ? "PSCI CPU_ON (smc)" : "PSCI CPU_ON (hvc)";
}

// Releases the CPU described by c towards secondary_entry; false (after
// saying why) if that cannot even be tried.
bool release(const kernel::Platform_info& info, const kernel::Fdt_devices& dev, const kernel::Fdt_cpu& c,
             kernel::Cpu_enable how, u32 index) {
    u64 entry = arm64::image_pa(reinterpret_cast<void*>(&secondary_entry));
    if (how == kernel::Cpu_enable::Psci) {
        i64 r = psci_call(dev.psci, psci_cpu_on, c.hw_id, entry, index);
        if (r == 0) return true;
        kernel::kprint("arm64: cpu %u (MPIDR %#llx): PSCI CPU_ON failed: %s (%lld); left out\n", index,
                       (unsigned long long)c.hw_id, psci_error(r), (long long)r);
        return false;
    }
    if (c.release_addr == 0 || !in_ram(info, c.release_addr)) {
        kernel::kprint("arm64: cpu %u (MPIDR %#llx): cpu-release-addr %#llx is not in RAM; left out\n", index,
                       (unsigned long long)c.hw_id, (unsigned long long)c.release_addr);
        return false;
    }
    auto* slot = reinterpret_cast<volatile u64*>(arm64::physmap(c.release_addr));
    *slot = entry;
    clean_to_poc(const_cast<const u64*>(slot), 8);
    asm volatile("sev" ::: "memory");
    return true;
}

// Waits at most `limit` counter ticks while cpus[i] is starting; returns
// its state.
u32 wait_while_starting(u32 i, u64 limit) {
    u64 start = read_sysreg(cntpct_el0);
    u32 s;
    while ((s = __atomic_load_n(&state[i], __ATOMIC_ACQUIRE)) == Starting) {
        isb();
        if (read_sysreg(cntpct_el0) - start > limit) break;
        asm volatile("yield");
    }
    return s;
}

}  // namespace

extern "C" {
alignas(64) Secondary_boot arm64_secondary_boot;
[[noreturn]] void arm64_secondary_main();
}

namespace {

[[noreturn]] void park() {
    for (;;) asm volatile("msr daifset, #0xf; wfi" ::: "memory");
}

}  // namespace

// On the secondary, at the link address, on its own stack (start.S).
void arm64_secondary_main() {
    kernel::Per_cpu* cpu = arm64_secondary_boot.cpu;
    write_sysreg(tpidr_el1, cpu);
    // Leave the early identity map: TTBR0 gets the empty table, as on the boot CPU.
    write_sysreg(ttbr0_el1, arm64::empty_user_root);
    isb();
    asm volatile("tlbi vmalle1; dsb nsh; isb" ::: "memory");
    // No timer interrupts yet; EL0 may read the counters, as on the boot CPU.
    write_sysreg(cntp_ctl_el0, 0);
    write_sysreg(cntkctl_el1, 0x3);
    isb();
    arm64::enable_cycle_counter();
    u32 i = cpu->cpu_id;
    auto gic = arm64::gic_init_secondary();
    if (!gic) {
        kernel::kprint("arm64: cpu %u (MPIDR %#llx): %s (detail %#llx); left out\n", i,
                       (unsigned long long)cpu->arch.hw_id, arm64::describe(gic.error()),
                       (unsigned long long)gic.detail());
        __atomic_store_n(&state[i], u32(Failed), __ATOMIC_RELEASE);
        park();
    }
    kernel::kprint("arm64: cpu %u online (MPIDR %#llx)\n", i, (unsigned long long)cpu->arch.hw_id);
    __atomic_store_n(&state[i], u32(Online), __ATOMIC_RELEASE);
    kernel::secondary_main();
}

u32 arm64::start_secondary_cpus(const kernel::Platform_info& info, const kernel::Fdt_devices& dev) {
    using kernel::Cpu_enable;
    u64 self = this_hw_id();
    kernel::cpus[0].arch.hw_id = self;
    kernel::kprint("arm64: cpu 0 online (MPIDR %#llx)\n", (unsigned long long)self);
    u64 freq = read_sysreg(cntfrq_el0);
    u32 online = 1;
    for (u32 n = 0; n < dev.cpu_count; ++n) {
        const kernel::Fdt_cpu& c = dev.cpus[n];
        if (c.hw_id == self) continue;
        if (online == kernel::max_cpus) {
            kernel::kprint("arm64: MPIDR %#llx left out: the kernel supports %u CPUs\n", (unsigned long long)c.hw_id,
                           kernel::max_cpus);
            continue;
        }
        Cpu_enable how = c.enable;
        if (how == Cpu_enable::None && dev.psci != kernel::Psci_conduit::None) how = Cpu_enable::Psci;
        if (how == Cpu_enable::Psci && dev.psci == kernel::Psci_conduit::None) how = Cpu_enable::None;
        if (how == Cpu_enable::None) {
            kernel::kprint("arm64: MPIDR %#llx: no usable enable-method; left out\n", (unsigned long long)c.hw_id);
            continue;
        }

        u32 i = online;
        kernel::Per_cpu& cpu = kernel::cpus[i];
        cpu.self = &cpu;
        cpu.kernel_stack_top = reinterpret_cast<u64>(stacks[i] + stack_size);
        cpu.cpu_id = i;
        cpu.arch.hw_id = c.hw_id;
        __atomic_store_n(&state[i], u32(Starting), __ATOMIC_RELAXED);
        arm64_secondary_boot = {kernel_root, cpu.kernel_stack_top, c.hw_id, &cpu};
        clean_to_poc(&arm64_secondary_boot, sizeof arm64_secondary_boot);

        if (!release(info, dev, c, how, i)) continue;
        u32 s = wait_while_starting(i, freq);
        if (s == Starting) {
            // Take the description back unless the CPU has just claimed it
            // (start.S); then it is past the point of no return and gets
            // another second.
            u64 expected = c.hw_id;
            if (!__atomic_compare_exchange_n(&arm64_secondary_boot.hw_id, &expected, ~u64(0), false,
                                             __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                s = wait_while_starting(i, freq);
                if (s == Starting) {
                    // It holds stacks[i] and cpus[i]: no later CPU may get them.
                    kernel::kprint("arm64: cpu %u (MPIDR %#llx) started but did not finish; "
                                   "no further CPUs started\n", i, (unsigned long long)c.hw_id);
                    break;
                }
            } else {
                clean_to_poc(&arm64_secondary_boot, sizeof arm64_secondary_boot);
                kernel::kprint("arm64: cpu %u (MPIDR %#llx) did not come up within 1 s (%s); left out\n", i,
                               (unsigned long long)c.hw_id, method_name(how, dev.psci));
            }
        }
        // A CPU that failed after coming up is parked for good; the next
        // CPU reuses index i.
        if (s == Online) ++online;
    }
    return online;
}
