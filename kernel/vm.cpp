// Reaching physical memory and user address spaces from the kernel.
#include "vm.hpp"

#include "string.hpp"

namespace kernel {

u64 Physmap_memory::alloc_table() {
    if (!alloc) return 0;
    auto r = alloc->alloc_pages(1);
    if (!r) return 0;
    memset(phys_to_virt(*r), 0, page_size);
    return *r;
}

Status<Vm_error> copy_from_user(u64 root_pa, void* dst, u64 src, u64 len) {
    u64 end;
    if (!range_end(src, len, end) || end > arch::user_top) return fail(Vm_error::Bad_range, src);
    Physmap_memory mem;
    Vspace_tables tables(mem, root_pa);
    auto* out = static_cast<u8*>(dst);
    while (len) {
        Translation t = tables.lookup(src);
        if (!t.present || !t.attr.user) return fail(Vm_error::Not_mapped, src);
        u64 n = min(len, page_size - (src & (page_size - 1)));
        memcpy(out, phys_to_virt(t.pa), n);
        out += n;
        src += n;
        len -= n;
    }
    return {};
}

}  // namespace kernel
