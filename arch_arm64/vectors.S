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

// Per_cpu and User_context offsets (static_asserts in percpu.hpp and
// arch/context.hpp pin them).
#define PERCPU_KERNEL_STACK_TOP 8
#define PERCPU_USER_CTX 24
#define CTX_X30 240
#define CTX_SP_EL0 248
#define CTX_ELR 256
#define CTX_SPSR 264
#define CTX_TPIDR_EL0 272

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

// Saves every user register into *cpu_local()->user_ctx and moves to the
// top of the kernel stack. SP_EL1 is that top already, so two words of
// it hold x0/x1 while x0 finds the context.
.macro save_user
    stp     x0, x1, [sp, #-16]!
    mrs     x0, tpidr_el1
    ldr     x0, [x0, #PERCPU_USER_CTX]
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
    ldp     x2, x3, [sp], #16
    stp     x2, x3, [x0, #0]
    mrs     x2, sp_el0
    stp     x30, x2, [x0, #CTX_X30]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [x0, #CTX_ELR]
    mrs     x2, tpidr_el0
    str     x2, [x0, #CTX_TPIDR_EL0]
    mrs     x1, tpidr_el1
    ldr     x1, [x1, #PERCPU_KERNEL_STACK_TOP]
    mov     sp, x1
    mov     x29, #0                     // end of the frame chain for backtraces
.endm

el0_sync:
    save_user
    mrs     x0, esr_el1
    mrs     x1, far_el1
    bl      arm64_user_sync
    b       return_to_user

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
    ldp     x1, x2, [x0, #CTX_SP_EL0]   // sp_el0, elr
    msr     sp_el0, x1
    msr     elr_el1, x2
    ldp     x1, x2, [x0, #CTX_SPSR]     // spsr, tpidr_el0
    and     x1, x1, #0xf0000000         // EL0t, DAIF clear: keep only NZCV
    msr     spsr_el1, x1
    msr     tpidr_el0, x2
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
