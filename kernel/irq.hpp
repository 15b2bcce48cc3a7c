// Interrupts as capabilities: the kernel's table of device interrupts.
//
// IRQControl makes at most one IRQHandler capability tree per interrupt
// (the handler's word 1 holds the number); a handler routes deliveries to
// a notification and acknowledges them [seL4 reference manual 7].
//
// Per interrupt:
//   issued        an IRQHandler capability exists (IRQControl.Get until the
//                 last one is deleted)
//   awaiting_ack  delivered and masked at the controller until Ack
//   notification  a copy of the capability deliveries signal (with its
//                 badge); being a copy, it keeps the notification alive
//
//   not issued --get-->  issued, unmasked
//   unmasked   --interrupt-->  masked, awaiting_ack, notification signalled
//   awaiting_ack --ack-->  unmasked
//   issued     --last handler deleted-->  not issued, masked, no notification
//
// Numbers are the controller's: GIC INTIDs on arm64, GSIs on x86_64. The
// arch (arch.hpp, device interrupts) switches lines; everything else is
// here and portable.
#pragma once

#include "cspace.hpp"
#include "object.hpp"

namespace kernel {

// The table's size; arch::irq_count() is at most this.
constexpr u32 max_irqs = 1024;

// Forgets every interrupt's state (boot, and the unit tests).
void irq_init();

// The number of interrupts handlers can be asked for: arch::irq_count(),
// bounded by the table.
u32 irq_count();

// IRQControl.Get's checks and effect: a handler for irq into the empty
// slot dest, as a child of the IRQControl capability in control.
Kresult irq_issue(Slot* control, u64 irq, Slot* dest);
// IRQHandler.Ack.
Kresult irq_ack(u32 irq);
// IRQHandler.SetNotification: deliveries signal a copy of the capability
// in `notification` (a notification with the write right).
Kresult irq_set_notification(u32 irq, Slot* notification);
// IRQHandler.Clear.
void irq_clear(u32 irq);
// The last IRQHandler capability to irq is gone: masks the interrupt and
// hands back the notification copy's slot for the caller to delete.
void irq_finalise(u32 irq, Finalise_extra& extra);
// debug_irq_raise: makes irq pending, if a handler exists for it.
Kresult irq_debug_raise(u64 irq);

// Introspection for tests and diagnostics.
bool irq_issued(u32 irq);
bool irq_awaiting_ack(u32 irq);

}  // namespace kernel
