// Threads and the per-CPU scheduler.
#include "thread.hpp"

#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"

namespace kernel {

Per_cpu cpus[max_cpus];

namespace {

// This CPU's run queue: current first, then the ready threads in order.
struct Run_queue {
    Thread* head = nullptr;
    Thread* tail = nullptr;
    u32 length = 0;

    void push(Thread* t) {
        t->next = nullptr;
        if (tail) tail->next = t;
        else head = t;
        tail = t;
        ++length;
    }
    Thread* pop() {
        Thread* t = head;
        if (!t) return nullptr;
        head = t->next;
        if (!head) tail = nullptr;
        t->next = nullptr;
        --length;
        return t;
    }
};

Run_queue run_queue;  // becomes per-CPU with SMP bring-up

[[noreturn]] void idle() {
    Per_cpu* cpu = arch::cpu_local();
    cpu->current = nullptr;
    cpu->user_ctx = nullptr;
    kprint("kernel: no runnable threads; idling with the timer running\n");
    for (;;) {
        arch::wait_for_interrupt();
        if (run_queue.head) {
            schedule();
            arch::enter_user(arch::cpu_local()->user_ctx);
        }
    }
}

void switch_to(Thread* t) {
    Per_cpu* cpu = arch::cpu_local();
    Thread* prev = cpu->current;
    if (!prev || prev->vspace_root != t->vspace_root) arch::vspace_activate(t->vspace_root);
    cpu->current = t;
    cpu->user_ctx = &t->ctx;
    t->slice_left = time_slice_ticks;
}

}  // namespace

void thread_start(Thread& t) {
    t.state = Thread_state::Ready;
    run_queue.push(&t);
}

void schedule() {
    Thread* next = run_queue.pop();
    if (!next) {
        if (arch::cpu_local()->current == nullptr) idle();
        return;
    }
    // The running thread is not queued: put it back behind the next one.
    Thread* cur = arch::cpu_local()->current;
    if (cur && cur->state == Thread_state::Ready) run_queue.push(cur);
    switch_to(next);
}

void thread_yield() {
    if (run_queue.head) schedule();
}

void thread_stop_current(Thread_state why) {
    Per_cpu* cpu = arch::cpu_local();
    Thread* cur = cpu->current;
    if (cur) cur->state = why;
    cpu->current = nullptr;
    cpu->user_ctx = nullptr;
}

u32 live_threads() {
    return run_queue.length + (arch::cpu_local()->current ? 1 : 0);
}

void handle_timer_tick(bool from_user) {
    Per_cpu* cpu = arch::cpu_local();
    ++cpu->ticks;
    if (from_user) ++cpu->ticks_from_user;
    Thread* cur = cpu->current;
    if (cur && from_user && cur->slice_left && --cur->slice_left == 0) thread_yield();
    if (!cur && live_threads() == 0 && cpu->ticks % timer_hz == 0)
        kprint("kernel: heartbeat: %llu ticks, nothing to run\n", (unsigned long long)cpu->ticks);
}

}  // namespace kernel
