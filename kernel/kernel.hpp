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

// The IPC fastpath (fastpath.cpp): true when it handled the system call in
// ctx, false when it must take the slow path.
bool fastpath(arch::User_context& ctx);
extern u64 fastpath_hits;

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
