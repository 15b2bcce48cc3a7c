// ktest: IPC priority inheritance. A server runs at least at the priority
// of the caller whose Call it holds, through chains of Calls, and goes back
// to its own priority when it replies: a low-priority server with work for
// a high-priority client is not held up by a medium-priority thread that
// spins (priority inversion).
#include "ktest.hpp"

using namespace ktest;

namespace {

constexpr uint64_t stack_words = 512;
uint64_t stacks[4][stack_words] __attribute__((aligned(16)));
constexpr uint64_t spin_limit = 2000000;

struct Inversion {
    baton_cptr ep_low, reply_low, ep_lower, reply_lower, done;
    volatile uint64_t stop, spins, spins_at_reply, answer, lower_calls;
};
Inversion inv;

// The end of the chain, at the lowest priority: answers word 0 plus one.
void lower_server(uint64_t) {
    baton_msg m = baton_recv_regs(inv.ep_lower, inv.reply_lower);
    for (;;) {
        inv.lower_calls = inv.lower_calls + 1;
        m = baton_reply_recv_regs(inv.ep_lower, baton_msginfo_new(0, 0, 0, 1), m.w0 + 1, 0, 0, 0, inv.reply_lower);
    }
}

// A low-priority server that asks the lower one before it answers.
void low_server(uint64_t) {
    baton_msg m = baton_recv_regs(inv.ep_low, inv.reply_low);
    for (;;) {
        baton_msg r = baton_call_regs(inv.ep_lower, baton_msginfo_new(1, 0, 0, 1), m.w0, 0, 0, 0);
        m = baton_reply_recv_regs(inv.ep_low, baton_msginfo_new(0, 0, 0, 1), r.w0 + 1, 0, 0, 0, inv.reply_low);
    }
}

// The medium-priority thread: spins until told to stop, or for long.
void spinner(uint64_t) {
    while (!inv.stop && inv.spins < spin_limit) inv.spins = inv.spins + 1;
    baton_thread_exit(0);
}

// The high-priority client.
void client(uint64_t) {
    baton_msg r = baton_call_regs(inv.ep_low, baton_msginfo_new(1, 0, 0, 1), 40, 0, 0, 0);
    inv.spins_at_reply = inv.spins;
    inv.answer = r.w0;
    inv.stop = 1;
    baton_signal(inv.done);
    baton_thread_exit(0);
}

baton_cptr start(Env& env, unsigned i, void (*fn)(uint64_t), unsigned prio) {
    baton_cptr t = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0));
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, prio));
    KEXPECT_OK(baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(fn), (uint64_t)&stacks[i][stack_words], 0, 0, 1));
    return t;
}

// Lets threads below the root task's priority run until they block.
void let_lower_run() {
    baton_tcb_set_priority(BATON_CAP_INIT_TCB, BATON_CAP_INIT_TCB, 1);
    baton_tcb_set_priority(BATON_CAP_INIT_TCB, BATON_CAP_INIT_TCB, 255);
}

}  // namespace

KTEST(priority_inheritance, "priority: a chain of low-priority servers answers a high-priority client before a spinning medium-priority thread") {
    inv = {};
    inv.ep_low = env.make(BATON_OBJ_ENDPOINT);
    inv.reply_low = env.make(BATON_OBJ_REPLY);
    inv.ep_lower = env.make(BATON_OBJ_ENDPOINT);
    inv.reply_lower = env.make(BATON_OBJ_REPLY);
    inv.done = env.make(BATON_OBJ_NOTIFICATION);
    // All on CPU 0 (the root task's): the servers first, waiting in Recv.
    baton_cptr lower = start(env, 0, lower_server, 40);
    baton_cptr low = start(env, 1, low_server, 50);
    let_lower_run();
    baton_cptr spin = start(env, 2, spinner, 100);
    start(env, 3, client, 200);
    uint64_t word = 0;
    KEXPECT_OK(baton_wait(inv.done, &word));  // the root task blocks: the others run
    KEXPECT_EQ(inv.answer, 42);
    KEXPECT_EQ(inv.lower_calls, 1);
    // The servers ran at the client's priority: the spinner, which
    // outranks them on their own, had to wait for the answer.
    KEXPECT_EQ(inv.spins_at_reply < spin_limit / 2, 1);
    // Having replied, both servers are back at their own priorities
    // (the TCB read-out shows the running and the own priority).
    uint64_t prio = 0, base = 0, mcp = 0, cpu = 9;
    KEXPECT_OK(baton_tcb_get_priority(low, &prio, &base, &mcp, &cpu));
    KEXPECT_EQ(prio, 50);
    KEXPECT_EQ(base, 50);
    KEXPECT_EQ(cpu, 0);
    KEXPECT_OK(baton_tcb_get_priority(lower, &prio, &base, &mcp, &cpu));
    KEXPECT_EQ(prio, 40);
    KEXPECT_EQ(base, 40);
    inv.stop = 1;
    for (int i = 0; i < 4; ++i) let_lower_run();
    KEXPECT_OK(baton_tcb_suspend(spin));
}
