// ACPI table discovery: RSDP, RSDT/XSDT and the MADT [ACPI 6.5 ch. 5].
//
// Everything here is hostile input: signatures, lengths and checksums are
// validated before a table is used, every read is bounds-checked against
// the table's own length, and table memory is reached only through a
// Phys_reader, so the same code runs on the host against fake memory.
#pragma once

#include "numa.hpp"
#include "result.hpp"
#include "types.hpp"

namespace kernel {

// Reaches physical memory. map(ctx, pa, len) returns a pointer through
// which the bytes [pa, pa+len) can be read, or nullptr when any of them
// is out of reach. The bytes need not be aligned.
struct Phys_reader {
    const u8* (*map)(void* ctx, u64 pa, u64 len) = nullptr;
    void* ctx = nullptr;

    const u8* read(u64 pa, u64 len) const {
        u64 end;
        if (!map || len == 0 || !range_end(pa, len, end)) return nullptr;
        return map(ctx, pa, len);
    }
};

// Little-endian loads from possibly unaligned bytes.
inline u16 load_le16(const u8* p) { return u16(p[0] | (p[1] << 8)); }
inline u32 load_le32(const u8* p) { return u32(p[0]) | u32(p[1]) << 8 | u32(p[2]) << 16 | u32(p[3]) << 24; }
inline u64 load_le64(const u8* p) { return u64(load_le32(p)) | u64(load_le32(p + 4)) << 32; }

enum class Acpi_error : u32 {
    No_rsdp,                 // nothing in the BIOS areas carries a valid RSDP
    Rsdp_truncated,          // detail: bytes available
    Rsdp_bad_signature,
    Rsdp_bad_checksum,       // the ACPI 1.0 checksum over the first 20 bytes
    Rsdp_bad_length,         // detail: the RSDP's length field
    Rsdp_bad_ext_checksum,   // the ACPI 2.0 checksum over the whole RSDP
    No_root_table,           // neither an RSDT nor an XSDT address
    Unreadable,              // detail: physical address out of reach
    Bad_signature,           // detail: physical address of the table
    Bad_length,              // detail: the table's length field
    Bad_checksum,            // detail: physical address of the table
    Bad_root_entries,        // detail: RSDT/XSDT length (not whole entries)
    Table_not_found,         // detail: the signature, as a little-endian u32
    Madt_truncated,          // detail: MADT length
    Madt_bad_entry,          // detail: offset of the entry in the MADT
    Madt_no_enabled_cpu,
    Srat_truncated,          // detail: SRAT length
    Srat_bad_entry,          // detail: offset of the entry in the SRAT
    Slit_truncated,          // detail: SLIT length
    Slit_bad_size,           // detail: the number of localities
};
const char* describe(Acpi_error e);

struct Rsdp_info {
    u8 revision = 0;   // 0: ACPI 1.0 (RSDT only); 2 or later: XSDT too
    u64 rsdt = 0;      // physical addresses; 0 if absent
    u64 xsdt = 0;
    char oem_id[7] = {};
};

// Validates an RSDP held in [p, p+size): a copy (Multiboot2 tags 14 and
// 15) or mapped memory [ACPI 6.5 5.2.5.3].
Result<Rsdp_info, Acpi_error> parse_rsdp(const u8* p, u64 size);

// The PC BIOS search: the first KiB of the EBDA (whose segment is the
// word at 0x40e), then 0xe0000-0xfffff, on 16-byte boundaries
// [ACPI 6.5 5.2.5.1]. Returns the physical address of a valid RSDP.
Result<u64, Acpi_error> find_rsdp_bios(const Phys_reader& mem);
// Validates the RSDP at physical address pa.
Result<Rsdp_info, Acpi_error> read_rsdp(const Phys_reader& mem, u64 pa);

// Finds the table with signature sig (4 characters) through the XSDT (or
// the RSDT for ACPI 1.0, or when the XSDT is broken), and returns its
// physical address after validating its header, length and checksum.
Result<u64, Acpi_error> find_table(const Phys_reader& mem, const Rsdp_info& rsdp, const char* sig);

// What the kernel wants from the MADT [ACPI 6.5 5.2.12].
struct Madt_info {
    static constexpr u32 max_cpus = 64;
    static constexpr u32 max_ioapics = 16;
    static constexpr u32 max_overrides = 16;
    struct Ioapic {
        u32 id, address, gsi_base;
    };
    // An ISA interrupt delivered on another GSI or with other polarity or
    // trigger mode than ISA's (active high, edge) [5.2.12.5].
    struct Override {
        u8 source;   // ISA IRQ
        u32 gsi;
        u16 flags;   // MPS INTI flags: bits 0-1 polarity, 2-3 trigger mode
    };

    u64 lapic_base = 0;      // the 32-bit field, or the 64-bit override (type 5)
    bool pcat_compat = false;  // dual 8259s present (flags bit 0)
    u32 cpu_count = 0;       // enabled local APICs and x2APICs
    u32 disabled_cpus = 0;   // present but not enabled (may be online-capable)
    u32 apic_ids[max_cpus] = {};  // of the first max_cpus enabled CPUs, in MADT order
    u32 ioapic_count = 0;    // all of them; ioapics[] holds the first max_ioapics
    Ioapic ioapics[max_ioapics] = {};
    u32 override_count = 0;  // of ISA (bus 0) sources, at most max_overrides
    Override overrides[max_overrides] = {};
};

// Parses a MADT held in [table, table+len) whose header was validated.
Result<Madt_info, Acpi_error> parse_madt(const u8* table, u64 len);

// find_table("APIC") + parse_madt.
Result<Madt_info, Acpi_error> read_madt(const Phys_reader& mem, const Rsdp_info& rsdp);

// The System Resource Affinity Table [ACPI 6.5 5.2.16]: processor local
// APIC and x2APIC affinity (types 0 and 2) and memory affinity (type 1)
// structures, added to `out`. Disabled entries are skipped; so are CPUs
// whose APIC id is not among present[0..present_count) (the MADT's), when
// present is given. Entries that are too short, name a node id out of
// range or overlap earlier memory are reported in out.problems and left
// out. An entry whose length leaves the table is an error: the table's
// structure cannot be trusted, and the caller drops what was added.
Status<Acpi_error> parse_srat(const u8* table, u64 len, Numa_topology& out, const u32* present = nullptr,
                              u32 present_count = 0);

// The System Locality Information Table [ACPI 6.5 5.2.17]: an N x N byte
// matrix of relative distances, row i for proximity domain i. Localities
// beyond max_numa_nodes are left out (reported); an invalid distance (a
// diagonal other than 10, an off-diagonal 10 or less) is reported and the
// whole table ignored, as Linux does.
Status<Acpi_error> parse_slit(const u8* table, u64 len, Numa_topology& out);

// find_table("SRAT") / ("SLIT") + the parsers.
Status<Acpi_error> read_srat(const Phys_reader& mem, const Rsdp_info& rsdp, Numa_topology& out,
                             const u32* present = nullptr, u32 present_count = 0);
Status<Acpi_error> read_slit(const Phys_reader& mem, const Rsdp_info& rsdp, Numa_topology& out);

}  // namespace kernel
