// CNode invocations on resolved slots: Copy, Mint, Move, Mutate, Rotate,
// Delete, Revoke. Each checks everything first and changes nothing on
// failure. Argument indexes in errors follow the invocation's signature.
#pragma once

#include "cspace.hpp"

namespace kernel {

// A copy of src's capability with rights reduced to `rights` (and, for
// Mint/Mutate, `data` applied: an endpoint/notification badge or a CNode
// guard). Fails for capabilities that cannot be copied.
Kresult_of<Cap> derive_cap(const Slot* src, u8 rights, bool apply_data, u64 data);

Kresult cnode_copy(Slot* dest, Slot* src, u64 rights);
Kresult cnode_mint(Slot* dest, Slot* src, u64 rights, u64 badge);
Kresult cnode_move(Slot* dest, Slot* src);
Kresult cnode_mutate(Slot* dest, Slot* src, u64 badge);
// Moves pivot's capability to dest and src's to pivot (dest may be src:
// then the two are swapped), applying the badges.
Kresult cnode_rotate(Slot* dest, u64 dest_badge, Slot* pivot, u64 pivot_badge, Slot* src);
Kresult cnode_delete(Slot* s);
Kresult cnode_revoke(Slot* s);

}  // namespace kernel
