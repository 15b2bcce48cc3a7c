// Ending the machine: PSCI SYSTEM_OFF (QEMU virt), or on the BCM2711 the
// power manager's watchdog with the "halt" partition, which is how Linux's
// bcm2835_wdt powers off and which QEMU's raspi4b model turns into a
// shutdown (QEMU then exits).
#include "arch.hpp"
#include "board.hpp"
#include "cpu.hpp"

namespace arm64 {

using kernel::Psci_conduit;
namespace {

enum class Method : u8 { None, Psci_hvc, Psci_smc, Bcm2711_watchdog };

Method method = Method::None;
u64 pm_base = 0;  // virtual address of the PM block

// PSCI SYSTEM_OFF, SMC32 function ID [ARM DEN 0022 (PSCI) 5.1.9, 5.10].
constexpr u32 psci_system_off = 0x84000008;

// BCM2711 PM block: reset control, reset status, watchdog counter. Every
// write carries the password in bits [31:24]. RSTS bits 0, 2, 4, 6, 8, 10
// encode the partition the firmware boots next; all six set (63) asks it
// to halt. RSTC.WRCFG = full reset arms the reset when WDOG runs out
// (ticks of 1/65536 s).
constexpr u64 pm_rstc = 0x1c;
constexpr u64 pm_rsts = 0x20;
constexpr u64 pm_wdog = 0x24;
constexpr u32 pm_password = 0x5a000000;
constexpr u32 rsts_partition_mask = 0xfff;
constexpr u32 rsts_halt_partition = 0x555;
constexpr u32 rstc_wrcfg_mask = 0x30;
constexpr u32 rstc_wrcfg_full_reset = 0x20;

void psci_system_off_call(bool smc) {
    register u64 x0 asm("x0") = psci_system_off;
    if (smc) asm volatile("smc #0" : "+r"(x0)::"x1", "x2", "x3", "memory");
    else asm volatile("hvc #0" : "+r"(x0)::"x1", "x2", "x3", "memory");
}

void bcm2711_watchdog_halt() {
    u32 rsts = mmio_read32(pm_base + pm_rsts) & 0x00ffffff & ~rsts_partition_mask;
    mmio_write32(pm_base + pm_rsts, pm_password | rsts | rsts_halt_partition);
    mmio_write32(pm_base + pm_wdog, pm_password | 10);
    u32 rstc = mmio_read32(pm_base + pm_rstc) & 0x00ffffff & ~rstc_wrcfg_mask;
    mmio_write32(pm_base + pm_rstc, pm_password | rstc | rstc_wrcfg_full_reset);
}

}  // namespace

// Before the device tree: the board's method. PSCI's conduit follows the
// entry level: entered at EL2, nothing below EL3 answers an hvc.
void power_init_early(u64 entry_el) {
    if (board::Current::power_off == board::Power_off::Psci) {
        method = entry_el >= 2 ? Method::Psci_smc : Method::Psci_hvc;
    } else {
        method = Method::Bcm2711_watchdog;
        pm_base = EARLY_WINDOW_POWER + (board::Current::early_power & (board::early_window_size - 1));
    }
}

// After the final page tables: what the device tree says.
void power_init(const kernel::Fdt_devices& dev) {
    if (dev.psci == Psci_conduit::Hvc) {
        method = Method::Psci_hvc;
    } else if (dev.psci == Psci_conduit::Smc) {
        method = Method::Psci_smc;
    } else if (dev.power.size) {
        method = Method::Bcm2711_watchdog;
        pm_base = physmap(dev.power.base);
    }
}

const char* power_method() {
    switch (method) {
    case Method::Psci_hvc: return "PSCI (hvc)";
    case Method::Psci_smc: return "PSCI (smc)";
    case Method::Bcm2711_watchdog: return "BCM2711 watchdog";
    case Method::None: break;
    }
    return "none";
}

}  // namespace arm64

void arch::power_off(bool) {
    asm volatile("msr daifset, #0xf" ::: "memory");
    switch (arm64::method) {
    case arm64::Method::Psci_hvc: arm64::psci_system_off_call(false); break;
    case arm64::Method::Psci_smc: arm64::psci_system_off_call(true); break;
    case arm64::Method::Bcm2711_watchdog: arm64::bcm2711_watchdog_halt(); break;
    case arm64::Method::None: break;
    }
    // SYSTEM_OFF does not return; the watchdog fires within ~150 us.
    for (;;) asm volatile("wfi");
}
