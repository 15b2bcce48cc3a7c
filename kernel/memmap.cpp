// Physical memory bookkeeping at boot.
#include "memmap.hpp"

#include "pagetable.hpp"

namespace kernel {

Status<Mem_error> Range_set::insert_at(u32 index, Mem_range r) {
    if (count_ == capacity) return fail(Mem_error::Too_many_ranges, capacity);
    for (u32 i = count_; i > index; --i) ranges_[i] = ranges_[i - 1];
    ranges_[index] = r;
    ++count_;
    return {};
}

void Range_set::erase_at(u32 index) {
    for (u32 i = index; i + 1 < count_; ++i) ranges_[i] = ranges_[i + 1];
    --count_;
}

Status<Mem_error> Range_set::add(u64 base, u64 size) {
    u64 end;
    if (!range_end(base, size, end)) return fail(Mem_error::Bad_range, base);
    if (size == 0) return {};
    // Absorb every range that overlaps or touches [base, end).
    u32 i = 0;
    while (i < count_ && ranges_[i].end() < base) ++i;
    while (i < count_ && ranges_[i].base <= end) {
        base = min(base, ranges_[i].base);
        end = max(end, ranges_[i].end());
        erase_at(i);
    }
    return insert_at(i, {base, end - base});
}

Status<Mem_error> Range_set::remove(u64 base, u64 size) {
    u64 end;
    if (!range_end(base, size, end)) return fail(Mem_error::Bad_range, base);
    for (u32 i = 0; i < count_;) {
        Mem_range r = ranges_[i];
        if (r.end() <= base || r.base >= end) {
            ++i;
            continue;
        }
        erase_at(i);
        if (r.base < base) {
            TRY(insert_at(i, {r.base, base - r.base}));
            ++i;
        }
        if (r.end() > end) {
            TRY(insert_at(i, {end, r.end() - end}));
            ++i;
        }
    }
    return {};
}

void Range_set::trim_to(u64 align) {
    for (u32 i = 0; i < count_;) {
        u64 b = align_up(ranges_[i].base, align);
        u64 e = align_down(ranges_[i].end(), align);
        if (b >= e || b < ranges_[i].base) {
            erase_at(i);
            continue;
        }
        ranges_[i] = {b, e - b};
        ++i;
    }
}

u64 Range_set::total() const {
    u64 t = 0;
    for (u32 i = 0; i < count_; ++i) t += ranges_[i].size;
    return t;
}

bool Range_set::contains(u64 base, u64 size) const {
    u64 end;
    if (!range_end(base, size, end)) return false;
    for (u32 i = 0; i < count_; ++i)
        if (ranges_[i].base <= base && end <= ranges_[i].end()) return true;
    return false;
}

Status<Mem_error> Boot_allocator::init(const Platform_info& info) {
    free_ = Range_set();
    allocated_ = Range_set();
    for (u32 i = 0; i < info.ram_count; ++i) TRY(free_.add(info.ram[i].base, info.ram[i].size));
    for (u32 i = 0; i < info.reserved_count; ++i) {
        // Reserve whole pages around partially used ones.
        const Mem_range& r = info.reserved[i].range;
        u64 end;
        if (!range_end(r.base, r.size, end)) return fail(Mem_error::Bad_range, r.base);
        u64 b = align_down(r.base, page_size);
        TRY(free_.remove(b, align_up(end, page_size) - b));
    }
    // Physical page 0 is never handed out: 0 means "no page" to callers.
    TRY(free_.remove(0, page_size));
    free_.trim_to(page_size);
    return {};
}

Result<u64, Mem_error> Boot_allocator::alloc_pages(u64 count) {
    u64 bytes = count * page_size;
    for (u32 i = 0; i < free_.count(); ++i) {
        if (free_[i].size >= bytes) {
            u64 pa = free_[i].base;
            TRY(allocated_.add(pa, bytes));
            TRY(free_.remove(pa, bytes));
            return pa;
        }
    }
    return fail(Mem_error::Out_of_memory, bytes);
}

namespace {
// Takes [base, base + size), widened to whole pages, out of set.
Status<Mem_error> remove_pages(Range_set& set, u64 base, u64 size) {
    u64 end;
    if (!range_end(base, size, end) || end > ~u64(0) - page_size) return fail(Mem_error::Bad_range, base);
    u64 b = align_down(base, page_size);
    return set.remove(b, align_up(end, page_size) - b);
}
}  // namespace

Status<Mem_error> device_ranges(const Platform_info& info, u64 top, Range_set& out) {
    out = Range_set();
    TRY(out.add(0, align_down(top, page_size)));
    for (u32 i = 0; i < info.ram_count; ++i) TRY(remove_pages(out, info.ram[i].base, info.ram[i].size));
    for (u32 i = 0; i < info.reserved_count; ++i)
        TRY(remove_pages(out, info.reserved[i].range.base, info.reserved[i].range.size));
    return {};
}

unsigned largest_block_bits(u64 base, u64 end, unsigned max_bits) {
    unsigned align = base ? unsigned(__builtin_ctzll(base)) : 63;
    unsigned fit = 63 - unsigned(__builtin_clzll(end - base));
    return min(min(align, fit), max_bits);
}

}  // namespace kernel
