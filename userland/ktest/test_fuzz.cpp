// ktest: hostile invocations. Thousands of calls with random labels, random
// argument words and random capability arguments on a sandbox of objects:
// every one must come back with an error or a success, never bring the
// kernel down, and afterwards every byte of the untyped region comes back.
#include "ktest.hpp"

using namespace ktest;

namespace {

// Argument words: mostly small or slot-like values (which reach deeper into
// the kernel's checks), sometimes anything.
uint64_t random_word(baton_cptr first, baton_cptr end) {
    switch (next_random() % 6) {
    case 0: return next_random();
    case 1: return next_random() % 64;
    case 2: return first + next_random() % (end - first);
    case 3: return 64;
    case 4: return next_random() % 4096;
    default: return 0;
    }
}

// Mostly a label of the target's own type, to get past the type check
// into the method's argument checks; sometimes any label.
uint64_t random_label(uint64_t type) {
    static const uint64_t labels[][14] = {
        /* untyped */ {1},
        /* cnode */ {10, 11, 12, 13, 14, 15, 16},
        /* tcb */ {20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32},
        /* frame */ {40, 41, 42, 43},
        /* page table */ {50, 51},
    };
    static const unsigned counts[] = {1, 7, 13, 4, 2};
    int row = -1;
    switch (type) {
    case BATON_OBJ_UNTYPED: row = 0; break;
    case BATON_OBJ_CNODE: row = 1; break;
    case BATON_OBJ_TCB: row = 2; break;
    case BATON_OBJ_FRAME_4K:
    case BATON_OBJ_FRAME_2M: row = 3; break;
    case BATON_OBJ_PAGE_TABLE: row = 4; break;
    }
    if (row < 0 || next_random() % 5 == 0) return next_random() % 100;
    return labels[row][next_random() % counts[row]];
}

}  // namespace

KTEST(fuzz_invocations, "hostile invocations: random labels, words and capabilities never crash the kernel") {
    // The sandbox: one object of each kind, all from this test's region.
    baton_object_type kinds[] = {BATON_OBJ_UNTYPED,   BATON_OBJ_TCB,        BATON_OBJ_ENDPOINT, BATON_OBJ_NOTIFICATION,
                                 BATON_OBJ_REPLY,     BATON_OBJ_CNODE,      BATON_OBJ_FRAME_4K, BATON_OBJ_PAGE_TABLE,
                                 BATON_OBJ_VSPACE,    BATON_OBJ_UNTYPED};
    uint64_t sizes[] = {16, 0, 0, 0, 0, 3, 0, 0, 0, 14};
    baton_cptr first = env.next_slot;
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) env.make(kinds[i], sizes[i]);
    // Room in the root CNode for what the calls make.
    for (int i = 0; i < 32; ++i) env.slot();
    baton_cptr end = env.next_slot;

    uint64_t ok = 0, errors = 0;
    for (int n = 0; n < 3000; ++n) {
        baton_cptr target = first + next_random() % (end - first);
        uint64_t type = identify(target).type;
        // A Call on an endpoint is IPC: with nobody to answer it would block.
        if (type == BATON_OBJ_ENDPOINT) continue;
        uint64_t label = random_label(type);
        uint64_t length = next_random() % 4 == 0 ? next_random() % 16 : 10 + next_random() % 4;
        uint64_t caps = next_random() % 4 == 0 ? next_random() % 4 : 3;
        uint64_t mr[8];
        for (auto& w : mr) w = random_word(first, end);
        for (uint64_t i = 8; i < length; ++i) __baton_ipc_buffer->msg[i] = random_word(first, end);
        for (auto& c : __baton_ipc_buffer->caps_or_badges) c = first + next_random() % (end - first);
        baton_msginfo reply = baton_call(target, baton_msginfo_new(label, 0, caps, length), mr, nullptr);
        if (baton_msginfo_label(reply) == BATON_OK) ++ok;
        else ++errors;
    }
    baton_printf("ktest:   %llu invocations succeeded, %llu returned errors\n", (unsigned long long)ok,
                 (unsigned long long)errors);
    KEXPECT_EQ(ok + errors > 2000, 1);
    // Everything made goes with the region; all of it can be retyped again.
    KEXPECT_OK(baton_cnode_revoke(root_cnode, env.untyped, depth));
    for (baton_cptr s = first; s < end; ++s) KEXPECT_OK(baton_cnode_delete(root_cnode, s, depth));
    KEXPECT_OK(baton_untyped_retype(env.untyped, BATON_OBJ_UNTYPED, env.untyped_bits, root_cnode, 0, 0, first, 1));
}
