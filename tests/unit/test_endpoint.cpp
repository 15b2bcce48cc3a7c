// Endpoint message passing, Call/Reply and fault delivery (kernel/endpoint.cpp),
// with host threads: the scheduler sees them as this CPU's threads.
#include <doctest/doctest.h>

#include <initializer_list>

#include "endpoint.hpp"
#include "kernel_memory.hpp"

using namespace kernel;
using baton::Error;

namespace {

// A thread that leaves every queue when the test is over.
struct Test_thread : Thread {
    explicit Test_thread(u8 prio = 100) {
        priority = base_priority = prio;
        state = Thread_state::Ready;
    }
    ~Test_thread() { thread_stop(*this, Thread_state::Inactive); }
};

// As the scheduler would: the running thread is not also queued.
void become_current(Thread& t) {
    if (t.on_rq) cpus[0].rq.remove(&t);
    t.state = Thread_state::Ready;
    cpus[0].current = &t;
    cpus[0].user_ctx = &t.ctx;
}

void put_message(Thread& t, u64 label, std::initializer_list<u64> words) {
    t.ctx.set_syscall_result(1, baton_msginfo_new(label, 0, 0, words.size()));
    unsigned i = 2;
    for (u64 w : words) t.ctx.set_syscall_result(i++, w);
}

u64 label_of(const Thread& t) { return baton_msginfo_label(t.ctx.syscall_arg(1)); }
u64 length_of(const Thread& t) { return baton_msginfo_length(t.ctx.syscall_arg(1)); }

}  // namespace

TEST_CASE("endpoint: a waiting receiver gets the message, the badge and the words") {
    Test_memory mem;
    Endpoint ep;
    Test_thread receiver, sender;
    become_current(receiver);
    endpoint_receive(ep, receiver, nullptr, true);
    CHECK(receiver.state == Thread_state::Blocked_recv);
    CHECK(ep.state == Endpoint_state::Receiving);

    become_current(sender);
    put_message(sender, 7, {11, 22, 33});
    endpoint_send(ep, sender, 0x55, rights::all, Send_kind::Send);
    CHECK(receiver.state == Thread_state::Ready);
    CHECK(receiver.ctx.syscall_arg(0) == 0x55);
    CHECK(label_of(receiver) == 7);
    CHECK(length_of(receiver) == 3);
    CHECK(receiver.ctx.syscall_arg(2) == 11);
    CHECK(receiver.ctx.syscall_arg(4) == 33);
    CHECK(label_of(sender) == u64(Error::Ok));
    CHECK(ep.state == Endpoint_state::Idle);
}

TEST_CASE("endpoint: senders queue in order until a receiver comes; NBSend drops") {
    Test_memory mem;
    Endpoint ep;
    Test_thread a, b, receiver;
    become_current(a);
    put_message(a, 1, {100});
    endpoint_send(ep, a, 1, rights::all, Send_kind::Send);
    become_current(b);
    put_message(b, 2, {200});
    endpoint_send(ep, b, 2, rights::all, Send_kind::Send);
    CHECK(a.state == Thread_state::Blocked_send);
    CHECK(ep.state == Endpoint_state::Sending);

    become_current(receiver);
    endpoint_receive(ep, receiver, nullptr, true);
    CHECK(receiver.ctx.syscall_arg(0) == 1);
    CHECK(receiver.ctx.syscall_arg(2) == 100);
    CHECK(a.state == Thread_state::Ready);
    CHECK(b.state == Thread_state::Blocked_send);
    endpoint_receive(ep, receiver, nullptr, false);
    CHECK(receiver.ctx.syscall_arg(2) == 200);
    // Nothing left: a non-blocking receive returns at once, empty.
    endpoint_receive(ep, receiver, nullptr, false);
    CHECK(receiver.ctx.syscall_arg(0) == 0);
    CHECK(length_of(receiver) == 0);
    CHECK(receiver.state == Thread_state::Ready);
    // NBSend with nobody waiting: dropped, the sender goes on.
    put_message(receiver, 3, {});
    endpoint_send(ep, receiver, 9, rights::all, Send_kind::Nb_send);
    CHECK(receiver.state == Thread_state::Ready);
    CHECK(ep.state == Endpoint_state::Idle);
}

TEST_CASE("endpoint: call binds the caller to the receiver's reply object; the reply answers it") {
    Test_memory mem;
    Endpoint ep;
    Reply reply;
    Test_thread server(100), client(100);
    become_current(server);
    endpoint_receive(ep, server, &reply, true);

    become_current(client);
    put_message(client, 4, {1, 2});
    endpoint_send(ep, client, 0x77, rights::all, Send_kind::Call);
    CHECK(client.state == Thread_state::Blocked_reply);
    CHECK(reply.caller == &client);
    CHECK(server.ipc_reply == &reply);
    // The baton: the server runs at once.
    CHECK(cpus[0].current == &server);
    CHECK(server.ctx.syscall_arg(0) == 0x77);

    put_message(server, 0, {42});
    CHECK(reply_send(reply, server) == Error::Ok);
    CHECK(client.state == Thread_state::Ready);
    CHECK(client.ctx.syscall_arg(2) == 42);
    CHECK(client.ctx.syscall_arg(0) == 0);  // replies carry no badge
    CHECK(reply.caller == nullptr);
    CHECK(server.ipc_reply == nullptr);
    // A reply with nobody waiting does nothing.
    CHECK(reply_send(reply, server) == Error::Ok);
}

TEST_CASE("endpoint: a call without grant rights, or received without a reply object, fails at once") {
    Test_memory mem;
    Endpoint ep;
    Reply reply;
    Test_thread server, client;
    become_current(server);
    endpoint_receive(ep, server, nullptr, true);
    become_current(client);
    put_message(client, 4, {});
    endpoint_send(ep, client, 1, rights::all, Send_kind::Call);
    CHECK(client.state == Thread_state::Ready);
    CHECK(label_of(client) == u64(Error::IllegalOperation));

    become_current(server);
    endpoint_receive(ep, server, &reply, true);
    become_current(client);
    endpoint_send(ep, client, 1, rights::read | rights::write, Send_kind::Call);
    CHECK(label_of(client) == u64(Error::IllegalOperation));
    CHECK(reply.caller == nullptr);
}

TEST_CASE("endpoint: a server that dies, or a reply object deleted, answers its caller with an error") {
    Test_memory mem;
    Endpoint ep;
    Reply reply;
    Test_thread server, client;
    become_current(server);
    endpoint_receive(ep, server, &reply, true);
    become_current(client);
    endpoint_send(ep, client, 1, rights::all, Send_kind::Call);
    REQUIRE(client.state == Thread_state::Blocked_reply);
    endpoint_cancel(server);
    CHECK(client.state == Thread_state::Ready);
    CHECK(label_of(client) == u64(Error::InvalidCapability));

    become_current(server);
    endpoint_receive(ep, server, &reply, true);
    become_current(client);
    endpoint_send(ep, client, 1, rights::all, Send_kind::Call);
    REQUIRE(client.state == Thread_state::Blocked_reply);
    reply_abandon(reply);
    CHECK(client.state == Thread_state::Ready);
    CHECK(label_of(client) == u64(Error::InvalidCapability));
    // A queued sender taken off by deletion of its thread leaves the queue empty.
    Test_thread late;
    become_current(late);
    endpoint_send(ep, late, 1, rights::all, Send_kind::Send);
    REQUIRE(ep.state == Endpoint_state::Sending);
    endpoint_cancel(late);
    CHECK(ep.state == Endpoint_state::Idle);
    CHECK(ep.queue.empty());
}

TEST_CASE("endpoint: faults travel as calls; the reply restarts the thread with its registers intact") {
    Test_memory mem;
    Endpoint ep;
    Reply reply;
    Test_thread handler, faulter;
    faulter.slots[tcb_fault_handler].cap = Cap::make(Cap_type::Endpoint, reinterpret_cast<u64>(&ep), rights::write)
                                                 .with_badge(0xf);
    become_current(handler);
    endpoint_receive(ep, handler, &reply, true);

    become_current(faulter);
    put_message(faulter, 99, {5, 6, 7});  // registers at the fault, not a message
    const u64 words[4] = {0x400100, 0xdead0000, 0x92000005, 0};
    REQUIRE(fault_deliver(faulter, 3, words));
    CHECK(faulter.state == Thread_state::Blocked_reply);
    CHECK(label_of(handler) == 3);
    CHECK(handler.ctx.syscall_arg(0) == 0xf);
    CHECK(handler.ctx.syscall_arg(3) == 0xdead0000);

    put_message(handler, 0, {1});
    CHECK(reply_send(reply, handler) == Error::Ok);
    CHECK(faulter.state == Thread_state::Ready);
    CHECK(faulter.fault_pending == false);
    CHECK(label_of(faulter) == 99);
    CHECK(faulter.ctx.syscall_arg(2) == 5);

    // No fault handler: not delivered.
    Test_thread orphan;
    CHECK_FALSE(fault_deliver(orphan, 3, words));
}
