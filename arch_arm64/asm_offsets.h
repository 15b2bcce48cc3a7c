// Offsets and constants of kernel structures that the arm64 entry code
// (vectors.S) reads and writes directly: the system-call fastpath walks
// threads, capabilities, endpoints, reply objects and the per-CPU data.
// Plain #defines so that assembly can include it; asm_offsets.cpp checks
// every value against the C++ definitions with static_asserts, so a
// change of layout fails the build instead of corrupting state.
#pragma once

// Per_cpu (kernel/percpu.hpp).
#define PERCPU_KERNEL_STACK_TOP 8
#define PERCPU_USER_CTX 24
#define PERCPU_CPU_ID 32
#define PERCPU_CURRENT 40
#define PERCPU_TICKS 48
#define PERCPU_TICKS_FROM_USER 56
#define PERCPU_FPU_OWNER 64
#define PERCPU_FPU_ENABLED 72
#define PERCPU_FPU_TRAPS 80
#define PERCPU_FASTPATH_HITS 88
#define PERCPU_STOP 96
#define PERCPU_IN_KERNEL 100
#define PERCPU_RQ_SUMMARY 112
#define PERCPU_RQ_BITMAP 120

// User_context (arch/context.hpp).
#define CTX_X30 240
#define CTX_SP_EL0 248
#define CTX_ELR 256
#define CTX_SPSR 264
#define CTX_TPIDR_EL0 272

// Thread (kernel/thread.hpp). The User_context is the first member, so a
// Thread* is also its context's address.
#define THREAD_STATE 288
#define THREAD_PRIORITY 292
#define THREAD_BASE_PRIORITY 609
#define THREAD_AFFINITY 294
#define THREAD_SLICE_LEFT 296
#define THREAD_VSPACE_ROOT 304
#define THREAD_ASID 312
#define THREAD_Q_PREV 328
#define THREAD_Q_NEXT 336
#define THREAD_BLOCKED_ON 344
#define THREAD_BOUND_NOTIFICATION 352
#define THREAD_IPC_RIGHTS 368
#define THREAD_FAULT_PENDING 370
#define THREAD_IPC_REPLY_WANTED 376
#define THREAD_IPC_REPLY 384
#define THREAD_CSPACE_CAP 480  // slots[tcb_cspace].cap

#define THREAD_STATE_READY 1
#define THREAD_STATE_BLOCKED_RECV 3
#define THREAD_STATE_BLOCKED_REPLY 4
#define TIME_SLICE_TICKS 5

// Endpoint, Reply, Notification (kernel/object.hpp).
#define EP_HEAD 8
#define EP_TAIL 16
#define EP_STATE 24
#define EP_STATE_IDLE 0
#define EP_STATE_SENDING 1
#define EP_STATE_RECEIVING 2
#define EP_LOCK 0
#define REPLY_CALLER 8
#define REPLY_SERVER 16
#define REPLY_LOCK 0
#define NTFN_STATE 24
#define NTFN_STATE_ACTIVE 2

// Capabilities (kernel/cap.hpp): word 0 holds the object's physical
// address (bits 47:0), the type (52:48), the rights (56:53) and the size
// (62:57: a CNode's radix); word 1 the badge or a CNode's guard (57:0)
// and guard size (63:58). Slots are 2^5 bytes.
#define CAP_TYPE_SHIFT 48
#define CAP_RIGHTS_SHIFT 53
#define CAP_SMALL_SHIFT 57
#define CAP_GUARD_BITS_SHIFT 58
#define CAP_RIGHT_READ_BIT 53
#define CAP_RIGHT_WRITE_BIT 54
#define CAP_RIGHTS_GRANT_ANY 0x0180000000000000  // grant or grant-reply (rights 0xc << 53)
#define CAP_TYPE_ENDPOINT 3
#define CAP_TYPE_REPLY 5
#define SLOT_SIZE_BITS 5

// The kernel's linear map of physical memory (arch/defs.hpp).
#define PHYSMAP_BASE 0xffff000000000000
