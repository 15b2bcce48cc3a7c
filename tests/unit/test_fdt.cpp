// The device-tree parser (kernel/fdt.cpp) on fixture trees compiled by dtc
// and on blobs corrupted or built by hand: every bad input is an error
// value naming the problem, never a crash.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "fdt.hpp"
#include "numa_check.hpp"

using namespace kernel;

namespace {

// A DTB in 8-byte-aligned storage, as the boot protocol guarantees.
struct Blob {
    std::vector<u64> words;
    usize size = 0;
    u8* data() { return reinterpret_cast<u8*>(words.data()); }
    void resize(usize n) {
        words.assign((n + 7) / 8, 0);
        size = n;
    }
};

Blob load(const char* name) {
    std::string path = std::string(BATON_FIXTURE_DIR) + "/" + name;
    Blob b;
    FILE* f = std::fopen(path.c_str(), "rb");
    REQUIRE_MESSAGE(f != nullptr, "missing fixture " << path);
    std::fseek(f, 0, SEEK_END);
    long n = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
    b.resize(usize(n));
    REQUIRE(std::fread(b.data(), 1, b.size, f) == b.size);
    std::fclose(f);
    return b;
}

u32 get32(const u8* p) { return u32(p[0]) << 24 | u32(p[1]) << 16 | u32(p[2]) << 8 | p[3]; }
void put32(u8* p, u32 v) {
    p[0] = u8(v >> 24);
    p[1] = u8(v >> 16);
    p[2] = u8(v >> 8);
    p[3] = u8(v);
}

// info.machine_model points into dev: compare dev.model after a copy.
struct Parsed {
    Status<Fdt_error> status;
    Platform_info info;
    Fdt_devices dev;
};

Parsed parse(Blob& b, u64 avail = ~u64(0), u64 pa = 0x44000000) {
    Parsed p;
    p.status = fdt_parse(b.data(), avail == ~u64(0) ? b.size : avail, pa, p.info, p.dev);
    return p;
}

bool has_reserved(const Platform_info& info, u64 base, u64 size, Reserved_kind kind) {
    for (u32 i = 0; i < info.reserved_count; ++i)
        if (info.reserved[i].range.base == base && info.reserved[i].range.size == size && info.reserved[i].kind == kind)
            return true;
    return false;
}

// Builds a DTB token by token, for structures dtc would refuse to write.
struct Builder {
    std::vector<u8> st, strings;
    void word(u32 v) {
        u8 b[4];
        put32(b, v);
        st.insert(st.end(), b, b + 4);
    }
    void pad() {
        while (st.size() % 4) st.push_back(0);
    }
    void begin(const char* name) {
        word(1);
        st.insert(st.end(), name, name + std::strlen(name) + 1);
        pad();
    }
    void end() { word(2); }
    u32 str(const char* s) {
        u32 off = u32(strings.size());
        strings.insert(strings.end(), s, s + std::strlen(s) + 1);
        return off;
    }
    void prop(const char* name, const void* v, u32 len) {
        word(3);
        word(len);
        word(str(name));
        st.insert(st.end(), static_cast<const u8*>(v), static_cast<const u8*>(v) + len);
        pad();
    }
    void prop_str(const char* name, const char* v) { prop(name, v, u32(std::strlen(v) + 1)); }
    void prop_u32(const char* name, u32 v) {
        u8 b[4];
        put32(b, v);
        prop(name, b, 4);
    }
    Blob finish() {
        const u32 hdr = 40, rsv = 16;
        Blob b;
        b.resize(hdr + rsv + st.size() + strings.size());
        u8* d = b.data();
        put32(d, 0xd00dfeed);
        put32(d + 4, u32(b.size));
        put32(d + 8, hdr + rsv);
        put32(d + 12, u32(hdr + rsv + st.size()));
        put32(d + 16, hdr);
        put32(d + 20, 17);
        put32(d + 24, 16);
        put32(d + 32, u32(strings.size()));
        put32(d + 36, u32(st.size()));
        if (!st.empty()) std::memcpy(d + hdr + rsv, st.data(), st.size());
        if (!strings.empty()) std::memcpy(d + hdr + rsv + st.size(), strings.data(), strings.size());
        return b;
    }
};

}  // namespace

TEST_CASE("fdt: QEMU virt's own tree") {
    Blob b = load("qemu-virt.dtb");
    Parsed p = parse(b);
    REQUIRE_MESSAGE(p.status.ok(), describe(p.status.error()));
    REQUIRE(p.info.ram_count == 1);
    CHECK(p.info.ram[0].base == 0x40000000);
    CHECK(p.info.ram[0].size == 512 * MiB);
    CHECK(has_reserved(p.info, 0x44000000, get32(b.data() + 4), Reserved_kind::Boot_data));
    CHECK(p.dev.uart.base == 0x09000000);
    CHECK(p.dev.uart_is_stdout);
    CHECK(p.dev.uart_intid == 33);  // SPI 1
    CHECK(p.dev.gic == Gic_version::V2);
    CHECK(p.dev.gic_dist.base == 0x08000000);
    CHECK(p.dev.gic_cpu.base == 0x08010000);
    CHECK(p.dev.timer_from_dt);
    CHECK(p.dev.timer_phys_intid == 30);
    CHECK(p.dev.timer_virt_intid == 27);
    CHECK(p.dev.psci == Psci_conduit::Hvc);
    CHECK(p.info.cpu_count == 1);
    CHECK(std::string(p.dev.model) == "linux,dummy-virt");
    CHECK(p.info.cmdline[0] == 0);
    CHECK(p.info.root_task.size == 0);

    Platform_info info;
    Fdt_devices dev;
    REQUIRE(fdt_parse(b.data(), b.size, 0, info, dev).ok());
    CHECK(info.machine_model == dev.model);
}

TEST_CASE("fdt: small virt-like tree: reservations, bootargs, initrd") {
    Blob b = load("virt-minimal.dtb");
    Parsed p = parse(b, ~u64(0), 0x48800000);
    REQUIRE_MESSAGE(p.status.ok(), describe(p.status.error()));
    CHECK(std::string(p.info.cmdline) == "console=pl011 test=fdt");
    CHECK(p.info.root_task.base == 0x48000000);
    CHECK(p.info.root_task.size == 0x100000);
    CHECK(p.dev.initrd_end == 0x48100000);
    CHECK(p.info.cpu_count == 2);
    CHECK(std::string(p.dev.model) == "Baton test tree (virt-like)");
    CHECK(has_reserved(p.info, 0x48800000, b.size, Reserved_kind::Boot_data));
    CHECK(has_reserved(p.info, 0x5ff00000, 0x10000, Reserved_kind::Firmware));   // /memreserve/
    CHECK(has_reserved(p.info, 0x5fe00000, 0x100000, Reserved_kind::Firmware));  // /reserved-memory
    CHECK_FALSE(has_reserved(p.info, 0x5fd00000, 0x1000, Reserved_kind::Firmware));  // disabled
    CHECK(p.info.reserved_count == 3);
}

TEST_CASE("fdt: GICv3, PSCI over smc, 64-bit initrd cells") {
    Blob b = load("virt-gicv3.dtb");
    Parsed p = parse(b);
    REQUIRE_MESSAGE(p.status.ok(), describe(p.status.error()));
    CHECK(p.dev.gic == Gic_version::V3);
    CHECK(p.dev.gic_dist.base == 0x08000000);
    CHECK(p.dev.gic_redist.base == 0x080a0000);
    CHECK(p.dev.gic_redist.size == 0xf60000);
    CHECK(p.dev.gic_cpu.size == 0);
    CHECK(p.dev.psci == Psci_conduit::Smc);
    CHECK(p.info.root_task.base == 0x48000000);
    CHECK(p.info.root_task.size == 0x200000);
}

TEST_CASE("fdt: rpi4-like tree: ranges translation and the PL011 fallback") {
    Blob b = load("rpi4-like.dtb");
    Parsed p = parse(b, ~u64(0), 0x08000000);
    REQUIRE_MESSAGE(p.status.ok(), describe(p.status.error()));
    CHECK(p.dev.uart.base == 0xfe201000);  // 0x7e201000 through /soc ranges
    CHECK(p.dev.uart.size == 0x200);
    CHECK_FALSE(p.dev.uart_is_stdout);      // stdout-path is the mini-UART
    CHECK(p.dev.uart_intid == 0);           // its interrupts are not described
    CHECK(p.dev.gic == Gic_version::V2);
    CHECK(p.dev.gic_dist.base == 0xff841000);
    CHECK(p.dev.gic_cpu.base == 0xff842000);
    CHECK(p.dev.power.base == 0xfe100000);  // two levels of ranges
    CHECK(p.dev.power.size == 0x114);
    CHECK(p.dev.psci == Psci_conduit::None);
    CHECK(p.dev.timer_phys_intid == 30);
    CHECK(p.info.cpu_count == 4);
    REQUIRE(p.info.ram_count == 2);
    CHECK(p.info.ram[0].base == 0);
    CHECK(p.info.ram[0].size == 0x3b000000);
    CHECK(p.info.ram[1].base == 0x40000000);
    CHECK(p.info.ram[1].size == 0x80000000);
    CHECK(has_reserved(p.info, 0, 0x1000, Reserved_kind::Firmware));
    CHECK(has_reserved(p.info, 0x3b000000, 0x1000000, Reserved_kind::Firmware));
    CHECK(std::string(p.dev.model) == "Raspberry Pi 4 Model B (test)");
}

TEST_CASE("fdt: CPU nodes: MPIDR, enable-method, cpu-release-addr") {
    Blob b = load("smp-faulty.dtb");
    Parsed p = parse(b);
    REQUIRE_MESSAGE(p.status.ok(), describe(p.status.error()));
    CHECK(p.info.cpu_count == 6);  // cpu@5 is disabled
    REQUIRE(p.dev.cpu_count == 6);
    const u64 ids[] = {0, 1, 7, 2, 3, 4};
    const Cpu_enable how[] = {Cpu_enable::Psci, Cpu_enable::Psci, Cpu_enable::Psci,
                              Cpu_enable::Spin_table, Cpu_enable::Psci, Cpu_enable::Spin_table};
    for (u32 i = 0; i < 6; ++i) {
        CHECK(p.dev.cpus[i].hw_id == ids[i]);
        CHECK(p.dev.cpus[i].enable == how[i]);
    }
    CHECK(p.dev.cpus[3].release_addr == 0x5ff00000);  // two cells
    CHECK(p.dev.cpus[5].release_addr == 0x1000);      // /bits/ 64
    CHECK(p.dev.cpus[0].release_addr == 0);

    // QEMU's own tree (-smp 1): no enable-method.
    Blob q = load("qemu-virt.dtb");
    Parsed v = parse(q);
    REQUIRE(v.status.ok());
    REQUIRE(v.dev.cpu_count == 1);
    CHECK(v.dev.cpus[0].hw_id == 0);
    CHECK(v.dev.cpus[0].enable == Cpu_enable::None);

    Blob r = load("rpi4-like.dtb");
    Parsed pi = parse(r, ~u64(0), 0x08000000);
    REQUIRE(pi.status.ok());
    REQUIRE(pi.dev.cpu_count == 4);
    CHECK(pi.dev.cpus[3].hw_id == 3);
    CHECK(pi.dev.cpus[3].enable == Cpu_enable::Spin_table);
}

TEST_CASE("fdt: a tree lacking a required node names it") {
    struct {
        const char* file;
        Fdt_error error;
        const char* word;
    } cases[] = {
        {"no-memory.dtb", Fdt_error::No_memory, "memory"},
        {"no-uart.dtb", Fdt_error::No_uart, "UART"},
        {"no-gic.dtb", Fdt_error::No_interrupt_controller, "interrupt controller"},
    };
    for (auto& c : cases) {
        CAPTURE(c.file);
        Blob b = load(c.file);
        Parsed p = parse(b);
        REQUIRE_FALSE(p.status.ok());
        CHECK(p.status.error() == c.error);
        CHECK(std::string(describe(p.status.error())).find(c.word) != std::string::npos);
    }
}

TEST_CASE("fdt: an address outside the parent's ranges is an error") {
    Blob b = load("bad-ranges.dtb");
    Parsed p = parse(b);
    REQUIRE_FALSE(p.status.ok());
    CHECK(p.status.error() == Fdt_error::Untranslatable);
    CHECK(p.status.detail() == 0x2000);
}

TEST_CASE("fdt: corrupted headers") {
    Blob good = load("virt-minimal.dtb");
    auto with = [&](u32 offset, u32 value) {
        Blob b = good;
        put32(b.data() + offset, value);
        return b;
    };
    auto error_of = [](Blob b, u64 avail = ~u64(0)) { return parse(b, avail).status; };

    SUBCASE("truncated below a header") {
        auto s = error_of(good, 20);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Truncated);
    }
    SUBCASE("truncated blob: totalsize beyond the buffer") {
        auto s = error_of(good, good.size - 1);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_total_size);
    }
    SUBCASE("bad magic") {
        auto s = error_of(with(0, 0xfeedd00d));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_magic);
        CHECK(s.detail() == 0xfeedd00d);
    }
    SUBCASE("version too old") {
        auto s = error_of(with(20, 15));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_version);
    }
    SUBCASE("incompatible last_comp_version") {
        auto s = error_of(with(24, 18));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_version);
    }
    SUBCASE("totalsize beyond the buffer") {
        auto s = error_of(with(4, u32(good.size + 4096)));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_total_size);
    }
    SUBCASE("totalsize smaller than a header") {
        auto s = error_of(with(4, 16));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_total_size);
    }
    SUBCASE("structure block offset out of range") {
        auto s = error_of(with(8, 0xfffffff0));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_block);
    }
    SUBCASE("structure block size past totalsize") {
        auto s = error_of(with(36, u32(good.size)));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_block);
    }
    SUBCASE("misaligned structure block") {
        auto s = error_of(with(8, get32(good.data() + 8) + 2));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_block);
    }
    SUBCASE("strings block past totalsize") {
        auto s = error_of(with(32, 0x7fffffff));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_block);
    }
    SUBCASE("memory reservation block inside the header") {
        auto s = error_of(with(16, 8));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Bad_block);
    }
    SUBCASE("blob not 8-byte aligned") {
        Blob b = good;
        b.words.push_back(0);
        std::memmove(b.data() + 4, b.data(), b.size);
        Platform_info info;
        Fdt_devices dev;
        auto s = fdt_parse(b.data() + 4, b.size, 0, info, dev);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error() == Fdt_error::Misaligned);
    }
}

TEST_CASE("fdt: corrupted structure blocks") {
    SUBCASE("well-formed hand-built tree parses") {
        Builder t;
        t.begin("");
        t.prop_u32("#address-cells", 1);
        t.prop_u32("#size-cells", 1);
        t.begin("memory@0");
        t.prop_str("device_type", "memory");
        u8 reg[8] = {0, 0, 0, 0, 0, 0x10, 0, 0};
        t.prop("reg", reg, 8);
        t.end();
        t.end();
        t.word(9);
        Blob b = t.finish();
        REQUIRE(Fdt::open(b.data(), b.size).ok());
        Parsed p = parse(b);
        REQUIRE_FALSE(p.status.ok());
        CHECK(p.status.error() == Fdt_error::No_uart);  // but the RAM was found
        CHECK(p.info.ram_count == 1);
        CHECK(p.info.ram[0].size == 0x100000);
    }
    SUBCASE("unterminated node name") {
        Builder t;
        t.begin("");
        t.word(1);
        const char name[8] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
        t.st.insert(t.st.end(), name, name + 8);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Unterminated_name);
    }
    SUBCASE("property length past the block end") {
        Builder t;
        t.begin("");
        t.word(3);
        t.word(0x1000);
        t.word(t.str("model"));
        t.word(0);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Property_past_end);
    }
    SUBCASE("property header cut by the block end") {
        Builder t;
        t.begin("");
        t.word(3);
        t.word(4);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Property_past_end);
    }
    SUBCASE("property name outside the strings block") {
        Builder t;
        t.begin("");
        t.word(3);
        t.word(0);
        t.word(0x10000);
        t.end();
        t.word(9);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Bad_string_offset);
        CHECK(r.detail() == 0x10000);
    }
    SUBCASE("property name not terminated in the strings block") {
        Builder t;
        t.begin("");
        t.prop_u32("x", 0);
        t.end();
        t.word(9);
        t.strings.back() = 'y';  // drop the NUL
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Bad_string_offset);
    }
    SUBCASE("unknown token") {
        Builder t;
        t.begin("");
        t.word(7);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Bad_token);
    }
    SUBCASE("no FDT_END") {
        Builder t;
        t.begin("");
        t.end();
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::No_end);
    }
    SUBCASE("unbalanced nodes") {
        Builder t;
        t.begin("");
        t.end();
        t.end();
        t.word(9);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Bad_nesting);
    }
    SUBCASE("FDT_END inside a node") {
        Builder t;
        t.begin("");
        t.word(9);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Bad_nesting);
    }
    SUBCASE("property after a subnode") {
        Builder t;
        t.begin("");
        t.begin("a");
        t.end();
        t.prop_u32("late", 1);
        t.end();
        t.word(9);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Bad_nesting);
    }
    SUBCASE("nesting beyond the depth limit") {
        Builder t;
        for (u32 i = 0; i <= Fdt::max_depth; ++i) t.begin("n");
        for (u32 i = 0; i <= Fdt::max_depth; ++i) t.end();
        t.word(9);
        Blob b = t.finish();
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Too_deep);
    }
    SUBCASE("unterminated memory reservation block") {
        Builder t;
        t.begin("");
        t.end();
        t.word(9);
        Blob b = t.finish();
        std::memset(b.data() + 40, 0xff, 16);  // the terminator becomes an entry
        auto r = Fdt::open(b.data(), b.size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == Fdt_error::Bad_memreserve);
    }
    SUBCASE("malformed #address-cells and reg") {
        Builder t;
        t.begin("");
        t.prop_u32("#address-cells", 3);
        t.prop_u32("#size-cells", 1);
        t.begin("memory@0");
        t.prop_str("device_type", "memory");
        u8 reg[16] = {};
        t.prop("reg", reg, 16);
        t.end();
        t.end();
        t.word(9);
        Blob b = t.finish();
        Parsed p = parse(b);
        REQUIRE_FALSE(p.status.ok());
        CHECK(p.status.error() == Fdt_error::Bad_cells);
    }
}

TEST_CASE("fdt: every truncation and every single-bit flip is handled") {
    Blob good = load("qemu-virt.dtb");
    for (usize n = 0; n < good.size; n += 3) {
        Parsed p = parse(good, n);
        CHECK_FALSE(p.status.ok());
    }
    usize ok = 0;
    for (usize i = 0; i < good.size; ++i) {
        Blob b = good;
        b.data()[i] ^= u8(1u << (i % 8));
        Parsed p = parse(b);
        ok += p.status.ok();
        if (p.status.ok()) {  // whatever it accepted is internally consistent
            CHECK(p.info.ram_count <= Platform_info::max_ram);
            CHECK(p.info.reserved_count <= Platform_info::max_reserved);
            CHECK(std::strlen(p.info.cmdline) < Platform_info::max_cmdline);
        }
    }
    CHECK(ok < good.size);
}

TEST_CASE("fdt: NUMA from QEMU virt's own tree with two nodes") {
    Blob b = load("qemu-virt-numa.dtb");
    Parsed p = parse(b);
    REQUIRE_MESSAGE(p.status.ok(), describe(p.status.error()));
    const Numa_topology& t = p.info.numa;
    CHECK(t.described);
    CHECK(t.problem_count == 0);
    CHECK(t.cpu_count == 4);
    CHECK(t.cpu_node(0) == 0);
    CHECK(t.cpu_node(1) == 0);
    CHECK(t.cpu_node(2) == 1);
    CHECK(t.cpu_node(3) == 1);
    REQUIRE(t.mem_count == 2);
    u32 node = 9;
    CHECK(t.mem_node(0x40000000, node));
    CHECK(node == 0);
    CHECK(t.mem_node(0x7fffffff, node));
    CHECK(node == 1);
    CHECK(t.distance_between(0, 1) == 20);
    CHECK(t.distance_between(1, 0) == 20);
    numa_apply(p.info);
    CHECK(p.info.numa.node_count == 2);
    REQUIRE(p.info.ram_count == 2);
    for (u32 i = 0; i < 2; ++i) CHECK(p.info.ram_node[i] == (p.info.ram[i].base == 0x60000000 ? 1u : 0u));
}

TEST_CASE("fdt: NUMA: a distance given one way holds both ways") {
    Blob b = load("numa-virt.dtb");
    Parsed p = parse(b);
    REQUIRE_MESSAGE(p.status.ok(), describe(p.status.error()));
    numa_apply(p.info);
    const Numa_topology& t = p.info.numa;
    CHECK(t.problem_count == 0);
    CHECK(t.node_count == 2);
    CHECK(t.cpu_node(1) == 1);
    CHECK(t.distance_between(0, 1) == 22);
    CHECK(t.distance_between(1, 0) == 22);
    CHECK(t.distance_between(1, 1) == 10);
}

TEST_CASE("fdt: NUMA: malformed entries are reported and left out") {
    Blob b = load("numa-bad.dtb");
    Parsed p = parse(b);
    REQUIRE_MESSAGE(p.status.ok(), describe(p.status.error()));
    numa_apply(p.info);
    const Numa_topology& t = p.info.numa;
    CHECK(has_problem(p.info.numa, Numa_problem::Node_out_of_range, 12));
    CHECK(has_problem(p.info.numa, Numa_problem::Bad_distance, 0 << 8 | 1));
    CHECK(has_problem(p.info.numa, Numa_problem::Ram_without_node, 0x60000000));
    CHECK(has_problem(t, Numa_problem::Bad_entry));
    CHECK(t.problem_count == 4);
    CHECK(t.node_count == 1);
    CHECK(!t.distances_given);
    CHECK(t.cpu_count == 1);  // cpu@0 only
    CHECK(t.distance_between(0, 0) == 10);
    // The rest of the tree is as without the topology.
    CHECK(p.info.ram_count == 2);
    CHECK(p.info.ram_node[0] == 0);
    CHECK(p.info.ram_node[1] == 0);
    CHECK(p.dev.cpu_count == 2);
}

TEST_CASE("fdt: no NUMA properties: no topology") {
    Blob b = load("qemu-virt.dtb");
    Parsed p = parse(b);
    REQUIRE(p.status.ok());
    CHECK(!p.info.numa.described);
    numa_apply(p.info);
    CHECK(p.info.numa.node_count == 1);
    CHECK(p.info.numa.problem_count == 0);
}

TEST_CASE("fdt: NUMA: distance-map entries checked one by one") {
    // Only the topology matters here: the trees lack memory, UART and GIC.
    auto map = [](std::initializer_list<u32> cells) {
        Builder t;
        t.begin("");
        t.begin("distance-map");
        t.prop_str("compatible", "numa-distance-map-v1");
        std::vector<u8> v;
        for (u32 c : cells) {
            u8 b[4];
            put32(b, c);
            v.insert(v.end(), b, b + 4);
        }
        t.prop("distance-matrix", v.data(), u32(v.size()));
        t.end();
        t.end();
        t.word(9);
        return t.finish();
    };
    SUBCASE("a node id out of range skips its entry only") {
        Blob b = map({0, 1, 30, 0, 9, 40, 1, 1, 10});
        Parsed p = parse(b);
        CHECK(p.status.error() == Fdt_error::No_memory);
        const Numa_topology& t = p.info.numa;
        CHECK(has_problem(t, Numa_problem::Node_out_of_range, 9));
        CHECK(t.distances_given);
        CHECK(t.distance_between(0, 1) == 30);
        CHECK(t.distance_between(1, 0) == 30);
    }
    SUBCASE("a later entry sets the reverse direction") {
        Blob b = map({0, 1, 30, 1, 0, 35});
        Parsed p = parse(b);
        CHECK(p.info.numa.distance_between(0, 1) == 30);
        CHECK(p.info.numa.distance_between(1, 0) == 35);
        CHECK(p.info.numa.problem_count == 0);
    }
    SUBCASE("not whole triples: reported, map ignored") {
        Blob b = map({0, 1, 30, 1});
        Parsed p = parse(b);
        CHECK(has_problem(p.info.numa, Numa_problem::Bad_entry));
        CHECK(!p.info.numa.distances_given);
    }
    SUBCASE("a distance above 255 voids the map") {
        Blob b = map({0, 1, 30, 0, 2, 300});
        Parsed p = parse(b);
        CHECK(has_problem(p.info.numa, Numa_problem::Bad_distance, 2));
        CHECK(!p.info.numa.distances_given);
        CHECK(p.info.numa.distance_between(0, 1) == 20);
    }
}
