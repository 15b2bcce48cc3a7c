// AArch64 VMSAv8-64 stage 1 descriptors, 4 KiB granule, 48-bit VA
// [ARM ARM D8.3 (Translation table descriptor formats)].
//
// Generic level numbers: 3 = ARM level 0 (root), 2 = ARM level 1 (1 GiB
// blocks), 1 = ARM level 2 (2 MiB blocks), 0 = ARM level 3 (4 KiB pages).
// bits[1:0]: 0b11 = table (levels 3..1) or page (level 0); 0b01 = block
// (levels 2 and 1 only: a level-0 ARM block is not allowed with 4 KiB
// granules). Table descriptors set no hierarchical limits (APTable,
// XNTable = 0): the leaf alone decides access.
//
// Leaf attributes [ARM ARM D8.4 (Memory access control), D8.5]:
//   AttrIndx[4:2] selects a MAIR_EL1 byte: 0 Device-nGnRE, 1 Normal WB
//   AP[7:6] = AP[2:1]: 00 EL1 RW, 01 EL1+EL0 RW, 10 EL1 RO, 11 EL1+EL0 RO
//   SH[9:8] = 0b11 inner shareable for Normal memory
//   AF[10] set up front so no access-flag faults occur (no hardware AF)
//   nG[11] for user mappings (tagged with the ASID)
//   PXN[53] / UXN[54]: user memory is never executable at EL1, kernel
//   memory never at EL0.
#pragma once

#include "mapattr.hpp"
#include "types.hpp"

namespace arm64 {

// MAIR_EL1 layout shared with the boot code [ARM ARM D19.2.97 MAIR_EL1].
constexpr unsigned mair_device_index = 0;  // 0x04: Device-nGnRE
constexpr unsigned mair_normal_index = 1;  // 0xff: Normal, inner/outer write-back, read/write-allocate
constexpr u64 mair_value = 0x04 | (u64(0xff) << 8);

struct Pte_format {
    static constexpr unsigned levels = 4;
    static constexpr unsigned max_block_level = 2;

    static constexpr u64 valid = u64(1) << 0;
    static constexpr u64 table_or_page = u64(1) << 1;  // with valid: table (levels 3..1) or page (level 0)
    static constexpr u64 attr_index_shift = 2;
    static constexpr u64 attr_index_mask = u64(7) << attr_index_shift;
    static constexpr u64 ap_el0 = u64(1) << 6;     // AP[1]: EL0 access
    static constexpr u64 ap_ro = u64(1) << 7;      // AP[2]: read-only
    static constexpr u64 sh_inner = u64(3) << 8;
    static constexpr u64 af = u64(1) << 10;
    static constexpr u64 ng = u64(1) << 11;
    static constexpr u64 pxn = u64(1) << 53;
    static constexpr u64 uxn = u64(1) << 54;

    // Output address bits [47:12] (pages, tables), [47:21], [47:30] (blocks).
    static constexpr u64 addr_mask = 0x0000fffffffff000;
    static constexpr u64 block_mask(unsigned level) { return addr_mask & ~((u64(1) << (12 + 9 * level)) - 1); }

    static constexpr u64 table(u64 pa) { return (pa & addr_mask) | valid | table_or_page; }

    static constexpr u64 leaf(u64 pa, unsigned level, kernel::Map_attr a) {
        u64 e = valid | af | (pa & block_mask(level));
        if (level == 0) e |= table_or_page;
        if (a.cache == kernel::Cache::Device) {
            e |= u64(mair_device_index) << attr_index_shift;  // device memory is outer shareable anyway
        } else {
            e |= u64(mair_normal_index) << attr_index_shift | sh_inner;
        }
        if (!a.write) e |= ap_ro;
        if (a.user) e |= ap_el0 | pxn | (a.execute ? 0 : uxn);
        else e |= uxn | (a.execute ? 0 : pxn);
        if (!a.global) e |= ng;
        return e;
    }

    static constexpr bool present(u64 e) { return (e & valid) != 0; }

    static constexpr bool is_table(u64 e, unsigned level) { return level > 0 && (e & 3) == 3; }

    static constexpr u64 address(u64 e, unsigned level) {
        return is_table(e, level) ? e & addr_mask : e & block_mask(level);
    }

    static constexpr kernel::Map_attr attributes(u64 e, unsigned) {
        kernel::Map_attr a;
        a.write = (e & ap_ro) == 0;
        a.user = (e & ap_el0) != 0;
        a.execute = a.user ? (e & uxn) == 0 : (e & pxn) == 0;
        a.global = (e & ng) == 0;
        a.cache = ((e & attr_index_mask) >> attr_index_shift) == mair_device_index ? kernel::Cache::Device
                                                                                   : kernel::Cache::Normal;
        return a;
    }
};

}  // namespace arm64
