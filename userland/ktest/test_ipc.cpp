// ktest: endpoint IPC: send/recv, call/reply with Reply objects, badges,
// long messages through IPC buffers, register-only messages, capability
// transfer, rights, deletion while blocked, a server dying mid-call, faults
// delivered as IPC; and (arm64) the registers the leaf system calls touch.
#include <baton/user_context.h>

#include "ktest.hpp"

using namespace ktest;

// A raw trap with an unknown number, and the size of the undefined instruction.
#if defined(__aarch64__)
#define BATON_TEST_SYSCALL_REG "x16"
#define BATON_TEST_RESULT_REG "x0"
#define BATON_TEST_TRAP "svc #0"
#define BATON_TEST_CLOBBERS "memory"
#define BATON_TEST_UNDEF_SIZE 4
#else
#define BATON_TEST_SYSCALL_REG "rax"
#define BATON_TEST_RESULT_REG "rdi"
#define BATON_TEST_TRAP "syscall"
#define BATON_TEST_CLOBBERS "rcx", "r11", "memory"
#define BATON_TEST_UNDEF_SIZE 2
#endif

namespace {

constexpr uint64_t stack_words = 1024;
uint64_t stacks[2][stack_words] __attribute__((aligned(16)));

// A second thread's own IPC buffer: the second 1 KiB of the root task's
// IPC-buffer frame (the root task uses the first).
baton_ipc_buffer* worker_buffer(const Env& env, unsigned i) {
    return reinterpret_cast<baton_ipc_buffer*>(env.bi->ipc_buffer + 1024 * (i + 1));
}

struct Worker_args {
    baton_cptr ep, reply, other;
    baton_ipc_buffer* buffer;
    volatile uint64_t done, error, badge, words[12], label, length;
};
Worker_args args[2];

// Server: receive one message into its Reply object, answer with each word
// doubled (the long part through its own IPC buffer), done.
extern "C" [[noreturn]] void server_main(Worker_args* a) {
    uint64_t mr[8] = {};
    uint64_t badge = 0;
    baton_msginfo info = baton_recv(a->ep, 0, mr, &badge, a->reply);
    a->badge = badge;
    a->label = baton_msginfo_label(info);
    a->length = baton_msginfo_length(info);
    for (unsigned i = 0; i < 8; ++i) mr[i] *= 2;
    for (unsigned i = 8; i < a->length; ++i) a->buffer->msg[i] *= 2;
    baton_send(a->reply, baton_msginfo_new(0, 0, 0, a->length), mr, nullptr);
    a->done = 1;
    baton_thread_exit(0);
}

// Waits in recv (no reply object) and records what came back.
extern "C" [[noreturn]] void receiver_main(Worker_args* a) {
    uint64_t mr[8] = {};
    uint64_t badge = 0;
    baton_msginfo info = baton_recv(a->ep, 0, mr, &badge, 0);
    a->label = baton_msginfo_label(info);
    a->badge = badge;
    for (unsigned i = 0; i < 8; ++i) a->words[i] = mr[i];
    a->done = 1;
    baton_thread_exit(0);
}

// Calls ep with one word and records the reply's label (an error, if the
// server went away).
extern "C" [[noreturn]] void caller_main(Worker_args* a) {
    uint64_t mr[8] = {7};
    baton_msginfo info = baton_call(a->ep, baton_msginfo_new(1, 0, 0, 1), mr, nullptr);
    a->label = baton_msginfo_label(info);
    a->done = 1;
    baton_thread_exit(0);
}

// Receives a Call into its Reply object, then waits on a notification for
// ever: it holds its caller until it dies.
extern "C" [[noreturn]] void holder_main(Worker_args* a) {
    uint64_t mr[8] = {};
    baton_recv(a->ep, 0, mr, nullptr, a->reply);
    a->done = 1;
    baton_recv(a->other, 0, mr, nullptr, 0);
    baton_thread_exit(0);
}

// Reads a word at an address nobody has mapped yet; the fault handler maps it.
extern "C" [[noreturn]] void faulter_main(Worker_args* a) {
    a->words[0] = *(volatile uint64_t*)a->other;
    a->done = 1;
    baton_thread_exit(0);
}

baton_cptr start_worker(Env& env, unsigned i, void (*fn)(Worker_args*), uint64_t prio = 255,
                        baton_cptr fault_ep = 0) {
    Worker_args& a = args[i];
    a.done = 0;
    a.error = 0;
    a.label = 0;
    a.length = 0;
    a.badge = 0;
    a.buffer = worker_buffer(env, i);
    baton_cptr t = env.make(BATON_OBJ_TCB);
    baton_cptr frame = env.slot();
    KEXPECT_OK(baton_cnode_copy(root_cnode, frame, depth, root_cnode, BATON_CAP_IPC_BUFFER, depth, 15));
    KEXPECT_OK(baton_tcb_configure(t, fault_ep, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, (uint64_t)a.buffer, frame));
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, prio));
    KEXPECT_OK(baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(fn), (uint64_t)&stacks[i][stack_words],
                                   (uint64_t)&a, 0, 1));
    return t;
}

void settle() {
    for (int i = 0; i < 8; ++i) baton_yield();
}

// Starts worker 0 as a server on a new endpoint and Reply object, and lets
// it block in its first recv. Returns the endpoint.
baton_cptr start_server(Env& env, void (*fn)(Worker_args*)) {
    args[0].ep = env.make(BATON_OBJ_ENDPOINT);
    args[0].reply = env.make(BATON_OBJ_REPLY);
    start_worker(env, 0, fn);
    settle();
    return args[0].ep;
}

baton_cptr minted(Env& env, baton_cptr c, uint64_t rights, uint64_t badge) {
    baton_cptr s = env.slot();
    KEXPECT_OK(baton_cnode_mint(root_cnode, s, depth, root_cnode, c, depth, rights, badge));
    return s;
}

}  // namespace

KTEST(ipc_call_reply, "ipc: call and reply through a Reply object, with badge and 20 words") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    args[0].ep = ep;
    args[0].reply = reply;
    start_worker(env, 0, server_main);
    settle();  // the server waits in recv
    uint64_t mr[8];
    for (unsigned i = 0; i < 8; ++i) mr[i] = i + 1;
    for (unsigned i = 8; i < 20; ++i) __baton_ipc_buffer->msg[i] = i + 1;
    baton_msginfo r = baton_call(minted(env, ep, 15, 0xbee), baton_msginfo_new(42, 0, 0, 20), mr, nullptr);
    KEXPECT_EQ(baton_msginfo_length(r), 20);
    for (unsigned i = 0; i < 8; ++i) KEXPECT_EQ(mr[i], 2 * (i + 1));
    for (unsigned i = 8; i < 20; ++i) KEXPECT_EQ(__baton_ipc_buffer->msg[i], 2 * (i + 1));
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_EQ(args[0].badge, 0xbee);
    KEXPECT_EQ(args[0].label, 42);
    KEXPECT_EQ(args[0].length, 20);
}

KTEST(ipc_send_then_recv, "ipc: a send waits for a receiver; nb_send drops; nb_recv finds nothing") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT);
    args[0].ep = ep;
    start_worker(env, 0, receiver_main);
    settle();
    uint64_t mr[8] = {5, 6, 7};
    KEXPECT_ERR(baton_msginfo_label(baton_send(minted(env, ep, 15, 3), baton_msginfo_new(9, 0, 0, 3), mr, nullptr)),
                BATON_OK);
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_EQ(args[0].label, 9);
    KEXPECT_EQ(args[0].badge, 3);
    KEXPECT_EQ(args[0].words[2], 7);
    KEXPECT_ERR(baton_msginfo_label(baton_nb_send(ep, baton_msginfo_new(1, 0, 0, 0), mr, nullptr)), BATON_OK);
    uint64_t badge = 99;
    baton_msginfo r = baton_nb_recv(ep, 0, mr, &badge, 0);
    KEXPECT_ERR(baton_msginfo_label(r), BATON_OK);
    KEXPECT_EQ(badge, 0);
    KEXPECT_EQ(baton_msginfo_length(r), 0);
}

KTEST(ipc_rights, "ipc: send needs write, recv needs read, a call needs grant or grant-reply") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    uint64_t mr[8] = {};
    baton_cptr read_only = minted(env, ep, 1, 0), write_only = minted(env, ep, 2, 0);
    KEXPECT_ERR(baton_msginfo_label(baton_send(read_only, 0, mr, nullptr)), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_msginfo_label(baton_call(read_only, 0, mr, nullptr)), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_msginfo_label(baton_nb_recv(write_only, 0, mr, nullptr, 0)), BATON_ILLEGAL_OPERATION);
    // A receive's reply argument must be a Reply capability.
    KEXPECT_ERR(baton_msginfo_label(baton_nb_recv(ep, 0, mr, nullptr, ep)), BATON_INVALID_CAPABILITY);
    // A call through a capability without grant rights cannot be answered: refused.
    args[0].ep = ep;
    args[0].reply = reply;
    start_worker(env, 0, server_main);
    settle();
    KEXPECT_ERR(baton_msginfo_label(baton_call(write_only, baton_msginfo_new(1, 0, 0, 0), mr, nullptr)),
                BATON_ILLEGAL_OPERATION);
    // Recv on things that are not endpoints or notifications.
    KEXPECT_ERR(baton_msginfo_label(baton_recv(root_cnode, 0, mr, nullptr, 0)), BATON_INVALID_CAPABILITY);
}

KTEST(ipc_grant, "ipc: a capability travels with the grant right into the receive slot") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr receive_at = env.slot();
    args[0].ep = ep;
    baton_ipc_buffer* wb = worker_buffer(env, 0);
    wb->receive_cnode = root_cnode;
    wb->receive_index = receive_at;
    wb->receive_depth = depth;
    start_worker(env, 0, receiver_main);
    settle();
    uint64_t mr[8] = {};
    __baton_ipc_buffer->caps_or_badges[0] = n;
    baton_send(ep, baton_msginfo_new(1, 0, 1, 0), mr, nullptr);
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_EQ(identify(receive_at).type, BATON_OBJ_NOTIFICATION);
    wb->receive_cnode = wb->receive_index = wb->receive_depth = 0;
    // Without the grant right nothing travels.
    baton_cptr receive_2 = env.slot();
    wb->receive_cnode = root_cnode;
    wb->receive_index = receive_2;
    wb->receive_depth = depth;
    start_worker(env, 0, receiver_main);
    settle();
    __baton_ipc_buffer->caps_or_badges[0] = n;
    baton_send(minted(env, ep, 3, 0), baton_msginfo_new(1, 0, 1, 0), mr, nullptr);
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_EQ(identify(receive_2).type, BATON_OBJ_NULL);
    wb->receive_cnode = wb->receive_index = wb->receive_depth = 0;
}

KTEST(ipc_endpoint_deleted, "ipc: deleting an endpoint wakes its waiters with invalid_capability") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT);
    args[0].ep = ep;
    start_worker(env, 0, receiver_main);
    settle();
    KEXPECT_EQ(args[0].done, 0);
    KEXPECT_OK(baton_cnode_delete(root_cnode, ep, depth));
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_ERR(args[0].label, BATON_INVALID_CAPABILITY);
}

KTEST(ipc_server_dies, "ipc: a server that dies holding a call answers the caller with an error") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    args[0].ep = ep;
    args[0].reply = reply;
    args[0].other = n;
    baton_cptr server = start_worker(env, 0, holder_main);
    settle();
    args[1].ep = ep;
    start_worker(env, 1, caller_main);
    settle();
    KEXPECT_EQ(args[0].done, 1);  // the server holds the call
    KEXPECT_EQ(args[1].done, 0);  // the caller waits for the reply
    KEXPECT_OK(baton_cnode_delete(root_cnode, server, depth));
    settle();
    KEXPECT_EQ(args[1].done, 1);
    KEXPECT_ERR(args[1].label, BATON_INVALID_CAPABILITY);
}

KTEST(ipc_fault_handled, "ipc: a page fault reaches the fault endpoint; the handler maps the page and resumes") {
    constexpr uint64_t where = 0x20000000;
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    baton_cptr frame = env.make(BATON_OBJ_FRAME_4K), pt = env.make(BATON_OBJ_PAGE_TABLE);
    args[0].other = where;
    start_worker(env, 0, faulter_main, 255, ep);
    uint64_t mr[8] = {};
    uint64_t badge = 1;
    baton_msginfo f = baton_recv(ep, 0, mr, &badge, reply);
    KEXPECT_EQ(baton_msginfo_label(f), BATON_FAULT_VM);
    KEXPECT_EQ(baton_msginfo_length(f), 4);
    KEXPECT_EQ(mr[1], where);
    KEXPECT_EQ(mr[3] & BATON_FAULT_WRITE, 0);
    // Fix it: map a page with a known value there, then reply.
    KEXPECT_OK(baton_page_table_map(pt, BATON_CAP_INIT_VSPACE, where, 0));
    KEXPECT_OK(baton_frame_4k_map(frame, BATON_CAP_INIT_VSPACE, where, 3, 0));
    *(volatile uint64_t*)where = 0x600d;
    baton_send(reply, baton_msginfo_new(0, 0, 0, 0), mr, nullptr);
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_EQ(args[0].words[0], 0x600d);
}

KTEST(ipc_bound_notification, "ipc: a signal on the bound notification ends a recv on an endpoint") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), n = env.make(BATON_OBJ_NOTIFICATION);
    args[0].ep = ep;
    baton_cptr t = start_worker(env, 0, receiver_main);
    KEXPECT_OK(baton_tcb_bind_notification(t, n));
    settle();
    KEXPECT_EQ(args[0].done, 0);
    baton_cptr badged_n = minted(env, n, 15, 0x40);
    uint64_t mr[8] = {};
    baton_send(badged_n, 0, mr, nullptr);
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_ERR(args[0].label, BATON_OK);
    KEXPECT_EQ(args[0].badge, 0x40);
    // A signal that comes first is found by the bound thread's next recv.
    args[1].ep = ep;
    baton_cptr t2 = start_worker(env, 1, receiver_main);
    KEXPECT_OK(baton_tcb_unbind_notification(t));
    KEXPECT_OK(baton_tcb_bind_notification(t2, n));
    baton_send(badged_n, 0, mr, nullptr);  // t2 has not run yet: the word keeps it
    settle();
    KEXPECT_EQ(args[1].done, 1);
    KEXPECT_EQ(args[1].badge, 0x40);
}

namespace {
// A server loop: reply_recv, answering each call with its words plus one,
// until a call with label 99.
extern "C" [[noreturn]] void loop_server_main(Worker_args* a) {
    uint64_t mr[8] = {};
    baton_msginfo info = baton_recv(a->ep, 0, mr, nullptr, a->reply);
    while (baton_msginfo_label(info) != 99) {
        uint64_t n = baton_msginfo_length(info);
        for (unsigned i = 0; i < 8 && i < n; ++i) mr[i] += 1;
        for (unsigned i = 8; i < n; ++i) a->buffer->msg[i] += 1;
        info = baton_reply_recv(a->ep, baton_msginfo_new(0, 0, 0, n), mr, nullptr, a->reply);
    }
    baton_send(a->reply, 0, mr, nullptr);
    a->done = 1;
    baton_thread_exit(0);
}
}  // namespace

KTEST(ipc_ping_pong, "ipc: 1000 calls to a reply_recv server, small and long messages, all answered right") {
    baton_cptr ep = start_server(env, loop_server_main);
    uint64_t fast_before = 0;
    KEXPECT_OK(baton_debug_ipc_stats(&fast_before));
    unsigned wrong = 0;
    for (unsigned n = 0; n < 1000; ++n) {
        unsigned words = n % 10 == 0 ? 16 : n % 5;  // mostly fastpath-sized, some long
        uint64_t mr[8];
        for (unsigned i = 0; i < 8; ++i) mr[i] = n * 100 + i;
        for (unsigned i = 8; i < words; ++i) __baton_ipc_buffer->msg[i] = n * 100 + i;
        baton_msginfo r = baton_call(ep, baton_msginfo_new(1, 0, 0, words), mr, nullptr);
        if (baton_msginfo_length(r) != words) ++wrong;
        for (unsigned i = 0; i < words; ++i) {
            uint64_t got = i < 8 ? mr[i] : __baton_ipc_buffer->msg[i];
            if (got != n * 100 + i + 1) ++wrong;
        }
    }
    KEXPECT_EQ(wrong, 0);
    uint64_t fast_after = 0;
    KEXPECT_OK(baton_debug_ipc_stats(&fast_after));
    baton_printf("ktest:   fastpath handled %llu of 2000 IPC system calls\n",
                 (unsigned long long)(fast_after - fast_before));
    uint64_t mr[8] = {};
    baton_call(ep, baton_msginfo_new(99, 0, 0, 0), mr, nullptr);
    settle();
    KEXPECT_EQ(args[0].done, 1);
}

namespace {
// A reply_recv server on the register-only stubs: answers each message of
// n <= 4 words with n words, each word plus one, and in its other message
// registers values of its own (a new set each round). Counts in a->error
// the rounds where a word past the received length was not its own value
// from its previous reply_recv (a sender's word leaking in, say).
extern "C" [[noreturn]] void regs_server_main(Worker_args* a) {
    baton_msg m = baton_recv_regs(a->ep, a->reply);
    uint64_t own[4] = {};
    bool first = true;
    for (uint64_t round = 0; baton_msginfo_label(m.info) != 99; ++round) {
        uint64_t n = baton_msginfo_length(m.info);
        const uint64_t got[4] = {m.w0, m.w1, m.w2, m.w3};
        for (unsigned i = n; i < 4 && !first; ++i)
            if (got[i] != own[i]) a->error = a->error + 1;
        first = false;
        for (unsigned i = 0; i < 4; ++i) own[i] = i < n ? got[i] + 1 : 0x5000 + round * 4 + i;
        m = baton_reply_recv_regs(a->ep, baton_msginfo_new(0, 0, 0, n), own[0], own[1], own[2], own[3], a->reply);
    }
    baton_send_regs(a->reply, 0, 0, 0, 0, 0);
    a->done = 1;
    baton_thread_exit(0);
}
}  // namespace

KTEST(ipc_register_messages, "ipc: register-only stubs; words past a message's length keep the receiver's values") {
    baton_cptr ep = start_server(env, regs_server_main);
    baton_cptr badged = minted(env, ep, 15, 0x77);
    unsigned wrong = 0;
    for (uint64_t round = 0; round < 500; ++round) {
        uint64_t n = round % 5;
        const uint64_t sent[4] = {round * 10, round * 10 + 1, round * 10 + 2, round * 10 + 3};
        baton_msg m = baton_call_regs(round % 2 ? badged : ep, baton_msginfo_new(2, 0, 0, n), sent[0], sent[1],
                                      sent[2], sent[3]);
        const uint64_t got[4] = {m.w0, m.w1, m.w2, m.w3};
        if (m.info != baton_msginfo_new(0, 0, 0, n) || m.badge != 0) ++wrong;
        for (unsigned i = 0; i < 4; ++i)
            if (got[i] != (i < n ? sent[i] + 1 : sent[i])) ++wrong;
    }
    KEXPECT_EQ(wrong, 0);
    baton_call_regs(ep, baton_msginfo_new(99, 0, 0, 0), 0, 0, 0, 0);
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_EQ(args[0].error, 0);
}

namespace {
// The order in which threads got somewhere, one letter each.
volatile unsigned order_n;
volatile char order[4];
void note(char c) {
    if (order_n < sizeof order) order[order_n] = c;
    order_n = order_n + 1;
}

// Receives one call, notes 'S', resumes a->other if any, answers with
// reply_recv, and exits once the wait that follows ends.
extern "C" [[noreturn]] void noting_server_main(Worker_args* a) {
    uint64_t mr[8] = {};
    baton_recv(a->ep, 0, mr, nullptr, a->reply);
    note('S');
    if (a->other) baton_tcb_resume(a->other);
    baton_reply_recv(a->ep, baton_msginfo_new(0, 0, 0, 0), mr, nullptr, a->reply);
    a->done = 1;
    baton_thread_exit(0);
}

extern "C" [[noreturn]] void noting_main(Worker_args*) {
    note('X');
    baton_thread_exit(0);
}
}  // namespace

// The baton goes to the server even when a ready thread outranks the
// server's own priority: the server inherits its caller's (priority
// inheritance; test_priority.cpp has the chain).
KTEST(ipc_call_order, "ipc: a call to a less urgent server runs it at the caller's priority, before a ready thread between the two") {
    order_n = 0;
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    args[0].ep = ep;
    args[0].reply = reply;
    args[0].other = 0;
    baton_cptr server = start_worker(env, 0, noting_server_main);
    settle();  // it waits in Recv
    KEXPECT_OK(baton_tcb_set_priority(server, BATON_CAP_INIT_TCB, 100));
    start_worker(env, 1, noting_main, 200);  // ready, below the root task
    uint64_t mr[8] = {};
    baton_call(ep, baton_msginfo_new(1, 0, 0, 1), mr, nullptr);
    KEXPECT_EQ(order_n, 1);  // the server only, so far
    // Below the thread in between for a moment: it runs.
    KEXPECT_OK(baton_tcb_set_priority(BATON_CAP_INIT_TCB, BATON_CAP_INIT_TCB, 1));
    KEXPECT_OK(baton_tcb_set_priority(BATON_CAP_INIT_TCB, BATON_CAP_INIT_TCB, 255));
    KEXPECT_EQ(order_n, 2);
    KEXPECT_EQ(order[0], 'S');
    KEXPECT_EQ(order[1], 'X');
}

// A reply goes straight back to the caller only when no ready thread is as
// urgent; otherwise the caller queues behind it.
KTEST(ipc_reply_order, "ipc: a reply to a caller with a ready thread of its priority runs that thread first") {
    order_n = 0;
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    args[0].ep = ep;
    args[0].reply = reply;
    start_worker(env, 0, noting_server_main);
    baton_cptr other = start_worker(env, 1, noting_main);
    KEXPECT_OK(baton_tcb_suspend(other));  // the server resumes it
    args[0].other = other;
    settle();  // the server waits in Recv
    uint64_t mr[8] = {};
    baton_call(ep, baton_msginfo_new(1, 0, 0, 1), mr, nullptr);
    note('R');
    KEXPECT_EQ(order_n, 3);
    KEXPECT_EQ(order[0], 'S');
    KEXPECT_EQ(order[1], 'X');
    KEXPECT_EQ(order[2], 'R');
}

#if defined(__x86_64__)
namespace {
// Waits in a raw Recv, so that it sees rcx and r11 exactly as the kernel
// returns them, records them and word 0, and answers.
extern "C" [[noreturn]] void raw_receiver_main(Worker_args* a) {
    register uint64_t rdi __asm__("rdi") = a->ep;
    register uint64_t rsi __asm__("rsi") = 0;
    register uint64_t rdx __asm__("rdx") = 0;
    register uint64_t rbx __asm__("rbx") = a->reply;
    register uint64_t rax __asm__("rax") = BATON_SYS_RECV;
    uint64_t rcx_after = 0, r11_after = 0;
    __asm__ volatile("syscall\n\tmov %%rcx, %[c]\n\tmov %%r11, %[f]"
                     : "+r"(rdi), "+r"(rsi), "+r"(rdx), [c] "=m"(rcx_after), [f] "=m"(r11_after)
                     : "r"(rax), "r"(rbx)
                     : "rcx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory");
    a->words[0] = rcx_after;
    a->words[1] = r11_after;
    a->words[2] = rdx;
    a->badge = rdi;
    uint64_t mr[8] = {};
    baton_send(a->reply, baton_msginfo_new(0, 0, 0, 0), mr, nullptr);
    a->done = 1;
    baton_thread_exit(0);
}
}  // namespace

// SYSRET returns rip in rcx and rflags in r11; a thread whose saved rcx and
// r11 say otherwise (rewritten while it waited) must get them back, so the
// kernel (its fastpath included) resumes it by IRETQ.
KTEST(ipc_rewritten_receiver, "ipc: a receiver whose rcx and r11 were rewritten while it waited gets them back") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    args[0].ep = ep;
    args[0].reply = reply;
    baton_cptr t = start_worker(env, 0, raw_receiver_main);
    settle();  // it waits in Recv
    baton_user_context regs;
    KEXPECT_OK(baton_tcb_read_registers(t, 0, 0, BATON_USER_CONTEXT_WORDS, (uint64_t*)&regs));
    regs.rcx = 0x1234;
    regs.r11 = 0x4321;
    KEXPECT_OK(baton_tcb_write_registers(t, 0, 0, BATON_USER_CONTEXT_WORDS, (uint64_t*)&regs));
    uint64_t mr[8] = {77};
    baton_call(ep, baton_msginfo_new(5, 0, 0, 1), mr, nullptr);
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_EQ(args[0].words[0], 0x1234);
    KEXPECT_EQ(args[0].words[1], 0x4321);
    KEXPECT_EQ(args[0].words[2], 77);
}
#endif

namespace {
// An undefined instruction, then an unknown system call; both handled.
extern "C" [[noreturn]] void bad_instruction_main(Worker_args* a) {
#if defined(__aarch64__)
    __asm__ volatile("udf #0");
#else
    __asm__ volatile("ud2");
#endif
    a->words[0] = 1;  // reached once the handler skipped the instruction
    register uint64_t nr __asm__(BATON_TEST_SYSCALL_REG) = 999;
    register uint64_t r0 __asm__(BATON_TEST_RESULT_REG) = 0;
    __asm__ volatile(BATON_TEST_TRAP : "+r"(r0) : "r"(nr) : BATON_TEST_CLOBBERS);
    a->words[1] = r0;  // the error code the kernel returned after the handler replied
    a->done = 1;
    baton_thread_exit(0);
}
}  // namespace

KTEST(ipc_fault_exception_and_syscall, "ipc: an undefined instruction and an unknown system call reach the fault endpoint") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    args[0].words[0] = 0;
    args[0].words[1] = 0;
    baton_cptr t = start_worker(env, 0, bad_instruction_main, 255, ep);
    uint64_t mr[8] = {};
    baton_msginfo f = baton_recv(ep, 0, mr, nullptr, reply);
    KEXPECT_EQ(baton_msginfo_label(f), BATON_FAULT_USER_EXCEPTION);
    uint64_t pc = mr[0];
    KEXPECT_EQ(pc >= (uint64_t)&bad_instruction_main, 1);
    // Skip the instruction through the TCB, then resume by replying.
    uint64_t regs[1] = {pc + BATON_TEST_UNDEF_SIZE};
    KEXPECT_OK(baton_tcb_write_registers(t, 0, 0, 1, regs));
    baton_msginfo next = baton_reply_recv(ep, baton_msginfo_new(0, 0, 0, 0), mr, nullptr, reply);
    KEXPECT_EQ(baton_msginfo_label(next), BATON_FAULT_UNKNOWN_SYSCALL);
    KEXPECT_EQ(mr[2], 999);
    KEXPECT_EQ(args[0].words[0], 1);
    baton_send(reply, baton_msginfo_new(0, 0, 0, 0), mr, nullptr);
    settle();
    KEXPECT_EQ(args[0].done, 1);
    KEXPECT_ERR(args[0].words[1], BATON_INVALID_SYSCALL);
}

KTEST(ipc_bad_messages, "ipc: messages longer than 120 words, or needing an IPC buffer the sender lacks, are refused") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    uint64_t mr[8] = {};
    // 121 words: nothing is sent, the sender hears why.
    KEXPECT_ERR(baton_msginfo_label(baton_call(ep, baton_msginfo_new(1, 0, 0, 121), mr, nullptr)),
                BATON_INVALID_ARGUMENT);
    KEXPECT_EQ(mr[0], 1);
    KEXPECT_ERR(baton_msginfo_label(baton_nb_send(ep, baton_msginfo_new(1, 0, 0, 127), mr, nullptr)),
                BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_msginfo_label(baton_send(reply, baton_msginfo_new(0, 0, 0, 125), mr, nullptr)),
                BATON_INVALID_ARGUMENT);
    // A thread without an IPC buffer sends 8 words at most, and no capabilities.
    struct No_buffer {
        static void main(uint64_t ep_cptr) {
            uint64_t m[8] = {};
            uint64_t e1 = baton_msginfo_label(baton_nb_send(ep_cptr, baton_msginfo_new(1, 0, 0, 9), m, nullptr));
            uint64_t e2 = baton_msginfo_label(baton_nb_send(ep_cptr, baton_msginfo_new(1, 0, 1, 0), m, nullptr));
            uint64_t e3 = baton_msginfo_label(baton_nb_send(ep_cptr, baton_msginfo_new(1, 0, 0, 8), m, nullptr));
            args[1].words[0] = e1;
            args[1].words[1] = e2;
            args[1].words[2] = e3;
            args[1].done = 1;
            baton_thread_exit(0);
        }
    };
    args[1].done = 0;
    baton_cptr t = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0));
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, 255));
    KEXPECT_OK(baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(&No_buffer::main), (uint64_t)&stacks[1][stack_words],
                                   ep, 0, 1));
    settle();
    KEXPECT_EQ(args[1].done, 1);
    KEXPECT_ERR(args[1].words[0], BATON_BAD_ADDRESS);
    KEXPECT_ERR(args[1].words[1], BATON_BAD_ADDRESS);
    KEXPECT_ERR(args[1].words[2], BATON_OK);
}

namespace {
// Receives one call and answers it with the capability in a->other.
extern "C" [[noreturn]] void granting_server_main(Worker_args* a) {
    uint64_t mr[8] = {};
    baton_recv(a->ep, 0, mr, nullptr, a->reply);
    a->buffer->caps_or_badges[0] = a->other;
    baton_send(a->reply, baton_msginfo_new(0, 0, 1, 0), mr, nullptr);
    a->done = 1;
    baton_thread_exit(0);
}
}  // namespace

KTEST(ipc_reply_grant, "ipc: a reply carries a capability to a caller that called with the grant right") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY);
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION), receive_at = env.slot();
    args[0].ep = ep;
    args[0].reply = reply;
    args[0].other = n;
    start_worker(env, 0, granting_server_main);
    settle();
    __baton_ipc_buffer->receive_cnode = root_cnode;
    __baton_ipc_buffer->receive_index = receive_at;
    __baton_ipc_buffer->receive_depth = depth;
    uint64_t mr[8] = {};
    baton_msginfo r = baton_call(ep, baton_msginfo_new(1, 0, 0, 0), mr, nullptr);
    __baton_ipc_buffer->receive_cnode = __baton_ipc_buffer->receive_index = __baton_ipc_buffer->receive_depth = 0;
    KEXPECT_EQ(baton_msginfo_extra_caps(r), 1);
    KEXPECT_EQ(identify(receive_at).type, BATON_OBJ_NOTIFICATION);
    settle();
    KEXPECT_EQ(args[0].done, 1);
}

#if defined(__aarch64__)
namespace {
// Traps with every general register x0-x28 but x19 loaded from in[] (the
// system-call number in in[16]) and stores them to out[] afterwards.
// x19 holds the buffers (a kernel that lost it would crash the test),
// x29/x30 belong to the compiler.
void trap_all_registers(uint64_t (&in)[29], uint64_t (&out)[29]) {
    struct Buffers {
        uint64_t in[29], out[29];
    } b;
    for (unsigned i = 0; i < 29; ++i) b.in[i] = in[i];
    register Buffers* base __asm__("x19") = &b;
    __asm__ volatile(
        "ldp x0, x1, [x19, #0]\n ldp x2, x3, [x19, #16]\n ldp x4, x5, [x19, #32]\n ldp x6, x7, [x19, #48]\n"
        "ldp x8, x9, [x19, #64]\n ldp x10, x11, [x19, #80]\n ldp x12, x13, [x19, #96]\n"
        "ldp x14, x15, [x19, #112]\n ldp x16, x17, [x19, #128]\n ldr x18, [x19, #144]\n"
        "ldp x20, x21, [x19, #160]\n ldp x22, x23, [x19, #176]\n ldp x24, x25, [x19, #192]\n"
        "ldp x26, x27, [x19, #208]\n ldr x28, [x19, #224]\n"
        "svc #0\n"
        "stp x0, x1, [x19, #232]\n stp x2, x3, [x19, #248]\n stp x4, x5, [x19, #264]\n stp x6, x7, [x19, #280]\n"
        "stp x8, x9, [x19, #296]\n stp x10, x11, [x19, #312]\n stp x12, x13, [x19, #328]\n"
        "stp x14, x15, [x19, #344]\n stp x16, x17, [x19, #360]\n str x18, [x19, #376]\n"
        "stp x20, x21, [x19, #392]\n stp x22, x23, [x19, #408]\n stp x24, x25, [x19, #424]\n"
        "stp x26, x27, [x19, #440]\n str x28, [x19, #456]\n"
        :
        : "r"(base)
        : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
          "x16", "x17", "x18", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "memory");
    for (unsigned i = 0; i < 29; ++i) out[i] = b.out[i];
    out[19] = in[19];  // not loaded, not compared
}

// Registers after a system call that returns `results` values: x0 = ok,
// x1..x{results} anything, every other register as it was.
unsigned registers_changed(uint64_t number, unsigned results) {
    uint64_t in[29], out[29];
    for (unsigned i = 0; i < 29; ++i) in[i] = 0x5a5a000000000000ull | uint64_t(i) << 8 | i;
    in[16] = number;
    trap_all_registers(in, out);
    unsigned changed = out[0] != BATON_OK;
    for (unsigned i = 1 + results; i < 29; ++i) changed += out[i] != in[i];
    return changed;
}
}  // namespace

KTEST(syscall_leaf_registers, "syscall: null, debug_ticks, debug_fpu_traps change only their result registers") {
    KEXPECT_EQ(registers_changed(BATON_SYS_NULL, 0), 0);
    KEXPECT_EQ(registers_changed(BATON_SYS_DEBUG_TICKS, 2), 0);
    KEXPECT_EQ(registers_changed(BATON_SYS_DEBUG_FPU_TRAPS, 1), 0);
    KEXPECT_EQ(registers_changed(BATON_SYS_DEBUG_IPC_STATS, 1), 0);
}
#endif
