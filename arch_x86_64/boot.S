/* Multiboot headers and the 32-bit entry: protected mode -> long mode -> higher half. */
#include "entry_layout.h"

/*
 * Both loaders enter at x86_start32 in 32-bit protected mode, paging off,
 * with a flat CS [MB1 3.2, MB2 3.3]: eax = magic, ebx = physical address
 * of the boot information. QEMU's -kernel speaks only Multiboot1 and
 * loads this ELF64 through the a.out-kludge addresses; GRUB's multiboot2
 * command loads it by its program headers (p_paddr).
 *
 * Early page tables (2 MiB pages only; 1 GiB pages are optional [SDM 3A
 * 4.5]) map physical 0-4 GiB three times: identity (for the switch),
 * at the physmap (0xffff800000000000, for the boot information and ACPI
 * tables) and 0-2 GiB at the kernel image base (0xffffffff80000000).
 * The C++ side replaces them with the final tables.
 */

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00010003 /* page-aligned modules, memory map, a.out kludge */
#define MB2_MAGIC 0xe85250d6

#define PHYS(sym) ((sym) - KERNEL_VMA)

    .section .boot.multiboot, "a"
    .balign 8
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long 0x100000000 - (MB1_MAGIC + MB1_FLAGS)
    .long mb1_header            /* header_addr */
    .long __kernel_phys_start   /* load_addr: the file is loaded from here */
    .long __load_end_phys       /* load_end_addr: end of .data */
    .long __kernel_phys_end     /* bss_end_addr: zeroed by the loader */
    .long x86_start32           /* entry_addr */

    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long 0                     /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
    .balign 8                   /* entry address tag [MB2 3.1.6] */
    .short 3, 0
    .long 12
    .long x86_start32
    .balign 8                   /* module alignment tag [MB2 3.1.11] */
    .short 6, 0
    .long 8
    .balign 8                   /* end tag */
    .short 0, 0
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .global x86_start32
x86_start32:
    cli
    cld
    mov %eax, %ebp              /* boot magic */
    mov %ebx, %esi              /* boot information */

    /* Long mode and execute-disable: CPUID 80000001h EDX bits 29, 20. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz no_long_mode
    test $(1 << 20), %edx
    jz no_long_mode

    /* Zero .bss (the loaders do too; this makes it independent of them). */
    mov $PHYS(__bss_start), %edi
    mov $PHYS(__bss_end), %ecx
    sub %edi, %ecx
    shr $2, %ecx
    xor %eax, %eax
    rep stosl

    /* 2048 PDEs: 2 MiB pages over 0-4 GiB, present + writable + PS. */
    mov $PHYS(boot_pd), %edi
    mov $0x83, %eax
    mov $2048, %ecx
1:  mov %eax, (%edi)
    add $0x200000, %eax
    add $8, %edi
    loop 1b

    /* The low PDPT: four PDs cover 4 GiB. */
    mov $PHYS(boot_pdpt_low), %edi
    mov $(PHYS(boot_pd) + 3), %eax
    mov %eax, 0(%edi)
    add $4096, %eax
    mov %eax, 8(%edi)
    add $4096, %eax
    mov %eax, 16(%edi)
    add $4096, %eax
    mov %eax, 24(%edi)

    /* The high PDPT: slots 510-511 (the top 2 GiB) -> physical 0-2 GiB. */
    mov $PHYS(boot_pdpt_high), %edi
    mov $(PHYS(boot_pd) + 3), %eax
    mov %eax, 510 * 8(%edi)
    add $4096, %eax
    mov %eax, 511 * 8(%edi)

    /* PML4: slot 0 identity, slot 256 physmap, slot 511 kernel image. */
    mov $PHYS(boot_pml4), %edi
    mov $(PHYS(boot_pdpt_low) + 3), %eax
    mov %eax, 0(%edi)
    mov %eax, 256 * 8(%edi)
    mov $(PHYS(boot_pdpt_high) + 3), %eax
    mov %eax, 511 * 8(%edi)

    /* Long mode [SDM 3A 10.8.5]: PAE, CR3, EFER.LME (+NXE), then paging. */
    mov %cr4, %eax
    or $(1 << 5), %eax
    mov %eax, %cr4
    mov $PHYS(boot_pml4), %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | (1 << 5) | 1), %eax   /* PG, WP, NE, PE */
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $start64_low

no_long_mode:
    mov $msg_no_long_mode, %esi
    mov $0x3f8, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  cli
    hlt
    jmp 2b

    .code64
start64_low:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    movabs $start64_high, %rax
    jmp *%rax

    .section .boot.rodata, "a"
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff    /* 0x10: data, DPL 0 */
boot_gdt_ptr:
    .short boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt
msg_no_long_mode:
    .asciz "baton: this CPU lacks long mode or execute-disable (NX); halting\r\n"

    .text
    .code64
start64_high:
    lea x86_boot_stack_top(%rip), %rsp
    pushq $2                    /* a clean RFLAGS: IF, DF, TF, AC, NT clear */
    popfq
    mov %ebp, %edi              /* magic (zero-extends: the upper halves */
    mov %esi, %esi              /* are undefined after the mode switch)  */
    xor %ebp, %ebp
    call x86_boot_main
1:  cli
    hlt
    jmp 1b

    .bss
    .balign 4096
    .global x86_boot_pml4
x86_boot_pml4:
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4 * 4096
    /* The boot stack becomes CPU 0's kernel stack. */
    .global x86_boot_stack_top
    .balign 4096
x86_boot_stack:
    .skip 16384
x86_boot_stack_top:

    .section .note.GNU-stack, "", @progbits
