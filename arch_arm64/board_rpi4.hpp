// Raspberry Pi 4 (BCM2711; QEMU -M raspi4b): PL011 UART0 at 0xfe201000,
// power off through the PM block's watchdog at 0xfe100000.
#pragma once

#define BOARD_EARLY_UART_PA 0xfe201000
#define BOARD_EARLY_POWER_PA 0xfe100000

#ifndef __ASSEMBLER__
namespace board {
struct Rpi4 {
    static constexpr const char* platform_name = "rpi4";
    static constexpr u64 early_uart = BOARD_EARLY_UART_PA;
    static constexpr u64 early_power = BOARD_EARLY_POWER_PA;
    static constexpr Power_off power_off = Power_off::Bcm2711_watchdog;
};
using Current = Rpi4;

}  // namespace board
#endif
