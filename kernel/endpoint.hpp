// Endpoints: synchronous message passing [seL4 reference manual 4].
//
// A sender and a receiver meet at an endpoint; whoever comes first waits
// on the endpoint's queue. The message (label, up to 120 words: 0-7 from
// registers, the rest from the IPC buffer, and up to three capabilities
// when the sender may grant) is copied straight from the sender to the
// receiver, with the badge of the sender's capability.
//
// Call is Send plus waiting for the answer: the receiver names a Reply
// object in its Recv, the kernel binds the caller to it, and a Send on the
// Reply capability (or ReplyRecv) answers. A Call on an endpoint hands the
// CPU straight to the receiver when it may run now: the baton.
//
// Faults travel the same way: a faulting thread Calls its fault endpoint
// with a fault message, and the handler's reply restarts it.
#pragma once

#include "object.hpp"
#include "thread.hpp"

namespace kernel {

enum class Send_kind : u8 { Send, Nb_send, Call };

// Whether `sender` can send the message its registers describe: at most
// 120 words and 3 capabilities, and an IPC buffer when words beyond the 8
// in registers or capabilities come along. Checked before any send, call
// or reply; the error (InvalidArgument, argument 1 being the message info)
// goes back to the sender and nothing is sent.
Kresult check_message(Thread& sender);

// A send on `ep` by the current thread `sender` through a capability with
// `badge` and `rights`. Completes the sender's system call when the
// message is delivered or dropped; otherwise the sender blocks.
void endpoint_send(Endpoint& ep, Thread& sender, u64 badge, u8 rights, Send_kind kind);

// A receive on `ep` by `receiver` (the current thread). `reply` is the
// Reply object a Call binds (may be null: a Call received without one is
// answered at once with an error). `blocking` false: return at once when
// no sender waits.
void endpoint_receive(Endpoint& ep, Thread& receiver, Reply* reply, bool blocking);

// Answers the caller bound to `reply` with the message in the current
// thread's registers; no caller: nothing happens. Returns the error for
// the replier.
Error reply_send(Reply& reply, Thread& replier);

// Delivers a fault of `faulter` (the current thread) to its fault
// endpoint as a Call. False if it has none (the caller then stops it).
bool fault_deliver(Thread& faulter, u64 label, const u64 words[4]);

// A Reply object going away (or reused): a caller still bound to it gets
// an error (a faulting caller stops), instead of waiting for ever.
void reply_abandon(Reply& r);

// Takes `t` off an endpoint queue or out of a reply binding (its IPC is
// abandoned), and answers any caller waiting on a reply t holds with an
// error: no one else can answer it now.
void endpoint_cancel(Thread& t);

}  // namespace kernel
