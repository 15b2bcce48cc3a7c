// arm64 exception vectors and the user entry/exit paths.
//
// VBAR_EL1 table: 16 entries of 0x80 bytes [ARM ARM D1.10.2]:
//   0x000 current EL with SP_EL0  (never used: the kernel runs on SP_EL1)
//   0x200 current EL with SP_EL1  (kernel exceptions; IRQs only inside
//                                   arch::wait_for_interrupt())
//   0x400 lower EL, AArch64       (user: system calls, faults, IRQs)
//   0x600 lower EL, AArch32       (never: user SPSR always selects AArch64)
//
// From EL0, every user register is saved into *cpu_local()->user_ctx
// (Per_cpu offset 24), the stack switches to Per_cpu::kernel_stack_top
// (offset 8), and C++ runs. The way back restores from whatever
// cpu_local()->user_ctx points at by then: the core may have switched
// threads. SP_EL1 is reset to the top of the kernel stack on each return,
// so an entry from EL0 always starts on an empty stack.
//
// Synchronous exceptions from EL0 first look for the cases that need no
// trip through C++ (kernel built with the fastpath):
//   - leaf system calls (null, debug_ticks, debug_fpu_traps): they only
//     read this CPU's counters, cannot block, switch or fault, and are
//     answered on the spot with two scratch registers;
//   - Call and ReplyRecv in the common case (fastpath_call/_reply_recv
//     below), which switch straight to the partner thread.
// Other system calls save the whole context and go to arm64_user_svc(),
// other exceptions to arm64_user_sync().

#include <baton/syscall_numbers.h>

#include "asm_offsets.h"
#if !defined(BATON_CONFIG_FASTPATH) || !defined(BATON_CONFIG_BIG_LOCK) || !defined(BATON_CONFIG_SMP)
#error "the build options (configs/meson.build kernel_config_args) must reach the assembler"
#endif

// Exception kinds for arm64_kernel_exception() (exception.cpp).
#define KIND_SYNC 0
#define KIND_IRQ 1
#define KIND_FIQ 2
#define KIND_SERROR 3
#define KIND_SP_EL0 4
#define KIND_AARCH32 5

.macro ventry target
    .balign 0x80
    b       \target
.endm

.macro fatal kind
    mov     x0, #\kind
    b       kernel_fatal
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .global exception_vectors
exception_vectors:
    ventry  el1t_exception          // current EL, SP_EL0
    ventry  el1t_exception
    ventry  el1t_exception
    ventry  el1t_exception
    ventry  el1_sync                // current EL, SP_EL1
    ventry  el1_irq
    ventry  el1_fiq
    ventry  el1_serror
    ventry  el0_sync                // lower EL, AArch64
    ventry  el0_irq
    ventry  el0_irq                 // FIQ: nothing routes to FIQ; treat as IRQ
    ventry  el0_serror
    ventry  el0_aarch32             // lower EL, AArch32
    ventry  el0_aarch32
    ventry  el0_aarch32
    ventry  el0_aarch32

el1t_exception: fatal KIND_SP_EL0
el1_sync:       fatal KIND_SYNC
el1_fiq:        fatal KIND_FIQ
el1_serror:     fatal KIND_SERROR
el0_aarch32:    fatal KIND_AARCH32

// A fatal kernel exception: report on an emergency stack (the kernel stack
// may be what failed). x0 = kind.
kernel_fatal:
    ldr     x1, =emergency_stack_top
    mov     x2, sp
    mov     sp, x1
    mov     x5, x2                      // the interrupted sp
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    mrs     x3, far_el1
    mrs     x4, spsr_el1
    bl      arm64_kernel_exception
1:  wfe
    b       1b

// An IRQ in the kernel: only inside wait_for_interrupt(). Saves the
// caller-saved registers (AAPCS64) and the exception state.
el1_irq:
    sub     sp, sp, #192
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x29, [sp, #144]
    mrs     x0, elr_el1
    mrs     x1, spsr_el1
    stp     x30, x0, [sp, #160]
    str     x1, [sp, #176]
    bl      arm64_kernel_irq
    ldr     x1, [sp, #176]
    ldp     x30, x0, [sp, #160]
    msr     spsr_el1, x1
    msr     elr_el1, x0
    ldp     x18, x29, [sp, #144]
    ldp     x16, x17, [sp, #128]
    ldp     x14, x15, [sp, #112]
    ldp     x12, x13, [sp, #96]
    ldp     x10, x11, [sp, #80]
    ldp     x8, x9, [sp, #64]
    ldp     x6, x7, [sp, #48]
    ldp     x4, x5, [sp, #32]
    ldp     x2, x3, [sp, #16]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #192
    eret

// The saved context at \ctx into the registers an exception return to EL0
// takes from: SP_EL0, ELR_EL1, SPSR_EL1 and TPIDR_EL0. Of the saved SPSR
// only the condition flags count: EL0t, DAIF clear. Uses \t1 and \t2.
.macro restore_user_sysregs ctx, t1, t2
    ldp     \t1, \t2, [\ctx, #CTX_SP_EL0]   // sp_el0, elr
    msr     sp_el0, \t1
    msr     elr_el1, \t2
    ldp     \t1, \t2, [\ctx, #CTX_SPSR]     // spsr, tpidr_el0
    and     \t1, \t1, #0xf0000000           // keep only NZCV
    msr     spsr_el1, \t1
    msr     tpidr_el0, \t2
.endm

// The rest of save_user, for when x0/x1 are on the kernel stack already.
// Afterwards x0 = the User_context (= the Thread), x1 = this CPU's
// Per_cpu, x11/x12 = the user's x0/x1, sp = the top of the kernel stack
// again, and x2-x10 and x16 still hold the user's values (the system-call
// arguments).
.macro save_user_rest
    mrs     x1, tpidr_el1
    ldr     x0, [x1, #PERCPU_USER_CTX]
    stp     x2, x3, [x0, #16]
    stp     x4, x5, [x0, #32]
    stp     x6, x7, [x0, #48]
    stp     x8, x9, [x0, #64]
    stp     x10, x11, [x0, #80]
    stp     x12, x13, [x0, #96]
    stp     x14, x15, [x0, #112]
    stp     x16, x17, [x0, #128]
    stp     x18, x19, [x0, #144]
    stp     x20, x21, [x0, #160]
    stp     x22, x23, [x0, #176]
    stp     x24, x25, [x0, #192]
    stp     x26, x27, [x0, #208]
    stp     x28, x29, [x0, #224]
    mrs     x6, sp_el0
    stp     x30, x6, [x0, #CTX_X30]
    mrs     x6, elr_el1
    mrs     x7, spsr_el1
    stp     x6, x7, [x0, #CTX_ELR]
    mrs     x6, tpidr_el0
    str     x6, [x0, #CTX_TPIDR_EL0]
    ldp     x11, x12, [sp], #16
    stp     x11, x12, [x0, #0]
.endm

// Saves every user register into *cpu_local()->user_ctx; SP_EL1 is the top
// of the kernel stack on entry from EL0, and two words of it hold x0/x1
// while x0 finds the context. Ends on the empty kernel stack.
.macro save_user
    stp     x0, x1, [sp, #-16]!
    save_user_rest
    mov     x29, #0                     // end of the frame chain for backtraces
.endm

el0_sync:
    stp     x0, x1, [sp, #-16]!
#if BATON_CONFIG_FASTPATH
    // `svc #0`: ESR_EL1 EC 0x15 (SVC from AArch64), IL 1 (a 32-bit
    // instruction), ISS = the immediate 0 [ARM ARM D17.2.37]. Any other
    // syndrome, whatever it is, takes the full path, which decodes it.
    mrs     x0, esr_el1
    mov     x1, #0x56000000
    cmp     x0, x1
    b.ne    el0_sync_full
    cmp     x16, #BATON_SYS_CALL
    b.eq    fastpath_call
    cmp     x16, #BATON_SYS_REPLY_RECV
    b.eq    fastpath_reply_recv
    cmp     x16, #BATON_SYS_NULL
    b.eq    leaf_null
    cmp     x16, #BATON_SYS_DEBUG_FPU_TRAPS
    b.eq    leaf_debug_fpu_traps
    cmp     x16, #BATON_SYS_DEBUG_TICKS
    b.eq    leaf_debug_ticks
    // Any other system call: straight to kernel::handle_syscall().
    save_user_rest
el0_svc_slow:                           // everything saved; x0 = the User_context
    mov     x29, #0                     // end of the frame chain for backtraces
    bl      arm64_user_svc
    b       return_to_user
#endif
el0_sync_full:
    save_user_rest
    mrs     x0, esr_el1
    mrs     x1, far_el1
    mov     x29, #0                     // end of the frame chain for backtraces
    bl      arm64_user_sync
    b       return_to_user

#if BATON_CONFIG_FASTPATH
// ---- Leaf system calls ------------------------------------------------------
// The user's x0/x1 are on the kernel stack and nothing else has been
// touched. Each leaf writes exactly the registers the generated decoder
// would (x0 = error ok, then its results) and restores the rest: no kernel
// value is left in a user register. ELR/SPSR still hold the return state.
// Returning straight to the caller is what the decoder's epilogue in
// handle_syscall() would do: the running thread is the most urgent on
// its CPU whenever user code runs (every way back to user mode that can
// make another thread ready schedules), and a leaf changes nothing.
leaf_null:
    ldp     xzr, x1, [sp], #16
    mov     x0, #0
    eret

leaf_debug_fpu_traps:                   // x1 = this CPU's FP/SIMD traps
    add     sp, sp, #16
    mrs     x1, tpidr_el1
    ldr     x1, [x1, #PERCPU_FPU_TRAPS]
    mov     x0, #0
    eret

leaf_debug_ticks:                       // x1, x2 = this CPU's ticks, of which from user mode
    add     sp, sp, #16
    mrs     x0, tpidr_el1
    ldp     x1, x2, [x0, #PERCPU_TICKS]
    mov     x0, #0
    eret

// ---- The IPC fastpath -------------------------------------------------------
// The assembly twin of kernel/fastpath.cpp (its specification, tested on
// the host against the slow path; ktest runs on kernels with and without
// this path and compares): the same preconditions, the same bookkeeping.
// The sender blocks in both Call and ReplyRecv, so its registers are saved
// first, which is also what the slow path needs if a check fails. The
// message (badge, info, MR0-3) then stays in x0-x5 for the receiver; the
// receiver's other registers come from its TCB.
//
// Registers after save_user_rest and the checks below:
//   x0  the sending thread (= its User_context; cpu->current)
//   x2-x5  MR0-3      x10 the Reply cptr (ReplyRecv)
//   x11 the endpoint cptr     x12 the message info     x13 its length
//   x1  this CPU's Per_cpu    x22 the thread to switch to
// Any failed check branches to el0_svc_slow, the system call's slow path,
// before anything is written (through the fp_decline_* label that releases
// the locks taken so far).

// \cptr -> \slot (a virtual address) through the one-level CSpace whose
// radix is in x20 and guard in x21, with the CNode's slots at x23.
.macro one_level_slot slot, cptr, tmp, fail
    lsr     \tmp, \cptr, x20
    cmp     \tmp, x21
    b.ne    \fail
    lsl     \tmp, \tmp, x20
    eor     \tmp, \cptr, \tmp           // the index: cptr's low radix bits
    add     \slot, x23, \tmp, lsl #SLOT_SIZE_BITS
.endm

// \obj = the kernel virtual address of the object capability word 0 names.
// The physical address is bits 47:0 and the linear map sets bits 63:48, so
// one ORR replaces the type, rights and size bits.
.macro cap_object obj, w0
    orr     \obj, \w0, #PHYSMAP_BASE
.endm

// The caller's CSpace root must be a CNode whose guard and radix resolve
// all 64 bits (one level). Sets x20 (radix), x21 (guard), x23 (slots).
// A TCB's CSpace slot holds a CNode capability (TCB Configure/SetSpace
// take nothing else) or, once that is deleted, the null capability, whose
// radix and guard size are 0: the 64-bit test below refuses it, so the
// type needs no test of its own (asm_offsets.cpp pins the null side).
.macro one_level_cspace fail
    ldp     x23, x21, [x0, #THREAD_CSPACE_CAP]
    ubfx    x20, x23, #CAP_SMALL_SHIFT, #6
    lsr     x17, x21, #CAP_GUARD_BITS_SHIFT
    add     x17, x17, x20
    cmp     x17, #64
    b.ne    \fail
    and     x21, x21, #((1 << CAP_GUARD_BITS_SHIFT) - 1)
    cap_object x23, x23
.endm

// Branches to the slow path unless capability word 0 in \w0 has type \type.
.macro cap_expect_type w0, type, tmp, fail
    ubfx    \tmp, \w0, #CAP_TYPE_SHIFT, #5
    cmp     \tmp, #\type
    b.ne    \fail
.endm

// The slow path runs \next only if no ready thread of this CPU has a
// priority above (cond hi) / at least (cond hs) \prio: the highest ready
// priority is two count-leading-zeros away in the run queue's bitmaps.
.macro decline_if_ready cond, prio, fail
    ldr     x17, [x1, #PERCPU_RQ_SUMMARY]
    cbz     x17, 1f
    clz     x17, x17
    eor     x17, x17, #63               // the highest non-empty bitmap word
    add     x18, x1, x17, lsl #3
    ldr     x18, [x18, #PERCPU_RQ_BITMAP]
    clz     x18, x18
    eor     x18, x18, #63
    add     x17, x18, x17, lsl #6       // the highest ready priority
    cmp     x17, \prio
    b.\cond \fail
1:
.endm

// \next must run on this CPU (Thread::affinity), and switching to it must
// not need the empty address space (a thread without one: slow path).
// Leaves \next's vspace root in x24, the current one in x25.
.macro check_next next, fail
    ldrh    w17, [\next, #THREAD_AFFINITY]
    ldr     w18, [x1, #PERCPU_CPU_ID]
    cmp     w17, w18
    b.ne    \fail
    ldr     x24, [\next, #THREAD_VSPACE_ROOT]
    ldr     x25, [x0, #THREAD_VSPACE_ROOT]
    cbz     x24, \fail
.endm

// Runs x22 on this CPU in place of x0, as switch_to() does: TTBR0 only
// when the address space changes (ASID-tagged: no TLB flush), the FP/SIMD
// trap armed exactly when x22 does not own the live FP/SIMD state
// (kernel/fpu.hpp; CPACR_EL1.FPEN 0b11 untrapped, 0b00 trapped, made
// effective by the eret), current/user_ctx, a fresh time slice; counts the
// hit.
.macro switch_to_next
    cmp     x24, x25
    b.eq    1f
    ldr     x17, [x22, #THREAD_ASID]
    bfi     x24, x17, #48, #16          // TTBR0_EL1.ASID [ARM ARM D19.2.155]
    // No DSB: every page-table write is followed by one already
    // (arch::tables_changed(), also when TCB SetSpace installs a root).
    msr     ttbr0_el1, x24              // in force from the eret (a context
                                        // synchronisation event); until then
                                        // only TTBR1 addresses are used
1:  ldr     x17, [x1, #PERCPU_FPU_OWNER]
    ldrb    w18, [x1, #PERCPU_FPU_ENABLED]
    cmp     x17, x22
    b.eq    3f
    cbz     w18, 2f                     // not the owner, and trapped already
    strb    wzr, [x1, #PERCPU_FPU_ENABLED]
    msr     cpacr_el1, xzr
    b       2f
3:  cbnz    w18, 2f                     // the owner, and untrapped already
    mov     w17, #1
    strb    w17, [x1, #PERCPU_FPU_ENABLED]
    mov     x17, #(3 << 20)
    msr     cpacr_el1, x17
2:  str     x22, [x1, #PERCPU_CURRENT]
    str     x22, [x1, #PERCPU_USER_CTX]
    mov     w17, #TIME_SLICE_TICKS
    str     w17, [x22, #THREAD_SLICE_LEFT]
    ldr     x17, [x1, #PERCPU_FASTPATH_HITS]
    add     x17, x17, #1
    str     x17, [x1, #PERCPU_FASTPATH_HITS]
.endm

// Enters x22 with x0 = badge, x12 = the sender's message info (length in
// x13 <= 4, no capabilities) and MR0-3 in x2-x5: message words at and past
// the length keep x22's own values, as a slow-path transfer leaves them
// (the length's bits pick the loads).
.macro fastpath_enter
    and     x1, x12, #0xfffffffffffff07f    // label and length; nothing unwrapped
    tbnz    x13, #2, 6f                 // 4 words: all from the sender
    tbz     x13, #1, 7f                 // 0 or 1 word
    tbnz    x13, #0, 8f
    ldr     x4, [x22, #32]              // 2 words
8:  ldr     x5, [x22, #40]              // 2 or 3 words
    b       6f
7:  tbnz    x13, #0, 9f
    ldr     x2, [x22, #16]              // 0 words
9:  ldr     x3, [x22, #24]              // 0 or 1 word
    ldp     x4, x5, [x22, #32]
6:
    restore_user_sysregs x22, x17, x18
    ldp     x6, x7, [x22, #48]
    ldp     x8, x9, [x22, #64]
    ldp     x10, x11, [x22, #80]
    ldp     x12, x13, [x22, #96]
    ldp     x14, x15, [x22, #112]
    ldp     x16, x17, [x22, #128]
    ldp     x18, x19, [x22, #144]
    ldp     x20, x21, [x22, #160]
    ldp     x24, x25, [x22, #192]
    ldp     x26, x27, [x22, #208]
    ldp     x28, x29, [x22, #224]
    ldr     x30, [x22, #CTX_X30]
    ldp     x22, x23, [x22, #176]
    eret
.endm

// ---- Locks (kernel/smp.cpp) -----------------------------------------------
// The path takes what the C++ path holds, in the same order, but never
// waits: a lock found taken sends the call to the slow path, which waits
// (and answers other CPUs meanwhile). First the CPU's way in: it marks
// itself inside and its `stop` word must be clear (no CPU holds the kernel
// exclusively; nothing to
// release but the mark), or in a -Dkernel_lock=big kernel the big lock. Then
// the endpoint's lock, then the Reply object's (each the object's first
// word). w29 holds 1 for the store-exclusive. Each fp_decline_* label
// releases what it names and everything taken before it. Releases are
// store-releases; the CPU's (big lock) comes after the switch, so that a
// CPU that takes it next sees the new current thread.
#if BATON_CONFIG_SMP
.macro fp_try_lock addr, fail
    ldaxr   w18, [\addr]
    cbnz    w18, 90f
    stxr    w18, w29, [\addr]
    cbz     w18, 91f
90: clrex
    b       \fail
91:
.endm

#if BATON_CONFIG_BIG_LOCK
.macro fp_big_lock_addr
    adrp    x17, baton_big_lock_word
    add     x17, x17, :lo12:baton_big_lock_word
.endm
#endif

.macro fp_enter_cpu fail
    mov     w29, #1
#if BATON_CONFIG_BIG_LOCK
    fp_big_lock_addr
    fp_try_lock x17, \fail
#else
    str     w29, [x1, #PERCPU_IN_KERNEL]
    dmb     ish                         // the store before the load (kernel/smp.cpp)
    ldr     w17, [x1, #PERCPU_STOP]
    cbnz    w17, fp_decline_cpu
#endif
.endm

.macro fp_leave_cpu
#if BATON_CONFIG_BIG_LOCK
    fp_big_lock_addr
#else
    add     x17, x1, #PERCPU_IN_KERNEL
#endif
    stlr    wzr, [x17]
.endm

.macro fp_unlock reg
    stlr    wzr, [\reg]
.endm

fp_decline_reply:
    stlr    wzr, [x23]
fp_decline_ep:
    stlr    wzr, [x21]
fp_decline_cpu:
    fp_leave_cpu
    b       el0_svc_slow

#else
// A uniprocessor kernel (-Dsmp=false): no other CPU, no locks.
.macro fp_try_lock addr, fail
.endm
.macro fp_enter_cpu fail
.endm
.macro fp_leave_cpu
.endm
.macro fp_unlock reg
.endm
fp_decline_reply:
fp_decline_ep:
fp_decline_cpu:
    b       el0_svc_slow
#endif

// Call: an endpoint capability with write and grant or grant-reply rights,
// a receiver waiting that offered a Reply object, nothing more urgent.
fastpath_call:
    save_user_rest
    and     x13, x12, #0x1ff            // extra caps (bits 8:7) and length
    cmp     x13, #4                     // no caps, at most 4 words
    b.hi    el0_svc_slow
    fp_enter_cpu el0_svc_slow
    one_level_cspace fp_decline_cpu
    one_level_slot x26, x11, x17, fp_decline_cpu
    ldp     x14, x15, [x26]             // the endpoint capability; x15 = badge
    cap_expect_type x14, CAP_TYPE_ENDPOINT, x17, fp_decline_cpu
    tbz     x14, #CAP_RIGHT_WRITE_BIT, fp_decline_cpu
    tst     x14, #CAP_RIGHTS_GRANT_ANY
    b.eq    fp_decline_cpu
    cap_object x21, x14                 // x21 = the endpoint
    fp_try_lock x21, fp_decline_cpu
    ldr     x17, [x21, #EP_STATE]
    cmp     x17, #EP_STATE_RECEIVING
    b.ne    fp_decline_ep
    ldr     x22, [x21, #EP_HEAD]        // the receiver
    ldr     x23, [x22, #THREAD_IPC_REPLY_WANTED]
    cbz     x23, fp_decline_ep
    check_next x22, fp_decline_ep
    ldrb    w26, [x22, #THREAD_PRIORITY]
    decline_if_ready hi, x26, fp_decline_ep
    ldrb    w17, [x0, #THREAD_PRIORITY]
    cmp     w17, w26
    b.hi    fp_decline_ep               // the server would inherit the caller's priority
    fp_try_lock x23, fp_decline_ep

    // Committed. The receiver leaves the head of the endpoint's queue.
    ldr     x17, [x22, #THREAD_Q_NEXT]
    str     x17, [x21, #EP_HEAD]
    cbz     x17, 3f
    str     xzr, [x17, #THREAD_Q_PREV]
    b       4f
3:  stp     xzr, xzr, [x21, #EP_TAIL]   // tail = null, state = Idle
4:  stp     xzr, xzr, [x22, #THREAD_Q_NEXT]     // q_next, blocked_on (q_prev: null, it was the head)
    stp     xzr, x23, [x22, #THREAD_IPC_REPLY_WANTED]   // wanted = null, ipc_reply = reply
    stp     x0, x22, [x23, #REPLY_CALLER]               // reply->caller, reply->server
    ubfx    x17, x14, #CAP_RIGHTS_SHIFT, #4
    strb    w17, [x0, #THREAD_IPC_RIGHTS]
    str     x23, [x0, #THREAD_BLOCKED_ON]
    mov     w17, #THREAD_STATE_BLOCKED_REPLY
    str     w17, [x0, #THREAD_STATE]
    mov     w17, #THREAD_STATE_READY
    str     w17, [x22, #THREAD_STATE]
    fp_unlock x23                   // the Reply object's lock
    fp_unlock x21                   // the endpoint's
    switch_to_next
    fp_leave_cpu
    mov     x0, x15                     // the badge
    fastpath_enter

// ReplyRecv: a Reply capability with a caller waiting (not for a fault),
// an endpoint capability with the read right and no sender queued, no
// signal pending on the bound notification, nothing as urgent as the caller.
fastpath_reply_recv:
    save_user_rest
    and     x13, x12, #0x1ff
    cmp     x13, #4
    b.hi    el0_svc_slow
    fp_enter_cpu el0_svc_slow
    one_level_cspace fp_decline_cpu
    one_level_slot x26, x10, x17, fp_decline_cpu    // the Reply capability's slot
    one_level_slot x27, x11, x17, fp_decline_cpu    // the endpoint capability's slot
    ldr     x14, [x26]
    cap_expect_type x14, CAP_TYPE_REPLY, x17, fp_decline_cpu
    ldr     x15, [x27]
    ubfx    x17, x15, #CAP_TYPE_SHIFT, #6    // the type and, above it, the read right
    cmp     x17, #(CAP_TYPE_ENDPOINT | 1 << (CAP_RIGHT_READ_BIT - CAP_TYPE_SHIFT))
    b.ne    fp_decline_cpu
    cap_object x23, x14                 // x23 = the Reply object
    cap_object x21, x15                 // x21 = the endpoint
    fp_try_lock x21, fp_decline_cpu
    fp_try_lock x23, fp_decline_ep
    ldr     x22, [x23, #REPLY_CALLER]   // the caller to answer
    cbz     x22, fp_decline_reply
    ldrb    w17, [x22, #THREAD_FAULT_PENDING]
    cbnz    w17, fp_decline_reply
    ldr     x17, [x21, #EP_STATE]
    cmp     x17, #EP_STATE_SENDING
    b.eq    fp_decline_reply
    ldr     x17, [x0, #THREAD_BOUND_NOTIFICATION]
    cbz     x17, 1f
    ldr     x17, [x17, #NTFN_STATE]
    cmp     x17, #NTFN_STATE_ACTIVE
    b.eq    fp_decline_reply
1:  check_next x22, fp_decline_reply
    ldrb    w26, [x22, #THREAD_PRIORITY]
    decline_if_ready hs, x26, fp_decline_reply
    ldrb    w17, [x0, #THREAD_PRIORITY]
    ldrb    w18, [x0, #THREAD_BASE_PRIORITY]
    cmp     w17, w18
    b.ne    fp_decline_reply            // an inherited priority to give back

    // Committed: the reply.
    stp     xzr, xzr, [x23, #REPLY_CALLER]
    ldr     x17, [x0, #THREAD_IPC_REPLY]
    cmp     x17, x23
    csel    x17, xzr, x17, eq           // the server no longer holds the caller
    stp     x23, x17, [x0, #THREAD_IPC_REPLY_WANTED]    // and waits with this Reply object
    str     xzr, [x22, #THREAD_BLOCKED_ON]
    mov     w17, #THREAD_STATE_READY
    str     w17, [x22, #THREAD_STATE]
    str     x21, [x0, #THREAD_BLOCKED_ON]
    mov     w17, #THREAD_STATE_BLOCKED_RECV
    str     w17, [x0, #THREAD_STATE]
    // The server joins the tail of the endpoint's receivers.
    ldr     x17, [x21, #EP_TAIL]
    stp     x17, xzr, [x0, #THREAD_Q_PREV]
    cbz     x17, 3f
    str     x0, [x17, #THREAD_Q_NEXT]
    b       4f
3:  str     x0, [x21, #EP_HEAD]
4:  mov     x17, #EP_STATE_RECEIVING
    stp     x0, x17, [x21, #EP_TAIL]    // tail = server, state = Receiving
    fp_unlock x23                   // the Reply object's lock
    fp_unlock x21                   // the endpoint's
    switch_to_next
    fp_leave_cpu
    mov     x0, #0                      // a reply has no badge
    fastpath_enter

#endif

el0_irq:
    save_user
    bl      arm64_user_irq
    b       return_to_user

el0_serror:
    save_user
    mrs     x0, esr_el1
    bl      arm64_user_serror
    b       return_to_user

// Resumes the thread cpu_local()->user_ctx points at.
return_to_user:
    mrs     x0, tpidr_el1
    ldr     x0, [x0, #PERCPU_USER_CTX]
    // fall through

// x0 = the User_context to enter; does not return.
    .global arm64_enter_user
arm64_enter_user:
    mrs     x1, tpidr_el1
    ldr     x1, [x1, #PERCPU_KERNEL_STACK_TOP]
    mov     sp, x1
    restore_user_sysregs x0, x1, x2
    ldp     x2, x3, [x0, #16]
    ldp     x4, x5, [x0, #32]
    ldp     x6, x7, [x0, #48]
    ldp     x8, x9, [x0, #64]
    ldp     x10, x11, [x0, #80]
    ldp     x12, x13, [x0, #96]
    ldp     x14, x15, [x0, #112]
    ldp     x16, x17, [x0, #128]
    ldp     x18, x19, [x0, #144]
    ldp     x20, x21, [x0, #160]
    ldp     x22, x23, [x0, #176]
    ldp     x24, x25, [x0, #192]
    ldp     x26, x27, [x0, #208]
    ldp     x28, x29, [x0, #224]
    ldr     x30, [x0, #CTX_X30]
    ldp     x0, x1, [x0, #0]
    eret

// Replaces TTBR1_EL1 with x0 without ever holding the old and the new
// translations together (break-before-make [ARM ARM D8.14.1]): TTBR1 walks
// are disabled (TCR_EL1.EPD1) and the TLB emptied in between. The caller
// runs this through its identity-mapped physical alias (TTBR0), so the
// code stays reachable while the kernel half changes; it touches no stack.
    .global arm64_replace_ttbr1
arm64_replace_ttbr1:
    dsb     ish                         // the new tables are visible to the walker
    mrs     x1, tcr_el1
    orr     x2, x1, #(1 << 23)          // EPD1
    msr     tcr_el1, x2
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    msr     ttbr1_el1, x0
    isb
    msr     tcr_el1, x1
    isb
    ret

    .ltorg

    .section .bss.emergency_stack, "aw", %nobits
    .balign 16
    .space  4096
emergency_stack_top:
