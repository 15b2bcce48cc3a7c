// The arch interface: everything the portable core asks of the hardware.
//
// Each of arch_arm64/, arch_x86_64/ and the host stand-in (tests/host/)
// provides, in its include directory, the same three headers:
//   <arch/defs.hpp>     constants: page size, address-space layout, ELF machine
//   <arch/context.hpp>  struct User_context (saved user registers), Fpu_state
//                       (a thread's FP/SIMD registers) and Cpu_arch
//   <arch/pte.hpp>      struct Pte_format: the page-table entry encoding
// and implements the functions declared here. The core never tests
// __aarch64__ or __x86_64__; meson puts exactly one arch on the include path.
//
// In the other direction, kernel.hpp lists what the arch calls in the core.
#pragma once

#include "types.hpp"

#include <arch/context.hpp>
#include <arch/defs.hpp>
#include <arch/pte.hpp>

namespace kernel {
struct Per_cpu;
}

namespace arch {

// ---- console ----------------------------------------------------------
// Writes to the boot console (PL011, 16550). Polled; safe in any context.
void console_write(const char* s, usize n);

// ---- CPU ---------------------------------------------------------------
kernel::Per_cpu* cpu_local();

// Ends the machine: PSCI SYSTEM_OFF, the BCM2711 watchdog's halt, or the
// QEMU debug-exit port, then halts the CPU. The core has already printed why.
[[noreturn]] void power_off(bool success);

// Waits with interrupts enabled until one interrupt has been handled, then
// returns with interrupts disabled again (the kernel runs with them masked).
void wait_for_interrupt();

// Starts the secondary CPUs the platform describes, one at a time, each
// with a bounded wait: each comes up on its own kernel stack and Per_cpu
// (cpus[1], cpus[2], ... in the order they came up), the kernel's page
// tables, its vectors and interrupt controller interface, and then
// calls kernel::secondary_main() with interrupts masked. Returns how many
// CPUs are online, the boot CPU included. Called once by boot_main, before
// the timer starts.
u32 start_secondary_cpus();
// The hardware id firmware tables name online CPU `cpu` (< the count
// start_secondary_cpus returned) by: arm64 its MPIDR affinity as the
// device tree's cpu reg, x86_64 its local APIC id. Used to find its NUMA
// node.
u64 cpu_hw_id(u32 cpu);

// Interrupts CPU `cpu` (an index into kernel::cpus, online), which then
// calls kernel::handle_ipi(). Memory written before the call is visible
// to it by then. The kernel's own: never handed to user space.
void send_ipi(u32 cpu);

// ---- address spaces ----------------------------------------------------
// The kernel's own translation tables, set up by the arch during boot.
// Prepares a freshly zeroed user root table: on x86_64 copies the kernel
// half from the kernel's PML4; on arm64 (TTBR1 holds the kernel) nothing.
void vspace_init_root(u64* root_virt);
// Makes root_pa, tagged with asid, the user address space of this CPU
// (TTBR0 / CR3); root_pa 0 leaves the kernel alone mapped.
void vspace_activate(u64 root_pa, u64 asid);
// Invalidates the translation of one user page, or of a whole address
// space, tagged asid.
void tlb_flush_page(u64 asid, u64 vaddr);
void tlb_flush_asid(u64 asid);
// Makes page-table writes visible to the table walker before they are used.
void tables_changed();
// ASIDs (PCIDs) the hardware tags translations with: 1 .. asid_limit()-1.
u64 asid_limit();

// ---- user mode ---------------------------------------------------------
// Enters user mode with the registers in ctx (which the core has pointed
// cpu_local()->user_ctx at). Does not return: the next kernel entry comes
// through the exception vectors. Like every return to user mode, it
// releases the kernel lock (kernel::kernel_exit) as its last step before
// it restores the registers; every entry from user mode (and every
// interrupt taken in wait_for_interrupt) takes it (kernel::kernel_enter)
// before it calls into the core.
[[noreturn]] void enter_user(User_context* ctx);

// ---- FP/SIMD (switched lazily by the core: kernel/fpu.hpp) --------------
// The kernel never uses the FP/SIMD registers itself (-mgeneral-regs-only).
// Arms (true) or disarms (false) this CPU's trap on user FP/SIMD
// instructions (arm64 CPACR_EL1.FPEN, x86_64 CR0.TS); an armed trap calls
// kernel::handle_fpu_trap(). Armed at boot. Takes effect for user mode at
// the latest on the return to it.
void fpu_arm(bool trap);
// Copies this CPU's FP/SIMD registers to s, or loads them from s. Only
// with the trap disarmed.
void fpu_save(Fpu_state& s);
void fpu_load(const Fpu_state& s);

// ---- timer -------------------------------------------------------------
// Starts the per-CPU periodic timer interrupt at hz; each tick calls
// kernel::handle_timer_tick().
void timer_start(u32 hz);

// ---- device interrupts -------------------------------------------------
// IRQ numbers are the interrupt controller's: GIC INTIDs on arm64, I/O
// APIC GSIs on x86_64. The core keeps each interrupt's state (kernel/irq.hpp);
// the arch switches lines and, when one fires (other than the kernel's
// timer), calls kernel::handle_irq() with it still in service.
// Numbers below this may exist.
u32 irq_count();
// The kernel uses it itself (its timer, its console UART, arm64 SGIs), or,
// on x86_64, no I/O APIC serves that GSI: user space may not have it.
bool irq_reserved(u32 irq);
// Unmasks / masks irq at the controller.
void irq_enable(u32 irq);
void irq_disable(u32 irq);
// End of interrupt for irq, which is in service on this CPU.
void irq_end(u32 irq);
// Makes irq pending as its device would (debug_irq_raise); delivered as
// soon as it is unmasked and the CPU takes interrupts.
void irq_raise(u32 irq);

}  // namespace arch
