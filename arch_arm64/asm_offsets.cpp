// Checks asm_offsets.h against the C++ layouts it mirrors.
#include "asm_offsets.h"

#include <baton/syscall_numbers.h>

#include "endpoint.hpp"
#include "percpu.hpp"
#include "thread.hpp"

// Thread holds Slots (private members), so it is not standard-layout;
// GCC lays it out like any other struct and gives its offsets.
#pragma GCC diagnostic ignored "-Winvalid-offsetof"

namespace kernel {

#define CHECK_OFFSET(type, member, value) static_assert(__builtin_offsetof(type, member) == (value), #type "::" #member)

CHECK_OFFSET(Per_cpu, kernel_stack_top, PERCPU_KERNEL_STACK_TOP);
CHECK_OFFSET(Per_cpu, user_ctx, PERCPU_USER_CTX);
CHECK_OFFSET(Per_cpu, cpu_id, PERCPU_CPU_ID);
CHECK_OFFSET(Per_cpu, current, PERCPU_CURRENT);
CHECK_OFFSET(Per_cpu, ticks, PERCPU_TICKS);
CHECK_OFFSET(Per_cpu, ticks_from_user, PERCPU_TICKS_FROM_USER);
CHECK_OFFSET(Per_cpu, fpu_owner, PERCPU_FPU_OWNER);
CHECK_OFFSET(Per_cpu, fpu_enabled, PERCPU_FPU_ENABLED);
CHECK_OFFSET(Per_cpu, fpu_traps, PERCPU_FPU_TRAPS);
CHECK_OFFSET(Per_cpu, rq.summary, PERCPU_RQ_SUMMARY);
CHECK_OFFSET(Per_cpu, rq.bitmap, PERCPU_RQ_BITMAP);
CHECK_OFFSET(Per_cpu, stop, PERCPU_STOP);
CHECK_OFFSET(Per_cpu, in_kernel, PERCPU_IN_KERNEL);
CHECK_OFFSET(Per_cpu, fastpath_hits, PERCPU_FASTPATH_HITS);
static_assert(sizeof(Per_cpu::fpu_enabled) == 1 && sizeof(Per_cpu::cpu_id) == 4);

CHECK_OFFSET(arch::User_context, x[30], CTX_X30);
CHECK_OFFSET(arch::User_context, sp_el0, CTX_SP_EL0);
CHECK_OFFSET(arch::User_context, elr, CTX_ELR);
CHECK_OFFSET(arch::User_context, spsr, CTX_SPSR);
CHECK_OFFSET(arch::User_context, tpidr_el0, CTX_TPIDR_EL0);

CHECK_OFFSET(Thread, ctx, 0);
CHECK_OFFSET(Thread, state, THREAD_STATE);
CHECK_OFFSET(Thread, priority, THREAD_PRIORITY);
CHECK_OFFSET(Thread, base_priority, THREAD_BASE_PRIORITY);
CHECK_OFFSET(Thread, affinity, THREAD_AFFINITY);
CHECK_OFFSET(Thread, slice_left, THREAD_SLICE_LEFT);
CHECK_OFFSET(Thread, vspace_root, THREAD_VSPACE_ROOT);
CHECK_OFFSET(Thread, asid, THREAD_ASID);
CHECK_OFFSET(Thread, q_prev, THREAD_Q_PREV);
CHECK_OFFSET(Thread, q_next, THREAD_Q_NEXT);
CHECK_OFFSET(Thread, blocked_on, THREAD_BLOCKED_ON);
CHECK_OFFSET(Thread, bound_notification, THREAD_BOUND_NOTIFICATION);
CHECK_OFFSET(Thread, ipc_rights, THREAD_IPC_RIGHTS);
CHECK_OFFSET(Thread, fault_pending, THREAD_FAULT_PENDING);
CHECK_OFFSET(Thread, ipc_reply_wanted, THREAD_IPC_REPLY_WANTED);
CHECK_OFFSET(Thread, ipc_reply, THREAD_IPC_REPLY);
CHECK_OFFSET(Thread, slots[tcb_cspace].cap, THREAD_CSPACE_CAP);
static_assert(sizeof(Thread::state) == 4 && sizeof(Thread::priority) == 1 && sizeof(Thread::affinity) == 2 &&
              sizeof(Thread::slice_left) == 4 && sizeof(Thread::ipc_rights) == 1 && sizeof(Thread::fault_pending) == 1);
static_assert(u32(Thread_state::Ready) == THREAD_STATE_READY);
static_assert(u32(Thread_state::Blocked_recv) == THREAD_STATE_BLOCKED_RECV);
static_assert(u32(Thread_state::Blocked_reply) == THREAD_STATE_BLOCKED_REPLY);
static_assert(time_slice_ticks == TIME_SLICE_TICKS);

CHECK_OFFSET(Endpoint, queue.head, EP_HEAD);
CHECK_OFFSET(Endpoint, queue.tail, EP_TAIL);
CHECK_OFFSET(Endpoint, state, EP_STATE);
CHECK_OFFSET(Endpoint, lock, EP_LOCK);
static_assert(sizeof(Endpoint::state) == 8);
static_assert(u64(Endpoint_state::Idle) == EP_STATE_IDLE);
static_assert(u64(Endpoint_state::Sending) == EP_STATE_SENDING);
static_assert(u64(Endpoint_state::Receiving) == EP_STATE_RECEIVING);
CHECK_OFFSET(Reply, caller, REPLY_CALLER);
CHECK_OFFSET(Reply, server, REPLY_SERVER);
CHECK_OFFSET(Reply, lock, REPLY_LOCK);
CHECK_OFFSET(Notification, state, NTFN_STATE);
static_assert(sizeof(Notification::state) == 8);
static_assert(u64(Notification_state::Active) == NTFN_STATE_ACTIVE);

static_assert(Cap::type_shift == CAP_TYPE_SHIFT && Cap::rights_shift == CAP_RIGHTS_SHIFT &&
              Cap::small_shift == CAP_SMALL_SHIFT && Cap::max_guard_bits == CAP_GUARD_BITS_SHIFT);
static_assert(Cap::pa_mask == (u64(1) << CAP_TYPE_SHIFT) - 1);
static_assert(u64(rights::read) << CAP_RIGHTS_SHIFT == u64(1) << CAP_RIGHT_READ_BIT);
static_assert(u64(rights::write) << CAP_RIGHTS_SHIFT == u64(1) << CAP_RIGHT_WRITE_BIT);
static_assert(u64(rights::grant | rights::grant_reply) << CAP_RIGHTS_SHIFT == u64(CAP_RIGHTS_GRANT_ANY));
static_assert(u64(Cap_type::Endpoint) == CAP_TYPE_ENDPOINT && u64(Cap_type::Reply) == CAP_TYPE_REPLY);
// vectors.S's one-level CSpace test relies on an empty TCB CSpace slot
// failing its radix + guard size == 64 test.
static_assert(Cap{}.radix() == 0 && Cap{}.guard_bits() == 0);
static_assert(slot_size_bits == SLOT_SIZE_BITS && sizeof(Slot) == 1u << SLOT_SIZE_BITS);
static_assert(arch::physmap_base == PHYSMAP_BASE);

}  // namespace kernel
