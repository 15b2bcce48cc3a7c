// Multicore cases (./baton bench --smp 4 --build smp|biglock): a Call to
// a server on another CPU, and k independent client/server pairs on k CPUs
// at once, with the kernel's lock contention counted under that load.
//
// Under -icount every CPU runs on one instruction clock (QEMU runs them in
// turn), so the counter's difference over an interval is the instructions
// all CPUs executed in it; halted CPUs execute none. A sample of the
// k-pair cases is one batch: each pair does `batch` round trips, all at
// once, and the sample is the interval over k * batch: instructions per
// round trip per pair, the batch's hand-over by the root task included
// (about 2% at this batch size). A lock that the pairs share shows up as
// the spinning of the CPUs that wait for it.
#include "bench.hpp"

namespace {

constexpr unsigned max_pairs = 4;
constexpr uint64_t batch = 64;

struct Pairs {
    baton_cptr ep[max_pairs], reply[max_pairs], go[max_pairs], done;
    volatile uint64_t finished;
};
Pairs pr;

void pair_server(uint64_t i) {
    baton_msg m = baton_recv_regs(pr.ep[i], pr.reply[i]);
    for (;;) m = baton_reply_recv_regs(pr.ep[i], baton_msginfo_new(0, 0, 0, 1), m.w0 + 1, 0, 0, 0, pr.reply[i]);
}

void pair_client(uint64_t i) {
    for (;;) {
        uint64_t word = 0;
        baton_wait(pr.go[i], &word);
        for (uint64_t b = 0; b < batch; ++b) baton_call_regs(pr.ep[i], baton_msginfo_new(1, 0, 0, 1), b, 0, 0, 0);
        __atomic_fetch_add(&pr.finished, 1, __ATOMIC_RELEASE);
        baton_signal(pr.done);
    }
}

// Contended acquisitions of every lock class so far.
uint64_t contended_now() {
    uint64_t sum = 0;
    for (uint64_t cls = 0; cls < 7; ++cls) {
        uint64_t acquired = 0, contended = 0;
        baton_debug_lock_stats(BATON_CAP_IRQ_CONTROL, cls, &acquired, &contended);
        sum += contended;
    }
    return sum;
}

// k pairs, pair i on CPU i (client and server on the same CPU: the IPC
// fastpath), all started together each round. With `contention`, a sample
// is the contended lock acquisitions per million round trips of the round
// instead of its instructions per round trip.
void run_pairs(bench::Env& env, unsigned k, bool contention) {
    pr.done = env.make(BATON_OBJ_NOTIFICATION);
    pr.finished = 0;
    baton_cptr threads[2 * max_pairs];
    for (unsigned i = 0; i < k; ++i) {
        pr.ep[i] = env.make(BATON_OBJ_ENDPOINT);
        pr.reply[i] = env.make(BATON_OBJ_REPLY);
        pr.go[i] = env.make(BATON_OBJ_NOTIFICATION);
        threads[2 * i] = env.make_thread(pair_server, i, 200, nullptr, i);
        threads[2 * i + 1] = env.make_thread(pair_client, i, 200, nullptr, i);
        if (!threads[2 * i] || !threads[2 * i + 1]) return;
    }
    for (unsigned t = 0; t < 2 * k; ++t) baton_tcb_resume(threads[t]);
    uint64_t word = 0;
    for (uint64_t r = 0; r < env.rounds(); ++r) {
        uint64_t expect = pr.finished + k;
        uint64_t c0 = contention ? contended_now() : 0;
        uint64_t t0 = bench::start();
        for (unsigned i = 0; i < k; ++i) baton_signal(pr.go[i]);
        while (__atomic_load_n(&pr.finished, __ATOMIC_ACQUIRE) < expect) baton_wait(pr.done, &word);
        uint64_t t1 = bench::stop();
        // (sample() takes off the timing overhead: given back to a count)
        if (contention) env.sample(r, (contended_now() - c0) * 1000000 + env.overhead, k * batch);
        else env.sample(r, t1 - t0, k * batch);
    }
    for (unsigned t = 0; t < 2 * k; ++t) baton_tcb_suspend(threads[t]);
}

BENCH_ON(smp_pairs1, "smp.pairs1.roundtrip", bench::roundtrip, 1, bench::Kernel::any) { run_pairs(env, 1, false); }
BENCH_ON(smp_pairs2, "smp.pairs2.roundtrip", bench::roundtrip, 2, bench::Kernel::any) { run_pairs(env, 2, false); }
BENCH_ON(smp_pairs4, "smp.pairs4.roundtrip", bench::roundtrip, 4, bench::Kernel::any) { run_pairs(env, 4, false); }
BENCH_ON(lock_fine_pairs4, "lock.contended.fine.pairs4", bench::roundtrip, 4, bench::Kernel::fine) {
    run_pairs(env, 4, true);
}
BENCH_ON(lock_bkl_pairs4, "lock.contended.bkl.pairs4", bench::roundtrip, 4, bench::Kernel::big_lock) {
    run_pairs(env, 4, true);
}

// A client on CPU 0 Calls a server on CPU 1 (4 words): the slow path,
// which wakes the server's CPU with an IPI, and the reply back the same way.
struct Cross {
    baton_cptr ep, reply, done;
    uint64_t rounds;
    uint32_t* out;
};
Cross cx;
uint32_t cross_samples[1 << 15];

void cross_server(uint64_t) {
    baton_msg m = baton_recv_regs(cx.ep, cx.reply);
    for (;;) m = baton_reply_recv_regs(cx.ep, baton_msginfo_new(0, 0, 0, 4), m.w0, m.w1, m.w2, m.w3, cx.reply);
}

void cross_client(uint64_t) {
    for (uint64_t r = 0; r < cx.rounds; ++r) {
        uint64_t t0 = bench::start();
        baton_call_regs(cx.ep, baton_msginfo_new(1, 0, 0, 4), r, 1, 2, 3);
        cross_samples[r] = uint32_t(bench::stop() - t0);
    }
    baton_signal(cx.done);
    for (;;) baton_yield();
}

BENCH_ON(cross_core, "ipc.roundtrip.cross_core.fast.4w", bench::roundtrip, 2, bench::Kernel::any) {
    if (env.rounds() > sizeof cross_samples / sizeof cross_samples[0]) return env.fail("too many rounds");
    cx.ep = env.make(BATON_OBJ_ENDPOINT);
    cx.reply = env.make(BATON_OBJ_REPLY);
    cx.done = env.make(BATON_OBJ_NOTIFICATION);
    cx.rounds = env.rounds();
    baton_cptr server = env.make_thread(cross_server, 0, 200, nullptr, 1);
    baton_cptr client = env.make_thread(cross_client, 0, 200, nullptr, 0);
    if (!server || !client) return;
    baton_tcb_resume(server);
    baton_tcb_resume(client);
    uint64_t word = 0;
    baton_wait(cx.done, &word);
    baton_tcb_suspend(client);
    baton_tcb_suspend(server);
    for (uint64_t r = 0; r < cx.rounds; ++r) env.sample(r, cross_samples[r]);
}

}  // namespace
