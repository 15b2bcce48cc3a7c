// Multiboot 1 and 2 parsing (kernel/multiboot.cpp) over crafted boot
// information in fake physical memory, good and hostile.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "multiboot.hpp"
#include "fake_phys.hpp"

using namespace kernel;

namespace {

// ---- Multiboot 1 -----------------------------------------------------------

constexpr u64 mbi_pa = 0x1000, mmap_pa = 0x2000, mods_pa = 0x3000, cmdline_pa = 0x4000, name_pa = 0x4800;

struct Mb1 {
    Fake_phys mem;
    u32 flags = (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9);
    u32 mmap_len = 0;
    u32 mods = 0;
    u32 cmdline = cmdline_pa;

    Mb1() {
        mem.put_string(cmdline_pa, "/boot/kernel.elf some args");
        mem.put_string(name_pa, "qemu");
        entry(0, 0x9fc00, 1);
        entry(0x9fc00, 0x400, 2);
        entry(0x100000, 0x1fee0000, 1);
        module(0x200000, 0x210000);
        module(0x210000, 0x211000);
    }
    void entry(u64 base, u64 len, u32 type, u32 size = 20) {
        mem.put32(mmap_pa + mmap_len, size);
        mem.put64(mmap_pa + mmap_len + 4, base);
        mem.put64(mmap_pa + mmap_len + 12, len);
        mem.put32(mmap_pa + mmap_len + 20, type);
        mmap_len += size + 4;
    }
    void module(u32 start, u32 end) {
        mem.put32(mods_pa + mods * 16, start);
        mem.put32(mods_pa + mods * 16 + 4, end);
        ++mods;
    }
    Status<Multiboot_error> parse(Platform_info& info, Multiboot_extra& extra) {
        mem.put32(mbi_pa, flags);
        mem.put32(mbi_pa + 16, cmdline);
        mem.put32(mbi_pa + 20, mods);
        mem.put32(mbi_pa + 24, mods_pa);
        mem.put32(mbi_pa + 44, mmap_len);
        mem.put32(mbi_pa + 48, mmap_pa);
        mem.put32(mbi_pa + 64, name_pa);
        return parse_multiboot(multiboot1_boot_magic, mbi_pa, mem.reader(), info, extra);
    }
};

bool has_reserved(const Platform_info& info, u64 base, u64 size, Reserved_kind kind) {
    for (u32 i = 0; i < info.reserved_count; ++i)
        if (info.reserved[i].range.base == base && info.reserved[i].range.size == size && info.reserved[i].kind == kind)
            return true;
    return false;
}

}  // namespace

TEST_CASE("multiboot1: a QEMU-style boot") {
    Mb1 mb;
    Platform_info info;
    Multiboot_extra extra;
    auto st = mb.parse(info, extra);
    REQUIRE(st.ok());
    CHECK(extra.version == 1);
    CHECK(std::string(info.machine_model) == "PC (Multiboot1)");
    CHECK(std::string(extra.loader_name) == "qemu");
    // QEMU's "<kernel file> " prefix is dropped.
    CHECK(std::string(info.cmdline) == "some args");
    REQUIRE(info.ram_count == 2);  // type 2 is not RAM
    CHECK(info.ram[0].base == 0);
    CHECK(info.ram[0].size == 0x9fc00);
    CHECK(info.ram[1].base == 0x100000);
    CHECK(info.root_task.base == 0x200000);
    CHECK(info.root_task.size == 0x10000);
    CHECK(extra.module_count == 2);
    CHECK(extra.rsdp_size == 0);
    CHECK(has_reserved(info, 0x210000, 0x1000, Reserved_kind::Boot_data));  // the second module
    CHECK(has_reserved(info, mmap_pa, mb.mmap_len, Reserved_kind::Boot_data));
    CHECK(has_reserved(info, mods_pa, 32, Reserved_kind::Boot_data));
    for (u32 i = 0; i < info.reserved_count; ++i) CHECK(info.reserved[i].range.base != 0x200000);
}

TEST_CASE("multiboot1: another loader's command line is kept whole, adjacent RAM merges") {
    Mb1 mb;
    mb.mem.put_string(name_pa, "GRUB 2.06");
    mb.entry(0x1ffe0000, 0x20000, 1);  // touches the previous type-1 range
    Platform_info info;
    Multiboot_extra extra;
    REQUIRE(mb.parse(info, extra).ok());
    CHECK(std::string(info.cmdline) == "/boot/kernel.elf some args");
    REQUIRE(info.ram_count == 2);
    CHECK(info.ram[1].end() == 0x20000000);
}

TEST_CASE("multiboot1: hostile information yields errors") {
    Platform_info info;
    Multiboot_extra extra;
    SUBCASE("unknown magic") {
        Fake_phys mem;
        auto st = parse_multiboot(0x12345678, 0x1000, mem.reader(), info, extra);
        CHECK(st.error() == Multiboot_error::Bad_magic);
        CHECK(st.detail() == 0x12345678);
    }
    SUBCASE("information outside memory") {
        Fake_phys mem;
        auto st = parse_multiboot(multiboot1_boot_magic, 0xfffffff0, mem.reader(), info, extra);
        CHECK(st.error() == Multiboot_error::Unreadable);
    }
    SUBCASE("no memory map flag") {
        Mb1 mb;
        mb.flags &= ~(1u << 6);
        CHECK(mb.parse(info, extra).error() == Multiboot_error::No_memory_map);
    }
    SUBCASE("memory map entry size 0") {
        Mb1 mb;
        mb.entry(0x300000, 0x1000, 1, 0);
        auto st = mb.parse(info, extra);
        CHECK(st.error() == Multiboot_error::Bad_mmap_entry_size);
        CHECK(st.detail() == 0);
    }
    SUBCASE("memory map entry running past the map") {
        Mb1 mb;
        mb.entry(0x300000, 0x1000, 1);
        mb.mmap_len -= 4;  // the last entry's size now overruns mmap_length
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Mmap_overrun);
    }
    SUBCASE("memory map range that wraps") {
        Mb1 mb;
        mb.entry(0xfffffffffffff000ull, 0x2000, 1);
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Bad_mmap_range);
    }
    SUBCASE("memory map outside memory") {
        Mb1 mb;
        mb.mmap_len = 0x7fffffff;
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Unreadable);
    }
    SUBCASE("module ending before it starts") {
        Mb1 mb;
        mb.module(0x300000, 0x2ff000);
        auto st = mb.parse(info, extra);
        CHECK(st.error() == Multiboot_error::Bad_module);
        CHECK(st.detail() == 2);
    }
    SUBCASE("no modules") {
        Mb1 mb;
        mb.mods = 0;
        CHECK(mb.parse(info, extra).error() == Multiboot_error::No_root_task_module);
        CHECK(std::string(describe(Multiboot_error::No_root_task_module)) == "no root-task module");
    }
    SUBCASE("modules flag clear") {
        Mb1 mb;
        mb.flags &= ~(1u << 3);
        CHECK(mb.parse(info, extra).error() == Multiboot_error::No_root_task_module);
    }
    SUBCASE("empty root task") {
        Mb1 mb;
        mb.mods = 0;
        mb.module(0x200000, 0x200000);
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Empty_root_task);
    }
    SUBCASE("an absurd module count") {
        Mb1 mb;
        mb.mods = 0x10000000;
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Unreadable);
    }
    SUBCASE("an unterminated command line at the end of memory") {
        Mb1 mb;
        u64 end = mb.mem.bytes.size();
        std::memset(&mb.mem.bytes[end - 8], 'x', 8);
        mb.cmdline = u32(end - 8);
        auto st = mb.parse(info, extra);
        CHECK(st.error() == Multiboot_error::Unreadable);
        CHECK(st.detail() == end);
    }
    SUBCASE("too many RAM ranges") {
        Mb1 mb;
        for (u64 i = 0; i < 40; ++i) mb.entry(0x40000000 + i * 0x200000, 0x100000, 1);
        auto st = mb.parse(info, extra);
        CHECK(st.error() == Multiboot_error::Too_many_ram_ranges);
    }
}

// ---- Multiboot 2 -----------------------------------------------------------

namespace {

constexpr u64 mb2_pa = 0x8000;

struct Mb2 {
    std::vector<u8> blob = std::vector<u8>(8);

    void tag(u32 type, const std::vector<u8>& payload, u32 size_override = 0) {
        while (blob.size() % 8) blob.push_back(0);
        u32 size = size_override ? size_override : u32(8 + payload.size());
        append32(type);
        append32(size);
        blob.insert(blob.end(), payload.begin(), payload.end());
    }
    void append32(u32 v) {
        for (int i = 0; i < 4; ++i) blob.push_back(u8(v >> (8 * i)));
    }
    static void push32(std::vector<u8>& v, u32 x) {
        for (int i = 0; i < 4; ++i) v.push_back(u8(x >> (8 * i)));
    }
    static void push64(std::vector<u8>& v, u64 x) {
        push32(v, u32(x));
        push32(v, u32(x >> 32));
    }
    static std::vector<u8> str(const char* s) { return std::vector<u8>(s, s + std::strlen(s) + 1); }
    static std::vector<u8> module(u32 start, u32 end, const char* name) {
        std::vector<u8> v;
        push32(v, start);
        push32(v, end);
        auto s = str(name);
        v.insert(v.end(), s.begin(), s.end());
        return v;
    }
    struct Range {
        u64 base, len;
        u32 type;
    };
    static std::vector<u8> mmap(std::initializer_list<Range> ranges, u32 esize = 24) {
        std::vector<u8> v;
        push32(v, esize);
        push32(v, 0);
        for (const Range& r : ranges) {
            push64(v, r.base);
            push64(v, r.len);
            push32(v, r.type);
            push32(v, 0);
        }
        return v;
    }
    void end() { tag(0, {}); }

    // Writes total_size (unless given) and places the blob at mb2_pa.
    Status<Multiboot_error> parse(Platform_info& info, Multiboot_extra& extra, u32 total_override = 0) {
        u32 total = total_override ? total_override : u32(blob.size());
        std::memcpy(blob.data(), &total, 4);
        std::memcpy(&mem.bytes[mb2_pa], blob.data(), blob.size());
        return parse_multiboot(multiboot2_boot_magic, mb2_pa, mem.reader(), info, extra);
    }
    Fake_phys mem;
};

std::vector<u8> rsdp_bytes(u8 revision, u32 fill) {
    std::vector<u8> v(revision >= 2 ? 36 : 20, u8(fill));
    std::memcpy(v.data(), "RSD PTR ", 8);
    v[15] = revision;
    return v;
}

Mb2 good_mb2() {
    Mb2 mb;
    mb.tag(1, Mb2::str("console=serial some args"));
    mb.tag(2, Mb2::str("GRUB 2.06"));
    mb.tag(3, Mb2::module(0x400000, 0x408000, "/boot/roottask.elf"));
    mb.tag(3, Mb2::module(0x408000, 0x409000, "/boot/extra"));
    mb.tag(14, rsdp_bytes(0, 0x11));
    mb.tag(6, Mb2::mmap({{0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0x100000, 0x7ee0000, 1}, {0xfffc0000, 0x40000, 2}}));
    mb.tag(15, rsdp_bytes(2, 0x22));
    mb.tag(14, rsdp_bytes(0, 0x33));  // a later 1.0 copy must not replace the 2.0 one
    mb.end();
    return mb;
}

}  // namespace

TEST_CASE("multiboot2: a GRUB-style boot") {
    Mb2 mb = good_mb2();
    Platform_info info;
    Multiboot_extra extra;
    REQUIRE(mb.parse(info, extra).ok());
    CHECK(extra.version == 2);
    CHECK(std::string(info.machine_model) == "PC (Multiboot2)");
    CHECK(std::string(info.cmdline) == "console=serial some args");
    CHECK(std::string(extra.loader_name) == "GRUB 2.06");
    REQUIRE(info.ram_count == 2);
    CHECK(info.ram[1].base == 0x100000);
    CHECK(info.ram[1].size == 0x7ee0000);
    CHECK(info.root_task.base == 0x400000);
    CHECK(info.root_task.size == 0x8000);
    CHECK(extra.module_count == 2);
    CHECK(has_reserved(info, 0x408000, 0x1000, Reserved_kind::Boot_data));
    CHECK(has_reserved(info, mb2_pa, mb.blob.size(), Reserved_kind::Boot_data));
    REQUIRE(extra.rsdp_size == 36);
    CHECK(extra.rsdp[15] == 2);
    CHECK(extra.rsdp[20] == 0x22);
}

TEST_CASE("multiboot2: a lone ACPI 1.0 RSDP tag is used") {
    Mb2 mb;
    mb.tag(3, Mb2::module(0x400000, 0x408000, "root"));
    mb.tag(6, Mb2::mmap({{0x100000, 0x100000, 1}}));
    mb.tag(14, rsdp_bytes(0, 0x44));
    mb.end();
    Platform_info info;
    Multiboot_extra extra;
    REQUIRE(mb.parse(info, extra).ok());
    CHECK(extra.rsdp_size == 20);
    CHECK(extra.rsdp[16] == 0x44);
    CHECK(info.cmdline[0] == '\0');
}

TEST_CASE("multiboot2: hostile information yields errors") {
    Platform_info info;
    Multiboot_extra extra;
    SUBCASE("total_size too small") {
        Mb2 mb = good_mb2();
        CHECK(mb.parse(info, extra, 8).error() == Multiboot_error::Bad_total_size);
    }
    SUBCASE("total_size absurd") {
        Mb2 mb = good_mb2();
        CHECK(mb.parse(info, extra, 0xfffffff0).error() == Multiboot_error::Bad_total_size);
    }
    SUBCASE("total_size past the end of memory") {
        Mb2 mb = good_mb2();
        mb.mem.bytes.resize(mb2_pa + mb.blob.size());
        auto st = mb.parse(info, extra, u32(mb.blob.size() + 64));
        CHECK(st.error() == Multiboot_error::Unreadable);
    }
    SUBCASE("a tag size running past total_size") {
        Mb2 mb;
        mb.tag(6, Mb2::mmap({{0x100000, 0x100000, 1}}));
        mb.tag(1, Mb2::str("abc"), 0x1000);
        mb.end();
        auto st = mb.parse(info, extra);
        CHECK(st.error() == Multiboot_error::Tag_overrun);
        CHECK(st.detail() == 8 + 8 + 8 + 24);
    }
    SUBCASE("a tag size below its header") {
        Mb2 mb;
        mb.tag(1, {}, 4);
        mb.end();
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Tag_too_small);
    }
    SUBCASE("a tag size of zero") {
        Mb2 mb;
        mb.tag(6, {}, 0);
        mb.end();
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Tag_too_small);
    }
    SUBCASE("a module tag too small for its fields") {
        Mb2 mb;
        mb.tag(3, {1, 2, 3, 4});
        mb.end();
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Tag_too_small);
    }
    SUBCASE("no end tag") {
        Mb2 mb;
        mb.tag(3, Mb2::module(0x400000, 0x408000, "root"));
        mb.tag(6, Mb2::mmap({{0x100000, 0x100000, 1}}));
        CHECK(mb.parse(info, extra).error() == Multiboot_error::No_end_tag);
    }
    SUBCASE("no memory map") {
        Mb2 mb;
        mb.tag(3, Mb2::module(0x400000, 0x408000, "root"));
        mb.end();
        CHECK(mb.parse(info, extra).error() == Multiboot_error::No_memory_map);
    }
    SUBCASE("memory map entry size 0") {
        Mb2 mb;
        mb.tag(3, Mb2::module(0x400000, 0x408000, "root"));
        mb.tag(6, Mb2::mmap({{0x100000, 0x100000, 1}}, 0));
        mb.end();
        auto st = mb.parse(info, extra);
        CHECK(st.error() == Multiboot_error::Bad_mmap_entry_size);
        CHECK(st.detail() == 0);
    }
    SUBCASE("memory map with a partial entry") {
        Mb2 mb;
        auto map = Mb2::mmap({{0x100000, 0x100000, 1}});
        map.resize(map.size() - 8);
        mb.tag(6, map);
        mb.end();
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Mmap_overrun);
    }
    SUBCASE("module ending before it starts") {
        Mb2 mb;
        mb.tag(6, Mb2::mmap({{0x100000, 0x100000, 1}}));
        mb.tag(3, Mb2::module(0x408000, 0x400000, "root"));
        mb.end();
        auto st = mb.parse(info, extra);
        CHECK(st.error() == Multiboot_error::Bad_module);
        CHECK(st.detail() == 0);
    }
    SUBCASE("no module") {
        Mb2 mb;
        mb.tag(6, Mb2::mmap({{0x100000, 0x100000, 1}}));
        mb.end();
        CHECK(mb.parse(info, extra).error() == Multiboot_error::No_root_task_module);
    }
    SUBCASE("an RSDP tag too small for an RSDP") {
        Mb2 mb;
        mb.tag(15, {'R', 'S', 'D'});
        mb.end();
        CHECK(mb.parse(info, extra).error() == Multiboot_error::Bad_acpi_tag);
    }
    SUBCASE("an unterminated command line is cut at the tag's end") {
        Mb2 mb;
        mb.tag(1, {'a', 'b', 'c'});
        mb.tag(3, Mb2::module(0x400000, 0x408000, "root"));
        mb.tag(6, Mb2::mmap({{0x100000, 0x100000, 1}}));
        mb.end();
        REQUIRE(mb.parse(info, extra).ok());
        CHECK(std::string(info.cmdline) == "abc");
    }
}
