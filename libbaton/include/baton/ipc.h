/* Messages: the message-info word, the IPC buffer, capability pointers.
 *
 * A message is a label, up to 120 words and up to 3 capabilities. Words
 * 0-7 travel in registers (BATON_MSG_REGISTERS); the rest, and the
 * capability pointers, in the sender's IPC buffer: one 1 KiB, 1 KiB-aligned
 * block per thread in a frame the thread's TCB names (TCB SetIPCBuffer).
 */
#pragma once

#include <stdint.h>

typedef uint64_t baton_cptr;     /* a capability pointer: resolved through the caller's CSpace */
typedef uint64_t baton_msginfo;  /* label | capabilities | length, see below */

#define BATON_MSG_MAX_LENGTH 120
#define BATON_MSG_REGISTERS 8
#define BATON_MSG_MAX_EXTRA_CAPS 3
#define BATON_IPC_BUFFER_SIZE 1024

/* baton_msginfo: bits 0-6 length (words), 7-8 extra capabilities,
 * 9-11 capabilities unwrapped to badges, 12-63 label. */
static inline baton_msginfo baton_msginfo_new(uint64_t label, uint64_t caps_unwrapped, uint64_t extra_caps,
                                              uint64_t length) {
    return (label << 12) | ((caps_unwrapped & 7) << 9) | ((extra_caps & 3) << 7) | (length & 0x7f);
}
static inline uint64_t baton_msginfo_label(baton_msginfo i) { return i >> 12; }
static inline uint64_t baton_msginfo_caps_unwrapped(baton_msginfo i) { return (i >> 9) & 7; }
static inline uint64_t baton_msginfo_extra_caps(baton_msginfo i) { return (i >> 7) & 3; }
static inline uint64_t baton_msginfo_length(baton_msginfo i) { return i & 0x7f; }

/* A message of up to four words kept in registers: what the register-only
 * IPC stubs (baton_call_regs, baton_reply_recv_regs, ... in
 * <baton/syscalls.h>) take and return instead of a uint64_t mr[8] array.
 * Inlined, the compiler keeps every field in a register, so a small message
 * goes from the sender's registers to the receiver's without touching
 * memory. Received: info is the message info (on an error, its label is
 * the error code and words 0-1 its details), badge the sender's badge (0
 * for a reply); words at or past the received length are unspecified. */
typedef struct baton_msg {
    baton_msginfo info;
    uint64_t badge;
    uint64_t w0, w1, w2, w3;
} baton_msg;

struct baton_ipc_buffer {
    baton_msginfo tag;
    uint64_t msg[BATON_MSG_MAX_LENGTH];            /* msg[i]: word i of a message, for i >= 8; words 0-7
                                                      travel in registers, and the runtime keeps the last
                                                      error's details in msg[0-1] */
    uint64_t user_data;                            /* free for the thread's own use */
    uint64_t caps_or_badges[BATON_MSG_MAX_EXTRA_CAPS]; /* sent: capability pointers; received: badges */
    baton_cptr receive_cnode;                      /* where a received capability goes */
    baton_cptr receive_index;
    uint64_t receive_depth;
};

/* Faults arrive at a thread's fault endpoint as a Call with one of these
 * labels and four words; replying restarts the thread (the handler may first
 * fix its address space, or its registers through its TCB).
 *   UNKNOWN_SYSCALL:  pc (after the trap), sp, the system-call number, 0
 *   USER_EXCEPTION:   pc, sp, the arch's code (ESR / vector << 32 | error), the kind
 *   VM:               pc, the faulting address, the arch's code, BATON_FAULT_WRITE | BATON_FAULT_FETCH */
#define BATON_FAULT_UNKNOWN_SYSCALL 1
#define BATON_FAULT_USER_EXCEPTION 2
#define BATON_FAULT_VM 3
#define BATON_FAULT_WRITE 1
#define BATON_FAULT_FETCH 2

#ifdef __cplusplus
static_assert(sizeof(struct baton_ipc_buffer) == BATON_IPC_BUFFER_SIZE, "the IPC buffer layout is fixed");
#endif

#ifdef __cplusplus
extern "C" {
#endif
/* The calling thread's IPC buffer (set up by the runtime). */
extern struct baton_ipc_buffer *__baton_ipc_buffer;
#ifdef __cplusplus
}
#endif

/* Details of the last failed invocation: an argument index, a range's
 * bounds, a failed lookup's remaining bits and cause. */
static inline uint64_t baton_error_detail(unsigned i) { return __baton_ipc_buffer->msg[i & 1]; }
