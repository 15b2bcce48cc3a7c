// ktest: several CPUs. Threads run where their affinity says, move when it
// changes, Call servers on other CPUs, and many of them at once on every
// CPU pass counted messages and signals without losing or duplicating any,
// while the root task moves and deletes threads under them.
//
// With one CPU the same tests run with every thread on CPU 0.
#include "ktest.hpp"

using namespace ktest;

namespace {

constexpr unsigned max_workers = 8;
constexpr uint64_t stack_words = 512;
uint64_t stacks[max_workers][stack_words] __attribute__((aligned(16)));

unsigned cpus(const Env& env) { return env.bi->cpu_count ? env.bi->cpu_count : 1; }

// A thread in the root task's spaces running fn(arg) on `cpu` at the root
// task's priority (so that where they share CPU 0, the root task's yields
// let it run), on stack i.
baton_cptr spawn(Env& env, unsigned i, void (*fn)(uint64_t), uint64_t arg, unsigned cpu) {
    constexpr unsigned prio = 255;
    constexpr bool start = true;
    baton_cptr t = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0));
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, prio));
    KEXPECT_OK(baton_tcb_set_affinity(t, cpu));
    KEXPECT_OK(baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(fn), (uint64_t)&stacks[i][stack_words], arg, 0,
                                   start));
    return t;
}

// ---- where threads run ------------------------------------------------------

struct Where {
    baton_cptr done;
    volatile uint64_t cpu[max_workers];
    volatile uint64_t stop, seen_cpu, rounds;
};
Where where;

void report_cpu(uint64_t i) {
    uint64_t cpu = ~0ull;
    baton_cpu_id(&cpu);
    where.cpu[i] = cpu;
    baton_signal(where.done);
    baton_thread_exit(0);
}

// Spins, noting the CPU it finds itself on, until told to stop.
void wander(uint64_t) {
    while (!where.stop) {
        uint64_t cpu = ~0ull;
        baton_cpu_id(&cpu);
        where.seen_cpu = cpu;
        where.rounds = where.rounds + 1;
    }
    baton_signal(where.done);
    baton_thread_exit(0);
}

void wait_rounds(uint64_t more) {
    uint64_t until = where.rounds + more;
    while (where.rounds < until) baton_yield();
}

}  // namespace

KTEST(smp_affinity_runs_there, "smp: a thread runs on the CPU its affinity names") {
    unsigned n = cpus(env);
    where.done = env.make(BATON_OBJ_NOTIFICATION);
    for (unsigned c = 0; c < n && c < max_workers; ++c) {
        where.cpu[c] = ~0ull;
        spawn(env, c, report_cpu, c, c);
        uint64_t word = 0;
        KEXPECT_OK(baton_wait(where.done, &word));
        KEXPECT_EQ(where.cpu[c], c);
    }
    uint64_t self = ~0ull;
    KEXPECT_OK(baton_cpu_id(&self));
    KEXPECT_EQ(self, 0);
}

KTEST(smp_affinity_moves_running_thread, "smp: set_affinity moves a running thread to another CPU and back") {
    unsigned n = cpus(env);
    where = {};
    where.done = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr t = spawn(env, 0, wander, 0, n - 1);
    wait_rounds(3);
    KEXPECT_EQ(where.seen_cpu, n - 1);
    for (unsigned round = 0; round < 2 * n; ++round) {
        unsigned to = (round * 3 + 1) % n;
        KEXPECT_OK(baton_tcb_set_affinity(t, to));
        wait_rounds(3);
        KEXPECT_EQ(where.seen_cpu, to);
    }
    where.stop = 1;
    uint64_t word = 0;
    KEXPECT_OK(baton_wait(where.done, &word));
}

KTEST(smp_affinity_errors, "smp: set_affinity refuses CPUs that are not online, and the caller's MCP bounds priorities") {
    baton_cptr t = env.make(BATON_OBJ_TCB);
    unsigned n = cpus(env);
    KEXPECT_ERR(baton_tcb_set_affinity(t, n), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_tcb_set_affinity(t, 1000), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_tcb_set_affinity(t, ~0ull), BATON_RANGE_ERROR);
    KEXPECT_EQ(baton_error_detail(1), n - 1);
    KEXPECT_OK(baton_tcb_set_affinity(t, n - 1));
    // A thread whose MCP is 10 cannot give priority 11, on any CPU.
    baton_cptr weak = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_set_mc_priority(weak, BATON_CAP_INIT_TCB, 10));
    KEXPECT_ERR(baton_tcb_set_priority(t, weak, 11), BATON_RANGE_ERROR);
    KEXPECT_OK(baton_tcb_set_priority(t, weak, 10));
}

// ---- IPC across CPUs ----------------------------------------------------------

namespace {

struct Pair {
    baton_cptr ep, reply, done;
    volatile uint64_t served, next_expected, errors, client_done, client_errors;
    uint64_t rounds;
};
Pair pairs[max_workers / 2];

// Answers each call with its first word plus one; checks that the calls
// come numbered 0, 1, 2, ... with none missing or repeated.
void counting_server(uint64_t i) {
    Pair& p = pairs[i];
    uint64_t mr[8] = {};
    baton_msginfo info = baton_recv(p.ep, 0, mr, nullptr, p.reply);
    for (;;) {
        if (baton_msginfo_label(info) != 1 || mr[0] != p.next_expected) p.errors = p.errors + 1;
        p.next_expected = mr[0] + 1;
        p.served = p.served + 1;
        mr[0] += 1;
        info = baton_reply_recv(p.ep, baton_msginfo_new(2, 0, 0, 1), mr, nullptr, p.reply);
    }
}

void counting_client(uint64_t i) {
    Pair& p = pairs[i];
    for (uint64_t k = 0; k < p.rounds; ++k) {
        uint64_t mr[8] = {k};
        baton_msginfo info = baton_call(p.ep, baton_msginfo_new(1, 0, 0, 1), mr, nullptr);
        if (baton_msginfo_label(info) != 2 || mr[0] != k + 1) p.client_errors = p.client_errors + 1;
        p.client_done = p.client_done + 1;
    }
    baton_signal(p.done);
    baton_thread_exit(0);
}

void reset_pair(Env& env, unsigned i, uint64_t rounds, baton_cptr done) {
    pairs[i] = {};
    pairs[i].ep = env.make(BATON_OBJ_ENDPOINT);
    pairs[i].reply = env.make(BATON_OBJ_REPLY);
    pairs[i].done = done;
    pairs[i].rounds = rounds;
}

}  // namespace

KTEST(smp_call_across_cpus, "smp: Call/ReplyRecv with the server on another CPU, every message counted") {
    unsigned n = cpus(env);
    baton_cptr done = env.make(BATON_OBJ_NOTIFICATION);
    reset_pair(env, 0, 2000, done);
    spawn(env, 0, counting_server, 0, n > 1 ? 1 : 0);
    spawn(env, 1, counting_client, 0, 0);
    uint64_t word = 0;
    KEXPECT_OK(baton_wait(done, &word));
    KEXPECT_EQ(pairs[0].client_done, 2000);
    KEXPECT_EQ(pairs[0].served, 2000);
    KEXPECT_EQ(pairs[0].errors, 0);
    KEXPECT_EQ(pairs[0].client_errors, 0);
}

namespace {

// Signal/Wait counting: the waiter counts wake-ups and the badge bits it
// received; the signaller signals after each acknowledgement, so every
// signal must wake the waiter exactly once.
struct Ping {
    baton_cptr to_waiter, to_signaller, done;
    volatile uint64_t woken, bad, acked;
    uint64_t rounds;
};
Ping ping;

void signal_waiter(uint64_t) {
    for (;;) {
        uint64_t word = 0;
        if (baton_wait(ping.to_waiter, &word) != BATON_OK || word != 1) ping.bad = ping.bad + 1;
        ping.woken = ping.woken + 1;
        baton_signal(ping.to_signaller);
    }
}

void signaller(uint64_t) {
    for (uint64_t k = 0; k < ping.rounds; ++k) {
        baton_signal(ping.to_waiter);
        uint64_t word = 0;
        baton_wait(ping.to_signaller, &word);
        ping.acked = ping.acked + 1;
    }
    baton_signal(ping.done);
    baton_thread_exit(0);
}

}  // namespace

KTEST(smp_signal_across_cpus, "smp: Signal/Wait between CPUs wakes once per signal") {
    unsigned n = cpus(env);
    ping = {};
    ping.rounds = 1000;
    baton_cptr notification = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr badged = env.slot();
    KEXPECT_OK(baton_cnode_mint(root_cnode, badged, depth, root_cnode, notification, depth, 15, 1));
    ping.to_waiter = badged;
    ping.to_signaller = env.make(BATON_OBJ_NOTIFICATION);
    ping.done = env.make(BATON_OBJ_NOTIFICATION);
    spawn(env, 0, signal_waiter, 0, n - 1);
    spawn(env, 1, signaller, 0, 0);
    uint64_t word = 0;
    KEXPECT_OK(baton_wait(ping.done, &word));
    KEXPECT_EQ(ping.acked, 1000);
    KEXPECT_EQ(ping.woken, 1000);
    KEXPECT_EQ(ping.bad, 0);
}

KTEST(smp_stress_pairs, "smp: client/server pairs on every CPU, affinities shuffled under them, none lost") {
    unsigned n = cpus(env);
    constexpr unsigned npairs = max_workers / 2;
    constexpr uint64_t rounds = 3000;
    baton_cptr done = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr threads[2 * npairs];
    for (unsigned i = 0; i < npairs; ++i) {
        reset_pair(env, i, rounds, done);
        threads[2 * i] = spawn(env, 2 * i, counting_server, i, (2 * i) % n);
        threads[2 * i + 1] = spawn(env, 2 * i + 1, counting_client, i, (2 * i + 1) % n);
    }
    // Move threads around while they work: each round a random thread
    // goes to a random CPU.
    unsigned finished = 0;
    for (unsigned moves = 0; finished < npairs; ++moves) {
        finished = 0;
        for (unsigned i = 0; i < npairs; ++i) finished += pairs[i].client_done == rounds;
        if (moves < 400) {
            uint64_t r = next_random();
            KEXPECT_OK(baton_tcb_set_affinity(threads[r % (2 * npairs)], (r >> 8) % n));
        }
        baton_yield();
    }
    for (unsigned i = 0; i < npairs; ++i) {
        KEXPECT_EQ(pairs[i].client_done, rounds);
        KEXPECT_EQ(pairs[i].served, rounds);
        KEXPECT_EQ(pairs[i].errors, 0);
        KEXPECT_EQ(pairs[i].client_errors, 0);
    }
}

KTEST(smp_stress_deletes, "smp: threads deleted while they call across CPUs; the rest carry on") {
    unsigned n = cpus(env);
    constexpr unsigned npairs = max_workers / 2;
    constexpr uint64_t rounds = 1u << 30;  // until deleted
    baton_cptr done = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr threads[2 * npairs];
    for (unsigned i = 0; i < npairs; ++i) {
        reset_pair(env, i, rounds, done);
        threads[2 * i] = spawn(env, 2 * i, counting_server, i, i % n);
        threads[2 * i + 1] = spawn(env, 2 * i + 1, counting_client, i, (i + 1) % n);
    }
    // Let them run, then delete the pairs one thread at a time, servers
    // first for even pairs and clients first for odd ones, checking after
    // each deletion that the counts stay consistent: the server counts a
    // call before it answers and the client after the answer, so they
    // differ by at most one; a server deleted while it holds a call
    // answers it with an error (once: nobody receives the next call).
    for (unsigned i = 0; i < npairs; ++i) {
        while (pairs[i].served < 200) baton_yield();
        unsigned first = 2 * i + (i & 1), second = 2 * i + 1 - (i & 1);
        KEXPECT_OK(baton_cnode_delete(root_cnode, threads[first], depth));
        KEXPECT_OK(baton_cnode_delete(root_cnode, threads[second], depth));
        uint64_t served = pairs[i].served, client = pairs[i].client_done;
        KEXPECT_EQ(pairs[i].errors, 0);
        KEXPECT_EQ(pairs[i].client_errors <= ((i & 1) ? 0u : 1u), 1);
        KEXPECT_EQ(served <= client + 1 && client <= served + 1, 1);
        // Nothing moves once both are gone.
        for (int k = 0; k < 20; ++k) baton_yield();
        KEXPECT_EQ(pairs[i].served, served);
        KEXPECT_EQ(pairs[i].client_done, client);
    }
    // The CPUs still serve: a fresh pair on the last CPU completes.
    reset_pair(env, 0, 100, done);
    uint64_t word = 0;
    baton_poll(done, &word);
    spawn(env, 0, counting_server, 0, n - 1);
    spawn(env, 1, counting_client, 0, 0);
    KEXPECT_OK(baton_wait(done, &word));
    KEXPECT_EQ(pairs[0].served, 100);
    KEXPECT_EQ(pairs[0].client_done, 100);
}

KTEST(smp_lock_stats, "smp: lock counters need the IRQ control capability; they only grow") {
    uint64_t a0 = 0, c0 = 0, a1 = 0, c1 = 0;
    KEXPECT_ERR(baton_debug_lock_stats(root_cnode, 3, &a0, &c0), BATON_INVALID_CAPABILITY);
    KEXPECT_ERR(baton_debug_lock_stats(BATON_CAP_IRQ_CONTROL, 7, &a0, &c0), BATON_RANGE_ERROR);
    for (uint64_t cls = 0; cls < 7; ++cls) {
        KEXPECT_OK(baton_debug_lock_stats(BATON_CAP_IRQ_CONTROL, cls, &a0, &c0));
        KEXPECT_EQ(c0 <= a0 || cls == 1, 1);  // class 1 counts waits only
        baton_cptr ep = env.make(BATON_OBJ_ENDPOINT);
        uint64_t mr[8] = {};
        baton_nb_send(ep, 0, mr, nullptr);
        KEXPECT_OK(baton_debug_lock_stats(BATON_CAP_IRQ_CONTROL, cls, &a1, &c1));
        KEXPECT_EQ(a1 >= a0 && c1 >= c0, 1);
    }
}
