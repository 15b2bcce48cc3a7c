// Capabilities: a two-word value naming one kernel object and the rights
// over it. Every capability lives in a slot of some CNode (or of a TCB).
//
//   w0  63     57 56   53 52    48 47                                0
//       | small | rights | type   |  object physical address         |
//   w1  type-specific: badge (endpoint, notification), guard (cnode),
//       watermark (untyped), mapping (frame, page tables), irq (handler)
//
// `small` is 6 bits of size (untyped: size_bits, cnode: radix, frame:
// page bits, page table: level) and 1 flag bit (untyped, frame: device).
#pragma once

#include <baton/object_types.h>

#include "types.hpp"

namespace kernel {

using Cap_type = baton::Object_type;

// Rights over the object [seL4 manual 3.1.2]: read and write for memory
// and endpoints; grant lets a send carry capabilities; grant-reply lets a
// Call carry a reply capability.
namespace rights {
constexpr u8 read = 1;
constexpr u8 write = 2;
constexpr u8 grant = 4;
constexpr u8 grant_reply = 8;
constexpr u8 all = 15;
}  // namespace rights

class Cap {
public:
    static constexpr u64 pa_mask = (u64(1) << 48) - 1;
    static constexpr unsigned type_shift = 48, rights_shift = 53, small_shift = 57;
    static constexpr u64 max_badge = ~u64(0);
    static constexpr unsigned max_guard_bits = 58;

    constexpr Cap() = default;

    static constexpr Cap make(Cap_type type, u64 pa, u8 rights, u8 size_bits = 0, bool flag = false, u64 w1 = 0) {
        Cap c;
        c.w0_ = (pa & pa_mask) | (u64(type) << type_shift) | (u64(rights & 0xf) << rights_shift) |
                (u64(size_bits & 0x3f) << small_shift) | (u64(flag) << 63);
        c.w1_ = w1;
        return c;
    }
    static constexpr Cap untyped(u64 pa, u8 size_bits, bool device) {
        return make(Cap_type::Untyped, pa, rights::all, size_bits, device, 0);
    }
    static constexpr Cap cnode(u64 pa, u8 radix, u8 guard_bits, u64 guard) {
        return make(Cap_type::Cnode, pa, rights::all, radix, false, pack_guard(guard_bits, guard));
    }

    constexpr Cap_type type() const { return Cap_type((w0_ >> type_shift) & 0x1f); }
    constexpr bool is_null() const { return type() == Cap_type::Null; }
    constexpr u64 object() const { return w0_ & pa_mask; }
    constexpr u8 rights() const { return u8((w0_ >> rights_shift) & 0xf); }
    constexpr bool has(u8 r) const { return (rights() & r) == r; }
    constexpr u8 size_bits() const { return u8((w0_ >> small_shift) & 0x3f); }
    constexpr bool flag() const { return (w0_ >> 63) != 0; }
    constexpr u64 word1() const { return w1_; }
    constexpr u64 word0() const { return w0_; }

    // Endpoint and notification badges.
    constexpr u64 badge() const { return w1_; }
    constexpr Cap with_badge(u64 b) const { Cap c = *this; c.w1_ = b; return c; }
    // Untyped: the offset below which the region is used.
    constexpr u64 watermark() const { return w1_; }
    constexpr bool device() const { return flag(); }
    constexpr Cap with_watermark(u64 w) const { Cap c = *this; c.w1_ = w; return c; }
    // CNode guard.
    constexpr u8 radix() const { return size_bits(); }
    constexpr u8 guard_bits() const { return u8(w1_ >> max_guard_bits); }
    constexpr u64 guard() const { return w1_ & ((u64(1) << max_guard_bits) - 1); }
    // Generic word-1 replacement (mapping state of frames and page tables).
    constexpr Cap with_word1(u64 w) const { Cap c = *this; c.w1_ = w; return c; }

    constexpr Cap with_rights(u8 r) const {
        Cap c = *this;
        c.w0_ = (c.w0_ & ~(u64(0xf) << rights_shift)) | (u64(r & 0xf) << rights_shift);
        return c;
    }

    constexpr bool operator==(const Cap&) const = default;

    static constexpr u64 pack_guard(u8 guard_bits, u64 guard) {
        return (u64(guard_bits) << max_guard_bits) | (guard & ((u64(1) << max_guard_bits) - 1));
    }

private:
    u64 w0_ = 0;
    u64 w1_ = 0;
};

static_assert(sizeof(Cap) == 16);
static_assert(Cap::cnode(0x1000, 8, 3, 5).radix() == 8);
static_assert(Cap::cnode(0x1000, 8, 3, 5).guard_bits() == 3);
static_assert(Cap::cnode(0x1000, 8, 3, 5).guard() == 5);
static_assert(Cap::untyped(0x80000000, 20, true).device());
static_assert(Cap::untyped(0x80000000, 20, true).object() == 0x80000000);
static_assert(Cap::make(Cap_type::Endpoint, 0x10, rights::read).with_rights(rights::all).rights() == rights::all);

constexpr const char* type_name(Cap_type t) {
    return unsigned(t) < baton::object_type_count ? baton::object_type_info[unsigned(t)].name : "invalid";
}

}  // namespace kernel
