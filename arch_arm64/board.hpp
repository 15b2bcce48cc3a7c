// Selects the board description from the BATON_PLATFORM_* define
// (configs/meson.build). A board gives only what is needed before the
// device tree is parsed; everything else comes from the device tree.
// Usable from assembly (the macros) and C++ (board::Current).
#pragma once

// Virtual windows the boot code maps before C++ runs (start.S): the last
// four 2 MiB slots of the kernel image's 1 GiB (level-2 table entries
// 508-511 under kernel_image_base). Each shows the 2 MiB block around
// a physical address; they disappear with the final page tables.
#define EARLY_WINDOW_DTB 0xffffffffbf800000   /* 2 x 2 MiB: the device tree */
#define EARLY_WINDOW_POWER 0xffffffffbfc00000 /* the board's power-off device */
#define EARLY_WINDOW_UART 0xffffffffbfe00000  /* the board's early UART */
#define EARLY_WINDOW_FIRST_SLOT 508

#ifndef __ASSEMBLER__
#include "types.hpp"

namespace board {

constexpr u64 early_window_size = 2 * MiB;

// How the machine powers off before the device tree says otherwise.
enum class Power_off : u8 {
    Psci,              // PSCI SYSTEM_OFF; hvc if entered at EL1, smc if at EL2
    Bcm2711_watchdog,  // the PM block's watchdog with the halt partition
};

}  // namespace board
#endif

#if defined(BATON_PLATFORM_QEMU_VIRT_ARM64)
#include "board_qemu_virt.hpp"
#elif defined(BATON_PLATFORM_RPI4)
#include "board_rpi4.hpp"
#else
#error "arch_arm64: no board for this platform (BATON_PLATFORM_QEMU_VIRT_ARM64 or BATON_PLATFORM_RPI4)"
#endif
