// x86_64 private helpers: port and MSR access, control registers, CPUID,
// and the interfaces between the arch_x86_64 files.
#pragma once

#include "acpi.hpp"
#include "kernel.hpp"
#include "platform.hpp"
#include "types.hpp"

namespace x86_64 {

// ---- instructions ---------------------------------------------------------
inline void outb(u16 port, u8 v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
inline void outl(u16 port, u32 v) { asm volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
inline u8 inb(u16 port) {
    u8 v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

inline u64 rdmsr(u32 msr) {
    u32 lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return u64(hi) << 32 | lo;
}
inline void wrmsr(u32 msr, u64 v) { asm volatile("wrmsr" ::"c"(msr), "a"(u32(v)), "d"(u32(v >> 32)) : "memory"); }

struct Cpuid {
    u32 eax, ebx, ecx, edx;
};
inline Cpuid cpuid(u32 leaf, u32 subleaf = 0) {
    Cpuid r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

inline u64 read_cr0() { u64 v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline u64 read_cr2() { u64 v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline u64 read_cr3() { u64 v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline u64 read_cr4() { u64 v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void write_cr0(u64 v) { asm volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
inline void write_cr3(u64 v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline void write_cr4(u64 v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }

[[noreturn]] inline void halt_forever() {
    for (;;) asm volatile("cli; hlt");
}

// ---- architectural numbers --------------------------------------------------
// MSRs [SDM 4 Table 2-2].
constexpr u32 msr_apic_base = 0x1b;
constexpr u32 msr_efer = 0xc0000080;
constexpr u32 msr_star = 0xc0000081;
constexpr u32 msr_lstar = 0xc0000082;
constexpr u32 msr_cstar = 0xc0000083;
constexpr u32 msr_fmask = 0xc0000084;
constexpr u32 msr_fs_base = 0xc0000100;
constexpr u32 msr_gs_base = 0xc0000101;
constexpr u32 msr_kernel_gs_base = 0xc0000102;

constexpr u64 efer_sce = u64(1) << 0;   // SYSCALL/SYSRET enable
constexpr u64 efer_nxe = u64(1) << 11;  // execute-disable bit enable

constexpr u64 cr0_mp = u64(1) << 1, cr0_em = u64(1) << 2, cr0_ts = u64(1) << 3, cr0_ne = u64(1) << 5;
constexpr u64 cr0_wp = u64(1) << 16;
constexpr u64 cr4_pge = u64(1) << 7, cr4_osfxsr = u64(1) << 9, cr4_osxmmexcpt = u64(1) << 10;
constexpr u64 cr4_pcide = u64(1) << 17, cr4_osxsave = u64(1) << 18;
// Whether CR4.PCIDE is on: CR3's low 12 bits then tag the address space.
extern bool pcid_enabled;
}  // namespace x86_64
// vspace.cpp, also read by fastpath.S: the kernel's page-table root, the
// ASID bits CR3 carries (0xfff with PCIDs, else 0), and CR3 bit 63 where
// switches keep the incoming PCID's translations (else 0).
extern "C" u64 x86_kernel_root_pa, x86_cr3_pcid_mask, x86_cr3_no_flush;
namespace x86_64 {

constexpr u64 rflags_tf = u64(1) << 8, rflags_if = u64(1) << 9, rflags_df = u64(1) << 10;
constexpr u64 rflags_nt = u64(1) << 14, rflags_ac = u64(1) << 18;

// Interrupt vectors. 0-31 are the exceptions; the 8259s are moved to
// 0x20-0x2f (and masked) so that their spurious IRQ 7/15 cannot be taken
// for an exception.
constexpr u8 vector_pic_base = 0x20;
constexpr u8 vector_timer = 0x30;
// GSI g arrives on vector_irq_base + g (ioapic.cpp); 0xf0-0xfe stay free.
constexpr u8 vector_irq_base = 0x40;
constexpr u32 max_gsis = 0xf0 - vector_irq_base;
constexpr u8 vector_ipi = 0xf0;       // arch::send_ipi
constexpr u8 vector_spurious = 0xff;  // low nibble all ones: required by old APICs

// Interrupt stack table slots (1-based, as in the IDT gate).
constexpr u8 ist_double_fault = 1, ist_nmi = 2, ist_machine_check = 3;

// ---- interfaces between the arch files ------------------------------------------
// uart.cpp
void uart_init();
// The console's ISA IRQ (its line is the kernel's), or -1 without one.
int uart_isa_irq();

// cpu.cpp: descriptor tables, per-CPU pointer, SYSCALL MSRs.
void cpu_init_boot(u32 cpu_id);
// A secondary CPU's: its GDT and TSS (kernel stack stack_top), GS base,
// the shared IDT, control registers.
void cpu_init_secondary(u32 cpu_id, u64 stack_top);
void syscall_init();

// trap.cpp
// The general registers of ring-0 code interrupted by an exception, then
// the vector, the error code and the CPU's IRETQ frame (entry.S).
struct Kernel_frame {
    u64 rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss;
};

// apic.cpp: 8259 PICs, local APIC, APIC timer calibrated against the
// HPET at hpet_pa (0: none) or else the PIT.
void pic_disable();
void lapic_init(u64 lapic_pa, u64 hpet_pa);
void lapic_eoi();
bool lapic_in_service(u8 vector);
u32 lapic_id();
// A fixed interrupt with `vector` to the CPU with `apic_id`.
void lapic_send_fixed(u32 apic_id, u8 vector);
// Sends `vector` to this CPU (an edge-triggered fixed interrupt).
void lapic_self_ipi(u8 vector);
// A secondary CPU's local APIC: enabled, every local source masked.
void lapic_init_secondary();
// INIT and Start-Up IPIs to the CPU with this (8-bit) APIC id.
void lapic_send_init(u32 apic_id);
void lapic_send_startup(u32 apic_id, u8 vector);
// Busy waits on the masked APIC timer (only before arch::timer_start).
void lapic_timeout_start(u32 us);
bool lapic_timeout_expired();
void lapic_delay_us(u32 us);

// smp.cpp: picks and reserves the start-up page below 1 MiB and lists the
// MADT's other CPUs (after lapic_init, before vspace_build_kernel);
// smp_start starts them and returns how many CPUs are online.
void smp_prepare(kernel::Platform_info& info, const kernel::Madt_info* madt);
u32 smp_start();

// ioapic.cpp: routes every GSI of the MADT's I/O APICs, masked, to
// vector_irq_base + GSI on this CPU. The kernel's own lines (the PIT's,
// the console UART's) are reserved.
void ioapic_init(const kernel::Madt_info* madt);
// The GSI whose vector this is, if it is one.
bool ioapic_vector_gsi(u64 vector, u32& gsi);

// vspace.cpp: the kernel's final page tables (RAM and the reserved Device
// ranges in the physmap); then decides how switches treat the TLB.
void vspace_build_kernel(const kernel::Platform_info& info);
void tlb_init();
}  // namespace x86_64
// entry.S: writes CR3; 0 if that raised #GP (a probe), else 1.
extern "C" u64 x86_try_write_cr3(u64 value);
namespace x86_64 {

}  // namespace x86_64
