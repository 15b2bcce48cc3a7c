// arm64 constants: ELF machine and the address-space layout.
//
//   0x0000000000000000 - 0x00007fffffffffff  user (TTBR0_EL1, T0SZ = 16)
//   0xffff000000000000 - ...                 physmap: pa + physmap_base (TTBR1_EL1, T1SZ = 16)
//   0xffffffff80000000 - ...                 kernel image: pa - load base + kernel_image_base
// [ARM ARM D8.2 (Translation table walk), TCR_EL1.TxSZ]
#pragma once

#include "types.hpp"

namespace arch {
constexpr const char* name = "arm64";
constexpr u16 elf_machine = 183;  // EM_AARCH64
constexpr u64 physmap_base = 0xffff000000000000;
constexpr u64 user_top = 0x0000800000000000;
constexpr u64 kernel_image_base = 0xffffffff80000000;

// A spin-wait hint: lets a sibling hardware thread run while a lock spins.
inline void cpu_relax() { asm volatile("yield" ::: "memory"); }

}  // namespace arch
