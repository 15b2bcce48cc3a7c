/* Offsets shared by the entry assembly and C++ (checked in cpu.cpp). */
#pragma once

/* struct arch::User_context (include/arch/context.hpp) */
#define CTX_RAX 0
#define CTX_RBX 8
#define CTX_RCX 16
#define CTX_RDX 24
#define CTX_RSI 32
#define CTX_RDI 40
#define CTX_RBP 48
#define CTX_R8 56
#define CTX_R9 64
#define CTX_R10 72
#define CTX_R11 80
#define CTX_R12 88
#define CTX_R13 96
#define CTX_R14 104
#define CTX_R15 112
#define CTX_RIP 120 /* rip, cs, rflags, rsp, ss: an IRETQ frame */
#define CTX_CS 128
#define CTX_RFLAGS 136
#define CTX_RSP 144
#define CTX_SS 152

/* struct kernel::Per_cpu (kernel/percpu.hpp), reached through %gs */
#define PCPU_SELF 0
#define PCPU_KERNEL_STACK 8
#define PCPU_SCRATCH 16
#define PCPU_USER_CTX 24

/* The stack of an exception from ring 0 after the common entry saved the
   general registers: struct Kernel_frame in x86.hpp. */
#define KFRAME_VECTOR 120

/* Virtual address of the kernel image's physical address 0. */
#define KERNEL_VMA 0xffffffff80000000
