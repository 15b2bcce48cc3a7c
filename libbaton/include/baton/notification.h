/* Notifications: Signal, Wait and Poll over the send, recv and nb_recv
 * system calls. Each returns the error code (the reply's label); on an
 * error, baton_error_detail(0) and (1) give its details.
 *
 * A notification is a word of bits. Signal ORs the badge of the capability
 * used into it (or hands the badge to a waiting thread); Wait blocks until
 * the word is non-empty, returns it and clears it; Poll does the same
 * without blocking (0: nothing was signalled). Interrupts arrive this way
 * too (IRQHandler.SetNotification).
 */
#pragma once

#include <stdint.h>

#include <baton/errors.h>
#include <baton/ipc.h>
#include <baton/syscalls.h>

static inline baton_error baton__notification_result(baton_msginfo info, const uint64_t mr[8]) {
    baton_error err = (baton_error)baton_msginfo_label(info);
    if (err != BATON_OK) {
        __baton_ipc_buffer->msg[0] = mr[0];
        __baton_ipc_buffer->msg[1] = mr[1];
    }
    return err;
}

/* Signals the notification `n` (needs the write right) with n's badge. */
static inline baton_error baton_signal(baton_cptr n) {
    uint64_t mr[8] = {0};
    return baton__notification_result(baton_send(n, baton_msginfo_new(0, 0, 0, 0), mr, 0), mr);
}

/* Waits until `n` (read right) is signalled; *word (may be null) receives
 * the OR of the badges signalled since the last Wait or Poll. */
static inline baton_error baton_wait(baton_cptr n, uint64_t *word) {
    uint64_t mr[8] = {0}, badge = 0;
    baton_error err = baton__notification_result(baton_recv(n, baton_msginfo_new(0, 0, 0, 0), mr, &badge, 0), mr);
    if (word) *word = badge;
    return err;
}

/* Like baton_wait without blocking: *word is 0 when nothing was signalled. */
static inline baton_error baton_poll(baton_cptr n, uint64_t *word) {
    uint64_t mr[8] = {0}, badge = 0;
    baton_error err = baton__notification_result(baton_nb_recv(n, baton_msginfo_new(0, 0, 0, 0), mr, &badge, 0), mr);
    if (word) *word = badge;
    return err;
}
