/* Secondary CPU start-up: the real-mode trampoline and the 64-bit entry. */

/*
 * smp.cpp copies x86_trampoline_start..x86_trampoline_end to a free page
 * below 1 MiB and fills in its three patch fields, then starts each
 * application processor with INIT-SIPI-SIPI [SDM 3A 9.4.4, 11.6.1]. The
 * SIPI starts the CPU in real mode at CS:IP = (page >> 4):0. The code is
 * position-independent: it finds its own page from CS.
 *
 *   real mode -> 32-bit protected mode (the trampoline's own GDT)
 *   -> long mode on the boot page tables (boot.S; still intact in .bss:
 *      they map the trampoline page at its physical address and the
 *      kernel image at its higher-half address)
 *   -> x86_ap_entry64 in the kernel image, which switches to the kernel's
 *      final page tables and its own stack, then calls x86_ap_main.
 */

#define TR_OFF(sym) ((sym) - x86_trampoline_start)

    .section .rodata
    .balign 16
    .code16
    .global x86_trampoline_start
x86_trampoline_start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    xor %ebx, %ebx
    mov %ax, %bx
    shl $4, %ebx                        /* ebx = this page's physical address */
    lgdtl TR_OFF(tr_gdtr)
    mov %cr0, %eax
    or $1, %eax                         /* PE */
    mov %eax, %cr0
    ljmpl *TR_OFF(tr_pm32_ptr)

    .code32
tr_pm32:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    lea 4096(%ebx), %esp                /* the top of the page: a small stack */

    mov %cr4, %eax
    or $(1 << 5), %eax                  /* PAE */
    mov %eax, %cr4
    mov TR_OFF(tr_cr3)(%ebx), %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx               /* EFER: LME, NXE */
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | (1 << 5) | 1), %eax   /* PG, WP, NE, PE */
    mov %eax, %cr0

    lea TR_OFF(tr_long)(%ebx), %eax
    push $0x18
    push %eax
    lret

    .code64
tr_long:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    movabs $x86_ap_entry64, %rax
    jmp *%rax

    .balign 8
tr_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff            /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff            /* 0x10: data */
    .quad 0x00af9a000000ffff            /* 0x18: 64-bit code */
tr_gdt_end:
    .balign 4
    .global x86_tr_gdtr, x86_tr_pm32_ptr, x86_tr_cr3
x86_tr_gdtr:
tr_gdtr:
    .short tr_gdt_end - tr_gdt - 1
    .long 0                             /* patched: page + TR_OFF(tr_gdt) */
    .balign 4
x86_tr_pm32_ptr:
tr_pm32_ptr:
    .long 0                             /* patched: page + TR_OFF(tr_pm32) */
    .short 0x08
    .balign 4
x86_tr_cr3:
tr_cr3:
    .long 0                             /* patched: the boot PML4's physical address */
    .global x86_trampoline_end
x86_trampoline_end:
    .global x86_tr_gdt_offset, x86_tr_pm32_offset
    .balign 4
x86_tr_gdt_offset:
    .long TR_OFF(tr_gdt)
x86_tr_pm32_offset:
    .long TR_OFF(tr_pm32)

/*
 * In long mode on the boot tables, interrupts off. The CPU checks that it
 * is the one the boot CPU is waiting for (a CPU that came up too late
 * parks without touching anything), then takes the kernel's tables and
 * the stack smp.cpp chose for it.
 */
    .text
    .code64
    .global x86_ap_entry64
x86_ap_entry64:
    mov x86_ap_cr3(%rip), %rax
    mov %rax, %cr3
    mov $1, %eax
    cpuid
    shr $24, %ebx                       /* initial APIC id [SDM 2A CPUID] */
    cmp x86_ap_apic_id(%rip), %ebx
    jne 1f
    mov x86_ap_stack_top(%rip), %rsp
    pushq $2                            /* a clean RFLAGS, IF clear */
    popfq
    xor %ebp, %ebp
    call x86_ap_main
1:  cli
    hlt
    jmp 1b

    .section .note.GNU-stack, "", @progbits
