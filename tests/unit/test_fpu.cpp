// Lazy FP/SIMD switching (kernel/fpu.cpp, fpu.hpp) through the scheduler,
// against the host stand-in's FP/SIMD unit (tests/host/host_fpu.hpp).
#include <doctest/doctest.h>

#include "cspace.hpp"
#include "fpu.hpp"
#include "host_fpu.hpp"
#include "kernel.hpp"
#include "kernel_memory.hpp"
#include "untyped.hpp"

using namespace kernel;
using T = baton::Object_type;

namespace {

// A thread the test runs; it leaves every queue when the test is over.
struct Test_thread : Thread {
    explicit Test_thread(u8 prio = 100) { priority = prio; }
    ~Test_thread() { thread_stop(*this, Thread_state::Inactive); }
};

// Runs t on the CPU now in place of the current thread, which stays ready
// (as an IPC hand-over would; t is taken off the run queue first).
void run(Thread& t) {
    if (current_thread() != &t) thread_stop(t, Thread_state::Inactive);
    thread_switch_to(t);
    REQUIRE(current_thread() == &t);
}

u64 traps() { return cpus[0].fpu_traps; }

// A fresh boot CPU and FP/SIMD unit; at the end the test's stand-in
// thread leaves the run queue and no thread of the test stays the owner.
struct Fixture {
    Test_memory mem;
    Fixture() { host_fpu::reset(); }
    ~Fixture() {
        thread_stop(mem.running, Thread_state::Inactive);
        host_fpu::reset();
    }
};

}  // namespace

TEST_CASE("fpu: a thread's first FP/SIMD use traps once, loads its initial state and makes it the owner") {
    Fixture f;
    Test_thread a;
    run(a);
    CHECK(host_fpu::armed);
    CHECK(host_fpu::arms == 0);  // armed since boot: nothing to write
    bool trapped = false;
    arch::Fpu_state& r = host_fpu::use(&trapped);
    CHECK(trapped);
    CHECK(traps() == 1);
    CHECK(cpus[0].fpu_owner == &a);
    CHECK(host_fpu::loads == 1);
    CHECK(host_fpu::saves == 0);  // nobody's state was live
    CHECK(r.control == 0x37f);    // the initial state
    CHECK(r.regs[0] == 0);
    r.regs[0] = 0xa;
    // The owner goes on without trapping.
    host_fpu::use(&trapped);
    CHECK_FALSE(trapped);
    CHECK(traps() == 1);
}

TEST_CASE("fpu: switching threads moves no state; only the owner runs untrapped") {
    Fixture f;
    Test_thread a, b;
    run(a);
    host_fpu::use().regs[0] = 0xa;
    CHECK_FALSE(host_fpu::armed);
    u32 arms = host_fpu::arms;

    run(b);  // b is not the owner: armed
    CHECK(host_fpu::armed);
    run(a);  // back to the owner: disarmed, its registers untouched
    CHECK_FALSE(host_fpu::armed);
    CHECK(host_fpu::arms == arms + 2);
    bool trapped = true;
    CHECK(host_fpu::use(&trapped).regs[0] == 0xa);
    CHECK_FALSE(trapped);
    CHECK(host_fpu::saves == 0);
    CHECK(host_fpu::loads == 1);
    CHECK(traps() == 1);
}

TEST_CASE("fpu: two threads taking turns trap once per change of owner and keep their own values") {
    Fixture f;
    Test_thread a, b;
    run(a);
    host_fpu::use().regs[0] = 0xa;
    run(b);
    bool trapped = false;
    arch::Fpu_state& r = host_fpu::use(&trapped);
    CHECK(trapped);
    CHECK(r.regs[0] == 0);        // b's own initial state, not a's values
    CHECK(a.fpu.regs[0] == 0xa);  // a's went to its TCB
    CHECK(cpus[0].fpu_owner == &b);
    r.regs[0] = 0xb;
    for (int round = 0; round < 10; ++round) {
        run(a);
        CHECK(host_fpu::use().regs[0] == 0xa);
        host_fpu::use().regs[1] = u64(round);
        run(b);
        CHECK(host_fpu::use().regs[0] == 0xb);
        CHECK(host_fpu::use().regs[1] == 0);
    }
    CHECK(traps() == 2 + 2 * 10);
    CHECK(host_fpu::saves == 1 + 2 * 10);
    CHECK(b.fpu.regs[0] == 0xb);  // saved when a took over; still b's in the registers too
    CHECK(a.fpu.regs[1] == 9);
}

TEST_CASE("fpu: threads that never use FP/SIMD neither trap nor rewrite the trap") {
    Fixture f;
    Test_thread owner, a, b;
    run(owner);
    host_fpu::use().regs[2] = 0x5eed;
    u32 arms = host_fpu::arms;
    run(a);
    arms += 1;  // leaving the owner arms the trap, once
    CHECK(host_fpu::arms == arms);
    for (int i = 0; i < 100; ++i) run(i % 2 ? a : b);
    CHECK(host_fpu::arms == arms);
    CHECK(traps() == 1);
    CHECK(host_fpu::saves == 0);
    CHECK(cpus[0].fpu_owner == &owner);
    // The owner comes back to its registers as it left them.
    run(owner);
    bool trapped = true;
    CHECK(host_fpu::use(&trapped).regs[2] == 0x5eed);
    CHECK_FALSE(trapped);
}

TEST_CASE("fpu: a deleted owner's state is dropped, never saved into its memory or its successor") {
    Fixture f;
    Cap root = f.mem.make_cnode(4);
    REQUIRE(untyped_retype(&f.mem.untyped, u64(T::Tcb), 0, root, 1, 1).ok());
    Thread* a = object_ptr<Thread>(cnode_slot(root, 1)->cap);
    run(*a);
    host_fpu::use().regs[0] = 0xdead;
    CHECK(cpus[0].fpu_owner == a);
    // a deletes itself while its state is live.
    delete_slot(cnode_slot(root, 1));
    CHECK(cpus[0].fpu_owner == nullptr);
    CHECK(current_thread() == nullptr);

    // A new TCB in the same memory: its first use traps and finds the
    // initial state, and nothing is saved anywhere.
    REQUIRE(untyped_retype(&f.mem.untyped, u64(T::Tcb), 0, root, 2, 1).ok());
    Thread* c = object_ptr<Thread>(cnode_slot(root, 2)->cap);
    REQUIRE(c == a);
    run(*c);
    CHECK(host_fpu::armed);
    bool trapped = false;
    arch::Fpu_state& r = host_fpu::use(&trapped);
    CHECK(trapped);
    CHECK(r.regs[0] == 0);
    CHECK(r.control == 0x37f);
    CHECK(host_fpu::saves == 0);
    CHECK(cpus[0].fpu_owner == c);
    delete_slot(cnode_slot(root, 2));
    CHECK(cpus[0].fpu_owner == nullptr);
}

TEST_CASE("fpu: deleting a thread that is not the owner leaves the owner alone") {
    Fixture f;
    Cap root = f.mem.make_cnode(4);
    REQUIRE(untyped_retype(&f.mem.untyped, u64(T::Tcb), 0, root, 1, 1).ok());
    Thread* other = object_ptr<Thread>(cnode_slot(root, 1)->cap);
    Test_thread a;
    run(*other);
    run(a);
    host_fpu::use().regs[0] = 0xa;
    delete_slot(cnode_slot(root, 1));
    CHECK(cpus[0].fpu_owner == &a);
    bool trapped = true;
    CHECK(host_fpu::use(&trapped).regs[0] == 0xa);
    CHECK_FALSE(trapped);
}

TEST_CASE("fpu: a thread that exits drops its state; restarted, it starts from the initial state") {
    Fixture f;
    Test_thread a, b;
    run(a);
    host_fpu::use().regs[0] = 0xa;
    host_fpu::use().control = 0;
    fpu_thread_exited(a);
    thread_stop(a, Thread_state::Exited);
    CHECK(cpus[0].fpu_owner == nullptr);
    CHECK(a.fpu.regs[0] == 0);
    CHECK(a.fpu.control == 0x37f);
    run(b);
    bool trapped = false;
    CHECK(host_fpu::use(&trapped).regs[0] == 0);
    CHECK(trapped);
    CHECK(host_fpu::saves == 0);
    // Restarted, a traps and gets the initial state back.
    run(a);
    CHECK(host_fpu::use(&trapped).control == 0x37f);
    CHECK(trapped);
    CHECK(b.fpu.regs[0] == 0);
}
