// Multiprocessor support in the core: the kernel's locks, remote wake-ups
// and requests between CPUs, and the secondary CPUs' entry into the
// scheduler (smp.hpp, kernel.hpp).
//
// Locking (fine, the default build):
//  - Every entry into the kernel marks its CPU inside (`in_kernel`, a word
//    of its own Per_cpu), and goes on if its `stop` is clear: a store, a
//    barrier and a load, no atomic read-modify-write, no cache line another
//    CPU writes. That is enough for IPC, signals, yields and the other
//    system calls that touch only the caller, the objects they name and the
//    run queue of their own CPU.
//  - Those objects carry their own locks, taken in one global order:
//    endpoint, then Reply object, then notification (ranks below; the
//    -Dlock_order_check build checks the order at run time). Run queues need none: only their CPU touches
//    them, other CPUs hand threads over through its lock-free inbox.
//  - Everything else (capability and object management, faults, device
//    interrupts, capability transfer, signals to a bound notification)
//    runs exclusively: the CPU takes the exclusive lock, sets every other
//    CPU's `stop` and waits until none is inside the kernel (each CPU
//    marks itself inside, `in_kernel`, before it reads `stop`; one that
//    finds it set steps out and waits, answering requests, until it is
//    clear). While the exclusive holder works, no other CPU is inside. A
//    call that finds out late that it needs this (a receive that meets a
//    capability transfer, a Call on a non-endpoint) has changed nothing
//    yet: it is dispatched again once the CPU holds the kernel
//    exclusively.
// Locking (big, -Dkernel_lock=big, the baseline): one lock for everything.
// Uniprocessor (-Dsmp=false): none.
//
// A CPU that needs something of another (take a thread off it) asks only
// while it holds the kernel exclusively (or the big lock); it interrupts
// the other CPU and waits. The asked CPU answers from wherever it is: in
// user mode or halted, the IPI brings it into kernel_enter(), which serves
// requests while it waits to get in. So no two CPUs wait for each other.
#include "smp.hpp"

#include "arch.hpp"
#include "config.hpp"
#include "fpu.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "sync.hpp"

namespace kernel {

u32 cpu_count = 1;  // CPUs online: set at boot (boot.cpp)

Lock_class big_lock_class{"kernel", 10};
Lock_class stop_class{"cpu.stopped", 10};        // entries that waited for an exclusive holder
Lock_class exclusive_lock_class{"exclusive", 10};
Lock_class endpoint_lock_class{"endpoint", 20};
Lock_class reply_lock_class{"reply", 25};
Lock_class notification_lock_class{"notification", 30};

// The classes debug_lock_stats reads, in its numbering (interface.toml).
extern Lock_class console_lock_class;
Lock_class* const lock_classes[] = {&big_lock_class,       &stop_class,          &exclusive_lock_class,
                                    &endpoint_lock_class,  &reply_lock_class,    &notification_lock_class,
                                    &console_lock_class};
const u32 lock_class_count = sizeof lock_classes / sizeof lock_classes[0];

}  // namespace kernel

// The big lock's word, named for the arm64 entry path (vectors.S).
extern "C" u32 baton_big_lock_word;
u32 baton_big_lock_word = 0;

namespace kernel {

namespace {

enum Held : u32 { held_none, held_read, held_exclusive, held_big };

u32 exclusive_word = 0;  // the exclusive lock
u32 secondaries_go = 0;  // the boot CPU has made the root task: schedule

Thread* from_link(Mpsc_node* n) {
    return reinterpret_cast<Thread*>(reinterpret_cast<char*>(n) - __builtin_offsetof(Thread, wake_link));
}

// This CPU's answer to a request another CPU is waiting for.
void serve_requests(Per_cpu& cpu) {
    if (__atomic_load_n(&cpu.call_pending, __ATOMIC_ACQUIRE)) {
        cpu.call_fn(cpu.call_args[0], cpu.call_args[1]);
        __atomic_store_n(&cpu.call_pending, 0, __ATOMIC_RELEASE);
    }
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
    if constexpr (!config::smp) return true;  // the only CPU: nothing to take
    Per_cpu& cpu = *arch::cpu_local();
    Thread* was = cpu.current;
    cpu.entry = u32(how);
    auto serve = [&cpu] { serve_requests(cpu); };
    if constexpr (config::big_lock) {
        if constexpr (check_lock_order) lock_order_acquire(big_lock_class);
        lock_word::take(baton_big_lock_word, big_lock_class, serve);
        cpu.lock_held = held_big;
    } else {
        // Inside, then `stop`, with a full barrier between: the exclusive
        // holder stores `stop`, then reads `in_kernel`, with one too. So
        // either it waits for this CPU or this CPU sees `stop` (and steps
        // out again until it is clear).
        for (;;) {
            __atomic_store_n(&cpu.in_kernel, 1, __ATOMIC_RELAXED);
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (!__atomic_load_n(&cpu.stop, __ATOMIC_ACQUIRE)) break;
            __atomic_store_n(&cpu.in_kernel, 0, __ATOMIC_RELEASE);
            __atomic_fetch_add(&stop_class.contended, 1, __ATOMIC_RELAXED);
            while (__atomic_load_n(&cpu.stop, __ATOMIC_ACQUIRE)) {
                serve();
                arch::cpu_relax();
            }
        }
        cpu.lock_held = held_read;
    }
    return cpu.current == was;
}

bool kernel_exclusive() {
    if constexpr (!config::smp) return true;
    Per_cpu& cpu = *arch::cpu_local();
    if (cpu.lock_held != held_read) return true;  // exclusive already, or the big lock
    Thread* was = cpu.current;
    // Between calls, holding no object lock: out of the kernel while it
    // waits for the exclusive lock, so that its holder does not wait for
    // this CPU (and answering its requests).
    __atomic_store_n(&cpu.in_kernel, 0, __ATOMIC_RELEASE);
    auto serve = [&cpu] { serve_requests(cpu); };
    if constexpr (check_lock_order) lock_order_acquire(exclusive_lock_class);
    lock_word::take(exclusive_word, exclusive_lock_class, serve);
    for (u32 i = 0; i < cpu_count; ++i)
        if (i != cpu.cpu_id) __atomic_store_n(&cpus[i].stop, 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    // Every other CPU leaves the kernel (or is out already) and stays out.
    for (u32 i = 0; i < cpu_count; ++i)
        if (i != cpu.cpu_id)
            while (__atomic_load_n(&cpus[i].in_kernel, __ATOMIC_ACQUIRE)) arch::cpu_relax();
    cpu.lock_held = held_exclusive;
    return cpu.current == was;
}

bool kernel_held_exclusively() { return !config::smp || arch::cpu_local()->lock_held != held_read; }

void kernel_exit() {
    if constexpr (!config::smp) return;
    Per_cpu& cpu = *arch::cpu_local();
    switch (cpu.lock_held) {
    case held_big:
        lock_word::give(baton_big_lock_word);
        if constexpr (check_lock_order) lock_order_release();
        break;
    case held_read: __atomic_store_n(&cpu.in_kernel, 0, __ATOMIC_RELEASE); break;
    case held_exclusive:
        for (u32 i = 0; i < cpu_count; ++i)
            if (i != cpu.cpu_id) __atomic_store_n(&cpus[i].stop, 0, __ATOMIC_RELEASE);
        lock_word::give(exclusive_word);
        if constexpr (check_lock_order) lock_order_release();
        break;
    default: panic("kernel_exit outside the kernel on cpu %u", cpu.cpu_id);
    }
    cpu.lock_held = held_none;
}

void want_exclusive() { arch::cpu_local()->retry_exclusive = true; }

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
        if (t->state != Thread_state::Ready) continue;  // stopped on its way: nothing to do
        if (t->affinity != cpu.cpu_id) wake_remote(*t);  // moved on its way: after it
        else if (!t->on_rq && cpu.current != t) cpu.rq.enqueue(t);
    }
}

void release_local(Thread& t, bool fpu) {
    Per_cpu& cpu = *arch::cpu_local();
    // On its way here (another CPU made it ready): queued first, so that
    // nothing of it stays behind in the inbox.
    if (__atomic_load_n(&t.in_inbox, __ATOMIC_ACQUIRE)) drain_inbox();
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

void smp_call_others(void (*fn)(u64, u64), u64 a, u64 b) {
    Per_cpu& me = *arch::cpu_local();
    if (me.lock_held == held_read) panic("smp_call_others without the kernel held exclusively");
    for (u32 i = 0; i < cpu_count; ++i) {
        Per_cpu& c = cpus[i];
        if (&c == &me || !__atomic_load_n(&c.scheduling, __ATOMIC_ACQUIRE)) continue;
        c.call_fn = fn;
        c.call_args[0] = a;
        c.call_args[1] = b;
        __atomic_store_n(&c.call_pending, 1, __ATOMIC_RELEASE);
        arch::send_ipi(i);
    }
    for (u32 i = 0; i < cpu_count; ++i)
        while (__atomic_load_n(&cpus[i].call_pending, __ATOMIC_ACQUIRE)) arch::cpu_relax();
}

void handle_ipi(bool from_user) {
    drain_inbox();
    if (from_user) schedule();
}

void release_secondaries() {
    __atomic_store_n(&arch::cpu_local()->scheduling, true, __ATOMIC_RELEASE);
    __atomic_store_n(&secondaries_go, 1, __ATOMIC_RELEASE);
}

void secondary_main() {
    while (!__atomic_load_n(&secondaries_go, __ATOMIC_ACQUIRE)) arch::cpu_relax();
    arch::timer_start(timer_hz);
    kernel_enter(Entry::Idle);
    __atomic_store_n(&arch::cpu_local()->scheduling, true, __ATOMIC_RELEASE);
    schedule();  // idles until a thread is made ready here
    arch::enter_user(arch::cpu_local()->user_ctx);
}

}  // namespace kernel
