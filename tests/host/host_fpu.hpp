// The host stand-in's FP/SIMD unit (arch_host.cpp): a few registers, the
// trap switch, and counts of what the core asked of it. reset() also puts
// this CPU's FP/SIMD bookkeeping (Per_cpu) back to its state at boot.
#pragma once

#include <arch/context.hpp>

#include "types.hpp"

namespace host_fpu {
extern arch::Fpu_state live;  // the "registers"
extern bool armed;            // arch::fpu_arm's last word (armed at boot)
extern u32 arms, saves, loads;

void reset();
// The running thread's user FP/SIMD instruction: traps first
// (kernel::handle_fpu_trap) when armed, as the hardware would, then
// returns the live registers for the instruction to use. *trapped (when
// given) says whether it trapped.
arch::Fpu_state& use(bool* trapped = nullptr);
}  // namespace host_fpu
