// The x86_64 page-table entry format (arch_x86_64/include/arch/pte_x86_64.hpp),
// alone and driving the generic Page_table over fake memory.
#include <doctest/doctest.h>

#include <cstring>

#include "../../arch_x86_64/include/arch/pte_x86_64.hpp"
#include "pagetable.hpp"

using namespace kernel;
using Fmt = x86_64::Pte_format;

namespace {

constexpr u64 P = 1, RW = 2, US = 4, PWT = 8, PCD = 16, A = 32, D = 64, PS = 128, G = 256;
constexpr u64 NX = u64(1) << 63;

struct Fake_memory {
    static constexpr u64 base = 0x7000000;
    alignas(4096) u64 pages[32][512] = {};
    u32 used = 0;
    u64 alloc_table() {
        if (used == 32) return 0;
        std::memset(pages[used], 0, 4096);
        return base + u64(used++) * 4096;
    }
    u64* table(u64 pa) { return pages[(pa - base) / 4096]; }
};

}  // namespace

TEST_CASE("pte x86_64: leaf bits for each attribute [SDM 3A 4.5]") {
    u64 e = Fmt::leaf(0x12345000, 0, Map_attr::user_rw());
    CHECK((e & (P | RW | US)) == (P | RW | US));
    CHECK((e & NX) != 0);
    CHECK((e & G) == 0);
    CHECK((e & PS) == 0);
    CHECK((e & (PCD | PWT)) == 0);
    CHECK((e & (A | D)) == (A | D));
    CHECK((e & Fmt::addr_4k) == 0x12345000);

    e = Fmt::leaf(0x1000, 0, Map_attr::user_rx());
    CHECK((e & RW) == 0);
    CHECK((e & NX) == 0);
    CHECK((e & US) != 0);

    e = Fmt::leaf(0x1000, 0, Map_attr::kernel_rx());
    CHECK((e & US) == 0);
    CHECK((e & G) != 0);
    CHECK((e & NX) == 0);
    CHECK((e & RW) == 0);

    e = Fmt::leaf(0xfee00000, 0, Map_attr::device());
    CHECK((e & (PCD | PWT)) == (PCD | PWT));
    CHECK((e & NX) != 0);
    CHECK((e & RW) != 0);

    e = Fmt::leaf(0x1000, 0, Map_attr::kernel_ro());
    CHECK((e & (RW | US)) == 0);
    CHECK((e & NX) != 0);
}

TEST_CASE("pte x86_64: tables, large leaves and addresses") {
    u64 t = Fmt::table(0xabcdef000);
    CHECK(Fmt::present(t));
    CHECK((t & (P | RW | US)) == (P | RW | US));
    CHECK((t & (NX | PS)) == 0);
    for (unsigned level = 1; level <= 3; ++level) {
        CHECK(Fmt::is_table(t, level));
        CHECK(Fmt::address(t, level) == 0xabcdef000);
    }
    CHECK_FALSE(Fmt::is_table(Fmt::leaf(0x1000, 0, Map_attr::kernel_rw()), 0));

    u64 big = Fmt::leaf(0x40200000, 1, Map_attr::kernel_rw());
    CHECK((big & PS) != 0);
    CHECK_FALSE(Fmt::is_table(big, 1));
    CHECK(Fmt::address(big, 1) == 0x40200000);
    // Bit 12 of a large leaf is PAT, not address: it must not leak into it.
    CHECK(Fmt::address(big | 0x1000, 1) == 0x40200000);
    CHECK(Fmt::leaf(0x40201000, 1, Map_attr::kernel_rw()) == big);  // low bits dropped

    u64 huge = Fmt::leaf(0x80000000, 2, Map_attr::kernel_rw());
    CHECK((huge & PS) != 0);
    CHECK_FALSE(Fmt::is_table(huge, 2));
    CHECK(Fmt::address(huge, 2) == 0x80000000);

    CHECK_FALSE(Fmt::present(0));
    CHECK_FALSE(Fmt::present(Fmt::addr_4k));
    CHECK(Fmt::levels == 4);
    CHECK(Fmt::max_block_level == 1);  // no 1 GiB pages without CPUID Page1GB
}

TEST_CASE("pte x86_64: attributes round-trip") {
    const Map_attr all[] = {Map_attr::kernel_rw(), Map_attr::kernel_rx(), Map_attr::kernel_ro(), Map_attr::device(),
                            Map_attr::user_rw(),   Map_attr::user_rx(),   Map_attr::user_ro()};
    for (const Map_attr& a : all) {
        for (unsigned level = 0; level <= 1; ++level) {
            Map_attr b = Fmt::attributes(Fmt::leaf(0x200000, level, a), level);
            CHECK(b.write == a.write);
            CHECK(b.execute == a.execute);
            CHECK(b.user == a.user);
            CHECK(b.global == a.global);
            CHECK(b.cache == a.cache);
        }
    }
}

TEST_CASE("pte x86_64: Page_table with 4 KiB and 2 MiB leaves over fake memory") {
    Fake_memory mem;
    u64 root = mem.alloc_table();
    Page_table<Fmt, Fake_memory> pt(mem, root);
    // A physmap-style range: 4 KiB head, two 2 MiB pages, 4 KiB tail.
    const u64 va = 0xffff800000000000ull + 0x1ff000, pa = 0x1ff000, size = 0x401000 + 0x1000;
    REQUIRE(pt.map(va, pa, size, Map_attr::kernel_rw()).ok());

    Translation head = pt.lookup(va + 0x10);
    REQUIRE(head.present);
    CHECK(head.level == 0);
    CHECK(head.pa == pa + 0x10);

    Translation mid = pt.lookup(va + 0x1000 + 0x234567);
    REQUIRE(mid.present);
    CHECK(mid.level == 1);
    CHECK(mid.pa == 0x200000 + 0x234567);
    CHECK(mid.attr.write);
    CHECK_FALSE(mid.attr.execute);
    CHECK(mid.attr.global);

    Translation tail = pt.lookup(0xffff800000600000ull);
    REQUIRE(tail.present);
    CHECK(tail.level == 0);
    CHECK(tail.pa == 0x600000);
    CHECK_FALSE(pt.lookup(0xffff800000601000ull).present);

    // The raw entries: PML4 slot 256 -> PDPT -> PD whose slots 1 and 2 are
    // 2 MiB leaves.
    u64 pml4e = mem.table(root)[256];
    CHECK(Fmt::is_table(pml4e, 3));
    u64 pdpte = mem.table(Fmt::address(pml4e, 3))[0];
    u64* pd = mem.table(Fmt::address(pdpte, 2));
    CHECK((pd[1] & PS) != 0);
    CHECK((pd[2] & PS) != 0);
    CHECK((pd[0] & PS) == 0);
    CHECK((pd[1] & NX) != 0);
    CHECK((pd[1] & G) != 0);
    CHECK(Fmt::address(pd[2], 1) == 0x400000);

    // A user page next to it, then unmapped again.
    REQUIRE(pt.map(0x400000, 0x9000000, 0x1000, Map_attr::user_rx()).ok());
    Translation u = pt.lookup(0x400abc);
    REQUIRE(u.present);
    CHECK(u.attr.user);
    CHECK(u.attr.execute);
    CHECK_FALSE(u.attr.write);
    CHECK_FALSE(u.attr.global);
    CHECK(u.pa == 0x9000abc);
    CHECK(pt.map(0x400000, 0x9001000, 0x1000, Map_attr::user_rw()).error() == Vm_error::Already_mapped);
    REQUIRE(pt.unmap_page(0x400000).ok());
    CHECK_FALSE(pt.lookup(0x400000).present);

    // Device mappings carry PCD|PWT through lookup.
    REQUIRE(pt.map(0xffff8000fee00000ull, 0xfee00000, 0x1000, Map_attr::device()).ok());
    CHECK(pt.lookup(0xffff8000fee00030ull).attr.cache == Cache::Device);
}

TEST_CASE("pte x86_64: max_level caps the leaf size") {
    Fake_memory mem;
    Page_table<Fmt, Fake_memory> pt(mem, mem.alloc_table());
    REQUIRE(pt.map(0x40000000, 0x40000000, 0x400000, Map_attr::kernel_rw(), 0).ok());
    CHECK(pt.lookup(0x40200000).level == 0);
    // Asking for 1 GiB pages still yields 2 MiB ones: max_block_level is 1.
    REQUIRE(pt.map(0x80000000, 0x80000000, 0x40000000, Map_attr::kernel_rw(), 2).ok());
    CHECK(pt.lookup(0x80000000).level == 1);
}
