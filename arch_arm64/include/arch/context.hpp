// arm64 saved user state (User_context) and per-CPU arch state (Cpu_arch).
#pragma once

#include "types.hpp"

// Call and ReplyRecv take the IPC fastpath in the exception entry code
// (vectors.S), before any C++ runs; kernel/fastpath.cpp is its portable
// specification and steps aside.
#define BATON_ARCH_ENTRY_FASTPATH 1

namespace arch {

// SPSR_EL1 for a return to EL0: M[4:0] = 0b00000 (AArch64 EL0t) and
// DAIF clear, so IRQs are taken while the thread runs [ARM ARM C5.2.18].
// Only the condition flags NZCV[31:28] of a saved PSTATE are kept.
constexpr u64 spsr_el0t = 0;
constexpr u64 spsr_user_mask = u64(0xf) << 28;

// Every user register the kernel saves on entry and restores on return:
// x0-x30, SP_EL0, ELR_EL1 (pc), SPSR_EL1 (pstate) and TPIDR_EL0. The
// FP/SIMD registers are not among them: they are switched lazily
// (Fpu_state below, kernel/fpu.hpp). The entry code (vectors.S) uses the
// offsets pinned by the static_asserts.
struct User_context {
    u64 x[31];
    u64 sp_el0;
    u64 elr;
    u64 spsr;
    u64 tpidr_el0;
    u64 reserved;  // keeps the size a multiple of 16

    // User mode, interrupts enabled, every other register 0.
    void init(u64 pc, u64 sp, u64 arg0) {
        *this = User_context{};
        elr = pc;
        sp_el0 = sp;
        x[0] = arg0;
        spsr = spsr_el0t;
    }
    u64 pc() const { return elr; }
    u64 sp() const { return sp_el0; }

    // The system-call ABI (codegen/interface.toml [abi.aarch64]): `svc #0`,
    // number in x16, arguments and results in x0-x9. Every other register
    // is preserved.
    // Registers as TCB Read/WriteRegisters see them (libbaton's struct
    // baton_user_context): pc, sp, spsr, x0-x30, tpidr_el0.
    static constexpr unsigned frame_words = 3, user_words = 35;
    u64 user_reg(unsigned i) const {
        if (i == 0) return elr;
        if (i == 1) return sp_el0;
        if (i == 2) return spsr;
        if (i < 34) return x[i - 3];
        return tpidr_el0;
    }
    // Only what EL0 may hold is taken: the condition flags of SPSR, never
    // the mode or the interrupt masks.
    void set_user_reg(unsigned i, u64 v) {
        if (i == 0) elr = v;
        else if (i == 1) sp_el0 = v;
        else if (i == 2) spsr = spsr_el0t | (v & spsr_user_mask);
        else if (i < 34) x[i - 3] = v;
        else tpidr_el0 = v;
    }

    static constexpr unsigned syscall_regs = 10;
    u64 syscall_number() const { return x[16]; }
    u64 syscall_reply() const { return x[10]; }  // Reply object of recv / reply_recv
    u64 syscall_arg(unsigned i) const { return i < syscall_regs ? x[i] : 0; }
    void set_syscall_result(unsigned i, u64 v) {
        if (i < syscall_regs) x[i] = v;
    }
    // Back onto the `svc #0` (4 bytes), which runs again on return, with
    // the number and arguments still in their registers.
    void restart_syscall() { elr -= 4; }
};

static_assert(__builtin_offsetof(User_context, x) == 0);
static_assert(__builtin_offsetof(User_context, sp_el0) == 248);
static_assert(__builtin_offsetof(User_context, elr) == 256);
static_assert(__builtin_offsetof(User_context, spsr) == 264);
static_assert(__builtin_offsetof(User_context, tpidr_el0) == 272);
static_assert(sizeof(User_context) == 288);

// A thread's FP/SIMD state while it is not live in the registers: V0-V31,
// FPCR and FPSR [ARM ARM B1.2.2]. The initial state is all zeros: FPCR 0 is
// round to nearest, no flush-to-zero, default NaN off, no exception traps
// (Linux starts threads the same way); FPSR 0 has no flags raised.
// arch::fpu_save / fpu_load (fpu.cpp) use the offsets.
struct Fpu_state {
    alignas(16) u64 v[32][2] = {};  // Q0-Q31, low doubleword first
    u64 fpcr = 0;
    u64 fpsr = 0;
};
static_assert(__builtin_offsetof(Fpu_state, fpcr) == 512);
static_assert(sizeof(Fpu_state) == 528);

// Arch-private per-CPU state.
struct Cpu_arch {
    u64 timer_interval;       // counter ticks between timer interrupts
    u64 timer_deadline;       // CNTP_CVAL_EL0 of the next tick
    u64 irqs_handled;         // wait_for_interrupt() waits for this to move
    u64 gic_redist;           // GICv3: this CPU's redistributor RD frame (virtual)
    u64 hw_id;                // MPIDR_EL1 affinity (Aff3.Aff2.Aff1.Aff0)
    u64 gic_target;           // GICv2: this CPU interface's SGI target bit
    char fault_text[96];      // Fault_info::cause of the latest exception
};

}  // namespace arch
