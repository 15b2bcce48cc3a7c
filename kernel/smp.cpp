// Multiprocessor support in the core: the kernel lock, remote wake-ups and
// requests between CPUs, and the secondary CPUs' entry into the scheduler
// (smp.hpp, kernel.hpp).
//
// Locking: one kernel lock serialises the kernel's objects; each CPU's run
// queue and inbox are its own. The lock is taken on every entry from user
// mode and for every interrupt that ends an idle wait, and dropped before
// user mode resumes or the CPU halts. A CPU that needs something of
// another (take a thread off it) asks while holding the lock, interrupts
// it and waits; the asked CPU answers from wherever it is: in user mode or
// halted the IPI brings it into kernel_enter(), which serves requests
// while it waits for the lock. Only the holder asks, so two CPUs never wait
// for each other.
#include "smp.hpp"

#include "arch.hpp"
#include "fpu.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "sync.hpp"

namespace kernel {

u32 cpu_count = 1;  // CPUs online: set at boot (boot.cpp)
Lock_class kernel_lock_class{"kernel", 100};

namespace {

Spinlock kernel_lock{kernel_lock_class};
u32 secondaries_go = 0;  // the boot CPU has made the root task: schedule

Thread* from_link(Mpsc_node* n) {
    return reinterpret_cast<Thread*>(reinterpret_cast<char*>(n) - __builtin_offsetof(Thread, wake_link));
}

// This CPU's answer to a request another CPU is waiting for.
void serve_requests(Per_cpu& cpu) {
    Thread* t = __atomic_load_n(&cpu.release_request, __ATOMIC_ACQUIRE);
    if (!t) return;
    drain_inbox();
    // Taken away in the middle of entering the kernel for a system call:
    // it makes the call again when it next runs.
    if (cpu.current == t && cpu.entry == u32(Entry::Syscall)) t->ctx.restart_syscall();
    release_local(*t, true);
    __atomic_store_n(&cpu.release_request, nullptr, __ATOMIC_RELEASE);
}

}  // namespace

bool kernel_enter(Entry how) {
    Per_cpu& cpu = *arch::cpu_local();
    Thread* was = cpu.current;
    cpu.entry = u32(how);
    kernel_lock.lock([&cpu] { serve_requests(cpu); });
    return cpu.current == was;
}

void kernel_exit() { kernel_lock.unlock(); }

void wake_remote(Thread& t) {
    if (__atomic_exchange_n(&t.in_inbox, 1, __ATOMIC_ACQ_REL)) return;
    Per_cpu& c = cpus[t.affinity];
    __atomic_fetch_add(&c.inbox_count, 1, __ATOMIC_RELAXED);
    c.inbox.push(&t.wake_link);
    arch::send_ipi(t.affinity);
}

void drain_inbox() {
    Per_cpu& cpu = *arch::cpu_local();
    while (Mpsc_node* n = cpu.inbox.pop()) {
        Thread* t = from_link(n);
        __atomic_fetch_sub(&cpu.inbox_count, 1, __ATOMIC_RELAXED);
        __atomic_store_n(&t->in_inbox, 0, __ATOMIC_RELEASE);
        if (t->state == Thread_state::Ready && t->affinity == cpu.cpu_id && !t->on_rq && cpu.current != t)
            cpu.rq.enqueue(t);
    }
}

void release_local(Thread& t, bool fpu) {
    Per_cpu& cpu = *arch::cpu_local();
    if (t.on_rq) cpu.rq.remove(&t);
    if (cpu.current == &t) {
        cpu.current = nullptr;
        cpu.user_ctx = nullptr;
    }
    if (fpu && cpu.fpu_owner == &t) {
        if (!cpu.fpu_enabled) arch::fpu_arm(false);
        arch::fpu_save(t.fpu);
        cpu.fpu_owner = nullptr;
        arch::fpu_arm(true);
        cpu.fpu_enabled = false;
    }
}

void release_remote(Thread& t) {
    Per_cpu& c = cpus[t.affinity];
    __atomic_store_n(&c.release_request, &t, __ATOMIC_RELEASE);
    arch::send_ipi(t.affinity);
    while (__atomic_load_n(&c.release_request, __ATOMIC_ACQUIRE)) arch::cpu_relax();
}

void handle_ipi(bool from_user) {
    drain_inbox();
    if (from_user) schedule();
}

void release_secondaries() { __atomic_store_n(&secondaries_go, 1, __ATOMIC_RELEASE); }

void secondary_main() {
    while (!__atomic_load_n(&secondaries_go, __ATOMIC_ACQUIRE)) arch::cpu_relax();
    arch::timer_start(timer_hz);
    kernel_enter(Entry::Idle);
    schedule();  // idles until a thread is made ready here
    arch::enter_user(arch::cpu_local()->user_ctx);
}

}  // namespace kernel
