// Reaching physical memory and user address spaces from the kernel.
#pragma once

#include "arch.hpp"
#include "memmap.hpp"
#include "pagetable.hpp"
#include "result.hpp"

namespace kernel {

inline void* phys_to_virt(u64 pa) { return reinterpret_cast<void*>(pa + arch::physmap_base); }

// Page-table memory reached through the physmap; new tables come from the
// boot allocator (and only during boot: afterwards alloc is null and maps
// that need a table fail).
struct Physmap_memory {
    Boot_allocator* alloc = nullptr;
    u64 alloc_table();
    u64* table(u64 pa) const { return static_cast<u64*>(phys_to_virt(pa)); }
};

using Vspace_tables = Page_table<arch::Pte_format, Physmap_memory>;

// Copies len bytes from user address src in the address space rooted at
// root_pa, checking every page is mapped and user-accessible.
Status<Vm_error> copy_from_user(u64 root_pa, void* dst, u64 src, u64 len);

}  // namespace kernel
