// The boot console: a polled 16550 UART, COM1 or the first COM port that
// answers [PC16550D datasheet].
#include "arch.hpp"
#include "log.hpp"
#include "x86.hpp"

namespace x86_64 {
namespace {

// The legacy COM port addresses, in the order they are tried. Many UEFI
// PCs have none of them: then the console stays silent and boot goes on.
constexpr u16 com_ports[] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};
constexpr u32 com_count = sizeof com_ports / sizeof com_ports[0];

// Register offsets: with DLAB (LCR bit 7) set, 0 and 1 are the divisor.
constexpr u16 thr = 0, ier = 1, dll = 0, dlm = 1, fcr = 2, lcr = 3, mcr = 4, lsr = 5, msr = 6, scr = 7;
constexpr u8 lsr_thre = 1 << 5;  // transmit holding register empty
constexpr u8 mcr_rts = 1 << 1, mcr_out2 = 1 << 3, mcr_loop = 1 << 4;
constexpr u8 msr_cts = 1 << 4, msr_dcd = 1 << 7;
constexpr u32 uart_clock_divisor = 1;  // 1.8432 MHz / 16 / 1 = 115200 baud
// Bounded wait per byte, so that a UART that stops draining (or vanishes)
// costs a bounded delay, never a hang.
constexpr u32 max_spins = 100000;

u16 port = 0;  // the console's base port; 0: none, output is dropped

// A 16550 is there if its scratch register holds what was written and its
// loopback mode reflects the modem-control outputs in the modem status
// (RTS -> CTS, OUT2 -> DCD) [PC16550D 8.6.5, 8.6.9]. An absent port reads
// 0xff on LPC, which fails both.
bool uart_present(u16 base) {
    if (inb(base + lsr) == 0xff) return false;
    constexpr u8 patterns[] = {0x5a, 0xa5};
    for (u8 v : patterns) {
        outb(base + scr, v);
        if (inb(base + scr) != v) return false;
    }
    u8 saved_mcr = inb(base + mcr);
    outb(base + mcr, mcr_loop | mcr_out2 | mcr_rts);
    bool loops = (inb(base + msr) & 0xf0) == (msr_cts | msr_dcd);
    outb(base + mcr, saved_mcr);
    return loops;
}

void put(u8 c) {
    for (u32 i = 0; i < max_spins && !(inb(port + lsr) & lsr_thre); ++i) asm volatile("pause");
    outb(port + thr, c);
}

}  // namespace

void uart_init() {
    u32 com = 0;
    port = 0;
    while (com < com_count && !uart_present(com_ports[com])) ++com;
    if (com == com_count) return;
    port = com_ports[com];
    outb(port + ier, 0x00);   // no interrupts: the console is polled
    outb(port + lcr, 0x80);   // DLAB: reach the divisor latch
    outb(port + dll, uart_clock_divisor & 0xff);
    outb(port + dlm, uart_clock_divisor >> 8);
    outb(port + lcr, 0x03);   // 8 data bits, no parity, 1 stop bit; DLAB off
    outb(port + fcr, 0xc7);   // FIFOs on and cleared, 14-byte trigger
    outb(port + mcr, 0x03);   // DTR, RTS; OUT2 off keeps the IRQ line quiet
    if (com != 0) kernel::kprint("\nx86_64: no UART at COM1; console on COM%u (%#x)", com + 1, port);
}

// COM1 and COM3 share ISA IRQ 4, COM2 and COM4 IRQ 3.
int uart_isa_irq() {
    if (port == 0) return -1;
    return port == 0x3f8 || port == 0x3e8 ? 4 : 3;
}

}  // namespace x86_64

namespace arch {

// "\n" goes out as "\r\n", as serial terminals expect.
void console_write(const char* s, usize n) {
    if (!x86_64::port) return;
    for (usize i = 0; i < n; ++i) {
        if (s[i] == '\n') x86_64::put('\r');
        x86_64::put(u8(s[i]));
    }
}

}  // namespace arch
