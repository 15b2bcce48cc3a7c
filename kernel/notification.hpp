// Notifications: a word of signal bits and a queue of threads waiting for
// it [seL4 reference manual 5]. Signal ORs a badge into the word or hands
// it to the first waiter; Wait takes the word (blocking while there is
// none); Poll takes it without blocking.
//
//   Idle    --signal(b)-->  Active, word = b
//   Active  --signal(b)-->  Active, word |= b
//   Active  --wait/poll-->  Idle: the word is returned and cleared
//   Idle    --wait------->  Waiting: the thread is queued
//   Waiting --wait------->  Waiting: queued behind the others
//   Waiting --signal(b)-->  the first waiter gets b; Idle once none is left
//
// The word is non-zero only while Active (a badge-0 signal makes the state
// Active with word 0: a Wait then returns at once with 0).
#pragma once

#include "object.hpp"

namespace kernel {

// Signals n with `badge`. A woken waiter gets the badge in its registers
// and becomes ready; the caller schedules.
void notification_signal(Notification& n, u64 badge);

// Wait by thread t (the current thread). Returns true with the word in
// `word` if n was Active; otherwise stops t (Blocked_notification), queues
// it on n and returns false: the signal that wakes it writes its results.
bool notification_wait(Notification& n, Thread& t, u64& word);

// Poll: the word (0 if n was not Active), which is cleared.
u64 notification_poll(Notification& n);

}  // namespace kernel
