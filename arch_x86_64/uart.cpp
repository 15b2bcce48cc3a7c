// The boot console: a polled 16550 UART on COM1 [PC16550D datasheet].
#include "arch.hpp"
#include "x86.hpp"

namespace x86_64 {
namespace {

constexpr u16 com1 = 0x3f8;
// Register offsets: with DLAB (LCR bit 7) set, 0 and 1 are the divisor.
constexpr u16 thr = 0, ier = 1, dll = 0, dlm = 1, fcr = 2, lcr = 3, mcr = 4, lsr = 5;
constexpr u8 lsr_thre = 1 << 5;  // transmit holding register empty
constexpr u32 uart_clock_divisor = 1;  // 1.8432 MHz / 16 / 1 = 115200 baud
// Bounded wait per byte: with no UART at 0x3f8 the port reads 0xff (THRE
// set) and output is simply lost; a wedged UART costs a bounded delay.
constexpr u32 max_spins = 100000;

void put(u8 c) {
    for (u32 i = 0; i < max_spins && !(inb(com1 + lsr) & lsr_thre); ++i) asm volatile("pause");
    outb(com1 + thr, c);
}

}  // namespace

void uart_init() {
    outb(com1 + ier, 0x00);   // no interrupts: the console is polled
    outb(com1 + lcr, 0x80);   // DLAB: reach the divisor latch
    outb(com1 + dll, uart_clock_divisor & 0xff);
    outb(com1 + dlm, uart_clock_divisor >> 8);
    outb(com1 + lcr, 0x03);   // 8 data bits, no parity, 1 stop bit; DLAB off
    outb(com1 + fcr, 0xc7);   // FIFOs on and cleared, 14-byte trigger
    outb(com1 + mcr, 0x03);   // DTR, RTS; OUT2 off keeps the IRQ line quiet
}

}  // namespace x86_64

namespace arch {

// "\n" goes out as "\r\n", as serial terminals expect.
void console_write(const char* s, usize n) {
    for (usize i = 0; i < n; ++i) {
        if (s[i] == '\n') x86_64::put('\r');
        x86_64::put(u8(s[i]));
    }
}

}  // namespace arch
