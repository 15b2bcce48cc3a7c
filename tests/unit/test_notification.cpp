// Notifications: Signal, Wait and Poll (kernel/notification.cpp), the
// Send/Recv/NBRecv system calls on them (kernel/ipc.cpp), and waiters
// woken when the notification is deleted.
#include <baton/ipc.h>
#include <doctest/doctest.h>

#include "cnode.hpp"
#include "ipc.hpp"
#include "kernel_memory.hpp"
#include "notification.hpp"

namespace kernel::sys {
void send(arch::User_context& ctx);
void recv(arch::User_context& ctx);
void nb_recv(arch::User_context& ctx);
}  // namespace kernel::sys

using namespace kernel;
using baton::Error;
using T = baton::Object_type;

namespace {

Slot* at(const Cap& cnode, u64 i) { return cnode_slot(cnode, i); }

void make(Test_memory& mem, const Cap& root, T type, u64 offset, u64 n = 1) {
    REQUIRE(untyped_retype(&mem.untyped, u64(type), 0, root, offset, n).ok());
}

Notification& ntfn(const Cap& root, u64 i) { return *object_ptr<Notification>(at(root, i)->cap); }
Thread& tcb(const Cap& root, u64 i) { return *object_ptr<Thread>(at(root, i)->cap); }

u64 label(const arch::User_context& ctx) { return baton_msginfo_label(ctx.syscall_arg(1)); }

// Takes a thread the test readied off the run queue again, so that no
// test leaves threads behind in the scheduler.
void unqueue(Thread& t) { thread_stop(t, Thread_state::Inactive); }

// An IPC-kind system call by the test's running thread on cptr.
arch::User_context& syscall(Test_memory& mem, void (*fn)(arch::User_context&), u64 cptr) {
    arch::User_context& ctx = mem.running.ctx;
    ctx = arch::User_context{};
    ctx.set_syscall_result(0, cptr);
    fn(ctx);
    return ctx;
}

}  // namespace

TEST_CASE("notification: signals accumulate in the word until polled") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    make(mem, root, T::Notification, 0);
    Notification& n = ntfn(root, 0);
    CHECK(n.state == Notification_state::Idle);
    CHECK(notification_poll(n) == 0);
    notification_signal(n, 0x1);
    CHECK(n.state == Notification_state::Active);
    notification_signal(n, 0x4);
    CHECK(n.word == 0x5);
    CHECK(notification_poll(n) == 0x5);
    CHECK(n.state == Notification_state::Idle);
    CHECK(notification_poll(n) == 0);
    // A badge-0 signal still counts: a Wait then returns at once, with 0.
    notification_signal(n, 0);
    CHECK(n.state == Notification_state::Active);
    u64 word = 99;
    CHECK(notification_wait(n, mem.running, word));
    CHECK(word == 0);
    CHECK(mem.running.state == Thread_state::Ready);
}

TEST_CASE("notification: a waiter blocks, and the next signal wakes it with the badge") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    make(mem, root, T::Notification, 0);
    make(mem, root, T::Tcb, 1, 2);
    Notification& n = ntfn(root, 0);
    Thread& a = tcb(root, 1);
    Thread& b = tcb(root, 2);

    u64 word = 0;
    CHECK_FALSE(notification_wait(n, a, word));
    CHECK_FALSE(notification_wait(n, b, word));
    CHECK(a.state == Thread_state::Blocked_notification);
    CHECK(a.blocked_on == &n);
    CHECK(n.state == Notification_state::Waiting);

    // First in, first woken; the badge lands in the badge register, the
    // message info says ok.
    notification_signal(n, 0x30);
    CHECK(a.state == Thread_state::Ready);
    CHECK(a.blocked_on == nullptr);
    CHECK(a.ctx.syscall_arg(0) == 0x30);
    CHECK(label(a.ctx) == u64(Error::Ok));
    CHECK(b.state == Thread_state::Blocked_notification);
    CHECK(n.state == Notification_state::Waiting);
    notification_signal(n, 0x2);
    CHECK(b.ctx.syscall_arg(0) == 0x2);
    CHECK(n.state == Notification_state::Idle);
    CHECK(n.word == 0);
    unqueue(a);
    unqueue(b);
}

TEST_CASE("notification: the running thread that waits gives up the CPU") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    make(mem, root, T::Notification, 0);
    Notification& n = ntfn(root, 0);
    u64 word = 0;
    CHECK_FALSE(notification_wait(n, mem.running, word));
    CHECK(current_thread() == nullptr);
    notification_signal(n, 7);
    CHECK(mem.running.state == Thread_state::Ready);
    unqueue(mem.running);
}

TEST_CASE("notification: deleting it wakes the waiters with invalid_capability") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    make(mem, root, T::Notification, 0);
    make(mem, root, T::Tcb, 1);
    Thread& t = tcb(root, 1);
    u64 word = 0;
    CHECK_FALSE(notification_wait(ntfn(root, 0), t, word));
    t.ctx.set_syscall_result(0, 0x1234);  // whatever the registers held
    delete_slot(at(root, 0));
    CHECK(t.state == Thread_state::Ready);
    CHECK(t.blocked_on == nullptr);
    CHECK(t.ctx.syscall_arg(0) == 0);
    CHECK(label(t.ctx) == u64(Error::InvalidCapability));
    unqueue(t);
}

TEST_CASE("notification: suspending a waiter takes it off the queue") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    make(mem, root, T::Notification, 0);
    make(mem, root, T::Tcb, 1);
    Notification& n = ntfn(root, 0);
    Thread& t = tcb(root, 1);
    u64 word = 0;
    CHECK_FALSE(notification_wait(n, t, word));
    thread_cancel_ipc(t);
    CHECK(n.state == Notification_state::Idle);
    CHECK(n.queue.empty());
    notification_signal(n, 1);
    CHECK(n.state == Notification_state::Active);
}

TEST_CASE("send, recv, nb_recv: Signal, Wait and Poll through a capability") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    mem.running.slots[tcb_cspace].cap = root;
    make(mem, root, T::Notification, 1);
    // A badged capability with all rights, a read-only and a write-only one.
    REQUIRE(cnode_mint(at(root, 2), at(root, 1), rights::all, 0x40).ok());
    REQUIRE(cnode_copy(at(root, 3), at(root, 2), rights::read).ok());
    REQUIRE(cnode_copy(at(root, 4), at(root, 2), rights::write).ok());

    auto& s = syscall(mem, sys::send, 2);
    CHECK(label(s) == u64(Error::Ok));
    CHECK(s.syscall_arg(0) == 0);
    CHECK(syscall(mem, sys::send, 4).syscall_arg(1) == 0);  // write-only may signal

    auto& p = syscall(mem, sys::nb_recv, 3);  // read-only may poll
    CHECK(label(p) == u64(Error::Ok));
    CHECK(p.syscall_arg(0) == 0x40);
    CHECK(syscall(mem, sys::nb_recv, 3).syscall_arg(0) == 0);

    // Wait returns at once when signalled.
    syscall(mem, sys::send, 2);
    auto& w = syscall(mem, sys::recv, 2);
    CHECK(label(w) == u64(Error::Ok));
    CHECK(w.syscall_arg(0) == 0x40);
    CHECK(current_thread() == &mem.running);

    // Rights: no signalling without write, no waiting without read.
    CHECK(label(syscall(mem, sys::send, 3)) == u64(Error::IllegalOperation));
    CHECK(label(syscall(mem, sys::recv, 4)) == u64(Error::IllegalOperation));
    CHECK(label(syscall(mem, sys::nb_recv, 4)) == u64(Error::IllegalOperation));

    // Nothing signalled: Wait blocks the caller; its registers are written
    // by the signal that wakes it.
    syscall(mem, sys::recv, 2);
    CHECK(mem.running.state == Thread_state::Blocked_notification);
    CHECK(current_thread() == nullptr);
    notification_signal(ntfn(root, 1), 0x9);
    CHECK(mem.running.ctx.syscall_arg(0) == 0x9);
    CHECK(label(mem.running.ctx) == u64(Error::Ok));
    unqueue(mem.running);
}

TEST_CASE("send, recv, nb_recv: wrong capabilities") {
    Test_memory mem;
    Cap root = mem.make_cnode(4);
    mem.running.slots[tcb_cspace].cap = root;
    make(mem, root, T::Endpoint, 1);
    make(mem, root, T::Tcb, 2);
    make(mem, root, T::Notification, 3);
    // An endpoint with nobody sending: a non-blocking receive returns empty.
    CHECK(label(syscall(mem, sys::nb_recv, 1)) == u64(Error::Ok));
    CHECK(mem.running.ctx.syscall_arg(0) == 0);
    // Other objects have no IPC.
    CHECK(label(syscall(mem, sys::send, 2)) == u64(Error::InvalidCapability));
    CHECK(label(syscall(mem, sys::recv, 2)) == u64(Error::InvalidCapability));
    // An empty slot: a failed lookup, with its details in MR0-MR1.
    auto& e = syscall(mem, sys::send, 9);
    CHECK(label(e) == u64(Error::FailedLookup));
    CHECK(e.syscall_arg(3) == u64(Lookup_fault::Missing_capability));
    CHECK(baton_msginfo_length(e.syscall_arg(1)) == 2);
    // A notification bound to another thread is that thread's to receive on.
    Notification& n = ntfn(root, 3);
    Thread& other = tcb(root, 2);
    n.bound = &other;
    other.bound_notification = &n;
    CHECK(label(syscall(mem, sys::recv, 3)) == u64(Error::IllegalOperation));
    CHECK(label(syscall(mem, sys::nb_recv, 3)) == u64(Error::IllegalOperation));
    CHECK(label(syscall(mem, sys::send, 3)) == u64(Error::Ok));
    // Signalling it while its thread does something else keeps the signal.
    CHECK(n.state == Notification_state::Active);
    CHECK(n.word == 0);
    n.bound = &mem.running;
    CHECK(label(syscall(mem, sys::nb_recv, 3)) == u64(Error::Ok));
    n.bound = nullptr;
    other.bound_notification = nullptr;
}
