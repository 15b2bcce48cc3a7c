// ACPI discovery (kernel/acpi.cpp): RSDP, RSDT/XSDT and MADT built in fake
// physical memory, with correct and with broken checksums and lengths.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "acpi.hpp"
#include "fake_phys.hpp"
#include "numa_check.hpp"

using namespace kernel;

namespace {

void put32(std::vector<u8>& v, u64 off, u32 x) { std::memcpy(&v[off], &x, 4); }
void put64(std::vector<u8>& v, u64 off, u64 x) { std::memcpy(&v[off], &x, 8); }

u8 checksum_byte(const std::vector<u8>& v, u64 n) {
    u8 sum = 0;
    for (u64 i = 0; i < n; ++i) sum = u8(sum + v[i]);
    return u8(-sum);
}

// RSDP [ACPI 6.5 5.2.5.3]: checksum at 8 (first 20 bytes), extended at 32.
std::vector<u8> make_rsdp(u8 revision, u32 rsdt, u64 xsdt) {
    std::vector<u8> v(revision >= 2 ? 36 : 20, 0);
    std::memcpy(v.data(), "RSD PTR ", 8);
    std::memcpy(&v[9], "BATON ", 6);
    v[15] = revision;
    put32(v, 16, rsdt);
    if (revision >= 2) {
        put32(v, 20, 36);
        put64(v, 24, xsdt);
    }
    v[8] = checksum_byte(v, 20);
    if (revision >= 2) v[32] = checksum_byte(v, 36);
    return v;
}

// A table: 36-byte header, then body; checksum fixed last.
std::vector<u8> make_table(const char* sig, const std::vector<u8>& body) {
    std::vector<u8> v(36 + body.size(), 0);
    std::memcpy(v.data(), sig, 4);
    v[8] = 1;
    std::memcpy(&v[10], "BATON ", 6);
    for (size_t i = 0; i < body.size(); ++i) v[36 + i] = body[i];
    put32(v, 4, u32(v.size()));
    v[9] = 0;
    v[9] = checksum_byte(v, v.size());
    return v;
}

std::vector<u8> root_body(std::initializer_list<u64> entries, bool xsdt) {
    std::vector<u8> v;
    for (u64 e : entries)
        for (unsigned i = 0; i < (xsdt ? 8u : 4u); ++i) v.push_back(u8(e >> (8 * i)));
    return v;
}

// MADT body: LAPIC address, flags, entries.
struct Madt_builder {
    std::vector<u8> body = std::vector<u8>(8, 0);
    Madt_builder(u32 lapic = 0xfee00000, u32 flags = 1) {
        put32(body, 0, lapic);
        put32(body, 4, flags);
    }
    void raw(std::initializer_list<u8> bytes) { body.insert(body.end(), bytes); }
    void lapic(u8 uid, u8 id, u32 flags) {
        raw({0, 8, uid, id, u8(flags), u8(flags >> 8), u8(flags >> 16), u8(flags >> 24)});
    }
    void ioapic(u8 id, u32 addr, u32 gsi) {
        raw({1, 12, id, 0, u8(addr), u8(addr >> 8), u8(addr >> 16), u8(addr >> 24), u8(gsi), u8(gsi >> 8),
             u8(gsi >> 16), u8(gsi >> 24)});
    }
    void x2apic(u32 id, u32 flags) {
        std::vector<u8> e(16, 0);
        e[0] = 9;
        e[1] = 16;
        put32(e, 4, id);
        put32(e, 8, flags);
        body.insert(body.end(), e.begin(), e.end());
    }
    void override_base(u64 addr) {
        std::vector<u8> e(12, 0);
        e[0] = 5;
        e[1] = 12;
        put64(e, 4, addr);
        body.insert(body.end(), e.begin(), e.end());
    }
    std::vector<u8> table() const { return make_table("APIC", body); }
};

constexpr u64 rsdt_pa = 0x10000, xsdt_pa = 0x11000, madt_pa = 0x12000, facp_pa = 0x13000;

// A machine with RSDT and XSDT that both list a FACP and the MADT.
struct Machine {
    Fake_phys mem;
    Madt_builder madt;
    Machine() {
        madt.lapic(0, 0, 1);
        madt.lapic(1, 1, 1);
        madt.lapic(2, 2, 2);  // online-capable but not enabled
        madt.ioapic(0, 0xfec00000, 0);
        madt.raw({2, 10, 0, 0, 2, 0, 0, 0, 0, 0});     // interrupt source override: IRQ 0 -> GSI 2
        madt.raw({2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0});  // IRQ 9: level, active high
        madt.raw({2, 10, 1, 5, 20, 0, 0, 0, 0, 0});    // a bus other than ISA: ignored
        mem.put(madt_pa, madt.table());
        mem.put(facp_pa, make_table("FACP", std::vector<u8>(100, 0)));
        mem.put(rsdt_pa, make_table("RSDT", root_body({facp_pa, madt_pa}, false)));
        mem.put(xsdt_pa, make_table("XSDT", root_body({facp_pa, madt_pa}, true)));
    }
};

}  // namespace

TEST_CASE("acpi: RSDP validation") {
    SUBCASE("ACPI 1.0") {
        auto v = make_rsdp(0, 0x1234, 0);
        auto r = parse_rsdp(v.data(), v.size());
        REQUIRE(r.ok());
        CHECK(r->revision == 0);
        CHECK(r->rsdt == 0x1234);
        CHECK(r->xsdt == 0);
        CHECK(std::string(r->oem_id) == "BATON ");
    }
    SUBCASE("ACPI 2.0") {
        auto v = make_rsdp(2, 0x1234, 0x123456789ull);
        auto r = parse_rsdp(v.data(), v.size());
        REQUIRE(r.ok());
        CHECK(r->xsdt == 0x123456789ull);
    }
    SUBCASE("truncated") {
        auto v = make_rsdp(2, 0x1234, 0x5678);
        CHECK(parse_rsdp(v.data(), 19).error() == Acpi_error::Rsdp_truncated);
        CHECK(parse_rsdp(v.data(), 30).error() == Acpi_error::Rsdp_truncated);
    }
    SUBCASE("bad signature") {
        auto v = make_rsdp(0, 0x1234, 0);
        v[3] = 'X';
        CHECK(parse_rsdp(v.data(), v.size()).error() == Acpi_error::Rsdp_bad_signature);
    }
    SUBCASE("bad checksum") {
        auto v = make_rsdp(0, 0x1234, 0);
        v[16] ^= 1;
        CHECK(parse_rsdp(v.data(), v.size()).error() == Acpi_error::Rsdp_bad_checksum);
    }
    SUBCASE("bad extended checksum") {
        auto v = make_rsdp(2, 0x1234, 0x5678);
        v[24] ^= 1;
        CHECK(parse_rsdp(v.data(), v.size()).error() == Acpi_error::Rsdp_bad_ext_checksum);
    }
    SUBCASE("length field larger than the copy") {
        auto v = make_rsdp(2, 0x1234, 0x5678);
        put32(v, 20, 0x1000);
        v[8] = 0;
        v[8] = checksum_byte(v, 20);
        auto r = parse_rsdp(v.data(), v.size());
        CHECK(r.error() == Acpi_error::Rsdp_bad_length);
        CHECK(r.detail() == 0x1000);
    }
    SUBCASE("no root table") {
        auto v = make_rsdp(0, 0, 0);
        CHECK(parse_rsdp(v.data(), v.size()).error() == Acpi_error::No_root_table);
    }
}

TEST_CASE("acpi: the BIOS-area RSDP search") {
    Fake_phys mem;
    SUBCASE("nothing there") {
        CHECK(find_rsdp_bios(mem.reader()).error() == Acpi_error::No_rsdp);
    }
    SUBCASE("in the 0xe0000 area, after a candidate with a bad checksum") {
        auto bad = make_rsdp(2, 0x1000, 0x2000);
        bad[8] ^= 0xff;
        mem.put(0xe0010, bad);
        mem.put(0xf5a40, make_rsdp(2, 0x1000, 0x2000));
        auto r = find_rsdp_bios(mem.reader());
        REQUIRE(r.ok());
        CHECK(*r == 0xf5a40);
        auto info = read_rsdp(mem.reader(), *r);
        REQUIRE(info.ok());
        CHECK(info->xsdt == 0x2000);
    }
    SUBCASE("only on 16-byte boundaries") {
        mem.put(0xf5a48, make_rsdp(0, 0x1000, 0));
        CHECK(find_rsdp_bios(mem.reader()).error() == Acpi_error::No_rsdp);
    }
    SUBCASE("in the first KiB of the EBDA") {
        mem.bytes[0x40e] = 0x00;
        mem.bytes[0x40f] = 0x9f;  // segment 0x9f00: EBDA at 0x9f000
        mem.put(0x9f020, make_rsdp(0, 0x1000, 0));
        mem.put(0xe0000, make_rsdp(0, 0x2000, 0));
        auto r = find_rsdp_bios(mem.reader());
        REQUIRE(r.ok());
        CHECK(*r == 0x9f020);
    }
    SUBCASE("an EBDA pointer outside conventional memory is ignored") {
        mem.bytes[0x40e] = 0x00;
        mem.bytes[0x40f] = 0x01;  // 0x1000
        mem.put(0x1000, make_rsdp(0, 0x1000, 0));
        CHECK(find_rsdp_bios(mem.reader()).error() == Acpi_error::No_rsdp);
    }
    SUBCASE("a revision-2 RSDP whose length field is absurd") {
        auto v = make_rsdp(2, 0x1000, 0x2000);
        put32(v, 20, 0xffffffff);
        v[8] = 0;
        v[8] = checksum_byte(v, 20);
        mem.put(0xe0000, v);
        CHECK(find_rsdp_bios(mem.reader()).error() == Acpi_error::No_rsdp);
        CHECK(read_rsdp(mem.reader(), 0xe0000).error() == Acpi_error::Rsdp_bad_length);
    }
}

TEST_CASE("acpi: finding tables through the XSDT and the RSDT") {
    Machine m;
    Rsdp_info v2{2, rsdt_pa, xsdt_pa, {}};
    Rsdp_info v1{0, rsdt_pa, 0, {}};
    SUBCASE("XSDT") {
        auto r = find_table(m.mem.reader(), v2, "APIC");
        REQUIRE(r.ok());
        CHECK(*r == madt_pa);
    }
    SUBCASE("RSDT") {
        auto r = find_table(m.mem.reader(), v1, "FACP");
        REQUIRE(r.ok());
        CHECK(*r == facp_pa);
    }
    SUBCASE("a broken XSDT falls back to the RSDT") {
        m.mem.bytes[xsdt_pa + 40] ^= 1;
        auto r = find_table(m.mem.reader(), v2, "APIC");
        REQUIRE(r.ok());
        CHECK(*r == madt_pa);
    }
    SUBCASE("a broken XSDT and no RSDT") {
        m.mem.bytes[xsdt_pa + 40] ^= 1;
        Rsdp_info only_x{2, 0, xsdt_pa, {}};
        auto r = find_table(m.mem.reader(), only_x, "APIC");
        CHECK(r.error() == Acpi_error::Bad_checksum);
        CHECK(r.detail() == xsdt_pa);
    }
    SUBCASE("missing table") {
        auto r = find_table(m.mem.reader(), v2, "HPET");
        CHECK(r.error() == Acpi_error::Table_not_found);
        CHECK(r.detail() == 0x54455048);  // "HPET" little-endian
    }
    SUBCASE("the wanted table's checksum is wrong") {
        m.mem.bytes[madt_pa + 50] ^= 0x40;
        auto r = find_table(m.mem.reader(), v1, "APIC");
        CHECK(r.error() == Acpi_error::Bad_checksum);
        CHECK(r.detail() == madt_pa);
    }
    SUBCASE("a table length below the header") {
        m.mem.bytes[madt_pa + 4] = 20;
        m.mem.bytes[madt_pa + 5] = 0;
        CHECK(find_table(m.mem.reader(), v1, "APIC").error() == Acpi_error::Bad_length);
    }
    SUBCASE("a table length past the end of memory") {
        m.mem.bytes[madt_pa + 6] = 0xf0;  // length 0xf0xxxx
        auto r = find_table(m.mem.reader(), v1, "APIC");
        CHECK(r.error() == Acpi_error::Unreadable);
    }
    SUBCASE("an absurd table length") {
        m.mem.bytes[madt_pa + 7] = 0x7f;
        CHECK(find_table(m.mem.reader(), v1, "APIC").error() == Acpi_error::Bad_length);
    }
    SUBCASE("an RSDT entry pointing outside memory is skipped") {
        m.mem.put(rsdt_pa, make_table("RSDT", root_body({0xfffffff0, madt_pa}, false)));
        CHECK(find_table(m.mem.reader(), v1, "APIC").ok());
    }
    SUBCASE("an RSDT length that is not whole entries") {
        auto t = make_table("RSDT", {1, 2, 3, 4, 5, 6});
        m.mem.put(rsdt_pa, t);
        CHECK(find_table(m.mem.reader(), v1, "APIC").error() == Acpi_error::Bad_root_entries);
    }
    SUBCASE("a root table with the wrong signature") {
        m.mem.put(rsdt_pa, make_table("XSDT", root_body({madt_pa}, false)));
        auto r = find_table(m.mem.reader(), v1, "APIC");
        CHECK(r.error() == Acpi_error::Bad_signature);
        CHECK(r.detail() == rsdt_pa);
    }
    SUBCASE("a root table outside memory") {
        Rsdp_info far{0, 0xfff00000, 0, {}};
        CHECK(find_table(m.mem.reader(), far, "APIC").error() == Acpi_error::Unreadable);
    }
}

TEST_CASE("acpi: the MADT") {
    Machine m;
    Rsdp_info v2{2, rsdt_pa, xsdt_pa, {}};
    SUBCASE("CPUs, I/O APICs, the LAPIC base") {
        auto r = read_madt(m.mem.reader(), v2);
        REQUIRE(r.ok());
        CHECK(r->cpu_count == 2);
        CHECK(r->disabled_cpus == 1);
        CHECK(r->apic_ids[0] == 0);
        CHECK(r->apic_ids[1] == 1);
        CHECK(r->lapic_base == 0xfee00000);
        CHECK(r->pcat_compat);
        REQUIRE(r->ioapic_count == 1);
        CHECK(r->ioapics[0].address == 0xfec00000);
        CHECK(r->ioapics[0].gsi_base == 0);
        REQUIRE(r->override_count == 2);
        CHECK(r->overrides[0].source == 0);
        CHECK(r->overrides[0].gsi == 2);
        CHECK(r->overrides[0].flags == 0);
        CHECK(r->overrides[1].source == 9);
        CHECK(r->overrides[1].gsi == 9);
        CHECK(r->overrides[1].flags == 0x0d);
    }
    SUBCASE("an interrupt source override shorter than its fields") {
        Madt_builder b;
        b.lapic(0, 0, 1);
        b.raw({2, 8, 0, 0, 2, 0, 0, 0});
        auto t = b.table();
        CHECK(parse_madt(t.data(), t.size()).error() == Acpi_error::Madt_bad_entry);
    }
    SUBCASE("x2APIC entries and the 64-bit LAPIC address override") {
        Madt_builder b(0xfee00000, 0);
        b.x2apic(0x100, 1);
        b.x2apic(0x101, 0);
        b.lapic(0, 3, 1);
        b.override_base(0x1fee00000ull);
        auto t = b.table();
        auto r = parse_madt(t.data(), t.size());
        REQUIRE(r.ok());
        CHECK(r->cpu_count == 2);
        CHECK(r->disabled_cpus == 1);
        CHECK(r->apic_ids[0] == 0x100);
        CHECK(r->apic_ids[1] == 3);
        CHECK(r->lapic_base == 0x1fee00000ull);
        CHECK_FALSE(r->pcat_compat);
    }
    SUBCASE("an entry of length 0") {
        Madt_builder b;
        b.lapic(0, 0, 1);
        b.raw({0x7f, 0});
        auto t = b.table();
        auto r = parse_madt(t.data(), t.size());
        CHECK(r.error() == Acpi_error::Madt_bad_entry);
        CHECK(r.detail() == 44 + 8);
    }
    SUBCASE("an entry running past the table") {
        Madt_builder b;
        b.lapic(0, 0, 1);
        b.raw({1, 12, 0, 0});
        auto t = b.table();
        CHECK(parse_madt(t.data(), t.size()).error() == Acpi_error::Madt_bad_entry);
    }
    SUBCASE("a local APIC entry shorter than its fields") {
        Madt_builder b;
        b.raw({0, 4, 0, 0});
        b.lapic(1, 1, 1);
        auto t = b.table();
        auto r = parse_madt(t.data(), t.size());
        CHECK(r.error() == Acpi_error::Madt_bad_entry);
        CHECK(r.detail() == 44);
    }
    SUBCASE("a lone trailing byte") {
        Madt_builder b;
        b.lapic(0, 0, 1);
        b.raw({0});
        auto t = b.table();
        CHECK(parse_madt(t.data(), t.size()).error() == Acpi_error::Madt_bad_entry);
    }
    SUBCASE("no enabled CPU") {
        Madt_builder b;
        b.lapic(0, 0, 0);
        auto t = b.table();
        CHECK(parse_madt(t.data(), t.size()).error() == Acpi_error::Madt_no_enabled_cpu);
    }
    SUBCASE("shorter than its fixed fields") {
        auto t = make_table("APIC", {0, 0, 0xe0, 0xfe});
        CHECK(parse_madt(t.data(), t.size()).error() == Acpi_error::Madt_truncated);
    }
    SUBCASE("more CPUs than the list holds are still counted") {
        Madt_builder b;
        for (u32 i = 0; i < Madt_info::max_cpus + 10; ++i) b.x2apic(i, 1);
        auto t = b.table();
        auto r = parse_madt(t.data(), t.size());
        REQUIRE(r.ok());
        CHECK(r->cpu_count == Madt_info::max_cpus + 10);
        CHECK(r->apic_ids[Madt_info::max_cpus - 1] == Madt_info::max_cpus - 1);
    }
    SUBCASE("every error has a description") {
        for (u32 e = 0; e <= u32(Acpi_error::Slit_bad_size); ++e)
            CHECK(std::string(describe(Acpi_error(e))) != "unknown ACPI error");
    }
}

namespace {

// SRAT body [ACPI 6.5 5.2.16]: reserved u32 (1) and u64, then entries.
struct Srat_builder {
    std::vector<u8> body = std::vector<u8>(12, 0);
    Srat_builder() { body[0] = 1; }
    void raw(const std::vector<u8>& e) { body.insert(body.end(), e.begin(), e.end()); }
    void lapic(u32 node, u8 apic_id, u32 flags = 1) {
        std::vector<u8> e(16, 0);
        e[0] = 0;
        e[1] = 16;
        e[2] = u8(node);
        e[3] = apic_id;
        put32(e, 4, flags);
        e[9] = u8(node >> 8);
        e[10] = u8(node >> 16);
        e[11] = u8(node >> 24);
        raw(e);
    }
    void x2apic(u32 node, u32 id, u32 flags = 1) {
        std::vector<u8> e(24, 0);
        e[0] = 2;
        e[1] = 24;
        put32(e, 4, node);
        put32(e, 8, id);
        put32(e, 12, flags);
        raw(e);
    }
    void memory(u32 node, u64 base, u64 size, u32 flags = 1) {
        std::vector<u8> e(40, 0);
        e[0] = 1;
        e[1] = 40;
        put32(e, 2, node);
        put64(e, 8, base);
        put64(e, 16, size);
        put32(e, 28, flags);
        raw(e);
    }
    std::vector<u8> table() const { return make_table("SRAT", body); }
};

// SLIT body [5.2.17]: the locality count, then the N x N matrix.
std::vector<u8> slit(u64 n, const std::vector<u8>& matrix) {
    std::vector<u8> body(8, 0);
    put64(body, 0, n);
    body.insert(body.end(), matrix.begin(), matrix.end());
    return make_table("SLIT", body);
}

}  // namespace

TEST_CASE("acpi: SRAT") {
    SUBCASE("two nodes as QEMU q35 describes them") {
        Srat_builder b;
        b.lapic(0, 0);
        b.lapic(0, 1);
        b.lapic(1, 2);
        b.x2apic(1, 300);
        b.memory(0, 0, 0xa0000);
        b.memory(0, 0x100000, 0x1ff00000);
        b.memory(1, 0x20000000, 0x20000000);
        b.memory(0, 0, 0, 0);  // QEMU's disabled padding entry
        auto t = b.table();
        Numa_topology topo;
        REQUIRE(parse_srat(t.data(), t.size(), topo).ok());
        topo.finish();
        CHECK(topo.described);
        CHECK(topo.problem_count == 0);
        CHECK(topo.node_count == 2);
        CHECK(topo.cpu_count == 4);
        CHECK(topo.cpu_node(0) == 0);
        CHECK(topo.cpu_node(2) == 1);
        CHECK(topo.cpu_node(300) == 1);
        CHECK(topo.mem_count == 3);
        u32 node = 9;
        CHECK(topo.mem_node(0x30000000, node));
        CHECK(node == 1);
        CHECK(!topo.mem_node(0xb0000, node));
        CHECK(topo.distance_between(0, 1) == 20);
        CHECK(topo.distance_between(1, 1) == 10);
    }
    SUBCASE("the domain's upper bytes count; ids out of range are reported and ignored") {
        Srat_builder b;
        b.lapic(0x100, 0);   // domain 256 through byte 9
        b.x2apic(8, 5);      // one past max_numa_nodes
        b.memory(0x7fffffff, 0x1000000, 0x1000000);
        b.lapic(1, 1);
        auto t = b.table();
        Numa_topology topo;
        REQUIRE(parse_srat(t.data(), t.size(), topo).ok());
        topo.finish();
        CHECK(topo.problem_count == 3);
        CHECK(topo.problems[0].what == Numa_problem::Node_out_of_range);
        CHECK(topo.problems[0].detail == 0x100);
        CHECK(topo.problems[0].detail2 == 48);
        CHECK(topo.problems[1].detail == 8);
        CHECK(topo.problems[2].detail == 0x7fffffff);
        CHECK(topo.cpu_count == 1);
        CHECK(topo.mem_count == 0);
        CHECK(topo.node_count == 2);
    }
    SUBCASE("disabled entries and CPUs the MADT does not list are ignored") {
        Srat_builder b;
        b.lapic(1, 0, 0);
        b.lapic(1, 1);
        b.lapic(1, 7);  // not present
        b.memory(1, 0x1000000, 0x1000000, 0);
        auto t = b.table();
        Numa_topology topo;
        const u32 present[] = {0, 1};
        REQUIRE(parse_srat(t.data(), t.size(), topo, present, 2).ok());
        CHECK(topo.cpu_count == 1);
        CHECK(topo.cpus[0].hw_id == 1);
        CHECK(topo.mem_count == 0);
        CHECK(topo.problem_count == 0);
    }
    SUBCASE("overlapping memory ranges: the later one is reported and dropped") {
        Srat_builder b;
        b.memory(0, 0x0, 0x2000000);
        b.memory(1, 0x1000000, 0x2000000);
        b.memory(1, 0x2000000, 0x1000000);  // adjacent: fine
        auto t = b.table();
        Numa_topology topo;
        REQUIRE(parse_srat(t.data(), t.size(), topo).ok());
        CHECK(topo.mem_count == 2);
        REQUIRE(topo.problem_count == 1);
        CHECK(topo.problems[0].what == Numa_problem::Memory_overlap);
        CHECK(topo.problems[0].detail == 0x1000000);
    }
    SUBCASE("a short entry is reported and skipped by its length; unknown types are skipped") {
        Srat_builder b;
        b.raw({1, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // memory, 20 bytes
        b.raw({3, 18, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0});        // GICC affinity
        b.lapic(0, 4);
        auto t = b.table();
        Numa_topology topo;
        REQUIRE(parse_srat(t.data(), t.size(), topo).ok());
        CHECK(topo.cpu_count == 1);
        REQUIRE(topo.problem_count == 1);
        CHECK(topo.problems[0].what == Numa_problem::Bad_entry);
        CHECK(topo.problems[0].detail == 48);
    }
    SUBCASE("structural errors") {
        Srat_builder b;
        b.lapic(0, 0);
        b.raw({0, 1});  // length below 2
        auto t = b.table();
        Numa_topology topo;
        auto r = parse_srat(t.data(), t.size(), topo);
        CHECK(r.error() == Acpi_error::Srat_bad_entry);
        CHECK(r.detail() == 64);
        Srat_builder past;
        past.raw({1, 200, 0, 0});
        t = past.table();
        CHECK(parse_srat(t.data(), t.size(), topo).error() == Acpi_error::Srat_bad_entry);
        t = make_table("SRAT", {1, 0, 0, 0});
        CHECK(parse_srat(t.data(), t.size(), topo).error() == Acpi_error::Srat_truncated);
    }
    SUBCASE("more CPU entries than kept: reported once") {
        Srat_builder b;
        for (u32 i = 0; i < Numa_topology::max_cpus + 3; ++i) b.x2apic(0, i);
        auto t = b.table();
        Numa_topology topo;
        REQUIRE(parse_srat(t.data(), t.size(), topo).ok());
        CHECK(topo.cpu_count == Numa_topology::max_cpus);
        CHECK(topo.problem_count == 3);
        CHECK(has_problem(topo, Numa_problem::Too_many_entries));
    }
}

TEST_CASE("acpi: SLIT") {
    SUBCASE("a valid 2 x 2 matrix") {
        auto t = slit(2, {10, 21, 21, 10});
        Numa_topology topo;
        REQUIRE(parse_slit(t.data(), t.size(), topo).ok());
        CHECK(topo.distances_given);
        CHECK(topo.distance_between(0, 1) == 21);
        CHECK(topo.distance_between(1, 0) == 21);
        CHECK(topo.distance_between(0, 0) == 10);
        CHECK(topo.problem_count == 0);
    }
    SUBCASE("a bad diagonal or a reserved value: reported, table ignored") {
        for (auto m : {std::vector<u8>{10, 20, 20, 11}, std::vector<u8>{10, 5, 20, 10}, std::vector<u8>{10, 10, 20, 10}}) {
            auto t = slit(2, m);
            Numa_topology topo;
            REQUIRE(parse_slit(t.data(), t.size(), topo).ok());
            CHECK(!topo.distances_given);
            CHECK(has_problem(topo, Numa_problem::Bad_distance));
            CHECK(topo.distance_between(0, 1) == 20);
        }
    }
    SUBCASE("truncated, empty and absurd sizes are errors") {
        Numa_topology topo;
        auto t = slit(3, {10, 20, 20, 20, 10, 20, 20, 20});  // one byte short
        CHECK(parse_slit(t.data(), t.size(), topo).error() == Acpi_error::Slit_truncated);
        t = slit(0, {});
        CHECK(parse_slit(t.data(), t.size(), topo).error() == Acpi_error::Slit_bad_size);
        t = slit(u64(1) << 32, {10});
        CHECK(parse_slit(t.data(), t.size(), topo).error() == Acpi_error::Slit_bad_size);
        t = make_table("SLIT", {1, 0});
        CHECK(parse_slit(t.data(), t.size(), topo).error() == Acpi_error::Slit_truncated);
        CHECK(!topo.distances_given);
    }
    SUBCASE("localities beyond the kernel's nodes are left out") {
        const u64 n = max_numa_nodes + 2;
        std::vector<u8> m(n * n);
        for (u64 i = 0; i < n; ++i)
            for (u64 j = 0; j < n; ++j) m[i * n + j] = u8(i == j ? 10 : 30 + i + j);
        auto t = slit(n, m);
        Numa_topology topo;
        REQUIRE(parse_slit(t.data(), t.size(), topo).ok());
        CHECK(topo.distance_between(2, 7) == 39);
        CHECK(has_problem(topo, Numa_problem::Too_many_entries));
    }
    SUBCASE("a matrix smaller than the nodes in use: the rest defaults, reported") {
        Numa_topology topo;
        topo.add_cpu(0, 0);
        topo.add_cpu(1, 2);
        auto t = slit(2, {10, 15, 15, 10});
        REQUIRE(parse_slit(t.data(), t.size(), topo).ok());
        topo.finish();
        CHECK(topo.node_count == 3);
        CHECK(topo.distance_between(0, 1) == 15);
        CHECK(topo.distance_between(0, 2) == 20);
        CHECK(topo.distance_between(2, 2) == 10);
        CHECK(has_problem(topo, Numa_problem::Missing_distance));
    }
}

TEST_CASE("acpi: SRAT and SLIT found through the XSDT") {
    Machine m;
    Srat_builder b;
    b.lapic(0, 0);
    b.lapic(1, 1);
    b.memory(1, 0x40000000, 0x40000000);
    constexpr u64 srat_pa = 0x14000, slit_pa = 0x15000;
    m.mem.put(srat_pa, b.table());
    m.mem.put(slit_pa, slit(2, {10, 20, 20, 10}));
    m.mem.put(xsdt_pa, make_table("XSDT", root_body({facp_pa, madt_pa, srat_pa, slit_pa}, true)));
    auto rsdp = make_rsdp(2, u32(rsdt_pa), xsdt_pa);
    auto info = parse_rsdp(rsdp.data(), rsdp.size());
    REQUIRE(info.ok());
    Numa_topology topo;
    REQUIRE(read_srat(m.mem.reader(), *info, topo).ok());
    REQUIRE(read_slit(m.mem.reader(), *info, topo).ok());
    topo.finish();
    CHECK(topo.node_count == 2);
    CHECK(topo.cpu_node(1) == 1);
    CHECK(topo.distance_between(1, 0) == 20);
    // A machine without them: Table_not_found, and nothing changes.
    Machine plain;
    Numa_topology none;
    CHECK(read_srat(plain.mem.reader(), *info, none).error() == Acpi_error::Table_not_found);
    CHECK(!none.described);
}

TEST_CASE("acpi: SRAT and SLIT: every truncation and every single-bit flip is handled") {
    // Under ASan: no read outside the table, whatever its bytes say.
    Srat_builder b;
    b.lapic(0, 0);
    b.x2apic(1, 1);
    b.memory(0, 0, 0x20000000);
    b.memory(1, 0x20000000, 0x20000000);
    const std::vector<u8> srat = b.table(), dist = slit(2, {10, 20, 20, 10});
    for (const std::vector<u8>* t : {&srat, &dist}) {
        bool is_srat = t == &srat;
        for (u64 len = 0; len <= t->size(); ++len) {
            std::vector<u8> copy(t->begin(), t->begin() + long(len));
            Numa_topology topo;
            auto r = is_srat ? parse_srat(copy.data(), len, topo) : parse_slit(copy.data(), len, topo);
            if (len < t->size()) CHECK((!r.ok() || len >= 48));
        }
        for (u64 bit = 0; bit < t->size() * 8; ++bit) {
            std::vector<u8> copy = *t;
            copy[bit / 8] ^= u8(1u << (bit % 8));
            Numa_topology topo;
            auto r = is_srat ? parse_srat(copy.data(), copy.size(), topo) : parse_slit(copy.data(), copy.size(), topo);
            if (r.ok()) {
                topo.finish();
                CHECK(topo.node_count <= max_numa_nodes);
                CHECK(topo.mem_count <= Numa_topology::max_mem);
            }
        }
    }
}
