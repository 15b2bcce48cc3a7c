// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// The typed C++ API over the invocations: one class per object type,
// holding a capability pointer; capability arguments take the class of the
// object they must name.
#pragma once

#include "invocations.h"
#include "object_types.h"

namespace baton {

class Untyped;
class Tcb;
class Endpoint;
class Notification;
class Reply;
class Cnode;
class Frame4k;
class Frame2m;
class PageTable;
class Vspace;
class AsidPool;
class AsidControl;
class IrqControl;
class IrqHandler;

// A power-of-two region of physical memory, retyped into other objects.
class Untyped {
public:
    static constexpr Object_type type = Object_type::Untyped;
    constexpr Untyped() = default;
    constexpr explicit Untyped(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Makes `num_objects` new objects of `type` from this untyped region and puts their capabilities into empty slots `node_offset`.. of the CNode found at `node_index`/`node_depth` in `root` (depth 0: `root` itself).
    Error retype(uint64_t type, uint64_t size_bits, Cnode root, uint64_t node_index, uint64_t node_depth, uint64_t node_offset, uint64_t num_objects) const;

private:
    baton_cptr cptr_ = 0;
};

// A thread control block.
class Tcb {
public:
    static constexpr Object_type type = Object_type::Tcb;
    constexpr Tcb() = default;
    constexpr explicit Tcb(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Sets a thread's fault handler, CSpace, VSpace and IPC buffer in one call (see set_space and set_ipc_buffer).
    Error configure(uint64_t fault_ep, Cnode cspace_root, uint64_t cspace_root_data, Vspace vspace_root, uint64_t vspace_root_data, uint64_t buffer, Frame4k buffer_frame) const;

    // Sets the thread's priority, at most the maximum controlled priority of `authority`.
    Error set_priority(Tcb authority, uint64_t priority) const;

    // Sets the thread's maximum controlled priority (the highest priority it may give), at most authority's.
    Error set_mc_priority(Tcb authority, uint64_t mcp) const;

    // Sets the CPU the thread runs on (honoured by the scheduler from SMP on).
    Error set_affinity(uint64_t cpu) const;

    // Sets the thread's IPC buffer: user address `buffer` inside `buffer_frame` as mapped by the thread.
    Error set_ipc_buffer(uint64_t buffer, Frame4k buffer_frame) const;

    // Sets the thread's fault handler, CSpace root and VSpace.
    Error set_space(uint64_t fault_ep, Cnode cspace_root, uint64_t cspace_root_data, Vspace vspace_root, uint64_t vspace_root_data) const;

    // Reads the first `count` registers of the thread's user context (order: struct baton_user_context).
    Error read_registers(uint64_t suspend_source, uint64_t arch_flags, uint64_t count, uint64_t* regs) const;

    // Writes the first `count` registers of the thread's user context (order: struct baton_user_context); privileged state is never taken from user input.
    Error write_registers(uint64_t resume_target, uint64_t arch_flags, uint64_t count, const uint64_t* regs) const;

    // Copies registers from `source` to this thread: the frame (pc, sp, flags) and/or the integer registers.
    Error copy_registers(Tcb source, uint64_t suspend_source, uint64_t resume_target, uint64_t transfer_frame, uint64_t transfer_integer, uint64_t arch_flags) const;

    // Makes a suspended thread runnable (it needs a CSpace and a VSpace).
    Error resume() const;

    // Stops the thread, taking it off any queue it waits on; its operation in progress is abandoned.
    Error suspend() const;

    // Binds a notification to the thread: its Recv on an endpoint also returns on a signal.
    Error bind_notification(Notification notification) const;

    // Unbinds the thread's notification.
    Error unbind_notification() const;

    // Reads the thread's scheduling state: the priority it runs at (its own, or its caller's while it holds a Call from a thread of higher priority: IPC priority inheritance), its own priority (the one set_priority gave), its maximum controlled priority and the CPU it runs on.
    Error get_priority(uint64_t& priority, uint64_t& base_priority, uint64_t& mcp, uint64_t& cpu) const;

private:
    baton_cptr cptr_ = 0;
};

// A synchronous IPC endpoint.
class Endpoint {
public:
    static constexpr Object_type type = Object_type::Endpoint;
    constexpr Endpoint() = default;
    constexpr explicit Endpoint(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

private:
    baton_cptr cptr_ = 0;
};

// An asynchronous notification word with waiters.
class Notification {
public:
    static constexpr Object_type type = Object_type::Notification;
    constexpr Notification() = default;
    constexpr explicit Notification(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

private:
    baton_cptr cptr_ = 0;
};

// A reply object: holds the caller of a Call until the reply.
class Reply {
public:
    static constexpr Object_type type = Object_type::Reply;
    constexpr Reply() = default;
    constexpr explicit Reply(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

private:
    baton_cptr cptr_ = 0;
};

// A capability node of 2^radix slots (the Retype size is the radix).
class Cnode {
public:
    static constexpr Object_type type = Object_type::Cnode;
    constexpr Cnode() = default;
    constexpr explicit Cnode(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Copies the capability at src_index/src_depth in src_root to the empty slot dest_index/dest_depth of this CNode, keeping only `rights`.
    Error copy(uint64_t dest_index, uint64_t dest_depth, Cnode src_root, uint64_t src_index, uint64_t src_depth, uint64_t rights) const;

    // Like copy, and also sets a badge (endpoints, notifications; only on an unbadged capability) or a guard (CNodes: bits 0-5 guard size, bits 6-63 guard).
    Error mint(uint64_t dest_index, uint64_t dest_depth, Cnode src_root, uint64_t src_index, uint64_t src_depth, uint64_t rights, uint64_t badge) const;

    // Moves a capability to an empty slot, keeping its place in the derivation tree.
    Error move(uint64_t dest_index, uint64_t dest_depth, Cnode src_root, uint64_t src_index, uint64_t src_depth) const;

    // Moves a capability and sets its badge or guard on the way.
    Error mutate(uint64_t dest_index, uint64_t dest_depth, Cnode src_root, uint64_t src_index, uint64_t src_depth, uint64_t badge) const;

    // Moves the capability at pivot to dest and the one at src to pivot, applying badges; dest may be src, which swaps the two.
    Error rotate(uint64_t dest_index, uint64_t dest_depth, uint64_t dest_badge, Cnode pivot_root, uint64_t pivot_index, uint64_t pivot_depth, uint64_t pivot_badge, Cnode src_root, uint64_t src_index, uint64_t src_depth) const;

    // Deletes a capability; when it is the last one to its object, the object is destroyed (threads stopped, waiters woken, CNodes emptied).
    Error delete_(uint64_t index, uint64_t depth) const;

    // Deletes every capability derived from the one at index; on an untyped capability, every object made from it, after which the whole region is free again.
    Error revoke(uint64_t index, uint64_t depth) const;

private:
    baton_cptr cptr_ = 0;
};

// A 4 KiB page of memory that can be mapped.
class Frame4k {
public:
    static constexpr Object_type type = Object_type::Frame4k;
    constexpr Frame4k() = default;
    constexpr explicit Frame4k(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Maps the frame into `vspace` at `vaddr` (aligned to the frame's size) with `rights` (read 1, write 2; at most the capability's) and `attributes` (bit 0: uncached device memory, bit 1: executable). The page tables down to the frame's level must exist.
    Error map(Vspace vspace, uint64_t vaddr, uint64_t rights, uint64_t attributes) const;

    // Removes the frame's mapping, if it has one.
    Error unmap() const;

    // Changes the rights and attributes of the frame's existing mapping.
    Error remap(uint64_t rights, uint64_t attributes) const;

    // Returns the frame's physical address.
    Error get_address(uint64_t& paddr) const;

private:
    baton_cptr cptr_ = 0;
};

// A 2 MiB page of memory that can be mapped.
class Frame2m {
public:
    static constexpr Object_type type = Object_type::Frame2m;
    constexpr Frame2m() = default;
    constexpr explicit Frame2m(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Maps the frame into `vspace` at `vaddr` (aligned to the frame's size) with `rights` (read 1, write 2; at most the capability's) and `attributes` (bit 0: uncached device memory, bit 1: executable). The page tables down to the frame's level must exist.
    Error map(Vspace vspace, uint64_t vaddr, uint64_t rights, uint64_t attributes) const;

    // Removes the frame's mapping, if it has one.
    Error unmap() const;

    // Changes the rights and attributes of the frame's existing mapping.
    Error remap(uint64_t rights, uint64_t attributes) const;

    // Returns the frame's physical address.
    Error get_address(uint64_t& paddr) const;

private:
    baton_cptr cptr_ = 0;
};

// An intermediate translation table (any level below the root).
class PageTable {
public:
    static constexpr Object_type type = Object_type::PageTable;
    constexpr PageTable() = default;
    constexpr explicit PageTable(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Installs the page table in `vspace` as the table that translates `vaddr` at the first level that has none.
    Error map(Vspace vspace, uint64_t vaddr, uint64_t attributes) const;

    // Removes the page table from its address space and clears it.
    Error unmap() const;

private:
    baton_cptr cptr_ = 0;
};

// The root translation table of an address space.
class Vspace {
public:
    static constexpr Object_type type = Object_type::Vspace;
    constexpr Vspace() = default;
    constexpr explicit Vspace(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

private:
    baton_cptr cptr_ = 0;
};

// A pool of address-space identifiers (ASIDs on arm64, PCIDs on x86_64); made by AsidControl.MakePool.
class AsidPool {
public:
    static constexpr Object_type type = Object_type::AsidPool;
    constexpr AsidPool() = default;
    constexpr explicit AsidPool(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Gives `vspace` an ASID from this pool (on x86_64, ASIDs are PCIDs).
    Error assign(Vspace vspace) const;

private:
    baton_cptr cptr_ = 0;
};

// The authority to create ASID pools.
class AsidControl {
public:
    static constexpr Object_type type = Object_type::AsidControl;
    constexpr AsidControl() = default;
    constexpr explicit AsidControl(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Turns a 4 KiB untyped region (with nothing made from it) into a pool of ASIDs, in slot `index`/`depth` of `root`.
    Error make_pool(Untyped untyped, Cnode root, uint64_t index, uint64_t depth) const;

private:
    baton_cptr cptr_ = 0;
};

// The authority to create IRQ handler capabilities.
class IrqControl {
public:
    static constexpr Object_type type = Object_type::IrqControl;
    constexpr IrqControl() = default;
    constexpr explicit IrqControl(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Makes the IRQ handler capability for interrupt `irq` in the empty slot `index`/`depth` of `root` and unmasks the interrupt. Numbers are GIC INTIDs on arm64 and I/O APIC GSIs on x86_64; interrupts the kernel uses itself (its timer, its console UART, arm64 SGIs) are refused with illegal_operation, a second handler with revoke_first, a number the platform lacks with range_error (details: the valid bounds).
    Error get(uint64_t irq, Cnode root, uint64_t index, uint64_t depth) const;

private:
    baton_cptr cptr_ = 0;
};

// The authority to acknowledge and route one interrupt.
class IrqHandler {
public:
    static constexpr Object_type type = Object_type::IrqHandler;
    constexpr IrqHandler() = default;
    constexpr explicit IrqHandler(baton_cptr cptr) : cptr_(cptr) {}
    constexpr baton_cptr cptr() const { return cptr_; }

    // Unmasks the interrupt after a delivery: the kernel masks it when it arrives and keeps it masked until this call. Without a delivery to acknowledge: illegal_operation.
    Error ack() const;

    // Deliveries of the interrupt signal `notification` with that capability's badge (replacing any notification set before). The handler keeps a copy of the capability until clear or its deletion.
    Error set_notification(Notification notification) const;

    // Deliveries signal no notification any more; the interrupt is still masked when it arrives, until ack.
    Error clear() const;

private:
    baton_cptr cptr_ = 0;
};

inline Error Untyped::retype(uint64_t type, uint64_t size_bits, Cnode root, uint64_t node_index, uint64_t node_depth, uint64_t node_offset, uint64_t num_objects) const {
    return static_cast<Error>(baton_untyped_retype(cptr_, type, size_bits, root.cptr(), node_index, node_depth, node_offset, num_objects));
}

inline Error Cnode::copy(uint64_t dest_index, uint64_t dest_depth, Cnode src_root, uint64_t src_index, uint64_t src_depth, uint64_t rights) const {
    return static_cast<Error>(baton_cnode_copy(cptr_, dest_index, dest_depth, src_root.cptr(), src_index, src_depth, rights));
}

inline Error Cnode::mint(uint64_t dest_index, uint64_t dest_depth, Cnode src_root, uint64_t src_index, uint64_t src_depth, uint64_t rights, uint64_t badge) const {
    return static_cast<Error>(baton_cnode_mint(cptr_, dest_index, dest_depth, src_root.cptr(), src_index, src_depth, rights, badge));
}

inline Error Cnode::move(uint64_t dest_index, uint64_t dest_depth, Cnode src_root, uint64_t src_index, uint64_t src_depth) const {
    return static_cast<Error>(baton_cnode_move(cptr_, dest_index, dest_depth, src_root.cptr(), src_index, src_depth));
}

inline Error Cnode::mutate(uint64_t dest_index, uint64_t dest_depth, Cnode src_root, uint64_t src_index, uint64_t src_depth, uint64_t badge) const {
    return static_cast<Error>(baton_cnode_mutate(cptr_, dest_index, dest_depth, src_root.cptr(), src_index, src_depth, badge));
}

inline Error Cnode::rotate(uint64_t dest_index, uint64_t dest_depth, uint64_t dest_badge, Cnode pivot_root, uint64_t pivot_index, uint64_t pivot_depth, uint64_t pivot_badge, Cnode src_root, uint64_t src_index, uint64_t src_depth) const {
    return static_cast<Error>(baton_cnode_rotate(cptr_, dest_index, dest_depth, dest_badge, pivot_root.cptr(), pivot_index, pivot_depth, pivot_badge, src_root.cptr(), src_index, src_depth));
}

inline Error Cnode::delete_(uint64_t index, uint64_t depth) const {
    return static_cast<Error>(baton_cnode_delete(cptr_, index, depth));
}

inline Error Cnode::revoke(uint64_t index, uint64_t depth) const {
    return static_cast<Error>(baton_cnode_revoke(cptr_, index, depth));
}

inline Error Tcb::configure(uint64_t fault_ep, Cnode cspace_root, uint64_t cspace_root_data, Vspace vspace_root, uint64_t vspace_root_data, uint64_t buffer, Frame4k buffer_frame) const {
    return static_cast<Error>(baton_tcb_configure(cptr_, fault_ep, cspace_root.cptr(), cspace_root_data, vspace_root.cptr(), vspace_root_data, buffer, buffer_frame.cptr()));
}

inline Error Tcb::set_priority(Tcb authority, uint64_t priority) const {
    return static_cast<Error>(baton_tcb_set_priority(cptr_, authority.cptr(), priority));
}

inline Error Tcb::set_mc_priority(Tcb authority, uint64_t mcp) const {
    return static_cast<Error>(baton_tcb_set_mc_priority(cptr_, authority.cptr(), mcp));
}

inline Error Tcb::set_affinity(uint64_t cpu) const {
    return static_cast<Error>(baton_tcb_set_affinity(cptr_, cpu));
}

inline Error Tcb::set_ipc_buffer(uint64_t buffer, Frame4k buffer_frame) const {
    return static_cast<Error>(baton_tcb_set_ipc_buffer(cptr_, buffer, buffer_frame.cptr()));
}

inline Error Tcb::set_space(uint64_t fault_ep, Cnode cspace_root, uint64_t cspace_root_data, Vspace vspace_root, uint64_t vspace_root_data) const {
    return static_cast<Error>(baton_tcb_set_space(cptr_, fault_ep, cspace_root.cptr(), cspace_root_data, vspace_root.cptr(), vspace_root_data));
}

inline Error Tcb::read_registers(uint64_t suspend_source, uint64_t arch_flags, uint64_t count, uint64_t* regs) const {
    return static_cast<Error>(baton_tcb_read_registers(cptr_, suspend_source, arch_flags, count, regs));
}

inline Error Tcb::write_registers(uint64_t resume_target, uint64_t arch_flags, uint64_t count, const uint64_t* regs) const {
    return static_cast<Error>(baton_tcb_write_registers(cptr_, resume_target, arch_flags, count, regs));
}

inline Error Tcb::copy_registers(Tcb source, uint64_t suspend_source, uint64_t resume_target, uint64_t transfer_frame, uint64_t transfer_integer, uint64_t arch_flags) const {
    return static_cast<Error>(baton_tcb_copy_registers(cptr_, source.cptr(), suspend_source, resume_target, transfer_frame, transfer_integer, arch_flags));
}

inline Error Tcb::resume() const {
    return static_cast<Error>(baton_tcb_resume(cptr_));
}

inline Error Tcb::suspend() const {
    return static_cast<Error>(baton_tcb_suspend(cptr_));
}

inline Error Tcb::bind_notification(Notification notification) const {
    return static_cast<Error>(baton_tcb_bind_notification(cptr_, notification.cptr()));
}

inline Error Tcb::unbind_notification() const {
    return static_cast<Error>(baton_tcb_unbind_notification(cptr_));
}

inline Error Tcb::get_priority(uint64_t& priority, uint64_t& base_priority, uint64_t& mcp, uint64_t& cpu) const {
    return static_cast<Error>(baton_tcb_get_priority(cptr_, &priority, &base_priority, &mcp, &cpu));
}

inline Error Frame4k::map(Vspace vspace, uint64_t vaddr, uint64_t rights, uint64_t attributes) const {
    return static_cast<Error>(baton_frame_4k_map(cptr_, vspace.cptr(), vaddr, rights, attributes));
}

inline Error Frame2m::map(Vspace vspace, uint64_t vaddr, uint64_t rights, uint64_t attributes) const {
    return static_cast<Error>(baton_frame_4k_map(cptr_, vspace.cptr(), vaddr, rights, attributes));
}

inline Error Frame4k::unmap() const {
    return static_cast<Error>(baton_frame_4k_unmap(cptr_));
}

inline Error Frame2m::unmap() const {
    return static_cast<Error>(baton_frame_4k_unmap(cptr_));
}

inline Error Frame4k::remap(uint64_t rights, uint64_t attributes) const {
    return static_cast<Error>(baton_frame_4k_remap(cptr_, rights, attributes));
}

inline Error Frame2m::remap(uint64_t rights, uint64_t attributes) const {
    return static_cast<Error>(baton_frame_4k_remap(cptr_, rights, attributes));
}

inline Error Frame4k::get_address(uint64_t& paddr) const {
    return static_cast<Error>(baton_frame_4k_get_address(cptr_, &paddr));
}

inline Error Frame2m::get_address(uint64_t& paddr) const {
    return static_cast<Error>(baton_frame_4k_get_address(cptr_, &paddr));
}

inline Error PageTable::map(Vspace vspace, uint64_t vaddr, uint64_t attributes) const {
    return static_cast<Error>(baton_page_table_map(cptr_, vspace.cptr(), vaddr, attributes));
}

inline Error PageTable::unmap() const {
    return static_cast<Error>(baton_page_table_unmap(cptr_));
}

inline Error AsidControl::make_pool(Untyped untyped, Cnode root, uint64_t index, uint64_t depth) const {
    return static_cast<Error>(baton_asid_control_make_pool(cptr_, untyped.cptr(), root.cptr(), index, depth));
}

inline Error AsidPool::assign(Vspace vspace) const {
    return static_cast<Error>(baton_asid_pool_assign(cptr_, vspace.cptr()));
}

inline Error IrqControl::get(uint64_t irq, Cnode root, uint64_t index, uint64_t depth) const {
    return static_cast<Error>(baton_irq_control_get(cptr_, irq, root.cptr(), index, depth));
}

inline Error IrqHandler::ack() const {
    return static_cast<Error>(baton_irq_handler_ack(cptr_));
}

inline Error IrqHandler::set_notification(Notification notification) const {
    return static_cast<Error>(baton_irq_handler_set_notification(cptr_, notification.cptr()));
}

inline Error IrqHandler::clear() const {
    return static_cast<Error>(baton_irq_handler_clear(cptr_));
}

}  // namespace baton
