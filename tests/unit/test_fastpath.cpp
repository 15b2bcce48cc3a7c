// The IPC fastpath against the slow path (kernel/fastpath.cpp): the same
// Call and the same ReplyRecv, run once each way in identical worlds, must
// leave identical states (registers, thread states, reply bindings,
// endpoint queues, the running thread).
#include <doctest/doctest.h>

#include <initializer_list>

#include <baton/syscall_numbers.h>

#include "endpoint.hpp"
#include "kernel.hpp"
#include "cnode.hpp"
#include "kernel_memory.hpp"

using namespace kernel;
using baton::Error;

namespace kernel::sys {
void reply_recv(arch::User_context& ctx);  // ipc.cpp (declared by the generated decoder)
}

namespace {

constexpr u64 ep_slot = 1, reply_slot = 2, badged_slot = 3;

// A server waiting in Recv with a Reply object, a client about to Call.
struct World {
    Test_memory mem;
    Cap root;
    Thread client, server;
    Endpoint* ep;
    Reply* reply;

    World() {
        root = mem.make_cnode(4);
        REQUIRE(untyped_retype(&mem.untyped, u64(baton::Object_type::Endpoint), 0, root, ep_slot, 1).ok());
        REQUIRE(untyped_retype(&mem.untyped, u64(baton::Object_type::Reply), 0, root, reply_slot, 1).ok());
        REQUIRE(cnode_mint(cnode_slot(root, badged_slot), cnode_slot(root, ep_slot), rights::all, 0x55).ok());
        ep = object_ptr<Endpoint>(cnode_slot(root, ep_slot)->cap);
        reply = object_ptr<Reply>(cnode_slot(root, reply_slot)->cap);
        for (Thread* t : {&client, &server}) {
            t->slots[tcb_cspace].cap = root;
            t->priority = t->base_priority = 100;
            t->state = Thread_state::Ready;
        }
        run(server);
        endpoint_receive(*ep, server, reply, true);
        run(client);
    }
    ~World() {
        for (Thread* t : {&client, &server}) thread_stop(*t, Thread_state::Inactive);
        cpus[0].current = &mem.running;
    }
    void run(Thread& t) {
        if (t.on_rq) cpus[0].rq.remove(&t);
        cpus[0].current = &t;
        cpus[0].user_ctx = &t.ctx;
        t.state = Thread_state::Ready;
    }
    void message(Thread& t, u64 number, u64 cptr, u64 label, unsigned words) {
        t.ctx.number = number;
        t.ctx.set_syscall_result(0, cptr);
        t.ctx.set_syscall_result(1, baton_msginfo_new(label, 0, 0, words));
        for (unsigned i = 0; i < words; ++i) t.ctx.set_syscall_result(2 + i, 100 * label + i);
    }

    // Everything the two paths may change, with threads named by role.
    struct Snapshot {
        u64 client_regs[10], server_regs[10];
        Thread_state client_state, server_state;
        int reply_caller, reply_server, running, ep_head;
        int client_on, server_on;            // what each waits on: 0 nothing, 1 the endpoint, 2 the reply
        bool server_offers, server_holds;    // the Reply object offered in Recv, held for a caller
        Endpoint_state ep_state;
        bool operator==(const Snapshot&) const = default;
    };
    int who(const Thread* t) const { return t == &client ? 1 : t == &server ? 2 : t ? 3 : 0; }
    Snapshot snapshot() const {
        Snapshot s{};
        for (unsigned i = 0; i < 10; ++i) {
            s.client_regs[i] = client.ctx.syscall_arg(i);
            s.server_regs[i] = server.ctx.syscall_arg(i);
        }
        s.client_state = client.state;
        s.server_state = server.state;
        s.reply_caller = who(reply->caller);
        s.reply_server = who(reply->server);
        s.running = who(cpus[0].current);
        s.ep_head = who(ep->queue.head);
        s.ep_state = ep->state;
        auto on = [&](const Thread& t) { return t.blocked_on == ep ? 1 : t.blocked_on == reply ? 2 : t.blocked_on ? 3 : 0; };
        s.client_on = on(client);
        s.server_on = on(server);
        s.server_offers = server.ipc_reply_wanted == reply;
        s.server_holds = server.ipc_reply == reply;
        return s;
    }
};

// The slow path of a Call on an endpoint, as sys::call takes it.
void slow_call(World& w) {
    REQUIRE(check_message(w.client).ok());
    const Cap ep = cnode_slot(w.root, badged_slot)->cap;
    endpoint_send(*object_ptr<Endpoint>(ep), w.client, ep.badge(), ep.rights(), Send_kind::Call);
    schedule();
}

// Runs one Call (fast or slow) in a fresh world; returns the state after.
World::Snapshot call_once(bool fast, unsigned words) {
    World w;
    w.message(w.client, BATON_SYS_CALL, badged_slot, 7, words);
    if (fast) {
        u64 hits = fastpath_hits();
        REQUIRE(fastpath(w.client.ctx));
        CHECK(fastpath_hits() == hits + 1);
    } else {
        slow_call(w);
    }
    return w.snapshot();
}

// A Call taken by the server, which is about to ReplyRecv with `words`.
void call_then_prepare_reply_recv(World& w, unsigned words) {
    w.message(w.client, BATON_SYS_CALL, badged_slot, 3, 2);
    slow_call(w);  // the server now holds the client's call, and runs
    w.message(w.server, BATON_SYS_REPLY_RECV, ep_slot, 0, words);
    w.server.ctx.reply = reply_slot;
}

// The server's ReplyRecv, fast or slow.
void reply_recv(World& w, bool fast) {
    if (fast) {
        REQUIRE(fastpath(w.server.ctx));
    } else {
        sys::reply_recv(w.server.ctx);
        schedule();
    }
}

// Runs a Call, then the server's ReplyRecv (fast or slow); the state after.
World::Snapshot reply_recv_once(bool fast, unsigned words) {
    World w;
    call_then_prepare_reply_recv(w, words);
    reply_recv(w, fast);
    return w.snapshot();
}

}  // namespace

TEST_CASE("fastpath: a Call leaves the same state as the slow path, for 0 to 4 words") {
    for (unsigned words = 0; words <= 4; ++words) {
        World::Snapshot fast = call_once(true, words), slow = call_once(false, words);
        CHECK(fast == slow);
        CHECK(fast.running == 2);  // the server runs: the baton
        CHECK(fast.client_state == Thread_state::Blocked_reply);
        CHECK(fast.server_regs[0] == 0x55);  // the badge
        CHECK(fast.server_regs[2 + (words ? words - 1 : 0)] == (words ? 700 + words - 1 : slow.server_regs[2]));
    }
}

TEST_CASE("fastpath: a ReplyRecv leaves the same state as the slow path") {
    for (unsigned words = 0; words <= 4; ++words) {
        World::Snapshot fast = reply_recv_once(true, words), slow = reply_recv_once(false, words);
        CHECK(fast == slow);
        CHECK(fast.running == 1);  // back to the client
        CHECK(fast.server_state == Thread_state::Blocked_recv);
        CHECK(fast.reply_caller == 0);
    }
}

TEST_CASE("fastpath: declines what it does not handle, so the slow path takes it") {
    World w;
    w.message(w.client, BATON_SYS_CALL, ep_slot, 1, 5);  // five words
    CHECK_FALSE(fastpath(w.client.ctx));
    w.message(w.client, BATON_SYS_CALL, ep_slot, 1, 0);
    w.client.ctx.set_syscall_result(1, baton_msginfo_new(1, 0, 1, 0));  // a capability
    CHECK_FALSE(fastpath(w.client.ctx));
    w.message(w.client, BATON_SYS_CALL, reply_slot, 1, 0);  // not an endpoint
    CHECK_FALSE(fastpath(w.client.ctx));
    w.message(w.client, BATON_SYS_CALL, 9, 1, 0);  // an empty slot
    CHECK_FALSE(fastpath(w.client.ctx));
    // A server more urgent than the client is fine; a ready thread more
    // urgent than the server is not.
    Thread urgent;
    urgent.priority = 200;
    thread_make_ready(urgent);
    w.message(w.client, BATON_SYS_CALL, ep_slot, 1, 0);
    CHECK_FALSE(fastpath(w.client.ctx));
    thread_stop(urgent, Thread_state::Inactive);
    CHECK(fastpath(w.client.ctx));
}

TEST_CASE("fastpath: declines a switch to a thread of another CPU") {
    {
        World w;  // Call: the waiting server belongs to CPU 1
        w.server.affinity = 1;
        w.message(w.client, BATON_SYS_CALL, ep_slot, 1, 0);
        CHECK_FALSE(fastpath(w.client.ctx));
        w.server.affinity = 0;
        CHECK(fastpath(w.client.ctx));
    }
    {
        World w;  // ReplyRecv: the caller to answer belongs to CPU 1
        call_then_prepare_reply_recv(w, 1);
        w.client.affinity = 1;
        CHECK_FALSE(fastpath(w.server.ctx));
        w.client.affinity = 0;
        CHECK(fastpath(w.server.ctx));
    }
}

TEST_CASE("fastpath: a ReplyRecv on another Reply object leaves the server's binding, as the slow path") {
    for (bool fast : {true, false}) {
        World w;
        call_then_prepare_reply_recv(w, 1);  // the server holds the client's call in `reply`
        Reply other;
        w.server.ipc_reply = &other;  // as if it held another caller there since
        reply_recv(w, fast);
        CHECK(w.server.ipc_reply == &other);
        w.server.ipc_reply = nullptr;
    }
}

TEST_CASE("priority inheritance: a server runs at its caller's priority until it replies; the fastpath leaves it to the slow path") {
    World w;
    w.client.priority = w.client.base_priority = 150;  // above the server's 100
    w.message(w.client, BATON_SYS_CALL, badged_slot, 3, 1);
    CHECK_FALSE(fastpath(w.client.ctx));  // the server would inherit
    slow_call(w);
    CHECK(cpus[0].current == &w.server);
    CHECK(w.server.priority == 150);
    CHECK(w.server.base_priority == 100);
    w.message(w.server, BATON_SYS_REPLY_RECV, ep_slot, 0, 1);
    w.server.ctx.reply = reply_slot;
    CHECK_FALSE(fastpath(w.server.ctx));  // an inherited priority to give back
    sys::reply_recv(w.server.ctx);
    schedule();
    CHECK(w.server.priority == 100);
    CHECK(w.server.state == Thread_state::Blocked_recv);
    CHECK(cpus[0].current == &w.client);
}
