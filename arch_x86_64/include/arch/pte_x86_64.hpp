// x86_64 4-level paging entries (PML4E, PDPTE, PDE, PTE) [Intel SDM 3A 4.5].
//
// Generic level numbers: 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT. Intermediate
// entries grant everything (P, RW, US): the leaf alone decides access,
// because the effective rights are the intersection over all levels
// [SDM 3A 4.6.1]. Leaves are 4 KiB pages at level 0 and, with PS set,
// 2 MiB pages at level 1. The encoding also covers 1 GiB pages (PS at
// level 2), but max_block_level stays 1: 1 GiB pages need CPUID
// 80000001h:EDX[26] (Page1GB), which QEMU's default CPU model lacks.
//
// Caching uses the power-on PAT [SDM 3A 11.12.4]: PCD=PWT=0 selects
// write-back (Normal); PCD=PWT=1 selects uncacheable (Device).
// Leaves are created with A and D already set so the CPU never has to
// write them back (the kernel does not track accessed or dirty pages).
#pragma once

#include "mapattr.hpp"
#include "types.hpp"

namespace x86_64 {

struct Pte_format {
    static constexpr unsigned levels = 4;
    static constexpr unsigned max_block_level = 1;

    static constexpr u64 p = u64(1) << 0;     // present
    static constexpr u64 rw = u64(1) << 1;    // writable
    static constexpr u64 us = u64(1) << 2;    // user-accessible
    static constexpr u64 pwt = u64(1) << 3;   // write-through
    static constexpr u64 pcd = u64(1) << 4;   // cache disable
    static constexpr u64 a = u64(1) << 5;     // accessed
    static constexpr u64 d = u64(1) << 6;     // dirty (leaves only)
    static constexpr u64 ps = u64(1) << 7;    // page size: a leaf at PD/PDPT level
    static constexpr u64 g = u64(1) << 8;     // global: survives CR3 reloads
    static constexpr u64 nx = u64(1) << 63;   // execute-disable (needs EFER.NXE)

    // Physical-address fields; bits 51:M of the entry [SDM 3A Table 4-19].
    // A large leaf's bit 12 is its PAT bit, so its mask starts higher.
    static constexpr u64 addr_4k = 0x000ffffffffff000;
    static constexpr u64 addr_2m = 0x000fffffffe00000;
    static constexpr u64 addr_1g = 0x000fffffc0000000;

    static constexpr u64 table(u64 pa) { return (pa & addr_4k) | p | rw | us; }

    static constexpr u64 leaf(u64 pa, unsigned level, kernel::Map_attr attr) {
        u64 e = p | a | d;
        if (level == 0) e |= pa & addr_4k;
        else e |= ps | (pa & (level == 1 ? addr_2m : addr_1g));
        if (attr.write) e |= rw;
        if (attr.user) e |= us;
        if (attr.global) e |= g;
        if (!attr.execute) e |= nx;
        if (attr.cache == kernel::Cache::Device) e |= pcd | pwt;
        return e;
    }

    static constexpr bool present(u64 e) { return (e & p) != 0; }

    // PS is reserved (must be 0) in a PML4E, so level 3 is always a table.
    static constexpr bool is_table(u64 e, unsigned level) {
        return level == 3 || (level > 0 && (e & ps) == 0);
    }

    static constexpr u64 address(u64 e, unsigned level) {
        if (is_table(e, level) || level == 0) return e & addr_4k;
        return e & (level == 1 ? addr_2m : addr_1g);
    }

    static constexpr kernel::Map_attr attributes(u64 e, unsigned) {
        kernel::Map_attr attr;
        attr.write = (e & rw) != 0;
        attr.execute = (e & nx) == 0;
        attr.user = (e & us) != 0;
        attr.global = (e & g) != 0;
        attr.cache = (e & (pcd | pwt)) ? kernel::Cache::Device : kernel::Cache::Normal;
        return attr;
    }
};

}  // namespace x86_64
