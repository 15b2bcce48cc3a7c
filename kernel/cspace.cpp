// Capability spaces: lookup, the mapping database, deletion and revocation.
#include "cspace.hpp"

#include "log.hpp"
#include "object.hpp"
#include "vm.hpp"

namespace kernel {

Slot* cnode_slot(const Cap& cnode, u64 index) {
    return static_cast<Slot*>(phys_to_virt(cnode.object())) + index;
}

u64 object_size_bits(const Cap& c) {
    switch (c.type()) {
    case Cap_type::Untyped: return c.size_bits();
    case Cap_type::Cnode: return c.radix() + slot_size_bits;
    default: return baton::object_type_info[unsigned(c.type())].size_bits;
    }
}

// ---- lookup -------------------------------------------------------------------

namespace {

constexpr u64 low_bits(u64 x, unsigned n) { return n >= 64 ? x : x & ((u64(1) << n) - 1); }

Failure<Error> lookup_failed(unsigned bits_left, Lookup_fault why) {
    return fail(Error::FailedLookup, bits_left, u64(why));
}

// seL4's resolveAddressBits: consumes the top `bits` of the low `bits`
// bits of cptr level by level. Returns the slot and the bits left over
// (non-zero when it stopped at a slot that is not a CNode).
struct Resolved {
    Slot* slot;
    unsigned bits_left;
};
Kresult_of<Resolved> resolve(const Cap& root, u64 cptr, unsigned bits) {
    Cap node = root;
    if (node.type() != Cap_type::Cnode) return lookup_failed(bits, Lookup_fault::Invalid_root);
    for (;;) {
        unsigned radix = node.radix(), guard_bits = node.guard_bits();
        unsigned level = radix + guard_bits;
        if (level == 0 || guard_bits > bits) return lookup_failed(bits, Lookup_fault::Guard_mismatch);
        u64 guard = low_bits(cptr >> (bits - guard_bits), guard_bits);
        if (guard != node.guard()) return lookup_failed(bits, Lookup_fault::Guard_mismatch);
        if (level > bits) return lookup_failed(bits, Lookup_fault::Depth_mismatch);
        u64 index = low_bits(cptr >> (bits - level), radix);
        Slot* slot = cnode_slot(node, index);
        bits -= level;
        if (bits == 0 || slot->cap.type() != Cap_type::Cnode) return Resolved{slot, bits};
        node = slot->cap;
    }
}

}  // namespace

Kresult_of<Slot*> lookup_slot(const Cap& root, u64 cptr, unsigned depth) {
    if (depth < 1 || depth > 64) return fail(Error::RangeError, 1, 64);
    TRY_ASSIGN(r, resolve(root, cptr, depth));
    if (r.bits_left != 0) return lookup_failed(r.bits_left, Lookup_fault::Depth_mismatch);
    return r.slot;
}

Kresult_of<Slot*> lookup_cap_slot(const Cap& root, u64 cptr) {
    TRY_ASSIGN(r, resolve(root, cptr, 64));
    return r.slot;
}

Kresult_of<Slot*> lookup_cap(const Cap& root, u64 cptr) {
    TRY_ASSIGN(r, resolve(root, cptr, 64));
    if (r.slot->empty()) return lookup_failed(r.bits_left, Lookup_fault::Missing_capability);
    return r.slot;
}

// ---- mapping database ---------------------------------------------------------

namespace {
bool has_memory(Cap_type t) {
    switch (t) {
    case Cap_type::Null:
    case Cap_type::AsidControl:
    case Cap_type::IrqControl:
    case Cap_type::IrqHandler: return false;
    default: return true;
    }
}
}  // namespace

bool same_region_as(const Cap& a, const Cap& b) {
    switch (a.type()) {
    case Cap_type::Null: return false;
    case Cap_type::Untyped: {
        if (!has_memory(b.type())) return false;
        u64 a_end = a.object() + (u64(1) << a.size_bits());
        u64 b_end = b.object() + (u64(1) << object_size_bits(b));
        return b.object() >= a.object() && b_end <= a_end && b_end > b.object();
    }
    case Cap_type::IrqControl: return b.type() == Cap_type::IrqControl || b.type() == Cap_type::IrqHandler;
    case Cap_type::IrqHandler: return b.type() == Cap_type::IrqHandler && a.word1() == b.word1();
    case Cap_type::AsidControl: return b.type() == Cap_type::AsidControl;
    case Cap_type::Cnode: return b.type() == Cap_type::Cnode && a.object() == b.object() && a.radix() == b.radix();
    default: return a.type() == b.type() && a.object() == b.object();
    }
}

bool same_object_as(const Cap& a, const Cap& b) {
    if (a.type() == Cap_type::Untyped) return a == b;
    if (a.type() == Cap_type::IrqControl && b.type() == Cap_type::IrqHandler) return false;
    return same_region_as(a, b);
}

bool is_parent_of(const Slot& a, const Slot& b) {
    if (!a.revocable() || !same_region_as(a.cap, b.cap)) return false;
    switch (a.cap.type()) {
    case Cap_type::Endpoint:
    case Cap_type::Notification: {
        u64 badge = a.cap.badge();
        if (badge == 0) return true;
        return b.cap.badge() == badge && !b.first_badged();
    }
    default: return true;
    }
}

bool has_children(const Slot& s) { return s.next() && is_parent_of(s, *s.next()); }

bool is_final(const Slot& s) {
    if (s.prev() && same_object_as(s.prev()->cap, s.cap)) return false;
    if (s.next() && same_object_as(s.cap, s.next()->cap)) return false;
    return true;
}

bool is_cap_revocable(const Cap& derived, const Cap& src) {
    switch (derived.type()) {
    case Cap_type::Endpoint:
    case Cap_type::Notification: return derived.badge() != src.badge();
    case Cap_type::IrqHandler: return src.type() == Cap_type::IrqControl;
    case Cap_type::Untyped: return true;
    default: return false;
    }
}

void mdb_insert(Slot* src, Slot* dest, Cap cap, bool revocable, bool first_badged) {
    KASSERT(dest->empty());
    dest->cap = cap;
    dest->set_flags(revocable, first_badged);
    if (!src) return;  // a new root: no relatives
    Slot* next = src->next();
    dest->set_prev(src);
    dest->set_next(next);
    src->set_next(dest);
    if (next) next->set_prev(dest);
}

namespace {
void mdb_unlink(Slot* s) {
    if (s->prev()) s->prev()->set_next(s->next());
    if (s->next()) s->next()->set_prev(s->prev());
    s->clear();
}
}  // namespace

void mdb_move(Slot* src, Slot* dest, Cap new_cap) {
    KASSERT(dest->empty());
    dest->cap = new_cap;
    dest->set_flags(src->revocable(), src->first_badged());
    dest->set_prev(src->prev());
    dest->set_next(src->next());
    if (dest->prev()) dest->prev()->set_next(dest);
    if (dest->next()) dest->next()->set_prev(dest);
    src->clear();
}

void mdb_swap(Slot* a, Cap cap_a, Slot* b, Cap cap_b) {
    Slot tmp;
    mdb_move(a, &tmp, cap_a);
    mdb_move(b, a, cap_b);
    mdb_move(&tmp, b, tmp.cap);
}

// ---- deletion -----------------------------------------------------------------
//
// Deleting the last capability to a CNode must delete what is in it, which
// may hold the last capability to another CNode, and so on: a chain as long
// as a user cares to build. The kernel stack cannot follow such a chain, so
// the CNodes waiting to be emptied form a stack kept in their own memory:
// once a CNode's last capability is gone, nothing refers to its slots, and
// the slot whose deletion found the next CNode is free to record where to
// resume.

namespace {

struct Reap_frame {
    u64 cnode_pa;
    u64 next_index;
    Slot* below;  // the slot holding the frame underneath, or null
    u8 radix;
};
static_assert(sizeof(Reap_frame) <= sizeof(Slot));

struct Reaper {
    bool active = false;
    Reap_frame cur = {};
    u64 current_slot = 0;  // index in cur being deleted, free once done

    void push(u64 pa, u8 radix) {
        if (!active) {
            active = true;
            cur = {pa, 0, nullptr, radix};
            return;
        }
        // Park the current frame in the slot just emptied.
        Slot* spare = static_cast<Slot*>(phys_to_virt(cur.cnode_pa)) + current_slot;
        KASSERT(spare->empty());
        static_assert(alignof(Reap_frame) <= alignof(Slot));
        *reinterpret_cast<Reap_frame*>(spare) = cur;
        cur = {pa, 0, spare, radix};
    }
};

void delete_one(Slot* s, Reaper& r);

// Cleans up an object whose last capability is gone.
void finalise(const Cap& c, Reaper& r) {
    if (c.type() == Cap_type::Cnode) {
        r.push(c.object(), c.radix());
        return;
    }
    Finalise_extra extra;
    finalise_object(c, extra);
    // A thread's own slots (CSpace root, VSpace, IPC buffer, ...).
    for (unsigned i = 0; i < extra.slot_count; ++i) delete_one(extra.slots[i], r);
}

void delete_one(Slot* s, Reaper& r) {
    if (s->empty()) return;
    Cap c = s->cap;
    bool final = is_final(*s);
    mdb_unlink(s);
    if (final) finalise(c, r);
    else capability_removed(c);
}

void drain(Reaper& r) {
    while (r.active) {
        if (r.cur.next_index == (u64(1) << r.cur.radix)) {
            Slot* below = r.cur.below;
            if (!below) {
                r.active = false;
                break;
            }
            r.cur = *reinterpret_cast<Reap_frame*>(below);
            below->clear();
            continue;
        }
        r.current_slot = r.cur.next_index++;
        delete_one(static_cast<Slot*>(phys_to_virt(r.cur.cnode_pa)) + r.current_slot, r);
    }
}

}  // namespace

void delete_slot(Slot* s) {
    Reaper r;
    delete_one(s, r);
    drain(r);
}

void revoke_slot(Slot* s) {
    while (!s->empty() && has_children(*s)) delete_slot(s->next());
    if (s->cap.type() == Cap_type::Untyped) s->cap = s->cap.with_watermark(0);
}

}  // namespace kernel
