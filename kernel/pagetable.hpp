// Generic radix page tables: 4 levels of 512 entries over 4 KiB pages, the
// shape both x86_64 (PML4) and arm64 (4 KiB granule, 48-bit VA) share.
// The entry encoding comes from arch::Pte_format; where table memory comes
// from and how the kernel reaches it comes from a Memory policy, so the
// same code builds the kernel's tables at boot, user address spaces, and
// runs on the host against fake memory in the unit tests.
//
//   level 3 (root)  level 2         level 1         level 0
//   VA[47:39]  ->   VA[38:30]  ->   VA[29:21]  ->   VA[20:12]  -> 4 KiB page
//                   (1 GiB block)   (2 MiB block)
//
// Policy requirements:
//   Memory::alloc_table() -> u64   physical address of a zeroed 4 KiB page, 0 if none
//   Memory::table(u64 pa) -> u64*  pointer through which the kernel reaches it
//   Fmt: levels, max_block_level, table(pa), leaf(pa, level, attr),
//        present(e), is_table(e, level), address(e, level), attributes(e, level)
#pragma once

#include "mapattr.hpp"
#include "result.hpp"
#include "types.hpp"

namespace kernel {

enum class Vm_error : u32 {
    Unaligned,        // detail: the offending address
    Already_mapped,   // detail: the virtual address
    Out_of_memory,    // no page for an intermediate table
    Not_mapped,       // detail: the virtual address
    Bad_range,        // detail: the virtual address (range wraps)
};

const char* describe(Vm_error e);

constexpr u64 page_size = 4096;
constexpr unsigned page_shift = 12;
constexpr unsigned bits_per_level = 9;
constexpr u64 entries_per_table = 512;

constexpr u64 level_size(unsigned level) { return u64(1) << (page_shift + bits_per_level * level); }
constexpr unsigned level_index(u64 va, unsigned level) {
    return unsigned((va >> (page_shift + bits_per_level * level)) & (entries_per_table - 1));
}

struct Translation {
    bool present = false;
    u64 pa = 0;         // physical address of va (not of the page)
    unsigned level = 0; // 0: 4 KiB page, 1: 2 MiB block, 2: 1 GiB block
    Map_attr attr = {};
};

template <class Fmt, class Memory> class Page_table {
public:
    Page_table(Memory& mem, u64 root_pa) : mem_(mem), root_(root_pa) {}

    u64 root() const { return root_; }

    // Maps [va, va+size) to [pa, pa+size) with the largest pages that fit,
    // never above max_level. Fails without partial rollback of the tables
    // it created (they stay empty and valid).
    Status<Vm_error> map(u64 va, u64 pa, u64 size, Map_attr attr, unsigned max_level = Fmt::max_block_level) {
        if (!is_aligned(va, page_size)) return fail(Vm_error::Unaligned, va);
        if (!is_aligned(pa, page_size)) return fail(Vm_error::Unaligned, pa);
        if (!is_aligned(size, page_size)) return fail(Vm_error::Unaligned, size);
        u64 end;
        if (!range_end(va, size, end) && end != 0) return fail(Vm_error::Bad_range, va);
        max_level = min(max_level, unsigned(Fmt::max_block_level));
        while (size) {
            unsigned level = max_level;
            while (level > 0 && (!is_aligned(va, level_size(level)) || !is_aligned(pa, level_size(level)) ||
                                 size < level_size(level)))
                --level;
            TRY(map_one(va, pa, level, attr));
            va += level_size(level);
            pa += level_size(level);
            size -= level_size(level);
        }
        return {};
    }

    Translation lookup(u64 va) const {
        u64 table_pa = root_;
        for (unsigned level = Fmt::levels - 1;; --level) {
            u64 e = mem_.table(table_pa)[level_index(va, level)];
            if (!Fmt::present(e)) return {};
            if (level > 0 && Fmt::is_table(e, level)) {
                table_pa = Fmt::address(e, level);
                continue;
            }
            u64 offset = va & (level_size(level) - 1);
            return {true, Fmt::address(e, level) + offset, level, Fmt::attributes(e, level)};
        }
    }

    // Removes the 4 KiB page mapping at va (blocks are not split).
    Status<Vm_error> unmap_page(u64 va) {
        u64 table_pa = root_;
        for (unsigned level = Fmt::levels - 1;; --level) {
            u64* t = mem_.table(table_pa);
            u64& e = t[level_index(va, level)];
            if (!Fmt::present(e)) return fail(Vm_error::Not_mapped, va);
            if (level > 0 && Fmt::is_table(e, level)) {
                table_pa = Fmt::address(e, level);
                continue;
            }
            if (level != 0) return fail(Vm_error::Unaligned, va);
            e = 0;
            return {};
        }
    }

private:
    Status<Vm_error> map_one(u64 va, u64 pa, unsigned target, Map_attr attr) {
        u64 table_pa = root_;
        for (unsigned level = Fmt::levels - 1; level > target; --level) {
            u64& e = mem_.table(table_pa)[level_index(va, level)];
            if (!Fmt::present(e)) {
                u64 fresh = mem_.alloc_table();
                if (!fresh) return fail(Vm_error::Out_of_memory, va);
                e = Fmt::table(fresh);
            } else if (!Fmt::is_table(e, level)) {
                return fail(Vm_error::Already_mapped, va);
            }
            table_pa = Fmt::address(e, level);
        }
        u64& leaf = mem_.table(table_pa)[level_index(va, target)];
        if (Fmt::present(leaf)) return fail(Vm_error::Already_mapped, va);
        leaf = Fmt::leaf(pa, target, attr);
        return {};
    }

    Memory& mem_;
    u64 root_;
};

}  // namespace kernel
