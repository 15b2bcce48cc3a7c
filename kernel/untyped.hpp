// Untyped memory: the only allocator after boot. Retype carves objects out
// of an untyped region from its watermark up, each aligned to its own
// size, and puts their capabilities into empty slots as children of the
// untyped capability. When an untyped capability has no children left
// (after Revoke), its whole region is free again.
#pragma once

#include "cspace.hpp"

namespace kernel {

constexpr u64 max_retype_count = 256;

// Makes `count` objects of `type` from the untyped capability in ut into
// slots [offset, offset + count) of the CNode capability dest_cnode.
// user_size_bits is the size of variable-size objects (untyped: bytes as a
// power of two; cnode: radix). Nothing changes unless it all succeeds.
Kresult untyped_retype(Slot* ut, u64 type, u64 user_size_bits, const Cap& dest_cnode, u64 offset, u64 count);

// The capability Retype puts in each slot (exposed for boot and tests).
Cap object_cap(Cap_type type, u64 pa, unsigned size_bits, bool device);

}  // namespace kernel
