// The arm64 descriptor format (arch_arm64/include/arch/pte_arm64.hpp)
// under the generic page tables, over fake physical memory: the exact
// descriptor bits [ARM ARM D8.3] and lookup() round trips.
#include <doctest/doctest.h>

#include <cstring>

#include "../../arch_arm64/include/arch/pte_arm64.hpp"
#include "pagetable.hpp"

using namespace kernel;
using Fmt = arm64::Pte_format;

namespace {

struct Fake_memory {
    static constexpr u64 base = 0x40000000;
    alignas(4096) u64 pages[32][512] = {};
    u32 used = 0;
    u64 alloc_table() {
        if (used == 32) return 0;
        std::memset(pages[used], 0, 4096);
        return base + u64(used++) * 4096;
    }
    u64* table(u64 pa) { return pages[(pa - base) / 4096]; }
};

constexpr u64 valid = 1, page = 3, block = 1;
constexpr u64 attr_device = 0 << 2, attr_normal = 1 << 2;
constexpr u64 ap_el1_rw = 0 << 6, ap_el0_rw = 1 << 6, ap_el1_ro = 2 << 6, ap_el0_ro = 3 << 6;
constexpr u64 sh_inner = 3 << 8, af = 1 << 10, ng = 1 << 11;
constexpr u64 pxn = u64(1) << 53, uxn = u64(1) << 54;

// The entry at `level` for va (3 = root), walking tables only.
u64 entry(Fake_memory& mem, u64 root, u64 va, unsigned level) {
    u64 t = root;
    for (unsigned l = 3; l > level; --l) t = Fmt::address(mem.table(t)[level_index(va, l)], l);
    return mem.table(t)[level_index(va, level)];
}

}  // namespace

TEST_CASE("arm64 pte: table descriptors") {
    CHECK(Fmt::table(0x40001000) == (0x40001000 | 3));
    CHECK(Fmt::is_table(Fmt::table(0x40001000), 3));
    CHECK(Fmt::address(Fmt::table(0x0000fffffffff000), 1) == 0x0000fffffffff000);
    CHECK_FALSE(Fmt::present(0));
    // bits[1:0] = 01 is a block at levels 2 and 1, never a table.
    CHECK_FALSE(Fmt::is_table(0x40000001, 1));
}

TEST_CASE("arm64 pte: leaf bits for each kind of mapping") {
    const u64 pa = 0x0000123456789000;
    CHECK(Fmt::leaf(pa, 0, Map_attr::user_rx()) == (pa | page | attr_normal | ap_el0_ro | sh_inner | af | ng | pxn));
    CHECK(Fmt::leaf(pa, 0, Map_attr::user_rw()) == (pa | page | attr_normal | ap_el0_rw | sh_inner | af | ng | pxn | uxn));
    CHECK(Fmt::leaf(pa, 0, Map_attr::user_ro()) == (pa | page | attr_normal | ap_el0_ro | sh_inner | af | ng | pxn | uxn));
    CHECK(Fmt::leaf(pa, 0, Map_attr::kernel_rx()) == (pa | page | attr_normal | ap_el1_ro | sh_inner | af | uxn));
    CHECK(Fmt::leaf(pa, 0, Map_attr::kernel_rw()) == (pa | page | attr_normal | ap_el1_rw | sh_inner | af | uxn | pxn));
    CHECK(Fmt::leaf(pa, 0, Map_attr::kernel_ro()) == (pa | page | attr_normal | ap_el1_ro | sh_inner | af | uxn | pxn));
    CHECK(Fmt::leaf(pa, 0, Map_attr::device()) == (pa | page | attr_device | ap_el1_rw | af | uxn | pxn));
    // Blocks: bits[1:0] = 01, and the address keeps only its aligned bits.
    CHECK(Fmt::leaf(0x40200000, 1, Map_attr::kernel_rw()) == (0x40200000 | block | attr_normal | sh_inner | af | uxn | pxn));
    CHECK(Fmt::leaf(0x80000000, 2, Map_attr::kernel_rw()) == (0x80000000 | block | attr_normal | sh_inner | af | uxn | pxn));
    CHECK(Fmt::address(Fmt::leaf(0x80000000, 2, Map_attr::kernel_rw()), 2) == 0x80000000);
    // Upper attribute bits never leak into the address.
    CHECK(Fmt::address(Fmt::leaf(pa, 0, Map_attr::user_rw()), 0) == pa);
}

TEST_CASE("arm64 pte: attributes() inverts leaf()") {
    const Map_attr all[] = {Map_attr::kernel_rw(), Map_attr::kernel_rx(), Map_attr::kernel_ro(), Map_attr::device(),
                            Map_attr::user_rw(), Map_attr::user_rx(), Map_attr::user_ro()};
    for (const Map_attr& a : all) {
        for (unsigned level = 0; level <= Fmt::max_block_level; ++level) {
            Map_attr b = Fmt::attributes(Fmt::leaf(0, level, a), level);
            CHECK(b.write == a.write);
            CHECK(b.execute == a.execute);
            CHECK(b.user == a.user);
            CHECK(b.global == a.global);
            CHECK(b.cache == a.cache);
        }
    }
}

TEST_CASE("arm64 pte: Page_table builds table, block and page descriptors") {
    Fake_memory mem;
    u64 root = mem.alloc_table();
    Page_table<Fmt, Fake_memory> pt(mem, root);

    // A 4 KiB user page: three tables, then a page descriptor.
    REQUIRE(pt.map(0x400000, 0x41000000, 0x1000, Map_attr::user_rx()).ok());
    CHECK((entry(mem, root, 0x400000, 3) & 3) == 3);
    CHECK((entry(mem, root, 0x400000, 2) & 3) == 3);
    CHECK((entry(mem, root, 0x400000, 1) & 3) == 3);
    CHECK(entry(mem, root, 0x400000, 0) == (0x41000000 | page | attr_normal | ap_el0_ro | sh_inner | af | ng | pxn));

    // 1 GiB + 2 MiB of physmap at an aligned address: one 1 GiB block, one 2 MiB block.
    const u64 va = 0xffff000040000000;
    REQUIRE(pt.map(va, 0x40000000, GiB + 2 * MiB, Map_attr::kernel_rw()).ok());
    CHECK(entry(mem, root, va, 2) == (0x40000000 | block | attr_normal | sh_inner | af | uxn | pxn));
    CHECK(entry(mem, root, va + GiB, 1) == (0x80000000 | block | attr_normal | sh_inner | af | uxn | pxn));

    // Device memory at 4 KiB granularity.
    REQUIRE(pt.map(0xffff000009000000, 0x09000000, 0x1000, Map_attr::device(), 0).ok());
    CHECK(entry(mem, root, 0xffff000009000000, 0) == (0x09000000 | page | attr_device | af | uxn | pxn));

    // lookup() round-trips each of them, offsets included.
    Translation t = pt.lookup(0x400abc);
    REQUIRE(t.present);
    CHECK(t.pa == 0x41000abc);
    CHECK(t.level == 0);
    CHECK(t.attr.user);
    CHECK(t.attr.execute);
    CHECK_FALSE(t.attr.write);
    t = pt.lookup(va + 0x12345678);
    REQUIRE(t.present);
    CHECK(t.pa == 0x52345678);
    CHECK(t.level == 2);
    CHECK(t.attr.write);
    CHECK_FALSE(t.attr.execute);
    t = pt.lookup(va + GiB + 0x1234);
    REQUIRE(t.present);
    CHECK(t.pa == 0x80001234);
    CHECK(t.level == 1);
    t = pt.lookup(0xffff000009000010);
    REQUIRE(t.present);
    CHECK(t.pa == 0x09000010);
    CHECK(t.attr.cache == Cache::Device);
    CHECK_FALSE(pt.lookup(0x401000).present);

    // Overlaps are refused, unmap clears the page.
    CHECK_FALSE(pt.map(0x400000, 0x42000000, 0x1000, Map_attr::user_rw()).ok());
    REQUIRE(pt.unmap_page(0x400000).ok());
    CHECK_FALSE(pt.lookup(0x400000).present);
}
