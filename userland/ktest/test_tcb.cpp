// ktest: TCB invocations: configuration, priorities, registers, run state.
#include <baton/user_context.h>

#include "ktest.hpp"

using namespace ktest;

namespace {

constexpr uint64_t stack_words = 512;
uint64_t worker_stack[stack_words] __attribute__((aligned(16)));
volatile uint64_t worker_counter;

// A second thread in the root task's address space: counts, yields, and
// exits when told to.
extern "C" [[noreturn]] void worker_main(uint64_t rounds) {
    for (uint64_t i = 0; rounds == 0 || i < rounds; ++i) {
        worker_counter = worker_counter + 1;
        baton_yield();
    }
    baton_thread_exit(0);
}

// A TCB sharing the root task's CSpace and VSpace, with its registers set
// to start worker_main(rounds), at the root task's priority.
baton_cptr make_worker(Env& env, uint64_t rounds) {
    baton_cptr t = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0));
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, 255));
    KEXPECT_OK(baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(&worker_main), (uint64_t)&worker_stack[stack_words],
                                   rounds, 0, 0));
    return t;
}

}  // namespace

KTEST(tcb_run_thread, "tcb: configure, write registers, resume: a second thread runs and exits") {
    worker_counter = 0;
    baton_cptr t = make_worker(env, 3);
    KEXPECT_EQ(worker_counter, 0);
    KEXPECT_OK(baton_tcb_resume(t));
    for (int i = 0; i < 10 && worker_counter < 3; ++i) baton_yield();
    KEXPECT_EQ(worker_counter, 3);
}

KTEST(tcb_suspend_resume, "tcb: suspend stops a thread, resume restarts it, delete removes it") {
    worker_counter = 0;
    baton_cptr t = make_worker(env, 0);
    KEXPECT_OK(baton_tcb_resume(t));
    baton_yield();
    KEXPECT_EQ(worker_counter, 1);
    KEXPECT_OK(baton_tcb_suspend(t));
    baton_yield();
    baton_yield();
    KEXPECT_EQ(worker_counter, 1);
    KEXPECT_OK(baton_tcb_resume(t));
    baton_yield();
    KEXPECT_EQ(worker_counter, 2);
    // Deleting a ready thread takes it off the run queue.
    KEXPECT_OK(baton_cnode_delete(root_cnode, t, depth));
    baton_yield();
    baton_yield();
    KEXPECT_EQ(worker_counter, 2);
}

KTEST(tcb_registers, "tcb: read_registers returns what write_registers wrote; copy_registers copies") {
    baton_cptr a = env.make(BATON_OBJ_TCB), b = env.make(BATON_OBJ_TCB);
    uint64_t in[BATON_USER_CONTEXT_WORDS], out[BATON_USER_CONTEXT_WORDS];
    for (unsigned i = 0; i < BATON_USER_CONTEXT_WORDS; ++i) in[i] = 0x1000 + i;
    in[2] = 0;  // flags: only user-settable bits survive; 0 is always fine
    KEXPECT_OK(baton_tcb_write_registers(a, 0, 0, BATON_USER_CONTEXT_WORDS, in));
    KEXPECT_OK(baton_tcb_read_registers(a, 0, 0, BATON_USER_CONTEXT_WORDS, out));
    for (unsigned i = 0; i < BATON_USER_CONTEXT_WORDS; ++i)
        if (i != 2) KEXPECT_EQ(out[i], in[i]);
    KEXPECT_OK(baton_tcb_copy_registers(b, a, 0, 0, 1, 1, 0));
    KEXPECT_OK(baton_tcb_read_registers(b, 0, 0, BATON_USER_CONTEXT_WORDS, out));
    KEXPECT_EQ(out[0], in[0]);
    KEXPECT_EQ(out[BATON_USER_CONTEXT_WORDS - 1], in[BATON_USER_CONTEXT_WORDS - 1]);
    // Errors: too many registers, the caller itself, a non-TCB source, a short message.
    KEXPECT_ERR(baton_tcb_read_registers(a, 0, 0, BATON_USER_CONTEXT_WORDS + 1, out), BATON_RANGE_ERROR);
    KEXPECT_EQ(baton_error_detail(1), BATON_USER_CONTEXT_WORDS);
    KEXPECT_ERR(baton_tcb_read_registers(BATON_CAP_INIT_TCB, 0, 0, 1, out), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_tcb_write_registers(BATON_CAP_INIT_TCB, 0, 0, 1, in), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_tcb_copy_registers(b, root_cnode, 0, 0, 1, 1, 0), BATON_INVALID_CAPABILITY);
    uint64_t mr[8] = {0, 0, 5, 1, 2, 0, 0, 0};  // claims 5 registers, carries 2
    baton_msginfo r = baton_call(a, baton_msginfo_new(27, 0, 0, 5), mr, nullptr);
    KEXPECT_ERR(baton_msginfo_label(r), BATON_TRUNCATED_MESSAGE);
}

KTEST(tcb_priorities, "tcb: priorities are bounded by the authority's MCP") {
    baton_cptr t = env.make(BATON_OBJ_TCB), weak = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, 200));
    // A new thread's MCP is 0: it can grant nothing above 0.
    KEXPECT_ERR(baton_tcb_set_priority(t, weak, 1), BATON_RANGE_ERROR);
    KEXPECT_EQ(baton_error_detail(1), 0);
    KEXPECT_OK(baton_tcb_set_mc_priority(weak, BATON_CAP_INIT_TCB, 10));
    KEXPECT_OK(baton_tcb_set_priority(t, weak, 10));
    KEXPECT_ERR(baton_tcb_set_priority(t, weak, 11), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_tcb_set_mc_priority(t, weak, 11), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, 256), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_tcb_set_priority(t, root_cnode, 1), BATON_INVALID_CAPABILITY);
    KEXPECT_ERR(baton_tcb_set_priority(root_cnode, BATON_CAP_INIT_TCB, 1), BATON_ILLEGAL_OPERATION);
}

KTEST(tcb_affinity, "tcb: set_affinity accepts existing CPUs only") {
    baton_cptr t = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_set_affinity(t, 0));
    KEXPECT_ERR(baton_tcb_set_affinity(t, env.bi->cpu_count), BATON_RANGE_ERROR);
    KEXPECT_EQ(baton_error_detail(1), env.bi->cpu_count - 1);
}

KTEST(tcb_configure_errors, "tcb: configure, set_space and set_ipc_buffer check every capability") {
    baton_cptr t = env.make(BATON_OBJ_TCB), ep = env.make(BATON_OBJ_ENDPOINT), n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr frame = env.make(BATON_OBJ_FRAME_4K);
    KEXPECT_ERR(baton_tcb_configure(t, 0, ep, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0), BATON_INVALID_CAPABILITY);
    KEXPECT_EQ(baton_error_detail(0), 0);
    KEXPECT_ERR(baton_tcb_configure(t, 0, root_cnode, 0, ep, 0, 0, 0), BATON_INVALID_CAPABILITY);
    KEXPECT_EQ(baton_error_detail(0), 1);
    KEXPECT_ERR(baton_tcb_configure(t, n, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0), BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_tcb_configure(t, env.slot(), root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0), BATON_FAILED_LOOKUP);
    KEXPECT_ERR(baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 1, 0, 0), BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0x1100, frame),
                BATON_ALIGNMENT_ERROR);
    KEXPECT_ERR(baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0x1000, ep),
                BATON_INVALID_CAPABILITY);
    KEXPECT_EQ(baton_error_detail(0), 2);
    KEXPECT_OK(baton_tcb_configure(t, ep, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0x1000, frame));
    KEXPECT_ERR(baton_tcb_set_ipc_buffer(t, 0x1001, frame), BATON_ALIGNMENT_ERROR);
    KEXPECT_ERR(baton_tcb_set_ipc_buffer(t, 0xffff800000000000ull, frame), BATON_INVALID_ARGUMENT);
    KEXPECT_OK(baton_tcb_set_ipc_buffer(t, 0, 0));
    KEXPECT_OK(baton_tcb_set_space(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0));
    // An unconfigured thread cannot be resumed.
    KEXPECT_ERR(baton_tcb_resume(env.make(BATON_OBJ_TCB)), BATON_ILLEGAL_OPERATION);
    // The configured thread holds copies: deleting the originals keeps the objects alive.
    KEXPECT_OK(baton_cnode_delete(root_cnode, frame, depth));
    KEXPECT_OK(baton_cnode_delete(root_cnode, ep, depth));
}

KTEST(tcb_notification_binding, "tcb: bind and unbind a notification, once each") {
    baton_cptr t = env.make(BATON_OBJ_TCB), t2 = env.make(BATON_OBJ_TCB), n = env.make(BATON_OBJ_NOTIFICATION);
    KEXPECT_ERR(baton_tcb_unbind_notification(t), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_tcb_bind_notification(t, root_cnode), BATON_INVALID_CAPABILITY);
    KEXPECT_OK(baton_tcb_bind_notification(t, n));
    KEXPECT_ERR(baton_tcb_bind_notification(t, n), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_tcb_bind_notification(t2, n), BATON_ILLEGAL_OPERATION);
    KEXPECT_OK(baton_tcb_unbind_notification(t));
    KEXPECT_OK(baton_tcb_bind_notification(t2, n));
    // Deleting the notification unbinds it.
    KEXPECT_OK(baton_cnode_delete(root_cnode, n, depth));
    KEXPECT_ERR(baton_tcb_unbind_notification(t2), BATON_ILLEGAL_OPERATION);
}
