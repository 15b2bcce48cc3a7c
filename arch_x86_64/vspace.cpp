// The kernel's final page tables, and switching user address spaces.
//
// Kernel half of every address space (PML4 slots 256-511, shared by all):
//   physmap_base + pa        every RAM range, RW NX, 2 MiB pages where aligned
//   physmap_base + pa        the devices the kernel drives (local APIC,
//                            I/O APICs: the reserved Device ranges), uncached
//   kernel_image_base + pa   .text RX, .rodata R NX, .data/.bss RW NX (4 KiB)
// All kernel leaves are global, so CR3 switches keep them in the TLB.
#include "arch.hpp"
#include "log.hpp"
#include "pagetable.hpp"
#include "string.hpp"
#include "kernel.hpp"
#include "x86.hpp"

extern "C" char __text_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[], __bss_end[];

namespace x86_64 {

bool pcid_enabled = false;

}  // namespace x86_64

// What a CR3 value is made of, shared with the fastpath's switch
// (fastpath.S): the kernel's tables (for threads without an address
// space), the bits of the ASID that CR3 carries as the PCID (none without
// PCIDs), and bit 63 (no flush) where it is used.
extern "C" {
u64 x86_kernel_root_pa = 0;
u64 x86_cr3_pcid_mask = 0;
u64 x86_cr3_no_flush = 0;
}

namespace x86_64 {

namespace {

using kernel::Map_attr;

// Tables come from this pool in .bss, reached through the kernel image
// mapping (valid under both the boot tables and the final ones). 64 pages
// cover the physmap of about 60 GiB of RAM in 2 MiB pages.
constexpr u32 pool_pages = 64;
alignas(4096) u8 pool[pool_pages][4096];
u32 pool_used = 0;

u64 image_pa(const void* va) { return reinterpret_cast<u64>(va) - arch::kernel_image_base; }

struct Pool {
    u64 alloc_table() {
        if (pool_used == pool_pages) return 0;
        u8* page = pool[pool_used++];
        memset(page, 0, sizeof pool[0]);
        return image_pa(page);
    }
    u64* table(u64 pa) const { return reinterpret_cast<u64*>(pa + arch::kernel_image_base); }
};

Pool pool_memory;

using Kernel_tables = kernel::Page_table<Pte_format, Pool>;

void map_or_panic(Kernel_tables& pt, u64 va, u64 pa, u64 size, Map_attr attr, unsigned max_level, const char* what) {
    auto st = pt.map(va, pa, size, attr, max_level);
    if (!st)
        kernel::panic("x86_64: mapping %s (%#llx-%#llx): %s (detail %#llx; %u of %u table pages used)", what,
                      (unsigned long long)pa, (unsigned long long)(pa + size), kernel::describe(st.error()),
                      (unsigned long long)st.detail(), pool_used, pool_pages);
}

void map_image(Kernel_tables& pt, const char* start, const char* end, Map_attr attr, const char* what) {
    u64 va = reinterpret_cast<u64>(start);
    map_or_panic(pt, va, image_pa(start), u64(end - start), attr, 0, what);
}

}  // namespace

void vspace_build_kernel(const kernel::Platform_info& info) {
    u64 root = pool_memory.alloc_table();
    Kernel_tables pt(pool_memory, root);
    for (u32 i = 0; i < info.ram_count; ++i) {
        u64 base = align_up(info.ram[i].base, kernel::page_size);
        u64 end = align_down(info.ram[i].end(), kernel::page_size);
        if (end <= base) continue;
        if (end > arch::kernel_image_base - arch::physmap_base)
            kernel::panic("x86_64: RAM at %#llx is beyond the physmap", (unsigned long long)end);
        map_or_panic(pt, arch::physmap_base + base, base, end - base, Map_attr::kernel_rw(), 1, "RAM");
    }
    for (u32 i = 0; i < info.reserved_count; ++i) {
        const kernel::Reserved_range& r = info.reserved[i];
        if (r.kind != kernel::Reserved_kind::Device) continue;
        u64 base = align_down(r.range.base, kernel::page_size);
        map_or_panic(pt, arch::physmap_base + base, base, align_up(r.range.end(), kernel::page_size) - base,
                     Map_attr::device(), 0, "a device");
    }
    map_image(pt, __text_start, __text_end, Map_attr::kernel_rx(), "kernel text");
    map_image(pt, __rodata_start, __rodata_end, Map_attr::kernel_ro(), "kernel rodata");
    map_image(pt, __data_start, __bss_end, Map_attr::kernel_rw(), "kernel data");

    x86_kernel_root_pa = root;
    // The boot tables' identity and 4 GiB physmap mappings end here; the
    // GDT, IDT and stacks already live in the image mapping.
    write_cr3(root);
    kernel::kprint("x86_64: kernel page tables: %u of %u pool pages\n", pool_used, pool_pages);
    tlb_init();
}

// CR3 bit 63 [SDM 3A 4.10.4.1]: with PCIDs, a CR3 write invalidates the
// incoming PCID's cached translations unless bit 63 is set. Switches set it
// where both of these hold: the CPU takes the bit (a probe writes the
// current CR3 with it; QEMU's TCG and some hypervisors raise #GP, which the
// kernel's fault fixups turn into "no"), and INVPCID exists
// (CPUID.(EAX=07H,ECX=0):EBX[10]): an address space's entries then outlive
// switches away from it, so an unmap or an ASID's release must invalidate
// them at once even when another address space is current (tlb_flush_*).
// Without it, each switch flushes the incoming PCID, and an address space's
// stale entries die at the next switch to it. Without PCIDs the bit is
// reserved and nothing is probed: QEMU's TCG, which offers no PCIDs,
// retries such a write for ever instead of raising #GP (QEMU 10).
void tlb_init() {
    bool bit63 = pcid_enabled && x86_try_write_cr3(read_cr3() | (u64(1) << 63)) != 0;
    bool invpcid = cpuid(0).eax >= 7 && (cpuid(7).ebx & (u32(1) << 10)) != 0;
    if (pcid_enabled && bit63 && invpcid) x86_cr3_no_flush = u64(1) << 63;
    kernel::kprint("x86_64: PCIDs %s, CR3 bit 63 %s, INVPCID %s: an address-space switch %s\n",
                   pcid_enabled ? "on" : "absent", !pcid_enabled ? "unused" : bit63 ? "taken" : "refused (#GP)",
                   invpcid ? "present" : "absent",
                   x86_cr3_no_flush ? "keeps the incoming PCID's TLB entries"
                   : pcid_enabled   ? "flushes the incoming PCID's TLB entries"
                                    : "flushes every non-global TLB entry");
}

namespace {

// INVPCID [SDM 2A INVPCID]: type 0 invalidates one address in one PCID,
// type 1 every non-global translation of one PCID.
void invpcid(u64 type, u64 pcid, u64 vaddr) {
    struct {
        u64 pcid, vaddr;
    } descriptor{pcid, vaddr};
    asm volatile("invpcid %0, %1" ::"m"(descriptor), "r"(type) : "memory");
}

bool current_tag(u64 asid) { return (read_cr3() & 0xfff) == (asid & x86_cr3_pcid_mask); }

}  // namespace

}  // namespace x86_64

namespace arch {

// The kernel half is shared: copy the kernel's PML4 slots 256-511. The
// kernel maps everything at boot, so these slots never change afterwards.
void vspace_init_root(u64* root_virt) {
    const u64* kernel_root = x86_64::pool_memory.table(x86_kernel_root_pa);
    for (unsigned i = 256; i < 512; ++i) root_virt[i] = kernel_root[i];
}

// With PCIDs, CR3 carries the address space's tag; without bit 63 the write
// also flushes that tag's cached translations [SDM 3A 4.10.4.1], so a tag's
// stale entries never outlive a switch to it. (TCG rejects bit 63.)
void vspace_activate(u64 root_pa, u64 asid) {
    if (root_pa == 0) root_pa = x86_kernel_root_pa;
    x86_64::write_cr3(root_pa | (asid & x86_cr3_pcid_mask) | x86_cr3_no_flush);
}


// The current tag's entries go at once (INVLPG acts on the current PCID;
// a CR3 write without bit 63 flushes it). Another tag's entries: with
// no-flush switches they are invalidated now by INVPCID; otherwise the
// next switch to that tag flushes them before they can be used.
//
// x86 TLBs are per CPU and not kept coherent by the hardware: every other
// CPU that schedules does the same on its own TLB before this returns (an
// IPI each; unmaps and ASID releases are rare and run with the kernel held
// exclusively). The CPUs that never ran the address space, or flush it
// at their next switch to it anyway, do almost nothing.
void tlb_flush_page(u64 asid, u64 vaddr) {
    auto local = [](u64 tag, u64 va) {
        if (!x86_64::pcid_enabled || x86_64::current_tag(tag)) asm volatile("invlpg (%0)" ::"r"(va) : "memory");
        else if (x86_cr3_no_flush) x86_64::invpcid(0, tag & x86_cr3_pcid_mask, va);
    };
    local(asid, vaddr);
    kernel::smp_call_others(local, asid, vaddr);
}
void tlb_flush_asid(u64 asid) {
    auto local = [](u64 tag, u64) {
        if (!x86_64::pcid_enabled || x86_64::current_tag(tag)) x86_64::write_cr3(x86_64::read_cr3() & ~(u64(1) << 63));
        else if (x86_cr3_no_flush) x86_64::invpcid(1, tag & x86_cr3_pcid_mask, 0);
    };
    local(asid, 0);
    kernel::smp_call_others(local, asid, 0);
}
void tables_changed() {}  // x86 table walks see stores in program order
u64 asid_limit() { return 4096; }

}  // namespace arch
