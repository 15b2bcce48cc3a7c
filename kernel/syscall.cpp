// System-call handlers. The decoder that calls them is generated from
// codegen/interface.toml (syscall_decode.hpp in the build directory).
#include "arch.hpp"
#include "endpoint.hpp"
#include "fpu.hpp"
#include "irq.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "thread.hpp"
#include "vm.hpp"

#include "syscall_decode.hpp"

namespace kernel {
namespace sys {

constexpr u64 debug_write_max = 4096;

Result debug_put_char(arch::User_context&, u64 c) {
    char ch = char(c & 0xff);
    bool locked = console_lock();
    arch::console_write(&ch, 1);
    console_unlock(locked);
    return {};
}

Result debug_write(arch::User_context&, u64 buf, u64 len) {
    if (len > debug_write_max) return {Error::InvalidArgument, {1}};
    Thread* t = arch::cpu_local()->current;
    char chunk[256];
    bool locked = console_lock();
    for (u64 done = 0; done < len;) {
        u64 n = min<u64>(sizeof chunk, len - done);
        if (!copy_from_user(t->vspace_root, chunk, buf + done, n)) {
            console_unlock(locked);
            return {Error::BadAddress, {0}};
        }
        arch::console_write(chunk, n);
        done += n;
    }
    console_unlock(locked);
    return {};
}

Result yield(arch::User_context&) {
    thread_yield();
    return {};
}

Result thread_exit(arch::User_context&, u64 status) {
    Thread* t = arch::cpu_local()->current;
    t->exit_status = status;
    kprint("kernel: thread '%s' exited with status %llu\n", t->name, (unsigned long long)status);
    fpu_thread_exited(*t);
    thread_stop_current(Thread_state::Exited);
    if (live_threads() == 0) {
        Per_cpu* cpu = arch::cpu_local();
        kprint("kernel: no threads left after %llu timer ticks (%llu from user mode); halting\n",
               (unsigned long long)cpu->ticks, (unsigned long long)cpu->ticks_from_user);
        arch::power_off(status == 0);
    }
    schedule();
    return {};
}

Result debug_ticks(arch::User_context&) {
    Per_cpu* cpu = arch::cpu_local();
    return {Error::Ok, {cpu->ticks, cpu->ticks_from_user}};
}

Result debug_fpu_traps(arch::User_context&) { return {Error::Ok, {arch::cpu_local()->fpu_traps}}; }

Result debug_cap_identify(arch::User_context&, u64 cptr) {
    Thread* t = arch::cpu_local()->current;
    auto found = lookup_cap(t->slots[tcb_cspace].cap, cptr);
    if (!found) return {Error::FailedLookup, {found.detail(), found.detail2()}};
    const Cap& c = (*found)->cap;
    u64 word = c.word1();
    if (c.type() == Cap_type::Cnode) word = c.guard_bits() | (c.guard() << 6);
    return {Error::Ok, {u64(c.type()), c.rights(), word}};
}

Result debug_irq_raise(arch::User_context&, u64 irq) {
    Kresult r = irq_debug_raise(irq);
    return {r ? Error::Ok : r.error(), {}};
}

// The benchmark suite's syscall.null: only the way in and out.
Result null(arch::User_context&) { return {}; }

Result debug_ipc_stats(arch::User_context&) { return {Error::Ok, {fastpath_hits()}}; }

Result cpu_id(arch::User_context&) { return {Error::Ok, {arch::cpu_local()->cpu_id}}; }

// Lock counters are about the whole machine: the IRQ control capability,
// the authority over it, must be shown.
Result debug_lock_stats(arch::User_context&, u64 authority, u64 index) {
    Thread* t = arch::cpu_local()->current;
    auto found = lookup_cap(t->slots[tcb_cspace].cap, authority);
    if (!found) return {found.error(), {found.detail(), found.detail2()}};
    if ((*found)->cap.type() != Cap_type::IrqControl) return {Error::InvalidCapability, {0}};
    if (index >= lock_class_count) return {Error::RangeError, {0, lock_class_count - 1}};
    const Lock_class& c = *lock_classes[index];
    return {Error::Ok, {__atomic_load_n(&c.acquired, __ATOMIC_RELAXED), __atomic_load_n(&c.contended, __ATOMIC_RELAXED)}};
}

Result unknown_syscall(arch::User_context& ctx, u64 number) {
    Thread* t = arch::cpu_local()->current;
    const u64 words[4] = {ctx.pc(), ctx.sp(), number, 0};
    if (fault_deliver(*t, BATON_FAULT_UNKNOWN_SYSCALL, words)) return {Error::InvalidSyscall, {}};
    kprint("kernel: thread '%s' made unknown system call %llu at pc %#llx\n", t->name,
           (unsigned long long)number, (unsigned long long)ctx.pc());
    return {Error::InvalidSyscall, {}};
}

}  // namespace sys

namespace {

// System calls that may run beside other CPUs' (smp.cpp): IPC and signals
// without capability transfer, and those that touch only the caller.
bool runs_shared(const arch::User_context& ctx) {
    switch (ctx.syscall_number()) {
    case BATON_SYS_SEND:
    case BATON_SYS_NB_SEND:
    case BATON_SYS_CALL:
    case BATON_SYS_REPLY_RECV: return baton_msginfo_extra_caps(ctx.syscall_arg(1)) == 0;
    case BATON_SYS_RECV:
    case BATON_SYS_NB_RECV:
    case BATON_SYS_YIELD:
    case BATON_SYS_NULL:
    case BATON_SYS_CPU_ID:
    case BATON_SYS_DEBUG_TICKS:
    case BATON_SYS_DEBUG_FPU_TRAPS:
    case BATON_SYS_DEBUG_IPC_STATS:
    case BATON_SYS_DEBUG_PUT_CHAR:
    case BATON_SYS_DEBUG_WRITE:
    case BATON_SYS_DEBUG_CAP_IDENTIFY:
    case BATON_SYS_DEBUG_LOCK_STATS: return true;
    default: return false;
    }
}

// The decoder; again with the kernel held exclusively if the call asks.
void decode(arch::User_context& ctx) {
    sys::decode_syscall(ctx);
    Per_cpu* cpu = arch::cpu_local();
    if (cpu->retry_exclusive) {
        cpu->retry_exclusive = false;
        if (!kernel_exclusive()) return schedule();
        sys::decode_syscall(ctx);
    }
    // The call may have stopped the caller or readied someone more urgent.
    Thread* cur = arch::cpu_local()->current;
    if (!cur || cur->state != Thread_state::Ready || ready_above(cur->priority)) schedule();
}

}  // namespace

void handle_syscall(arch::User_context& ctx) {
    if (!runs_shared(ctx) && !kernel_exclusive()) return schedule();
    if (fastpath(ctx)) return;
    decode(ctx);
}

void handle_syscall_slow(arch::User_context& ctx) {
    if (!runs_shared(ctx) && !kernel_exclusive()) return schedule();
    decode(ctx);
}

}  // namespace kernel
