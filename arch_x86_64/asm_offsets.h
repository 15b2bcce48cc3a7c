/* Offsets and constants the x86_64 assembly (entry.S, fastpath.S) uses in
 * kernel structures it does not own. Every value is checked against the C++
 * definitions by static_asserts in asm_offsets.cpp: a change to a kernel
 * struct breaks the build, not the kernel. */
#pragma once

/* struct kernel::Per_cpu (kernel/percpu.hpp), reached through %gs */
#define PCPU_CPU_ID 32
#define PCPU_CURRENT 40
#define PCPU_TICKS 48
#define PCPU_TICKS_FROM_USER 56
#define PCPU_FPU_OWNER 64
#define PCPU_FPU_ENABLED 72
#define PCPU_FPU_TRAPS 80
#define PCPU_FASTPATH_HITS 88
#define PCPU_STOP 96
#define PCPU_IN_KERNEL 100
#define PCPU_RQ_SUMMARY 112
#define PCPU_RQ_BITMAP 120

/* struct kernel::Thread (kernel/thread.hpp). Its User_context is its first
 * member, so a Thread* is also its context's address (CTX_* offsets). */
#define TH_STATE 160
#define TH_PRIORITY 164
#define TH_BASE_PRIORITY 481
#define TH_AFFINITY 166
#define TH_SLICE_LEFT 168
#define TH_VSPACE_ROOT 176
#define TH_ASID 184
#define TH_Q_PREV 200
#define TH_Q_NEXT 208
#define TH_BLOCKED_ON 216
#define TH_BOUND_NOTIFICATION 224
#define TH_IPC_RIGHTS 240
#define TH_FAULT_PENDING 242
#define TH_IPC_REPLY_WANTED 248
#define TH_IPC_REPLY 256
#define TH_CSPACE_W0 352 /* slots[tcb_cspace].cap, word 0 */
#define TH_CSPACE_W1 360 /* and word 1 */

/* enum class kernel::Thread_state */
#define THREAD_READY 1
#define THREAD_BLOCKED_RECV 3
#define THREAD_BLOCKED_REPLY 4

/* struct kernel::Endpoint, enum class kernel::Endpoint_state */
#define EP_HEAD 8
#define EP_TAIL 16
#define EP_STATE 24
#define EP_LOCK 0
#define EP_IDLE 0
#define EP_SENDING 1
#define EP_RECEIVING 2

/* struct kernel::Reply */
#define REPLY_CALLER 8
#define REPLY_SERVER 16
#define REPLY_LOCK 0

/* struct kernel::Notification, Notification_state::Active */
#define NTFN_STATE 24
#define NTFN_ACTIVE 2

/* kernel::Cap (kernel/cap.hpp): word 0 holds the object's physical address
 * in bits 0-47, the type in bits 48-52 (byte 6, bits 0-4), the rights in
 * bits 53-56 and the radix (CNodes) in bits 57-62; word 1 of a CNode
 * capability holds the guard width in bits 58-63 and the guard below. */
#define CAP_W1 8
#define CAP_TYPE_BYTE 6
#define CAP_TYPE_MASK 0x1f
#define CAP_RIGHTS_SHIFT 53
#define CAP_RIGHTS_IN_TYPE_WORD 5 /* in the 16 bits from CAP_TYPE_BYTE */
#define CAP_RADIX_IN_TYPE_WORD 9
#define CAP_RADIX_SHIFT 57
#define CAP_GUARD_BITS_SHIFT 58
#define CAP_TYPE_ENDPOINT 3
#define CAP_TYPE_REPLY 5
#define CAP_TYPE_CNODE 6
#define RIGHT_READ 1
#define RIGHT_WRITE 2
#define RIGHTS_GRANT_OR_GRANT_REPLY 0xc
#define SLOT_SIZE_BITS 5

/* The physmap: kernel VA of physical address pa is PHYSMAP_BASE + pa. Every
 * kernel object lies below 2^47 physically (RAM beyond the physmap stops the
 * boot), so PHYSMAP_BASE | (capability word 0) is the object's address
 * whatever the type and rights bits above bit 47 hold. */
#define PHYSMAP_BASE 0xffff800000000000

/* arch::user_top: user addresses lie below it. */
#define USER_TOP 0x0000800000000000

#define TIME_SLICE_TICKS 5

/* Flags ring 3 may hold (trap.cpp's user_rflags) and the bits a returning
 * context always has: IF and the reserved bit 1. */
#define USER_RFLAGS 0x240dd5
#define RFLAGS_FORCED 0x202

#define CR0_TS 8

/* arch::sel_user_code, arch::sel_user_data */
#define USER_CS 0x23
#define USER_SS 0x1b
