// Capability spaces: slots, the derivation tree, and lookup.
//
// A slot holds one capability plus its links in the mapping database
// (MDB): one doubly linked list of every slot in the system, ordered as a
// depth-first walk of the derivation tree, so that a capability's
// descendants are exactly the run of slots after it that it is a parent
// of [seL4 reference manual 3.1.4; Elkaduwe et al. 2008]. Derived
// capabilities are inserted right after their source, so all capabilities
// to one object stand next to each other.
//
// Lookup resolves a capability pointer (cptr) through CNodes, most
// significant bits first: at each CNode the guard must match, then `radix`
// bits pick a slot [seL4 reference manual 3.3].
#pragma once

#include <baton/errors.h>

#include "cap.hpp"
#include "result.hpp"
#include "types.hpp"

namespace kernel {

using baton::Error;
using Kresult = Status<Error>;
template <class T> using Kresult_of = Result<T, Error>;

class alignas(32) Slot {
public:
    Cap cap;

    Slot* prev() const { return prev_; }
    Slot* next() const { return reinterpret_cast<Slot*>(next_ & ~flag_mask); }
    // Whether deleting this capability's children is a revoke of authority
    // it handed out (capabilities made by Retype, badged mints, IRQ
    // handlers from IRQControl).
    bool revocable() const { return next_ & revocable_bit; }
    // A badged endpoint/notification capability minted from an unbadged
    // one: the root of the subtree of copies with this badge.
    bool first_badged() const { return next_ & first_badged_bit; }

    void set_prev(Slot* p) { prev_ = p; }
    void set_next(Slot* n) { next_ = reinterpret_cast<uptr>(n) | (next_ & flag_mask); }
    void set_flags(bool revocable, bool first_badged) {
        next_ = (next_ & ~flag_mask) | (revocable ? revocable_bit : 0) | (first_badged ? first_badged_bit : 0);
    }
    void clear() { *this = Slot(); }
    bool empty() const { return cap.is_null(); }

private:
    static constexpr uptr revocable_bit = 1, first_badged_bit = 2, flag_mask = 31;
    Slot* prev_ = nullptr;
    uptr next_ = 0;  // Slot* with the two flags in its low bits
};

// CNodes are arrays of 2^radix slots of 2^slot_size_bits bytes.
constexpr unsigned slot_size_bits = 5;
static_assert(sizeof(Slot) == (1u << slot_size_bits));

// Why a lookup failed (reported as FailedLookup, detail2).
enum class Lookup_fault : u64 {
    Invalid_root = 1,       // the root is not a CNode
    Missing_capability = 2, // ran into an empty slot or a non-CNode too early
    Depth_mismatch = 3,     // the depth ends inside a level, or bits are left over
    Guard_mismatch = 4,     // the guard does not match
};

Slot* cnode_slot(const Cap& cnode, u64 index);
u64 object_size_bits(const Cap& c);

// Resolves exactly `depth` bits of cptr from `root`, returning the slot
// they name (which may be empty). Fails with FailedLookup (detail: bits
// left when it failed, detail2: Lookup_fault).
Kresult_of<Slot*> lookup_slot(const Cap& root, u64 cptr, unsigned depth);
// Resolves cptr (all 64 bits) to a non-empty capability, stopping at the
// first slot that does not hold a CNode (seL4's lookupCap).
Kresult_of<Slot*> lookup_cap(const Cap& root, u64 cptr);
// Like lookup_cap, but an empty slot is a result, not a failure (extra
// capabilities of an invocation: the method decides what an empty one means).
Kresult_of<Slot*> lookup_cap_slot(const Cap& root, u64 cptr);

// ---- mapping database -----------------------------------------------------
bool same_region_as(const Cap& a, const Cap& b);
bool same_object_as(const Cap& a, const Cap& b);
bool is_parent_of(const Slot& a, const Slot& b);
bool has_children(const Slot& s);
bool is_final(const Slot& s);

// Puts cap into the empty slot dest as a child of src (or, when src is
// null, as a new root). The caller has checked dest is empty.
void mdb_insert(Slot* src, Slot* dest, Cap cap, bool revocable, bool first_badged);
// Moves a capability with its MDB position from src to the empty dest.
void mdb_move(Slot* src, Slot* dest, Cap new_cap);
// Exchanges the capabilities of two slots with their MDB positions: a's
// capability, replaced by cap_a, goes to b; b's, replaced by cap_b, to a.
void mdb_swap(Slot* a, Cap cap_a, Slot* b, Cap cap_b);

// Whether `derived` should be revocable when made from `src`.
bool is_cap_revocable(const Cap& derived, const Cap& src);

// ---- deletion --------------------------------------------------------------
// Deletes the capability in s. If it was the last capability to its
// object, the object is finalised (threads stopped, waiters woken, pages
// unmapped, CNodes emptied). Runs in bounded kernel stack whatever the
// shape of the capability graph.
void delete_slot(Slot* s);
// Deletes every descendant of the capability in s.
void revoke_slot(Slot* s);

}  // namespace kernel
