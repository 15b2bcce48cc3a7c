// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// Kernel-side system-call decoder: takes the arguments out of the saved
// user registers, calls the handler in namespace kernel::sys, and writes the
// error and results back. Include once, in kernel/syscall.cpp, after the
// handlers below are defined.
#pragma once

#include <baton/errors.h>
#include <baton/syscall_numbers.h>

namespace kernel::sys {

using baton::Error;

// What a handler returns: the error plus up to 3 result words.
struct Result {
    Error error = Error::Ok;
    u64 values[3] = {};
};

// Writes one byte to the kernel's debug console.
Result debug_put_char(arch::User_context& ctx, u64 c);
// Writes a user buffer to the kernel's debug console. The kernel reads the buffer through the caller's page tables and refuses unmapped or kernel addresses.
Result debug_write(arch::User_context& ctx, u64 buf, u64 len);
// Gives up the rest of the time slice to another runnable thread of the same priority.
Result yield(arch::User_context& ctx);
// Ends the calling thread. When the last thread ends, the kernel reports the status and halts the machine.
Result thread_exit(arch::User_context& ctx, u64 status);
// Reads the calling CPU's timer-interrupt counters.
Result debug_ticks(arch::User_context& ctx);
// Reads what a capability in the caller's CSpace names: its type, rights and type-specific word (badge, guard, watermark). For tests and debugging.
Result debug_cap_identify(arch::User_context& ctx, u64 cptr);
// Makes an interrupt pending as if its device had raised it, for tests: on arm64 through the GIC's set-pending register, on x86_64 by sending this CPU the vector the GSI is routed to (held back while the interrupt is masked). Refuses interrupts without an IRQ handler capability (illegal_operation) and numbers the platform does not have (range_error).
Result debug_irq_raise(arch::User_context& ctx, u64 irq);
// Does nothing and returns ok: the cost of entering and leaving the kernel, for the benchmark suite (syscall.null).
Result null(arch::User_context& ctx);
// Reads how many FP/SIMD traps the calling CPU has taken: FP/SIMD state is switched lazily, so a trap is taken only when a thread uses FP/SIMD while another thread's state is in the registers (or none is). For tests.
Result debug_fpu_traps(arch::User_context& ctx);
// Reads how many IPC system calls took the fastpath since boot (0 in a kernel built without it). For tests and benchmarks.
Result debug_ipc_stats(arch::User_context& ctx);
// Says which CPU the caller runs on: its index among the boot info's cpu_count CPUs. A thread runs only on the CPU its affinity (TCB SetAffinity) names, so the answer changes only when that does.
Result cpu_id(arch::User_context& ctx);
// Reads one kernel lock class's counters since boot: how often its locks were taken and how often a CPU found one taken and had to wait. Needs the IRQ control capability (authority over the machine). Classes: 0 the big lock (-Dkernel_lock=big kernels), 1 entries that waited for an exclusive holder, 2 the exclusive lock, 3 endpoint locks, 4 Reply object locks, 5 notification locks, 6 the console; others are range_error.
Result debug_lock_stats(arch::User_context& ctx, u64 authority, u64 lock_class);
// Sends a message to a capability and waits for the reply: an IPC Call on an endpoint, or an invocation of a kernel object (the reply's label is then the error code). Reads and writes the message registers itself.
void call(arch::User_context& ctx);
// Sends to a capability without waiting for a reply. On an endpoint (needs the write right; capabilities travel with the grant right): blocks until a receiver takes the message. On a Reply capability: answers the caller bound to it. On a notification (needs the write right): Signal, which ORs the capability's badge into the notification's word, or hands it to the first waiting thread. Reads and writes the message registers itself.
void send(arch::User_context& ctx);
// Receives from a capability, blocking until something arrives. On an endpoint (needs the read right): the next message, with the sender's badge; a Call received binds its caller to the Reply object `reply` (0: a Call is refused to its caller). On a notification (needs the read right; a notification bound to a thread serves that thread only): Wait, which returns the notification's word in the badge and clears it. A waiter whose object is deleted is woken with invalid_capability. Reads and writes the message registers itself.
void recv(arch::User_context& ctx);
// Like recv, without blocking: on an endpoint, badge 0 and an empty message when no sender waits; on a notification, Poll, which returns the word in the badge (0 if nothing was signalled) and clears it. Reads and writes the message registers itself.
void nb_recv(arch::User_context& ctx);
// A server's loop in one call: answers the caller bound to the Reply object `reply` with this message, then receives on the endpoint as recv does, binding the next Call to the same Reply object. Reads and writes the message registers itself.
void reply_recv(arch::User_context& ctx);
// Like send, without blocking: on an endpoint with no receiver waiting, the message is dropped. Reads and writes the message registers itself.
void nb_send(arch::User_context& ctx);

// A number no entry above has.
Result unknown_syscall(arch::User_context& ctx, u64 number);

// Decodes and runs the system call whose registers ctx holds.
inline void decode_syscall(arch::User_context& ctx) {
    Result r;
    unsigned results = 0;
    switch (ctx.syscall_number()) {
    case BATON_SYS_CALL:
        call(ctx);
        return;
    case BATON_SYS_SEND:
        send(ctx);
        return;
    case BATON_SYS_RECV:
        recv(ctx);
        return;
    case BATON_SYS_NB_RECV:
        nb_recv(ctx);
        return;
    case BATON_SYS_REPLY_RECV:
        reply_recv(ctx);
        return;
    case BATON_SYS_NB_SEND:
        nb_send(ctx);
        return;
    case BATON_SYS_DEBUG_PUT_CHAR:
        r = debug_put_char(ctx, ctx.syscall_arg(0));
        results = 0;
        break;
    case BATON_SYS_DEBUG_WRITE:
        r = debug_write(ctx, ctx.syscall_arg(0), ctx.syscall_arg(1));
        results = 0;
        break;
    case BATON_SYS_YIELD:
        r = yield(ctx);
        results = 0;
        break;
    case BATON_SYS_THREAD_EXIT:
        r = thread_exit(ctx, ctx.syscall_arg(0));
        results = 0;
        break;
    case BATON_SYS_DEBUG_TICKS:
        r = debug_ticks(ctx);
        results = 2;
        break;
    case BATON_SYS_DEBUG_CAP_IDENTIFY:
        r = debug_cap_identify(ctx, ctx.syscall_arg(0));
        results = 3;
        break;
    case BATON_SYS_DEBUG_IRQ_RAISE:
        r = debug_irq_raise(ctx, ctx.syscall_arg(0));
        results = 0;
        break;
    case BATON_SYS_NULL:
        r = null(ctx);
        results = 0;
        break;
    case BATON_SYS_DEBUG_FPU_TRAPS:
        r = debug_fpu_traps(ctx);
        results = 1;
        break;
    case BATON_SYS_DEBUG_IPC_STATS:
        r = debug_ipc_stats(ctx);
        results = 1;
        break;
    case BATON_SYS_CPU_ID:
        r = cpu_id(ctx);
        results = 1;
        break;
    case BATON_SYS_DEBUG_LOCK_STATS:
        r = debug_lock_stats(ctx, ctx.syscall_arg(0), ctx.syscall_arg(1));
        results = 2;
        break;
    default:
        r = unknown_syscall(ctx, ctx.syscall_number());
        break;
    }
    // Handlers that switch threads (thread_exit, yield) return results for
    // the caller's registers, which is where these land.
    ctx.set_syscall_result(0, static_cast<u64>(r.error));
    for (unsigned i = 0; i < results; ++i) ctx.set_syscall_result(i + 1, r.values[i]);
}

}  // namespace kernel::sys
