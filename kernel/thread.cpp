// Threads and the per-CPU scheduler.
#include "thread.hpp"

#include "fpu.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "smp.hpp"
#include "vm.hpp"

namespace kernel {

Per_cpu cpus[max_cpus];

const char* describe(Thread_state s) {
    switch (s) {
    case Thread_state::Inactive: return "inactive";
    case Thread_state::Ready: return "ready";
    case Thread_state::Blocked_send: return "blocked sending";
    case Thread_state::Blocked_recv: return "blocked receiving";
    case Thread_state::Blocked_reply: return "waiting for a reply";
    case Thread_state::Blocked_notification: return "waiting on a notification";
    case Thread_state::Faulted: return "faulted";
    case Thread_state::Exited: return "exited";
    }
    return "?";
}

namespace {

Run_queue& rq() { return arch::cpu_local()->rq; }
u32 this_cpu() { return arch::cpu_local()->cpu_id; }

[[noreturn]] void idle() {
    Per_cpu* cpu = arch::cpu_local();
    cpu->current = nullptr;
    cpu->user_ctx = nullptr;
    // Said once, by the boot CPU: a system waiting for interrupts idles
    // all the time, and the other CPUs idle from the start.
    static bool said = false;
    if (!said && cpu->cpu_id == 0) {
        kprint("kernel: no runnable threads; idling with the timer running\n");
        said = true;
    }
    for (;;) {
        // Halted outside the kernel: interrupts (the timer, an IPI from a
        // CPU that made a thread ready here) end the wait.
        kernel_exit();
        arch::wait_for_interrupt();
        kernel_enter(Entry::Idle);
        drain_inbox();
        if (rq().highest()) {
            schedule();
            arch::enter_user(cpu->user_ctx);
        }
    }
}

void switch_to(Thread* t) {
    Per_cpu* cpu = arch::cpu_local();
    Thread* prev = cpu->current;
    if (!prev || prev->vspace_root != t->vspace_root) arch::vspace_activate(t->vspace_root, t->asid);
    fpu_switch(*cpu, t);
    cpu->current = t;
    cpu->user_ctx = &t->ctx;
    t->slice_left = time_slice_ticks;
}

void pick(bool yielding) {
    Per_cpu* cpu = arch::cpu_local();
    Thread* cur = cpu->current;
    Thread* best = rq().highest();
    bool cur_runnable = cur && cur->state == Thread_state::Ready;
    if (cur_runnable) {
        if (!best || best->priority < cur->priority || (best->priority == cur->priority && !yielding)) return;
        rq().enqueue(cur);
    } else if (cur) {
        cpu->current = nullptr;
        cpu->user_ctx = nullptr;
    }
    if (!best) idle();
    rq().remove(best);
    switch_to(best);
}

// t is queued or running on this CPU, or about to be (in its inbox).
bool here(const Thread& t) { return t.affinity == this_cpu(); }

// Whether CPU `c` holds anything of t: t queued there, running there, on
// its way there, or (with fpu) its FP/SIMD registers live there.
bool held_by(const Per_cpu& c, const Thread& t, bool fpu) {
    return t.on_rq || c.current == &t || __atomic_load_n(&t.in_inbox, __ATOMIC_ACQUIRE) || (fpu && c.fpu_owner == &t);
}

}  // namespace

void Run_queue::enqueue(Thread* t) {
    t->on_rq = true;
    queues[t->priority].push_back(t);
    bitmap[t->priority / 64] |= u64(1) << (t->priority % 64);
    summary |= u64(1) << (t->priority / 64);
    ++queued;
}

void Run_queue::remove(Thread* t) {
    t->on_rq = false;
    Thread_queue& q = queues[t->priority];
    q.remove(t);
    if (q.empty()) {
        bitmap[t->priority / 64] &= ~(u64(1) << (t->priority % 64));
        if (!bitmap[t->priority / 64]) summary &= ~(u64(1) << (t->priority / 64));
    }
    --queued;
}

Thread* Run_queue::highest() const {
    if (!summary) return nullptr;
    unsigned w = 63 - __builtin_clzll(summary);
    return queues[w * 64 + 63 - __builtin_clzll(bitmap[w])].head;
}

void Thread_queue::push_back(Thread* t) {
    t->q_next = nullptr;
    t->q_prev = tail;
    if (tail) tail->q_next = t;
    else head = t;
    tail = t;
}

void Thread_queue::remove(Thread* t) {
    if (t->q_prev) t->q_prev->q_next = t->q_next;
    else head = t->q_next;
    if (t->q_next) t->q_next->q_prev = t->q_prev;
    else tail = t->q_prev;
    t->q_prev = t->q_next = nullptr;
}

Thread* Thread_queue::pop_front() {
    Thread* t = head;
    if (t) remove(t);
    return t;
}

Thread* current_thread() { return arch::cpu_local()->current; }

baton_ipc_buffer* ipc_buffer_of(Thread& t) {
    const Cap& frame = t.slots[tcb_ipc_buffer].cap;
    if (t.ipc_buffer_va == 0) return nullptr;
    u64 size;
    switch (frame.type()) {
    case Cap_type::Frame4k: size = u64(1) << 12; break;
    case Cap_type::Frame2m: size = u64(1) << 21; break;
    default: return nullptr;
    }
    return static_cast<baton_ipc_buffer*>(phys_to_virt(frame.object() + (t.ipc_buffer_va & (size - 1))));
}


void thread_make_ready(Thread& t) {
    if (t.state == Thread_state::Ready) return;
    t.state = Thread_state::Ready;
    if (!here(t)) return wake_remote(t);
    if (arch::cpu_local()->current != &t && !t.on_rq) rq().enqueue(&t);
}

void thread_release(Thread& t, bool fpu) {
    if (!here(t)) {
        // A thread of another CPU that is not Ready is neither queued nor
        // running there (a stale inbox entry is dropped when drained):
        // only its FP/SIMD registers may be. So IPC, which stops only
        // blocked threads of other CPUs, never waits for another CPU.
        if (t.state != Thread_state::Ready && !fpu) return;
        Per_cpu& c = cpus[t.affinity];
        if (held_by(c, t, fpu)) release_remote(t);
        return;
    }
    release_local(t, fpu);
}

void thread_stop(Thread& t, Thread_state why) {
    thread_release(t, false);
    t.state = why;
}

void thread_stop_current(Thread_state why) {
    if (Thread* t = current_thread()) thread_stop(*t, why);
}

void thread_set_priority(Thread& t, u8 prio) {
    if (t.priority == prio) return;
    if (t.state != Thread_state::Ready) {
        t.priority = prio;
        return;
    }
    if (here(t)) {
        bool requeue = t.on_rq;
        if (requeue) rq().remove(&t);
        t.priority = prio;
        if (requeue) rq().enqueue(&t);
        return;
    }
    // Elsewhere: taken off its CPU and handed back, which then decides
    // afresh what runs.
    thread_release(t, false);
    t.priority = prio;
    t.state = Thread_state::Inactive;
    thread_make_ready(t);
}

void thread_inherit(Thread& t, u8 prio) {
    if (prio > t.priority) thread_set_priority(t, prio);
}

void thread_settle_priority(Thread& t) {
    u8 prio = t.base_priority;
    if (t.ipc_reply && t.ipc_reply->caller && t.ipc_reply->caller->priority > prio) prio = t.ipc_reply->caller->priority;
    thread_set_priority(t, prio);
}

void thread_fetch_context(Thread& t) {
    if (here(t) || cpus[t.affinity].current != &t) return;
    thread_release(t, false);
    t.state = Thread_state::Inactive;
    thread_make_ready(t);
}

void thread_set_affinity(Thread& t, u32 cpu) {
    if (t.affinity == cpu) return;
    bool ready = t.state == Thread_state::Ready;
    thread_release(t, true);
    t.affinity = u16(cpu);
    if (ready) {
        t.state = Thread_state::Inactive;
        thread_make_ready(t);
    }
}

void thread_switch_to(Thread& t) {
    Per_cpu* cpu = arch::cpu_local();
    Thread* cur = cpu->current;
    if (cur == &t) return;
    if (!here(t)) return thread_make_ready(t);
    Thread* best = rq().highest();
    bool cur_runnable = cur && cur->state == Thread_state::Ready;
    t.state = Thread_state::Ready;
    if ((best && best->priority > t.priority) || (cur_runnable && cur->priority > t.priority)) {
        if (!t.on_rq) rq().enqueue(&t);
        return;
    }
    if (t.on_rq) rq().remove(&t);
    if (cur_runnable) rq().enqueue(cur);
    switch_to(&t);
}

void thread_run_now(Thread& t) { switch_to(&t); }

bool ready_above(u8 prio) {
    Thread* best = rq().highest();
    return best && best->priority > prio;
}

bool ready_at_or_above(u8 prio) {
    Thread* best = rq().highest();
    return best && best->priority >= prio;
}

void schedule() { pick(false); }
void thread_yield() { pick(true); }

u32 live_threads() {
    u32 n = 0;
    for (u32 i = 0; i < cpu_count; ++i)
        n += cpus[i].rq.queued + (cpus[i].current ? 1 : 0) + __atomic_load_n(&cpus[i].inbox_count, __ATOMIC_ACQUIRE);
    return n;
}

void handle_timer_tick(bool from_user) {
    Per_cpu* cpu = arch::cpu_local();
    ++cpu->ticks;
    if (from_user) ++cpu->ticks_from_user;
    Thread* cur = cpu->current;
    if (cur && from_user && cur->slice_left && --cur->slice_left == 0) thread_yield();
    if (cpu->cpu_id == 0 && !cur && live_threads() == 0 && cpu->ticks % timer_hz == 0)
        kprint("kernel: heartbeat: %llu ticks, nothing to run\n", (unsigned long long)cpu->ticks);
}

}  // namespace kernel
