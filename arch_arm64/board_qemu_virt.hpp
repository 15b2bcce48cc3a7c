// QEMU -M virt (cortex-a72): PL011 at 0x09000000; power off through PSCI.
#pragma once

#define BOARD_EARLY_UART_PA 0x09000000
#define BOARD_EARLY_POWER_PA 0x0 /* PSCI: no device */

#ifndef __ASSEMBLER__
namespace board {
struct Qemu_virt {
    static constexpr const char* platform_name = "qemu-virt-arm64";
    static constexpr u64 early_uart = BOARD_EARLY_UART_PA;
    static constexpr u64 early_power = BOARD_EARLY_POWER_PA;
    static constexpr Power_off power_off = Power_off::Psci;
};
using Current = Qemu_virt;

}  // namespace board
#endif
