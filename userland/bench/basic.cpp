// Cases that need no IPC: the null system call and a context switch.
#include "bench.hpp"

namespace {

// The null system call's round trip from user mode: trap, decode, return.
BENCH(syscall_null, "syscall.null", bench::roundtrip) {
    for (uint64_t i = 0; i < env.rounds(); ++i) {
        uint64_t t0 = bench::start();
        baton_null();
        env.sample(i, bench::stop() - t0);
    }
}

volatile uint64_t other_rounds;

void yield_forever(uint64_t) {
    for (;;) {
        other_rounds = other_rounds + 1;
        baton_yield();
    }
}

// A switch between two threads of the same priority in one address space:
// the root task yields to a thread that yields straight back. One sample
// is half of that round: yield, switch, return to user mode.
BENCH(yield_switch, "yield.switch", bench::oneway) {
    other_rounds = 0;
    baton_cptr other = env.make_thread(yield_forever, 0);
    if (!other || baton_tcb_resume(other) != BATON_OK) {
        env.fail("cannot start the second thread");
        return;
    }
    uint64_t odd = 0;  // rounds a timer preemption got in the way of
    for (uint64_t i = 0; i < env.rounds(); ++i) {
        uint64_t before = other_rounds;
        uint64_t t0 = bench::start();
        baton_yield();
        uint64_t t1 = bench::stop();
        odd += other_rounds != before + 1;
        env.sample(i, t1 - t0, 2);
    }
    // Each round must have run the other thread once, but for the odd
    // timer preemption.
    if (odd * 100 > env.rounds()) env.fail("the other thread did not run once per round");
    baton_tcb_suspend(other);
}

}  // namespace
