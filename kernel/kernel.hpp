// The portable core's entry points, called by the arch layer.
#pragma once

#include "platform.hpp"
#include "types.hpp"

#include <arch/context.hpp>

namespace kernel {

// Called once on the boot CPU after the arch has set up its console, the
// kernel's own page tables (physmap included), per-CPU state, exception
// vectors and the interrupt controller. Never returns.
[[noreturn]] void boot_main(Platform_info& info);

// The secondary CPUs' way in (smp.cpp): called by the arch on each
// secondary once it is up (own stack, Per_cpu, tables, vectors, interrupt
// controller), interrupts masked. Waits until the boot CPU has made the
// root task, starts this CPU's timer and runs its scheduler. Never returns.
[[noreturn]] void secondary_main();

// Every entry into the kernel from user mode, and every interrupt taken
// while a CPU idles, runs between kernel_enter() and kernel_exit()
// (smp.cpp, called by the arch: arch.hpp, enter_user): they take and
// release the kernel lock. While it waits for
// the lock a CPU still serves other CPUs' requests; kernel_enter() returns
// false when one of them took the CPU's current thread away (a system
// call entry is then rewound: the thread makes it again when it next
// runs), and the entry must then only pick another thread.
enum class Entry : u32 { Boot, Idle, Syscall, Exception, Interrupt };
bool kernel_enter(Entry how);
void kernel_exit();
// Makes this CPU hold the kernel exclusively (no other CPU inside it)
// until kernel_exit(); returns false, as kernel_enter() does, when another
// CPU took the current thread away meanwhile. A no-op with the big lock.
bool kernel_exclusive();
bool kernel_held_exclusively();
// A system call that needs the kernel exclusively found out late, having
// changed nothing: it asks to be dispatched again that way.
void want_exclusive();

// Runs fn(a, b) on every other CPU that schedules and waits until all
// have (the x86 TLB shootdown). Only with the kernel held exclusively (or
// the big lock): the others answer while they wait for it.
void smp_call_others(void (*fn)(u64, u64), u64 a, u64 b);

// An inter-processor interrupt (arch::send_ipi) arrived: threads other
// CPUs made ready here are queued, and from user mode the scheduler runs.
void handle_ipi(bool from_user);

// The IPC fastpath (fastpath.cpp): true when it handled the system call in
// ctx, false when it must take the slow path.
bool fastpath(arch::User_context& ctx);
// IPC system calls the fastpath has completed, on all CPUs.
u64 fastpath_hits();

// A system call from user mode; ctx is the calling thread's saved registers.
// On return the arch resumes whatever cpu_local()->user_ctx points at.
void handle_syscall(arch::User_context& ctx);
// The same without trying the fastpath: for an arch whose entry code has
// already run its own fastpath, or knows the call is not Call/ReplyRecv.
void handle_syscall_slow(arch::User_context& ctx);

enum class Fault_kind : u32 {
    Page_fault,          // translation or permission fault on a data access
    Instruction_fault,   // fetch from an unmapped or non-executable page
    Undefined_instruction,
    Alignment,
    General_protection,  // x86 #GP and similar catch-alls
    Arithmetic,          // divide error
    Breakpoint,
    Other,
};

struct Fault_info {
    Fault_kind kind;
    u64 pc;              // faulting instruction
    u64 address;         // faulting data address (FAR / CR2), or the pc
    u64 arch_code;       // ESR_EL1 / x86 vector<<32 | error code
    bool write;          // for page faults: a write access
    const char* cause;   // short human text from the arch ("data abort, translation fault level 3")
};

// A fault taken from user mode. The core reports it and stops the thread;
// the kernel itself stays up.
void handle_user_fault(arch::User_context& ctx, const Fault_info& fault);

// The running thread's FP/SIMD instruction hit the armed trap (arm64 ESR
// EC 0x07 from EL0, x86_64 #NM from ring 3): the core makes its FP/SIMD
// state live (fpu.cpp); returning to user mode retries the instruction.
void handle_fpu_trap();

// A timer interrupt; from_user says whether it interrupted user mode.
void handle_timer_tick(bool from_user);

// Any other interrupt, still in service at the controller: the core masks
// it, signals the notification of its handler, and ends it (arch::irq_end).
void handle_irq(u32 irq, bool from_user);

// An exception the kernel itself caused: reports and powers off.
[[noreturn]] void handle_kernel_fault(const Fault_info& fault);

}  // namespace kernel
