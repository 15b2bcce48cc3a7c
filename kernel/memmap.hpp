// Physical memory bookkeeping at boot: sets of disjoint ranges, and the
// boot frame allocator that takes pages from RAM minus everything reserved.
// After boot, what is left becomes the root task's untyped memory; the
// kernel allocates nothing on its own afterwards.
#pragma once

#include "platform.hpp"
#include "result.hpp"
#include "types.hpp"

namespace kernel {

enum class Mem_error : u32 {
    Too_many_ranges,  // detail: capacity
    Out_of_memory,    // detail: bytes requested
    Bad_range,        // detail: base (range wraps around)
};
const char* describe(Mem_error e);

// A sorted set of disjoint, non-adjacent ranges.
class Range_set {
public:
    static constexpr u32 capacity = 64;

    Status<Mem_error> add(u64 base, u64 size);
    Status<Mem_error> remove(u64 base, u64 size);
    // Shrinks every range to whole pages (of `align`), dropping empty ones.
    void trim_to(u64 align);

    u32 count() const { return count_; }
    const Mem_range& operator[](u32 i) const { return ranges_[i]; }
    u64 total() const;
    bool contains(u64 base, u64 size) const;

private:
    Status<Mem_error> insert_at(u32 index, Mem_range r);
    void erase_at(u32 index);

    Mem_range ranges_[capacity] = {};
    u32 count_ = 0;
};

// Hands out physical pages from the start of the first free range that
// fits. Pages are not zeroed: callers clear them through the physmap.
class Boot_allocator {
public:
    // Free = info.ram minus info.reserved, in whole pages.
    Status<Mem_error> init(const Platform_info& info);

    // The physical address of `count` contiguous pages, or an error.
    Result<u64, Mem_error> alloc_pages(u64 count);

    const Range_set& free() const { return free_; }
    // Everything handed out so far (the root task's pages and tables).
    const Range_set& allocated() const { return allocated_; }

private:
    Range_set free_;
    Range_set allocated_;
};

// Device memory: the physical addresses below `top` that are neither RAM
// nor reserved (the devices the kernel drives are reserved), in whole
// pages. Becomes the root task's device untyped memory.
Status<Mem_error> device_ranges(const Platform_info& info, u64 top, Range_set& out);

// The size, as a power of two, of the largest naturally aligned block
// that starts at base and ends at or before end (> base), at most 2^max_bits.
unsigned largest_block_bits(u64 base, u64 end, unsigned max_bits);

}  // namespace kernel
