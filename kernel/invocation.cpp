// The Call system call on kernel objects: look the capability up, gather
// the message, decode, invoke, reply. Endpoint capabilities are IPC.
#include "invocation.hpp"
#include "kernel.hpp"

#include "cnode.hpp"
#include "endpoint.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "untyped.hpp"
#include "vm.hpp"

namespace kernel {


void Invocation::set_result(unsigned i, u64 v) {
    if (i < BATON_MSG_REGISTERS) ctx.set_syscall_result(2 + i, v);
    else if (buffer) buffer->msg[i] = v;
}

}  // namespace kernel

#include "invocation_decode.hpp"

namespace kernel {
namespace inv {

namespace {

// A slot named by index/depth in `root`; depth 0 means root's own slot is
// not nameable this way.
Kresult_of<Slot*> target_slot(const Cap& root, u64 index, u64 depth) {
    if (depth < 1 || depth > 64) return fail(Error::RangeError, 1, 64);
    return lookup_slot(root, index, unsigned(depth));
}

// A slot named in another CNode, passed as the capability argument `arg`.
Kresult_of<Slot*> slot_in(const Slot* cnode, u64 index, u64 depth, unsigned arg) {
    if (cnode->cap.type() != Cap_type::Cnode) return fail(Error::InvalidCapability, arg);
    return target_slot(cnode->cap, index, depth);
}

}  // namespace

Kresult untyped_retype(Invocation& inv, u64 type, u64 size_bits, Slot* root, u64 node_index, u64 node_depth,
                       u64 node_offset, u64 num_objects) {
    Cap dest = root->cap;
    if (dest.type() != Cap_type::Cnode) return fail(Error::InvalidCapability, 1);
    if (node_depth != 0) {
        TRY_ASSIGN(node, target_slot(root->cap, node_index, node_depth));
        dest = node->cap;
        if (dest.type() != Cap_type::Cnode) return fail(Error::FailedLookup, 0, u64(Lookup_fault::Missing_capability));
    }
    return kernel::untyped_retype(inv.slot, type, size_bits, dest, node_offset, num_objects);
}

Kresult cnode_copy(Invocation& inv, u64 dest_index, u64 dest_depth, Slot* src_root, u64 src_index, u64 src_depth,
                   u64 rights) {
    TRY_ASSIGN(dest, target_slot(inv.cap, dest_index, dest_depth));
    TRY_ASSIGN(src, slot_in(src_root, src_index, src_depth, 1));
    return kernel::cnode_copy(dest, src, rights);
}

Kresult cnode_mint(Invocation& inv, u64 dest_index, u64 dest_depth, Slot* src_root, u64 src_index, u64 src_depth,
                   u64 rights, u64 badge) {
    TRY_ASSIGN(dest, target_slot(inv.cap, dest_index, dest_depth));
    TRY_ASSIGN(src, slot_in(src_root, src_index, src_depth, 1));
    return kernel::cnode_mint(dest, src, rights, badge);
}

Kresult cnode_move(Invocation& inv, u64 dest_index, u64 dest_depth, Slot* src_root, u64 src_index, u64 src_depth) {
    TRY_ASSIGN(dest, target_slot(inv.cap, dest_index, dest_depth));
    TRY_ASSIGN(src, slot_in(src_root, src_index, src_depth, 1));
    return kernel::cnode_move(dest, src);
}

Kresult cnode_mutate(Invocation& inv, u64 dest_index, u64 dest_depth, Slot* src_root, u64 src_index, u64 src_depth,
                     u64 badge) {
    TRY_ASSIGN(dest, target_slot(inv.cap, dest_index, dest_depth));
    TRY_ASSIGN(src, slot_in(src_root, src_index, src_depth, 1));
    return kernel::cnode_mutate(dest, src, badge);
}

Kresult cnode_rotate(Invocation& inv, u64 dest_index, u64 dest_depth, u64 dest_badge, Slot* pivot_root,
                     u64 pivot_index, u64 pivot_depth, u64 pivot_badge, Slot* src_root, u64 src_index,
                     u64 src_depth) {
    TRY_ASSIGN(dest, target_slot(inv.cap, dest_index, dest_depth));
    TRY_ASSIGN(pivot, slot_in(pivot_root, pivot_index, pivot_depth, 1));
    TRY_ASSIGN(src, slot_in(src_root, src_index, src_depth, 2));
    return kernel::cnode_rotate(dest, dest_badge, pivot, pivot_badge, src);
}

Kresult cnode_delete(Invocation& inv, u64 index, u64 depth) {
    TRY_ASSIGN(s, target_slot(inv.cap, index, depth));
    return kernel::cnode_delete(s);
}

Kresult cnode_revoke(Invocation& inv, u64 index, u64 depth) {
    TRY_ASSIGN(s, target_slot(inv.cap, index, depth));
    return kernel::cnode_revoke(s);
}

}  // namespace inv

namespace sys {

namespace {

void reply(arch::User_context& ctx, Error e, u64 d0, u64 d1, u32 length) {
    ctx.set_syscall_result(0, 0);  // no badge: the kernel replied
    ctx.set_syscall_result(1, baton_msginfo_new(u64(e), 0, 0, length));
    if (e != Error::Ok) {
        ctx.set_syscall_result(2, d0);
        ctx.set_syscall_result(3, d1);
    }
}

}  // namespace

void call(arch::User_context& ctx) {
    Thread& caller = *arch::cpu_local()->current;
    u64 cptr = ctx.syscall_arg(0);
    baton_msginfo info = ctx.syscall_arg(1);

    auto found = lookup_cap(caller.slots[tcb_cspace].cap, cptr);
    if (!found) return reply(ctx, found.error(), found.detail(), found.detail2(), 2);
    Slot* slot = *found;
    switch (slot->cap.type()) {
    case Cap_type::Endpoint: {
        // IPC Call: needs the write right; the reply needs grant or grant-reply.
        const Cap ep = slot->cap;
        if (!ep.has(rights::write)) return reply(ctx, Error::IllegalOperation, 0, 0, 2);
        if (auto ok = check_message(caller); !ok) return reply(ctx, ok.error(), ok.detail(), ok.detail2(), 2);
        return endpoint_send(*object_ptr<Endpoint>(ep), caller, ep.badge(), ep.rights(), Send_kind::Call);
    }
    case Cap_type::Notification:
    case Cap_type::Reply:
        // Signal and reply are sends, not calls.
        return reply(ctx, Error::IllegalOperation, 0, 0, 2);
    default: break;
    }
    // Invocations manage objects and capabilities: exclusively (smp.cpp).
    if (!kernel_held_exclusively()) return want_exclusive();

    Invocation inv{caller, ctx, ipc_buffer_of(caller), slot, slot->cap};
    inv.label = baton_msginfo_label(info);
    inv.length = u32(min<u64>(baton_msginfo_length(info), inv.buffer ? BATON_MSG_MAX_LENGTH : BATON_MSG_REGISTERS));
    // Extra capabilities come from the IPC buffer; without one there are none.
    u32 wanted = inv.buffer ? u32(baton_msginfo_extra_caps(info)) : 0;
    for (u32 i = 0; i < wanted; ++i) {
        auto extra = lookup_cap_slot(caller.slots[tcb_cspace].cap, inv.buffer->caps_or_badges[i]);
        if (!extra) return reply(ctx, extra.error(), extra.detail(), extra.detail2(), 2);
        inv.extra[inv.extra_caps++] = *extra;
    }

    auto r = inv::decode(inv);
    if (!r) return reply(ctx, r.error(), r.detail(), r.detail2(), 2);
    reply(ctx, Error::Ok, 0, 0, inv.result_length);
}

}  // namespace sys
}  // namespace kernel
