// Boot memory bookkeeping (kernel/memmap.cpp).
#include <doctest/doctest.h>

#include "memmap.hpp"

using namespace kernel;

TEST_CASE("range set: add merges overlapping and touching ranges, keeps order") {
    Range_set s;
    REQUIRE(s.add(0x3000, 0x1000).ok());
    REQUIRE(s.add(0x1000, 0x1000).ok());
    REQUIRE(s.add(0x2000, 0x1000).ok());  // touches both: one range
    REQUIRE(s.count() == 1);
    CHECK(s[0].base == 0x1000);
    CHECK(s[0].size == 0x3000);
    REQUIRE(s.add(0x10000, 0x1000).ok());
    REQUIRE(s.add(0x8000, 0x1000).ok());
    REQUIRE(s.count() == 3);
    CHECK(s[1].base == 0x8000);
    CHECK(s.total() == 0x5000);
}

TEST_CASE("range set: remove splits, trims and drops") {
    Range_set s;
    REQUIRE(s.add(0x0, 0x10000).ok());
    REQUIRE(s.remove(0x4000, 0x1000).ok());
    REQUIRE(s.count() == 2);
    CHECK(s[0].size == 0x4000);
    CHECK(s[1].base == 0x5000);
    REQUIRE(s.remove(0x0, 0x4000).ok());
    REQUIRE(s.count() == 1);
    REQUIRE(s.remove(0x0, 0x100000).ok());
    CHECK(s.count() == 0);
    CHECK(s.contains(0x0, 1) == false);
}

TEST_CASE("range set: wrapping ranges are refused, capacity is enforced") {
    Range_set s;
    auto st = s.add(~0ull - 10, 100);
    CHECK_FALSE(st.ok());
    CHECK(st.error() == Mem_error::Bad_range);
    for (u32 i = 0; i < Range_set::capacity; ++i) REQUIRE(s.add(u64(i) * 0x10000, 0x1000).ok());
    auto full = s.add(0x10000000, 0x1000);
    CHECK(full.error() == Mem_error::Too_many_ranges);
}

TEST_CASE("range set: trim keeps whole pages only") {
    Range_set s;
    REQUIRE(s.add(0x1800, 0x2000).ok());  // 0x1800-0x3800 -> 0x2000-0x3000
    REQUIRE(s.add(0x10100, 0x100).ok());  // no whole page
    s.trim_to(0x1000);
    REQUIRE(s.count() == 1);
    CHECK(s[0].base == 0x2000);
    CHECK(s[0].size == 0x1000);
}

TEST_CASE("boot allocator: RAM minus reserved, never page 0, runs out cleanly") {
    Platform_info info;
    REQUIRE(info.add_ram(0x0, 0x10000));
    REQUIRE(info.add_ram(0x100000, 0x3000));
    REQUIRE(info.add_reserved(0x2100, 0x10, Reserved_kind::Boot_data));  // partial page: whole page reserved
    REQUIRE(info.add_reserved(0x4000, 0xc000, Reserved_kind::Kernel));
    Boot_allocator a;
    REQUIRE(a.init(info).ok());
    CHECK(a.free().total() == 0x1000 /*0x1000*/ + 0x1000 /*0x3000*/ + 0x3000);
    auto p1 = a.alloc_pages(1);
    REQUIRE(p1.ok());
    CHECK(*p1 == 0x1000);  // page 0 is never handed out
    auto big = a.alloc_pages(3);
    REQUIRE(big.ok());
    CHECK(*big == 0x100000);
    auto p2 = a.alloc_pages(1);
    REQUIRE(p2.ok());
    CHECK(*p2 == 0x3000);
    auto none = a.alloc_pages(1);
    CHECK_FALSE(none.ok());
    CHECK(none.error() == Mem_error::Out_of_memory);
}

TEST_CASE("device memory: the address space minus RAM and every reserved range, in whole pages") {
    Platform_info info;
    REQUIRE(info.add_ram(0x40000000, 0x20000000));
    REQUIRE(info.add_reserved(0x09000000, 0x1000, Reserved_kind::Device));    // the kernel's UART
    REQUIRE(info.add_reserved(0x08000000, 0x10100, Reserved_kind::Device));   // partial page: whole page kept
    REQUIRE(info.add_reserved(0x44000000, 0x100000, Reserved_kind::Boot_data));  // inside RAM: no effect
    REQUIRE(info.add_reserved(0xfff00000, 0x80, Reserved_kind::Firmware));    // outside RAM: left out too
    Range_set dev;
    REQUIRE(device_ranges(info, u64(1) << 40, dev).ok());
    REQUIRE(dev.count() == 5);
    CHECK(dev[0].base == 0);
    CHECK(dev[0].end() == 0x08000000);
    CHECK(dev[1].base == 0x08011000);
    CHECK(dev[1].end() == 0x09000000);
    CHECK(dev[2].base == 0x09001000);
    CHECK(dev[2].end() == 0x40000000);
    CHECK(dev[3].base == 0x60000000);
    CHECK(dev[3].end() == 0xfff00000);
    CHECK(dev[4].base == 0xfff01000);
    CHECK(dev[4].end() == u64(1) << 40);
    // Nothing: no address width known.
    REQUIRE(device_ranges(info, 0, dev).ok());
    CHECK(dev.count() == 0);
    // A reserved range that wraps is refused.
    REQUIRE(info.add_reserved(~u64(0) - 0x10, 0x100, Reserved_kind::Device));
    CHECK(device_ranges(info, u64(1) << 40, dev).error() == Mem_error::Bad_range);
}

TEST_CASE("device memory: cut into the fewest naturally aligned power-of-two blocks") {
    CHECK(largest_block_bits(0, u64(1) << 40, 47) == 40);
    CHECK(largest_block_bits(0, u64(1) << 48, 47) == 47);        // capped at the untyped maximum
    CHECK(largest_block_bits(0x60000000, u64(1) << 40, 47) == 29);  // alignment limits
    CHECK(largest_block_bits(0x80000000, 0x80003000, 47) == 13);    // room limits
    CHECK(largest_block_bits(0x1000, 0x2000, 47) == 12);
    // Cutting [0x09001000, 0x40000000) as boot does covers it exactly.
    u64 b = 0x09001000, e = 0x40000000, covered = 0;
    unsigned blocks = 0;
    while (b < e) {
        unsigned bits = largest_block_bits(b, e, 47);
        CHECK(b % (u64(1) << bits) == 0);
        covered += u64(1) << bits;
        b += u64(1) << bits;
        ++blocks;
    }
    CHECK(b == e);
    CHECK(covered == e - 0x09001000);
    CHECK(blocks < 2 * 30);
}
