// Capability lookup and the derivation tree (kernel/cspace.cpp, cnode.cpp).
#include <doctest/doctest.h>

#include "cnode.hpp"
#include "kernel_memory.hpp"

using namespace kernel;
using baton::Error;

namespace {
Slot* at(const Cap& cnode, u64 i) { return cnode_slot(cnode, i); }

// Retypes `n` objects of `type` into root[offset...].
void make(Test_memory& mem, const Cap& root, baton::Object_type type, u64 offset, u64 n = 1, u64 size = 0) {
    REQUIRE(untyped_retype(&mem.untyped, u64(type), size, root, offset, n).ok());
}
}  // namespace

TEST_CASE("lookup: one level, guard and depth") {
    Test_memory mem;
    Cap root = mem.make_cnode(8);  // 8 bits of index + 56 bits of zero guard
    make(mem, root, baton::Object_type::Endpoint, 5);

    auto r = lookup_cap(root, 5);
    REQUIRE(r.ok());
    CHECK(*r == at(root, 5));
    CHECK((*r)->cap.type() == Cap_type::Endpoint);

    // A non-zero bit in the guard: guard mismatch, reported with the bits left.
    auto g = lookup_cap(root, (u64(1) << 63) | 5);
    CHECK(g.error() == Error::FailedLookup);
    CHECK(g.detail2() == u64(Lookup_fault::Guard_mismatch));
    CHECK(g.detail() == 64);

    // An empty slot.
    auto m = lookup_cap(root, 6);
    CHECK(m.error() == Error::FailedLookup);
    CHECK(m.detail2() == u64(Lookup_fault::Missing_capability));

    // Slot lookup with an explicit depth: exactly 64 works, fewer cannot end
    // inside this level.
    CHECK(lookup_slot(root, 5, 64).ok());
    auto d = lookup_slot(root, 5, 20);
    CHECK(d.error() == Error::FailedLookup);
    CHECK(d.detail2() == u64(Lookup_fault::Guard_mismatch));
    CHECK(lookup_slot(root, 5, 0).error() == Error::RangeError);
    CHECK(lookup_slot(root, 5, 65).error() == Error::RangeError);

    // A root that is not a CNode.
    auto bad = lookup_cap(at(root, 5)->cap, 0);
    CHECK(bad.detail2() == u64(Lookup_fault::Invalid_root));
}

TEST_CASE("lookup: two levels through a CNode with a guard") {
    Test_memory mem;
    // Level 1: radix 4, no guard. Level 2: radix 6, guard 0x2a of 6 bits.
    Cap root = Cap::cnode(mem.make_cnode(4).object(), 4, 0, 0);
    make(mem, Cap::cnode(root.object(), 4, 60, 0), baton::Object_type::Cnode, 3, 1, 6);
    Slot* l2 = at(root, 3);
    l2->cap = Cap::cnode(l2->cap.object(), 6, 6, 0x2a);
    Cap level2 = l2->cap;
    make(mem, Cap::cnode(level2.object(), 6, 58, 0), baton::Object_type::Notification, 9);

    // cptr bits, most significant first: 4 (index 3) + 6 (guard) + 6 (index 9) = 16 bits.
    u64 cptr = (u64(3) << 12) | (u64(0x2a) << 6) | 9;
    auto s = lookup_slot(root, cptr, 16);
    REQUIRE(s.ok());
    CHECK((*s)->cap.type() == Cap_type::Notification);
    // Depth 10 stops after the guard: it ends inside the second level.
    CHECK(lookup_slot(root, cptr >> 6, 10).detail2() == u64(Lookup_fault::Depth_mismatch));
    // Depth 4 names the slot holding the level-2 CNode itself.
    auto s4 = lookup_slot(root, 3, 4);
    REQUIRE(s4.ok());
    CHECK(*s4 == l2);
    // A wrong guard at level 2, with 12 bits left when it failed.
    auto wrong = lookup_slot(root, (u64(3) << 12) | (u64(0x2b) << 6) | 9, 16);
    CHECK(wrong.detail2() == u64(Lookup_fault::Guard_mismatch));
    CHECK(wrong.detail() == 12);
}

TEST_CASE("mdb: copies, mints and badges; revoke and finality") {
    Test_memory mem;
    Cap root = mem.make_cnode(6);
    make(mem, root, baton::Object_type::Endpoint, 1);
    Slot* ep = at(root, 1);
    CHECK(is_parent_of(mem.untyped, *ep));

    // Copy with fewer rights: a sibling, not revocable.
    REQUIRE(cnode_copy(at(root, 2), ep, rights::read).ok());
    CHECK(at(root, 2)->cap.rights() == rights::read);
    CHECK_FALSE(is_final(*ep));
    CHECK(is_parent_of(*ep, *at(root, 2)));

    // Mint a badge: revocable, first of its badge.
    REQUIRE(cnode_mint(at(root, 3), ep, rights::all, 42).ok());
    CHECK(at(root, 3)->cap.badge() == 42);
    CHECK(at(root, 3)->revocable());
    // A copy of the badged one is its child; a badge cannot be changed.
    REQUIRE(cnode_copy(at(root, 4), at(root, 3), rights::all).ok());
    CHECK(at(root, 4)->cap.badge() == 42);
    CHECK(is_parent_of(*at(root, 3), *at(root, 4)));
    CHECK(cnode_mint(at(root, 5), at(root, 3), rights::all, 7).error() == Error::IllegalOperation);

    // Revoking the badged capability removes only its copies.
    REQUIRE(cnode_revoke(at(root, 3)).ok());
    CHECK(at(root, 4)->empty());
    CHECK_FALSE(at(root, 3)->empty());
    CHECK_FALSE(at(root, 2)->empty());

    // Revoking the original removes every derived capability.
    REQUIRE(cnode_revoke(ep).ok());
    CHECK(at(root, 2)->empty());
    CHECK(at(root, 3)->empty());
    CHECK(is_final(*ep));
}

TEST_CASE("cnode: copy, move, mutate and rotate errors are specific") {
    Test_memory mem;
    Cap root = mem.make_cnode(6);
    make(mem, root, baton::Object_type::Notification, 1, 2);
    // Occupied destination.
    CHECK(cnode_copy(at(root, 2), at(root, 1), rights::all).error() == Error::DeleteFirst);
    // Empty source.
    CHECK(cnode_copy(at(root, 9), at(root, 8), rights::all).error() == Error::FailedLookup);
    CHECK(cnode_move(at(root, 9), at(root, 8)).error() == Error::FailedLookup);
    // Untyped memory is never copied; moving it is fine.
    Slot spare;
    CHECK(cnode_copy(at(root, 9), &mem.untyped, rights::all).error() == Error::IllegalOperation);
    // Move keeps MDB position and flags.
    REQUIRE(cnode_move(at(root, 9), at(root, 1)).ok());
    CHECK(at(root, 1)->empty());
    CHECK(at(root, 9)->revocable());
    CHECK(is_parent_of(mem.untyped, *at(root, 9)));
    CHECK(cnode_move(at(root, 9), at(root, 9)).error() == Error::IllegalOperation);
    // Mutate sets a badge on the way.
    REQUIRE(cnode_mutate(at(root, 10), at(root, 9), 5).ok());
    CHECK(at(root, 10)->cap.badge() == 5);
    // Rotate: pivot -> dest, src -> pivot.
    make(mem, root, baton::Object_type::Endpoint, 20);
    REQUIRE(cnode_rotate(at(root, 21), 0, at(root, 20), 0, at(root, 10)).ok());
    CHECK(at(root, 21)->cap.type() == Cap_type::Endpoint);
    CHECK(at(root, 20)->cap.type() == Cap_type::Notification);
    CHECK(at(root, 10)->empty());
    // Rotate with dest == src swaps.
    REQUIRE(cnode_rotate(at(root, 21), 0, at(root, 20), 0, at(root, 21)).ok());
    CHECK(at(root, 21)->cap.type() == Cap_type::Notification);
    CHECK(at(root, 20)->cap.type() == Cap_type::Endpoint);
    CHECK(is_parent_of(mem.untyped, *at(root, 20)));
    CHECK(cnode_rotate(at(root, 22), 0, at(root, 20), 0, at(root, 20)).error() == Error::IllegalOperation);
    // Guards through Mutate on a CNode capability: 3 guard bits, guard 5.
    make(mem, root, baton::Object_type::Cnode, 30, 1, 4);
    REQUIRE(cnode_mutate(at(root, 31), at(root, 30), (u64(5) << 6) | 3).ok());
    CHECK(at(root, 31)->cap.guard_bits() == 3);
    CHECK(at(root, 31)->cap.guard() == 5);
    CHECK(cnode_mutate(at(root, 32), at(root, 31), (u64(9) << 6) | 3).error() == Error::InvalidArgument);
    (void)spare;
}

namespace {
// A chain root[1] -> A, A[0] -> B, B[0] -> C ... each CNode holding the only
// capability to the next, `depth` deep, with an endpoint in the last one's
// slot 1. Returns that endpoint's slot.
Slot* make_chain(Test_memory& mem, const Cap& root, int depth) {
    make(mem, root, baton::Object_type::Cnode, 1, 1, 1);
    Cap cur = at(root, 1)->cap;
    for (int i = 0; i < depth; ++i) {
        REQUIRE(untyped_retype(&mem.untyped, u64(baton::Object_type::Cnode), 1, cur, 0, 1).ok());
        cur = cnode_slot(cur, 0)->cap;
    }
    REQUIRE(untyped_retype(&mem.untyped, u64(baton::Object_type::Endpoint), 0, cur, 1, 1).ok());
    return cnode_slot(cur, 1);
}
}  // namespace

TEST_CASE("delete: the last capability finalises, and chains of CNodes need no kernel stack") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    make_chain(mem, root, 2000);
    // And a CNode holding a capability to itself.
    make(mem, root, baton::Object_type::Cnode, 2, 1, 2);
    REQUIRE(cnode_copy(cnode_slot(at(root, 2)->cap, 3), at(root, 2), rights::all).ok());

    // Everything goes with the untyped's revoke; the untyped is whole again.
    REQUIRE(cnode_revoke(&mem.untyped).ok());
    CHECK(at(root, 1)->empty());
    CHECK(at(root, 2)->empty());
    CHECK_FALSE(has_children(mem.untyped));
    CHECK(mem.untyped.cap.watermark() == 0);
}

TEST_CASE("delete: a deleted chain head empties the whole chain") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    Slot* deepest_ep = make_chain(mem, root, 500);
    REQUIRE(cnode_delete(at(root, 1)).ok());
    CHECK(deepest_ep->empty());
    // Only the untyped's own list is left: no dangling children.
    CHECK_FALSE(has_children(mem.untyped));
}
