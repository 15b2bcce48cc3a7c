// The IPC-kind system calls (codegen/interface.toml, kind = "ipc"): Call,
// Send, Recv and NBRecv. They share one register convention: capability
// pointer, message info and message words 0-7 in; badge, message info and
// message words 0-7 out. Notifications answer Send (Signal), Recv (Wait)
// and NBRecv (Poll); endpoints will answer all of them once message
// passing arrives; Call on other objects is an invocation (invocation.cpp).
#pragma once

#include <arch/context.hpp>

#include "cspace.hpp"

namespace kernel {

// Writes the outcome of an IPC-kind system call into a thread's result
// registers: `badge`, then the message info whose label is the error code
// (no words on success); on an error, message words 0 and 1 carry its
// details. Also used for a thread woken with an error (its object deleted).
void ipc_complete(arch::User_context& ctx, Error e, u64 badge = 0, u64 d0 = 0, u64 d1 = 0);

}  // namespace kernel
