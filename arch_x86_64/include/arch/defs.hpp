// x86_64 constants: address-space layout and ELF machine.
#pragma once

#include "types.hpp"

namespace arch {

constexpr const char* name = "x86_64";
constexpr u16 elf_machine = 62;  // EM_X86_64

// Every RAM range is mapped at physmap_base + pa (PML4 slot 256, the first
// slot of the canonical upper half) [Intel SDM 3A 4.5].
constexpr u64 physmap_base = 0xffff800000000000;
// User space: the whole canonical lower half.
constexpr u64 user_top = 0x0000800000000000;
// The kernel image runs at kernel_image_base + its physical address (PML4
// slot 511, PDPT slots 510-511), where -mcmodel=kernel expects it.
constexpr u64 kernel_image_base = 0xffffffff80000000;


// A spin-wait hint: lets a sibling hardware thread run while a lock spins.
inline void cpu_relax() { asm volatile("pause" ::: "memory"); }

}  // namespace arch
