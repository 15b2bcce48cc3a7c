// arm64 entry: Image header, EL2 -> EL1, early page tables, MMU on, C++.
//
// Loaders place the Image at a 2 MiB-aligned base + text_offset and enter
// at its first byte with the MMU off, x0 = the DTB's physical address
// [Linux Documentation/arch/arm64/booting.rst]. Until the MMU is on the
// code runs wherever it was loaded, so it uses only PC-relative addressing
// (adr/adrp) and no stack. After that it runs at its link address:
// kernel_image_base + (pa - base), base = the 2 MiB-aligned load base.
//
// Register use until C++: x19 = DTB pa, x20 = pa of _start,
// x21 = exception level at entry, x22 = 2 MiB-aligned physical base.
#include "board.hpp"

#define KERNEL_IMAGE_BASE 0xffffffff80000000
#define TEXT_OFFSET 0x80000

// Early descriptors [ARM ARM D8.3], attribute indexes as in pte_arm64.hpp:
// block | AttrIndx 1 (Normal WB) | SH inner | AF, and AttrIndx 0 (Device).
#define DESC_TABLE 0x3
#define DESC_BLOCK_NORMAL 0x705
#define DESC_BLOCK_DEVICE 0x401
#define DESC_PXN (1 << 53)
#define DESC_UXN (1 << 54)

// MAIR_EL1: attr0 Device-nGnRE, attr1 Normal write-back [ARM ARM D19.2.97].
#define MAIR_VALUE 0xff04
// TCR_EL1: T0SZ = T1SZ = 16 (48-bit VA), 4 KiB granules (TG0 = 0b00,
// TG1 = 0b10), table walks inner-shareable write-back; IPS set from
// ID_AA64MMFR0_EL1.PARange below [ARM ARM D19.2.139].
#define TCR_VALUE 0xb5103510
// SCTLR_EL1 [ARM ARM D19.2.118]: the ARMv8.0 RES1 bits (11, 20, 22, 23, 28,
// 29), plus M, C, SA, SA0, I, DZE, UCT, nTWI, nTWE once the MMU goes on.
#define SCTLR_EL1_RES1 0x30d00800
#define SCTLR_EL1_MMU_ON 0x30d5d81d

// ICC_SRE_EL2 and ICH_HCR_EL2 by encoding [GICv3 arch spec 12.7].
#define ICC_SRE_EL2 s3_4_c12_c9_5
#define ICH_HCR_EL2 s3_4_c12_c11_0

    .section .text.head, "ax"
    .global _start
_start:
    // The arm64 Image header (64 bytes).
    b       primary_entry       // code0
    .long   0                   // code1
    .quad   TEXT_OFFSET         // text_offset
    .quad   __image_size        // image_size: through .bss and the boot tables
    .quad   0xa                 // flags: little-endian, 4 KiB pages, base anywhere
    .quad   0, 0, 0             // res2-res4
    .byte   0x41, 0x52, 0x4d, 0x64  // magic "ARM\x64"
    .long   0                   // res5

primary_entry:
    msr     daifset, #0xf               // the boot protocol masks them; be sure
    mov     x19, x0
    adr     x20, _start
    mrs     x21, CurrentEL
    ubfx    x21, x21, #2, #2
    // Exception vectors before anything else can fault.
    adr     x0, early_vectors
    cmp     x21, #3
    b.eq    entered_at_el3
    cmp     x21, #2
    b.ne    1f
    msr     vbar_el2, x0
1:  msr     vbar_el1, x0
    isb
    sub     x22, x20, #TEXT_OFFSET
    tst     x22, #0x1fffff
    b.ne    misaligned_load
    cmp     x21, #2
    b.ne    2f
    bl      drop_to_el1
2:  bl      build_early_tables
    bl      enable_mmu
    ldr     x0, =high_entry
    br      x0

// ---- EL2 -> EL1 ---------------------------------------------------------
// Leaves EL2 inert: EL1 is AArch64 and nothing traps to EL2 [ARM ARM D13.2.48
// HCR_EL2], EL1 owns the physical timer (CNTHCTL_EL2.EL1PCEN, EL1PCTEN),
// FP and PMU accesses are not trapped, and the GICv3 CPU interface is
// usable at EL1 (ICC_SRE_EL2.Enable). Returns to the caller at EL1h.
drop_to_el1:
    mov     x0, #(1 << 31)              // HCR_EL2.RW
    msr     hcr_el2, x0
    mov     x0, #3
    msr     cnthctl_el2, x0
    msr     cntvoff_el2, xzr
    mov     x0, #0x33ff                 // CPTR_EL2: RES1 bits, TFP = 0
    msr     cptr_el2, x0
    msr     hstr_el2, xzr
    msr     vttbr_el2, xzr
    mrs     x0, midr_el1
    msr     vpidr_el2, x0
    mrs     x0, mpidr_el1
    msr     vmpidr_el2, x0
    // MDCR_EL2.HPMN = PMCR_EL0.N: every PMU counter belongs to EL1/EL0.
    mrs     x0, id_aa64dfr0_el1
    ubfx    x0, x0, #8, #4              // PMUVer
    cbz     x0, 3f
    cmp     x0, #0xf
    b.eq    3f
    mrs     x0, pmcr_el0
    ubfx    x0, x0, #11, #5
    msr     mdcr_el2, x0
3:  mrs     x0, id_aa64pfr0_el1
    ubfx    x0, x0, #24, #4             // GIC system registers implemented
    cbz     x0, 4f
    mov     x0, #0x9                    // ICC_SRE_EL2: Enable | SRE
    msr     ICC_SRE_EL2, x0
    isb
    msr     ICH_HCR_EL2, xzr
4:  ldr     x0, =SCTLR_EL1_RES1
    msr     sctlr_el1, x0
    mov     x0, #0x3c5                  // SPSR: EL1h, DAIF masked
    msr     spsr_el2, x0
    msr     elr_el2, x30
    eret

// ---- early page tables ------------------------------------------------
// TTBR0: identity map of the 1 GiB (and the next) holding the image, so the
// instructions that turn the MMU on keep running. TTBR1: the image at
// kernel_image_base as 2 MiB blocks, plus the early windows (board.hpp).
// Written with the MMU off (non-cacheable), so the lines are invalidated
// before and after to drop stale copies [ARM ARM D7.4.9 / booting.rst].

// reg = address of sym, PC-relative within +-4 GiB
.macro load_addr reg, sym
    adrp    \reg, \sym
    add     \reg, \reg, :lo12:\sym
.endm

// x0 = table, x1 = index, x2 = descriptor
.macro set_entry
    str     x2, [x0, x1, lsl #3]
.endm

build_early_tables:
    mov     x18, x30
    load_addr x12, __early_pt_start
    load_addr x13, __early_pt_end
    bl      inval_early_tables
    mov     x0, x12
5:  stp     xzr, xzr, [x0], #16
    cmp     x0, x13
    b.lo    5b
    adrp    x3, early_l0_ident
    adrp    x4, early_l1_ident
    adrp    x5, early_l0_kernel
    adrp    x6, early_l1_kernel
    adrp    x7, early_l2_kernel

    // Identity: L0[pa >> 39] -> L1; L1[(pa >> 30) & 511] and the next = 1 GiB blocks.
    mov     x0, x3
    lsr     x1, x20, #39
    orr     x2, x4, #DESC_TABLE
    set_entry
    mov     x0, x4
    ubfx    x1, x20, #30, #9
    lsr     x2, x20, #30
    lsl     x2, x2, #30
    ldr     x8, =(DESC_BLOCK_NORMAL | DESC_UXN)
    orr     x2, x2, x8
    set_entry
    cmp     x1, #511
    b.eq    6f
    add     x1, x1, #1
    mov     x10, #(1 << 30)
    add     x2, x2, x10
    set_entry

    // Kernel: L0[511] -> L1, L1[510] -> L2, L2[i] = base + i * 2 MiB.
6:  mov     x0, x5
    mov     x1, #511
    orr     x2, x6, #DESC_TABLE
    set_entry
    mov     x0, x6
    mov     x1, #510
    orr     x2, x7, #DESC_TABLE
    set_entry
    ldr     x9, =__image_end
    ldr     x10, =KERNEL_IMAGE_BASE
    sub     x9, x9, x10
    ldr     x10, =0x1fffff
    add     x9, x9, x10
    lsr     x9, x9, #21                 // 2 MiB blocks to map
    mov     x0, x7
    mov     x1, #0
    orr     x2, x22, x8                 // x8: normal, executable at EL1
7:  set_entry
    add     x1, x1, #1
    add     x2, x2, #0x200000
    cmp     x1, x9
    b.lo    7b

    // Windows: the DTB (two blocks, non-executable), power, UART (Device).
    ldr     x8, =(DESC_BLOCK_NORMAL | DESC_UXN | DESC_PXN)
    cbz     x19, 8f
    mov     x1, #EARLY_WINDOW_FIRST_SLOT
    lsr     x2, x19, #21
    lsl     x2, x2, #21
    orr     x2, x2, x8
    set_entry
    add     x1, x1, #1
    add     x2, x2, #0x200000
    set_entry
8:  ldr     x8, =(DESC_BLOCK_DEVICE | DESC_UXN | DESC_PXN)
    ldr     x2, =BOARD_EARLY_POWER_PA
    cbz     x2, 9f
    mov     x1, #(EARLY_WINDOW_FIRST_SLOT + 2)
    lsr     x2, x2, #21
    lsl     x2, x2, #21
    orr     x2, x2, x8
    set_entry
9:  mov     x1, #(EARLY_WINDOW_FIRST_SLOT + 3)
    ldr     x2, =BOARD_EARLY_UART_PA
    lsr     x2, x2, #21
    lsl     x2, x2, #21
    orr     x2, x2, x8
    set_entry

    dsb     sy
    bl      inval_early_tables
    mov     x30, x18
    ret

// Invalidates [x12, x13) from the data cache (by VA to PoC); clobbers x0-x2.
inval_early_tables:
    mrs     x1, ctr_el0
    ubfx    x1, x1, #16, #4             // DminLine: log2(words per line)
    mov     x2, #4
    lsl     x2, x2, x1
    mov     x0, x12
10: dc      ivac, x0
    add     x0, x0, x2
    cmp     x0, x13
    b.lo    10b
    dsb     sy
    ret

// ---- MMU on -------------------------------------------------------------
enable_mmu:
    adrp    x23, early_l0_kernel
    // fall through
// x23 = TTBR1 (the early kernel tables, or a secondary CPU's final ones)
enable_mmu_ttbr1:
    ldr     x0, =MAIR_VALUE
    msr     mair_el1, x0
    mrs     x1, id_aa64mmfr0_el1
    and     x1, x1, #0xf                // PARange
    mov     x2, #5                      // at most 48 bits (TCR.IPS encoding 5)
    cmp     x1, x2
    csel    x1, x1, x2, ls
    ldr     x0, =TCR_VALUE
    bfi     x0, x1, #32, #3
    mrs     x3, id_aa64mmfr0_el1
    ubfx    x3, x3, #4, #4              // ASIDBits: 2 means 16-bit ASIDs
    cmp     x3, #2
    b.ne    1f
    orr     x0, x0, #(1 << 36)          // TCR_EL1.AS: use them
1:  msr     tcr_el1, x0
    msr     cpacr_el1, xzr              // FP/SIMD traps (EL0, EL1): lazy switching starts armed
    adrp    x0, early_l0_ident
    msr     ttbr0_el1, x0
    msr     ttbr1_el1, x23
    isb
    tlbi    vmalle1
    ic      iallu
    dsb     nsh
    isb
    ldr     x0, =SCTLR_EL1_MMU_ON
    msr     sctlr_el1, x0
    isb
    ret

// ---- running at the link address ---------------------------------------
high_entry:
    ldr     x0, =exception_vectors
    msr     vbar_el1, x0
    isb
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
11: cmp     x0, x1
    b.hs    12f
    stp     xzr, xzr, [x0], #16
    b       11b
12: ldr     x0, =boot_stack_top
    mov     sp, x0
    mov     x0, x19
    mov     x1, x22
    mov     x2, x21
    bl      arm64_boot
13: wfe
    b       13b

// ---- secondary CPUs --------------------------------------------------------
// Where PSCI CPU_ON or the spin table starts another CPU: at its physical
// address, MMU off, at EL2 or EL1, x0 meaningless. smp.cpp starts one CPU
// at a time and describes it in arm64_secondary_boot (cleaned to memory, so
// readable with the MMU off): TTBR1 (offset 0), stack top (8), MPIDR
// affinity (16). The identity map of the early tables is still in place
// (the image keeps them) and serves for the switch to the link address.
    .global secondary_entry
secondary_entry:
    msr     daifset, #0xf
    mrs     x21, CurrentEL
    ubfx    x21, x21, #2, #2
    adr     x0, early_vectors
    cmp     x21, #2
    b.ne    1f
    msr     vbar_el2, x0
1:  msr     vbar_el1, x0
    isb
    cmp     x21, #2
    b.ne    2f
    bl      drop_to_el1
2:  load_addr x0, arm64_secondary_boot
    ldr     x23, [x0]
    bl      enable_mmu_ttbr1
    ldr     x0, =secondary_high
    br      x0

secondary_high:
    ldr     x0, =exception_vectors
    msr     vbar_el1, x0
    isb
    // Claim the description: its MPIDR field goes from this CPU's affinity
    // to the same with bit 63 set. A CPU arriving after the boot CPU gave
    // up on it (the boot CPU claims the field first) finds something else
    // there and stays parked, touching nothing.
    ldr     x0, =arm64_secondary_boot
    mrs     x2, mpidr_el1
    and     x3, x2, #0xffffff
    lsr     x2, x2, #32
    and     x2, x2, #0xff
    orr     x2, x3, x2, lsl #32
    orr     x3, x2, #(1 << 63)
    add     x4, x0, #16
4:  ldaxr   x1, [x4]
    cmp     x1, x2
    b.ne    3f
    stxr    w5, x3, [x4]
    cbnz    w5, 4b
    ldr     x1, [x0, #8]
    mov     sp, x1
    bl      arm64_secondary_main
3:  msr     daifset, #0xf
    wfi
    b       3b

// ---- early failures ------------------------------------------------------
// Until the real vectors are installed, any exception prints its syndrome
// on the board's UART (by physical address: the MMU is off) and stops.

.macro early_putc                      // prints w0; clobbers x1, x2
    ldr     x1, =BOARD_EARLY_UART_PA
98: ldr     w2, [x1, #0x18]             // UARTFR
    tbnz    w2, #5, 98b                 // TXFF
    str     w0, [x1]
.endm

// x3 = NUL-terminated string; clobbers x0-x3
early_puts:
    ldrb    w0, [x3], #1
    cbz     w0, 99f
    early_putc
    b       early_puts
99: ret

// x3 = value, printed as 16 hex digits; clobbers x0-x5
early_puthex:
    mov     x4, #60
97: lsr     x0, x3, x4
    and     x0, x0, #0xf
    cmp     x0, #10
    add     x5, x0, #'0'
    add     x0, x0, #('a' - 10)
    csel    x0, x5, x0, lo
    early_putc
    subs    x4, x4, #4
    b.ge    97b
    ret

entered_at_el3:
    load_addr x3, msg_el3
    b       early_fatal
misaligned_load:
    load_addr x3, msg_misaligned
early_fatal:
    bl      early_puts
    // fall through

// Ends the machine the board's way (power.cpp does the same in C++), so an
// early failure does not leave the machine spinning: PSCI SYSTEM_OFF by
// smc if entered at EL2 (by hvc if at EL1), or the BCM2711 watchdog halt
// (PM_RSTS partition 63, PM_WDOG = 10 ticks, PM_RSTC full reset).
early_power_off:
    ldr     x1, =BOARD_EARLY_POWER_PA
    cbnz    x1, 17f
    cmp     x21, #3
    b.eq    early_halt
    ldr     x0, =0x84000008
    cmp     x21, #2
    b.ne    16f
    smc     #0
    b       early_halt
16: hvc     #0
    b       early_halt
17: mov     w3, #0x5a000000             // password
    ldr     w2, [x1, #0x20]             // PM_RSTS
    and     w2, w2, #0x00fff000
    mov     w4, #0x555
    orr     w2, w2, w4
    orr     w2, w2, w3
    str     w2, [x1, #0x20]
    mov     w2, #10
    orr     w2, w2, w3
    str     w2, [x1, #0x24]             // PM_WDOG
    ldr     w2, [x1, #0x1c]             // PM_RSTC
    bic     w2, w2, #0x30
    and     w2, w2, #0x00ffffff
    orr     w2, w2, #0x20
    orr     w2, w2, w3
    str     w2, [x1, #0x1c]
early_halt:
    wfe
    b       early_halt

early_exception:                        // x7 = vector offset
    load_addr x3, msg_exception
    bl      early_puts
    mov     x3, x7
    bl      early_puthex
    mrs     x8, CurrentEL
    cmp     x8, #(2 << 2)
    b.eq    14f
    mrs     x9, esr_el1
    mrs     x10, elr_el1
    mrs     x11, far_el1
    b       15f
14: mrs     x9, esr_el2
    mrs     x10, elr_el2
    mrs     x11, far_el2
15: load_addr x3, msg_esr
    bl      early_puts
    mov     x3, x9
    bl      early_puthex
    load_addr x3, msg_elr
    bl      early_puts
    mov     x3, x10
    bl      early_puthex
    load_addr x3, msg_far
    bl      early_puts
    mov     x3, x11
    bl      early_puthex
    load_addr x3, msg_newline
    b       early_fatal

    .ltorg

    .balign 2048
early_vectors:
    .irp offset, 0x000, 0x080, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
    .balign 0x80
    mov     x7, #\offset
    b       early_exception
    .endr

    .section .rodata.boot_messages, "a"
msg_el3:        .asciz "\r\nbaton: entered at EL3; this kernel must be entered at EL2 or EL1\r\n"
msg_misaligned: .asciz "\r\nbaton: image not loaded at a 2 MiB-aligned base + 0x80000 (text_offset)\r\n"
msg_exception:  .asciz "\r\nbaton: early exception, vector offset 0x"
msg_esr:        .asciz " ESR 0x"
msg_elr:        .asciz " ELR 0x"
msg_far:        .asciz " FAR 0x"
msg_newline:    .asciz "\r\n"

    // Early translation tables: outside .bss, which is cleared only later.
    .section .early_pt, "aw", %nobits
    .balign 4096
early_l0_ident:  .space 4096
early_l1_ident:  .space 4096
early_l0_kernel: .space 4096
early_l1_kernel: .space 4096
early_l2_kernel: .space 4096

    // The boot CPU's stack; afterwards its kernel stack (Per_cpu::kernel_stack_top).
    .section .bss.boot_stack, "aw", %nobits
    .balign 16
    .global boot_stack_top
boot_stack:
    .space  16384
boot_stack_top:
