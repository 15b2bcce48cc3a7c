// ktest: notifications: Signal, Wait and Poll (send, recv, nb_recv), their
// rights, wrong capabilities, waking a blocked thread, deletion of a
// notification with a waiter, and bound notifications.
#include <baton/user_context.h>

#include "ktest.hpp"

using namespace ktest;

namespace {

constexpr uint64_t stack_words = 512;
uint64_t helper_stack[stack_words] __attribute__((aligned(16)));

// What the helper thread does, and what it saw.
enum class Job : uint64_t { Signal, Wait };
volatile uint64_t helper_done;
volatile uint64_t helper_error;
volatile uint64_t helper_word;

extern "C" [[noreturn]] void helper_main(uint64_t job, uint64_t cptr) {
    uint64_t word = 0;
    baton_error e = Job(job) == Job::Signal ? baton_signal(cptr) : baton_wait(cptr, &word);
    helper_error = e;
    helper_word = word;
    helper_done = 1;
    baton_thread_exit(0);
}

// A thread in the root task's spaces, at the root task's priority, that
// will run helper_main(job, cptr) once resumed.
baton_cptr make_helper(Env& env, Job job, baton_cptr cptr) {
    helper_done = 0;
    helper_error = ~0ull;
    helper_word = 0;
    baton_cptr t = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0));
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, 255));
    KEXPECT_OK(baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(&helper_main), (uint64_t)&helper_stack[stack_words],
                                   uint64_t(job), cptr, 0));
    return t;
}

// A badged copy of notification n with `rights`.
baton_cptr badged(Env& env, baton_cptr n, uint64_t badge, uint64_t rights = 15) {
    baton_cptr s = env.slot();
    KEXPECT_OK(baton_cnode_mint(root_cnode, s, depth, root_cnode, n, depth, rights, badge));
    return s;
}

}  // namespace

KTEST(notification_signal_poll, "notification: signals OR their badges into the word; poll takes it") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr a = badged(env, n, 0x1), b = badged(env, n, 0x4);
    uint64_t word = 99;
    KEXPECT_OK(baton_poll(n, &word));
    KEXPECT_EQ(word, 0);
    KEXPECT_OK(baton_signal(a));
    KEXPECT_OK(baton_signal(b));
    KEXPECT_OK(baton_signal(a));
    KEXPECT_OK(baton_poll(a, &word));
    KEXPECT_EQ(word, 0x5);
    KEXPECT_OK(baton_poll(n, &word));
    KEXPECT_EQ(word, 0);
}

KTEST(notification_wait_signalled, "notification: wait returns at once when signalled, and clears the word") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr a = badged(env, n, 0x80);
    KEXPECT_OK(baton_signal(a));
    uint64_t word = 0;
    KEXPECT_OK(baton_wait(n, &word));
    KEXPECT_EQ(word, 0x80);
    KEXPECT_OK(baton_poll(n, &word));
    KEXPECT_EQ(word, 0);
}

KTEST(notification_wait_blocks, "notification: wait blocks until another thread signals") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr a = badged(env, n, 0x200);
    baton_cptr t = make_helper(env, Job::Signal, a);
    KEXPECT_OK(baton_tcb_resume(t));
    // Nothing signalled yet: the helper only runs once this thread blocks.
    uint64_t word = 0;
    KEXPECT_OK(baton_wait(n, &word));
    KEXPECT_EQ(word, 0x200);
    for (int i = 0; i < 10 && !helper_done; ++i) baton_yield();
    KEXPECT_EQ(helper_done, 1);
    KEXPECT_EQ(helper_error, BATON_OK);
}

KTEST(notification_waiter_woken, "notification: a waiting thread is woken with the signaller's badge") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr t = make_helper(env, Job::Wait, n);
    KEXPECT_OK(baton_tcb_resume(t));
    baton_yield();  // the helper runs and blocks
    KEXPECT_EQ(helper_done, 0);
    KEXPECT_OK(baton_signal(badged(env, n, 0x11)));
    for (int i = 0; i < 10 && !helper_done; ++i) baton_yield();
    KEXPECT_EQ(helper_done, 1);
    KEXPECT_EQ(helper_error, BATON_OK);
    KEXPECT_EQ(helper_word, 0x11);
}

KTEST(notification_deleted_wakes, "notification: deleting it wakes a waiter with invalid_capability") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr t = make_helper(env, Job::Wait, n);
    KEXPECT_OK(baton_tcb_resume(t));
    baton_yield();
    KEXPECT_EQ(helper_done, 0);
    KEXPECT_OK(baton_cnode_delete(root_cnode, n, depth));
    for (int i = 0; i < 10 && !helper_done; ++i) baton_yield();
    KEXPECT_EQ(helper_done, 1);
    KEXPECT_ERR(helper_error, BATON_INVALID_CAPABILITY);
    KEXPECT_EQ(helper_word, 0);
}

KTEST(notification_rights, "notification: signal needs the write right, wait and poll the read right") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr ro = badged(env, n, 0x2, 1), wo = badged(env, n, 0x2, 2);
    uint64_t word = 0;
    KEXPECT_ERR(baton_signal(ro), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_wait(wo, &word), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_poll(wo, &word), BATON_ILLEGAL_OPERATION);
    KEXPECT_OK(baton_signal(wo));
    KEXPECT_OK(baton_poll(ro, &word));
    KEXPECT_EQ(word, 0x2);
}

KTEST(notification_wrong_caps, "send, recv, nb_recv: endpoints are IPC, other objects have none") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), tcb = env.make(BATON_OBJ_TCB), empty = env.slot();
    uint64_t word = 7;
    // On an endpoint, a poll is a non-blocking receive: nobody sends, nothing comes.
    KEXPECT_OK(baton_poll(ep, &word));
    KEXPECT_EQ(word, 0);
    KEXPECT_ERR(baton_signal(tcb), BATON_INVALID_CAPABILITY);
    KEXPECT_ERR(baton_wait(tcb, &word), BATON_INVALID_CAPABILITY);
    KEXPECT_ERR(baton_poll(root_cnode, &word), BATON_INVALID_CAPABILITY);
    KEXPECT_ERR(baton_signal(empty), BATON_FAILED_LOOKUP);
    KEXPECT_ERR(baton_wait(empty, &word), BATON_FAILED_LOOKUP);
}

KTEST(notification_bound, "notification: one bound to another thread is that thread's to receive on") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION), t = env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_bind_notification(t, n));
    uint64_t word = 0;
    KEXPECT_ERR(baton_poll(n, &word), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_wait(n, &word), BATON_ILLEGAL_OPERATION);
    // Signalling a bound notification whose thread is not waiting keeps the signal.
    KEXPECT_OK(baton_signal(badged(env, n, 0x8)));
    KEXPECT_OK(baton_tcb_unbind_notification(t));
    KEXPECT_OK(baton_poll(n, &word));
    KEXPECT_EQ(word, 0x8);
    // Bound to this thread, it is this thread's.
    KEXPECT_OK(baton_tcb_bind_notification(BATON_CAP_INIT_TCB, n));
    KEXPECT_OK(baton_signal(badged(env, n, 0x10)));
    KEXPECT_OK(baton_wait(n, &word));
    KEXPECT_EQ(word, 0x10);
    KEXPECT_OK(baton_tcb_unbind_notification(BATON_CAP_INIT_TCB));
}

KTEST(notification_waiter_deleted, "notification: a thread deleted while waiting leaves the queue") {
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr t = make_helper(env, Job::Wait, n);
    KEXPECT_OK(baton_tcb_resume(t));
    baton_yield();  // the helper blocks in wait
    KEXPECT_EQ(helper_done, 0);
    KEXPECT_OK(baton_cnode_delete(root_cnode, t, depth));
    // With no waiter left, a signal stays in the word for the next poll.
    KEXPECT_OK(baton_signal(badged(env, n, 0x4)));
    uint64_t word = 0;
    KEXPECT_OK(baton_poll(n, &word));
    KEXPECT_EQ(word, 0x4);
    KEXPECT_EQ(helper_done, 0);
}
