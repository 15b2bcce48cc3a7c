// Host stand-in for <arch/defs.hpp>: lets the portable core build and run
// in the unit tests. Addresses are those of the test's fake memory.
#pragma once

#include "types.hpp"

namespace arch {
constexpr const char* name = "host";
constexpr u16 elf_machine = 62;  // the unit tests load x86-64 ELF fixtures
constexpr u64 physmap_base = 0;  // fake physical memory is host memory
constexpr u64 user_top = 0x0000800000000000;

// A spin-wait hint: lets a sibling hardware thread run while a lock spins.
inline void cpu_relax() { asm volatile("" ::: "memory"); }

}  // namespace arch
