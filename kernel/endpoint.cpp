// Endpoints: synchronous message passing, Call/Reply and fault delivery.
#include "endpoint.hpp"

#include <baton/ipc.h>

#include "cnode.hpp"
#include "invocation.hpp"
#include "ipc.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"

namespace kernel {
namespace {

// Receiving a capability needs an empty slot named by the receiver's IPC
// buffer (receive_cnode / receive_index / receive_depth).
Slot* receive_slot(Thread& to, baton_ipc_buffer* tb) {
    if (!tb) return nullptr;
    auto cnode = lookup_cap(to.slots[tcb_cspace].cap, tb->receive_cnode);
    if (!cnode || (*cnode)->cap.type() != Cap_type::Cnode) return nullptr;
    if (tb->receive_depth == 0 || tb->receive_depth > 64) return nullptr;
    auto slot = lookup_slot((*cnode)->cap, tb->receive_index, unsigned(tb->receive_depth));
    if (!slot || !(*slot)->empty()) return nullptr;
    return *slot;
}

// The sender's extra capabilities, in order: a capability to this same
// endpoint arrives as its badge ("unwrapped"); any other is copied into the
// receiver's one receive slot. Stops at the first that cannot go.
void transfer_caps(Thread& from, baton_ipc_buffer* fb, Thread& to, baton_ipc_buffer* tb, u64 count,
                   const Endpoint* ep, u64& transferred, u64& unwrapped) {
    Slot* dest = receive_slot(to, tb);
    for (u64 i = 0; i < count; ++i) {
        auto src = lookup_cap(from.slots[tcb_cspace].cap, fb->caps_or_badges[i]);
        if (!src) break;
        const Cap& c = (*src)->cap;
        if (c.type() == Cap_type::Endpoint && ep && object_ptr<Endpoint>(c) == ep && c.badge() != 0) {
            tb->caps_or_badges[i] = c.badge();
            unwrapped |= u64(1) << i;
        } else {
            if (!dest) break;
            auto copy = derive_cap(*src, rights::all, false, 0);
            if (!copy) break;
            mdb_insert(*src, dest, *copy, is_cap_revocable(*copy, c), false);
            dest = nullptr;
        }
        ++transferred;
    }
}

// Copies the message `from` is sending (its registers and IPC buffer, or
// its fault) into `to`'s result registers and IPC buffer.
void transfer(Thread& from, Thread& to, u64 badge, u8 rights, const Endpoint* ep) {
    u64 label, length, transferred = 0, unwrapped = 0;
    if (from.fault_pending) {
        label = from.fault_label;
        length = 4;
        for (unsigned i = 0; i < 4; ++i) to.ctx.set_syscall_result(2 + i, from.fault_words[i]);
    } else {
        baton_msginfo info = from.ctx.syscall_arg(1);
        label = baton_msginfo_label(info);
        length = min<u64>(baton_msginfo_length(info), BATON_MSG_MAX_LENGTH);
        baton_ipc_buffer* fb = length > BATON_MSG_REGISTERS || baton_msginfo_extra_caps(info) ? ipc_buffer_of(from)
                                                                                               : nullptr;
        baton_ipc_buffer* tb = fb ? ipc_buffer_of(to) : nullptr;
        if (length > BATON_MSG_REGISTERS && (!fb || !tb)) length = BATON_MSG_REGISTERS;
        for (unsigned i = 0; i < min<u64>(length, BATON_MSG_REGISTERS); ++i)
            to.ctx.set_syscall_result(2 + i, from.ctx.syscall_arg(2 + i));
        for (u64 i = BATON_MSG_REGISTERS; i < length; ++i) tb->msg[i] = fb->msg[i];
        if ((rights & rights::grant) && fb && tb)
            transfer_caps(from, fb, to, tb, baton_msginfo_extra_caps(info), ep, transferred, unwrapped);
    }
    to.ctx.set_syscall_result(0, badge);
    to.ctx.set_syscall_result(1, baton_msginfo_new(label, unwrapped, transferred, length));
}

// Finishes the system call of a thread that sent (not for a faulting thread:
// its registers are its state at the fault and stay as they were).
void sender_done(Thread& s, Error e) {
    if (!s.fault_pending) ipc_complete(s.ctx, e);
}

// A fault nobody can answer: the thread stops, as if it had no handler.
void fault_unanswerable(Thread& s) {
    s.fault_pending = false;
    kprint("kernel: thread '%s': its fault handler cannot reply (no reply object or right); stopped\n", s.name);
    thread_stop(s, Thread_state::Faulted);
}

// A Call was received by `server` into `reply`: the caller waits on it.
void bind_reply(Thread& caller, Thread& server, Reply* reply, u8 rights) {
    if (!reply || !(rights & (rights::grant | rights::grant_reply))) {
        if (caller.fault_pending) return fault_unanswerable(caller);
        sender_done(caller, Error::IllegalOperation);
        thread_make_ready(caller);
        return;
    }
    Object_guard guard(reply->lock, reply_lock_class);
    reply->caller = &caller;
    reply->server = &server;
    server.ipc_reply = reply;
    caller.blocked_on = reply;
    thread_stop(caller, Thread_state::Blocked_reply);
    // The server works for the caller now: at least at its priority.
    thread_inherit(server, caller.priority);
}

}  // namespace

void reply_abandon(Reply& r) {
    Thread* caller;
    Thread* server;
    {
        Object_guard guard(r.lock, reply_lock_class);
        caller = r.caller;
        if (!caller) return;
        r.caller = nullptr;
        server = r.server;
        if (server && server->ipc_reply == &r) server->ipc_reply = nullptr;
        r.server = nullptr;
    }
    // The server gives back what it inherited from this caller. (A server
    // running on another CPU, reached through a Reply object shared
    // between threads, is left to settle at its own next reply: this CPU
    // may not wait for another to take it off.)
    if (server && server->priority != server->base_priority &&
        (server == current_thread() || server->state != Thread_state::Ready || kernel_held_exclusively()))
        thread_settle_priority(*server);
    caller->blocked_on = nullptr;
    if (caller->fault_pending) return fault_unanswerable(*caller);
    ipc_complete(caller->ctx, Error::InvalidCapability);
    thread_make_ready(*caller);
}

Kresult check_message(Thread& sender) {
    baton_msginfo info = sender.ctx.syscall_arg(1);
    u64 length = baton_msginfo_length(info), caps = baton_msginfo_extra_caps(info);
    if (length > BATON_MSG_MAX_LENGTH) return fail(Error::InvalidArgument, 1, BATON_MSG_MAX_LENGTH);
    if ((length > BATON_MSG_REGISTERS || caps) && !ipc_buffer_of(sender)) return fail(Error::BadAddress, 1);
    return {};
}

void endpoint_send(Endpoint& ep, Thread& sender, u64 badge, u8 rights, Send_kind kind) {
    Object_guard guard(ep.lock, endpoint_lock_class);
    // The rights decide later whether the reply may carry capabilities.
    sender.ipc_rights = rights;
    if (ep.state == Endpoint_state::Receiving) {
        Thread* r = ep.queue.pop_front();
        if (ep.queue.empty()) ep.state = Endpoint_state::Idle;
        r->blocked_on = nullptr;
        transfer(sender, *r, badge, rights, &ep);
        if (kind == Send_kind::Call) {
            bind_reply(sender, *r, r->ipc_reply_wanted, rights);
            r->ipc_reply_wanted = nullptr;
            // The baton: the receiver runs now if nothing more urgent waits.
            thread_switch_to(*r);
        } else {
            r->ipc_reply_wanted = nullptr;
            sender_done(sender, Error::Ok);
            thread_make_ready(*r);
        }
        return;
    }
    if (kind == Send_kind::Nb_send) return sender_done(sender, Error::Ok);  // nobody listening: dropped
    sender.ipc_badge = badge;
    sender.ipc_call = kind == Send_kind::Call;
    sender.blocked_on = &ep;
    thread_stop(sender, Thread_state::Blocked_send);
    ep.queue.push_back(&sender);
    ep.state = Endpoint_state::Sending;
}

void endpoint_receive(Endpoint& ep, Thread& receiver, Reply* reply, bool blocking) {
    if (reply) reply_abandon(*reply);
    Object_guard guard(ep.lock, endpoint_lock_class);
    // A signal on the bound notification is as good as a message.
    if (Notification* n = receiver.bound_notification) {
        Object_guard n_guard(n->lock, notification_lock_class);
        if (n->state == Notification_state::Active) {
            u64 word = n->word;
            n->word = 0;
            n->state = Notification_state::Idle;
            return ipc_complete(receiver.ctx, Error::Ok, word);
        }
    }
    if (ep.state == Endpoint_state::Sending) {
        // Capabilities travel only with the kernel held exclusively: this
        // receive runs again that way, nothing taken yet (smp.cpp).
        const Thread* head = ep.queue.head;
        if (!head->fault_pending && baton_msginfo_extra_caps(head->ctx.syscall_arg(1)) && !kernel_held_exclusively())
            return want_exclusive();
        Thread* s = ep.queue.pop_front();
        if (ep.queue.empty()) ep.state = Endpoint_state::Idle;
        s->blocked_on = nullptr;
        transfer(*s, receiver, s->ipc_badge, s->ipc_rights, &ep);
        if (s->ipc_call) {
            bind_reply(*s, receiver, reply, s->ipc_rights);
        } else {
            sender_done(*s, Error::Ok);
            thread_make_ready(*s);
        }
        return;
    }
    if (!blocking) return ipc_complete(receiver.ctx, Error::Ok);  // nothing: badge 0, no words
    receiver.ipc_reply_wanted = reply;
    receiver.blocked_on = &ep;
    thread_stop(receiver, Thread_state::Blocked_recv);
    ep.queue.push_back(&receiver);
    ep.state = Endpoint_state::Receiving;
}

Error reply_send(Reply& reply, Thread& replier) {
    Thread* caller;
    {
        Object_guard guard(reply.lock, reply_lock_class);
        caller = reply.caller;
        if (!caller) return Error::Ok;  // nobody waits: nothing to answer
        reply.caller = nullptr;
        reply.server = nullptr;
        if (replier.ipc_reply == &reply) replier.ipc_reply = nullptr;
    }
    // Answered: the replier's priority is its own again (or that of a
    // caller it still holds).
    if (replier.priority != replier.base_priority) thread_settle_priority(replier);
    caller->blocked_on = nullptr;
    if (caller->fault_pending) {
        // The handler has fixed what it could (registers through the TCB):
        // the thread restarts the faulting instruction.
        caller->fault_pending = false;
    } else {
        transfer(replier, *caller, 0, caller->ipc_rights & rights::grant, nullptr);
    }
    thread_make_ready(*caller);
    return Error::Ok;
}

bool fault_deliver(Thread& faulter, u64 label, const u64 words[4]) {
    const Slot& handler = faulter.slots[tcb_fault_handler];
    if (handler.cap.type() != Cap_type::Endpoint) return false;
    faulter.fault_pending = true;
    faulter.fault_label = label;
    for (unsigned i = 0; i < 4; ++i) faulter.fault_words[i] = words[i];
    // A fault handler can always reply.
    endpoint_send(*object_ptr<Endpoint>(handler.cap), faulter, handler.cap.badge(),
                  u8(handler.cap.rights() | rights::grant_reply), Send_kind::Call);
    return true;
}

void endpoint_cancel(Thread& t) {
    thread_cancel_ipc(t);
    t.ipc_reply_wanted = nullptr;
    // A server that dies with a caller bound to its reply object: the
    // caller gets an error instead of waiting for ever.
    if (Reply* r = t.ipc_reply) reply_abandon(*r);
    t.ipc_reply = nullptr;
}

}  // namespace kernel
