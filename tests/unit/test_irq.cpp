// The IRQ table (kernel/irq.cpp) against the host's fake interrupt
// controller: issuing handlers, delivery to notifications, ack, clear,
// deletion and revocation.
#include <doctest/doctest.h>

#include <string>

#include "cnode.hpp"
#include "host_irq.hpp"
#include "irq.hpp"
#include "kernel.hpp"
#include "kernel_memory.hpp"
#include "notification.hpp"

extern std::string host_console;

using namespace kernel;
using baton::Error;
using T = baton::Object_type;

namespace {

Slot* at(const Cap& cnode, u64 i) { return cnode_slot(cnode, i); }

// Test memory with a root CNode whose slot 1 holds the IRQControl
// capability (as boot makes it) and slot 2 a notification.
struct Irq_fixture {
    Test_memory mem;
    Cap root;
    Irq_fixture() {
        host_irq::reset();
        irq_init();
        root = mem.make_cnode(5);
        mdb_insert(nullptr, at(root, 1), Cap::make(Cap_type::IrqControl, 0, rights::all), true, true);
        REQUIRE(untyped_retype(&mem.untyped, u64(T::Notification), 0, root, 2, 1).ok());
    }
    ~Irq_fixture() { irq_init(); }
    Slot* control() { return at(root, 1); }
    Notification& ntfn() { return *object_ptr<Notification>(at(root, 2)->cap); }
    // A badged copy of the notification in slot i.
    Slot* badged(u64 i, u64 badge, u8 r = rights::all) {
        REQUIRE(cnode_mint(at(root, i), at(root, 2), r, badge).ok());
        return at(root, i);
    }
};

}  // namespace

TEST_CASE("irq: issuing handlers checks the number, the kernel's lines and the destination") {
    Irq_fixture f;
    auto range = irq_issue(f.control(), 64, at(f.root, 3));
    CHECK(range.error() == Error::RangeError);
    CHECK(range.detail() == 0);
    CHECK(range.detail2() == 63);
    CHECK(irq_issue(f.control(), ~u64(0), at(f.root, 3)).error() == Error::RangeError);
    CHECK(irq_issue(f.control(), host_irq::timer, at(f.root, 3)).error() == Error::IllegalOperation);
    CHECK(irq_issue(f.control(), host_irq::uart, at(f.root, 3)).error() == Error::IllegalOperation);
    CHECK(irq_issue(f.control(), 5, at(f.root, 2)).error() == Error::DeleteFirst);
    CHECK_FALSE(irq_issued(5));

    REQUIRE(irq_issue(f.control(), 5, at(f.root, 3)).ok());
    const Cap& h = at(f.root, 3)->cap;
    CHECK(h.type() == Cap_type::IrqHandler);
    CHECK(h.word1() == 5);
    CHECK(at(f.root, 3)->revocable());
    CHECK(irq_issued(5));
    CHECK(host_irq::enabled[5]);
    // One handler tree per interrupt.
    CHECK(irq_issue(f.control(), 5, at(f.root, 4)).error() == Error::RevokeFirst);
    // Copies name the same interrupt.
    REQUIRE(cnode_copy(at(f.root, 4), at(f.root, 3), rights::all).ok());
    CHECK(at(f.root, 4)->cap.word1() == 5);
}

TEST_CASE("irq: a delivery masks the line and signals the badge until ack") {
    Irq_fixture f;
    REQUIRE(irq_issue(f.control(), 7, at(f.root, 3)).ok());
    CHECK(irq_ack(7).error() == Error::IllegalOperation);  // nothing delivered yet
    Slot* n = f.badged(4, 0x40);
    // The handler needs a notification it may signal.
    CHECK(irq_set_notification(7, f.control()).error() == Error::InvalidCapability);
    CHECK(irq_set_notification(7, f.badged(5, 0x1, rights::read)).error() == Error::InvalidCapability);
    REQUIRE(irq_set_notification(7, n).ok());

    REQUIRE(irq_debug_raise(7).ok());
    CHECK(host_irq::take_interrupts() == 1);
    CHECK(f.ntfn().word == 0x40);
    CHECK_FALSE(host_irq::enabled[7]);
    CHECK(irq_awaiting_ack(7));
    CHECK(host_irq::ends == 1);

    // Raised again while masked: it stays pending at the controller.
    REQUIRE(irq_debug_raise(7).ok());
    CHECK(host_irq::take_interrupts() == 0);
    CHECK(notification_poll(f.ntfn()) == 0x40);
    REQUIRE(irq_ack(7).ok());
    CHECK(host_irq::enabled[7]);
    CHECK(irq_ack(7).error() == Error::IllegalOperation);
    CHECK(host_irq::take_interrupts() == 1);
    CHECK(notification_poll(f.ntfn()) == 0x40);

    // A waiting thread is woken by the delivery with the badge.
    REQUIRE(irq_ack(7).ok());
    REQUIRE(untyped_retype(&f.mem.untyped, u64(T::Tcb), 0, f.root, 6, 1).ok());
    Thread& t = *object_ptr<Thread>(at(f.root, 6)->cap);
    u64 word = 0;
    CHECK_FALSE(notification_wait(f.ntfn(), t, word));
    REQUIRE(irq_debug_raise(7).ok());
    host_irq::take_interrupts();
    CHECK(t.state == Thread_state::Ready);
    CHECK(t.ctx.syscall_arg(0) == 0x40);
    thread_stop(t, Thread_state::Inactive);

    // After clear, deliveries signal nothing (and still mask the line).
    REQUIRE(irq_ack(7).ok());
    irq_clear(7);
    REQUIRE(irq_debug_raise(7).ok());
    CHECK(host_irq::take_interrupts() == 1);
    CHECK(f.ntfn().state == Notification_state::Idle);
    CHECK(irq_awaiting_ack(7));
}

TEST_CASE("irq: the handler's notification copy keeps the notification alive") {
    Irq_fixture f;
    REQUIRE(irq_issue(f.control(), 8, at(f.root, 3)).ok());
    REQUIRE(irq_set_notification(8, f.badged(4, 0x2)).ok());
    Notification& n = f.ntfn();
    // Every user capability to it gone: the copy in the IRQ table remains.
    CHECK_FALSE(is_final(*at(f.root, 4)));
    delete_slot(at(f.root, 4));
    delete_slot(at(f.root, 2));
    REQUIRE(irq_debug_raise(8).ok());
    CHECK(host_irq::take_interrupts() == 1);
    CHECK(n.state == Notification_state::Active);
    CHECK(n.word == 0x2);
    // Clearing deletes the last capability: the notification is finalised.
    irq_clear(8);
    CHECK(n.state == Notification_state::Idle);
    irq_clear(8);  // clearing twice is harmless
}

TEST_CASE("irq: deleting the last handler masks the line; the interrupt can be had again") {
    Irq_fixture f;
    REQUIRE(irq_issue(f.control(), 9, at(f.root, 3)).ok());
    REQUIRE(cnode_copy(at(f.root, 4), at(f.root, 3), rights::all).ok());
    REQUIRE(irq_set_notification(9, f.badged(5, 0x8)).ok());
    delete_slot(at(f.root, 2));
    CHECK_FALSE(is_final(*at(f.root, 5)));
    delete_slot(at(f.root, 3));
    CHECK(irq_issued(9));  // a copy remains
    delete_slot(at(f.root, 4));
    CHECK_FALSE(irq_issued(9));
    CHECK_FALSE(host_irq::enabled[9]);
    CHECK(is_final(*at(f.root, 5)));  // the table's notification copy went with it
    CHECK(irq_debug_raise(9).error() == Error::IllegalOperation);
    REQUIRE(irq_issue(f.control(), 9, at(f.root, 3)).ok());
    CHECK(host_irq::enabled[9]);
}

TEST_CASE("irq: revoking IRQControl deletes every handler") {
    Irq_fixture f;
    REQUIRE(irq_issue(f.control(), 10, at(f.root, 3)).ok());
    REQUIRE(irq_issue(f.control(), 11, at(f.root, 4)).ok());
    revoke_slot(f.control());
    CHECK(at(f.root, 3)->empty());
    CHECK(at(f.root, 4)->empty());
    CHECK_FALSE(irq_issued(10));
    CHECK_FALSE(irq_issued(11));
    CHECK_FALSE(f.control()->empty());
}

TEST_CASE("irq: an interrupt without a handler is masked and reported") {
    Irq_fixture f;
    host_console.clear();
    host_irq::enabled[12] = true;
    handle_irq(12, false);
    CHECK_FALSE(host_irq::enabled[12]);
    CHECK(host_irq::ends == 1);
    CHECK(host_console.find("interrupt 12 has no handler") != std::string::npos);
    CHECK(irq_debug_raise(12).error() == Error::IllegalOperation);
    CHECK(irq_debug_raise(64).error() == Error::RangeError);
    CHECK_FALSE(host_irq::pending[12]);
}
