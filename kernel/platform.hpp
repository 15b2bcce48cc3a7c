// What an arch port discovers at boot (from the device tree, Multiboot or
// ACPI) and hands to the portable core in kernel::boot_main().
#pragma once

#include "numa.hpp"
#include "types.hpp"

namespace kernel {

struct Mem_range {
    u64 base;
    u64 size;
    u64 end() const { return base + size; }
};

enum class Reserved_kind : u32 { Kernel, Boot_data, Root_task, Firmware, Device };

struct Reserved_range {
    Mem_range range;
    Reserved_kind kind;
};

struct Platform_info {
    static constexpr u32 max_ram = 32;
    static constexpr u32 max_reserved = 32;
    static constexpr u32 max_cmdline = 256;

    const char* platform_name = "";  // "qemu-virt-arm64", "rpi4", "pc-x86_64"
    const char* machine_model = "";  // from the DT "model" or "PC (Multiboot2)"
    u32 cpu_count = 1;
    // The CPU's physical address width (arm64 ID_AA64MMFR0_EL1.PARange,
    // x86 CPUID 0x80000008); 0: unknown. Device untyped memory covers what
    // of [0, 2^paddr_bits) is neither RAM nor reserved.
    u32 paddr_bits = 0;

    Mem_range ram[max_ram] = {};     // usable RAM as the loader describes it
    u32 ram_count = 0;
    // The NUMA node of each ram[] entry, set by numa_apply() (which splits
    // ranges that cross nodes); the topology the firmware described.
    u32 ram_node[max_ram] = {};
    Numa_topology numa;
    // Must not be handed out: RAM the kernel, firmware or boot data hold,
    // and (kind Device) the devices the kernel drives itself.
    Reserved_range reserved[max_reserved] = {};
    u32 reserved_count = 0;

    Mem_range root_task = {};        // physical location of the root-task ELF
    char cmdline[max_cmdline] = {};  // kernel command line ("" if none)

    bool add_ram(u64 base, u64 size) {
        if (ram_count == max_ram || size == 0) return false;
        ram_node[ram_count] = 0;
        ram[ram_count++] = {base, size};
        return true;
    }
    bool add_reserved(u64 base, u64 size, Reserved_kind kind) {
        if (reserved_count == max_reserved || size == 0) return false;
        reserved[reserved_count++] = {{base, size}, kind};
        return true;
    }
};

}  // namespace kernel
