// Checks every number in asm_offsets.h against the C++ definitions.
#include "asm_offsets.h"

#include "config.hpp"
#include "endpoint.hpp"
#include "percpu.hpp"
#include "thread.hpp"
#include "x86.hpp"

namespace {

using kernel::Per_cpu;
using kernel::Thread;

#define CHECK_OFFSET(type, field, value) static_assert(__builtin_offsetof(type, field) == (value))

CHECK_OFFSET(Per_cpu, cpu_id, PCPU_CPU_ID);
CHECK_OFFSET(Per_cpu, current, PCPU_CURRENT);
CHECK_OFFSET(Per_cpu, ticks, PCPU_TICKS);
CHECK_OFFSET(Per_cpu, ticks_from_user, PCPU_TICKS_FROM_USER);
CHECK_OFFSET(Per_cpu, fpu_owner, PCPU_FPU_OWNER);
CHECK_OFFSET(Per_cpu, fpu_traps, PCPU_FPU_TRAPS);
CHECK_OFFSET(Per_cpu, fpu_enabled, PCPU_FPU_ENABLED);
CHECK_OFFSET(Per_cpu, fastpath_hits, PCPU_FASTPATH_HITS);
CHECK_OFFSET(Per_cpu, stop, PCPU_STOP);
CHECK_OFFSET(Per_cpu, in_kernel, PCPU_IN_KERNEL);
static_assert(__builtin_offsetof(Per_cpu, rq) + __builtin_offsetof(kernel::Run_queue, summary) == PCPU_RQ_SUMMARY);
static_assert(__builtin_offsetof(Per_cpu, rq) + __builtin_offsetof(kernel::Run_queue, bitmap) == PCPU_RQ_BITMAP);
static_assert(sizeof(Per_cpu::cpu_id) == 4 && sizeof(Per_cpu::fpu_enabled) == 1);

CHECK_OFFSET(Thread, ctx, 0);
CHECK_OFFSET(Thread, state, TH_STATE);
CHECK_OFFSET(Thread, priority, TH_PRIORITY);
CHECK_OFFSET(Thread, base_priority, TH_BASE_PRIORITY);
CHECK_OFFSET(Thread, affinity, TH_AFFINITY);
CHECK_OFFSET(Thread, slice_left, TH_SLICE_LEFT);
CHECK_OFFSET(Thread, vspace_root, TH_VSPACE_ROOT);
CHECK_OFFSET(Thread, asid, TH_ASID);
CHECK_OFFSET(Thread, q_prev, TH_Q_PREV);
CHECK_OFFSET(Thread, q_next, TH_Q_NEXT);
CHECK_OFFSET(Thread, blocked_on, TH_BLOCKED_ON);
CHECK_OFFSET(Thread, bound_notification, TH_BOUND_NOTIFICATION);
CHECK_OFFSET(Thread, ipc_rights, TH_IPC_RIGHTS);
CHECK_OFFSET(Thread, fault_pending, TH_FAULT_PENDING);
CHECK_OFFSET(Thread, ipc_reply_wanted, TH_IPC_REPLY_WANTED);
CHECK_OFFSET(Thread, ipc_reply, TH_IPC_REPLY);
static_assert(__builtin_offsetof(Thread, slots) + kernel::tcb_cspace * sizeof(kernel::Slot) +
                  __builtin_offsetof(kernel::Slot, cap) == TH_CSPACE_W0);
static_assert(TH_CSPACE_W1 == TH_CSPACE_W0 + CAP_W1);
static_assert(sizeof(Thread::state) == 4 && sizeof(Thread::priority) == 1 && sizeof(Thread::affinity) == 2 &&
              sizeof(Thread::slice_left) == 4 && sizeof(Thread::ipc_rights) == 1 && sizeof(Thread::fault_pending) == 1);

static_assert(u32(kernel::Thread_state::Ready) == THREAD_READY);
static_assert(u32(kernel::Thread_state::Blocked_recv) == THREAD_BLOCKED_RECV);
static_assert(u32(kernel::Thread_state::Blocked_reply) == THREAD_BLOCKED_REPLY);

CHECK_OFFSET(kernel::Endpoint, queue.head, EP_HEAD);
CHECK_OFFSET(kernel::Endpoint, queue.tail, EP_TAIL);
CHECK_OFFSET(kernel::Endpoint, state, EP_STATE);
CHECK_OFFSET(kernel::Endpoint, lock, EP_LOCK);
static_assert(sizeof(kernel::Endpoint::state) == 8);
static_assert(u64(kernel::Endpoint_state::Idle) == EP_IDLE);
static_assert(u64(kernel::Endpoint_state::Sending) == EP_SENDING);
static_assert(u64(kernel::Endpoint_state::Receiving) == EP_RECEIVING);

CHECK_OFFSET(kernel::Reply, caller, REPLY_CALLER);
CHECK_OFFSET(kernel::Reply, server, REPLY_SERVER);
CHECK_OFFSET(kernel::Reply, lock, REPLY_LOCK);

CHECK_OFFSET(kernel::Notification, state, NTFN_STATE);
static_assert(sizeof(kernel::Notification::state) == 8);
static_assert(u64(kernel::Notification_state::Active) == NTFN_ACTIVE);

// The capability encoding, checked on sample capabilities.
constexpr kernel::Cap sample_ep = kernel::Cap::make(kernel::Cap_type::Endpoint, 0x1234000, kernel::rights::all, 0, false, 77);
static_assert(((sample_ep.word0() >> (8 * CAP_TYPE_BYTE)) & CAP_TYPE_MASK) == u64(kernel::Cap_type::Endpoint));
static_assert(((sample_ep.word0() >> CAP_RIGHTS_SHIFT) & 0xf) == kernel::rights::all);
static_assert(CAP_RIGHTS_SHIFT - 8 * CAP_TYPE_BYTE == CAP_RIGHTS_IN_TYPE_WORD);
static_assert(CAP_RADIX_SHIFT - 8 * CAP_TYPE_BYTE == CAP_RADIX_IN_TYPE_WORD);
static_assert(kernel::Cap::make(kernel::Cap_type::Null, 0, 0, 0, true).word0() >> (8 * CAP_TYPE_BYTE) == 0x8000);  // the flag: bit 15
static_assert(u64(kernel::Cap_type::Endpoint) == CAP_TYPE_ENDPOINT);
static_assert(u64(kernel::Cap_type::Reply) == CAP_TYPE_REPLY);
static_assert(u64(kernel::Cap_type::Cnode) == CAP_TYPE_CNODE);
constexpr kernel::Cap sample_cnode = kernel::Cap::cnode(0x5000, 12, 52, 0);
static_assert(((sample_cnode.word0() >> CAP_RADIX_SHIFT) & 0x3f) == 12);
static_assert((sample_cnode.word1() >> CAP_GUARD_BITS_SHIFT) == 52);
static_assert(kernel::Cap::small_shift == CAP_RADIX_SHIFT && kernel::Cap::rights_shift == CAP_RIGHTS_SHIFT &&
              kernel::Cap::type_shift == 8 * CAP_TYPE_BYTE && kernel::Cap::max_guard_bits == CAP_GUARD_BITS_SHIFT);
static_assert(kernel::rights::read == RIGHT_READ && kernel::rights::write == RIGHT_WRITE &&
              (kernel::rights::grant | kernel::rights::grant_reply) == RIGHTS_GRANT_OR_GRANT_REPLY);
static_assert(sizeof(kernel::Slot) == (1u << SLOT_SIZE_BITS) && kernel::slot_size_bits == SLOT_SIZE_BITS);

// PHYSMAP_BASE | pa == PHYSMAP_BASE + pa needs pa < 2^47; RAM stops below
// kernel_image_base - physmap_base (vspace_build_kernel panics otherwise).
static_assert(arch::physmap_base == PHYSMAP_BASE);
static_assert(arch::user_top == USER_TOP);
static_assert(arch::kernel_image_base - arch::physmap_base <= (u64(1) << 47));
static_assert((PHYSMAP_BASE & ((u64(1) << 47) - 1)) == 0);

static_assert(kernel::time_slice_ticks == TIME_SLICE_TICKS);
static_assert(x86_64::cr0_ts == CR0_TS);
static_assert(arch::sel_user_code == USER_CS && arch::sel_user_data == USER_SS);
static_assert((arch::rflags_if | arch::rflags_reserved1) == RFLAGS_FORCED);

}  // namespace
