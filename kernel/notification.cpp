// Notifications: Signal, Wait, Poll.
#include "notification.hpp"

#include "ipc.hpp"
#include "thread.hpp"

namespace kernel {

void notification_signal(Notification& n, u64 badge) {
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
        // A bound thread blocked in Recv on an endpoint also waits here;
        // waking it comes with endpoint IPC. Until then, and whenever the
        // bound thread is doing something else, the signal is kept.
        n.word = badge;
        n.state = Notification_state::Active;
        return;
    case Notification_state::Active:
        n.word |= badge;
        return;
    }
}

bool notification_wait(Notification& n, Thread& t, u64& word) {
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
    if (n.state != Notification_state::Active) return 0;
    u64 word = n.word;
    n.word = 0;
    n.state = Notification_state::Idle;
    return word;
}

}  // namespace kernel
