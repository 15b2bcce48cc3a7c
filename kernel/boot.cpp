// The portable half of boot: from the platform description the arch hands
// over to the root task running in user mode.
//
//   1. the boot allocator takes RAM minus every reserved range
//   2. the root task's ELF is validated and loaded into a fresh address space
//   3. its stack and the boot-info page are mapped
//   4. the timer starts and the root task enters user mode
#include <baton/bootinfo.h>

#include <new>

#include "arch.hpp"
#include "config.hpp"
#include "cspace.hpp"
#include "elf.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "memmap.hpp"
#include "percpu.hpp"
#include "smp.hpp"
#include "string.hpp"
#include "thread.hpp"
#include "vm.hpp"
#include "vspace_obj.hpp"

namespace kernel {
namespace {

// The root task's fixed user addresses (below arch::user_top on both arches).
constexpr u64 root_stack_top = 0x00007fffffff0000;
constexpr u64 root_stack_pages = 16;
constexpr u64 root_bootinfo_va = 0x00007fffffff8000;  // above the stack, past a guard gap
constexpr u64 root_ipc_buffer_va = 0x00007fffffffa000;
constexpr u64 root_asid = 1;

Boot_allocator boot_alloc;
Range_set device_memory;  // what becomes device untyped memory

u64 alloc_zeroed(const char* what, u64 pages = 1) {
    auto r = boot_alloc.alloc_pages(pages);
    if (!r) panic("boot: no memory for %s: %s", what, describe(r.error()));
    memset(phys_to_virt(*r), 0, pages * page_size);
    return *r;
}

void map_or_panic(Vspace_tables& vs, u64 va, u64 pa, u64 size, Map_attr attr, const char* what) {
    auto st = vs.map(va, pa, size, attr, 0);
    if (!st) panic("boot: mapping %s at %#llx failed: %s", what, (unsigned long long)va, describe(st.error()));
}

u32 region_kind(Reserved_kind k) {
    switch (k) {
    case Reserved_kind::Kernel: return BATON_REGION_KERNEL;
    case Reserved_kind::Boot_data: return BATON_REGION_BOOT_DATA;
    case Reserved_kind::Root_task: return BATON_REGION_ROOT_TASK;
    case Reserved_kind::Firmware: return BATON_REGION_FIRMWARE;
    case Reserved_kind::Device: return BATON_REGION_DEVICE;
    }
    return BATON_REGION_FIRMWARE;
}

void add_region(baton_bootinfo& bi, u64 base, u64 size, u32 kind, u32 node) {
    if (size == 0) return;
    // Past the table's room: counted, so the root task knows the list is short.
    if (bi.region_count == BATON_BOOTINFO_MAX_REGIONS) {
        ++bi.regions_left_out;
        return;
    }
    // Keep the list sorted by base.
    u32 i = bi.region_count++;
    while (i > 0 && bi.regions[i - 1].base > base) {
        bi.regions[i] = bi.regions[i - 1];
        --i;
    }
    bi.regions[i] = {base, size, kind, node};
}

// The NUMA node of the RAM at pa, and in `end` where that node's RAM
// stops (at most limit); outside RAM BATON_NODE_NONE, up to limit.
u32 node_at(const Platform_info& info, u64 pa, u64 limit, u64& end) {
    u32 node;
    if (numa_ram_node(info, pa, limit, node, end)) return node;
    end = limit;
    return BATON_NODE_NONE;
}

// A region, split where RAM changes node, each part tagged with its node.
void add_node_regions(baton_bootinfo& bi, const Platform_info& info, u64 base, u64 size, u32 kind) {
    for (u64 b = base, e = base + size, end; b < e; b = end) {
        u32 node = node_at(info, b, e, end);
        add_region(bi, b, end - b, kind, node);
    }
}

struct Loaded_image {
    u64 entry, lowest, highest;
};

Loaded_image load_root_task(const Platform_info& info, Vspace_tables& vs) {
    const u8* image = static_cast<const u8*>(phys_to_virt(info.root_task.base));
    auto parsed = Elf_image::parse(image, info.root_task.size, arch::elf_machine, arch::user_top);
    if (!parsed) {
        if (parsed.error() == Elf_error::Wrong_machine)
            panic("root task: not a valid executable: built for %s (e_machine %llu), this kernel runs %s (e_machine %u)",
                  elf_machine_name(u16(parsed.detail())), (unsigned long long)parsed.detail(),
                  elf_machine_name(arch::elf_machine), arch::elf_machine);
        panic("root task: not a valid executable: %s (detail %#llx; image at %#llx, %llu bytes)",
              describe(parsed.error()), (unsigned long long)parsed.detail(),
              (unsigned long long)info.root_task.base, (unsigned long long)info.root_task.size);
    }
    const Elf_image& elf = *parsed;
    Loaded_image out{elf.entry(), ~u64(0), 0};
    for (u32 i = 0; i < elf.segment_count(); ++i) {
        const Elf_segment& s = elf.segment(i);
        u64 first = align_down(s.vaddr, page_size);
        u64 pages = (align_up(s.vaddr + s.memsz, page_size) - first) / page_size;
        u64 pa = alloc_zeroed("the root task's image", pages);
        memcpy(static_cast<u8*>(phys_to_virt(pa)) + (s.vaddr - first), image + s.offset, s.filesz);
        Map_attr attr = Map_attr::user_ro();
        attr.write = s.write;
        attr.execute = s.execute;
        map_or_panic(vs, first, pa, pages * page_size, attr, "the root task's image");
        out.lowest = min(out.lowest, first);
        out.highest = max(out.highest, first + pages * page_size);
    }
    kprint("kernel: root task: entry %#llx, %u segments, %llu KiB at %#llx-%#llx\n", (unsigned long long)elf.entry(),
           elf.segment_count(), (unsigned long long)((out.highest - out.lowest) / KiB),
           (unsigned long long)out.lowest, (unsigned long long)out.highest);
    return out;
}

// The NUMA part of the boot info: nodes, their CPUs (the online ones, by
// number) and RAM, distances.
void fill_topology(baton_bootinfo& bi, const Platform_info& info) {
    const Numa_topology& t = info.numa;
    bi.node_count = min(t.node_count, u32(BATON_BOOTINFO_MAX_NODES));
    for (u32 i = 0; i < info.ram_count; ++i)
        if (info.ram_node[i] < BATON_BOOTINFO_MAX_NODES) bi.node_ram[info.ram_node[i]] += info.ram[i].size;
    for (u32 c = 0; c < info.cpu_count && c < BATON_BOOTINFO_MAX_CPUS; ++c) {
        u32 node = t.cpu_node(arch::cpu_hw_id(c));
        if (node >= bi.node_count) node = 0;
        bi.cpu_node[c] = u8(node);
        bi.node_cpus[node] |= u64(1) << c;
    }
    for (u32 a = 0; a < bi.node_count; ++a)
        for (u32 b = 0; b < bi.node_count; ++b) bi.node_distance[a][b] = u8(t.distance_between(a, b));
}

void fill_bootinfo(baton_bootinfo& bi, const Platform_info& info, const Loaded_image& img) {
    bi.magic = BATON_BOOTINFO_MAGIC;
    bi.version = BATON_BOOTINFO_VERSION;
    bi.size = sizeof bi;
    kstr::copy(bi.platform, sizeof bi.platform, info.platform_name, strlen(info.platform_name));
    kstr::copy(bi.machine, sizeof bi.machine, info.machine_model, strlen(info.machine_model));
    kstr::copy(bi.arch, sizeof bi.arch, arch::name, strlen(arch::name));
    kstr::copy(bi.cmdline, sizeof bi.cmdline, info.cmdline, kstr::bounded_len(info.cmdline, sizeof info.cmdline));
    bi.cpu_count = info.cpu_count;
    bi.timer_hz = timer_hz;
    bi.stack_top = root_stack_top;
    bi.stack_base = root_stack_top - root_stack_pages * page_size;
    bi.image_base = img.lowest;
    bi.image_end = img.highest;
    bi.ipc_buffer = root_ipc_buffer_va;
    for (u32 i = 0; i < info.ram_count; ++i) bi.ram_total += info.ram[i].size;
    // A reserved range is one region, of the node its start is in.
    for (u32 i = 0; i < info.reserved_count; ++i) {
        const Reserved_range& r = info.reserved[i];
        u64 end;
        add_region(bi, r.range.base, r.range.size, region_kind(r.kind), node_at(info, r.range.base, r.range.end(), end));
    }
    // What the boot allocator handed out holds the root task's pages and tables.
    const Range_set& used = boot_alloc.allocated();
    for (u32 i = 0; i < used.count(); ++i) add_node_regions(bi, info, used[i].base, used[i].size, BATON_REGION_ROOT_TASK);
    const Range_set& free = boot_alloc.free();
    for (u32 i = 0; i < free.count(); ++i) {
        add_node_regions(bi, info, free[i].base, free[i].size, BATON_REGION_FREE);
        bi.free_total += free[i].size;
    }
    fill_topology(bi, info);
}

// A capability made at boot: the root of its derivation tree.
void boot_cap(const Cap& cnode, u32 index, Cap c) {
    Slot* s = cnode_slot(cnode, index);
    mdb_insert(nullptr, s, c, true, true);
}

// Copies the capability at cnode[index] into a thread's own slot.
void give_thread(const Cap& cnode, u32 index, Thread* t, Tcb_slot which) {
    Slot* src = cnode_slot(cnode, index);
    mdb_insert(src, &t->slots[which], src->cap, false, false);
}

// Untyped capabilities for every range of `set`, each cut at NUMA node
// boundaries (so no block spans two nodes) and into the largest naturally
// aligned power-of-two blocks, in slots from `slot` on. Blocks beyond the
// boot info's room are counted as left out.
void make_untyped_blocks(const Cap& cnode, u32& slot, baton_bootinfo& bi, const Platform_info& info,
                         const Range_set& set, bool device) {
    const unsigned max_bits = baton::object_type_info[unsigned(Cap_type::Untyped)].max_size_bits;
    for (u32 i = 0; i < set.count(); ++i) {
        for (u64 b = set[i].base, e = set[i].end(), node_end; b < e;) {
            u32 node = device ? BATON_NODE_NONE : node_at(info, b, e, node_end);
            if (device) node_end = e;
            while (b < node_end) {
                unsigned bits = largest_block_bits(b, node_end, max_bits);
                if (bi.untyped_count == BATON_BOOTINFO_MAX_UNTYPED) {
                    if (bi.untyped_left_out++ == 0) bi.left_out_base = b;
                } else {
                    boot_cap(cnode, slot++, Cap::untyped(b, u8(bits), device));
                    bi.untyped[bi.untyped_count++] = {b, u8(bits), u8(device), u16(node), 0};
                }
                b += u64(1) << bits;
            }
        }
    }
}

// Free RAM, then device memory, as untyped capabilities.
void make_untyped(const Cap& cnode, baton_bootinfo& bi, const Platform_info& info) {
    u32 slot = bi.untyped_first;
    make_untyped_blocks(cnode, slot, bi, info, boot_alloc.free(), false);
    make_untyped_blocks(cnode, slot, bi, info, device_memory, true);
    if (bi.untyped_left_out)
        kprint("kernel: warning: %u untyped blocks from %#llx up left out (room for %d in the boot info)\n",
               bi.untyped_left_out, (unsigned long long)bi.left_out_base, BATON_BOOTINFO_MAX_UNTYPED);
    bi.empty_first = slot;
    bi.empty_end = 1u << BATON_ROOT_CNODE_BITS;
}

// Device memory: the physical address space the CPU can address (as far
// as capabilities reach) minus RAM and everything reserved, the devices the
// kernel drives included.
void find_device_memory(const Platform_info& info, baton_bootinfo& bi) {
    unsigned bits = min(info.paddr_bits, 48u);
    bi.paddr_bits = info.paddr_bits;
    bi.device_end = bits ? u64(1) << bits : 0;
    auto st = device_ranges(info, bi.device_end, device_memory);
    if (!st) {
        kprint("kernel: warning: device memory: %s; no device untyped\n", describe(st.error()));
        device_memory = Range_set();
        bi.device_end = 0;
    }
}

Cap mapped_frame(u64 pa, u8 rights, u64 vaddr) {
    return Cap::make(Cap_type::Frame4k, pa, rights, 0, false, Mapping{true, vaddr, root_asid}.word());
}

// Frame capabilities for every page of [va, end) as mapped in vs.
void make_image_frames(const Cap& cnode, u32& slot, Vspace_tables& vs, u64 va, u64 end) {
    for (; va < end; va += page_size) {
        Translation t = vs.lookup(va);
        if (!t.present) continue;
        u8 r = rights::read | (t.attr.write ? rights::write : 0);
        boot_cap(cnode, slot++, mapped_frame(t.pa, r, va));
    }
}

void make_root_cspace(const Cap& cnode, baton_bootinfo& bi, const Platform_info& info, Thread* root, u64 thread_pa,
                      u64 vspace_pa, u64 asid_pool_pa, u64 ipc_pa, u64 bi_pa, Vspace_tables& vs,
                      const Loaded_image& img) {
    boot_cap(cnode, BATON_CAP_INIT_TCB, Cap::make(Cap_type::Tcb, thread_pa, rights::all));
    boot_cap(cnode, BATON_CAP_INIT_CNODE, cnode);
    boot_cap(cnode, BATON_CAP_INIT_VSPACE,
             Cap::make(Cap_type::Vspace, vspace_pa, rights::all, 0, false, vspace_assigned_bit | root_asid));
    boot_cap(cnode, BATON_CAP_IRQ_CONTROL, Cap::make(Cap_type::IrqControl, 0, rights::all));
    boot_cap(cnode, BATON_CAP_ASID_CONTROL, Cap::make(Cap_type::AsidControl, 0, rights::all));
    boot_cap(cnode, BATON_CAP_IPC_BUFFER, mapped_frame(ipc_pa, rights::read | rights::write, root_ipc_buffer_va));
    boot_cap(cnode, BATON_CAP_BOOTINFO_FRAME, mapped_frame(bi_pa, rights::read, root_bootinfo_va));
    boot_cap(cnode, BATON_CAP_INIT_ASID_POOL, Cap::make(Cap_type::AsidPool, asid_pool_pa, rights::all, 0, false, 0));
    u32 slot = BATON_CAP_FIRST_FREE;
    bi.image_frames_first = slot;
    make_image_frames(cnode, slot, vs, img.lowest, img.highest);
    make_image_frames(cnode, slot, vs, bi.stack_base, bi.stack_top);
    bi.image_frames_end = slot;
    bi.untyped_first = slot;
    give_thread(cnode, BATON_CAP_INIT_CNODE, root, tcb_cspace);
    give_thread(cnode, BATON_CAP_INIT_VSPACE, root, tcb_vspace);
    give_thread(cnode, BATON_CAP_IPC_BUFFER, root, tcb_ipc_buffer);
    make_untyped(cnode, bi, info);
}

// The NUMA topology as the boot log shows it: the firmware's problems
// (entries left out), then, if it described one, a line per node.
void report_topology(const baton_bootinfo& bi, const Numa_topology& t) {
    for (u32 i = 0; i < t.problem_count && i < Numa_topology::max_problems; ++i)
        kprint("kernel: warning: NUMA: %s (detail %#llx, %#llx)\n", describe(t.problems[i].what),
               (unsigned long long)t.problems[i].detail, (unsigned long long)t.problems[i].detail2);
    if (t.problem_count > Numa_topology::max_problems)
        kprint("kernel: warning: NUMA: %u more problems\n", t.problem_count - Numa_topology::max_problems);
    if (!t.described) return;
    for (u32 n = 0; n < bi.node_count; ++n)
        kprint("kernel: NUMA node %u: CPU mask %#llx, %llu MiB RAM\n", n, (unsigned long long)bi.node_cpus[n],
               (unsigned long long)(bi.node_ram[n] / MiB));
}

}  // namespace

}  // namespace kernel

namespace kernel {

void boot_main(Platform_info& info) {
    kprint("kernel: Baton %s on %s (%s), %u CPU%s\n", "0.1", info.platform_name, info.machine_model, info.cpu_count,
           info.cpu_count == 1 ? "" : "s");
    if (info.ram_count == 0) panic("boot: the platform describes no RAM");
    for (Per_cpu& c : cpus) c.inbox.init();
    if constexpr (check_lock_order)
        set_lock_order_hook([](const Lock_class& held, const Lock_class& wanted) {
            panic("lock order: '%s' (rank %u) taken while holding '%s' (rank %u)", wanted.name, wanted.rank,
                  held.name, held.rank);
        });
    // The secondary CPUs come up and park; those that did not are left out.
    if constexpr (config::smp) {
        info.cpu_count = arch::start_secondary_cpus();
    } else {
        kprint("kernel: uniprocessor build: only the boot CPU runs\n");
        info.cpu_count = 1;
    }
    cpu_count = info.cpu_count ? info.cpu_count : 1;
    numa_apply(info);
    if (info.root_task.size == 0) panic("boot: no root task image");
    if (!info.add_reserved(info.root_task.base, info.root_task.size, Reserved_kind::Root_task))
        panic("boot: too many reserved ranges");

    auto st = boot_alloc.init(info);
    if (!st) panic("boot: memory map: %s", describe(st.error()));
    u64 ram = 0;
    for (u32 i = 0; i < info.ram_count; ++i) ram += info.ram[i].size;
    kprint("kernel: memory: %llu MiB RAM in %u range%s, %llu MiB free\n", (unsigned long long)(ram / MiB),
           info.ram_count, info.ram_count == 1 ? "" : "s", (unsigned long long)(boot_alloc.free().total() / MiB));
    if (info.cmdline[0]) kprint("kernel: command line: %s\n", info.cmdline);

    // The root task's objects, from boot memory: its thread, CNode, page
    // tables, image, stack, IPC buffer and boot-info page.
    u64 thread_pa = alloc_zeroed("the root thread");
    u64 cnode_pa = alloc_zeroed("the root CNode", (u64(1) << (BATON_ROOT_CNODE_BITS + slot_size_bits)) / page_size);
    u64 root_pa = alloc_zeroed("the root task's page tables");
    u64 asid_pool_pa = alloc_zeroed("the first ASID pool");
    arch::vspace_init_root(static_cast<u64*>(phys_to_virt(root_pa)));
    Physmap_memory mem{&boot_alloc};
    Vspace_tables vs(mem, root_pa);

    Loaded_image img = load_root_task(info, vs);

    u64 stack_pa = alloc_zeroed("the root task's stack", root_stack_pages);
    map_or_panic(vs, root_stack_top - root_stack_pages * page_size, stack_pa, root_stack_pages * page_size,
                 Map_attr::user_rw(), "the root task's stack");
    u64 bi_pa = alloc_zeroed("the boot-info page");
    map_or_panic(vs, root_bootinfo_va, bi_pa, page_size, Map_attr::user_ro(), "the boot-info page");
    u64 ipc_pa = alloc_zeroed("the root task's IPC buffer");
    map_or_panic(vs, root_ipc_buffer_va, ipc_pa, page_size, Map_attr::user_rw(), "the IPC buffer");

    // From here on nothing is allocated: what is free now stays free and
    // becomes untyped memory.
    auto& bi = *static_cast<baton_bootinfo*>(phys_to_virt(bi_pa));
    fill_bootinfo(bi, info, img);
    report_topology(bi, info.numa);
    for (u32 i = 0; i < bi.region_count; ++i) {
        const baton_region& r = bi.regions[i];
        kprint("kernel:   %#014llx-%#014llx %s\n", (unsigned long long)r.base, (unsigned long long)(r.base + r.size),
               baton_region_kind_name(r.kind));
    }
    if (bi.regions_left_out)
        kprint("kernel: warning: %u regions left out of the boot info (room for %d)\n", bi.regions_left_out,
               BATON_BOOTINFO_MAX_REGIONS);

    auto* root = new (phys_to_virt(thread_pa)) Thread();
    kstr::copy(root->name, sizeof root->name, "root", 4);
    root->vspace_root = root_pa;
    root->ipc_buffer_va = root_ipc_buffer_va;
    root->ctx.init(img.entry, root_stack_top, root_bootinfo_va);
    root->priority = root->base_priority = root->mcp = max_priority;

    Cap cnode = Cap::cnode(cnode_pa, BATON_ROOT_CNODE_BITS, 64 - BATON_ROOT_CNODE_BITS, 0);
    asid_boot(asid_pool_pa, root_pa);
    root->asid = root_asid;
    find_device_memory(info, bi);
    make_root_cspace(cnode, bi, info, root, thread_pa, root_pa, asid_pool_pa, ipc_pa, bi_pa, vs, img);
    kprint("kernel: root CNode: %u slots, %u untyped capabilities (%llu MiB RAM, device memory to 2^%u), "
           "slots %u-%u empty\n",
           1u << BATON_ROOT_CNODE_BITS, bi.untyped_count, (unsigned long long)(bi.free_total / MiB),
           min(info.paddr_bits, 48u), bi.empty_first, bi.empty_end - 1);
    thread_make_ready(*root);

    arch::timer_start(timer_hz);
    // Show the timer works before anything depends on it.
    Per_cpu* cpu = arch::cpu_local();
    while (cpu->ticks == 0) arch::wait_for_interrupt();
    kprint("kernel: timer running at %u Hz; first tick handled\n", timer_hz);

    // From here on every CPU schedules, under the kernel lock.
    kernel_enter(Entry::Boot);
    release_secondaries();
    kprint("kernel: starting the root task\n");
    schedule();
    arch::enter_user(cpu->user_ctx);
}

}  // namespace kernel
