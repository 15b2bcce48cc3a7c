// Address-space objects: frames, page tables, VSpace roots and ASID pools.
//
// A VSpace is usable once an ASID pool has given it an ASID: the hardware
// tag of its translations (arm64 ASID, x86_64 PCID). Mapping state lives in
// the capabilities, as in seL4:
//   frame, page table   word1 = asid << 48 | vaddr | mapped(bit 0);
//                       a page table's small field is the level of the
//                       entry that points at it
//   vspace              word1 = assigned(bit 16) | asid
//   asid pool           word1 = first ASID of the pool
// Unmapping checks the entry still points at the object before clearing it,
// so capabilities that outlive their mappings are harmless.
#pragma once

#include "cspace.hpp"

namespace kernel {

constexpr unsigned asid_pool_bits = 9;  // 512 ASIDs per pool (one 4 KiB page of roots)
constexpr unsigned asid_pools = 8;      // ASIDs 1..4095 (0 is never handed out)

struct Asid_pool {
    u64 roots[u64(1) << asid_pool_bits];  // VSpace root physical address per ASID, 0: free
};
static_assert(sizeof(Asid_pool) == 4096);

// Mapping word of frames and page tables.
struct Mapping {
    bool mapped;
    u64 vaddr;
    u64 asid;
    static Mapping of(const Cap& c) { return {(c.word1() & 1) != 0, c.word1() & 0x0000fffffffff000, c.word1() >> 48}; }
    u64 word() const { return mapped ? (asid << 48) | vaddr | 1 : 0; }
};

constexpr u64 vspace_assigned_bit = u64(1) << 16;
inline bool vspace_has_asid(const Cap& c) { return (c.word1() & vspace_assigned_bit) != 0; }
inline u64 vspace_asid(const Cap& c) { return c.word1() & 0xffff; }

// The VSpace root an ASID names now, or 0.
u64 asid_lookup(u64 asid);

// Boot: makes pool 0 from a zeroed page and gives root_pa ASID 1.
void asid_boot(u64 pool_pa, u64 root_pa);

// Frame size of a frame capability, as a power of two.
unsigned frame_bits(const Cap& c);

// Tears down mappings and ASIDs when the last capability goes.
void vspace_finalise(const Cap& c);

}  // namespace kernel
