// The generic page-table code (kernel/pagetable.hpp) over fake physical
// memory, with the host stand-in's entry format.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <map>

#include "arch.hpp"
#include "pagetable.hpp"

using namespace kernel;

namespace {

// Page-table memory: "physical addresses" are indexes into a host array.
struct Fake_memory {
    static constexpr u64 base = 0x100000;
    alignas(4096) u64 pages[64][512] = {};
    u32 used = 0;
    u32 limit = 64;
    u64 alloc_table() {
        if (used == limit) return 0;
        std::memset(pages[used], 0, 4096);
        return base + u64(used++) * 4096;
    }
    u64* table(u64 pa) { return pages[(pa - base) / 4096]; }
};

}  // namespace

TEST_CASE("page table: 4 KiB mappings round-trip through lookup") {
    Fake_memory mem;
    u64 root = mem.alloc_table();
    Page_table<arch::Pte_format, Fake_memory> pt(mem, root);
    REQUIRE(pt.map(0x400000, 0x80000000, 0x3000, Map_attr::user_rx(), 0).ok());
    for (u64 off = 0; off < 0x3000; off += 0x800) {
        Translation t = pt.lookup(0x400000 + off);
        REQUIRE(t.present);
        CHECK(t.pa == 0x80000000 + off);
        CHECK(t.level == 0);
        CHECK(t.attr.user);
        CHECK(t.attr.execute);
        CHECK_FALSE(t.attr.write);
    }
    CHECK_FALSE(pt.lookup(0x403000).present);
    CHECK_FALSE(pt.lookup(0x3ff000).present);
    CHECK(mem.used == 4);  // root + 3 intermediate levels
}

TEST_CASE("page table: large pages where alignment allows, 4 KiB elsewhere") {
    Fake_memory mem;
    Page_table<arch::Pte_format, Fake_memory> pt(mem, mem.alloc_table());
    // 0x1ff000 .. 0x401000: one 4K page, one 2M block, one 4K page.
    REQUIRE(pt.map(0xffff8000001ff000ull, 0x1ff000, 0x202000, Map_attr::kernel_rw(), 1).ok());
    CHECK(pt.lookup(0xffff8000001ff000ull).level == 0);
    Translation mid = pt.lookup(0xffff800000234567ull);
    CHECK(mid.level == 1);
    CHECK(mid.pa == 0x234567);
    CHECK(pt.lookup(0xffff800000400000ull).level == 0);
}

TEST_CASE("page table: errors are values and leave existing mappings intact") {
    Fake_memory mem;
    Page_table<arch::Pte_format, Fake_memory> pt(mem, mem.alloc_table());
    CHECK(pt.map(0x1001, 0x2000, 0x1000, Map_attr::user_rw()).error() == Vm_error::Unaligned);
    CHECK(pt.map(0x1000, 0x2001, 0x1000, Map_attr::user_rw()).error() == Vm_error::Unaligned);
    REQUIRE(pt.map(0x1000, 0x2000, 0x1000, Map_attr::user_rw()).ok());
    auto again = pt.map(0x1000, 0x5000, 0x1000, Map_attr::user_rw());
    CHECK(again.error() == Vm_error::Already_mapped);
    CHECK(again.detail() == 0x1000);
    CHECK(pt.lookup(0x1000).pa == 0x2000);
    CHECK(pt.map(0xfffffffffffff000ull, 0, 0x2000, Map_attr::user_rw()).error() == Vm_error::Bad_range);
    REQUIRE(pt.unmap_page(0x1000).ok());
    CHECK_FALSE(pt.lookup(0x1000).present);
    CHECK(pt.unmap_page(0x1000).error() == Vm_error::Not_mapped);
}

TEST_CASE("page table: running out of table memory is reported, not fatal") {
    Fake_memory mem;
    mem.limit = 2;
    Page_table<arch::Pte_format, Fake_memory> pt(mem, mem.alloc_table());
    auto st = pt.map(0x40000000, 0x1000, 0x1000, Map_attr::user_rw());
    CHECK(st.error() == Vm_error::Out_of_memory);
    CHECK_FALSE(pt.lookup(0x40000000).present);
}
