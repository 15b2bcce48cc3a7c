// Send, Recv and NBRecv: look the capability up in the caller's CSpace and
// act on the object it names. Call lives in invocation.cpp.
#include "ipc.hpp"

#include <baton/ipc.h>

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

enum class Ipc_op { Send, Recv, Poll };

// Signal, Wait, Poll. Sending needs the write right, receiving the read
// right; a notification bound to a thread is received from by that thread
// only (the others would steal its signals).
void notification_op(arch::User_context& ctx, Thread& caller, const Cap& cap, Ipc_op op) {
    Notification& n = *object_ptr<Notification>(cap);
    if (op == Ipc_op::Send) {
        if (!cap.has(rights::write)) return ipc_complete(ctx, Error::IllegalOperation);
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

void ipc(arch::User_context& ctx, Ipc_op op) {
    Thread& caller = *current_thread();
    auto found = lookup_cap(caller.slots[tcb_cspace].cap, ctx.syscall_arg(0));
    if (!found) return ipc_complete(ctx, found.error(), 0, found.detail(), found.detail2());
    const Cap cap = (*found)->cap;
    switch (cap.type()) {
    case Cap_type::Notification: return notification_op(ctx, caller, cap, op);
    // Message passing on endpoints arrives with the IPC work.
    case Cap_type::Endpoint: return ipc_complete(ctx, Error::IllegalOperation);
    default: return ipc_complete(ctx, Error::InvalidCapability);
    }
}

}  // namespace

void send(arch::User_context& ctx) { ipc(ctx, Ipc_op::Send); }
void recv(arch::User_context& ctx) { ipc(ctx, Ipc_op::Recv); }
void nb_recv(arch::User_context& ctx) { ipc(ctx, Ipc_op::Poll); }

}  // namespace sys
}  // namespace kernel
