/* libbaton: the user-side library of Baton. Include this one header. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <baton/bootinfo.h>
#include <baton/errors.h>
#include <baton/invocations.h>
#include <baton/ipc.h>
#include <baton/notification.h>
#include <baton/object_types.h>
#include <baton/syscalls.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The program's entry point, called by the runtime with the boot-info page
 * (the root task) or its start argument; the return value is the exit
 * status passed to baton_thread_exit. */
int baton_main(const struct baton_bootinfo *bootinfo);

/* Formatted output to the kernel's debug console (printf conventions). */
int baton_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int baton_vprintf(const char *fmt, va_list ap);

/* Sets the registers of the thread `tcb` so that it runs fn(arg0, arg1) on
 * the stack ending at stack_top (the architecture's calling convention), and
 * resumes it if `resume`. fn must not return: it ends with baton_thread_exit. */
baton_error baton_tcb_set_entry(baton_cptr tcb, void (*fn)(void), uint64_t stack_top, uint64_t arg0, uint64_t arg1,
                                int resume);

/* The largest RAM (not device) untyped capability the boot info lists: its
 * slot, and its size in *size_bits; 0 and 0 when there is none. */
baton_cptr baton_largest_untyped(const struct baton_bootinfo *bootinfo, unsigned *size_bits);

/* The same among the RAM untyped capabilities of NUMA node `node` (see
 * baton_bootinfo.node_count), so that a server can make its objects in
 * memory near its CPUs; 0 and 0 when the node has none. */
baton_cptr baton_largest_untyped_on_node(const struct baton_bootinfo *bootinfo, unsigned node, unsigned *size_bits);

/* The name of an error code ("ok", "bad_address", ...). */
const char *baton_error_name(baton_error e);

/* Finds "key=value" in a space-separated command line; copies the value
 * into buf (always terminated) and returns 1, or returns 0. */
int baton_cmdline_get(const char *cmdline, const char *key, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
