// Send, Recv and NBRecv: look the capability up in the caller's CSpace and
// act on the object it names. Call lives in invocation.cpp.
#include "ipc.hpp"

#include <baton/ipc.h>

#include "endpoint.hpp"
#include "kernel.hpp"
#include "notification.hpp"
#include "object.hpp"
#include "thread.hpp"

namespace kernel {

void ipc_complete(arch::User_context& ctx, Error e, u64 badge, u64 d0, u64 d1) {
    bool ok = e == Error::Ok;
    ctx.set_syscall_result(0, badge);
    ctx.set_syscall_result(1, baton_msginfo_new(u64(e), 0, 0, ok ? 0 : 2));
    if (!ok) {
        ctx.set_syscall_result(2, d0);
        ctx.set_syscall_result(3, d1);
    }
}

namespace sys {
namespace {

enum class Ipc_op { Send, Nb_send, Recv, Poll };

// Signal, Wait, Poll. Sending needs the write right, receiving the read
// right; a notification bound to a thread is received from by that thread
// only (the others would steal its signals).
void notification_op(arch::User_context& ctx, Thread& caller, const Cap& cap, Ipc_op op) {
    Notification& n = *object_ptr<Notification>(cap);
    if (op == Ipc_op::Send || op == Ipc_op::Nb_send) {
        if (!cap.has(rights::write)) return ipc_complete(ctx, Error::IllegalOperation);
        // A signal may end the bound thread's receive on an endpoint, whose
        // lock ranks before this one: exclusively (smp.cpp).
        if (n.bound && !kernel_held_exclusively()) return want_exclusive();
        notification_signal(n, cap.badge());
        return ipc_complete(ctx, Error::Ok);
    }
    if (!cap.has(rights::read)) return ipc_complete(ctx, Error::IllegalOperation);
    if (n.bound && n.bound != &caller) return ipc_complete(ctx, Error::IllegalOperation);
    if (op == Ipc_op::Poll) return ipc_complete(ctx, Error::Ok, notification_poll(n));
    u64 word = 0;
    if (notification_wait(n, caller, word)) ipc_complete(ctx, Error::Ok, word);
    // Otherwise the caller is blocked; whoever wakes it writes its results.
}

// The Reply object a receive binds Calls to: capability pointer 0 is none;
// anything else must name a Reply capability.
Kresult_of<Reply*> reply_object(Thread& caller, u64 cptr) {
    if (cptr == 0) return static_cast<Reply*>(nullptr);
    auto found = lookup_cap(caller.slots[tcb_cspace].cap, cptr);
    if (!found) return found.failure();
    if ((*found)->cap.type() != Cap_type::Reply) return fail(Error::InvalidCapability, 1);
    return object_ptr<Reply>((*found)->cap);
}

// Send, NBSend, Recv, NBRecv on an endpoint: sending needs the write right,
// receiving the read right.
void endpoint_op(arch::User_context& ctx, Thread& caller, const Cap& cap, Ipc_op op) {
    Endpoint& ep = *object_ptr<Endpoint>(cap);
    if (op == Ipc_op::Send || op == Ipc_op::Nb_send) {
        if (!cap.has(rights::write)) return ipc_complete(ctx, Error::IllegalOperation);
        if (auto ok = check_message(caller); !ok) return ipc_complete(ctx, ok.error(), 0, ok.detail(), ok.detail2());
        return endpoint_send(ep, caller, cap.badge(), cap.rights(),
                             op == Ipc_op::Send ? Send_kind::Send : Send_kind::Nb_send);
    }
    if (!cap.has(rights::read)) return ipc_complete(ctx, Error::IllegalOperation);
    auto reply = reply_object(caller, ctx.syscall_reply());
    if (!reply) return ipc_complete(ctx, reply.error(), 0, reply.detail(), reply.detail2());
    endpoint_receive(ep, caller, *reply, op == Ipc_op::Recv);
}

void ipc(arch::User_context& ctx, Ipc_op op) {
    Thread& caller = *current_thread();
    auto found = lookup_cap(caller.slots[tcb_cspace].cap, ctx.syscall_arg(0));
    if (!found) return ipc_complete(ctx, found.error(), 0, found.detail(), found.detail2());
    const Cap cap = (*found)->cap;
    switch (cap.type()) {
    case Cap_type::Notification: return notification_op(ctx, caller, cap, op);
    case Cap_type::Endpoint: return endpoint_op(ctx, caller, cap, op);
    case Cap_type::Reply:
        if (op != Ipc_op::Send && op != Ipc_op::Nb_send) return ipc_complete(ctx, Error::InvalidCapability);
        if (auto ok = check_message(caller); !ok) return ipc_complete(ctx, ok.error(), 0, ok.detail(), ok.detail2());
        return ipc_complete(ctx, reply_send(*object_ptr<Reply>(cap), caller));
    default: return ipc_complete(ctx, Error::InvalidCapability);
    }
}

}  // namespace

void send(arch::User_context& ctx) { ipc(ctx, Ipc_op::Send); }
void nb_send(arch::User_context& ctx) { ipc(ctx, Ipc_op::Nb_send); }

// Reply to the caller bound to `reply`, then receive on the endpoint.
void reply_recv(arch::User_context& ctx) {
    Thread& caller = *current_thread();
    auto reply = reply_object(caller, ctx.syscall_reply());
    if (!reply) return ipc_complete(ctx, reply.error(), 0, reply.detail(), reply.detail2());
    auto found = lookup_cap(caller.slots[tcb_cspace].cap, ctx.syscall_arg(0));
    if (!found) return ipc_complete(ctx, found.error(), 0, found.detail(), found.detail2());
    const Cap cap = (*found)->cap;
    if (cap.type() != Cap_type::Endpoint) return ipc_complete(ctx, Error::InvalidCapability, 0, 0);
    if (!cap.has(rights::read)) return ipc_complete(ctx, Error::IllegalOperation);
    if (auto ok = check_message(caller); !ok) return ipc_complete(ctx, ok.error(), 0, ok.detail(), ok.detail2());
    if (*reply) reply_send(**reply, caller);
    endpoint_receive(*object_ptr<Endpoint>(cap), caller, *reply, true);
}
void recv(arch::User_context& ctx) { ipc(ctx, Ipc_op::Recv); }
void nb_recv(arch::User_context& ctx) { ipc(ctx, Ipc_op::Poll); }

}  // namespace sys
}  // namespace kernel
