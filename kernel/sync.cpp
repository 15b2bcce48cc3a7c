// Lock-order checking for kernel locks (-Dlock_order_check builds).
#include "sync.hpp"

#ifndef BATON_HOST_TEST
#include "arch.hpp"
#include "percpu.hpp"
#endif

namespace kernel {

namespace {
Lock_order_hook order_hook = nullptr;
}  // namespace

void set_lock_order_hook(Lock_order_hook hook) { order_hook = hook; }

// A lock may be taken only above every lock this CPU already holds.
void lock_order_acquire(const Lock_class& c) {
    Held_locks& h = held_locks();
    if (h.count && h.held[h.count - 1]->rank >= c.rank && order_hook) order_hook(*h.held[h.count - 1], c);
    if (h.count < Held_locks::max) h.held[h.count] = &c;
    ++h.count;
}

#ifndef BATON_HOST_TEST
Held_locks& held_locks() { return arch::cpu_local()->held_locks; }
#endif

void lock_order_release() {
    Held_locks& h = held_locks();
    if (h.count) --h.count;
}

}  // namespace kernel
