// An invocation in progress: the capability invoked, the message that came
// with it (words in registers and the IPC buffer, extra capabilities looked
// up in the caller's CSpace) and the reply being built.
#pragma once

#include <baton/ipc.h>

#include "cspace.hpp"
#include "thread.hpp"

namespace kernel {

struct Invocation {
    Thread& caller;
    arch::User_context& ctx;
    baton_ipc_buffer* buffer;  // caller's IPC buffer, may be null
    Slot* slot;                // the invoked capability's slot
    Cap cap;
    u64 label = 0;
    u32 length = 0;            // message words available
    u32 extra_caps = 0;        // extra capabilities looked up
    Slot* extra[BATON_MSG_MAX_EXTRA_CAPS] = {};
    u32 result_length = 0;

    // Message word i (i < length).
    u64 mr(unsigned i) const { return i < BATON_MSG_REGISTERS ? ctx.syscall_arg(2 + i) : buffer->msg[i]; }
    void set_result(unsigned i, u64 v);
    // The caller's CSpace root capability.
    const Cap& cspace() const { return caller.slots[tcb_cspace].cap; }
};

}  // namespace kernel
