// Exceptions, interrupts and system calls: from the entry stubs to the core.
#include "arch.hpp"
#include "asm_offsets.h"
#include "format.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "thread.hpp"
#include "x86.hpp"

namespace x86_64 {
namespace {

using kernel::Fault_kind;

struct Exception_name {
    const char* mnemonic;
    const char* text;
    Fault_kind kind;
};

// [SDM 3A 6.3.1, Table 6-1]
constexpr Exception_name exceptions[32] = {
    {"#DE", "divide error", Fault_kind::Arithmetic},
    {"#DB", "debug exception", Fault_kind::Breakpoint},
    {"NMI", "non-maskable interrupt", Fault_kind::Other},
    {"#BP", "breakpoint", Fault_kind::Breakpoint},
    {"#OF", "overflow", Fault_kind::Arithmetic},
    {"#BR", "bound range exceeded", Fault_kind::Other},
    {"#UD", "invalid opcode", Fault_kind::Undefined_instruction},
    {"#NM", "device not available (x87/SSE trapped by CR0.TS)", Fault_kind::Undefined_instruction},
    {"#DF", "double fault", Fault_kind::Other},
    {"#CSO", "coprocessor segment overrun", Fault_kind::Other},
    {"#TS", "invalid TSS", Fault_kind::General_protection},
    {"#NP", "segment not present", Fault_kind::General_protection},
    {"#SS", "stack-segment fault", Fault_kind::General_protection},
    {"#GP", "general protection", Fault_kind::General_protection},
    {"#PF", "page fault", Fault_kind::Page_fault},
    {"#15", "reserved exception", Fault_kind::Other},
    {"#MF", "x87 floating-point error", Fault_kind::Arithmetic},
    {"#AC", "alignment check", Fault_kind::Alignment},
    {"#MC", "machine check", Fault_kind::Other},
    {"#XM", "SIMD floating-point exception", Fault_kind::Arithmetic},
    {"#VE", "virtualization exception", Fault_kind::Other},
    {"#CP", "control-protection exception", Fault_kind::General_protection},
    {"#22", "reserved exception", Fault_kind::Other},
    {"#23", "reserved exception", Fault_kind::Other},
    {"#24", "reserved exception", Fault_kind::Other},
    {"#25", "reserved exception", Fault_kind::Other},
    {"#26", "reserved exception", Fault_kind::Other},
    {"#27", "reserved exception", Fault_kind::Other},
    {"#HV", "hypervisor injection exception", Fault_kind::Other},
    {"#VC", "VMM communication exception", Fault_kind::Other},
    {"#SX", "security exception", Fault_kind::Other},
    {"#31", "reserved exception", Fault_kind::Other},
};

// The cause text handed to the core. The kernel is not preemptible and a
// fault report finishes before the next one can start, so one buffer per
// CPU is enough.
char cause_buffer[kernel::max_cpus][160];

// Page-fault error code [SDM 3A 4.7]: P (0: not present), W/R, U/S, RSVD,
// I/D (instruction fetch), PK, SS (shadow stack).
void describe_page_fault(char* buf, usize cap, u64 error) {
    fmt::snformat(buf, cap, "page fault: %s%s%s%s, %s %s (#PF, error %#llx)",
                  (error & 1) ? "protection violation" : "not present", (error & 8) ? ", reserved bit set" : "",
                  (error & 32) ? ", protection key" : "", (error & 64) ? ", shadow stack" : "",
                  (error & 4) ? "user" : "kernel",
                  (error & 16) ? "instruction fetch" : (error & 2) ? "write" : "read", (unsigned long long)error);
}

// Selector error code [SDM 3A 6.13]: EXT, IDT, TI, then the index.
void describe_selector_fault(char* buf, usize cap, const Exception_name& e, u64 error) {
    if (error == 0) {
        fmt::snformat(buf, cap, "%s (%s)", e.text, e.mnemonic);
    } else if (error & 2) {
        fmt::snformat(buf, cap, "%s (%s, error %#llx: IDT vector %llu)", e.text, e.mnemonic,
                      (unsigned long long)error, (unsigned long long)(error >> 3));
    } else {
        fmt::snformat(buf, cap, "%s (%s, error %#llx: %s selector %#llx)", e.text, e.mnemonic,
                      (unsigned long long)error, (error & 4) ? "LDT" : "GDT", (unsigned long long)(error & ~u64(7)));
    }
}

kernel::Fault_info decode(u64 vector, u64 error, u64 rip) {
    const Exception_name& e = exceptions[vector & 31];
    char* buf = cause_buffer[arch::cpu_local()->cpu_id];
    usize cap = sizeof cause_buffer[0];
    kernel::Fault_info f{e.kind, rip, rip, vector << 32 | (error & 0xffffffff), false, buf};
    switch (vector) {
    case 14:
        f.address = read_cr2();
        f.write = (error & 2) != 0;
        if (error & 16) f.kind = Fault_kind::Instruction_fault;
        describe_page_fault(buf, cap, error);
        break;
    case 10:
    case 11:
    case 12:
    case 13:
        describe_selector_fault(buf, cap, e, error);
        break;
    default:
        fmt::snformat(buf, cap, "%s (%s)", e.text, e.mnemonic);
        break;
    }
    return f;
}

bool fatal_machine_exception(u64 vector) { return vector == 2 || vector == 8 || vector == 18; }

// Anything else arriving from the local APIC is a vector the kernel never
// programmed: report it, and acknowledge it if the APIC is waiting for that.
void unexpected_interrupt(u64 vector) {
    kernel::kprint("x86_64: unexpected interrupt vector %llu ignored\n", (unsigned long long)vector);
    if (lapic_in_service(u8(vector))) lapic_eoi();
}

// Flags ring 3 may hold: CF PF AF ZF SF TF DF OF AC ID. IF is forced on;
// IOPL, NT, RF, VM and the rest are forced off, whatever the context says.
constexpr u64 user_rflags = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x200000;
static_assert(user_rflags == USER_RFLAGS);  // the entry assembly's copy

}  // namespace
}  // namespace x86_64

namespace x86_64 {
namespace {

void user_trap(u64 vector, u64 error, arch::User_context* ctx) {
    u32 gsi;
    if (vector == vector_timer) {
        lapic_eoi();
        kernel::handle_timer_tick(true);
    } else if (vector == vector_ipi) {
        lapic_eoi();
        kernel::handle_ipi(true);
    } else if (ioapic_vector_gsi(vector, gsi)) {
        kernel::handle_irq(gsi, true);
    } else if (vector == vector_spurious) {
        // A spurious APIC interrupt needs no EOI [SDM 3A 11.9].
    } else if (vector >= vector_pic_base && vector < vector_pic_base + 16) {
        // The 8259s are masked: only their spurious IRQ 7/15 get here.
    } else if (vector == 7) {
        kernel::handle_fpu_trap();  // #NM: lazy FPU switching
    } else if (vector < 32) {
        kernel::Fault_info f = decode(vector, error, ctx->rip);
        if (fatal_machine_exception(vector)) kernel::handle_kernel_fault(f);
        kernel::handle_user_fault(*ctx, f);
    } else {
        unexpected_interrupt(vector);
    }
}

void kernel_interrupt(u64 vector) {
    u32 gsi;
    if (vector == vector_timer) {
        lapic_eoi();
        kernel::handle_timer_tick(false);
    } else if (vector == vector_ipi) {
        lapic_eoi();
        kernel::handle_ipi(false);
    } else if (ioapic_vector_gsi(vector, gsi)) {
        kernel::handle_irq(gsi, false);
    } else if (vector == vector_spurious) {
    } else if (vector >= vector_pic_base && vector < vector_pic_base + 16) {
    } else {
        unexpected_interrupt(vector);
    }
}

}  // namespace
}  // namespace x86_64

using namespace x86_64;

// Each entry from ring 3 runs under the kernel lock (kernel.hpp), which
// x86_return_to_user gives back; if another CPU took this CPU's thread
// away while this one waited for the lock, only the scheduler runs (an
// interrupt is still handled).
extern "C" void x86_syscall(arch::User_context* ctx) {
    if (!kernel::kernel_enter(kernel::Entry::Syscall)) return kernel::schedule();
    kernel::handle_syscall(*ctx);
}
// Not Call or ReplyRecv (or the kernel has no fastpath): straight to the slow path.
extern "C" void x86_syscall_other(arch::User_context* ctx) {
    if (!kernel::kernel_enter(kernel::Entry::Syscall)) return kernel::schedule();
    kernel::handle_syscall_slow(*ctx);
}

// From ring 3: the user registers are already in *ctx.
extern "C" void x86_user_trap(u64 vector, u64 error, arch::User_context* ctx) {
    bool interrupt = vector >= 32;
    bool still_ours = kernel::kernel_enter(interrupt ? kernel::Entry::Interrupt : kernel::Entry::Exception);
    if (still_ours || interrupt) user_trap(vector, error, ctx);
    if (!arch::cpu_local()->current) kernel::schedule();
}

// Ring-0 instructions that may raise #GP on purpose (probes), and where
// they resume instead (entry.S).
struct Fault_fixup {
    u64 insn, resume;
};
extern "C" const Fault_fixup x86_fault_fixups[];

// From ring 0: only wait_for_interrupt() runs with interrupts enabled (and
// without the kernel lock), so an interrupt here arrived while idle; an
// exception is a bug, but for a #GP that a fixup expects.
extern "C" void x86_kernel_trap(Kernel_frame* frame) {
    u64 vector = frame->vector;
    if (vector < 32) {
        for (const Fault_fixup* f = x86_fault_fixups; vector == 13 && f->insn; ++f)
            if (frame->rip == f->insn) {
                frame->rip = f->resume;
                return;
            }
        kernel::handle_kernel_fault(decode(vector, frame->error, frame->rip));
    }
    kernel::kernel_enter(kernel::Entry::Interrupt);
    kernel_interrupt(vector);
    kernel::kernel_exit();
}

// x86_return_to_user gives the kernel lock back first thing (entry.S).
extern "C" void x86_leave_kernel() { kernel::kernel_exit(); }

// Chooses how x86_return_to_user leaves for the context the core selected.
//  - rip must lie below user_top: SYSRET with a non-canonical rcx raises
//    #GP in ring 0 on Intel CPUs (with the user's rsp already loaded), and
//    IRETQ to a non-canonical rip faults in ring 0 too [SDM 2B SYSRET,
//    IRET]. Such a context is reported as the thread's own fault instead.
//  - cs, ss and rflags are forced to user values.
//  - SYSRET restores rip from rcx and rflags from r11, so it is exact only
//    when those already agree (always after a system call); otherwise the
//    slower IRETQ restores everything.
struct Return_plan {
    arch::User_context* ctx;
    u64 sysret;
};

// Runs after x86_return_to_user has given the kernel lock back: it takes
// it again only to report a bad context as the thread's fault.
extern "C" Return_plan x86_prepare_return() {
    for (;;) {
        arch::User_context* ctx = arch::cpu_local()->user_ctx;
        if (!ctx) kernel::panic("x86_64: return to user mode without a thread");
        if (ctx->rip < arch::user_top) {
            ctx->cs = arch::sel_user_code;
            ctx->ss = arch::sel_user_data;
            ctx->rflags = (ctx->rflags & user_rflags) | arch::rflags_if | arch::rflags_reserved1;
            return {ctx, ctx->rcx == ctx->rip && ctx->r11 == ctx->rflags};
        }
        kernel::Fault_info f{kernel::Fault_kind::General_protection, ctx->rip, ctx->rip, u64(13) << 32, false,
                             "return address outside user space (not canonical-low)"};
        if (kernel::kernel_enter(kernel::Entry::Exception)) kernel::handle_user_fault(*ctx, f);
        else kernel::schedule();
        kernel::kernel_exit();
    }
}
