/* A thread's user registers as TCB ReadRegisters / WriteRegisters transfer
 * them: the frame (pc, sp, flags) first, then the integer registers. The
 * kernel's arch layer reads and writes exactly this order. */
#pragma once

#include <stdint.h>

#if defined(__aarch64__)
struct baton_user_context {
    uint64_t pc, sp, spsr;  /* spsr: only the condition flags NZCV are taken */
    uint64_t x[31];
    uint64_t tpidr_el0;
};
#define BATON_USER_CONTEXT_FRAME_WORDS 3
#elif defined(__x86_64__)
struct baton_user_context {
    uint64_t rip, rsp, rflags;  /* rflags: only the arithmetic flags, DF and TF are taken */
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};
#define BATON_USER_CONTEXT_FRAME_WORDS 3
#else
#error "Baton supports aarch64 and x86_64"
#endif

#define BATON_USER_CONTEXT_WORDS (sizeof(struct baton_user_context) / sizeof(uint64_t))
