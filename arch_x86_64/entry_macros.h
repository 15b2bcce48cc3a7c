/* Assembly macros shared by entry.S and fastpath.S (assembly only). */
#pragma once

#include "entry_layout.h"

/* Every user register into *%gs:PCPU_USER_CTX, which is left in rsp; the
 * registers keep their user values. */
.macro SAVE_SYSCALL_CONTEXT
    mov %rsp, %gs:PCPU_SCRATCH
    mov %gs:PCPU_USER_CTX, %rsp
    mov %rax, CTX_RAX(%rsp)
    mov %rbx, CTX_RBX(%rsp)
    mov %rcx, CTX_RCX(%rsp)
    mov %rdx, CTX_RDX(%rsp)
    mov %rsi, CTX_RSI(%rsp)
    mov %rdi, CTX_RDI(%rsp)
    mov %rbp, CTX_RBP(%rsp)
    mov %r8, CTX_R8(%rsp)
    mov %r9, CTX_R9(%rsp)
    mov %r10, CTX_R10(%rsp)
    mov %r11, CTX_R11(%rsp)
    mov %r12, CTX_R12(%rsp)
    mov %r13, CTX_R13(%rsp)
    mov %r14, CTX_R14(%rsp)
    mov %r15, CTX_R15(%rsp)
    mov %rcx, CTX_RIP(%rsp)
    mov %r11, CTX_RFLAGS(%rsp)
    mov %gs:PCPU_SCRATCH, %rcx
    mov %rcx, CTX_RSP(%rsp)
.endm
