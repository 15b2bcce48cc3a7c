// x86_64 saved user state (User_context) and per-CPU arch state (Cpu_arch).
#pragma once

#include "types.hpp"

namespace arch {

// Segment selectors of the kernel's GDT. The user selectors sit where
// SYSRET expects them: SS = STAR[63:48] + 8, CS = STAR[63:48] + 16, both
// with RPL 3 [Intel SDM 2B SYSRET].
constexpr u16 sel_kernel_code = 0x08;
constexpr u16 sel_kernel_data = 0x10;
constexpr u16 sel_user_data = 0x18 | 3;
constexpr u16 sel_user_code = 0x20 | 3;
constexpr u16 sel_tss = 0x28;

constexpr u64 rflags_if = u64(1) << 9;
constexpr u64 rflags_reserved1 = u64(1) << 1;  // always reads as 1

// Every user register the kernel saves on entry and restores on return.
// The entry code (entry.S, entry_layout.h) uses fixed offsets; the tail
// rip..ss is laid out as an IRETQ frame so the return path can IRETQ
// straight out of it [SDM 3A 6.14.2]. Field order is pinned by
// static_asserts in cpu.cpp.
struct User_context {
    u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
    u64 r8, r9, r10, r11, r12, r13, r14, r15;
    u64 rip, cs, rflags, rsp, ss;

    // User mode, interrupts enabled, every other register 0.
    void init(u64 pc, u64 sp, u64 arg0) {
        *this = User_context{};
        rip = pc;
        rsp = sp;
        rdi = arg0;
        rflags = rflags_if | rflags_reserved1;
        cs = sel_user_code;
        ss = sel_user_data;
    }
    u64 pc() const { return rip; }
    u64 sp() const { return rsp; }

    // The system-call ABI (codegen/interface.toml [abi.x86_64]): number in
    // rax; arguments and results in rdi, rsi, rdx, r10, r8, r9, r12, r13,
    // r14, r15 (r10 stands in for rcx, which SYSCALL overwrites).
    // Registers as TCB Read/WriteRegisters see them (libbaton's struct
    // baton_user_context): rip, rsp, rflags, then the integer registers.
    static constexpr unsigned frame_words = 3, user_words = 18;
    static constexpr u64 User_context::*user_reg_order[user_words] = {
        &User_context::rip, &User_context::rsp, &User_context::rflags, &User_context::rax, &User_context::rbx,
        &User_context::rcx, &User_context::rdx, &User_context::rsi, &User_context::rdi, &User_context::rbp,
        &User_context::r8,  &User_context::r9,  &User_context::r10, &User_context::r11, &User_context::r12,
        &User_context::r13, &User_context::r14, &User_context::r15};
    // CF PF AF ZF SF TF DF OF: what ring 3 may set; IF stays on, IOPL 0.
    static constexpr u64 rflags_user_mask = 0xdd5;
    u64 user_reg(unsigned i) const { return i < user_words ? this->*user_reg_order[i] : 0; }
    void set_user_reg(unsigned i, u64 v) {
        if (i == 2) v = (v & rflags_user_mask) | rflags_if | rflags_reserved1;
        if (i < user_words) this->*user_reg_order[i] = v;
    }

    static constexpr unsigned syscall_regs = 10;
    u64 syscall_number() const { return rax; }
    u64 syscall_reply() const { return rbx; }  // Reply object of recv / reply_recv
    u64 syscall_arg(unsigned i) const { return i < syscall_regs ? this->*syscall_reg[i] : 0; }
    void set_syscall_result(unsigned i, u64 v) {
        if (i < syscall_regs) this->*syscall_reg[i] = v;
    }
    // Back onto the `syscall` (0f 05), which runs again on return, with
    // the number and arguments still in their registers.
    void restart_syscall() { rip -= 2; }
    static constexpr u64 User_context::*syscall_reg[syscall_regs] = {
        &User_context::rdi, &User_context::rsi, &User_context::rdx, &User_context::r10, &User_context::r8,
        &User_context::r9,  &User_context::r12, &User_context::r13, &User_context::r14, &User_context::r15};
};

// A thread's x87/MMX/SSE state while it is not live in the registers: the
// 512-byte FXSAVE area [SDM 1 10.5.1, Table 10-2], 16-byte aligned as
// FXSAVE64/FXRSTOR64 require. Only what FXSAVE covers is switched: without
// CR4.OSXSAVE the AVX registers do not exist for user code (#UD). The
// initial state is FNINIT's and the System V ABI's: x87 control word 0x37f
// (exceptions masked, 64-bit precision, round to nearest), every x87
// register empty, MXCSR 0x1f80 (SSE exceptions masked, round to nearest),
// the XMM registers zero.
struct alignas(16) Fpu_state {
    u16 fcw = 0x37f;   // x87 control word
    u16 fsw = 0;       // x87 status word
    u8 ftw = 0;        // abridged tag word: 0 = every register empty
    u8 reserved0 = 0;
    u16 fop = 0;       // last x87 opcode
    u64 fip = 0;       // last x87 instruction pointer
    u64 fdp = 0;       // last x87 data pointer
    u32 mxcsr = 0x1f80;
    u32 mxcsr_mask = 0;  // written by FXSAVE, ignored by FXRSTOR
    u8 st[8][16] = {};   // ST0-ST7 / MM0-MM7
    u8 xmm[16][16] = {}; // XMM0-XMM15
    u8 reserved1[96] = {};
};
static_assert(__builtin_offsetof(Fpu_state, mxcsr) == 24);
static_assert(__builtin_offsetof(Fpu_state, st) == 32);
static_assert(__builtin_offsetof(Fpu_state, xmm) == 160);
static_assert(sizeof(Fpu_state) == 512);

// The 64-bit task-state segment: the stacks the CPU switches to on entry
// from ring 3 (rsp[0]) and the interrupt stack table [SDM 3A 8.7].
struct [[gnu::packed]] Tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;  // = sizeof(Tss): no I/O bitmap, ring 3 gets no ports
};
static_assert(sizeof(Tss) == 104);

// Per-CPU descriptor tables: each CPU needs its own TSS (its own kernel
// and IST stacks), and a busy TSS descriptor cannot be shared, so each
// CPU has its own GDT too.
struct Cpu_arch {
    static constexpr unsigned gdt_entries = 7;  // null, 4 segments, TSS (2 slots)
    alignas(16) u64 gdt[gdt_entries];
    Tss tss;
    u32 apic_id;  // of this CPU's local APIC (arch::send_ipi)
};

}  // namespace arch
