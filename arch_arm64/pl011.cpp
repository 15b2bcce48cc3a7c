// PL011 UART console: polled transmit only [ARM PL011 TRM DDI 0183, 3.3].
#include "arch.hpp"
#include "cpu.hpp"

namespace arm64 {
namespace {

constexpr u64 uartdr = 0x00;
constexpr u64 uartfr = 0x18;
constexpr u64 uartlcr_h = 0x2c;
constexpr u64 uartcr = 0x30;
constexpr u64 uartimsc = 0x38;

constexpr u32 fr_txff = 1u << 5;     // transmit FIFO full
constexpr u32 lcr_h_fen = 1u << 4;   // FIFOs on
constexpr u32 lcr_h_wlen8 = 3u << 5; // 8 data bits
constexpr u32 cr_uarten = 1u << 0;
constexpr u32 cr_txe = 1u << 8;
constexpr u32 cr_rxe = 1u << 9;

// Virtual address of the UART's registers; 0 = no console (output dropped).
u64 base;

void put(char c) {
    while (mmio_read32(base + uartfr) & fr_txff) {}
    mmio_write32(base + uartdr, u8(c));
}

}  // namespace

void console_set_base(u64 va) { base = va; }

// Enables the transmitter if the loader left it off. The baud rate stays
// as the firmware set it (QEMU ignores it).
void console_init() {
    if (!base) return;
    mmio_write32(base + uartimsc, 0);
    u32 cr = mmio_read32(base + uartcr);
    if ((cr & (cr_uarten | cr_txe)) == (cr_uarten | cr_txe)) return;
    mmio_write32(base + uartcr, 0);
    mmio_write32(base + uartlcr_h, lcr_h_fen | lcr_h_wlen8);
    mmio_write32(base + uartcr, cr_uarten | cr_txe | cr_rxe);
}

}  // namespace arm64

void arch::console_write(const char* s, usize n) {
    if (!arm64::base) return;
    for (usize i = 0; i < n; ++i) {
        if (s[i] == '\n') arm64::put('\r');
        arm64::put(s[i]);
    }
}
