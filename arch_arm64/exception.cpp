// Exception handling in C++: system calls, user faults, interrupts, and
// fatal kernel exceptions, with ESR_EL1 decoded into a human cause
// [ARM ARM D17.2.37 ESR_EL1, its EC and ISS encodings].
#include "arch.hpp"
#include "cpu.hpp"
#include "format.hpp"
#include "kernel.hpp"
#include "thread.hpp"
#include "log.hpp"
#include "percpu.hpp"

namespace arm64 {
namespace {

// ESR_EL1.EC values.
enum : u32 {
    ec_unknown = 0x00,
    ec_wfx = 0x01,
    ec_fp_access = 0x07,
    ec_illegal_state = 0x0e,
    ec_svc64 = 0x15,
    ec_sysreg = 0x18,
    ec_iabort_lower = 0x20,
    ec_iabort_same = 0x21,
    ec_pc_align = 0x22,
    ec_dabort_lower = 0x24,
    ec_dabort_same = 0x25,
    ec_sp_align = 0x26,
    ec_fp_exception = 0x2c,
    ec_serror = 0x2f,
    ec_breakpoint_lower = 0x30,
    ec_breakpoint_same = 0x31,
    ec_step_lower = 0x32,
    ec_step_same = 0x33,
    ec_watchpoint_lower = 0x34,
    ec_watchpoint_same = 0x35,
    ec_brk = 0x3c,
};

// The fault status code of an abort (ISS[5:0], DFSC/IFSC) [ARM ARM D17.2.37].
void describe_fsc(char* buf, usize cap, const char* what, u32 fsc, const char* access) {
    const char* kind = nullptr;
    switch (fsc >> 2) {
    case 0: kind = "address size fault"; break;
    case 1: kind = "translation fault"; break;
    case 2: kind = "access flag fault"; break;
    case 3: kind = "permission fault"; break;
    case 5: kind = "synchronous external abort on table walk"; break;
    }
    if (kind) {
        fmt::snformat(buf, cap, "%s, %s level %u%s", what, kind, fsc & 3, access);
        return;
    }
    switch (fsc) {
    case 0x10: kind = "synchronous external abort"; break;
    case 0x11: kind = "synchronous tag check fault"; break;
    case 0x18: kind = "synchronous parity or ECC error"; break;
    case 0x21: kind = "alignment fault"; break;
    case 0x30: kind = "TLB conflict abort"; break;
    case 0x31: kind = "unsupported atomic hardware update"; break;
    default: fmt::snformat(buf, cap, "%s, fault status %#x%s", what, fsc, access); return;
    }
    fmt::snformat(buf, cap, "%s, %s%s", what, kind, access);
}

// Decodes an exception into a Fault_info; the cause text goes to buf.
kernel::Fault_info decode(u64 esr, u64 far, u64 elr, char* buf, usize cap) {
    using kernel::Fault_kind;
    u32 ec = u32(esr >> 26) & 0x3f;
    u32 iss = u32(esr & 0x1ffffff);
    kernel::Fault_info f{Fault_kind::Other, elr, elr, esr, false, buf};
    switch (ec) {
    case ec_unknown:
        f.kind = Fault_kind::Undefined_instruction;
        fmt::snformat(buf, cap, "undefined instruction");
        break;
    case ec_wfx: fmt::snformat(buf, cap, "trapped WFI/WFE"); break;
    case ec_fp_access: fmt::snformat(buf, cap, "FP/SIMD access trapped (CPACR_EL1.FPEN)"); break;
    case ec_illegal_state: fmt::snformat(buf, cap, "illegal execution state"); break;
    case ec_svc64: fmt::snformat(buf, cap, "svc #%u (system calls use svc #0)", iss & 0xffff); break;
    case ec_sysreg:
        f.kind = Fault_kind::Undefined_instruction;
        fmt::snformat(buf, cap, "trapped system register access (op0 %u, op1 %u, CRn %u, CRm %u, op2 %u, %s)",
                      (iss >> 20) & 3, (iss >> 14) & 7, (iss >> 10) & 0xf, (iss >> 1) & 0xf, (iss >> 17) & 7,
                      iss & 1 ? "read" : "write");
        break;
    case ec_iabort_lower:
    case ec_iabort_same:
        f.kind = Fault_kind::Instruction_fault;
        f.address = far;
        describe_fsc(buf, cap, "instruction abort", iss & 0x3f, "");
        break;
    case ec_dabort_lower:
    case ec_dabort_same: {
        u32 fsc = iss & 0x3f;
        f.address = far;
        f.write = (iss >> 6) & 1;  // WnR
        f.kind = fsc == 0x21 ? Fault_kind::Alignment : fsc < 0x10 ? Fault_kind::Page_fault : Fault_kind::Other;
        describe_fsc(buf, cap, "data abort", fsc, f.write ? ", write" : ", read");
        break;
    }
    case ec_pc_align:
        f.kind = Fault_kind::Alignment;
        f.address = far;
        fmt::snformat(buf, cap, "misaligned pc");
        break;
    case ec_sp_align:
        f.kind = Fault_kind::Alignment;
        fmt::snformat(buf, cap, "misaligned stack pointer");
        break;
    case ec_fp_exception:
        f.kind = Fault_kind::Arithmetic;
        fmt::snformat(buf, cap, "floating-point exception");
        break;
    case ec_serror: fmt::snformat(buf, cap, "SError interrupt (ISS %#x)", iss); break;
    case ec_breakpoint_lower:
    case ec_breakpoint_same:
        f.kind = Fault_kind::Breakpoint;
        fmt::snformat(buf, cap, "hardware breakpoint");
        break;
    case ec_step_lower:
    case ec_step_same:
        f.kind = Fault_kind::Breakpoint;
        fmt::snformat(buf, cap, "software step");
        break;
    case ec_watchpoint_lower:
    case ec_watchpoint_same:
        f.kind = Fault_kind::Breakpoint;
        f.address = far;
        fmt::snformat(buf, cap, "watchpoint");
        break;
    case ec_brk:
        f.kind = Fault_kind::Breakpoint;
        fmt::snformat(buf, cap, "brk #%u", iss & 0xffff);
        break;
    default: fmt::snformat(buf, cap, "exception class %#x, ISS %#x", ec, iss); break;
    }
    return f;
}

}  // namespace

void handle_irq(bool from_user) {
    kernel::Per_cpu* cpu = arch::cpu_local();
    u32 iar = gic_acknowledge();
    u32 intid = gic_intid(iar);
    if (intid >= 1020) return;  // spurious: withdrawn before it was acknowledged
    cpu->arch.irqs_handled = cpu->arch.irqs_handled + 1;
    if (intid == timer_intid()) {
        timer_rearm();
        gic_end(iar);
        kernel::handle_timer_tick(from_user);
        return;
    }
    if (intid < 16) {  // an SGI: another CPU's IPI (arch::send_ipi)
        gic_end(iar);
        kernel::handle_ipi(from_user);
        return;
    }
    kernel::handle_irq(intid, from_user);
}

}  // namespace arm64

// ---- entry points from vectors.S ------------------------------------------
extern "C" {

// A synchronous exception from EL0: a system call, the FP/SIMD trap, or a
// fault. Each entry runs under the kernel lock (kernel.hpp); if another
// CPU took this CPU's thread away meanwhile, only the scheduler runs.
void arm64_user_sync(u64 esr, u64 far) {
    bool svc = (esr >> 26) == arm64::ec_svc64 && (esr & 0xffff) == 0;
    if (!kernel::kernel_enter(svc ? kernel::Entry::Syscall : kernel::Entry::Exception)) {
        kernel::schedule();
        return kernel::kernel_exit();
    }
    kernel::Per_cpu* cpu = arch::cpu_local();
    arch::User_context& ctx = *cpu->user_ctx;
    if (svc) {
        kernel::handle_syscall(ctx);
    } else if (((esr >> 26) & 0x3f) == arm64::ec_fp_access) {  // lazy FP/SIMD switching
        kernel::handle_fpu_trap();
    } else {
        kernel::Fault_info f = arm64::decode(esr, far, ctx.pc(), cpu->arch.fault_text, sizeof cpu->arch.fault_text);
        kernel::handle_user_fault(ctx, f);
    }
    kernel::kernel_exit();
}

// A system call the entry code has recognised (svc #0) and not answered
// itself: the decoder, without decoding the syndrome again, under the
// kernel lock as every entry.
void arm64_user_svc(arch::User_context& ctx) {
    if (!kernel::kernel_enter(kernel::Entry::Syscall)) {
        kernel::schedule();
        return kernel::kernel_exit();
    }
    kernel::handle_syscall(ctx);
    kernel::kernel_exit();
}

void arm64_user_irq() {
    kernel::kernel_enter(kernel::Entry::Interrupt);
    arm64::handle_irq(true);
    if (!arch::cpu_local()->current) kernel::schedule();  // taken away while waiting for the lock
    kernel::kernel_exit();
}

void arm64_user_serror(u64 esr) {
    if (!kernel::kernel_enter(kernel::Entry::Exception)) {
        kernel::schedule();
        return kernel::kernel_exit();
    }
    kernel::Per_cpu* cpu = arch::cpu_local();
    arch::User_context& ctx = *cpu->user_ctx;
    kernel::Fault_info f = arm64::decode(u64(arm64::ec_serror) << 26 | (esr & 0x1ffffff), 0, ctx.pc(),
                                         cpu->arch.fault_text, sizeof cpu->arch.fault_text);
    kernel::handle_user_fault(ctx, f);
    kernel::kernel_exit();
}

// Only inside wait_for_interrupt(), which holds no lock.
void arm64_kernel_irq() {
    kernel::kernel_enter(kernel::Entry::Interrupt);
    arm64::handle_irq(false);
    kernel::kernel_exit();
}

// Anything else the kernel takes is fatal. kind: 0 sync, 1 IRQ, 2 FIQ,
// 3 SError (all with SP_EL1), 4 any exception with SP_EL0, 5 from AArch32.
[[noreturn]] void arm64_kernel_exception(u64 kind, u64 esr, u64 elr, u64 far, u64 spsr, u64 sp) {
    static char text[160];
    kernel::Fault_info f = arm64::decode(esr, far, elr, text, sizeof text);
    if (kind != 0) {
        static const char* const names[] = {"synchronous exception", "IRQ", "FIQ", "SError", "exception on SP_EL0",
                                            "exception from AArch32"};
        fmt::snformat(text, sizeof text, "unexpected %s in the kernel (ESR %#llx)", names[kind < 6 ? kind : 0],
                      (unsigned long long)esr);
        f.kind = kernel::Fault_kind::Other;
    }
    kernel::kprint("arm64: kernel exception: ESR %#llx ELR %#llx FAR %#llx SPSR %#llx SP %#llx\n",
                   (unsigned long long)esr, (unsigned long long)elr, (unsigned long long)far,
                   (unsigned long long)spsr, (unsigned long long)sp);
    kernel::handle_kernel_fault(f);
}

}  // extern "C"
