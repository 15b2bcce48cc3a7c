// Notifications: Signal, Wait, Poll.
#include "notification.hpp"

#include "ipc.hpp"
#include "object.hpp"
#include "thread.hpp"

namespace kernel {

// Each takes the notification's lock; a signal that may end its bound
// thread's receive runs only with the kernel held exclusively (ipc.cpp).
void notification_signal(Notification& n, u64 badge) {
    Object_guard guard(n.lock, notification_lock_class);
    switch (n.state) {
    case Notification_state::Waiting: {
        Thread* t = n.queue.pop_front();
        if (n.queue.empty()) n.state = Notification_state::Idle;
        t->blocked_on = nullptr;
        ipc_complete(t->ctx, Error::Ok, badge);
        thread_make_ready(*t);
        return;
    }
    case Notification_state::Idle:
        // The bound thread, blocked in Recv on an endpoint, waits here too:
        // the signal ends its receive, with the badge and an empty message.
        if (Thread* b = n.bound; b && b->state == Thread_state::Blocked_recv) {
            thread_cancel_ipc(*b);
            b->ipc_reply_wanted = nullptr;
            ipc_complete(b->ctx, Error::Ok, badge);
            thread_make_ready(*b);
            return;
        }
        // Otherwise the signal is kept for the next Wait, Poll or Recv.
        n.word = badge;
        n.state = Notification_state::Active;
        return;
    case Notification_state::Active:
        n.word |= badge;
        return;
    }
}

bool notification_wait(Notification& n, Thread& t, u64& word) {
    Object_guard guard(n.lock, notification_lock_class);
    if (n.state == Notification_state::Active) {
        word = n.word;
        n.word = 0;
        n.state = Notification_state::Idle;
        return true;
    }
    thread_stop(t, Thread_state::Blocked_notification);
    t.blocked_on = &n;
    n.queue.push_back(&t);
    n.state = Notification_state::Waiting;
    return false;
}

u64 notification_poll(Notification& n) {
    Object_guard guard(n.lock, notification_lock_class);
    if (n.state != Notification_state::Active) return 0;
    u64 word = n.word;
    n.word = 0;
    n.state = Notification_state::Idle;
    return word;
}

}  // namespace kernel
