// Generated from codegen/interface.toml by codegen/baton_codegen.py; do not edit.
// Change codegen/interface.toml (or the templates in codegen/templates/) instead.
// Invocations of kernel objects (C). Each packs its arguments into a
// message (words 0-7 in registers, the rest and the capability arguments
// in the IPC buffer), calls the object's capability and unpacks the reply.
// On an error, baton_error_detail(0) and (1) give its details.
#pragma once

#include <stdint.h>

#include "errors.h"
#include <baton/ipc.h>
#include "syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* untyped.retype (label 1): Makes `num_objects` new objects of `type` from this untyped region and puts their capabilities into empty slots `node_offset`.. of the CNode found at `node_index`/`node_depth` in `root` (depth 0: `root` itself).
 *   type: object type (baton_object_type)
 *   size_bits: size of variable-size objects: untyped size in bits, CNode radix
 *   root: CNode from which the destination CNode is looked up
 *   node_index: capability pointer of the destination CNode in root
 *   node_depth: bits of node_index to resolve (0: root is the destination)
 *   node_offset: first destination slot
 *   num_objects: how many objects (1-256)
 * Errors: invalid_argument, invalid_capability, range_error, failed_lookup, delete_first, not_enough_memory, truncated_message, illegal_operation.
 */
static inline baton_error baton_untyped_retype(baton_cptr service, uint64_t type, uint64_t size_bits, baton_cptr root, uint64_t node_index, uint64_t node_depth, uint64_t node_offset, uint64_t num_objects)
{
    uint64_t mr[8] = {0};
    mr[0] = type;
    mr[1] = size_bits;
    mr[2] = node_index;
    mr[3] = node_depth;
    mr[4] = node_offset;
    mr[5] = num_objects;
    __baton_ipc_buffer->caps_or_badges[0] = root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(1, 0, 1, 6), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* cnode.copy (label 10): Copies the capability at src_index/src_depth in src_root to the empty slot dest_index/dest_depth of this CNode, keeping only `rights`.
 *   dest_index: destination slot in this CNode
 *   dest_depth: bits of dest_index to resolve
 *   src_root: CNode the source is looked up in
 *   src_index: source slot
 *   src_depth: bits of src_index to resolve
 *   rights: rights mask (read 1, write 2, grant 4, grant-reply 8)
 * Errors: failed_lookup, delete_first, illegal_operation, range_error, truncated_message, invalid_capability.
 */
static inline baton_error baton_cnode_copy(baton_cptr service, uint64_t dest_index, uint64_t dest_depth, baton_cptr src_root, uint64_t src_index, uint64_t src_depth, uint64_t rights)
{
    uint64_t mr[8] = {0};
    mr[0] = dest_index;
    mr[1] = dest_depth;
    mr[2] = src_index;
    mr[3] = src_depth;
    mr[4] = rights;
    __baton_ipc_buffer->caps_or_badges[0] = src_root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(10, 0, 1, 5), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* cnode.mint (label 11): Like copy, and also sets a badge (endpoints, notifications; only on an unbadged capability) or a guard (CNodes: bits 0-5 guard size, bits 6-63 guard).
 *   dest_index: destination slot in this CNode
 *   dest_depth: bits of dest_index to resolve
 *   src_root: CNode the source is looked up in
 *   src_index: source slot
 *   src_depth: bits of src_index to resolve
 *   rights: rights mask
 *   badge: badge or guard data
 * Errors: failed_lookup, delete_first, illegal_operation, range_error, invalid_argument, truncated_message, invalid_capability.
 */
static inline baton_error baton_cnode_mint(baton_cptr service, uint64_t dest_index, uint64_t dest_depth, baton_cptr src_root, uint64_t src_index, uint64_t src_depth, uint64_t rights, uint64_t badge)
{
    uint64_t mr[8] = {0};
    mr[0] = dest_index;
    mr[1] = dest_depth;
    mr[2] = src_index;
    mr[3] = src_depth;
    mr[4] = rights;
    mr[5] = badge;
    __baton_ipc_buffer->caps_or_badges[0] = src_root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(11, 0, 1, 6), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* cnode.move (label 12): Moves a capability to an empty slot, keeping its place in the derivation tree.
 *   dest_index: destination slot in this CNode
 *   dest_depth: bits of dest_index to resolve
 *   src_root: CNode the source is looked up in
 *   src_index: source slot
 *   src_depth: bits of src_index to resolve
 * Errors: failed_lookup, delete_first, illegal_operation, range_error, truncated_message, invalid_capability.
 */
static inline baton_error baton_cnode_move(baton_cptr service, uint64_t dest_index, uint64_t dest_depth, baton_cptr src_root, uint64_t src_index, uint64_t src_depth)
{
    uint64_t mr[8] = {0};
    mr[0] = dest_index;
    mr[1] = dest_depth;
    mr[2] = src_index;
    mr[3] = src_depth;
    __baton_ipc_buffer->caps_or_badges[0] = src_root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(12, 0, 1, 4), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* cnode.mutate (label 13): Moves a capability and sets its badge or guard on the way.
 *   dest_index: destination slot in this CNode
 *   dest_depth: bits of dest_index to resolve
 *   src_root: CNode the source is looked up in
 *   src_index: source slot
 *   src_depth: bits of src_index to resolve
 *   badge: badge or guard data
 * Errors: failed_lookup, delete_first, illegal_operation, range_error, invalid_argument, truncated_message, invalid_capability.
 */
static inline baton_error baton_cnode_mutate(baton_cptr service, uint64_t dest_index, uint64_t dest_depth, baton_cptr src_root, uint64_t src_index, uint64_t src_depth, uint64_t badge)
{
    uint64_t mr[8] = {0};
    mr[0] = dest_index;
    mr[1] = dest_depth;
    mr[2] = src_index;
    mr[3] = src_depth;
    mr[4] = badge;
    __baton_ipc_buffer->caps_or_badges[0] = src_root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(13, 0, 1, 5), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* cnode.rotate (label 14): Moves the capability at pivot to dest and the one at src to pivot, applying badges; dest may be src, which swaps the two.
 *   dest_index: destination slot in this CNode
 *   dest_depth: bits of dest_index to resolve
 *   dest_badge: badge for the capability moved to dest
 *   pivot_root: CNode of the pivot slot
 *   pivot_index: pivot slot
 *   pivot_depth: bits of pivot_index to resolve
 *   pivot_badge: badge for the capability moved to pivot
 *   src_root: CNode of the source slot
 *   src_index: source slot
 *   src_depth: bits of src_index to resolve
 * Errors: failed_lookup, delete_first, illegal_operation, range_error, invalid_argument, truncated_message, invalid_capability.
 */
static inline baton_error baton_cnode_rotate(baton_cptr service, uint64_t dest_index, uint64_t dest_depth, uint64_t dest_badge, baton_cptr pivot_root, uint64_t pivot_index, uint64_t pivot_depth, uint64_t pivot_badge, baton_cptr src_root, uint64_t src_index, uint64_t src_depth)
{
    uint64_t mr[8] = {0};
    mr[0] = dest_index;
    mr[1] = dest_depth;
    mr[2] = dest_badge;
    mr[3] = pivot_index;
    mr[4] = pivot_depth;
    mr[5] = pivot_badge;
    mr[6] = src_index;
    mr[7] = src_depth;
    __baton_ipc_buffer->caps_or_badges[0] = pivot_root;
    __baton_ipc_buffer->caps_or_badges[1] = src_root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(14, 0, 2, 8), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* cnode.delete (label 15): Deletes a capability; when it is the last one to its object, the object is destroyed (threads stopped, waiters woken, CNodes emptied).
 *   index: slot in this CNode
 *   depth: bits of index to resolve
 * Errors: failed_lookup, range_error, truncated_message.
 */
static inline baton_error baton_cnode_delete(baton_cptr service, uint64_t index, uint64_t depth)
{
    uint64_t mr[8] = {0};
    mr[0] = index;
    mr[1] = depth;
    baton_msginfo info = baton_call(service, baton_msginfo_new(15, 0, 0, 2), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* cnode.revoke (label 16): Deletes every capability derived from the one at index; on an untyped capability, every object made from it, after which the whole region is free again.
 *   index: slot in this CNode
 *   depth: bits of index to resolve
 * Errors: failed_lookup, range_error, truncated_message.
 */
static inline baton_error baton_cnode_revoke(baton_cptr service, uint64_t index, uint64_t depth)
{
    uint64_t mr[8] = {0};
    mr[0] = index;
    mr[1] = depth;
    baton_msginfo info = baton_call(service, baton_msginfo_new(16, 0, 0, 2), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.configure (label 20): Sets a thread's fault handler, CSpace, VSpace and IPC buffer in one call (see set_space and set_ipc_buffer).
 *   fault_ep: capability pointer (in the caller's CSpace) of the endpoint that receives the thread's faults; 0 for none
 *   cspace_root: the thread's CSpace root
 *   cspace_root_data: guard for the CSpace root (bits 0-5 guard size, 6-63 guard); 0 keeps it
 *   vspace_root: the thread's address space
 *   vspace_root_data: reserved, must be 0
 *   buffer: user address of the IPC buffer, 1 KiB aligned; 0 for none
 *   buffer_frame: the frame holding the IPC buffer
 * Errors: invalid_capability, invalid_argument, alignment_error, failed_lookup, illegal_operation, range_error, truncated_message.
 */
static inline baton_error baton_tcb_configure(baton_cptr service, uint64_t fault_ep, baton_cptr cspace_root, uint64_t cspace_root_data, baton_cptr vspace_root, uint64_t vspace_root_data, uint64_t buffer, baton_cptr buffer_frame)
{
    uint64_t mr[8] = {0};
    mr[0] = fault_ep;
    mr[1] = cspace_root_data;
    mr[2] = vspace_root_data;
    mr[3] = buffer;
    __baton_ipc_buffer->caps_or_badges[0] = cspace_root;
    __baton_ipc_buffer->caps_or_badges[1] = vspace_root;
    __baton_ipc_buffer->caps_or_badges[2] = buffer_frame;
    baton_msginfo info = baton_call(service, baton_msginfo_new(20, 0, 3, 4), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.set_priority (label 21): Sets the thread's priority, at most the maximum controlled priority of `authority`.
 *   authority: a thread whose MCP bounds the new priority
 *   priority: 0-255
 * Errors: range_error, invalid_capability, truncated_message.
 */
static inline baton_error baton_tcb_set_priority(baton_cptr service, baton_cptr authority, uint64_t priority)
{
    uint64_t mr[8] = {0};
    mr[0] = priority;
    __baton_ipc_buffer->caps_or_badges[0] = authority;
    baton_msginfo info = baton_call(service, baton_msginfo_new(21, 0, 1, 1), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.set_mc_priority (label 22): Sets the thread's maximum controlled priority (the highest priority it may give), at most authority's.
 *   authority: a thread whose MCP bounds the new one
 *   mcp: 0-255
 * Errors: range_error, invalid_capability, truncated_message.
 */
static inline baton_error baton_tcb_set_mc_priority(baton_cptr service, baton_cptr authority, uint64_t mcp)
{
    uint64_t mr[8] = {0};
    mr[0] = mcp;
    __baton_ipc_buffer->caps_or_badges[0] = authority;
    baton_msginfo info = baton_call(service, baton_msginfo_new(22, 0, 1, 1), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.set_affinity (label 23): Sets the CPU the thread runs on (honoured by the scheduler from SMP on).
 *   cpu: CPU index, below the boot info's cpu_count
 * Errors: range_error, truncated_message.
 */
static inline baton_error baton_tcb_set_affinity(baton_cptr service, uint64_t cpu)
{
    uint64_t mr[8] = {0};
    mr[0] = cpu;
    baton_msginfo info = baton_call(service, baton_msginfo_new(23, 0, 0, 1), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.set_ipc_buffer (label 24): Sets the thread's IPC buffer: user address `buffer` inside `buffer_frame` as mapped by the thread.
 *   buffer: user address, 1 KiB aligned; 0 for none
 *   buffer_frame: the frame holding it
 * Errors: alignment_error, invalid_capability, invalid_argument, truncated_message.
 */
static inline baton_error baton_tcb_set_ipc_buffer(baton_cptr service, uint64_t buffer, baton_cptr buffer_frame)
{
    uint64_t mr[8] = {0};
    mr[0] = buffer;
    __baton_ipc_buffer->caps_or_badges[0] = buffer_frame;
    baton_msginfo info = baton_call(service, baton_msginfo_new(24, 0, 1, 1), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.set_space (label 25): Sets the thread's fault handler, CSpace root and VSpace.
 *   fault_ep: capability pointer of the fault endpoint in the caller's CSpace; 0 for none
 *   cspace_root: the thread's CSpace root
 *   cspace_root_data: guard for the CSpace root; 0 keeps it
 *   vspace_root: the thread's address space
 *   vspace_root_data: reserved, must be 0
 * Errors: invalid_capability, invalid_argument, failed_lookup, range_error, truncated_message.
 */
static inline baton_error baton_tcb_set_space(baton_cptr service, uint64_t fault_ep, baton_cptr cspace_root, uint64_t cspace_root_data, baton_cptr vspace_root, uint64_t vspace_root_data)
{
    uint64_t mr[8] = {0};
    mr[0] = fault_ep;
    mr[1] = cspace_root_data;
    mr[2] = vspace_root_data;
    __baton_ipc_buffer->caps_or_badges[0] = cspace_root;
    __baton_ipc_buffer->caps_or_badges[1] = vspace_root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(25, 0, 2, 3), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.read_registers (label 26): Reads the first `count` registers of the thread's user context (order: struct baton_user_context).
 *   suspend_source: 1: suspend the thread first
 *   arch_flags: reserved, 0
 *   count: how many registers
 *   *regs (out): the registers
 * Errors: range_error, illegal_operation, truncated_message.
 */
static inline baton_error baton_tcb_read_registers(baton_cptr service, uint64_t suspend_source, uint64_t arch_flags, uint64_t count, uint64_t *regs)
{
    uint64_t mr[8] = {0};
    mr[0] = suspend_source;
    mr[1] = arch_flags;
    mr[2] = count;
    baton_msginfo info = baton_call(service, baton_msginfo_new(26, 0, 0, 3), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    uint64_t n = baton_msginfo_length(info) < count ? baton_msginfo_length(info) : count;
    for (uint64_t i = 0; i < n; ++i)
        regs[i] = i < BATON_MSG_REGISTERS ? mr[i] : __baton_ipc_buffer->msg[i];
    return BATON_OK;
}

/* tcb.write_registers (label 27): Writes the first `count` registers of the thread's user context (order: struct baton_user_context); privileged state is never taken from user input.
 *   resume_target: 1: resume the thread afterwards
 *   arch_flags: reserved, 0
 *   count: how many registers
 *   regs: the register values
 * Errors: range_error, illegal_operation, truncated_message.
 */
static inline baton_error baton_tcb_write_registers(baton_cptr service, uint64_t resume_target, uint64_t arch_flags, uint64_t count, const uint64_t * regs)
{
    uint64_t mr[8] = {0};
    mr[0] = resume_target;
    mr[1] = arch_flags;
    mr[2] = count;
    if (count > BATON_MSG_MAX_LENGTH - 3) return BATON_RANGE_ERROR;
    for (uint64_t i = 0; i < count; ++i) {
        if (3 + i < BATON_MSG_REGISTERS) mr[3 + i] = regs[i];
        else __baton_ipc_buffer->msg[3 + i] = regs[i];
    }
    baton_msginfo info = baton_call(service, baton_msginfo_new(27, 0, 0, 3 + count), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.copy_registers (label 28): Copies registers from `source` to this thread: the frame (pc, sp, flags) and/or the integer registers.
 *   source: the thread to copy from
 *   suspend_source: 1: suspend the source
 *   resume_target: 1: resume this thread
 *   transfer_frame: 1: copy pc, sp and flags
 *   transfer_integer: 1: copy the general registers
 *   arch_flags: reserved, 0
 * Errors: invalid_capability, illegal_operation, truncated_message.
 */
static inline baton_error baton_tcb_copy_registers(baton_cptr service, baton_cptr source, uint64_t suspend_source, uint64_t resume_target, uint64_t transfer_frame, uint64_t transfer_integer, uint64_t arch_flags)
{
    uint64_t mr[8] = {0};
    mr[0] = suspend_source;
    mr[1] = resume_target;
    mr[2] = transfer_frame;
    mr[3] = transfer_integer;
    mr[4] = arch_flags;
    __baton_ipc_buffer->caps_or_badges[0] = source;
    baton_msginfo info = baton_call(service, baton_msginfo_new(28, 0, 1, 5), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.resume (label 29): Makes a suspended thread runnable (it needs a CSpace and a VSpace).
 * Errors: illegal_operation.
 */
static inline baton_error baton_tcb_resume(baton_cptr service)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(29, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.suspend (label 30): Stops the thread, taking it off any queue it waits on; its operation in progress is abandoned.
 */
static inline baton_error baton_tcb_suspend(baton_cptr service)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(30, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.bind_notification (label 31): Binds a notification to the thread: its Recv on an endpoint also returns on a signal.
 *   notification: an unbound notification
 * Errors: illegal_operation, invalid_capability, truncated_message.
 */
static inline baton_error baton_tcb_bind_notification(baton_cptr service, baton_cptr notification)
{
    uint64_t mr[8] = {0};
    __baton_ipc_buffer->caps_or_badges[0] = notification;
    baton_msginfo info = baton_call(service, baton_msginfo_new(31, 0, 1, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.unbind_notification (label 32): Unbinds the thread's notification.
 * Errors: illegal_operation.
 */
static inline baton_error baton_tcb_unbind_notification(baton_cptr service)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(32, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* tcb.get_priority (label 33): Reads the thread's scheduling state: the priority it runs at (its own, or its caller's while it holds a Call from a thread of higher priority: IPC priority inheritance), its own priority (the one set_priority gave), its maximum controlled priority and the CPU it runs on.
 *   *priority (out): the priority it runs at
 *   *base_priority (out): its own priority
 *   *mcp (out): its maximum controlled priority
 *   *cpu (out): its CPU (affinity)
 */
static inline baton_error baton_tcb_get_priority(baton_cptr service, uint64_t *priority, uint64_t *base_priority, uint64_t *mcp, uint64_t *cpu)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(33, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    *priority = mr[0];
    *base_priority = mr[1];
    *mcp = mr[2];
    *cpu = mr[3];
    return BATON_OK;
}

/* frame_4k.map (label 40): Maps the frame into `vspace` at `vaddr` (aligned to the frame's size) with `rights` (read 1, write 2; at most the capability's) and `attributes` (bit 0: uncached device memory, bit 1: executable). The page tables down to the frame's level must exist.
 *   vspace: an address space with an ASID
 *   vaddr: user address
 *   rights: read 1, write 2
 *   attributes: bit 0 device (uncached), bit 1 executable
 * Errors: invalid_capability, invalid_argument, alignment_error, failed_lookup, delete_first, illegal_operation, truncated_message.
 */
static inline baton_error baton_frame_4k_map(baton_cptr service, baton_cptr vspace, uint64_t vaddr, uint64_t rights, uint64_t attributes)
{
    uint64_t mr[8] = {0};
    mr[0] = vaddr;
    mr[1] = rights;
    mr[2] = attributes;
    __baton_ipc_buffer->caps_or_badges[0] = vspace;
    baton_msginfo info = baton_call(service, baton_msginfo_new(40, 0, 1, 3), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* frame_4k.unmap (label 41): Removes the frame's mapping, if it has one.
 */
static inline baton_error baton_frame_4k_unmap(baton_cptr service)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(41, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* frame_4k.remap (label 42): Changes the rights and attributes of the frame's existing mapping.
 *   rights: read 1, write 2
 *   attributes: bit 0 device (uncached), bit 1 executable
 * Errors: illegal_operation, invalid_argument, truncated_message.
 */
static inline baton_error baton_frame_4k_remap(baton_cptr service, uint64_t rights, uint64_t attributes)
{
    uint64_t mr[8] = {0};
    mr[0] = rights;
    mr[1] = attributes;
    baton_msginfo info = baton_call(service, baton_msginfo_new(42, 0, 0, 2), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* frame_4k.get_address (label 43): Returns the frame's physical address.
 *   *paddr (out): physical address
 */
static inline baton_error baton_frame_4k_get_address(baton_cptr service, uint64_t *paddr)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(43, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    *paddr = mr[0];
    return BATON_OK;
}

/* page_table.map (label 50): Installs the page table in `vspace` as the table that translates `vaddr` at the first level that has none.
 *   vspace: an address space with an ASID
 *   vaddr: a user address the table will cover
 *   attributes: reserved, 0
 * Errors: invalid_capability, invalid_argument, delete_first, illegal_operation, truncated_message.
 */
static inline baton_error baton_page_table_map(baton_cptr service, baton_cptr vspace, uint64_t vaddr, uint64_t attributes)
{
    uint64_t mr[8] = {0};
    mr[0] = vaddr;
    mr[1] = attributes;
    __baton_ipc_buffer->caps_or_badges[0] = vspace;
    baton_msginfo info = baton_call(service, baton_msginfo_new(50, 0, 1, 2), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* page_table.unmap (label 51): Removes the page table from its address space and clears it.
 */
static inline baton_error baton_page_table_unmap(baton_cptr service)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(51, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* asid_control.make_pool (label 60): Turns a 4 KiB untyped region (with nothing made from it) into a pool of ASIDs, in slot `index`/`depth` of `root`.
 *   untyped: 4 KiB untyped with no children
 *   root: CNode for the new capability
 *   index: destination slot
 *   depth: bits of index to resolve
 * Errors: invalid_capability, illegal_operation, delete_first, failed_lookup, range_error, revoke_first, truncated_message.
 */
static inline baton_error baton_asid_control_make_pool(baton_cptr service, baton_cptr untyped, baton_cptr root, uint64_t index, uint64_t depth)
{
    uint64_t mr[8] = {0};
    mr[0] = index;
    mr[1] = depth;
    __baton_ipc_buffer->caps_or_badges[0] = untyped;
    __baton_ipc_buffer->caps_or_badges[1] = root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(60, 0, 2, 2), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* asid_pool.assign (label 61): Gives `vspace` an ASID from this pool (on x86_64, ASIDs are PCIDs).
 *   vspace: an address space without an ASID
 * Errors: invalid_capability, illegal_operation, not_enough_memory, truncated_message.
 */
static inline baton_error baton_asid_pool_assign(baton_cptr service, baton_cptr vspace)
{
    uint64_t mr[8] = {0};
    __baton_ipc_buffer->caps_or_badges[0] = vspace;
    baton_msginfo info = baton_call(service, baton_msginfo_new(61, 0, 1, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* irq_control.get (label 70): Makes the IRQ handler capability for interrupt `irq` in the empty slot `index`/`depth` of `root` and unmasks the interrupt. Numbers are GIC INTIDs on arm64 and I/O APIC GSIs on x86_64; interrupts the kernel uses itself (its timer, its console UART, arm64 SGIs) are refused with illegal_operation, a second handler with revoke_first, a number the platform lacks with range_error (details: the valid bounds).
 *   irq: interrupt number
 *   root: CNode the destination is looked up in
 *   index: destination slot
 *   depth: bits of index to resolve
 * Errors: range_error, illegal_operation, revoke_first, invalid_capability, failed_lookup, delete_first, truncated_message.
 */
static inline baton_error baton_irq_control_get(baton_cptr service, uint64_t irq, baton_cptr root, uint64_t index, uint64_t depth)
{
    uint64_t mr[8] = {0};
    mr[0] = irq;
    mr[1] = index;
    mr[2] = depth;
    __baton_ipc_buffer->caps_or_badges[0] = root;
    baton_msginfo info = baton_call(service, baton_msginfo_new(70, 0, 1, 3), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* irq_handler.ack (label 71): Unmasks the interrupt after a delivery: the kernel masks it when it arrives and keeps it masked until this call. Without a delivery to acknowledge: illegal_operation.
 * Errors: illegal_operation.
 */
static inline baton_error baton_irq_handler_ack(baton_cptr service)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(71, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* irq_handler.set_notification (label 72): Deliveries of the interrupt signal `notification` with that capability's badge (replacing any notification set before). The handler keeps a copy of the capability until clear or its deletion.
 *   notification: a notification capability with the write right
 * Errors: invalid_capability, truncated_message.
 */
static inline baton_error baton_irq_handler_set_notification(baton_cptr service, baton_cptr notification)
{
    uint64_t mr[8] = {0};
    __baton_ipc_buffer->caps_or_badges[0] = notification;
    baton_msginfo info = baton_call(service, baton_msginfo_new(72, 0, 1, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

/* irq_handler.clear (label 73): Deliveries signal no notification any more; the interrupt is still masked when it arrives, until ack.
 */
static inline baton_error baton_irq_handler_clear(baton_cptr service)
{
    uint64_t mr[8] = {0};
    baton_msginfo info = baton_call(service, baton_msginfo_new(73, 0, 0, 0), mr, 0);
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
        return err;
    }
    return BATON_OK;
}

#ifdef __cplusplus
}
#endif
