// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// System-call stubs for aarch64: "svc #0", number in x16,
// arguments in x0, x1, x2, x3, x4, x5, x6, x7, x8, x9; error and results in x0, x1, x2, x3, x4, x5, x6, x7, x8, x9.
#pragma once

#include <stdint.h>

#include "errors.h"
#include <baton/ipc.h>
#include "syscall_numbers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sends a message to a capability and waits for the reply: an IPC Call on an endpoint, or an invocation of a kernel object (the reply's label is then the error code).
 *   dest: capability pointer; info: message info; mr: message words 0-7, in and out.
 * Returns the reply's message info; *badge receives the sender's badge. */
static inline baton_msginfo baton_call(baton_cptr dest, baton_msginfo info, uint64_t mr[8], uint64_t *badge)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = mr[0];
    register uint64_t r3 __asm__("x3") = mr[1];
    register uint64_t r4 __asm__("x4") = mr[2];
    register uint64_t r5 __asm__("x5") = mr[3];
    register uint64_t r6 __asm__("x6") = mr[4];
    register uint64_t r7 __asm__("x7") = mr[5];
    register uint64_t r8 __asm__("x8") = mr[6];
    register uint64_t r9 __asm__("x9") = mr[7];
    register uint64_t nr __asm__("x16") = BATON_SYS_CALL;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
                     : "r"(nr)
                     : "memory");
    mr[0] = r2;
    mr[1] = r3;
    mr[2] = r4;
    mr[3] = r5;
    mr[4] = r6;
    mr[5] = r7;
    mr[6] = r8;
    mr[7] = r9;
    if (badge) *badge = r0;
    return r1;
}

/* baton_call for messages of up to four words, in registers only (see
 * baton_msg in <baton/ipc.h>). Words 0-3 are passed as values; the length in
 * info must be at most 4 (words 4-7 would be whatever those registers hold).
 * The received message comes back as a baton_msg that the compiler keeps in
 * registers; words 4-7 of a longer one are dropped (baton_call has them). */
static inline baton_msg baton_call_regs(baton_cptr dest, baton_msginfo info, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = w0;
    register uint64_t r3 __asm__("x3") = w1;
    register uint64_t r4 __asm__("x4") = w2;
    register uint64_t r5 __asm__("x5") = w3;
    register uint64_t r6 __asm__("x6");
    register uint64_t r7 __asm__("x7");
    register uint64_t r8 __asm__("x8");
    register uint64_t r9 __asm__("x9");
    register uint64_t nr __asm__("x16") = BATON_SYS_CALL;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "=r"(r6), "=r"(r7), "=r"(r8), "=r"(r9)
                     : "r"(nr)
                     : "memory");
    (void)r6, (void)r7, (void)r8, (void)r9;
    baton_msg m = {r1, r0, r2, r3, r4, r5};
    return m;
}

/* Sends to a capability without waiting for a reply. On an endpoint (needs the write right; capabilities travel with the grant right): blocks until a receiver takes the message. On a Reply capability: answers the caller bound to it. On a notification (needs the write right): Signal, which ORs the capability's badge into the notification's word, or hands it to the first waiting thread.
 *   dest: capability pointer; info: message info; mr: message words 0-7, in and out.
 * Returns the reply's message info; *badge receives the sender's badge. */
static inline baton_msginfo baton_send(baton_cptr dest, baton_msginfo info, uint64_t mr[8], uint64_t *badge)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = mr[0];
    register uint64_t r3 __asm__("x3") = mr[1];
    register uint64_t r4 __asm__("x4") = mr[2];
    register uint64_t r5 __asm__("x5") = mr[3];
    register uint64_t r6 __asm__("x6") = mr[4];
    register uint64_t r7 __asm__("x7") = mr[5];
    register uint64_t r8 __asm__("x8") = mr[6];
    register uint64_t r9 __asm__("x9") = mr[7];
    register uint64_t nr __asm__("x16") = BATON_SYS_SEND;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
                     : "r"(nr)
                     : "memory");
    mr[0] = r2;
    mr[1] = r3;
    mr[2] = r4;
    mr[3] = r5;
    mr[4] = r6;
    mr[5] = r7;
    mr[6] = r8;
    mr[7] = r9;
    if (badge) *badge = r0;
    return r1;
}

/* baton_send for messages of up to four words, in registers only (see
 * baton_msg in <baton/ipc.h>). Words 0-3 are passed as values; the length in
 * info must be at most 4 (words 4-7 would be whatever those registers hold).
 * The received message comes back as a baton_msg that the compiler keeps in
 * registers; words 4-7 of a longer one are dropped (baton_send has them). */
static inline baton_msg baton_send_regs(baton_cptr dest, baton_msginfo info, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = w0;
    register uint64_t r3 __asm__("x3") = w1;
    register uint64_t r4 __asm__("x4") = w2;
    register uint64_t r5 __asm__("x5") = w3;
    register uint64_t r6 __asm__("x6");
    register uint64_t r7 __asm__("x7");
    register uint64_t r8 __asm__("x8");
    register uint64_t r9 __asm__("x9");
    register uint64_t nr __asm__("x16") = BATON_SYS_SEND;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "=r"(r6), "=r"(r7), "=r"(r8), "=r"(r9)
                     : "r"(nr)
                     : "memory");
    (void)r6, (void)r7, (void)r8, (void)r9;
    baton_msg m = {r1, r0, r2, r3, r4, r5};
    return m;
}

/* Receives from a capability, blocking until something arrives. On an endpoint (needs the read right): the next message, with the sender's badge; a Call received binds its caller to the Reply object `reply` (0: a Call is refused to its caller). On a notification (needs the read right; a notification bound to a thread serves that thread only): Wait, which returns the notification's word in the badge and clears it. A waiter whose object is deleted is woken with invalid_capability.
 *   dest: capability pointer; info: message info; mr: message words 0-7, in and out; reply: a Reply object's capability pointer.
 * Returns the reply's message info; *badge receives the sender's badge. */
static inline baton_msginfo baton_recv(baton_cptr dest, baton_msginfo info, uint64_t mr[8], uint64_t *badge, baton_cptr reply)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = mr[0];
    register uint64_t r3 __asm__("x3") = mr[1];
    register uint64_t r4 __asm__("x4") = mr[2];
    register uint64_t r5 __asm__("x5") = mr[3];
    register uint64_t r6 __asm__("x6") = mr[4];
    register uint64_t r7 __asm__("x7") = mr[5];
    register uint64_t r8 __asm__("x8") = mr[6];
    register uint64_t r9 __asm__("x9") = mr[7];
    register uint64_t nr __asm__("x16") = BATON_SYS_RECV;
    register uint64_t rr __asm__("x10") = reply;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
                     : "r"(nr), "r"(rr)
                     : "memory");
    mr[0] = r2;
    mr[1] = r3;
    mr[2] = r4;
    mr[3] = r5;
    mr[4] = r6;
    mr[5] = r7;
    mr[6] = r8;
    mr[7] = r9;
    if (badge) *badge = r0;
    return r1;
}

/* baton_recv for messages of up to four words, in registers only (see
 * baton_msg in <baton/ipc.h>).
 * The received message comes back as a baton_msg that the compiler keeps in
 * registers; words 4-7 of a longer one are dropped (baton_recv has them). */
static inline baton_msg baton_recv_regs(baton_cptr src, baton_cptr reply)
{
    register uint64_t r0 __asm__("x0") = src;
    register uint64_t r1 __asm__("x1") = 0;
    register uint64_t r2 __asm__("x2");
    register uint64_t r3 __asm__("x3");
    register uint64_t r4 __asm__("x4");
    register uint64_t r5 __asm__("x5");
    register uint64_t r6 __asm__("x6");
    register uint64_t r7 __asm__("x7");
    register uint64_t r8 __asm__("x8");
    register uint64_t r9 __asm__("x9");
    register uint64_t nr __asm__("x16") = BATON_SYS_RECV;
    register uint64_t rr __asm__("x10") = reply;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "=r"(r2), "=r"(r3), "=r"(r4), "=r"(r5), "=r"(r6), "=r"(r7), "=r"(r8), "=r"(r9)
                     : "r"(nr), "r"(rr)
                     : "memory");
    (void)r6, (void)r7, (void)r8, (void)r9;
    baton_msg m = {r1, r0, r2, r3, r4, r5};
    return m;
}

/* Like recv, without blocking: on an endpoint, badge 0 and an empty message when no sender waits; on a notification, Poll, which returns the word in the badge (0 if nothing was signalled) and clears it.
 *   dest: capability pointer; info: message info; mr: message words 0-7, in and out; reply: a Reply object's capability pointer.
 * Returns the reply's message info; *badge receives the sender's badge. */
static inline baton_msginfo baton_nb_recv(baton_cptr dest, baton_msginfo info, uint64_t mr[8], uint64_t *badge, baton_cptr reply)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = mr[0];
    register uint64_t r3 __asm__("x3") = mr[1];
    register uint64_t r4 __asm__("x4") = mr[2];
    register uint64_t r5 __asm__("x5") = mr[3];
    register uint64_t r6 __asm__("x6") = mr[4];
    register uint64_t r7 __asm__("x7") = mr[5];
    register uint64_t r8 __asm__("x8") = mr[6];
    register uint64_t r9 __asm__("x9") = mr[7];
    register uint64_t nr __asm__("x16") = BATON_SYS_NB_RECV;
    register uint64_t rr __asm__("x10") = reply;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
                     : "r"(nr), "r"(rr)
                     : "memory");
    mr[0] = r2;
    mr[1] = r3;
    mr[2] = r4;
    mr[3] = r5;
    mr[4] = r6;
    mr[5] = r7;
    mr[6] = r8;
    mr[7] = r9;
    if (badge) *badge = r0;
    return r1;
}

/* baton_nb_recv for messages of up to four words, in registers only (see
 * baton_msg in <baton/ipc.h>).
 * The received message comes back as a baton_msg that the compiler keeps in
 * registers; words 4-7 of a longer one are dropped (baton_nb_recv has them). */
static inline baton_msg baton_nb_recv_regs(baton_cptr src, baton_cptr reply)
{
    register uint64_t r0 __asm__("x0") = src;
    register uint64_t r1 __asm__("x1") = 0;
    register uint64_t r2 __asm__("x2");
    register uint64_t r3 __asm__("x3");
    register uint64_t r4 __asm__("x4");
    register uint64_t r5 __asm__("x5");
    register uint64_t r6 __asm__("x6");
    register uint64_t r7 __asm__("x7");
    register uint64_t r8 __asm__("x8");
    register uint64_t r9 __asm__("x9");
    register uint64_t nr __asm__("x16") = BATON_SYS_NB_RECV;
    register uint64_t rr __asm__("x10") = reply;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "=r"(r2), "=r"(r3), "=r"(r4), "=r"(r5), "=r"(r6), "=r"(r7), "=r"(r8), "=r"(r9)
                     : "r"(nr), "r"(rr)
                     : "memory");
    (void)r6, (void)r7, (void)r8, (void)r9;
    baton_msg m = {r1, r0, r2, r3, r4, r5};
    return m;
}

/* A server's loop in one call: answers the caller bound to the Reply object `reply` with this message, then receives on the endpoint as recv does, binding the next Call to the same Reply object.
 *   dest: capability pointer; info: message info; mr: message words 0-7, in and out; reply: a Reply object's capability pointer.
 * Returns the reply's message info; *badge receives the sender's badge. */
static inline baton_msginfo baton_reply_recv(baton_cptr dest, baton_msginfo info, uint64_t mr[8], uint64_t *badge, baton_cptr reply)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = mr[0];
    register uint64_t r3 __asm__("x3") = mr[1];
    register uint64_t r4 __asm__("x4") = mr[2];
    register uint64_t r5 __asm__("x5") = mr[3];
    register uint64_t r6 __asm__("x6") = mr[4];
    register uint64_t r7 __asm__("x7") = mr[5];
    register uint64_t r8 __asm__("x8") = mr[6];
    register uint64_t r9 __asm__("x9") = mr[7];
    register uint64_t nr __asm__("x16") = BATON_SYS_REPLY_RECV;
    register uint64_t rr __asm__("x10") = reply;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
                     : "r"(nr), "r"(rr)
                     : "memory");
    mr[0] = r2;
    mr[1] = r3;
    mr[2] = r4;
    mr[3] = r5;
    mr[4] = r6;
    mr[5] = r7;
    mr[6] = r8;
    mr[7] = r9;
    if (badge) *badge = r0;
    return r1;
}

/* baton_reply_recv for messages of up to four words, in registers only (see
 * baton_msg in <baton/ipc.h>). Words 0-3 are passed as values; the length in
 * info must be at most 4 (words 4-7 would be whatever those registers hold).
 * The received message comes back as a baton_msg that the compiler keeps in
 * registers; words 4-7 of a longer one are dropped (baton_reply_recv has them). */
static inline baton_msg baton_reply_recv_regs(baton_cptr dest, baton_msginfo info, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, baton_cptr reply)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = w0;
    register uint64_t r3 __asm__("x3") = w1;
    register uint64_t r4 __asm__("x4") = w2;
    register uint64_t r5 __asm__("x5") = w3;
    register uint64_t r6 __asm__("x6");
    register uint64_t r7 __asm__("x7");
    register uint64_t r8 __asm__("x8");
    register uint64_t r9 __asm__("x9");
    register uint64_t nr __asm__("x16") = BATON_SYS_REPLY_RECV;
    register uint64_t rr __asm__("x10") = reply;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "=r"(r6), "=r"(r7), "=r"(r8), "=r"(r9)
                     : "r"(nr), "r"(rr)
                     : "memory");
    (void)r6, (void)r7, (void)r8, (void)r9;
    baton_msg m = {r1, r0, r2, r3, r4, r5};
    return m;
}

/* Like send, without blocking: on an endpoint with no receiver waiting, the message is dropped.
 *   dest: capability pointer; info: message info; mr: message words 0-7, in and out.
 * Returns the reply's message info; *badge receives the sender's badge. */
static inline baton_msginfo baton_nb_send(baton_cptr dest, baton_msginfo info, uint64_t mr[8], uint64_t *badge)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = mr[0];
    register uint64_t r3 __asm__("x3") = mr[1];
    register uint64_t r4 __asm__("x4") = mr[2];
    register uint64_t r5 __asm__("x5") = mr[3];
    register uint64_t r6 __asm__("x6") = mr[4];
    register uint64_t r7 __asm__("x7") = mr[5];
    register uint64_t r8 __asm__("x8") = mr[6];
    register uint64_t r9 __asm__("x9") = mr[7];
    register uint64_t nr __asm__("x16") = BATON_SYS_NB_SEND;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
                     : "r"(nr)
                     : "memory");
    mr[0] = r2;
    mr[1] = r3;
    mr[2] = r4;
    mr[3] = r5;
    mr[4] = r6;
    mr[5] = r7;
    mr[6] = r8;
    mr[7] = r9;
    if (badge) *badge = r0;
    return r1;
}

/* baton_nb_send for messages of up to four words, in registers only (see
 * baton_msg in <baton/ipc.h>). Words 0-3 are passed as values; the length in
 * info must be at most 4 (words 4-7 would be whatever those registers hold).
 * The received message comes back as a baton_msg that the compiler keeps in
 * registers; words 4-7 of a longer one are dropped (baton_nb_send has them). */
static inline baton_msg baton_nb_send_regs(baton_cptr dest, baton_msginfo info, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    register uint64_t r0 __asm__("x0") = dest;
    register uint64_t r1 __asm__("x1") = info;
    register uint64_t r2 __asm__("x2") = w0;
    register uint64_t r3 __asm__("x3") = w1;
    register uint64_t r4 __asm__("x4") = w2;
    register uint64_t r5 __asm__("x5") = w3;
    register uint64_t r6 __asm__("x6");
    register uint64_t r7 __asm__("x7");
    register uint64_t r8 __asm__("x8");
    register uint64_t r9 __asm__("x9");
    register uint64_t nr __asm__("x16") = BATON_SYS_NB_SEND;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "=r"(r6), "=r"(r7), "=r"(r8), "=r"(r9)
                     : "r"(nr)
                     : "memory");
    (void)r6, (void)r7, (void)r8, (void)r9;
    baton_msg m = {r1, r0, r2, r3, r4, r5};
    return m;
}

/* Writes one byte to the kernel's debug console.
 *   c: the byte (only the low 8 bits are written)
 */
static inline baton_error baton_debug_put_char(uint64_t c)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_DEBUG_PUT_CHAR;
    register uint64_t r_x0 __asm__("x0") = (uint64_t)(c);
    __asm__ volatile("svc #0"
                     : "+r"(r_x0)
                     : "r"(r_x16)
                     : "memory");
    return (baton_error)r_x0;
}

/* Writes a user buffer to the kernel's debug console. The kernel reads the buffer through the caller's page tables and refuses unmapped or kernel addresses.
 *   buf: user address of the bytes
 *   len: number of bytes, at most 4096
 */
static inline baton_error baton_debug_write(const void * buf, uint64_t len)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_DEBUG_WRITE;
    register uint64_t r_x0 __asm__("x0") = (uint64_t)(buf);
    register uint64_t r_x1 __asm__("x1") = (uint64_t)(len);
    __asm__ volatile("svc #0"
                     : "+r"(r_x0)
                     : "r"(r_x16), "r"(r_x1)
                     : "memory");
    return (baton_error)r_x0;
}

/* Gives up the rest of the time slice to another runnable thread of the same priority.
 */
static inline baton_error baton_yield(void)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_YIELD;
    register uint64_t r_x0 __asm__("x0");
    __asm__ volatile("svc #0"
                     : "=r"(r_x0)
                     : "r"(r_x16)
                     : "memory");
    return (baton_error)r_x0;
}

/* Ends the calling thread. When the last thread ends, the kernel reports the status and halts the machine.
 *   status: exit status, reported by the kernel
 */
__attribute__((noreturn)) static inline void baton_thread_exit(uint64_t status)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_THREAD_EXIT;
    register uint64_t r_x0 __asm__("x0") = (uint64_t)(status);
    __asm__ volatile("svc #0"
                     : "+r"(r_x0)
                     : "r"(r_x16)
                     : "memory");
    (void)r_x0;
    __builtin_unreachable();
}

/* Reads the calling CPU's timer-interrupt counters.
 *   *ticks (out): timer interrupts taken on this CPU
 *   *ticks_from_user (out): of which interrupted user mode
 */
static inline baton_error baton_debug_ticks(uint64_t *ticks, uint64_t *ticks_from_user)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_DEBUG_TICKS;
    register uint64_t r_x0 __asm__("x0");
    register uint64_t r_x1 __asm__("x1");
    register uint64_t r_x2 __asm__("x2");
    __asm__ volatile("svc #0"
                     : "=r"(r_x0), "=r"(r_x1), "=r"(r_x2)
                     : "r"(r_x16)
                     : "memory");
    *ticks = (uint64_t)r_x1;
    *ticks_from_user = (uint64_t)r_x2;
    return (baton_error)r_x0;
}

/* Reads what a capability in the caller's CSpace names: its type, rights and type-specific word (badge, guard, watermark). For tests and debugging.
 *   cptr: capability pointer, resolved at depth 64
 *   *type (out): baton_object_type
 *   *rights (out): rights bits
 *   *word (out): badge (endpoint, notification), guard size | guard << 6 (cnode), watermark (untyped), interrupt number (irq_handler)
 */
static inline baton_error baton_debug_cap_identify(uint64_t cptr, uint64_t *type, uint64_t *rights, uint64_t *word)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_DEBUG_CAP_IDENTIFY;
    register uint64_t r_x0 __asm__("x0") = (uint64_t)(cptr);
    register uint64_t r_x1 __asm__("x1");
    register uint64_t r_x2 __asm__("x2");
    register uint64_t r_x3 __asm__("x3");
    __asm__ volatile("svc #0"
                     : "+r"(r_x0), "=r"(r_x1), "=r"(r_x2), "=r"(r_x3)
                     : "r"(r_x16)
                     : "memory");
    *type = (uint64_t)r_x1;
    *rights = (uint64_t)r_x2;
    *word = (uint64_t)r_x3;
    return (baton_error)r_x0;
}

/* Makes an interrupt pending as if its device had raised it, for tests: on arm64 through the GIC's set-pending register, on x86_64 by sending this CPU the vector the GSI is routed to (held back while the interrupt is masked). Refuses interrupts without an IRQ handler capability (illegal_operation) and numbers the platform does not have (range_error).
 *   irq: interrupt number: GIC INTID (arm64), GSI (x86_64)
 */
static inline baton_error baton_debug_irq_raise(uint64_t irq)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_DEBUG_IRQ_RAISE;
    register uint64_t r_x0 __asm__("x0") = (uint64_t)(irq);
    __asm__ volatile("svc #0"
                     : "+r"(r_x0)
                     : "r"(r_x16)
                     : "memory");
    return (baton_error)r_x0;
}

/* Does nothing and returns ok: the cost of entering and leaving the kernel, for the benchmark suite (syscall.null).
 */
static inline baton_error baton_null(void)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_NULL;
    register uint64_t r_x0 __asm__("x0");
    __asm__ volatile("svc #0"
                     : "=r"(r_x0)
                     : "r"(r_x16)
                     : "memory");
    return (baton_error)r_x0;
}

/* Reads how many FP/SIMD traps the calling CPU has taken: FP/SIMD state is switched lazily, so a trap is taken only when a thread uses FP/SIMD while another thread's state is in the registers (or none is). For tests.
 *   *traps (out): FP/SIMD traps taken on this CPU since boot
 */
static inline baton_error baton_debug_fpu_traps(uint64_t *traps)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_DEBUG_FPU_TRAPS;
    register uint64_t r_x0 __asm__("x0");
    register uint64_t r_x1 __asm__("x1");
    __asm__ volatile("svc #0"
                     : "=r"(r_x0), "=r"(r_x1)
                     : "r"(r_x16)
                     : "memory");
    *traps = (uint64_t)r_x1;
    return (baton_error)r_x0;
}

/* Reads how many IPC system calls took the fastpath since boot (0 in a kernel built without it). For tests and benchmarks.
 *   *fastpath (out): Call and ReplyRecv handled by the fastpath
 */
static inline baton_error baton_debug_ipc_stats(uint64_t *fastpath)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_DEBUG_IPC_STATS;
    register uint64_t r_x0 __asm__("x0");
    register uint64_t r_x1 __asm__("x1");
    __asm__ volatile("svc #0"
                     : "=r"(r_x0), "=r"(r_x1)
                     : "r"(r_x16)
                     : "memory");
    *fastpath = (uint64_t)r_x1;
    return (baton_error)r_x0;
}

/* Says which CPU the caller runs on: its index among the boot info's cpu_count CPUs. A thread runs only on the CPU its affinity (TCB SetAffinity) names, so the answer changes only when that does.
 *   *cpu (out): the index of the CPU, 0 .. cpu_count-1
 */
static inline baton_error baton_cpu_id(uint64_t *cpu)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_CPU_ID;
    register uint64_t r_x0 __asm__("x0");
    register uint64_t r_x1 __asm__("x1");
    __asm__ volatile("svc #0"
                     : "=r"(r_x0), "=r"(r_x1)
                     : "r"(r_x16)
                     : "memory");
    *cpu = (uint64_t)r_x1;
    return (baton_error)r_x0;
}

/* Reads one kernel lock class's counters since boot: how often its locks were taken and how often a CPU found one taken and had to wait. Needs the IRQ control capability (authority over the machine). Classes: 0 the big lock (-Dkernel_lock=big kernels), 1 entries that waited for an exclusive holder, 2 the exclusive lock, 3 endpoint locks, 4 Reply object locks, 5 notification locks, 6 the console; others are range_error.
 *   authority: capability pointer to the IRQ control capability
 *   lock_class: the class, 0 .. 6
 *   *acquired (out): acquisitions
 *   *contended (out): acquisitions that had to wait
 */
static inline baton_error baton_debug_lock_stats(uint64_t authority, uint64_t lock_class, uint64_t *acquired, uint64_t *contended)
{
    register uint64_t r_x16 __asm__("x16") = BATON_SYS_DEBUG_LOCK_STATS;
    register uint64_t r_x0 __asm__("x0") = (uint64_t)(authority);
    register uint64_t r_x1 __asm__("x1") = (uint64_t)(lock_class);
    register uint64_t r_x2 __asm__("x2");
    __asm__ volatile("svc #0"
                     : "+r"(r_x0), "+r"(r_x1), "=r"(r_x2)
                     : "r"(r_x16)
                     : "memory");
    *acquired = (uint64_t)r_x1;
    *contended = (uint64_t)r_x2;
    return (baton_error)r_x0;
}

#ifdef __cplusplus
}
#endif
