/* Kernel entry and exit: SYSCALL, exceptions and interrupts, return to ring 3. */
#include "entry_layout.h"
#include "asm_offsets.h"
#if !defined(BATON_CONFIG_FASTPATH) || !defined(BATON_CONFIG_BIG_LOCK) || !defined(BATON_CONFIG_SMP)
#error "the build options (configs/meson.build kernel_config_args) must reach the assembler"
#endif
#include "entry_macros.h"

#include <baton/syscall_numbers.h>

/* Numbers below this index x86_syscall_table; the rest take the full path. */
#define SYSCALL_TABLE_SIZE 32

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
 *    ring 0 are kernel bugs and end in kernel::handle_kernel_fault, but
 *    for a probe's #GP that x86_fault_fixups expects.
 */

    .text
    .code64

/* SYSCALL [SDM 2B SYSCALL]: rcx = user rip, r11 = user rflags; RFLAGS
 * masked by IA32_FMASK (IF, TF, DF, AC, NT clear); rsp is still the user's.
 *
 * The entry dispatches on the system-call number through x86_syscall_table
 * before touching anything but the GS base: most numbers go to
 * x86_syscall_full (save every user register, then the C++ decoder), Call
 * and ReplyRecv to their assembly fastpath (fastpath.S), and leaf calls,
 * which neither block nor switch nor fault, to code that saves nothing. */
    .global x86_syscall_entry
    .balign 16
x86_syscall_entry:
    swapgs
    cmp $SYSCALL_TABLE_SIZE, %rax
    jae x86_syscall_full
    jmp *x86_syscall_table(,%rax,8)

/* On the kernel stack, calls fn with the saved context (in rsp), then
 * leaves for whatever thread the kernel chose. */
.macro CALL_KERNEL fn
    mov %rsp, %rdi
    mov %gs:PCPU_KERNEL_STACK, %rsp
    xor %ebp, %ebp
    call \fn
    jmp x86_return_to_user
.endm

/* Every system call but the fastpaths' and the leaves. */
    .global x86_syscall_full
x86_syscall_full:
    SAVE_SYSCALL_CONTEXT
    CALL_KERNEL x86_syscall_other

/* Where a fastpath that declines goes: rsp = the saved context, every user
 * register in it. The general path tries the portable fastpath, then the
 * slow path. */
    .global x86_syscall_slow
x86_syscall_slow:
    CALL_KERNEL x86_syscall

/* Leaf system calls. SYSRET may return only when the generic exit would
 * (x86_return_to_user): rcx canonical and below user_top (SYSCALL leaves
 * at most user_top in it, when the instruction ends the last user page),
 * and r11 equal to its sanitised self, which holds when it has no flag
 * outside user_rflags (IF and bit 1 are always set in ring 3: IOPL is 0,
 * so ring 3 cannot clear IF). Otherwise the full path decides. A leaf
 * call also cannot change which thread should run: whenever ring 3 runs,
 * no ready thread outranks it (every system call, interrupt and switch
 * ends with that check), so the full path would not switch either.
 *
 * Each returns Ok (rdi = 0) and its results in rsi, rdx (as the generated
 * decoder places them); every other register as it was. Only values meant
 * for the caller reach its registers. */
.macro LEAF_ENTRY
    bt $47, %rcx
    jc x86_syscall_full
    test $~(USER_RFLAGS | RFLAGS_FORCED), %r11
    jnz x86_syscall_full
    xor %edi, %edi
.endm

.macro LEAF_EXIT
    swapgs
    sysretq
.endm

x86_leaf_null:                      /* sys::null */
    LEAF_ENTRY
    LEAF_EXIT

x86_leaf_debug_ticks:               /* sys::debug_ticks: this CPU's ticks */
    LEAF_ENTRY
    mov %gs:PCPU_TICKS, %rsi
    mov %gs:PCPU_TICKS_FROM_USER, %rdx
    LEAF_EXIT

x86_leaf_debug_fpu_traps:           /* sys::debug_fpu_traps */
    LEAF_ENTRY
    mov %gs:PCPU_FPU_TRAPS, %rsi
    LEAF_EXIT

/* Leaves for ring 3 with the registers of *%gs:PCPU_USER_CTX. The common
 * case is checked here: a context whose rip lies below user_top, with
 * rflags reduced to what ring 3 may hold (IF and bit 1 forced on, IOPL,
 * NT, RF, VM and the rest forced off, written back as trap.cpp's
 * x86_prepare_return does), returns by SYSRET when rcx and r11 already
 * hold rip and rflags (always after a system call), else by IRETQ.
 *  - rip must lie below user_top: SYSRET with a non-canonical rcx raises
 *    #GP in ring 0 on Intel CPUs (with the user's rsp already loaded), and
 *    IRETQ to a non-canonical rip faults in ring 0 too [SDM 2B SYSRET,
 *    IRET]. x86_prepare_return reports such a context as the thread's own
 *    fault; it also handles a missing context.
 * The context is addressed through rsp: interrupts are masked, and NMI,
 * #DF and #MC run on IST stacks, so nothing else uses this "stack". */
    .global x86_return_to_user
x86_return_to_user:
#if BATON_CONFIG_SMP
    call x86_leave_kernel           /* kernel::kernel_exit(), on the kernel stack */
#endif
    mov %gs:PCPU_USER_CTX, %rsp
    test %rsp, %rsp
    jz .Lprepare
    mov CTX_RIP(%rsp), %rcx
    cmp x86_user_top, %rcx
    jae .Lprepare
    mov CTX_RFLAGS(%rsp), %r11
    test $~(USER_RFLAGS | RFLAGS_FORCED), %r11
    jnz .Lsanitise
.Lsanitised:
    cmp CTX_RCX(%rsp), %rcx
    jne .Liret
    cmp CTX_R11(%rsp), %r11
    jne .Liret
.Lsysret:
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
    mov CTX_RAX(%rsp), %rax
    mov CTX_RSP(%rsp), %rsp
    swapgs
    sysretq
.Liret:
    movq $USER_CS, CTX_CS(%rsp)
    movq $USER_SS, CTX_SS(%rsp)
    mov CTX_RAX(%rsp), %rax
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
/* IF and bit 1 are set in every saved rflags (ring 3 runs with IF set and
 * cannot clear it; every kernel write of rflags sets both), so an rflags
 * with no other flag outside USER_RFLAGS is already what sanitising gives. */
.Lsanitise:
    and $USER_RFLAGS, %r11d
    or $RFLAGS_FORCED, %r11d
    mov %r11, CTX_RFLAGS(%rsp)
    jmp .Lsanitised
/* The rare cases, in C++: x86_prepare_return validates the context (a bad
 * one becomes the thread's fault, and another thread may be chosen) and
 * says whether SYSRET can restore it exactly. */
.Lprepare:
    mov %gs:PCPU_KERNEL_STACK, %rsp
    call x86_prepare_return         /* rax = context, rdx = use SYSRET */
    mov %rax, %rsp
    test %rdx, %rdx
    jz .Liret
    mov CTX_RIP(%rsp), %rcx
    mov CTX_RFLAGS(%rsp), %r11
    jmp .Lsysret

/* u64 x86_try_write_cr3(u64 value): writes CR3; 1, or 0 when the write
 * raised #GP (x86_kernel_trap resumes it at the fixup below). A probe for
 * CPUs and hypervisors that refuse some CR3 bits. */
    .global x86_try_write_cr3
x86_try_write_cr3:
    mov $1, %eax
.Lcr3_probe:
    mov %rdi, %cr3
    ret
.Lcr3_probe_fault:
    xor %eax, %eax
    ret

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

/* Ring-0 instructions allowed to raise #GP, and where each then resumes
 * (struct Fault_fixup in trap.cpp); a zero entry ends the list. */
    .section .rodata
    .balign 8
    .global x86_fault_fixups
x86_fault_fixups:
    .quad .Lcr3_probe, .Lcr3_probe_fault
    .quad 0, 0

/* arch::user_top, for comparisons with a memory operand. */
    .global x86_user_top
x86_user_top:
    .quad USER_TOP

/* The system-call dispatch table of x86_syscall_entry, by number. */
    .section .rodata
    .balign 8
x86_syscall_table:
.set n, 0
.rept SYSCALL_TABLE_SIZE
    .if n == BATON_SYS_NULL
    .quad x86_leaf_null
    .elseif n == BATON_SYS_DEBUG_TICKS
    .quad x86_leaf_debug_ticks
    .elseif n == BATON_SYS_DEBUG_FPU_TRAPS
    .quad x86_leaf_debug_fpu_traps
    .elseif BATON_CONFIG_FASTPATH && n == BATON_SYS_CALL
    .quad x86_syscall_call
    .elseif BATON_CONFIG_FASTPATH && n == BATON_SYS_REPLY_RECV
    .quad x86_syscall_reply_recv
    .else
    .quad x86_syscall_full
    .endif
    .set n, n + 1
.endr

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
