// The host stand-in's interrupt controller (arch_host.cpp): 64 lines, of
// which `timer` and `uart` are the kernel's. A raise latches until the
// line is enabled and the test calls take_interrupts(), which delivers
// like a CPU that unmasks interrupts: kernel::handle_irq per line.
#pragma once

#include "types.hpp"

namespace host_irq {
constexpr u32 timer = 30;
constexpr u32 uart = 33;
extern u32 count;       // arch::irq_count()
extern bool enabled[64];
extern bool pending[64];
extern u32 ends;        // arch::irq_end() calls

void reset();
// Delivers every pending, enabled line; returns how many.
u32 take_interrupts(bool from_user = false);
}  // namespace host_irq
