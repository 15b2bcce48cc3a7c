// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// System-call stubs for x86_64: "syscall", number in rax,
// arguments in rdi, rsi, rdx, r10, r8, r9, r12, r13, r14, r15; error and results in rdi, rsi, rdx, r10, r8, r9, r12, r13, r14, r15.
#pragma once

#include <stdint.h>

#include "errors.h"
#include "syscall_numbers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes one byte to the kernel's debug console.
 *   c: the byte (only the low 8 bits are written)
 */
static inline baton_error baton_debug_put_char(uint64_t c)
{
    register uint64_t r_rax __asm__("rax") = BATON_SYS_DEBUG_PUT_CHAR;
    register uint64_t r_rdi __asm__("rdi") = (uint64_t)(c);
    __asm__ volatile("syscall"
                     : "+r"(r_rdi)
                     : "r"(r_rax)
                     : "rcx", "r11", "memory");
    return (baton_error)r_rdi;
}

/* Writes a user buffer to the kernel's debug console. The kernel reads the buffer through the caller's page tables and refuses unmapped or kernel addresses.
 *   buf: user address of the bytes
 *   len: number of bytes, at most 4096
 */
static inline baton_error baton_debug_write(const void * buf, uint64_t len)
{
    register uint64_t r_rax __asm__("rax") = BATON_SYS_DEBUG_WRITE;
    register uint64_t r_rdi __asm__("rdi") = (uint64_t)(buf);
    register uint64_t r_rsi __asm__("rsi") = (uint64_t)(len);
    __asm__ volatile("syscall"
                     : "+r"(r_rdi)
                     : "r"(r_rax), "r"(r_rsi)
                     : "rcx", "r11", "memory");
    return (baton_error)r_rdi;
}

/* Gives up the rest of the time slice to another runnable thread of the same priority.
 */
static inline baton_error baton_yield(void)
{
    register uint64_t r_rax __asm__("rax") = BATON_SYS_YIELD;
    register uint64_t r_rdi __asm__("rdi");
    __asm__ volatile("syscall"
                     : "=r"(r_rdi)
                     : "r"(r_rax)
                     : "rcx", "r11", "memory");
    return (baton_error)r_rdi;
}

/* Ends the calling thread. When the last thread ends, the kernel reports the status and halts the machine.
 *   status: exit status, reported by the kernel
 */
__attribute__((noreturn)) static inline void baton_thread_exit(uint64_t status)
{
    register uint64_t r_rax __asm__("rax") = BATON_SYS_THREAD_EXIT;
    register uint64_t r_rdi __asm__("rdi") = (uint64_t)(status);
    __asm__ volatile("syscall"
                     : "+r"(r_rdi)
                     : "r"(r_rax)
                     : "rcx", "r11", "memory");
    (void)r_rdi;
    __builtin_unreachable();
}

/* Reads the calling CPU's timer-interrupt counters.
 *   *ticks (out): timer interrupts taken on this CPU
 *   *ticks_from_user (out): of which interrupted user mode
 */
static inline baton_error baton_debug_ticks(uint64_t *ticks, uint64_t *ticks_from_user)
{
    register uint64_t r_rax __asm__("rax") = BATON_SYS_DEBUG_TICKS;
    register uint64_t r_rdi __asm__("rdi");
    register uint64_t r_rsi __asm__("rsi");
    register uint64_t r_rdx __asm__("rdx");
    __asm__ volatile("syscall"
                     : "=r"(r_rdi), "=r"(r_rsi), "=r"(r_rdx)
                     : "r"(r_rax)
                     : "rcx", "r11", "memory");
    *ticks = (uint64_t)r_rsi;
    *ticks_from_user = (uint64_t)r_rdx;
    return (baton_error)r_rdi;
}

#ifdef __cplusplus
}
#endif
