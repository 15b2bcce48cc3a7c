// ktest: CNode invocations, their success paths and every error they return.
#include "ktest.hpp"

using namespace ktest;

namespace {
constexpr uint64_t all_rights = 15;
}

KTEST(cnode_copy_reduces_rights, "cnode.copy copies with reduced rights") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT);
    baton_cptr copy = env.slot();
    KEXPECT_OK(baton_cnode_copy(root_cnode, copy, depth, root_cnode, ep, depth, 1 /* read */));
    Identity id = identify(copy);
    KEXPECT_EQ(id.type, BATON_OBJ_ENDPOINT);
    KEXPECT_EQ(id.rights, 1);
    // A copy of the copy cannot regain rights.
    baton_cptr copy2 = env.slot();
    KEXPECT_OK(baton_cnode_copy(root_cnode, copy2, depth, root_cnode, copy, depth, all_rights));
    KEXPECT_EQ(identify(copy2).rights, 1);
}

KTEST(cnode_mint_badges, "cnode.mint sets a badge once; revoke removes the badged copies") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT);
    baton_cptr badged = env.slot(), copy = env.slot(), again = env.slot();
    KEXPECT_OK(baton_cnode_mint(root_cnode, badged, depth, root_cnode, ep, depth, all_rights, 0x1234));
    KEXPECT_EQ(identify(badged).word, 0x1234);
    KEXPECT_OK(baton_cnode_copy(root_cnode, copy, depth, root_cnode, badged, depth, all_rights));
    KEXPECT_EQ(identify(copy).word, 0x1234);
    KEXPECT_ERR(baton_cnode_mint(root_cnode, again, depth, root_cnode, badged, depth, all_rights, 7),
                BATON_ILLEGAL_OPERATION);
    KEXPECT_OK(baton_cnode_revoke(root_cnode, badged, depth));
    KEXPECT_EQ(identify(copy).type, BATON_OBJ_NULL);
    KEXPECT_EQ(identify(badged).type, BATON_OBJ_ENDPOINT);
    KEXPECT_EQ(identify(ep).type, BATON_OBJ_ENDPOINT);
}

KTEST(cnode_mint_guard, "cnode.mint sets a CNode guard, checked against the radix") {
    baton_cptr cn = env.make(BATON_OBJ_CNODE, 4);
    baton_cptr guarded = env.slot(), bad = env.slot();
    KEXPECT_OK(baton_cnode_mint(root_cnode, guarded, depth, root_cnode, cn, depth, all_rights, (5ull << 6) | 3));
    KEXPECT_EQ(identify(guarded).word, (5ull << 6) | 3);
    // A guard that does not fit its size, and a guard size beyond 64 - radix.
    KEXPECT_ERR(baton_cnode_mint(root_cnode, bad, depth, root_cnode, cn, depth, all_rights, (9ull << 6) | 3),
                BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_cnode_mint(root_cnode, bad, depth, root_cnode, cn, depth, all_rights, 61), BATON_RANGE_ERROR);
}

KTEST(cnode_move_mutate, "cnode.move and cnode.mutate move a capability") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr to = env.slot(), to2 = env.slot();
    KEXPECT_OK(baton_cnode_move(root_cnode, to, depth, root_cnode, n, depth));
    KEXPECT_EQ(identify(n).type, BATON_OBJ_NULL);
    KEXPECT_EQ(identify(to).type, BATON_OBJ_NOTIFICATION);
    KEXPECT_OK(baton_cnode_mutate(root_cnode, to2, depth, root_cnode, to, depth, 77));
    KEXPECT_EQ(identify(to2).word, 77);
    KEXPECT_EQ(identify(to).type, BATON_OBJ_NULL);
    // The moved capability is still a child of the untyped: revoking it removes it.
    KEXPECT_OK(baton_cnode_revoke(root_cnode, env.untyped, depth));
    KEXPECT_EQ(identify(to2).type, BATON_OBJ_NULL);
}

KTEST(cnode_rotate, "cnode.rotate moves two capabilities, or swaps them") {
    baton_cptr a = env.make(BATON_OBJ_ENDPOINT), b = env.make(BATON_OBJ_NOTIFICATION), dest = env.slot();
    // pivot (a) -> dest, src (b) -> pivot.
    KEXPECT_OK(baton_cnode_rotate(root_cnode, dest, depth, 0, root_cnode, a, depth, 0, root_cnode, b, depth));
    KEXPECT_EQ(identify(dest).type, BATON_OBJ_ENDPOINT);
    KEXPECT_EQ(identify(a).type, BATON_OBJ_NOTIFICATION);
    KEXPECT_EQ(identify(b).type, BATON_OBJ_NULL);
    // dest == src: a swap.
    KEXPECT_OK(baton_cnode_rotate(root_cnode, dest, depth, 0, root_cnode, a, depth, 0, root_cnode, dest, depth));
    KEXPECT_EQ(identify(dest).type, BATON_OBJ_NOTIFICATION);
    KEXPECT_EQ(identify(a).type, BATON_OBJ_ENDPOINT);
    KEXPECT_ERR(baton_cnode_rotate(root_cnode, b, depth, 0, root_cnode, a, depth, 0, root_cnode, a, depth),
                BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_cnode_rotate(root_cnode, dest, depth, 0, root_cnode, a, depth, 0, root_cnode, b, depth),
                BATON_FAILED_LOOKUP);
}

KTEST(cnode_errors, "cnode invocations return specific errors") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), empty = env.slot();
    // Occupied destination, empty source.
    KEXPECT_ERR(baton_cnode_copy(root_cnode, ep, depth, root_cnode, ep, depth, all_rights), BATON_DELETE_FIRST);
    KEXPECT_ERR(baton_cnode_copy(root_cnode, env.slot(), depth, root_cnode, empty, depth, all_rights),
                BATON_FAILED_LOOKUP);
    KEXPECT_ERR(baton_cnode_move(root_cnode, env.slot(), depth, root_cnode, empty, depth), BATON_FAILED_LOOKUP);
    // Depths outside 1..64, and a depth that ends inside the root CNode's guard.
    KEXPECT_ERR(baton_cnode_delete(root_cnode, ep, 0), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_cnode_delete(root_cnode, ep, 65), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_cnode_delete(root_cnode, ep, 20), BATON_FAILED_LOOKUP);
    // A slot number beyond the CNode: the guard no longer matches.
    KEXPECT_ERR(baton_cnode_delete(root_cnode, 1ull << 40, depth), BATON_FAILED_LOOKUP);
    KEXPECT_EQ(baton_error_detail(0), 64);
    // The source root is not a CNode.
    KEXPECT_ERR(baton_cnode_copy(root_cnode, env.slot(), depth, ep, 0, depth, all_rights), BATON_INVALID_CAPABILITY);
    // A CNode method on something that is not a CNode (a Call on an
    // endpoint would be IPC: a notification has no methods at all).
    KEXPECT_ERR(baton_cnode_delete(env.make(BATON_OBJ_NOTIFICATION), 0, depth), BATON_ILLEGAL_OPERATION);
    // Moving onto itself.
    KEXPECT_ERR(baton_cnode_move(root_cnode, ep, depth, root_cnode, ep, depth), BATON_ILLEGAL_OPERATION);
    // IRQ control is never copied.
    KEXPECT_ERR(baton_cnode_copy(root_cnode, env.slot(), depth, root_cnode, BATON_CAP_IRQ_CONTROL, depth, all_rights),
                BATON_ILLEGAL_OPERATION);
}

KTEST(cnode_double_delete, "cnode.delete twice: the second finds nothing to do") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT);
    KEXPECT_OK(baton_cnode_delete(root_cnode, ep, depth));
    KEXPECT_EQ(identify(ep).type, BATON_OBJ_NULL);
    KEXPECT_OK(baton_cnode_delete(root_cnode, ep, depth));
    KEXPECT_OK(baton_cnode_revoke(root_cnode, ep, depth));
}

KTEST(cnode_two_level, "cnode: a second-level CNode, reached through guard and radix") {
    // A 16-slot CNode in the root CNode; address its slot 3 at depth 64 + 4?
    // No: the root resolves all 64 bits. Give the child a guard instead and
    // reach it through its own capability as the root of lookups.
    baton_cptr cn = env.make(BATON_OBJ_CNODE, 4);
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT);
    // Copy the endpoint into slot 3 of the child, addressed with depth 4.
    KEXPECT_OK(baton_cnode_copy(cn, 3, 4, root_cnode, ep, depth, all_rights));
    // Copy it back out of the child into the root CNode.
    baton_cptr back = env.slot();
    KEXPECT_OK(baton_cnode_copy(root_cnode, back, depth, cn, 3, 4, all_rights));
    KEXPECT_EQ(identify(back).type, BATON_OBJ_ENDPOINT);
    // Depth 3 ends inside the child's 4-bit radix.
    KEXPECT_ERR(baton_cnode_delete(cn, 3, 3), BATON_FAILED_LOOKUP);
    KEXPECT_EQ(baton_error_detail(1), 3 /* depth mismatch */);
    // Deleting the child CNode deletes what is in it.
    KEXPECT_OK(baton_cnode_delete(root_cnode, cn, depth));
    KEXPECT_OK(baton_cnode_revoke(root_cnode, ep, depth));
    KEXPECT_EQ(identify(back).type, BATON_OBJ_NULL);
}
