/* Kernel entry and exit: SYSCALL, exceptions and interrupts, return to ring 3. */
#include "entry_layout.h"

/*
 * Invariants:
 *  - In ring 0 the GS base holds &kernel::cpus[n] (so %gs:0 is the Per_cpu);
 *    in ring 3 it holds the user's value and IA32_KERNEL_GS_BASE the
 *    kernel's. Every entry from ring 3 executes SWAPGS once, every exit
 *    once [SDM 2B SWAPGS].
 *  - The kernel keeps nothing on its stack across a return to ring 3: every
 *    entry from ring 3 starts at the top of the CPU's kernel stack, saves
 *    the user registers into *%gs:PCPU_USER_CTX, and leaves through
 *    x86_return_to_user, which restores from whatever context that field
 *    then points at (the core may have switched threads).
 *  - Ring 0 runs with interrupts masked except inside wait_for_interrupt,
 *    so the only interrupts taken in ring 0 arrive there; exceptions in
 *    ring 0 are kernel bugs and end in kernel::handle_kernel_fault.
 */

    .text
    .code64

/* SYSCALL [SDM 2B SYSCALL]: rcx = user rip, r11 = user rflags; RFLAGS
 * masked by IA32_FMASK (IF, TF, DF, AC, NT clear); rsp is still the user's. */
    .global x86_syscall_entry
    .balign 16
x86_syscall_entry:
    swapgs
    mov %rsp, %gs:PCPU_SCRATCH
    mov %gs:PCPU_USER_CTX, %rsp     /* rsp = the thread's User_context */
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
    mov %rsp, %rdi
    mov %gs:PCPU_KERNEL_STACK, %rsp
    xor %ebp, %ebp
    call x86_syscall
    jmp x86_return_to_user

/* Leaves for ring 3 with the registers of *%gs:PCPU_USER_CTX.
 * x86_prepare_return validates the context and says whether SYSRET can
 * restore it exactly (rcx == rip and r11 == rflags); otherwise IRETQ.
 * The context is addressed through rsp: interrupts are masked, and NMI,
 * #DF and #MC run on IST stacks, so nothing else uses this "stack". */
    .global x86_return_to_user
x86_return_to_user:
    call x86_prepare_return         /* rax = context, rdx = use SYSRET */
    mov %rax, %rsp
    test %rdx, %rdx
    jz 1f
    mov CTX_RBX(%rsp), %rbx
    mov CTX_RDX(%rsp), %rdx
    mov CTX_RSI(%rsp), %rsi
    mov CTX_RDI(%rsp), %rdi
    mov CTX_RBP(%rsp), %rbp
    mov CTX_R8(%rsp), %r8
    mov CTX_R9(%rsp), %r9
    mov CTX_R10(%rsp), %r10
    mov CTX_R12(%rsp), %r12
    mov CTX_R13(%rsp), %r13
    mov CTX_R14(%rsp), %r14
    mov CTX_R15(%rsp), %r15
    mov CTX_RIP(%rsp), %rcx         /* canonical and below user_top: checked */
    mov CTX_RFLAGS(%rsp), %r11
    mov CTX_RAX(%rsp), %rax
    mov CTX_RSP(%rsp), %rsp
    swapgs
    sysretq
1:  mov CTX_RAX(%rsp), %rax
    mov CTX_RBX(%rsp), %rbx
    mov CTX_RCX(%rsp), %rcx
    mov CTX_RDX(%rsp), %rdx
    mov CTX_RSI(%rsp), %rsi
    mov CTX_RDI(%rsp), %rdi
    mov CTX_RBP(%rsp), %rbp
    mov CTX_R8(%rsp), %r8
    mov CTX_R9(%rsp), %r9
    mov CTX_R10(%rsp), %r10
    mov CTX_R11(%rsp), %r11
    mov CTX_R12(%rsp), %r12
    mov CTX_R13(%rsp), %r13
    mov CTX_R14(%rsp), %r14
    mov CTX_R15(%rsp), %r15
    lea CTX_RIP(%rsp), %rsp
    swapgs
    iretq

/* arch::enter_user: the core has pointed user_ctx at the thread; the
 * kernel stack is abandoned (enter_user does not return). */
    .global x86_enter_user
x86_enter_user:
    mov %gs:PCPU_KERNEL_STACK, %rsp
    xor %ebp, %ebp
    jmp x86_return_to_user

/* Exception and interrupt stubs. The CPU pushes ss, rsp, rflags, cs, rip
 * and, for some exceptions, an error code [SDM 3A 6.13]; the stub pushes
 * a zero where the CPU pushed none, then the vector. */
.macro stub n
    .balign 16
stub_\n:
    .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    .else
    pushq $0
    .endif
    pushq $\n
    jmp common_entry
.endm

.altmacro
.set i, 0
.rept 256
    stub %i
    .set i, i + 1
.endr

/* Stack here: vector, error, rip, cs, rflags, rsp, ss. An interrupt gate
 * clears IF, TF and NT but not DF, which ring 3 may have set: the C++
 * code relies on DF = 0 (System V ABI). */
common_entry:
    cld
    testb $3, 24(%rsp)              /* RPL of the interrupted cs */
    jnz from_user

    /* Ring 0: save the registers below the frame (a Kernel_frame). */
    push %r15
    push %r14
    push %r13
    push %r12
    push %r11
    push %r10
    push %r9
    push %r8
    push %rbp
    push %rdi
    push %rsi
    push %rdx
    push %rcx
    push %rbx
    push %rax
    /* NMI, #DF and #MC can arrive between a SWAPGS and the instruction
     * that leaves or enters ring 3, with the user's GS base loaded. They
     * are fatal, so only make %gs usable: a kernel GS base is negative. */
    mov KFRAME_VECTOR(%rsp), %rax
    cmp $2, %rax
    je 2f
    cmp $8, %rax
    je 2f
    cmp $18, %rax
    jne 3f
2:  mov $0xc0000101, %ecx
    rdmsr
    test %edx, %edx
    js 3f
    swapgs
3:  mov %rsp, %rdi
    mov %rsp, %rbx
    and $-16, %rsp
    call x86_kernel_trap
    mov %rbx, %rsp
    pop %rax
    pop %rbx
    pop %rcx
    pop %rdx
    pop %rsi
    pop %rdi
    pop %rbp
    pop %r8
    pop %r9
    pop %r10
    pop %r11
    pop %r12
    pop %r13
    pop %r14
    pop %r15
    add $16, %rsp                   /* vector and error code */
    iretq

from_user:
    swapgs
    mov %rax, %gs:PCPU_SCRATCH
    mov %gs:PCPU_USER_CTX, %rax
    mov %rbx, CTX_RBX(%rax)
    mov %rcx, CTX_RCX(%rax)
    mov %rdx, CTX_RDX(%rax)
    mov %rsi, CTX_RSI(%rax)
    mov %rdi, CTX_RDI(%rax)
    mov %rbp, CTX_RBP(%rax)
    mov %r8, CTX_R8(%rax)
    mov %r9, CTX_R9(%rax)
    mov %r10, CTX_R10(%rax)
    mov %r11, CTX_R11(%rax)
    mov %r12, CTX_R12(%rax)
    mov %r13, CTX_R13(%rax)
    mov %r14, CTX_R14(%rax)
    mov %r15, CTX_R15(%rax)
    mov %gs:PCPU_SCRATCH, %rbx
    mov %rbx, CTX_RAX(%rax)
    mov 16(%rsp), %rbx
    mov %rbx, CTX_RIP(%rax)
    mov 32(%rsp), %rbx
    mov %rbx, CTX_RFLAGS(%rax)
    mov 40(%rsp), %rbx
    mov %rbx, CTX_RSP(%rax)
    mov 0(%rsp), %rdi               /* vector */
    mov 8(%rsp), %rsi               /* error code */
    mov %rax, %rdx                  /* context */
    mov %gs:PCPU_KERNEL_STACK, %rsp
    xor %ebp, %ebp
    call x86_user_trap
    jmp x86_return_to_user

/* The stub addresses, for the IDT. */
    .section .rodata
    .balign 8
    .global x86_vector_stubs
x86_vector_stubs:
.macro stub_address n
    .quad stub_\n
.endm
.set i, 0
.rept 256
    stub_address %i
    .set i, i + 1
.endr

    .section .note.GNU-stack, "", @progbits
