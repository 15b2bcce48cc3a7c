// TCB invocations: configuration, priorities, registers, run state and
// notification binding. Each checks everything before it changes anything.
#include "cnode.hpp"
#include "invocation.hpp"
#include "log.hpp"
#include "object.hpp"
#include "percpu.hpp"
#include "thread.hpp"
#include "vspace_obj.hpp"

namespace kernel {

namespace inv {
namespace {

Thread& target(Invocation& inv) { return *object_ptr<Thread>(inv.cap); }

// Replaces what a TCB slot holds by a copy of the capability in src.
void install(Thread& t, Tcb_slot which, Slot* src, const Cap& cap) {
    delete_slot(&t.slots[which]);
    mdb_insert(src, &t.slots[which], cap, false, false);
}

struct Space_change {
    Slot* fault_src = nullptr;  // null: clear the fault handler
    Cap fault_cap;
    Slot* cspace_src;
    Cap cspace_cap;
    Slot* vspace_src;
    Cap vspace_cap;
};

Kresult_of<Space_change> check_space(Invocation& inv, u64 fault_ep, Slot* cspace_root, u64 cspace_root_data,
                                     Slot* vspace_root, u64 vspace_root_data, unsigned first_cap) {
    Space_change c{};
    if (fault_ep != 0) {
        TRY_ASSIGN(ep, lookup_cap(inv.cspace(), fault_ep));
        if (ep->cap.type() != Cap_type::Endpoint) return fail(Error::InvalidArgument, 0);
        c.fault_src = ep;
        c.fault_cap = ep->cap;
    }
    if (cspace_root->cap.type() != Cap_type::Cnode) return fail(Error::InvalidCapability, first_cap);
    TRY_ASSIGN(cspace, derive_cap(cspace_root, rights::all, cspace_root_data != 0, cspace_root_data));
    // An address space is usable once it has an ASID.
    if (vspace_root->cap.type() != Cap_type::Vspace || !vspace_has_asid(vspace_root->cap))
        return fail(Error::InvalidCapability, first_cap + 1);
    if (vspace_root_data != 0) return fail(Error::InvalidArgument, 4);
    TRY_ASSIGN(vspace, derive_cap(vspace_root, rights::all, false, 0));
    c.cspace_src = cspace_root;
    c.cspace_cap = cspace;
    c.vspace_src = vspace_root;
    c.vspace_cap = vspace;
    return c;
}

Kresult check_ipc_buffer(u64 buffer, Slot* frame, unsigned buffer_arg, unsigned frame_cap) {
    if (buffer == 0) return {};
    if (!is_aligned(buffer, BATON_IPC_BUFFER_SIZE)) return fail(Error::AlignmentError, buffer_arg);
    if (buffer >= arch::user_top) return fail(Error::InvalidArgument, buffer_arg);
    Cap_type t = frame->cap.type();
    if (t != Cap_type::Frame4k && t != Cap_type::Frame2m) return fail(Error::InvalidCapability, frame_cap);
    return {};
}

// Commits checked changes. Deleting what a slot held may destroy objects
// (even, through a CNode, this thread): the thread is re-checked after.
Kresult apply_space(Invocation& inv, const Space_change& c) {
    Thread& t = target(inv);
    if (c.fault_src) install(t, tcb_fault_handler, c.fault_src, c.fault_cap);
    else delete_slot(&t.slots[tcb_fault_handler]);
    install(t, tcb_cspace, c.cspace_src, c.cspace_cap);
    install(t, tcb_vspace, c.vspace_src, c.vspace_cap);
    if (inv.slot->cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
    // The new root (zeroed by Retype, filled by maps) is complete for the
    // table walker before any switch can load it: the arm64 fastpath
    // switches TTBR0 without a barrier of its own.
    arch::tables_changed();
    t.vspace_root = c.vspace_cap.object();
    t.asid = vspace_asid(c.vspace_cap);
    if (current_thread() == &t) arch::vspace_activate(t.vspace_root, t.asid);
    return {};
}

void apply_ipc_buffer(Thread& t, u64 buffer, Slot* frame) {
    delete_slot(&t.slots[tcb_ipc_buffer]);
    t.ipc_buffer_va = buffer;
    if (buffer) mdb_insert(frame, &t.slots[tcb_ipc_buffer], frame->cap, false, false);
}

Kresult_of<Thread*> other_thread(Slot* s, unsigned cap_index) {
    if (s->cap.type() != Cap_type::Tcb) return fail(Error::InvalidCapability, cap_index);
    return object_ptr<Thread>(s->cap);
}

// Takes t off any IPC queue and stops it.
void suspend(Thread& t) {
    thread_cancel_ipc(t);
    thread_stop(t, Thread_state::Inactive);
}

Kresult resume(Thread& t) {
    if (t.slots[tcb_cspace].empty() || t.slots[tcb_vspace].empty()) return fail(Error::IllegalOperation);
    if (t.state == Thread_state::Inactive || t.state == Thread_state::Faulted) thread_make_ready(t);
    return {};
}

}  // namespace

Kresult tcb_configure(Invocation& inv, u64 fault_ep, Slot* cspace_root, u64 cspace_root_data, Slot* vspace_root,
                      u64 vspace_root_data, u64 buffer, Slot* buffer_frame) {
    TRY_ASSIGN(change, check_space(inv, fault_ep, cspace_root, cspace_root_data, vspace_root, vspace_root_data, 0));
    TRY(check_ipc_buffer(buffer, buffer_frame, 5, 2));
    TRY(apply_space(inv, change));
    apply_ipc_buffer(target(inv), buffer, buffer_frame);
    return {};
}

Kresult tcb_set_space(Invocation& inv, u64 fault_ep, Slot* cspace_root, u64 cspace_root_data, Slot* vspace_root,
                      u64 vspace_root_data) {
    TRY_ASSIGN(change, check_space(inv, fault_ep, cspace_root, cspace_root_data, vspace_root, vspace_root_data, 0));
    return apply_space(inv, change);
}

Kresult tcb_set_ipc_buffer(Invocation& inv, u64 buffer, Slot* buffer_frame) {
    TRY(check_ipc_buffer(buffer, buffer_frame, 0, 0));
    apply_ipc_buffer(target(inv), buffer, buffer_frame);
    return {};
}

Kresult tcb_set_priority(Invocation& inv, Slot* authority, u64 priority) {
    TRY_ASSIGN(auth, other_thread(authority, 0));
    if (priority > auth->mcp) return fail(Error::RangeError, 0, auth->mcp);
    Thread& t = target(inv);
    t.base_priority = u8(priority);
    thread_settle_priority(t);
    return {};
}

Kresult tcb_get_priority(Invocation& inv, u64& priority, u64& base_priority, u64& mcp, u64& cpu) {
    const Thread& t = target(inv);
    priority = t.priority;
    base_priority = t.base_priority;
    mcp = t.mcp;
    cpu = t.affinity;
    return {};
}

Kresult tcb_set_mc_priority(Invocation& inv, Slot* authority, u64 mcp) {
    TRY_ASSIGN(auth, other_thread(authority, 0));
    if (mcp > auth->mcp) return fail(Error::RangeError, 0, auth->mcp);
    target(inv).mcp = u8(mcp);
    return {};
}

Kresult tcb_set_affinity(Invocation& inv, u64 cpu) {
    // The online CPUs are 0 .. cpu_count-1: one the platform describes but
    // that did not come up has no number.
    if (cpu >= cpu_count) return fail(Error::RangeError, 0, cpu_count - 1);
    thread_set_affinity(target(inv), u32(cpu));
    return {};
}

Kresult tcb_read_registers(Invocation& inv, u64 suspend_source, u64, u64 count) {
    Thread& t = target(inv);
    if (&t == &inv.caller) return fail(Error::IllegalOperation);
    if (count > arch::User_context::user_words) return fail(Error::RangeError, 0, arch::User_context::user_words);
    if (suspend_source) suspend(t);
    thread_fetch_context(t);
    for (unsigned i = 0; i < count; ++i) inv.set_result(i, t.ctx.user_reg(i));
    inv.result_length = u32(count);
    return {};
}

Kresult tcb_write_registers(Invocation& inv, u64 resume_target, u64, u64 count, u64 regs_at) {
    Thread& t = target(inv);
    if (&t == &inv.caller) return fail(Error::IllegalOperation);
    if (count > arch::User_context::user_words) return fail(Error::RangeError, 0, arch::User_context::user_words);
    if (inv.length < regs_at + count) return fail(Error::TruncatedMessage, regs_at + count);
    thread_fetch_context(t);
    for (unsigned i = 0; i < count; ++i) t.ctx.set_user_reg(i, inv.mr(unsigned(regs_at) + i));
    if (resume_target) TRY(resume(t));
    return {};
}

Kresult tcb_copy_registers(Invocation& inv, Slot* source, u64 suspend_source, u64 resume_target, u64 transfer_frame,
                           u64 transfer_integer, u64) {
    TRY_ASSIGN(src, other_thread(source, 0));
    Thread& t = target(inv);
    if (&t == &inv.caller || src == &inv.caller) return fail(Error::IllegalOperation);
    if (suspend_source) suspend(*src);
    thread_fetch_context(*src);
    thread_fetch_context(t);
    constexpr unsigned frame = arch::User_context::frame_words, all = arch::User_context::user_words;
    if (transfer_frame)
        for (unsigned i = 0; i < frame; ++i) t.ctx.set_user_reg(i, src->ctx.user_reg(i));
    if (transfer_integer)
        for (unsigned i = frame; i < all; ++i) t.ctx.set_user_reg(i, src->ctx.user_reg(i));
    if (resume_target) TRY(resume(t));
    return {};
}

Kresult tcb_resume(Invocation& inv) { return resume(target(inv)); }

Kresult tcb_suspend(Invocation& inv) {
    suspend(target(inv));
    return {};
}

Kresult tcb_bind_notification(Invocation& inv, Slot* notification) {
    if (notification->cap.type() != Cap_type::Notification) return fail(Error::InvalidCapability, 0);
    Thread& t = target(inv);
    Notification* n = object_ptr<Notification>(notification->cap);
    if (t.bound_notification || n->bound) return fail(Error::IllegalOperation);
    t.bound_notification = n;
    n->bound = &t;
    return {};
}

Kresult tcb_unbind_notification(Invocation& inv) {
    Thread& t = target(inv);
    if (!t.bound_notification) return fail(Error::IllegalOperation);
    t.bound_notification->bound = nullptr;
    t.bound_notification = nullptr;
    return {};
}

}  // namespace inv
}  // namespace kernel
