// User-program entry on arm64: the kernel starts a program with x0 = the
// boot-info page and sp = the top of its stack.
    .section .text.start, "ax"
    .global _start
    .type _start, %function
_start:
    mov     x29, #0
    mov     x30, #0
    bl      baton_start
1:  b       1b
    .size _start, . - _start

    .section .note.GNU-stack, "", %progbits
