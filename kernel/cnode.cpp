// CNode invocations.
#include "cnode.hpp"

namespace kernel {

namespace {

// Applies Mint/Mutate data: a badge for endpoints and notifications (only
// to an unbadged capability: a badge cannot be changed once given), a
// guard for CNodes (bits 0-5: guard size, bits 6-63: guard).
Kresult_of<Cap> apply_data(const Cap& c, u64 data) {
    switch (c.type()) {
    case Cap_type::Endpoint:
    case Cap_type::Notification:
        if (data == 0) return c;
        if (c.badge() != 0) return fail(Error::IllegalOperation);
        return c.with_badge(data);
    case Cap_type::Cnode: {
        u64 guard_bits = data & 63, guard = data >> 6;
        if (guard_bits + c.radix() > 64 || guard_bits > Cap::max_guard_bits)
            return fail(Error::RangeError, 0, 64 - c.radix());
        if (guard_bits < 64 && (guard >> guard_bits) != 0) return fail(Error::InvalidArgument, 3);
        return Cap::cnode(c.object(), c.radix(), u8(guard_bits), guard);
    }
    default: return c;
    }
}

Kresult check_move(const Slot* dest, const Slot* src) {
    if (src->empty()) return fail(Error::FailedLookup, 0, u64(Lookup_fault::Missing_capability));
    if (!dest->empty()) return fail(Error::DeleteFirst);
    return {};
}

}  // namespace

Kresult_of<Cap> derive_cap(const Slot* src, u8 rights_mask, bool with_data, u64 data) {
    const Cap& c = src->cap;
    switch (c.type()) {
    case Cap_type::Null: return fail(Error::FailedLookup, 0, u64(Lookup_fault::Missing_capability));
    // One watermark per region: untyped memory is split by Retype, never copied.
    case Cap_type::Untyped:
    // The authority to make IRQ handlers is not shared.
    case Cap_type::IrqControl: return fail(Error::IllegalOperation);
    // A page table is copied only once it is mapped: every copy then names
    // that one mapping.
    case Cap_type::PageTable:
        if (!(c.word1() & 1)) return fail(Error::IllegalOperation);
        break;
    default: break;
    }
    Cap out = c.with_rights(c.rights() & rights_mask);
    // Each frame capability holds at most one mapping: a copy starts unmapped.
    if (c.type() == Cap_type::Frame4k || c.type() == Cap_type::Frame2m) out = out.with_word1(0);
    if (with_data) TRY_ASSIGN_INTO(out, apply_data(out, data));
    return out;
}

Kresult cnode_copy(Slot* dest, Slot* src, u64 rights) {
    if (!dest->empty()) return fail(Error::DeleteFirst);
    TRY_ASSIGN(cap, derive_cap(src, u8(rights), false, 0));
    mdb_insert(src, dest, cap, is_cap_revocable(cap, src->cap), false);
    return {};
}

Kresult cnode_mint(Slot* dest, Slot* src, u64 rights, u64 badge) {
    if (!dest->empty()) return fail(Error::DeleteFirst);
    TRY_ASSIGN(cap, derive_cap(src, u8(rights), true, badge));
    bool revocable = is_cap_revocable(cap, src->cap);
    mdb_insert(src, dest, cap, revocable, revocable);
    return {};
}

Kresult cnode_move(Slot* dest, Slot* src) {
    if (dest == src) return fail(Error::IllegalOperation);
    TRY(check_move(dest, src));
    mdb_move(src, dest, src->cap);
    return {};
}

Kresult cnode_mutate(Slot* dest, Slot* src, u64 badge) {
    if (dest == src) return fail(Error::IllegalOperation);
    TRY(check_move(dest, src));
    TRY_ASSIGN(cap, apply_data(src->cap, badge));
    mdb_move(src, dest, cap);
    return {};
}

Kresult cnode_rotate(Slot* dest, u64 dest_badge, Slot* pivot, u64 pivot_badge, Slot* src) {
    if (pivot == src || pivot == dest) return fail(Error::IllegalOperation);
    if (src->empty()) return fail(Error::FailedLookup, 0, u64(Lookup_fault::Missing_capability));
    if (pivot->empty()) return fail(Error::FailedLookup, 0, u64(Lookup_fault::Missing_capability));
    if (dest != src && !dest->empty()) return fail(Error::DeleteFirst);
    TRY_ASSIGN(new_dest, apply_data(pivot->cap, dest_badge));
    TRY_ASSIGN(new_pivot, apply_data(src->cap, pivot_badge));
    if (dest == src) {
        mdb_swap(pivot, new_dest, src, new_pivot);
    } else {
        mdb_move(pivot, dest, new_dest);
        mdb_move(src, pivot, new_pivot);
    }
    return {};
}

Kresult cnode_delete(Slot* s) {
    delete_slot(s);
    return {};
}

Kresult cnode_revoke(Slot* s) {
    revoke_slot(s);
    return {};
}

}  // namespace kernel
