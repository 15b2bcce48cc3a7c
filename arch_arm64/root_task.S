// The root task's ELF, embedded in the kernel image (read-only, page
// aligned); ROOT_TASK_ELF is its path, given by meson.build.
    .section .root_task, "a"
    .balign 4096
    .global root_task_elf_start, root_task_elf_end
root_task_elf_start:
    .incbin ROOT_TASK_ELF
root_task_elf_end:
