// User-program entry on x86_64: the kernel starts a program with rdi = the
// boot-info page and rsp = the top of its stack (16-byte aligned).
    .section .text.start, "ax"
    .global _start
    .type _start, @function
_start:
    xor     %ebp, %ebp
    call    baton_start
1:  jmp     1b
    .size _start, . - _start

    .section .note.GNU-stack, "", %progbits
