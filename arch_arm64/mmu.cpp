// The kernel's final translation tables (TTBR1_EL1) and user address-space
// switching (TTBR0_EL1).
//
// TTBR1 maps, with the generic page tables over a pool inside the image:
//   physmap_base + pa      every RAM range (Normal, RW, never executable)
//                          and each device the port drives (Device-nGnRE)
//   kernel_image_base + …  the image: text RX, rodata RO, data/bss RW
// The early windows and the identity map of start.S are gone afterwards:
// TTBR0 points at an empty table until the core activates a user space.
#include "arch.hpp"
#include "cpu.hpp"
#include "log.hpp"
#include "pagetable.hpp"
#include "string.hpp"

extern "C" char _start[], __text_end[], __rodata_end[], __image_end[];

namespace arm64 {

u64 image_phys_base;
u64 empty_user_root;  // TTBR0 when no user address space is active
u64 kernel_root;      // TTBR1: the kernel's final tables

namespace {

using kernel::Map_attr;
using kernel::page_size;

// The physmap spans 2^47 bytes of physical addresses (up to the image).
constexpr u64 physmap_span = u64(1) << 47;

// Table pages for the kernel's own tables; 64 cover the image, a few
// devices and RAM up to hundreds of GiB (2 MiB / 1 GiB blocks).
constexpr u32 pool_pages = 64;
alignas(4096) u8 pool[pool_pages][4096];
u32 pool_used;

struct Boot_pool {
    u64 alloc_table() {
        if (pool_used == pool_pages) return 0;
        u8* page = pool[pool_used++];
        memset(page, 0, sizeof pool[0]);
        return image_pa(page);
    }
    // Pool pages live in the image, so the image mapping reaches them.
    u64* table(u64 pa) const { return reinterpret_cast<u64*>(pa - image_phys_base + arch::kernel_image_base); }
};

using Kernel_tables = kernel::Page_table<arch::Pte_format, Boot_pool>;

Boot_pool boot_pool;

void map_or_panic(Kernel_tables& pt, u64 va, u64 pa, u64 size, Map_attr attr, const char* what) {
    auto st = pt.map(va, pa, size, attr);
    if (!st)
        kernel::panic("arm64: cannot map %s (%#llx-%#llx at %#llx): %s (detail %#llx)", what, (unsigned long long)pa,
                      (unsigned long long)(pa + size), (unsigned long long)va, kernel::describe(st.error()),
                      (unsigned long long)st.detail());
}

// Maps a device's pages into the physmap as Device memory. Pages another
// device already mapped are shared; a page of RAM is an error.
void map_device(Kernel_tables& pt, kernel::Mmio_range r, const char* what) {
    if (r.size == 0) return;
    u64 end;
    if (!range_end(r.base, r.size, end) || end > physmap_span)
        kernel::panic("arm64: %s at %#llx (+%#llx) lies outside the physical address space", what,
                      (unsigned long long)r.base, (unsigned long long)r.size);
    u64 first = align_down(r.base, page_size), last = align_up(end, page_size);
    bool shared = false;
    for (u64 pa = first; pa < last; pa += page_size) {
        kernel::Translation t = pt.lookup(physmap(pa));
        if (t.present && t.attr.cache != kernel::Cache::Device)
            kernel::panic("arm64: %s at %#llx overlaps RAM", what, (unsigned long long)pa);
        shared |= t.present;
    }
    if (!shared) {
        map_or_panic(pt, physmap(first), first, last - first, Map_attr::device(), what);
        return;
    }
    for (u64 pa = first; pa < last; pa += page_size)
        if (!pt.lookup(physmap(pa)).present) map_or_panic(pt, physmap(pa), pa, page_size, Map_attr::device(), what);
}

}  // namespace

void mmu_init(const kernel::Platform_info& info, const kernel::Fdt_devices& dev) {
    u64 root = boot_pool.alloc_table();
    empty_user_root = boot_pool.alloc_table();
    if (!root || !empty_user_root) kernel::panic("arm64: page-table pool exhausted");
    Kernel_tables pt(boot_pool, root);

    for (u32 i = 0; i < info.ram_count; ++i) {
        u64 base = align_up(info.ram[i].base, page_size);
        u64 end = align_down(info.ram[i].end(), page_size);
        if (end > physmap_span)
            kernel::panic("arm64: RAM at %#llx lies beyond the physmap", (unsigned long long)info.ram[i].base);
        if (end > base) map_or_panic(pt, physmap(base), base, end - base, Map_attr::kernel_rw(), "RAM");
    }
    map_device(pt, dev.uart, "the UART");
    map_device(pt, dev.gic_dist, "the GIC distributor");
    map_device(pt, dev.gic_cpu, "the GIC CPU interface");
    map_device(pt, dev.gic_redist, "the GIC redistributors");
    map_device(pt, dev.power, "the power manager");

    u64 text = u64(_start), rodata = u64(__text_end), data = u64(__rodata_end), end = u64(__image_end);
    map_or_panic(pt, text, image_pa(text), rodata - text, Map_attr::kernel_rx(), "kernel text");
    map_or_panic(pt, rodata, image_pa(rodata), data - rodata, Map_attr::kernel_ro(), "kernel rodata");
    map_or_panic(pt, data, image_pa(data), end - data, Map_attr::kernel_rw(), "kernel data");

    // Switch TTBR1 from the identity alias of the switch routine, then drop
    // the identity map: TTBR0 gets the empty table.
    auto replace = reinterpret_cast<void (*)(u64)>(image_pa(reinterpret_cast<void*>(&arm64_replace_ttbr1)));
    replace(root);
    kernel_root = root;
    write_sysreg(ttbr0_el1, empty_user_root);
    isb();
    asm volatile("tlbi vmalle1; dsb nsh; isb" ::: "memory");
}

}  // namespace arm64

// User address spaces: TTBR1 holds the kernel, so a fresh root needs nothing.
void arch::vspace_init_root(u64*) {}

// TTBR0 carries the address space's ASID [ARM ARM D8.14]: translations of
// different spaces coexist in the TLB and a switch flushes nothing. Root 0
// selects the empty table (ASID 0 is never given to a user space).
void arch::vspace_activate(u64 root_pa, u64 asid) {
    if (root_pa == 0) {
        root_pa = arm64::empty_user_root;
        asid = 0;
    }
    dsb(ishst);
    write_sysreg(ttbr0_el1, (root_pa & arm64::Pte_format::addr_mask) | ((asid & 0xffff) << 48));
    isb();
}

// TLBI VAE1IS / ASIDE1IS take the ASID in bits 63:48 and the page number in
// bits 43:0 [ARM ARM C5.5].
void arch::tlb_flush_page(u64 asid, u64 vaddr) {
    u64 arg = ((asid & 0xffff) << 48) | ((vaddr >> 12) & ((u64(1) << 44) - 1));
    asm volatile("dsb ishst; tlbi vae1is, %0; dsb ish; isb" ::"r"(arg) : "memory");
}
void arch::tlb_flush_asid(u64 asid) {
    asm volatile("dsb ishst; tlbi aside1is, %0; dsb ish; isb" ::"r"((asid & 0xffff) << 48) : "memory");
}
void arch::tables_changed() { asm volatile("dsb ishst" ::: "memory"); }

// 16-bit ASIDs when ID_AA64MMFR0_EL1.ASIDBits says so (TCR_EL1.AS is set to
// match at boot), else 8.
u64 arch::asid_limit() { return ((read_sysreg(id_aa64mmfr0_el1) >> 4) & 0xf) == 2 ? 65536 : 256; }
