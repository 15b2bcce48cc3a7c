// ACPI table discovery: RSDP, RSDT/XSDT and the MADT [ACPI 6.5 ch. 5].
#include "acpi.hpp"

namespace kernel {
namespace {

constexpr u64 rsdp_v1_size = 20;       // through RsdtAddress
constexpr u64 rsdp_v2_size = 36;       // through the reserved bytes
constexpr u64 rsdp_max_size = 4096;    // sanity bound on the Length field
constexpr u64 header_size = 36;        // the common description header [5.2.6]
constexpr u64 max_table_size = 16 * MiB;  // no table the kernel reads is near this
constexpr u64 madt_entries = 44;       // header + LAPIC address + flags [5.2.12]

bool sum_is_zero(const u8* p, u64 n) {
    u8 sum = 0;
    for (u64 i = 0; i < n; ++i) sum = u8(sum + p[i]);
    return sum == 0;
}

bool same_signature(const u8* p, const char* sig) {
    for (int i = 0; i < 4; ++i)
        if (p[i] != u8(sig[i])) return false;
    return true;
}

u32 signature_value(const char* sig) {
    return u32(u8(sig[0])) | u32(u8(sig[1])) << 8 | u32(u8(sig[2])) << 16 | u32(u8(sig[3])) << 24;
}

// Validates the table at pa: readable header, sane length, whole table
// readable, bytes sum to zero. Returns its length.
Result<u64, Acpi_error> check_table(const Phys_reader& mem, u64 pa, const char* sig) {
    const u8* h = mem.read(pa, header_size);
    if (!h) return fail(Acpi_error::Unreadable, pa);
    if (!same_signature(h, sig)) return fail(Acpi_error::Bad_signature, pa);
    u64 len = load_le32(h + 4);
    if (len < header_size || len > max_table_size) return fail(Acpi_error::Bad_length, len);
    const u8* t = mem.read(pa, len);
    if (!t) return fail(Acpi_error::Unreadable, pa);
    if (!sum_is_zero(t, len)) return fail(Acpi_error::Bad_checksum, pa);
    return len;
}

// Looks sig up in one root table (RSDT: 4-byte entries, XSDT: 8-byte).
Result<u64, Acpi_error> search_root(const Phys_reader& mem, u64 root_pa, bool xsdt, const char* sig) {
    TRY_ASSIGN(len, check_table(mem, root_pa, xsdt ? "XSDT" : "RSDT"));
    u64 entry_size = xsdt ? 8 : 4;
    if ((len - header_size) % entry_size != 0) return fail(Acpi_error::Bad_root_entries, len);
    const u8* root = mem.read(root_pa, len);
    if (!root) return fail(Acpi_error::Unreadable, root_pa);
    for (u64 off = header_size; off + entry_size <= len; off += entry_size) {
        u64 pa = xsdt ? load_le64(root + off) : load_le32(root + off);
        if (pa == 0) continue;
        // Entries for other tables are not validated: a broken table the
        // kernel does not use must not hide the ones it does.
        const u8* h = mem.read(pa, 4);
        if (!h || !same_signature(h, sig)) continue;
        TRY(check_table(mem, pa, sig));
        return pa;
    }
    return fail(Acpi_error::Table_not_found, signature_value(sig));
}

}  // namespace

const char* describe(Acpi_error e) {
    switch (e) {
    case Acpi_error::No_rsdp: return "no ACPI RSDP found";
    case Acpi_error::Rsdp_truncated: return "RSDP truncated";
    case Acpi_error::Rsdp_bad_signature: return "RSDP signature is not \"RSD PTR \"";
    case Acpi_error::Rsdp_bad_checksum: return "RSDP checksum mismatch";
    case Acpi_error::Rsdp_bad_length: return "RSDP length field out of range";
    case Acpi_error::Rsdp_bad_ext_checksum: return "RSDP extended checksum mismatch";
    case Acpi_error::No_root_table: return "RSDP names neither an RSDT nor an XSDT";
    case Acpi_error::Unreadable: return "ACPI table outside readable memory";
    case Acpi_error::Bad_signature: return "ACPI table signature mismatch";
    case Acpi_error::Bad_length: return "ACPI table length out of range";
    case Acpi_error::Bad_checksum: return "ACPI table checksum mismatch";
    case Acpi_error::Bad_root_entries: return "RSDT/XSDT length is not a whole number of entries";
    case Acpi_error::Table_not_found: return "ACPI table not found";
    case Acpi_error::Madt_truncated: return "MADT shorter than its fixed fields";
    case Acpi_error::Madt_bad_entry: return "MADT entry length invalid or past the table's end";
    case Acpi_error::Madt_no_enabled_cpu: return "MADT lists no enabled CPU";
    case Acpi_error::Srat_truncated: return "SRAT shorter than its fixed fields";
    case Acpi_error::Srat_bad_entry: return "SRAT entry length invalid or past the table's end";
    case Acpi_error::Slit_truncated: return "SLIT shorter than its distance matrix";
    case Acpi_error::Slit_bad_size: return "SLIT locality count out of range";
    }
    return "unknown ACPI error";
}

Result<Rsdp_info, Acpi_error> parse_rsdp(const u8* p, u64 size) {
    if (!p || size < rsdp_v1_size) return fail(Acpi_error::Rsdp_truncated, size);
    if (!same_signature(p, "RSD ") || !same_signature(p + 4, "PTR ")) return fail(Acpi_error::Rsdp_bad_signature);
    if (!sum_is_zero(p, rsdp_v1_size)) return fail(Acpi_error::Rsdp_bad_checksum);
    Rsdp_info info;
    for (int i = 0; i < 6; ++i) info.oem_id[i] = char(p[9 + i]);
    info.revision = p[15];
    info.rsdt = load_le32(p + 16);
    if (info.revision >= 2) {
        if (size < rsdp_v2_size) return fail(Acpi_error::Rsdp_truncated, size);
        u64 len = load_le32(p + 20);
        if (len < rsdp_v2_size || len > size) return fail(Acpi_error::Rsdp_bad_length, len);
        if (!sum_is_zero(p, len)) return fail(Acpi_error::Rsdp_bad_ext_checksum);
        info.xsdt = load_le64(p + 24);
    }
    if (info.rsdt == 0 && info.xsdt == 0) return fail(Acpi_error::No_root_table);
    return info;
}

Result<Rsdp_info, Acpi_error> read_rsdp(const Phys_reader& mem, u64 pa) {
    const u8* p = mem.read(pa, rsdp_v1_size);
    if (!p) return fail(Acpi_error::Unreadable, pa);
    u64 size = rsdp_v1_size;
    if (p[15] >= 2) {
        const u8* v2 = mem.read(pa, rsdp_v2_size);
        if (!v2) return fail(Acpi_error::Unreadable, pa);
        size = load_le32(v2 + 20);
        if (size < rsdp_v2_size || size > rsdp_max_size) return fail(Acpi_error::Rsdp_bad_length, size);
        p = mem.read(pa, size);
        if (!p) return fail(Acpi_error::Unreadable, pa);
    }
    return parse_rsdp(p, size);
}

Result<u64, Acpi_error> find_rsdp_bios(const Phys_reader& mem) {
    struct Area {
        u64 base, size;
    } areas[2] = {{0, 0}, {0xe0000, 0x20000}};
    // The EBDA segment lives in the BIOS data area; trust it only if it
    // points into conventional memory below the video area.
    if (const u8* bda = mem.read(0x40e, 2)) {
        u64 ebda = u64(load_le16(bda)) << 4;
        if (ebda >= 0x80000 && ebda < 0xa0000) areas[0] = {ebda, 1024};
    }
    for (const Area& area : areas) {
        for (u64 off = 0; off + rsdp_v1_size <= area.size; off += 16) {
            u64 pa = area.base + off;
            const u8* p = mem.read(pa, 8);
            if (!p || !same_signature(p, "RSD ") || !same_signature(p + 4, "PTR ")) continue;
            if (read_rsdp(mem, pa)) return pa;
        }
    }
    return fail(Acpi_error::No_rsdp);
}

Result<u64, Acpi_error> find_table(const Phys_reader& mem, const Rsdp_info& rsdp, const char* sig) {
    if (rsdp.revision >= 2 && rsdp.xsdt != 0) {
        auto r = search_root(mem, rsdp.xsdt, true, sig);
        // A broken XSDT falls back to the RSDT when there is one.
        if (r || rsdp.rsdt == 0) return r;
        auto fallback = search_root(mem, rsdp.rsdt, false, sig);
        return fallback ? fallback : r;
    }
    if (rsdp.rsdt == 0) return fail(Acpi_error::No_root_table);
    return search_root(mem, rsdp.rsdt, false, sig);
}

Result<Madt_info, Acpi_error> parse_madt(const u8* t, u64 len) {
    if (len < madt_entries) return fail(Acpi_error::Madt_truncated, len);
    Madt_info m;
    m.lapic_base = load_le32(t + 36);
    m.pcat_compat = (load_le32(t + 40) & 1) != 0;
    for (u64 off = madt_entries; off < len;) {
        // Each entry starts with its type and its total length.
        if (len - off < 2) return fail(Acpi_error::Madt_bad_entry, off);
        u8 type = t[off], elen = t[off + 1];
        if (elen < 2 || elen > len - off) return fail(Acpi_error::Madt_bad_entry, off);
        const u8* e = t + off;
        u64 need = 0;
        switch (type) {
        case 0: need = 8; break;    // processor local APIC [5.2.12.2]
        case 1: need = 12; break;   // I/O APIC [5.2.12.3]
        case 2: need = 10; break;   // interrupt source override [5.2.12.5]
        case 5: need = 12; break;   // local APIC address override [5.2.12.8]
        case 9: need = 16; break;   // processor local x2APIC [5.2.12.12]
        default: break;             // others are skipped by their length
        }
        if (elen < need) return fail(Acpi_error::Madt_bad_entry, off);
        u32 flags = 0, id = 0;
        bool cpu = false;
        switch (type) {
        case 0:
            id = e[3];
            flags = load_le32(e + 4);
            cpu = true;
            break;
        case 9:
            id = load_le32(e + 4);
            flags = load_le32(e + 8);
            cpu = true;
            break;
        case 1:
            if (m.ioapic_count < Madt_info::max_ioapics)
                m.ioapics[m.ioapic_count] = {e[2], load_le32(e + 4), load_le32(e + 8)};
            ++m.ioapic_count;
            break;
        case 2:
            // Bus 0 is ISA, the only bus the specification defines.
            if (e[2] == 0 && m.override_count < Madt_info::max_overrides)
                m.overrides[m.override_count++] = {e[3], load_le32(e + 4), load_le16(e + 8)};
            break;
        case 5:
            m.lapic_base = load_le64(e + 4);
            break;
        default:
            break;
        }
        if (cpu) {
            // Bit 0: enabled. A disabled entry may be online-capable
            // (bit 1) but is not running now.
            if (flags & 1) {
                if (m.cpu_count < Madt_info::max_cpus) m.apic_ids[m.cpu_count] = id;
                ++m.cpu_count;
            } else {
                ++m.disabled_cpus;
            }
        }
        off += elen;
    }
    if (m.cpu_count == 0) return fail(Acpi_error::Madt_no_enabled_cpu);
    return m;
}

namespace {

// A validated table's bytes (find_table checked header, length, checksum).
struct Table {
    const u8* data;
    u64 len;
};

Result<Table, Acpi_error> map_table(const Phys_reader& mem, const Rsdp_info& rsdp, const char* sig) {
    TRY_ASSIGN(pa, find_table(mem, rsdp, sig));
    const u8* h = mem.read(pa, header_size);
    if (!h) return fail(Acpi_error::Unreadable, pa);
    u64 len = load_le32(h + 4);
    const u8* t = mem.read(pa, len);
    if (!t) return fail(Acpi_error::Unreadable, pa);
    return Table{t, len};
}

constexpr u64 srat_entries = 48;  // header + reserved u32 (1) + reserved u64 [5.2.16]
constexpr u64 slit_matrix = 44;   // header + Number of System Localities (u64) [5.2.17]
constexpr u64 slit_max_localities = 256;  // sanity bound before N * N

bool listed(const u32* ids, u32 count, u32 id) {
    for (u32 i = 0; i < count; ++i)
        if (ids[i] == id) return true;
    return false;
}

}  // namespace

Result<Madt_info, Acpi_error> read_madt(const Phys_reader& mem, const Rsdp_info& rsdp) {
    TRY_ASSIGN(t, map_table(mem, rsdp, "APIC"));
    return parse_madt(t.data, t.len);
}

Status<Acpi_error> parse_srat(const u8* t, u64 len, Numa_topology& out, const u32* present, u32 present_count) {
    if (len < srat_entries) return fail(Acpi_error::Srat_truncated, len);
    for (u64 off = srat_entries; off < len;) {
        if (len - off < 2) return fail(Acpi_error::Srat_bad_entry, off);
        u8 type = t[off], elen = t[off + 1];
        if (elen < 2 || elen > len - off) return fail(Acpi_error::Srat_bad_entry, off);
        const u8* e = t + off;
        u64 need = type == 0 ? 16 : type == 1 ? 40 : type == 2 ? 24 : 0;
        if (elen < need) {
            out.report(Numa_problem::Bad_entry, off);
        } else if (type == 0 || type == 2) {
            // Processor local APIC affinity [5.2.16.1]: domain bits 7:0 at
            // 2, 31:8 at 9-11, APIC id at 3, flags at 4. x2APIC affinity
            // [5.2.16.3]: domain at 4, x2APIC id at 8, flags at 12.
            u32 node = type == 0 ? u32(e[2]) | u32(e[9]) << 8 | u32(e[10]) << 16 | u32(e[11]) << 24 : load_le32(e + 4);
            u32 id = type == 0 ? e[3] : load_le32(e + 8);
            u32 flags = load_le32(e + (type == 0 ? 4 : 12));
            bool wanted = (flags & 1) && (!present || listed(present, present_count, id));
            if (wanted && out.node_ok(node, off)) out.add_cpu(id, node);
        } else if (type == 1) {
            // Memory affinity [5.2.16.2]: domain at 2, base at 8, length at
            // 16, flags at 28 (bit 0 enabled).
            u32 node = load_le32(e + 2);
            u64 base = load_le64(e + 8), size = load_le64(e + 16);
            u32 flags = load_le32(e + 28);
            if ((flags & 1) && size != 0 && out.node_ok(node, off)) out.add_mem(base, size, node);
        }
        // Other types (GICC, GIC ITS, generic initiators) are skipped by length.
        off += elen;
    }
    return {};
}

Status<Acpi_error> parse_slit(const u8* t, u64 len, Numa_topology& out) {
    if (len < slit_matrix) return fail(Acpi_error::Slit_truncated, len);
    u64 n = load_le64(t + 36);
    if (n == 0 || n > slit_max_localities) return fail(Acpi_error::Slit_bad_size, n);
    if (len - slit_matrix < n * n) return fail(Acpi_error::Slit_truncated, len);
    u64 used = n;
    if (n > max_numa_nodes) {
        out.report(Numa_problem::Too_many_entries, max_numa_nodes);
        used = max_numa_nodes;
    }
    for (u32 i = 0; i < used; ++i)
        for (u32 j = 0; j < used; ++j)
            if (!out.set_distance(i, j, t[slit_matrix + i * n + j])) {
                out.clear_distances();
                return {};
            }
    return {};
}

Status<Acpi_error> read_srat(const Phys_reader& mem, const Rsdp_info& rsdp, Numa_topology& out, const u32* present,
                             u32 present_count) {
    TRY_ASSIGN(t, map_table(mem, rsdp, "SRAT"));
    return parse_srat(t.data, t.len, out, present, present_count);
}

Status<Acpi_error> read_slit(const Phys_reader& mem, const Rsdp_info& rsdp, Numa_topology& out) {
    TRY_ASSIGN(t, map_table(mem, rsdp, "SLIT"));
    return parse_slit(t.data, t.len, out);
}

}  // namespace kernel
