// The scheduler across CPUs (kernel/thread.cpp, kernel/smp.cpp) on the host
// stand-in's CPUs: a test "runs on" CPU i by setting host_smp::cpu.
#include <doctest/doctest.h>

#include "host_smp.hpp"
#include "kernel_memory.hpp"
#include "smp.hpp"

using namespace kernel;

namespace {

// Two CPUs online, CPU 0 running, and no IPIs recorded; restored after.
struct Two_cpus {
    Test_memory mem;
    Two_cpus() {
        for (u32 i = 0; i < 2; ++i) {
            cpus[i].cpu_id = i;
            cpus[i].inbox.init();
        }
        cpu_count = 2;
        host_smp::cpu = 0;
        host_smp::ipis.clear();
    }
    ~Two_cpus() {
        host_smp::cpu = 0;
        cpu_count = 1;
        cpus[1].current = nullptr;
    }
};

struct Test_thread : Thread {
    Test_thread(u16 cpu, u8 prio) {
        affinity = cpu;
        priority = base_priority = prio;
    }
};

}  // namespace

TEST_CASE("smp: a thread made ready for another CPU goes through its inbox and an IPI, once") {
    Two_cpus world;
    Test_thread t(1, 50);
    thread_make_ready(t);
    CHECK(t.state == Thread_state::Ready);
    CHECK(!t.on_rq);                          // not on CPU 0's queue...
    CHECK(cpus[0].rq.queued == 0);
    CHECK(t.in_inbox == 1);                   // ...but on its way to CPU 1
    CHECK(host_smp::ipis == std::vector<u32>{1});
    CHECK(live_threads() == 2);               // CPU 0's running thread, and t

    // Made ready again before CPU 1 looked: no second push, no second IPI.
    t.state = Thread_state::Inactive;
    thread_make_ready(t);
    CHECK(host_smp::ipis.size() == 1);

    // CPU 1 takes its IPI: t is queued there, and runs there.
    host_smp::cpu = 1;
    drain_inbox();
    CHECK(t.in_inbox == 0);
    CHECK(t.on_rq);
    CHECK(cpus[1].rq.queued == 1);
    CHECK(cpus[1].rq.highest() == &t);
    schedule();
    CHECK(cpus[1].current == &t);
    CHECK(!t.on_rq);

    // Stopped on its own CPU: off it.
    thread_stop(t, Thread_state::Inactive);
    CHECK(cpus[1].current == nullptr);
}

TEST_CASE("smp: a thread stopped while on its way is not queued when the inbox is drained") {
    Two_cpus world;
    Test_thread t(1, 50);
    thread_make_ready(t);
    REQUIRE(t.in_inbox == 1);
    // CPU 1 is asked to let go of it (here: CPU 1 serves the request itself).
    host_smp::cpu = 1;
    t.state = Thread_state::Inactive;
    drain_inbox();
    CHECK(t.in_inbox == 0);
    CHECK(!t.on_rq);
    CHECK(cpus[1].rq.queued == 0);
}

TEST_CASE("smp: the IPC baton is not passed to a thread of another CPU") {
    Two_cpus world;
    Test_thread other(1, 200), local(0, 200);
    thread_switch_to(other);  // higher than CPU 0's current, but it lives on CPU 1
    CHECK(cpus[0].current == &world.mem.running);
    CHECK(other.in_inbox == 1);
    CHECK(host_smp::ipis == std::vector<u32>{1});
    thread_switch_to(local);  // same CPU: the baton
    CHECK(cpus[0].current == &local);
    CHECK(world.mem.running.on_rq);
    thread_stop(local, Thread_state::Inactive);
    thread_stop(world.mem.running, Thread_state::Inactive);
    host_smp::cpu = 1;
    drain_inbox();
    thread_stop(other, Thread_state::Inactive);
    CHECK(cpus[1].rq.queued == 0);
}

TEST_CASE("smp: set_affinity of a thread of this CPU moves it to the other's inbox") {
    Two_cpus world;
    Test_thread t(0, 10);
    thread_make_ready(t);
    CHECK(t.on_rq);
    thread_set_affinity(t, 1);
    CHECK(!t.on_rq);
    CHECK(cpus[0].rq.queued == 0);
    CHECK(t.affinity == 1);
    CHECK(t.in_inbox == 1);
    host_smp::cpu = 1;
    drain_inbox();
    CHECK(cpus[1].rq.highest() == &t);
    thread_stop(t, Thread_state::Inactive);
}

TEST_CASE("smp: a thread moved while on its way to this CPU is not lost in the inbox") {
    Two_cpus world;
    Test_thread t(0, 10);
    host_smp::cpu = 1;
    thread_make_ready(t);  // CPU 1 wakes a thread of CPU 0: into CPU 0's inbox
    REQUIRE(t.in_inbox == 1);
    host_smp::cpu = 0;     // before CPU 0 looks, it moves the thread to CPU 1
    thread_set_affinity(t, 1);
    CHECK(t.affinity == 1);
    CHECK(cpus[0].rq.queued == 0);
    CHECK(t.in_inbox == 1);  // now on its way to CPU 1
    host_smp::cpu = 1;
    drain_inbox();
    CHECK(cpus[1].rq.highest() == &t);
    thread_stop(t, Thread_state::Inactive);
}
