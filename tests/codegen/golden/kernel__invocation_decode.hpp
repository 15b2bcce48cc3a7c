// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// Kernel-side invocation decoder: checks the message carries every
// argument the label needs and that the invoked capability is of the
// method's object type, then calls the handler in namespace kernel::inv
// with the arguments unpacked. Include once, in kernel/invocation.cpp.
#pragma once

#include <baton/errors.h>

namespace kernel::inv {

// untyped.retype: Makes `num_objects` new objects of `type` from this untyped region and puts their capabilities into empty slots `node_offset`.. of the CNode found at `node_index`/`node_depth` in `root` (depth 0: `root` itself).
Kresult untyped_retype(Invocation& inv, u64 type, u64 size_bits, Slot* root, u64 node_index, u64 node_depth, u64 node_offset, u64 num_objects);
// cnode.copy: Copies the capability at src_index/src_depth in src_root to the empty slot dest_index/dest_depth of this CNode, keeping only `rights`.
Kresult cnode_copy(Invocation& inv, u64 dest_index, u64 dest_depth, Slot* src_root, u64 src_index, u64 src_depth, u64 rights);
// cnode.mint: Like copy, and also sets a badge (endpoints, notifications; only on an unbadged capability) or a guard (CNodes: bits 0-5 guard size, bits 6-63 guard).
Kresult cnode_mint(Invocation& inv, u64 dest_index, u64 dest_depth, Slot* src_root, u64 src_index, u64 src_depth, u64 rights, u64 badge);
// cnode.move: Moves a capability to an empty slot, keeping its place in the derivation tree.
Kresult cnode_move(Invocation& inv, u64 dest_index, u64 dest_depth, Slot* src_root, u64 src_index, u64 src_depth);
// cnode.mutate: Moves a capability and sets its badge or guard on the way.
Kresult cnode_mutate(Invocation& inv, u64 dest_index, u64 dest_depth, Slot* src_root, u64 src_index, u64 src_depth, u64 badge);
// cnode.rotate: Moves the capability at pivot to dest and the one at src to pivot, applying badges; dest may be src, which swaps the two.
Kresult cnode_rotate(Invocation& inv, u64 dest_index, u64 dest_depth, u64 dest_badge, Slot* pivot_root, u64 pivot_index, u64 pivot_depth, u64 pivot_badge, Slot* src_root, u64 src_index, u64 src_depth);
// cnode.delete: Deletes a capability; when it is the last one to its object, the object is destroyed (threads stopped, waiters woken, CNodes emptied).
Kresult cnode_delete(Invocation& inv, u64 index, u64 depth);
// cnode.revoke: Deletes every capability derived from the one at index; on an untyped capability, every object made from it, after which the whole region is free again.
Kresult cnode_revoke(Invocation& inv, u64 index, u64 depth);
// tcb.configure: Sets a thread's fault handler, CSpace, VSpace and IPC buffer in one call (see set_space and set_ipc_buffer).
Kresult tcb_configure(Invocation& inv, u64 fault_ep, Slot* cspace_root, u64 cspace_root_data, Slot* vspace_root, u64 vspace_root_data, u64 buffer, Slot* buffer_frame);
// tcb.set_priority: Sets the thread's priority, at most the maximum controlled priority of `authority`.
Kresult tcb_set_priority(Invocation& inv, Slot* authority, u64 priority);
// tcb.set_mc_priority: Sets the thread's maximum controlled priority (the highest priority it may give), at most authority's.
Kresult tcb_set_mc_priority(Invocation& inv, Slot* authority, u64 mcp);
// tcb.set_affinity: Sets the CPU the thread runs on (honoured by the scheduler from SMP on).
Kresult tcb_set_affinity(Invocation& inv, u64 cpu);
// tcb.set_ipc_buffer: Sets the thread's IPC buffer: user address `buffer` inside `buffer_frame` as mapped by the thread.
Kresult tcb_set_ipc_buffer(Invocation& inv, u64 buffer, Slot* buffer_frame);
// tcb.set_space: Sets the thread's fault handler, CSpace root and VSpace.
Kresult tcb_set_space(Invocation& inv, u64 fault_ep, Slot* cspace_root, u64 cspace_root_data, Slot* vspace_root, u64 vspace_root_data);
// tcb.read_registers: Reads the first `count` registers of the thread's user context (order: struct baton_user_context).
// The handler writes regs with inv.set_result and sets inv.result_length.
Kresult tcb_read_registers(Invocation& inv, u64 suspend_source, u64 arch_flags, u64 count);
// tcb.write_registers: Writes the first `count` registers of the thread's user context (order: struct baton_user_context); privileged state is never taken from user input.
// regs: count words from message word 3 on (checked by the handler).
Kresult tcb_write_registers(Invocation& inv, u64 resume_target, u64 arch_flags, u64 count, u64 regs);
// tcb.copy_registers: Copies registers from `source` to this thread: the frame (pc, sp, flags) and/or the integer registers.
Kresult tcb_copy_registers(Invocation& inv, Slot* source, u64 suspend_source, u64 resume_target, u64 transfer_frame, u64 transfer_integer, u64 arch_flags);
// tcb.resume: Makes a suspended thread runnable (it needs a CSpace and a VSpace).
Kresult tcb_resume(Invocation& inv);
// tcb.suspend: Stops the thread, taking it off any queue it waits on; its operation in progress is abandoned.
Kresult tcb_suspend(Invocation& inv);
// tcb.bind_notification: Binds a notification to the thread: its Recv on an endpoint also returns on a signal.
Kresult tcb_bind_notification(Invocation& inv, Slot* notification);
// tcb.unbind_notification: Unbinds the thread's notification.
Kresult tcb_unbind_notification(Invocation& inv);
// tcb.get_priority: Reads the thread's scheduling state: the priority it runs at (its own, or its caller's while it holds a Call from a thread of higher priority: IPC priority inheritance), its own priority (the one set_priority gave), its maximum controlled priority and the CPU it runs on.
Kresult tcb_get_priority(Invocation& inv, u64& priority, u64& base_priority, u64& mcp, u64& cpu);
// frame_4k.map: Maps the frame into `vspace` at `vaddr` (aligned to the frame's size) with `rights` (read 1, write 2; at most the capability's) and `attributes` (bit 0: uncached device memory, bit 1: executable). The page tables down to the frame's level must exist.
Kresult frame_4k_map(Invocation& inv, Slot* vspace, u64 vaddr, u64 rights, u64 attributes);
// frame_4k.unmap: Removes the frame's mapping, if it has one.
Kresult frame_4k_unmap(Invocation& inv);
// frame_4k.remap: Changes the rights and attributes of the frame's existing mapping.
Kresult frame_4k_remap(Invocation& inv, u64 rights, u64 attributes);
// frame_4k.get_address: Returns the frame's physical address.
Kresult frame_4k_get_address(Invocation& inv, u64& paddr);
// page_table.map: Installs the page table in `vspace` as the table that translates `vaddr` at the first level that has none.
Kresult page_table_map(Invocation& inv, Slot* vspace, u64 vaddr, u64 attributes);
// page_table.unmap: Removes the page table from its address space and clears it.
Kresult page_table_unmap(Invocation& inv);
// asid_control.make_pool: Turns a 4 KiB untyped region (with nothing made from it) into a pool of ASIDs, in slot `index`/`depth` of `root`.
Kresult asid_control_make_pool(Invocation& inv, Slot* untyped, Slot* root, u64 index, u64 depth);
// asid_pool.assign: Gives `vspace` an ASID from this pool (on x86_64, ASIDs are PCIDs).
Kresult asid_pool_assign(Invocation& inv, Slot* vspace);
// irq_control.get: Makes the IRQ handler capability for interrupt `irq` in the empty slot `index`/`depth` of `root` and unmasks the interrupt. Numbers are GIC INTIDs on arm64 and I/O APIC GSIs on x86_64; interrupts the kernel uses itself (its timer, its console UART, arm64 SGIs) are refused with illegal_operation, a second handler with revoke_first, a number the platform lacks with range_error (details: the valid bounds).
Kresult irq_control_get(Invocation& inv, u64 irq, Slot* root, u64 index, u64 depth);
// irq_handler.ack: Unmasks the interrupt after a delivery: the kernel masks it when it arrives and keeps it masked until this call. Without a delivery to acknowledge: illegal_operation.
Kresult irq_handler_ack(Invocation& inv);
// irq_handler.set_notification: Deliveries of the interrupt signal `notification` with that capability's badge (replacing any notification set before). The handler keeps a copy of the capability until clear or its deletion.
Kresult irq_handler_set_notification(Invocation& inv, Slot* notification);
// irq_handler.clear: Deliveries signal no notification any more; the interrupt is still masked when it arrives, until ack.
Kresult irq_handler_clear(Invocation& inv);

inline Kresult decode(Invocation& inv) {
    switch (inv.label) {
    case 1: {
        if (inv.cap.type() != Cap_type::Untyped) return fail(Error::IllegalOperation);
        if (inv.length < 6) return fail(Error::TruncatedMessage, 6);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(untyped_retype(inv, inv.mr(0), inv.mr(1), inv.extra[0], inv.mr(2), inv.mr(3), inv.mr(4), inv.mr(5)));
        inv.result_length = 0;
        return {};
    }
    case 10: {
        if (inv.cap.type() != Cap_type::Cnode) return fail(Error::IllegalOperation);
        if (inv.length < 5) return fail(Error::TruncatedMessage, 5);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(cnode_copy(inv, inv.mr(0), inv.mr(1), inv.extra[0], inv.mr(2), inv.mr(3), inv.mr(4)));
        inv.result_length = 0;
        return {};
    }
    case 11: {
        if (inv.cap.type() != Cap_type::Cnode) return fail(Error::IllegalOperation);
        if (inv.length < 6) return fail(Error::TruncatedMessage, 6);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(cnode_mint(inv, inv.mr(0), inv.mr(1), inv.extra[0], inv.mr(2), inv.mr(3), inv.mr(4), inv.mr(5)));
        inv.result_length = 0;
        return {};
    }
    case 12: {
        if (inv.cap.type() != Cap_type::Cnode) return fail(Error::IllegalOperation);
        if (inv.length < 4) return fail(Error::TruncatedMessage, 4);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(cnode_move(inv, inv.mr(0), inv.mr(1), inv.extra[0], inv.mr(2), inv.mr(3)));
        inv.result_length = 0;
        return {};
    }
    case 13: {
        if (inv.cap.type() != Cap_type::Cnode) return fail(Error::IllegalOperation);
        if (inv.length < 5) return fail(Error::TruncatedMessage, 5);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(cnode_mutate(inv, inv.mr(0), inv.mr(1), inv.extra[0], inv.mr(2), inv.mr(3), inv.mr(4)));
        inv.result_length = 0;
        return {};
    }
    case 14: {
        if (inv.cap.type() != Cap_type::Cnode) return fail(Error::IllegalOperation);
        if (inv.length < 8) return fail(Error::TruncatedMessage, 8);
        if (inv.extra_caps < 2) return fail(Error::TruncatedMessage, 2);
        TRY(cnode_rotate(inv, inv.mr(0), inv.mr(1), inv.mr(2), inv.extra[0], inv.mr(3), inv.mr(4), inv.mr(5), inv.extra[1], inv.mr(6), inv.mr(7)));
        inv.result_length = 0;
        return {};
    }
    case 15: {
        if (inv.cap.type() != Cap_type::Cnode) return fail(Error::IllegalOperation);
        if (inv.length < 2) return fail(Error::TruncatedMessage, 2);
        TRY(cnode_delete(inv, inv.mr(0), inv.mr(1)));
        inv.result_length = 0;
        return {};
    }
    case 16: {
        if (inv.cap.type() != Cap_type::Cnode) return fail(Error::IllegalOperation);
        if (inv.length < 2) return fail(Error::TruncatedMessage, 2);
        TRY(cnode_revoke(inv, inv.mr(0), inv.mr(1)));
        inv.result_length = 0;
        return {};
    }
    case 20: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 4) return fail(Error::TruncatedMessage, 4);
        if (inv.extra_caps < 3) return fail(Error::TruncatedMessage, 3);
        TRY(tcb_configure(inv, inv.mr(0), inv.extra[0], inv.mr(1), inv.extra[1], inv.mr(2), inv.mr(3), inv.extra[2]));
        inv.result_length = 0;
        return {};
    }
    case 21: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 1) return fail(Error::TruncatedMessage, 1);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(tcb_set_priority(inv, inv.extra[0], inv.mr(0)));
        inv.result_length = 0;
        return {};
    }
    case 22: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 1) return fail(Error::TruncatedMessage, 1);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(tcb_set_mc_priority(inv, inv.extra[0], inv.mr(0)));
        inv.result_length = 0;
        return {};
    }
    case 23: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 1) return fail(Error::TruncatedMessage, 1);
        TRY(tcb_set_affinity(inv, inv.mr(0)));
        inv.result_length = 0;
        return {};
    }
    case 24: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 1) return fail(Error::TruncatedMessage, 1);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(tcb_set_ipc_buffer(inv, inv.mr(0), inv.extra[0]));
        inv.result_length = 0;
        return {};
    }
    case 25: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 3) return fail(Error::TruncatedMessage, 3);
        if (inv.extra_caps < 2) return fail(Error::TruncatedMessage, 2);
        TRY(tcb_set_space(inv, inv.mr(0), inv.extra[0], inv.mr(1), inv.extra[1], inv.mr(2)));
        inv.result_length = 0;
        return {};
    }
    case 26: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 3) return fail(Error::TruncatedMessage, 3);
        TRY(tcb_read_registers(inv, inv.mr(0), inv.mr(1), inv.mr(2)));
        return {};
    }
    case 27: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 3) return fail(Error::TruncatedMessage, 3);
        TRY(tcb_write_registers(inv, inv.mr(0), inv.mr(1), inv.mr(2), 3));
        inv.result_length = 0;
        return {};
    }
    case 28: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.length < 5) return fail(Error::TruncatedMessage, 5);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(tcb_copy_registers(inv, inv.extra[0], inv.mr(0), inv.mr(1), inv.mr(2), inv.mr(3), inv.mr(4)));
        inv.result_length = 0;
        return {};
    }
    case 29: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        TRY(tcb_resume(inv));
        inv.result_length = 0;
        return {};
    }
    case 30: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        TRY(tcb_suspend(inv));
        inv.result_length = 0;
        return {};
    }
    case 31: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(tcb_bind_notification(inv, inv.extra[0]));
        inv.result_length = 0;
        return {};
    }
    case 32: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        TRY(tcb_unbind_notification(inv));
        inv.result_length = 0;
        return {};
    }
    case 33: {
        if (inv.cap.type() != Cap_type::Tcb) return fail(Error::IllegalOperation);
        u64 priority = 0;
        u64 base_priority = 0;
        u64 mcp = 0;
        u64 cpu = 0;
        TRY(tcb_get_priority(inv, priority, base_priority, mcp, cpu));
        inv.set_result(0, priority);
        inv.set_result(1, base_priority);
        inv.set_result(2, mcp);
        inv.set_result(3, cpu);
        inv.result_length = 4;
        return {};
    }
    case 40: {
        if (inv.cap.type() != Cap_type::Frame4k && inv.cap.type() != Cap_type::Frame2m) return fail(Error::IllegalOperation);
        if (inv.length < 3) return fail(Error::TruncatedMessage, 3);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(frame_4k_map(inv, inv.extra[0], inv.mr(0), inv.mr(1), inv.mr(2)));
        inv.result_length = 0;
        return {};
    }
    case 41: {
        if (inv.cap.type() != Cap_type::Frame4k && inv.cap.type() != Cap_type::Frame2m) return fail(Error::IllegalOperation);
        TRY(frame_4k_unmap(inv));
        inv.result_length = 0;
        return {};
    }
    case 42: {
        if (inv.cap.type() != Cap_type::Frame4k && inv.cap.type() != Cap_type::Frame2m) return fail(Error::IllegalOperation);
        if (inv.length < 2) return fail(Error::TruncatedMessage, 2);
        TRY(frame_4k_remap(inv, inv.mr(0), inv.mr(1)));
        inv.result_length = 0;
        return {};
    }
    case 43: {
        if (inv.cap.type() != Cap_type::Frame4k && inv.cap.type() != Cap_type::Frame2m) return fail(Error::IllegalOperation);
        u64 paddr = 0;
        TRY(frame_4k_get_address(inv, paddr));
        inv.set_result(0, paddr);
        inv.result_length = 1;
        return {};
    }
    case 50: {
        if (inv.cap.type() != Cap_type::PageTable) return fail(Error::IllegalOperation);
        if (inv.length < 2) return fail(Error::TruncatedMessage, 2);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(page_table_map(inv, inv.extra[0], inv.mr(0), inv.mr(1)));
        inv.result_length = 0;
        return {};
    }
    case 51: {
        if (inv.cap.type() != Cap_type::PageTable) return fail(Error::IllegalOperation);
        TRY(page_table_unmap(inv));
        inv.result_length = 0;
        return {};
    }
    case 60: {
        if (inv.cap.type() != Cap_type::AsidControl) return fail(Error::IllegalOperation);
        if (inv.length < 2) return fail(Error::TruncatedMessage, 2);
        if (inv.extra_caps < 2) return fail(Error::TruncatedMessage, 2);
        TRY(asid_control_make_pool(inv, inv.extra[0], inv.extra[1], inv.mr(0), inv.mr(1)));
        inv.result_length = 0;
        return {};
    }
    case 61: {
        if (inv.cap.type() != Cap_type::AsidPool) return fail(Error::IllegalOperation);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(asid_pool_assign(inv, inv.extra[0]));
        inv.result_length = 0;
        return {};
    }
    case 70: {
        if (inv.cap.type() != Cap_type::IrqControl) return fail(Error::IllegalOperation);
        if (inv.length < 3) return fail(Error::TruncatedMessage, 3);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(irq_control_get(inv, inv.mr(0), inv.extra[0], inv.mr(1), inv.mr(2)));
        inv.result_length = 0;
        return {};
    }
    case 71: {
        if (inv.cap.type() != Cap_type::IrqHandler) return fail(Error::IllegalOperation);
        TRY(irq_handler_ack(inv));
        inv.result_length = 0;
        return {};
    }
    case 72: {
        if (inv.cap.type() != Cap_type::IrqHandler) return fail(Error::IllegalOperation);
        if (inv.extra_caps < 1) return fail(Error::TruncatedMessage, 1);
        TRY(irq_handler_set_notification(inv, inv.extra[0]));
        inv.result_length = 0;
        return {};
    }
    case 73: {
        if (inv.cap.type() != Cap_type::IrqHandler) return fail(Error::IllegalOperation);
        TRY(irq_handler_clear(inv));
        inv.result_length = 0;
        return {};
    }
    default: return fail(Error::IllegalOperation);
    }
}

}  // namespace kernel::inv
