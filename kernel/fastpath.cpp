// The IPC fastpath: Call and ReplyRecv in the common case, straight from
// the system-call entry to the other thread, with no scheduler decision,
// no IPC-buffer access and no TLB flush (address spaces are tagged).
//
// Preconditions (any that fails sends the call down the slow path, which
// has the same semantics: the tests run every IPC test both ways):
//   - at most 4 message words, no capabilities to transfer;
//   - the capability pointers resolve in one level of the caller's CSpace
//     (a root CNode whose guard and radix cover all 64 bits);
//   Call:      an endpoint capability with write and grant or grant-reply
//              rights, a receiver waiting that offered a Reply object and
//              runs on this CPU, and no ready thread more urgent than it;
//   ReplyRecv: a Reply capability with a caller waiting on it (not for a
//              fault), an endpoint capability with the read right and no
//              sender queued on it, no signal pending on the caller's bound
//              notification, and no ready thread as urgent as the caller;
//   both:      the thread switched to runs on this CPU (Thread::affinity),
//              and no priority is inherited or given back: a Call to a
//              server of lower priority than its caller, or a ReplyRecv by
//              a server running at an inherited priority, take the slow
//              path (endpoint.cpp, thread_inherit).
//
// Locks (kernel/smp.cpp): the CPU's read lock is held on entry; the
// endpoint's lock and then the Reply object's are held from before the
// first look at either until the switch.
// Per the slow path, a Call's receiver runs at once (the baton), and a
// replied-to caller runs because nothing else as urgent is ready.
//
// An architecture may run the same path in its entry code (arm64:
// arch_arm64/vectors.S, which defines BATON_ARCH_ENTRY_FASTPATH); this file
// is then its specification and host-tested twin, and fastpath() below
// leaves every call to the slow path. The entry path takes the same locks,
// without waiting: any it finds taken sends the call to the slow path.
#include <baton/syscall_numbers.h>

#include "config.hpp"
#include "endpoint.hpp"
#include "kernel.hpp"
#include "percpu.hpp"
#include "thread.hpp"

namespace kernel {

#ifdef BATON_ARCH_ENTRY_FASTPATH
constexpr bool arch_entry_fastpath = true;
#else
constexpr bool arch_entry_fastpath = false;
#endif

namespace {

// One level: the root CNode's guard and radix resolve all 64 bits.
inline Slot* one_level_lookup(const Cap& root, u64 cptr) {
    if (root.type() != Cap_type::Cnode) return nullptr;
    unsigned radix = root.radix();
    if (radix + root.guard_bits() != 64 || (cptr >> radix) != root.guard()) return nullptr;
    return cnode_slot(root, cptr & ((u64(1) << radix) - 1));
}

// The thread the fastpath would switch to must run on this CPU.
inline bool runs_here(const Thread& t) { return t.affinity == arch::cpu_local()->cpu_id; }

inline bool small_message(baton_msginfo info) {
    return baton_msginfo_length(info) <= 4 && baton_msginfo_extra_caps(info) == 0;
}

// Message words 0-3 and the message info, as transfer() would write them.
inline void copy_message(const arch::User_context& from, arch::User_context& to, baton_msginfo info, u64 badge) {
    u64 length = baton_msginfo_length(info);
    to.set_syscall_result(0, badge);
    to.set_syscall_result(1, baton_msginfo_new(baton_msginfo_label(info), 0, 0, length));
    for (unsigned i = 0; i < length; ++i) to.set_syscall_result(2 + i, from.syscall_arg(2 + i));
}

bool call(arch::User_context& ctx, Thread& caller) {
    baton_msginfo info = ctx.syscall_arg(1);
    if (!small_message(info)) return false;
    Slot* slot = one_level_lookup(caller.slots[tcb_cspace].cap, ctx.syscall_arg(0));
    if (!slot) return false;
    const Cap ep_cap = slot->cap;
    if (ep_cap.type() != Cap_type::Endpoint || !ep_cap.has(rights::write) ||
        !(ep_cap.rights() & (rights::grant | rights::grant_reply)))
        return false;
    Endpoint& ep = *object_ptr<Endpoint>(ep_cap);
    Object_guard ep_guard(ep.lock, endpoint_lock_class);
    if (ep.state != Endpoint_state::Receiving) return false;
    Thread& server = *ep.queue.head;
    Reply* reply = server.ipc_reply_wanted;
    if (!reply || !runs_here(server) || ready_above(server.priority)) return false;
    if (caller.priority > server.priority) return false;  // the server inherits: the slow path
    Object_guard reply_guard(reply->lock, reply_lock_class);

    ep.queue.remove(&server);
    if (ep.queue.empty()) ep.state = Endpoint_state::Idle;
    copy_message(ctx, server.ctx, info, ep_cap.badge());
    server.blocked_on = nullptr;
    server.ipc_reply_wanted = nullptr;
    server.ipc_reply = reply;
    reply->caller = &caller;
    reply->server = &server;
    caller.ipc_rights = ep_cap.rights();
    caller.blocked_on = reply;
    caller.state = Thread_state::Blocked_reply;
    server.state = Thread_state::Ready;
    thread_run_now(server);
    return true;
}

bool reply_recv(arch::User_context& ctx, Thread& server) {
    baton_msginfo info = ctx.syscall_arg(1);
    if (!small_message(info)) return false;
    const Cap& cspace = server.slots[tcb_cspace].cap;
    Slot* reply_slot = one_level_lookup(cspace, ctx.syscall_reply());
    Slot* ep_slot = one_level_lookup(cspace, ctx.syscall_arg(0));
    if (!reply_slot || !ep_slot) return false;
    const Cap reply_cap = reply_slot->cap, ep_cap = ep_slot->cap;
    if (reply_cap.type() != Cap_type::Reply || ep_cap.type() != Cap_type::Endpoint || !ep_cap.has(rights::read))
        return false;
    Reply& reply = *object_ptr<Reply>(reply_cap);
    Endpoint& ep = *object_ptr<Endpoint>(ep_cap);
    Object_guard ep_guard(ep.lock, endpoint_lock_class);
    Object_guard reply_guard(reply.lock, reply_lock_class);
    Thread* caller = reply.caller;
    if (!caller || caller->fault_pending) return false;
    if (ep.state == Endpoint_state::Sending) return false;
    if (server.bound_notification && server.bound_notification->state == Notification_state::Active) return false;
    if (!runs_here(*caller) || ready_at_or_above(caller->priority)) return false;
    if (server.priority != server.base_priority) return false;  // inherited: the slow path settles it

    copy_message(ctx, caller->ctx, info, 0);
    reply.caller = nullptr;
    reply.server = nullptr;
    if (server.ipc_reply == &reply) server.ipc_reply = nullptr;  // as reply_send()
    caller->blocked_on = nullptr;
    caller->state = Thread_state::Ready;
    server.ipc_reply_wanted = &reply;
    server.blocked_on = &ep;
    server.state = Thread_state::Blocked_recv;
    ep.queue.push_back(&server);
    ep.state = Endpoint_state::Receiving;
    thread_run_now(*caller);
    return true;
}

}  // namespace

bool fastpath(arch::User_context& ctx) {
    if constexpr (!config::fastpath || arch_entry_fastpath) return false;
    Thread* cur = arch::cpu_local()->current;
    bool done = false;
    switch (ctx.syscall_number()) {
    case BATON_SYS_CALL: done = call(ctx, *cur); break;
    case BATON_SYS_REPLY_RECV: done = reply_recv(ctx, *cur); break;
    default: return false;
    }
    arch::cpu_local()->fastpath_hits += done;
    return done;
}

u64 fastpath_hits() {
    u64 n = 0;
    for (const Per_cpu& cpu : cpus) n += cpu.fastpath_hits;
    return n;
}

}  // namespace kernel
