// ktest: Untyped.Retype, its success paths and every error it returns.
#include "ktest.hpp"

using namespace ktest;

KTEST(untyped_retype_every_type, "untyped.retype makes every retypeable type") {
    struct { baton_object_type type; uint64_t size; } kinds[] = {
        {BATON_OBJ_UNTYPED, 12}, {BATON_OBJ_TCB, 0},      {BATON_OBJ_ENDPOINT, 0}, {BATON_OBJ_NOTIFICATION, 0},
        {BATON_OBJ_REPLY, 0},    {BATON_OBJ_CNODE, 4},    {BATON_OBJ_FRAME_4K, 0}, {BATON_OBJ_PAGE_TABLE, 0},
        {BATON_OBJ_VSPACE, 0},   {BATON_OBJ_FRAME_2M, 0},  // last: it takes the upper half of the region
    };
    for (auto& k : kinds) {
        baton_cptr s = env.slot();
        KEXPECT_OK(baton_untyped_retype(env.untyped, k.type, k.size, root_cnode, 0, 0, s, 1));
        Identity id = identify(s);
        KEXPECT_OK(id.error);
        KEXPECT_EQ(id.type, k.type);
    }
}

KTEST(untyped_retype_many, "untyped.retype makes many objects into a range of slots") {
    baton_cptr first = env.slot();
    for (int i = 1; i < 16; ++i) env.slot();
    KEXPECT_OK(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, first, 16));
    for (int i = 0; i < 16; ++i) KEXPECT_EQ(identify(first + i).type, BATON_OBJ_ENDPOINT);
    // The watermark moved by 16 endpoints: the untyped's word says so.
    KEXPECT_EQ(identify(env.untyped).word, 16 * 32);
}

KTEST(untyped_retype_errors, "untyped.retype returns each error with its details") {
    baton_cptr s = env.slot();
    KEXPECT_ERR(baton_untyped_retype(env.untyped, 99, 0, root_cnode, 0, 0, s, 1), BATON_INVALID_ARGUMENT);
    KEXPECT_EQ(baton_error_detail(0), 0);
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_IRQ_CONTROL, 0, root_cnode, 0, 0, s, 1),
                BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_UNTYPED, 3, root_cnode, 0, 0, s, 1), BATON_RANGE_ERROR);
    KEXPECT_EQ(baton_error_detail(0), 4);
    KEXPECT_EQ(baton_error_detail(1), 47);
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_CNODE, 25, root_cnode, 0, 0, s, 1), BATON_RANGE_ERROR);
    // Bigger than the region.
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_UNTYPED, env.untyped_bits + 1, root_cnode, 0, 0, s, 1),
                BATON_NOT_ENOUGH_MEMORY);
    // Slot range: offset past the CNode, zero objects, too many objects.
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, 1u << 12, 1),
                BATON_RANGE_ERROR);
    KEXPECT_EQ(baton_error_detail(1), (1u << 12) - 1);
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, s, 0), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, s, 257), BATON_RANGE_ERROR);
    // An occupied destination, reported with its slot.
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, BATON_CAP_INIT_TCB, 1),
                BATON_DELETE_FIRST);
    KEXPECT_EQ(baton_error_detail(0), BATON_CAP_INIT_TCB);
    // The destination root is not a CNode.
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, BATON_CAP_INIT_TCB, 0, 0, s, 1),
                BATON_INVALID_CAPABILITY);
    // The destination CNode lookup fails (depth beyond a word, an empty slot).
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, root_cnode, s, 65, 0, 1), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, root_cnode, s, depth, 0, 1),
                BATON_FAILED_LOOKUP);
    // Invoking something that is not untyped, or nothing at all.
    KEXPECT_ERR(baton_untyped_retype(BATON_CAP_INIT_TCB, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, s, 1),
                BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_untyped_retype(s, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, s, 1), BATON_FAILED_LOOKUP);
    // Nothing was made by any of the failures.
    KEXPECT_EQ(identify(s).type, BATON_OBJ_NULL);
    KEXPECT_EQ(identify(env.untyped).word, 0);
}

KTEST(untyped_retype_truncated, "untyped.retype with a short message is refused") {
    uint64_t mr[8] = {BATON_OBJ_ENDPOINT, 0, 0, 0, env.slot(), 1, 0, 0};
    __baton_ipc_buffer->caps_or_badges[0] = root_cnode;
    baton_msginfo reply = baton_call(env.untyped, baton_msginfo_new(1, 0, 1, 3), mr, nullptr);
    KEXPECT_ERR(baton_msginfo_label(reply), BATON_TRUNCATED_MESSAGE);
    reply = baton_call(env.untyped, baton_msginfo_new(1, 0, 0, 6), mr, nullptr);
    KEXPECT_ERR(baton_msginfo_label(reply), BATON_TRUNCATED_MESSAGE);
    // A label no object has.
    reply = baton_call(env.untyped, baton_msginfo_new(4000, 0, 0, 0), mr, nullptr);
    KEXPECT_ERR(baton_msginfo_label(reply), BATON_ILLEGAL_OPERATION);
}

KTEST(untyped_retype_everything_then_revoke, "untyped: retype everything, revoke, every byte comes back") {
    // Split the whole region into 64 KiB untyped, then those into frames.
    baton_cptr first = env.slot();
    unsigned pieces = 1u << (env.untyped_bits - 16);
    for (unsigned i = 1; i < pieces; ++i) env.slot();
    KEXPECT_OK(baton_untyped_retype(env.untyped, BATON_OBJ_UNTYPED, 16, root_cnode, 0, 0, first, pieces));
    KEXPECT_ERR(baton_untyped_retype(env.untyped, BATON_OBJ_ENDPOINT, 0, root_cnode, 0, 0, env.slot(), 1),
                BATON_NOT_ENOUGH_MEMORY);
    baton_cptr frames = env.slot();
    for (int i = 1; i < 16; ++i) env.slot();
    KEXPECT_OK(baton_untyped_retype(first, BATON_OBJ_FRAME_4K, 0, root_cnode, 0, 0, frames, 16));
    KEXPECT_ERR(baton_untyped_retype(first, BATON_OBJ_FRAME_4K, 0, root_cnode, 0, 0, env.slot(), 1),
                BATON_NOT_ENOUGH_MEMORY);
    // Revoke the region: every child and grandchild goes, the watermark is 0.
    KEXPECT_OK(baton_cnode_revoke(root_cnode, env.untyped, depth));
    for (unsigned i = 0; i < pieces; ++i) KEXPECT_EQ(identify(first + i).type, BATON_OBJ_NULL);
    KEXPECT_EQ(identify(frames).type, BATON_OBJ_NULL);
    KEXPECT_EQ(identify(env.untyped).word, 0);
    // The whole region fits one object again.
    KEXPECT_OK(baton_untyped_retype(env.untyped, BATON_OBJ_UNTYPED, env.untyped_bits, root_cnode, 0, 0, first, 1));
}

KTEST(untyped_not_copyable, "untyped capabilities cannot be copied or minted") {
    baton_cptr s = env.slot();
    KEXPECT_ERR(baton_cnode_copy(root_cnode, s, depth, root_cnode, env.untyped, depth, 15), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_cnode_mint(root_cnode, s, depth, root_cnode, env.untyped, depth, 15, 1), BATON_ILLEGAL_OPERATION);
}
