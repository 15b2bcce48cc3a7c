// IPC cases: Call/ReplyRecv ping-pong between a client and a server
// thread, one-way (client's trap to the server's first instruction) and
// round trip, for 0, 1, 4 and 16 message words, in one address space and
// across two, through the fastpath and the slow path; and a notification
// signal waking a waiting thread. Messages of up to 4 words use the
// register-only stubs, longer ones the mr[] stubs.
//
// The slow path is forced the way any program meets it: the two threads
// look their capabilities up through a two-level CSpace, which the fastpath
// does not resolve. Messages over 4 words always take the slow path.
#include "bench.hpp"

namespace {

constexpr baton_cptr root_cnode = BATON_CAP_INIT_CNODE;
constexpr uint64_t depth = 64;
constexpr uint64_t max_rounds = 1 << 15;

struct Ping_pong {
    baton_cptr ep, reply, done;   // done: a notification the client signals at the end
    uint64_t words, rounds;
    baton_ipc_buffer* client_buffer;
    baton_ipc_buffer* server_buffer;
    volatile uint64_t arrived;    // the server's counter reading on arrival
    uint32_t oneway[max_rounds];
    uint32_t roundtrip[max_rounds];
};
Ping_pong pp;

// The server echoes every message back (its label and words). In one-way
// cases it reads the counter first thing after its receive returns; in
// round-trip cases it does not, so that a round trip is the two IPCs and
// the server's loop, without the one-way instrumentation.
//
// Up to four words: the register-only stubs (<baton/syscalls.h>), as a
// program passing small messages would use them. The words stay in
// registers from the client's Call through the server's ReplyRecv; the
// client sets the capability pointer, the message info and the system-call
// number between bench::start() and the trap.
template <bool record> void server_main_regs(uint64_t) {
    baton_msg m = baton_recv_regs(pp.ep, pp.reply);
    for (;;) {
        if (record) pp.arrived = bench::stop();
        m = baton_reply_recv_regs(pp.ep, m.info, m.w0, m.w1, m.w2, m.w3, pp.reply);
    }
}

void client_main_regs(uint64_t) {
    const baton_msginfo info = baton_msginfo_new(1, 0, 0, pp.words);
    uint64_t w0 = 1, w1 = 2, w2 = 3, w3 = 4;
    for (uint64_t i = 0; i < pp.rounds; ++i) {
        uint64_t t0 = bench::start();
        baton_msg m = baton_call_regs(pp.ep, info, w0, w1, w2, w3);
        uint64_t t2 = bench::stop();
        pp.oneway[i] = uint32_t(pp.arrived - t0);
        pp.roundtrip[i] = uint32_t(t2 - t0);
        w0 = m.w0, w1 = m.w1, w2 = m.w2, w3 = m.w3;
    }
    uint64_t mr[8] = {};
    baton_send(pp.done, 0, mr, nullptr);
    for (;;) baton_yield();
}

// Longer messages: words 0-7 through the mr[] stubs, the rest through the
// IPC buffers.
template <bool record> void server_main(uint64_t) {
    uint64_t mr[8] = {};
    baton_msginfo info = baton_recv(pp.ep, 0, mr, nullptr, pp.reply);
    for (;;) {
        if (record) pp.arrived = bench::stop();
        info = baton_reply_recv(pp.ep, info, mr, nullptr, pp.reply);
    }
}

void client_main(uint64_t) {
    uint64_t mr[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    for (uint64_t i = 0; i < pp.rounds; ++i) {
        uint64_t t0 = bench::start();
        baton_call(pp.ep, baton_msginfo_new(1, 0, 0, pp.words), mr, nullptr);
        uint64_t t2 = bench::stop();
        pp.oneway[i] = uint32_t(pp.arrived - t0);
        pp.roundtrip[i] = uint32_t(t2 - t0);
    }
    baton_send(pp.done, 0, mr, nullptr);
    for (;;) baton_yield();
}

// A two-level CSpace under which the root CNode's slot numbers still name
// the same capabilities: a 1-bit CNode whose slot 0 holds the root CNode
// with one guard bit fewer.
baton_cptr two_level_cspace(bench::Env& env) {
    baton_cptr top = env.make(BATON_OBJ_CNODE, 1);
    baton_cptr inner = env.slot();
    uint64_t guard_bits = 64 - 1 - BATON_ROOT_CNODE_BITS;
    if (baton_cnode_mint(root_cnode, inner, depth, root_cnode, root_cnode, depth, 15, guard_bits) != BATON_OK ||
        baton_cnode_move(top, 0, 1, root_cnode, inner, depth) != BATON_OK) {
        env.fail("cannot build a two-level CSpace");
        return 0;
    }
    return top;
}

// A second address space sharing the root task's image and IPC-buffer
// frames at the same addresses, with an ASID of its own.
baton_cptr second_space(bench::Env& env) {
    baton_cptr vs = env.make(BATON_OBJ_VSPACE);
    if (baton_asid_pool_assign(BATON_CAP_INIT_ASID_POOL, vs) != BATON_OK) {
        env.fail("no ASID for the second address space");
        return 0;
    }
    auto map = [&](baton_cptr frame, uint64_t va) {
        baton_cptr copy = env.slot();
        if (baton_cnode_copy(root_cnode, copy, depth, root_cnode, frame, depth, 15) != BATON_OK) return false;
        baton_error e = baton_frame_4k_map(copy, vs, va, 3, 2);
        while (e == BATON_FAILED_LOOKUP) {
            if (baton_page_table_map(env.make(BATON_OBJ_PAGE_TABLE), vs, va, 0) != BATON_OK) return false;
            e = baton_frame_4k_map(copy, vs, va, 3, 2);
        }
        return e == BATON_OK;
    };
    const baton_bootinfo* bi = env.bi;
    for (uint32_t s = bi->image_frames_first; s < bi->image_frames_end; ++s) {
        uint64_t type = 0, rights = 0, word = 0;
        baton_debug_cap_identify(s, &type, &rights, &word);
        uint64_t va = word & 0x0000fffffffff000ull;
        if (va >= bi->image_base && va < bi->image_end && !map(s, va)) {
            env.fail("cannot map the image into the second address space");
            return 0;
        }
    }
    if (!map(BATON_CAP_IPC_BUFFER, bi->ipc_buffer)) {
        env.fail("cannot map the IPC buffers into the second address space");
        return 0;
    }
    return vs;
}

void ping_pong(bench::Env& env, uint64_t words, bool cross_as, bool slow, bool oneway) {
    if (env.rounds() > max_rounds) return env.fail("too many rounds for the sample buffers");
    pp.words = words;
    pp.rounds = env.rounds();
    pp.ep = env.make(BATON_OBJ_ENDPOINT);
    pp.reply = env.make(BATON_OBJ_REPLY);
    pp.done = env.make(BATON_OBJ_NOTIFICATION);
    bool regs = words <= 4;
    void (*server_fn)(uint64_t) = regs ? (oneway ? server_main_regs<true> : server_main_regs<false>)
                                       : (oneway ? server_main<true> : server_main<false>);
    baton_cptr server = env.make_thread(server_fn, 0, 200, &pp.server_buffer);
    baton_cptr client = env.make_thread(regs ? client_main_regs : client_main, 0, 200, &pp.client_buffer);
    if (!server || !client) return;
    baton_cptr cspace = slow ? two_level_cspace(env) : root_cnode;
    if (!cspace) return;
    baton_cptr space = cross_as ? second_space(env) : baton_cptr(BATON_CAP_INIT_VSPACE);
    if (!space) return;
    if (baton_tcb_set_space(server, 0, cspace, 0, space, 0) != BATON_OK ||
        baton_tcb_set_space(client, 0, cspace, 0, BATON_CAP_INIT_VSPACE, 0) != BATON_OK)
        return env.fail("cannot give the threads their spaces");
    uint64_t fast_before = 0, fast_after = 0;
    baton_debug_ipc_stats(&fast_before);
    baton_tcb_resume(server);
    baton_tcb_resume(client);
    uint64_t word = 0;
    baton_wait(pp.done, &word);  // the client signals when it is done
    baton_debug_ipc_stats(&fast_after);
    baton_tcb_suspend(client);
    baton_tcb_suspend(server);
    // The path the name promises must be the path taken.
    uint64_t fast = fast_after - fast_before, calls = 2 * pp.rounds;
    bool want_fast = !slow && words <= 4;
    if (want_fast && fast < calls - 2) return env.fail("the fastpath did not handle the calls");
    if (!want_fast && fast != 0) return env.fail("calls meant for the slow path took the fastpath");
    for (uint64_t i = 0; i < pp.rounds; ++i) env.sample(i, oneway ? pp.oneway[i] : pp.roundtrip[i]);
}

#define IPC_CASES(dir, kind_, as, cross, path, is_slow)                                                          \
    BENCH(dir##_##as##_##path##_0w, "ipc." #dir "." #as "." #path ".0w", kind_) { ping_pong(env, 0, cross, is_slow, kind_ == bench::oneway); } \
    BENCH(dir##_##as##_##path##_1w, "ipc." #dir "." #as "." #path ".1w", kind_) { ping_pong(env, 1, cross, is_slow, kind_ == bench::oneway); } \
    BENCH(dir##_##as##_##path##_4w, "ipc." #dir "." #as "." #path ".4w", kind_) { ping_pong(env, 4, cross, is_slow, kind_ == bench::oneway); }

IPC_CASES(oneway, bench::oneway, same_as, false, fast, false)
IPC_CASES(oneway, bench::oneway, cross_as, true, fast, false)
IPC_CASES(oneway, bench::oneway, same_as, false, slow, true)
IPC_CASES(oneway, bench::oneway, cross_as, true, slow, true)
IPC_CASES(roundtrip, bench::roundtrip, same_as, false, fast, false)
IPC_CASES(roundtrip, bench::roundtrip, cross_as, true, fast, false)
IPC_CASES(roundtrip, bench::roundtrip, same_as, false, slow, true)
IPC_CASES(roundtrip, bench::roundtrip, cross_as, true, slow, true)

// 16 words never fit the fastpath: slow only.
BENCH(oneway_same_as_slow_16w, "ipc.oneway.same_as.slow.16w", bench::oneway) { ping_pong(env, 16, false, true, true); }
BENCH(oneway_cross_as_slow_16w, "ipc.oneway.cross_as.slow.16w", bench::oneway) { ping_pong(env, 16, true, true, true); }
BENCH(roundtrip_same_as_slow_16w, "ipc.roundtrip.same_as.slow.16w", bench::roundtrip) { ping_pong(env, 16, false, true, false); }
BENCH(roundtrip_cross_as_slow_16w, "ipc.roundtrip.cross_as.slow.16w", bench::roundtrip) { ping_pong(env, 16, true, true, false); }

// Signal to wake: a waiting thread of higher priority runs as soon as the
// notification is signalled. From the signaller's trap to the waiter's
// first instruction after its wait.
struct Wake {
    baton_cptr n;
    volatile uint64_t woke;
    volatile uint64_t rounds_seen;
};
Wake wk;

void waiter_main(uint64_t) {
    uint64_t word = 0;
    for (;;) {
        baton_wait(wk.n, &word);
        wk.woke = bench::stop();
        wk.rounds_seen = wk.rounds_seen + 1;
    }
}

BENCH(notify_signal_wake, "notify.signal_wake", bench::oneway) {
    wk.n = env.make(BATON_OBJ_NOTIFICATION);
    wk.rounds_seen = 0;
    baton_cptr waiter = env.make_thread(waiter_main, 0, 255);
    if (!waiter) return;
    // The waiter outranks nobody until it waits: the root task runs at 255
    // too, so drop the root's priority below it for the measurement.
    baton_tcb_resume(waiter);
    baton_yield();  // the waiter blocks in wait
    if (baton_tcb_set_priority(BATON_CAP_INIT_TCB, BATON_CAP_INIT_TCB, 254) != BATON_OK)
        return env.fail("cannot lower the root task's priority");
    uint64_t mr[8] = {};
    for (uint64_t i = 0; i < env.rounds(); ++i) {
        uint64_t t0 = bench::start();
        baton_send(wk.n, 0, mr, nullptr);
        env.sample(i, wk.woke - t0);
    }
    baton_tcb_set_priority(BATON_CAP_INIT_TCB, BATON_CAP_INIT_TCB, 255);
    if (wk.rounds_seen != env.rounds()) env.fail("the waiter did not wake once per signal");
    baton_tcb_suspend(waiter);
}

}  // namespace
