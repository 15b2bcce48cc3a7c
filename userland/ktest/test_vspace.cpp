// ktest: frames, page tables, address spaces and ASID pools.
#include <baton/user_context.h>

#include "ktest.hpp"

using namespace ktest;

namespace {

constexpr uint64_t rw = 3, ro = 1;
constexpr uint64_t exec = 2;
// A quiet part of the root task's address space: its own page table at
// level 0 does not exist yet (the image lives at 4 MiB, in another one).
constexpr uint64_t test_va = 0x10000000;

uint64_t mapping_vaddr(baton_cptr frame) { return identify(frame).word & 0x0000fffffffff000ull; }

}  // namespace

KTEST(vspace_frame_map, "frame.map: needs page tables, maps, reads back, get_address") {
    baton_cptr frame = env.make(BATON_OBJ_FRAME_4K), pt = env.make(BATON_OBJ_PAGE_TABLE);
    // No page table for the last level yet: the failing level is reported.
    KEXPECT_ERR(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, test_va, rw, 0), BATON_FAILED_LOOKUP);
    KEXPECT_EQ(baton_error_detail(0), 1);
    KEXPECT_OK(baton_page_table_map(pt, BATON_CAP_INIT_VSPACE, test_va, 0));
    KEXPECT_OK(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, test_va, rw, 0));
    KEXPECT_EQ(mapping_vaddr(frame), test_va);
    volatile uint64_t* p = (volatile uint64_t*)test_va;
    KEXPECT_EQ(p[0], 0);  // retyped memory is zeroed
    p[0] = 0x1122334455667788ull;
    p[511] = 42;
    KEXPECT_EQ(p[0], 0x1122334455667788ull);
    uint64_t pa = 0;
    KEXPECT_OK(baton_frame_4k_get_address(frame, &pa));
    KEXPECT_EQ(pa & 0xfff, 0);
    KEXPECT_EQ(pa != 0, 1);
    // The same memory through a second mapping of a copy.
    baton_cptr copy = env.slot();
    KEXPECT_OK(baton_cnode_copy(root_cnode, copy, depth, root_cnode, frame, depth, ro));
    KEXPECT_EQ(identify(copy).word, 0);  // copies start unmapped
    KEXPECT_OK(baton_frame_4k_map(copy, BATON_CAP_INIT_VSPACE, test_va + 0x1000, rw, 0));
    KEXPECT_EQ(((volatile uint64_t*)(test_va + 0x1000))[511], 42);
    // Unmap, then the address is free for another frame.
    KEXPECT_OK(baton_frame_4k_unmap(copy));
    KEXPECT_EQ(identify(copy).word, 0);
    baton_cptr other = env.make(BATON_OBJ_FRAME_4K);
    KEXPECT_OK(baton_frame_4k_map(other, BATON_CAP_INIT_VSPACE, test_va + 0x1000, rw, 0));
    KEXPECT_EQ(((volatile uint64_t*)(test_va + 0x1000))[511], 0);
    // Deleting a mapped frame capability removes its mapping.
    KEXPECT_OK(baton_cnode_delete(root_cnode, other, depth));
    KEXPECT_OK(baton_frame_4k_map(copy, BATON_CAP_INIT_VSPACE, test_va + 0x1000, ro, 0));
    KEXPECT_EQ(((volatile uint64_t*)(test_va + 0x1000))[0], 0x1122334455667788ull);
}

KTEST(vspace_frame_errors, "frame.map, unmap, remap: each error") {
    baton_cptr frame = env.make(BATON_OBJ_FRAME_4K), frame2 = env.make(BATON_OBJ_FRAME_4K);
    baton_cptr pt = env.make(BATON_OBJ_PAGE_TABLE), vs = env.make(BATON_OBJ_VSPACE);
    KEXPECT_OK(baton_page_table_map(pt, BATON_CAP_INIT_VSPACE, test_va, 0));
    KEXPECT_ERR(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, test_va + 8, rw, 0), BATON_ALIGNMENT_ERROR);
    KEXPECT_ERR(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, 0x0000800000000000ull, rw, 0),
                BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, 0xffffffff80000000ull, rw, 0),
                BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, test_va, 0, 0), BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, test_va, rw, 4), BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_frame_4k_map(frame, root_cnode, test_va, rw, 0), BATON_INVALID_CAPABILITY);
    // An address space without an ASID cannot be used yet.
    KEXPECT_ERR(baton_frame_4k_map(frame, vs, test_va, rw, 0), BATON_INVALID_CAPABILITY);
    // Remap needs a mapping; unmap without one does nothing.
    KEXPECT_ERR(baton_frame_4k_remap(frame, rw, 0), BATON_ILLEGAL_OPERATION);
    KEXPECT_OK(baton_frame_4k_unmap(frame));
    KEXPECT_OK(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, test_va, rw, 0));
    KEXPECT_ERR(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, test_va + 0x1000, rw, 0), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_frame_4k_map(frame2, BATON_CAP_INIT_VSPACE, test_va, rw, 0), BATON_DELETE_FIRST);
    // Remap to read-only (reading still works), then back.
    KEXPECT_OK(baton_frame_4k_remap(frame, ro, 0));
    KEXPECT_EQ(*(volatile uint64_t*)test_va, 0);
    KEXPECT_ERR(baton_frame_4k_remap(frame, 0, 0), BATON_INVALID_ARGUMENT);
    KEXPECT_OK(baton_frame_4k_remap(frame, rw, 0));
    *(volatile uint64_t*)test_va = 5;
    // A read-only capability maps read-only whatever is asked.
    baton_cptr ro_copy = env.slot();
    KEXPECT_OK(baton_cnode_copy(root_cnode, ro_copy, depth, root_cnode, frame2, depth, ro));
    KEXPECT_OK(baton_frame_4k_map(ro_copy, BATON_CAP_INIT_VSPACE, test_va + 0x2000, rw, 0));
    // Frame methods on something else.
    KEXPECT_ERR(baton_frame_4k_unmap(pt), BATON_ILLEGAL_OPERATION);
    // The boot info page's frame is mapped where the boot info says.
    KEXPECT_EQ(mapping_vaddr(BATON_CAP_BOOTINFO_FRAME), (uint64_t)env.bi);
    KEXPECT_EQ(mapping_vaddr(BATON_CAP_IPC_BUFFER), env.bi->ipc_buffer);
}

KTEST(vspace_page_tables, "page_table.map: levels, large frames, errors, unmap") {
    baton_cptr pts[3];
    for (auto& p : pts) p = env.make(BATON_OBJ_PAGE_TABLE);
    constexpr uint64_t gib = 0x0000008000000000ull;  // 512 GiB: a root slot of its own, no tables yet
    baton_cptr big = env.make(BATON_OBJ_FRAME_2M);
    KEXPECT_ERR(baton_frame_4k_map(big, BATON_CAP_INIT_VSPACE, gib, rw, 0), BATON_FAILED_LOOKUP);
    KEXPECT_EQ(baton_error_detail(0), 3);
    KEXPECT_OK(baton_page_table_map(pts[0], BATON_CAP_INIT_VSPACE, gib, 0));
    KEXPECT_ERR(baton_frame_4k_map(big, BATON_CAP_INIT_VSPACE, gib, rw, 0), BATON_FAILED_LOOKUP);
    KEXPECT_EQ(baton_error_detail(0), 2);
    KEXPECT_OK(baton_page_table_map(pts[1], BATON_CAP_INIT_VSPACE, gib, 0));
    // A 2 MiB frame maps at level 1, aligned to 2 MiB.
    KEXPECT_ERR(baton_frame_4k_map(big, BATON_CAP_INIT_VSPACE, gib + 0x1000, rw, 0), BATON_ALIGNMENT_ERROR);
    KEXPECT_OK(baton_frame_4k_map(big, BATON_CAP_INIT_VSPACE, gib, rw, 0));
    ((volatile uint64_t*)gib)[0x1fffff / 8] = 7;
    KEXPECT_EQ(((volatile uint64_t*)gib)[0x1fffff / 8], 7);
    // Where a large frame is, no page table goes.
    KEXPECT_ERR(baton_page_table_map(pts[2], BATON_CAP_INIT_VSPACE, gib, 0), BATON_DELETE_FIRST);
    // A page table that is already mapped cannot be mapped again.
    KEXPECT_ERR(baton_page_table_map(pts[0], BATON_CAP_INIT_VSPACE, gib * 3, 0), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_page_table_map(pts[2], BATON_CAP_INIT_VSPACE, 0x0000800000000000ull, 0),
                BATON_INVALID_ARGUMENT);
    // Page tables are copied only while mapped.
    baton_cptr pt_copy = env.slot();
    KEXPECT_ERR(baton_cnode_copy(root_cnode, pt_copy, depth, root_cnode, pts[2], depth, 15), BATON_ILLEGAL_OPERATION);
    KEXPECT_OK(baton_cnode_copy(root_cnode, pt_copy, depth, root_cnode, pts[1], depth, 15));
    // Unmapping the level-1 table takes the large frame's mapping with it;
    // the frame's capability can then map again elsewhere only once unmapped.
    KEXPECT_OK(baton_page_table_unmap(pts[1]));
    KEXPECT_OK(baton_page_table_map(pts[2], BATON_CAP_INIT_VSPACE, gib, 0));
    KEXPECT_ERR(baton_frame_4k_remap(big, rw, 0), BATON_ILLEGAL_OPERATION);
    KEXPECT_OK(baton_frame_4k_unmap(big));
    KEXPECT_OK(baton_frame_4k_map(big, BATON_CAP_INIT_VSPACE, gib + 0x200000, rw, 0));
    KEXPECT_EQ(((volatile uint64_t*)(gib + 0x200000))[0x1fffff / 8], 7);
}

KTEST(vspace_asid_pools, "asid_control.make_pool and asid_pool.assign") {
    baton_cptr ut = env.make(BATON_OBJ_UNTYPED, 12), big_ut = env.make(BATON_OBJ_UNTYPED, 13);
    baton_cptr pool = env.slot(), pool2 = env.slot(), vs = env.make(BATON_OBJ_VSPACE);
    KEXPECT_ERR(baton_asid_control_make_pool(BATON_CAP_ASID_CONTROL, big_ut, root_cnode, pool, depth),
                BATON_INVALID_CAPABILITY);
    KEXPECT_ERR(baton_asid_control_make_pool(BATON_CAP_ASID_CONTROL, ut, root_cnode, BATON_CAP_INIT_TCB, depth),
                BATON_DELETE_FIRST);
    KEXPECT_OK(baton_asid_control_make_pool(BATON_CAP_ASID_CONTROL, ut, root_cnode, pool, depth));
    KEXPECT_EQ(identify(pool).type, BATON_OBJ_ASID_POOL);
    // The untyped is used up.
    KEXPECT_ERR(baton_asid_control_make_pool(BATON_CAP_ASID_CONTROL, ut, root_cnode, pool2, depth),
                BATON_REVOKE_FIRST);
    KEXPECT_OK(baton_asid_pool_assign(pool, vs));
    KEXPECT_ERR(baton_asid_pool_assign(pool, vs), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_asid_pool_assign(pool, root_cnode), BATON_INVALID_CAPABILITY);
    KEXPECT_ERR(baton_asid_pool_assign(BATON_CAP_INIT_TCB, vs), BATON_ILLEGAL_OPERATION);
    // Deleting the pool takes the ASID back: the space is unusable again.
    baton_cptr frame = env.make(BATON_OBJ_FRAME_4K), pt = env.make(BATON_OBJ_PAGE_TABLE);
    KEXPECT_OK(baton_page_table_map(pt, vs, test_va, 0));
    KEXPECT_OK(baton_cnode_delete(root_cnode, pool, depth));
    KEXPECT_ERR(baton_frame_4k_map(frame, vs, test_va, rw, 0), BATON_INVALID_CAPABILITY);
}

namespace {
volatile uint64_t other_space_counter;
extern "C" [[noreturn]] void other_space_main(uint64_t value) {
    other_space_counter = value;
    baton_thread_exit(0);
}
uint64_t other_stack[256] __attribute__((aligned(16)));
}  // namespace

KTEST(vspace_thread_in_new_space, "a thread runs in an address space built from scratch, with its own ASID") {
    baton_cptr vs = env.make(BATON_OBJ_VSPACE);
    KEXPECT_OK(baton_asid_pool_assign(BATON_CAP_INIT_ASID_POOL, vs));
    // The root task's image frames, mapped at the same addresses in the new
    // space (copies: a frame capability holds one mapping).
    const baton_bootinfo* bi = env.bi;
    for (uint32_t s = bi->image_frames_first; s < bi->image_frames_end; ++s) {
        uint64_t va = mapping_vaddr(s);
        if (va < bi->image_base || va >= bi->image_end) continue;  // the image only, not the stack
        baton_cptr copy = env.slot();
        KEXPECT_OK(baton_cnode_copy(root_cnode, copy, depth, root_cnode, s, depth, 15));
        baton_error e = baton_frame_4k_map(copy, vs, va, rw, exec);
        while (e == BATON_FAILED_LOOKUP) {
            KEXPECT_OK(baton_page_table_map(env.make(BATON_OBJ_PAGE_TABLE), vs, va, 0));
            e = baton_frame_4k_map(copy, vs, va, rw, exec);
        }
        KEXPECT_OK(e);
    }
    baton_cptr t = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_configure(t, 0, root_cnode, 0, vs, 0, 0, 0));
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, 255));
    other_space_counter = 0;
    KEXPECT_OK(baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(&other_space_main), (uint64_t)&other_stack[256],
                                   0xfeed, 0, 1));
    for (int i = 0; i < 5 && other_space_counter == 0; ++i) baton_yield();
    // The data page is shared: the other space's store is visible here.
    KEXPECT_EQ(other_space_counter, 0xfeed);
}
