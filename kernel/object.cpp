// Kernel objects: creation in retyped memory and finalisation.
#include "object.hpp"

#include <new>

#include "endpoint.hpp"
#include "fpu.hpp"
#include "ipc.hpp"
#include "irq.hpp"
#include "log.hpp"
#include "string.hpp"
#include "thread.hpp"
#include "vm.hpp"
#include "vspace_obj.hpp"

namespace kernel {

template <class T> T* object_ptr(const Cap& c) { return static_cast<T*>(phys_to_virt(c.object())); }
template Thread* object_ptr<Thread>(const Cap&);
template Endpoint* object_ptr<Endpoint>(const Cap&);
template Notification* object_ptr<Notification>(const Cap&);
template Reply* object_ptr<Reply>(const Cap&);

void init_object(Cap_type t, u64 pa, unsigned) {
    void* p = phys_to_virt(pa);
    switch (t) {
    case Cap_type::Tcb: {
        auto* th = new (p) Thread();
        kstr::copy(th->name, sizeof th->name, "thread", 6);
        break;
    }
    case Cap_type::Endpoint: new (p) Endpoint(); break;
    case Cap_type::Notification: new (p) Notification(); break;
    case Cap_type::Reply: new (p) Reply(); break;
    case Cap_type::Vspace: arch::vspace_init_root(static_cast<u64*>(p)); break;
    default: break;  // zeroed memory is a valid empty CNode, frame or table
    }
}

namespace {

// Wakes every thread queued on q: their operation (an IPC-kind system
// call) fails with invalid_capability.
void cancel_all(Thread_queue& q) {
    while (Thread* t = q.pop_front()) {
        t->blocked_on = nullptr;
        ipc_complete(t->ctx, Error::InvalidCapability);
        thread_make_ready(*t);
    }
}

void finalise_tcb(Thread* t, Finalise_extra& extra) {
    endpoint_cancel(*t);
    thread_stop(*t, Thread_state::Inactive);
    fpu_release(*t);
    if (t->bound_notification) {
        t->bound_notification->bound = nullptr;
        t->bound_notification = nullptr;
    }
    for (unsigned i = 0; i < tcb_slot_count; ++i)
        if (!t->slots[i].empty()) extra.slots[extra.slot_count++] = &t->slots[i];
}

}  // namespace

void thread_cancel_ipc(Thread& t) {
    switch (t.state) {
    case Thread_state::Blocked_send:
    case Thread_state::Blocked_recv: {
        auto* ep = static_cast<Endpoint*>(t.blocked_on);
        ep->queue.remove(&t);
        if (ep->queue.empty()) ep->state = Endpoint_state::Idle;
        break;
    }
    case Thread_state::Blocked_notification: {
        auto* n = static_cast<Notification*>(t.blocked_on);
        n->queue.remove(&t);
        if (n->queue.empty()) n->state = Notification_state::Idle;
        break;
    }
    case Thread_state::Blocked_reply: {
        auto* r = static_cast<Reply*>(t.blocked_on);
        if (r && r->caller == &t) r->caller = nullptr;
        break;
    }
    default: break;
    }
    t.blocked_on = nullptr;
    t.fault_pending = false;  // a restarted thread faults afresh if it must
}

void capability_removed(const Cap& c) {
    if (c.type() == Cap_type::Frame4k || c.type() == Cap_type::Frame2m) vspace_finalise(c);
}

void finalise_object(const Cap& c, Finalise_extra& extra) {
    switch (c.type()) {
    case Cap_type::Tcb: finalise_tcb(object_ptr<Thread>(c), extra); break;
    case Cap_type::Endpoint: {
        Endpoint* ep = object_ptr<Endpoint>(c);
        cancel_all(ep->queue);
        ep->state = Endpoint_state::Idle;
        break;
    }
    case Cap_type::Notification: {
        Notification* n = object_ptr<Notification>(c);
        cancel_all(n->queue);
        n->state = Notification_state::Idle;
        if (n->bound) {
            n->bound->bound_notification = nullptr;
            n->bound = nullptr;
        }
        break;
    }
    case Cap_type::Reply: reply_abandon(*object_ptr<Reply>(c)); break;
    case Cap_type::Frame4k:
    case Cap_type::Frame2m:
    case Cap_type::PageTable:
    case Cap_type::Vspace:
    case Cap_type::AsidPool: vspace_finalise(c); break;
    case Cap_type::IrqHandler: irq_finalise(u32(c.word1()), extra); break;
    default: break;
    }
}

}  // namespace kernel
