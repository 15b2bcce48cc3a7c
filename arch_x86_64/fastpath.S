/* The x86_64 IPC fastpath: Call and ReplyRecv in assembly.
 *
 * kernel/fastpath.cpp is the specification (and the portable version): the
 * same preconditions, the same state changes, in the same cases. This file
 * does it without the C++ detour (decoder, calls, a second trip through the
 * context): the message stays in the registers it arrived in. The receiver
 * gets the badge in rdi, the message info in rsi and words 0-3 in rdx, r10,
 * r8, r9, which are already the sender's there; only its other registers
 * come from its saved context, and SYSRET returns to it.
 *
 * x86_syscall_entry jumps to x86_syscall_call / x86_syscall_reply_recv,
 * which first save every user register into the current thread's context
 * and leave rsp pointing at it: User_context is the first member of
 * Thread, so rsp is also the Thread. (rsp is no stack here, as in the
 * entry's save: interrupts are masked and NMI, #DF and #MC switch to IST
 * stacks; nothing in this file can fault.) Any failed precondition jumps
 * to x86_syscall_slow with rsp unchanged and nothing written, and the
 * general path (with the C++ fastpath, then the slow path) takes over with
 * the saved registers. The registers may be clobbered freely until then:
 * the saved context is what the general path reads.
 *
 * Multicore: the locks below; the affinity check keeps each thread on its
 * CPU.
 *
 * Registers while checking: rdi, rsi and rdx, r10, r8, r9 hold the message
 * (rdi and rsi are rewritten to what the receiver gets as soon as that is
 * known), rbp the message length.
 */
#include "asm_offsets.h"
#if !defined(BATON_CONFIG_FASTPATH) || !defined(BATON_CONFIG_BIG_LOCK) || !defined(BATON_CONFIG_SMP)
#error "the build options (configs/meson.build kernel_config_args) must reach the assembler"
#endif
#include "entry_layout.h"
#include "entry_macros.h"

#if BATON_CONFIG_FASTPATH

    .text
    .code64

/* Message info in rsi: ebp = its length when the fastpath can carry it (at
 * most 4 words, no capabilities), and rsi = the info the receiver gets:
 * label << 12 | length (nothing transferred or unwrapped). */
.macro SMALL_MESSAGE
    mov %esi, %ebp
    and $0x1ff, %ebp                /* length (bits 0-6), capabilities (7-8) */
    cmp $4, %ebp
    ja x86_syscall_slow
    and $~0xf80, %rsi
.endm

/* The caller's root CNode, for one-level lookups: it must be a CNode whose
 * guard and radix cover all 64 bits. Out: cl = radix, r12 = guard << radix,
 * r14 = 1 << radix, r13 = the kernel address of its slots. Uses rax.
 *
 * One comparison checks the type, the flag (always clear on a CNode) and
 * radix + guard width == 64: the capability's top 16 bits, sign-extended
 * (type | rights << 5 | radix << 9 | flag << 15), plus width << 9, without
 * the rights, equal CNODE | 64 << 9 exactly then (radix and width are 6-bit
 * fields, so their sum stays below 128; a set flag makes the upper half
 * all ones, which that sum cannot carry back to the expected value).
 * The guard width is at most 58 (CNode Mint refuses more), so the radix is
 * at least 6 and shifting word 1 left by it drops the width field above the
 * guard. */
.macro ROOT_CNODE fail
    movswl TH_CSPACE_W0 + CAP_TYPE_BYTE(%rsp), %ecx
    mov TH_CSPACE_W1(%rsp), %r12
    mov %r12, %rax
    shr $CAP_GUARD_BITS_SHIFT, %rax
    shl $CAP_RADIX_IN_TYPE_WORD, %eax
    add %ecx, %eax
    and $~(0xf << CAP_RIGHTS_IN_TYPE_WORD), %eax
    cmp $(CAP_TYPE_CNODE | 64 << CAP_RADIX_IN_TYPE_WORD), %eax
    jne \fail
    shr $CAP_RADIX_IN_TYPE_WORD, %ecx   /* radix */
    shl %cl, %r12
    mov $1, %r14d
    shl %cl, %r14
    mov TH_CSPACE_W0(%rsp), %r13
    or .Lphysmap_base, %r13
.endm

/* out = the slot that cptr names in the root CNode (ROOT_CNODE's
 * registers), if the guard matches: cptr >> radix == guard exactly when
 * cptr - (guard << radix), unsigned, is below 1 << radix; it is then the
 * index. out may be cptr. */
.macro LOOKUP cptr, out, fail
    .ifnc \cptr, \out
    mov \cptr, \out
    .endif
    sub %r12, \out
    cmp %r14, \out
    jae \fail
    shl $SLOT_SIZE_BITS, \out
    add %r13, \out
.endm

/* The thread the fastpath switches to must be resumable by SYSRET exactly
 * as x86_return_to_user would resume it: rcx == rip below user_top (SYSRET
 * to a non-canonical rip faults in ring 0 on Intel CPUs), r11 == rflags
 * with no flag ring 3 may not hold (IF and bit 1 are set in every saved
 * context: ring 3 runs with IF set and cannot clear it, and every kernel
 * write of rflags sets both), so sanitising changes nothing. After a
 * system call that is always so; TCB WriteRegisters on a blocked thread
 * can make it otherwise. Leaves rcx and r11 loaded for the SYSRET. */
.macro CHECK_SYSRET t, fail
    mov CTX_RCX(\t), %rcx
    cmp CTX_RIP(\t), %rcx
    jne \fail
    cmp x86_user_top, %rcx
    jae \fail
    mov CTX_R11(\t), %r11
    cmp CTX_RFLAGS(\t), %r11
    jne \fail
    test $~(USER_RFLAGS | RFLAGS_FORCED), %r11
    jnz \fail
.endm

/* The run queue is not empty: declines when its highest priority compares
 * with r12's priority as jcc says (a: above, ae: at or above), else goes
 * back to `resume`. A ready thread is queued at its own priority
 * (thread.cpp), so the queue's index is its priority. */
.macro DECLINE_IF_READY jcc, resume, fail
    mov %gs:PCPU_RQ_SUMMARY, %rax
    bsr %rax, %rax
    bsr %gs:PCPU_RQ_BITMAP(, %rax, 8), %rcx
    shl $6, %eax
    add %ecx, %eax                  /* the highest ready priority */
    movzbl TH_PRIORITY(%r12), %ecx
    cmp %ecx, %eax
    j\jcc \fail
    jmp \resume
.endm

/* Runs r12 in place of the current thread (rsp), as kernel::switch_to does:
 * its address space when it differs (arch::vspace_activate's CR3 value),
 * the lazy-FPU trap armed unless it owns the FP/SIMD registers
 * (kernel::fpu_switch), current, user_ctx and a fresh time slice. Then
 * returns to it: ebp = message length (its words 0..ebp-1 stay as they
 * are, the rest come from its context), rdi, rsi = badge and info, rcx and
 * r11 = its rip and rflags (CHECK_SYSRET). Each fastpath has its own copy
 * (p: a label prefix), which saves a jump; SWITCH_RARE holds the rare
 * branches. */
.macro SWITCH_AND_RETURN p
    mov TH_VSPACE_ROOT(%r12), %rax
    cmp TH_VSPACE_ROOT(%rsp), %rax
    je .L\p\()_space_done
    test %rax, %rax                 /* no address space: the kernel's tables */
    jz .L\p\()_kernel_root
.L\p\()_root_known:
    mov TH_ASID(%r12), %rbx
    and x86_cr3_pcid_mask, %rbx
    or %rbx, %rax
    or x86_cr3_no_flush, %rax
    mov %rax, %cr3
.L\p\()_space_done:
    cmp %gs:PCPU_FPU_OWNER, %r12
    je .L\p\()_fpu_owner
    cmpb $0, %gs:PCPU_FPU_ENABLED   /* not the owner: the trap stays armed */
    jne .L\p\()_fpu_arm
.L\p\()_fpu_done:
    mov %r12, %gs:PCPU_CURRENT
    mov %r12, %gs:PCPU_USER_CTX
    movl $TIME_SLICE_TICKS, TH_SLICE_LEFT(%r12)
    addq $1, %gs:PCPU_FASTPATH_HITS
    /* The CPU's lock goes back after the switch: a CPU that takes it next
     * sees the new current thread. */
    CPU_UNLOCK
    jmp *.L\p\()_keep_words(, %rbp, 8)
.L\p\()_keep0:
    mov CTX_RDX(%r12), %rdx
.L\p\()_keep1:
    mov CTX_R10(%r12), %r10
.L\p\()_keep2:
    mov CTX_R8(%r12), %r8
.L\p\()_keep3:
    mov CTX_R9(%r12), %r9
.L\p\()_keep4:
    mov CTX_RAX(%r12), %rax
    mov CTX_RBX(%r12), %rbx
    mov CTX_RBP(%r12), %rbp
    mov CTX_R13(%r12), %r13
    mov CTX_R14(%r12), %r14
    mov CTX_R15(%r12), %r15
    mov CTX_RSP(%r12), %rsp
    mov CTX_R12(%r12), %r12
    swapgs
    sysretq
.endm

.macro SWITCH_RARE p
.L\p\()_kernel_root:
    mov x86_kernel_root_pa, %rax
    jmp .L\p\()_root_known
.L\p\()_fpu_owner:                  /* the owner runs FP/SIMD untrapped */
    cmpb $0, %gs:PCPU_FPU_ENABLED
    jne .L\p\()_fpu_done
    movb $1, %gs:PCPU_FPU_ENABLED
    clts
    jmp .L\p\()_fpu_done
.L\p\()_fpu_arm:
    movb $0, %gs:PCPU_FPU_ENABLED
    mov %cr0, %rax
    or $CR0_TS, %rax
    mov %rax, %cr0
    jmp .L\p\()_fpu_done
    .pushsection .rodata
    .balign 8
/* By message length: where the loads of the receiver's own words begin. */
.L\p\()_keep_words:
    .quad .L\p\()_keep0, .L\p\()_keep1, .L\p\()_keep2, .L\p\()_keep3, .L\p\()_keep4
    .popsection
.endm

/* Locks (kernel/smp.cpp): what the C++ path holds, in the same order, but
 * never waiting: a lock found taken sends the call to the slow path, which
 * waits (and answers other CPUs meanwhile). First the CPU's way in: it
 * marks itself inside and its `stop` word must be clear (no CPU holds the
 * kernel exclusively), or in a -Dkernel_lock=big kernel the big lock.
 * Then the endpoint's lock (r13), then the Reply object's (rbx), each the
 * object's first word. Each x86_fp_decline_* releases what it names and
 * everything taken before it; on x86 a plain store releases. */
#if BATON_CONFIG_SMP
.macro TRY_LOCK mem, fail
    xor %eax, %eax
    mov $1, %ecx
    lock cmpxchgl %ecx, \mem
    jne \fail
.endm

.macro CPU_ENTER fail
#if BATON_CONFIG_BIG_LOCK
    TRY_LOCK baton_big_lock_word, \fail
#else
    movl $1, %gs:PCPU_IN_KERNEL
    mfence                          /* the store before the load (kernel/smp.cpp) */
    cmpl $0, %gs:PCPU_STOP
    jne x86_fp_decline_cpu
#endif
.endm

.macro CPU_UNLOCK
#if BATON_CONFIG_BIG_LOCK
    movl $0, baton_big_lock_word
#else
    movl $0, %gs:PCPU_IN_KERNEL
#endif
.endm

.macro UNLOCK mem
    movl $0, \mem
.endm

x86_fp_decline_reply:
    movl $0, (%rbx)
x86_fp_decline_ep:
    movl $0, (%r13)
x86_fp_decline_cpu:
    CPU_UNLOCK
    jmp x86_syscall_slow

#else
/* A uniprocessor kernel (-Dsmp=false): no other CPU, no locks. */
.macro TRY_LOCK mem, fail
.endm
.macro CPU_ENTER fail
.endm
.macro CPU_UNLOCK
.endm
.macro UNLOCK mem
.endm
x86_fp_decline_reply:
x86_fp_decline_ep:
x86_fp_decline_cpu:
    jmp x86_syscall_slow
#endif

/* Call: rdi = endpoint cptr, rsi = info, MR0-3 in rdx, r10, r8, r9. */
    .global x86_syscall_call
x86_syscall_call:
    SAVE_SYSCALL_CONTEXT
    SMALL_MESSAGE
    CPU_ENTER x86_syscall_slow
    ROOT_CNODE x86_fp_decline_cpu
    LOOKUP %rdi, %rbx, x86_fp_decline_cpu
    /* An endpoint capability with write and grant or grant-reply rights
     * (and, as every endpoint capability, no size or flag bits, so that its
     * type word shifted right by 5 is its rights). */
    movzwl CAP_TYPE_BYTE(%rbx), %eax    /* type | rights << 5 | size << 9 | flag << 15 */
    mov %eax, %r14d
    and $((~(0xf << CAP_RIGHTS_IN_TYPE_WORD) | RIGHT_WRITE << CAP_RIGHTS_IN_TYPE_WORD) & 0xffff), %eax
    cmp $(CAP_TYPE_ENDPOINT | RIGHT_WRITE << CAP_RIGHTS_IN_TYPE_WORD), %eax
    jne x86_fp_decline_cpu
    shr $CAP_RIGHTS_IN_TYPE_WORD, %r14d /* rights */
    test $RIGHTS_GRANT_OR_GRANT_REPLY, %r14d
    jz x86_fp_decline_cpu
    mov CAP_W1(%rbx), %rdi          /* the badge, for the receiver */
    mov (%rbx), %r13
    or .Lphysmap_base, %r13         /* r13 = the Endpoint */

    TRY_LOCK (%r13), x86_fp_decline_cpu
    cmpq $EP_RECEIVING, EP_STATE(%r13)
    jne x86_fp_decline_ep
    mov EP_HEAD(%r13), %r12         /* r12 = the server, first in line */
    mov TH_IPC_REPLY_WANTED(%r12), %rbx
    test %rbx, %rbx                 /* rbx = the Reply object it offered */
    jz x86_fp_decline_ep
    movzwl TH_AFFINITY(%r12), %eax  /* it runs on this CPU only */
    cmp %gs:PCPU_CPU_ID, %eax
    jne x86_fp_decline_ep
    cmpq $0, %gs:PCPU_RQ_SUMMARY    /* nothing ready more urgent than it */
    jne .Lcall_ready
.Lcall_ready_ok:
    movzbl TH_PRIORITY(%rsp), %eax      /* the server would inherit the caller's priority */
    cmpb TH_PRIORITY(%r12), %al
    ja x86_fp_decline_ep
    TRY_LOCK (%rbx), x86_fp_decline_ep
    CHECK_SYSRET %r12, x86_fp_decline_reply
    /* Commit: the server leaves the queue (it is the head, so its q_prev is
     * already null). */
    mov TH_Q_NEXT(%r12), %rax
    mov %rax, EP_HEAD(%r13)
    test %rax, %rax
    jnz .Lcall_more_waiting
    movq $0, EP_TAIL(%r13)
    movq $EP_IDLE, EP_STATE(%r13)
.Lcall_dequeued:

    movq $0, TH_BLOCKED_ON(%r12)
    movq $0, TH_IPC_REPLY_WANTED(%r12)
    mov %rbx, TH_IPC_REPLY(%r12)
    mov %rsp, REPLY_CALLER(%rbx)
    mov %r12, REPLY_SERVER(%rbx)
    mov %r14b, TH_IPC_RIGHTS(%rsp)
    mov %rbx, TH_BLOCKED_ON(%rsp)
    movl $THREAD_BLOCKED_REPLY, TH_STATE(%rsp)
    movl $THREAD_READY, TH_STATE(%r12)
    /* The objects are consistent again: their locks go back. */
    UNLOCK (%rbx)
    UNLOCK (%r13)
    SWITCH_AND_RETURN call

.Lcall_more_waiting:                /* rax = the next receiver */
    movq $0, TH_Q_PREV(%rax)
    movq $0, TH_Q_NEXT(%r12)
    jmp .Lcall_dequeued

.Lcall_ready:                       /* ready_above(server's priority) */
    DECLINE_IF_READY a, .Lcall_ready_ok, x86_fp_decline_ep

    SWITCH_RARE call

/* ReplyRecv: rdi = endpoint cptr, rbx = Reply cptr, rsi = info, MR0-3 in
 * rdx, r10, r8, r9. */
    .global x86_syscall_reply_recv
x86_syscall_reply_recv:
    SAVE_SYSCALL_CONTEXT
    SMALL_MESSAGE
    CPU_ENTER x86_syscall_slow
    ROOT_CNODE x86_fp_decline_cpu
    LOOKUP %rbx, %rbx, x86_fp_decline_cpu
    LOOKUP %rdi, %r11, x86_fp_decline_cpu
    /* A Reply capability, and an endpoint capability with the read right. */
    movzbl CAP_TYPE_BYTE(%rbx), %eax
    and $CAP_TYPE_MASK, %eax
    cmp $CAP_TYPE_REPLY, %eax
    jne x86_fp_decline_cpu
    movzwl CAP_TYPE_BYTE(%r11), %eax
    and $(CAP_TYPE_MASK | RIGHT_READ << CAP_RIGHTS_IN_TYPE_WORD), %eax
    cmp $(CAP_TYPE_ENDPOINT | RIGHT_READ << CAP_RIGHTS_IN_TYPE_WORD), %eax
    jne x86_fp_decline_cpu
    mov (%rbx), %rbx
    or .Lphysmap_base, %rbx         /* rbx = the Reply object */
    mov (%r11), %r13
    or .Lphysmap_base, %r13         /* r13 = the Endpoint */
    TRY_LOCK (%r13), x86_fp_decline_cpu
    TRY_LOCK (%rbx), x86_fp_decline_ep
    mov REPLY_CALLER(%rbx), %r12    /* r12 = the caller waiting on it, */
    test %r12, %r12
    jz x86_fp_decline_reply
    cmpb $0, TH_FAULT_PENDING(%r12) /* not for a fault */
    jne x86_fp_decline_reply
    cmpq $0, TH_BOUND_NOTIFICATION(%rsp)    /* no signal pending for the server */
    jne .Lrr_notification
.Lrr_notification_ok:
    movzwl TH_AFFINITY(%r12), %eax  /* the caller runs on this CPU only */
    cmp %gs:PCPU_CPU_ID, %eax
    jne x86_fp_decline_reply
    cmpq $0, %gs:PCPU_RQ_SUMMARY    /* nothing ready as urgent as it */
    jne .Lrr_ready
.Lrr_ready_ok:
    movzbl TH_PRIORITY(%rsp), %eax      /* an inherited priority to give back */
    cmpb TH_BASE_PRIORITY(%rsp), %al
    jne x86_fp_decline_reply
    CHECK_SYSRET %r12, x86_fp_decline_reply
    xor %edi, %edi                  /* a reply carries badge 0 */
    cmpq $EP_SENDING, EP_STATE(%r13)    /* no sender waiting */
    je x86_fp_decline_reply
    /* Commit. */
    movq $0, REPLY_CALLER(%rbx)
    movq $0, REPLY_SERVER(%rbx)
    movq $0, TH_IPC_REPLY(%rsp)
    movq $0, TH_BLOCKED_ON(%r12)
    movl $THREAD_READY, TH_STATE(%r12)
    mov %rbx, TH_IPC_REPLY_WANTED(%rsp)
    mov %r13, TH_BLOCKED_ON(%rsp)
    movl $THREAD_BLOCKED_RECV, TH_STATE(%rsp)
    /* The server joins the queue's tail. Running, it is on no queue, so
     * its q_prev and q_next are null (Thread_queue::remove clears them). */
    mov EP_TAIL(%r13), %rax
    test %rax, %rax
    jnz .Lrr_behind
    mov %rsp, EP_HEAD(%r13)
.Lrr_queued:
    mov %rsp, EP_TAIL(%r13)
    movq $EP_RECEIVING, EP_STATE(%r13)
    UNLOCK (%rbx)
    UNLOCK (%r13)
    SWITCH_AND_RETURN rr

.Lrr_behind:                        /* rax = the last receiver queued */
    mov %rax, TH_Q_PREV(%rsp)
    mov %rsp, TH_Q_NEXT(%rax)
    jmp .Lrr_queued

.Lrr_notification:
    mov TH_BOUND_NOTIFICATION(%rsp), %rax
    cmpq $NTFN_ACTIVE, NTFN_STATE(%rax)
    je x86_fp_decline_reply
    jmp .Lrr_notification_ok

.Lrr_ready:                         /* ready_at_or_above(caller's priority) */
    DECLINE_IF_READY ae, .Lrr_ready_ok, x86_fp_decline_reply

    SWITCH_RARE rr

    .section .rodata
    .balign 8
.Lphysmap_base:
    .quad PHYSMAP_BASE

#endif

    .section .note.GNU-stack, "", @progbits
