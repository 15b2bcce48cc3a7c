// Multiboot 1 and Multiboot 2 boot information -> kernel::Platform_info.
//
// [MB1] Multiboot Specification 0.6.96, 3.3 "Boot information format".
// [MB2] Multiboot2 Specification 2.0, 3.6 "Boot information format".
// The information is hostile input: every length is checked against the
// structure that contains it and every physical pointer is reached through
// a Phys_reader, so a malformed blob yields an error value, never a wild
// read or an endless loop.
#pragma once

#include "acpi.hpp"
#include "platform.hpp"
#include "result.hpp"
#include "types.hpp"

namespace kernel {

constexpr u32 multiboot1_boot_magic = 0x2badb002;  // in eax at entry [MB1 3.2]
constexpr u32 multiboot2_boot_magic = 0x36d76289;  // in eax at entry [MB2 3.3]

enum class Multiboot_error : u32 {
    Bad_magic,            // detail: the value in eax
    Unreadable,           // detail: physical address out of reach
    Bad_total_size,       // detail: MB2 total_size
    Tag_overrun,          // detail: offset of a tag whose size runs past total_size
    Tag_too_small,        // detail: offset of a tag smaller than its fixed fields
    No_end_tag,
    No_memory_map,
    Bad_mmap_entry_size,  // detail: the entry size
    Mmap_overrun,         // detail: offset of an entry running past the map
    Bad_mmap_range,       // detail: base of a range that wraps around
    Too_many_ram_ranges,  // detail: Platform_info::max_ram
    Too_many_reserved,    // detail: Platform_info::max_reserved
    Bad_module,           // detail: index of a module that ends before it starts
    Empty_root_task,      // the first module has no bytes
    No_root_task_module,
    Bad_acpi_tag,         // detail: size of an RSDP tag too small for an RSDP
};
const char* describe(Multiboot_error e);

// What x86 needs beyond Platform_info.
struct Multiboot_extra {
    static constexpr u32 max_rsdp = 36;
    u32 version = 0;            // 1 or 2
    u8 rsdp[max_rsdp] = {};     // MB2 tag 15 (preferred) or 14: a copy of the RSDP
    u32 rsdp_size = 0;          // 0: no tag; find the RSDP by scanning the BIOS areas
    u32 module_count = 0;
    char loader_name[32] = {};  // "" if the loader gave none
};

// Fills out.ram (type 1 ranges only), out.reserved (the boot information
// and every module but the first), out.root_task (the first module),
// out.cmdline and out.machine_model from the information at info_pa.
Status<Multiboot_error> parse_multiboot(u32 magic, u64 info_pa, const Phys_reader& mem, Platform_info& out,
                                        Multiboot_extra& extra);
Status<Multiboot_error> parse_multiboot1(u64 info_pa, const Phys_reader& mem, Platform_info& out,
                                         Multiboot_extra& extra);
Status<Multiboot_error> parse_multiboot2(u64 info_pa, const Phys_reader& mem, Platform_info& out,
                                         Multiboot_extra& extra);

}  // namespace kernel
