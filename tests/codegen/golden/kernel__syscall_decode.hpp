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
// Sends a message to a capability and waits for the reply: an IPC Call on an endpoint, or an invocation of a kernel object (the reply's label is then the error code). Reads and writes the message registers itself.
void call(arch::User_context& ctx);

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
