// Flattened device tree (DTB) parser: validation and platform extraction.
//
// The blob is whatever the boot loader handed over, so every read is
// checked against the blob's own sizes, which are themselves checked
// against the buffer the caller can vouch for. All multi-byte values in a
// DTB are big-endian and are read byte by byte, so neither the blob's
// alignment nor the host's byte order matters [Devicetree Spec v0.4, 5].
//
// Portable: no arch includes. The arm64 port calls fdt_parse() at boot;
// the host unit tests call it on fixture trees and on corrupted blobs.
#pragma once

#include "platform.hpp"
#include "result.hpp"
#include "types.hpp"

namespace kernel {

enum class Fdt_error : u32 {
    Truncated,               // detail: bytes available (fewer than a header)
    Misaligned,              // detail: the blob address (must be 8-byte aligned)
    Bad_magic,               // detail: the magic found
    Bad_version,             // detail: version (need >= 16, last_comp_version <= 17)
    Bad_total_size,          // detail: totalsize (beyond the buffer or below a header)
    Bad_block,               // detail: offset of a block outside totalsize or misaligned
    Bad_token,               // detail: offset of the unknown token
    Unterminated_name,       // detail: offset of the node
    Property_past_end,       // detail: offset of the property
    Bad_string_offset,       // detail: the property's nameoff
    Bad_nesting,             // detail: offset (unbalanced nodes, property after a subnode, ...)
    Too_deep,                // detail: offset of the node beyond the depth limit
    No_end,                  // detail: offset where FDT_END was expected
    Bad_memreserve,          // detail: offset of the unterminated reservation block
    Bad_property,            // detail: offset of a property whose value is malformed
    Bad_cells,               // detail: the unsupported #address-cells / #size-cells value
    Untranslatable,          // detail: the bus address no parent `ranges` entry covers
    Too_many_ranges,         // detail: the Platform_info capacity that was exceeded
    No_memory,               // no /memory node with a non-empty reg
    No_uart,                 // no enabled arm,pl011
    No_interrupt_controller, // no enabled GICv2 or GICv3
};
const char* describe(Fdt_error e);

// A validated view of a DTB. open() walks the whole structure block once,
// so the walks that follow only meet well-formed tokens (they still check).
class Fdt {
public:
    static constexpr u32 max_depth = 16;

    // `avail` is how many bytes at `blob` may be read; totalsize must fit.
    static Result<Fdt, Fdt_error> open(const u8* blob, u64 avail);

    const u8* blob() const { return blob_; }
    u32 total_size() const { return total_; }
    u32 version() const { return version_; }
    u32 boot_cpu() const { return boot_cpu_; }

private:
    friend class Fdt_walker;
    const u8* blob_ = nullptr;
    u32 total_ = 0, version_ = 0, boot_cpu_ = 0;
    u32 struct_off_ = 0, struct_size_ = 0;
    u32 strings_off_ = 0, strings_size_ = 0;
    u32 rsv_off_ = 0;
};

// Device facts only the arm64 port needs. Physical addresses, already
// translated through every parent bus's `ranges`.
struct Mmio_range {
    u64 base = 0;
    u64 size = 0;
};

enum class Gic_version : u8 { None, V2, V3 };
enum class Psci_conduit : u8 { None, Hvc, Smc };

// How a CPU node says it is started: its enable-method property.
enum class Cpu_enable : u8 { None, Psci, Spin_table };

// One enabled /cpus/cpu@N node, in device-tree order.
struct Fdt_cpu {
    u64 hw_id = 0;          // reg: the MPIDR affinity fields (Aff3 in bits 39:32)
    Cpu_enable enable = Cpu_enable::None;
    u64 release_addr = 0;   // cpu-release-addr (spin table); 0: none
};

struct Fdt_devices {
    Mmio_range uart;                 // the PL011 console
    bool uart_is_stdout = false;     // /chosen/stdout-path named it
    u32 uart_intid = 0;              // its interrupt as a GIC INTID; 0: not described
    Gic_version gic = Gic_version::None;
    Mmio_range gic_dist;             // GICD (both versions)
    Mmio_range gic_cpu;              // GICC (GICv2)
    Mmio_range gic_redist;           // first GICR region (GICv3)
    // Generic timer interrupts as GIC INTIDs; the defaults are the
    // architected PPIs 14 and 11 [ARM BSA, Table 3].
    u32 timer_phys_intid = 30;       // EL1 physical timer
    u32 timer_virt_intid = 27;       // EL1 virtual timer
    bool timer_from_dt = false;
    Psci_conduit psci = Psci_conduit::None;
    Mmio_range power;                // BCM2835/2711 power manager + watchdog
    u64 initrd_start = 0, initrd_end = 0;
    u32 boot_cpu = 0;                // boot_cpuid_phys from the header
    static constexpr u32 max_cpus = 16;
    Fdt_cpu cpus[max_cpus];          // the first max_cpus enabled CPU nodes
    u32 cpu_count = 0;               // entries of cpus
    char model[64] = {};
};

// Validates `blob` (loaded at physical address blob_pa; `avail` readable
// bytes) and fills `info` (RAM, reserved ranges including the DTB itself,
// cmdline, cpu count, model, root task from the initrd if there is one)
// and `dev`. info.machine_model is pointed at dev.model, so `dev` must
// outlive `info`'s use. A tree lacking memory, a PL011 or a GIC fails with
// the error naming what is missing.
Status<Fdt_error> fdt_parse(const u8* blob, u64 avail, u64 blob_pa, Platform_info& info, Fdt_devices& dev);

}  // namespace kernel
