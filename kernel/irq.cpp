// Interrupts: the IRQ table, IRQControl and IRQHandler invocations, and
// the core's half of a device interrupt's delivery.
#include "irq.hpp"

#include "arch.hpp"
#include "invocation.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "notification.hpp"
#include "thread.hpp"

namespace kernel {
namespace {

struct Irq_line {
    bool issued = false;
    bool awaiting_ack = false;
};

Irq_line lines[max_irqs];
// Kept apart from the flags, which would otherwise pad each entry to a
// second 32-byte slot.
Slot notifications[max_irqs];  // empty: deliveries signal nothing

Failure<Error> out_of_range() {
    u32 n = irq_count();
    return fail(Error::RangeError, 0, n ? n - 1 : 0);
}

// What IRQControl.Get checks about the number itself.
Kresult check_free(u64 irq) {
    if (irq >= irq_count()) return out_of_range();
    if (arch::irq_reserved(u32(irq))) return fail(Error::IllegalOperation);
    if (lines[irq].issued) return fail(Error::RevokeFirst);
    return {};
}

}  // namespace

void irq_init() {
    for (u32 i = 0; i < max_irqs; ++i) {
        lines[i] = {};
        notifications[i].clear();
    }
}

u32 irq_count() { return min(arch::irq_count(), max_irqs); }

bool irq_issued(u32 irq) { return irq < max_irqs && lines[irq].issued; }
bool irq_awaiting_ack(u32 irq) { return irq < max_irqs && lines[irq].awaiting_ack; }

Kresult irq_issue(Slot* control, u64 irq, Slot* dest) {
    TRY(check_free(irq));
    if (!dest->empty()) return fail(Error::DeleteFirst);
    u32 n = u32(irq);
    lines[n].issued = true;
    lines[n].awaiting_ack = false;
    mdb_insert(control, dest, Cap::make(Cap_type::IrqHandler, 0, rights::all, 0, false, n), true, false);
    arch::irq_enable(n);
    return {};
}

Kresult irq_ack(u32 irq) {
    Irq_line& l = lines[irq];
    if (!l.awaiting_ack) return fail(Error::IllegalOperation);
    l.awaiting_ack = false;
    arch::irq_enable(irq);
    return {};
}

Kresult irq_set_notification(u32 irq, Slot* notification) {
    const Cap c = notification->cap;
    if (c.type() != Cap_type::Notification || !c.has(rights::write)) return fail(Error::InvalidCapability, 0);
    delete_slot(&notifications[irq]);
    mdb_insert(notification, &notifications[irq], c, false, false);
    return {};
}

void irq_clear(u32 irq) { delete_slot(&notifications[irq]); }

void irq_finalise(u32 irq, Finalise_extra& extra) {
    Irq_line& l = lines[irq];
    arch::irq_disable(irq);
    l.issued = l.awaiting_ack = false;
    if (!notifications[irq].empty()) extra.slots[extra.slot_count++] = &notifications[irq];
}

Kresult irq_debug_raise(u64 irq) {
    if (irq >= irq_count()) return out_of_range();
    if (!lines[irq].issued) return fail(Error::IllegalOperation);
    arch::irq_raise(u32(irq));
    return {};
}

// The arch calls this for every interrupt that is not the kernel's timer,
// with the interrupt still in service at the controller.
void handle_irq(u32 irq, bool from_user) {
    // Device interrupts change interrupt state and signal notifications
    // that may be bound: exclusively (smp.cpp).
    kernel_exclusive();
    arch::irq_disable(irq);
    if (irq < max_irqs && lines[irq].issued) {
        Irq_line& l = lines[irq];
        // One arriving while awaiting its ack slipped past the mask: it is
        // the same event, already reported.
        if (!l.awaiting_ack) {
            l.awaiting_ack = true;
            const Cap& n = notifications[irq].cap;
            if (!n.is_null()) notification_signal(*object_ptr<Notification>(n), n.badge());
        }
    } else {
        kprint("kernel: interrupt %u has no handler; masked\n", irq);
    }
    arch::irq_end(irq);
    // A woken thread may outrank the one interrupted. (From the idle loop,
    // the loop itself picks.)
    if (from_user) schedule();
}

namespace inv {

Kresult irq_control_get(Invocation& inv, u64 irq, Slot* root, u64 index, u64 depth) {
    TRY(check_free(irq));
    if (root->cap.type() != Cap_type::Cnode) return fail(Error::InvalidCapability, 0);
    if (depth < 1 || depth > 64) return fail(Error::RangeError, 1, 64);
    TRY_ASSIGN(dest, lookup_slot(root->cap, index, unsigned(depth)));
    return irq_issue(inv.slot, irq, dest);
}

Kresult irq_handler_ack(Invocation& inv) { return irq_ack(u32(inv.cap.word1())); }

Kresult irq_handler_set_notification(Invocation& inv, Slot* notification) {
    return irq_set_notification(u32(inv.cap.word1()), notification);
}

Kresult irq_handler_clear(Invocation& inv) {
    irq_clear(u32(inv.cap.word1()));
    return {};
}

}  // namespace inv
}  // namespace kernel
