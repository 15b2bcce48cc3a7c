// ktest: interrupts as capabilities: IRQControl.Get and its errors, the
// handler's Ack, SetNotification and Clear, deliveries through
// debug_irq_raise, deletion and revocation; and device untyped memory.
#include "ktest.hpp"

using namespace ktest;

namespace {

constexpr baton_cptr irq_control = BATON_CAP_IRQ_CONTROL;
constexpr uint64_t badge = 0x40;

[[maybe_unused]] bool streq(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

// The highest valid IRQ number, from the range_error's bounds.
uint64_t last_irq(Env& env) {
    baton_cptr s = env.slot();
    KEXPECT_ERR(baton_irq_control_get(irq_control, ~0ull, root_cnode, s, depth), BATON_RANGE_ERROR);
    KEXPECT_EQ(baton_error_detail(0), 0);
    return baton_error_detail(1);
}

// A handler for a free interrupt (the highest numbered one the kernel
// lets go of), in a new slot.
baton_cptr free_handler(Env& env, uint64_t& irq) {
    baton_cptr s = env.slot();
    for (irq = last_irq(env); irq > 0; --irq) {
        baton_error e = baton_irq_control_get(irq_control, irq, root_cnode, s, depth);
        if (e == BATON_OK) return s;
        if (e != BATON_ILLEGAL_OPERATION && e != BATON_REVOKE_FIRST) KEXPECT_OK(e);
    }
    KEXPECT_EQ(irq, 1);  // no free interrupt at all
    return s;
}

// Interrupts the kernel uses itself on this platform: its timer, its
// console UART, an SGI.
struct Kernel_irqs {
    uint64_t irq[3];
    unsigned count;
};
Kernel_irqs kernel_irqs(const baton_bootinfo* bi) {
#if defined(__aarch64__)
    // SGI 0; the EL1 physical timer's PPI; the PL011's SPI (virt: SPI 1,
    // Raspberry Pi 4: SPI 121).
    if (streq(bi->platform, "qemu-virt-arm64")) return {{0, 30, 33}, 3};
    if (streq(bi->platform, "rpi4")) return {{0, 30, 153}, 3};
    return {{0, 30, 0}, 2};
#else
    // ISA IRQ 0 (the PIT) arrives on GSI 2 (the MADT's override), COM1's
    // IRQ 4 on GSI 4.
    (void)bi;
    return {{2, 4, 0}, 2};
#endif
}

// Lets interrupts in: each system call returns to user mode, where they
// are taken.
void settle() {
    for (int i = 0; i < 3; ++i) baton_yield();
}

}  // namespace

KTEST(irq_get_errors, "irq_control.get: bad numbers, the kernel's interrupts, double get, the destination") {
    uint64_t last = last_irq(env);
    KEXPECT_EQ(last > 16, 1);
    baton_cptr s = env.slot();
    KEXPECT_ERR(baton_irq_control_get(irq_control, last + 1, root_cnode, s, depth), BATON_RANGE_ERROR);
    KEXPECT_EQ(baton_error_detail(1), last);
    Kernel_irqs k = kernel_irqs(env.bi);
    for (unsigned i = 0; i < k.count; ++i)
        KEXPECT_ERR(baton_irq_control_get(irq_control, k.irq[i], root_cnode, s, depth), BATON_ILLEGAL_OPERATION);
    KEXPECT_EQ(identify(s).type, BATON_OBJ_NULL);

    uint64_t irq;
    baton_cptr h = free_handler(env, irq);
    Identity id = identify(h);
    KEXPECT_EQ(id.type, BATON_OBJ_IRQ_HANDLER);
    KEXPECT_EQ(id.word, irq);
    // One handler per interrupt.
    KEXPECT_ERR(baton_irq_control_get(irq_control, irq, root_cnode, s, depth), BATON_REVOKE_FIRST);
    // The destination: occupied, a bad depth, a failed lookup, not a CNode.
    baton_cptr other = free_handler(env, irq);
    KEXPECT_OK(baton_cnode_delete(root_cnode, other, depth));
    KEXPECT_ERR(baton_irq_control_get(irq_control, irq, root_cnode, h, depth), BATON_DELETE_FIRST);
    KEXPECT_ERR(baton_irq_control_get(irq_control, irq, root_cnode, s, 65), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_irq_control_get(irq_control, irq, root_cnode, s, 20), BATON_FAILED_LOOKUP);
    KEXPECT_ERR(baton_irq_control_get(irq_control, irq, BATON_CAP_INIT_TCB, s, depth), BATON_INVALID_CAPABILITY);
    KEXPECT_OK(baton_irq_control_get(irq_control, irq, root_cnode, s, depth));
}

KTEST(irq_wrong_caps, "irq: methods on the wrong capabilities, notifications without the write right") {
    uint64_t irq;
    baton_cptr h = free_handler(env, irq);
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION), ep = env.make(BATON_OBJ_ENDPOINT);
    baton_cptr ro = env.slot();
    KEXPECT_OK(baton_cnode_mint(root_cnode, ro, depth, root_cnode, n, depth, 1, badge));
    // IRQControl's method on a handler, the handler's on IRQControl and others.
    KEXPECT_ERR(baton_irq_control_get(h, irq, root_cnode, env.slot(), depth), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_irq_handler_ack(irq_control), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_irq_handler_clear(n), BATON_ILLEGAL_OPERATION);
    KEXPECT_ERR(baton_irq_handler_set_notification(BATON_CAP_INIT_TCB, n), BATON_ILLEGAL_OPERATION);
    // SetNotification wants a notification it may signal.
    KEXPECT_ERR(baton_irq_handler_set_notification(h, ep), BATON_INVALID_CAPABILITY);
    KEXPECT_EQ(baton_error_detail(0), 0);
    KEXPECT_ERR(baton_irq_handler_set_notification(h, ro), BATON_INVALID_CAPABILITY);
    KEXPECT_OK(baton_irq_handler_set_notification(h, n));
    // IRQControl itself is not copied.
    KEXPECT_ERR(baton_cnode_copy(root_cnode, env.slot(), depth, root_cnode, irq_control, depth, 15),
                BATON_ILLEGAL_OPERATION);
    // Nothing was delivered: nothing to acknowledge.
    KEXPECT_ERR(baton_irq_handler_ack(h), BATON_ILLEGAL_OPERATION);
}

KTEST(irq_delivery, "irq: a raised interrupt signals the badge, not again until ack, nothing after clear") {
    uint64_t irq;
    baton_cptr h = free_handler(env, irq);
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr nb = env.slot();
    KEXPECT_OK(baton_cnode_mint(root_cnode, nb, depth, root_cnode, n, depth, 15, badge));
    KEXPECT_OK(baton_irq_handler_set_notification(h, nb));

    uint64_t word = 0;
    KEXPECT_OK(baton_debug_irq_raise(irq));
    KEXPECT_OK(baton_wait(n, &word));
    KEXPECT_EQ(word, badge);

    // Masked until acknowledged: a second raise stays pending.
    KEXPECT_OK(baton_debug_irq_raise(irq));
    settle();
    KEXPECT_OK(baton_poll(n, &word));
    KEXPECT_EQ(word, 0);
    KEXPECT_OK(baton_irq_handler_ack(h));
    KEXPECT_OK(baton_wait(n, &word));  // the pending one, delivered once unmasked
    KEXPECT_EQ(word, badge);

    // A copy of the handler acknowledges too; one ack per delivery.
    baton_cptr copy = env.slot();
    KEXPECT_OK(baton_cnode_copy(root_cnode, copy, depth, root_cnode, h, depth, 15));
    KEXPECT_OK(baton_irq_handler_ack(copy));
    KEXPECT_ERR(baton_irq_handler_ack(h), BATON_ILLEGAL_OPERATION);

    // After clear, a delivery signals nothing (and still masks the line).
    KEXPECT_OK(baton_irq_handler_clear(h));
    KEXPECT_OK(baton_debug_irq_raise(irq));
    settle();
    KEXPECT_OK(baton_poll(n, &word));
    KEXPECT_EQ(word, 0);
    KEXPECT_OK(baton_irq_handler_ack(h));
    KEXPECT_ERR(baton_irq_handler_ack(h), BATON_ILLEGAL_OPERATION);

    // Set again: deliveries resume.
    KEXPECT_OK(baton_irq_handler_set_notification(h, nb));
    KEXPECT_OK(baton_debug_irq_raise(irq));
    KEXPECT_OK(baton_wait(n, &word));
    KEXPECT_EQ(word, badge);
    KEXPECT_OK(baton_irq_handler_ack(h));
}

KTEST(irq_notification_kept, "irq: the handler keeps its notification alive after the caller's copies go") {
    uint64_t irq;
    baton_cptr h = free_handler(env, irq);
    baton_cptr n = env.make(BATON_OBJ_NOTIFICATION);
    baton_cptr nb = env.slot(), waiter = env.slot();
    KEXPECT_OK(baton_cnode_mint(root_cnode, nb, depth, root_cnode, n, depth, 15, badge));
    KEXPECT_OK(baton_irq_handler_set_notification(h, nb));
    KEXPECT_OK(baton_cnode_copy(root_cnode, waiter, depth, root_cnode, n, depth, 1));
    KEXPECT_OK(baton_cnode_delete(root_cnode, nb, depth));
    KEXPECT_OK(baton_cnode_delete(root_cnode, n, depth));
    uint64_t word = 0;
    KEXPECT_OK(baton_debug_irq_raise(irq));
    KEXPECT_OK(baton_wait(waiter, &word));
    KEXPECT_EQ(word, badge);
}

KTEST(irq_delete_and_get_again, "irq: deleting the handler frees the interrupt; revoking IRQControl deletes handlers") {
    uint64_t irq;
    baton_cptr h = free_handler(env, irq);
    baton_cptr copy = env.slot();
    KEXPECT_OK(baton_cnode_copy(root_cnode, copy, depth, root_cnode, h, depth, 15));
    KEXPECT_OK(baton_cnode_delete(root_cnode, h, depth));
    // A copy remains: the interrupt is still taken.
    KEXPECT_ERR(baton_irq_control_get(irq_control, irq, root_cnode, h, depth), BATON_REVOKE_FIRST);
    KEXPECT_OK(baton_debug_irq_raise(irq));
    settle();
    KEXPECT_OK(baton_irq_handler_ack(copy));  // it was delivered (to no notification)
    KEXPECT_OK(baton_cnode_delete(root_cnode, copy, depth));
    KEXPECT_ERR(baton_debug_irq_raise(irq), BATON_ILLEGAL_OPERATION);
    KEXPECT_OK(baton_irq_control_get(irq_control, irq, root_cnode, h, depth));
    KEXPECT_OK(baton_debug_irq_raise(irq));
    settle();
    KEXPECT_OK(baton_irq_handler_ack(h));

    uint64_t irq2;
    baton_cptr h2 = free_handler(env, irq2);
    KEXPECT_OK(baton_cnode_revoke(root_cnode, irq_control, depth));
    KEXPECT_EQ(identify(h).type, BATON_OBJ_NULL);
    KEXPECT_EQ(identify(h2).type, BATON_OBJ_NULL);
    KEXPECT_EQ(identify(irq_control).type, BATON_OBJ_IRQ_CONTROL);
    KEXPECT_OK(baton_irq_control_get(irq_control, irq, root_cnode, h, depth));
}

KTEST(irq_debug_raise_errors, "debug_irq_raise: only existing interrupts with a handler") {
    uint64_t last = last_irq(env);
    KEXPECT_ERR(baton_debug_irq_raise(last + 1), BATON_RANGE_ERROR);
    KEXPECT_ERR(baton_debug_irq_raise(~0ull), BATON_RANGE_ERROR);
    Kernel_irqs k = kernel_irqs(env.bi);
    KEXPECT_ERR(baton_debug_irq_raise(k.irq[1]), BATON_ILLEGAL_OPERATION);  // the kernel's
    uint64_t irq;
    baton_cptr h = free_handler(env, irq);
    KEXPECT_OK(baton_cnode_delete(root_cnode, h, depth));
    KEXPECT_ERR(baton_debug_irq_raise(irq), BATON_ILLEGAL_OPERATION);  // no handler
}

KTEST(device_untyped, "device untyped: outside RAM and the kernel's devices; frames yes, kernel objects no") {
    const baton_bootinfo* bi = env.bi;
    KEXPECT_EQ(bi->untyped_left_out, 0);
    KEXPECT_EQ(bi->device_end != 0, 1);
    int found = -1;
    for (uint32_t i = 0; i < bi->untyped_count; ++i) {
        const auto& u = bi->untyped[i];
        if (!u.device) continue;
        uint64_t end = u.base + (1ull << u.size_bits);
        KEXPECT_EQ(end <= bi->device_end, 1);
        // No region the boot info lists (RAM, free or used, and the kernel's
        // devices) overlaps device memory.
        for (uint32_t r = 0; r < bi->region_count; ++r) {
            const baton_region& g = bi->regions[r];
            if (g.base < end && u.base < g.base + g.size) {
                baton_printf("ktest:   device untyped %#llx-%#llx overlaps region %#llx-%#llx\n",
                             (unsigned long long)u.base, (unsigned long long)end, (unsigned long long)g.base,
                             (unsigned long long)(g.base + g.size));
                env.failed = true;
            }
        }
        if (found < 0 && u.size_bits >= 16) found = int(i);
    }
    KEXPECT_EQ(found >= 0, 1);
    if (found < 0) return;
    baton_cptr ut = bi->untyped_first + uint32_t(found);
    KEXPECT_EQ(identify(ut).type, BATON_OBJ_UNTYPED);
    baton_cptr s = env.slot(), t = env.slot();
    KEXPECT_OK(baton_untyped_retype(ut, BATON_OBJ_FRAME_4K, 0, root_cnode, 0, 0, s, 1));
    KEXPECT_EQ(identify(s).type, BATON_OBJ_FRAME_4K);
    uint64_t pa = 0;
    KEXPECT_OK(baton_frame_4k_get_address(s, &pa));
    KEXPECT_EQ(pa, bi->untyped[found].base);
    KEXPECT_ERR(baton_untyped_retype(ut, BATON_OBJ_TCB, 0, root_cnode, 0, 0, t, 1), BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_untyped_retype(ut, BATON_OBJ_CNODE, 4, root_cnode, 0, 0, t, 1), BATON_INVALID_ARGUMENT);
    KEXPECT_ERR(baton_untyped_retype(ut, BATON_OBJ_NOTIFICATION, 0, root_cnode, 0, 0, t, 1), BATON_INVALID_ARGUMENT);
    KEXPECT_OK(baton_untyped_retype(ut, BATON_OBJ_UNTYPED, 12, root_cnode, 0, 0, t, 1));
    KEXPECT_EQ(identify(t).type, BATON_OBJ_UNTYPED);
    // Deleting the children (the runner does) frees the whole region again.
    KEXPECT_OK(baton_cnode_delete(root_cnode, s, depth));
    KEXPECT_OK(baton_cnode_delete(root_cnode, t, depth));
    KEXPECT_EQ(identify(ut).word != 0, 1);  // the watermark stays until the next retype
    KEXPECT_OK(baton_untyped_retype(ut, BATON_OBJ_FRAME_4K, 0, root_cnode, 0, 0, s, 1));
    KEXPECT_OK(baton_frame_4k_get_address(s, &pa));
    KEXPECT_EQ(pa, bi->untyped[found].base);
}
