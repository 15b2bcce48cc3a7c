// Kernel console output and panics.
//
// kprint() formats like printf (%d %i %u %x %X %p %s %c %%, with the l, ll,
// z length modifiers, a field width, '0' padding, '-' left alignment, '#' for 0x and
// %.*s) and writes to arch::console_write(). panic() prints "PANIC: " and
// the message on a line of its own and powers the machine off.
#pragma once

#include <stdarg.h>

#include "types.hpp"

namespace kernel {

void kprint(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void vkprint(const char* fmt, va_list ap);
[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// Keeps other CPUs' output out of a run of console writes (kprint takes it
// itself). console_lock() gives up after a bounded wait and returns false;
// console_unlock() takes what it returned.
bool console_lock();
void console_unlock(bool locked);

}  // namespace kernel

// Invariant checks: a failure is a kernel bug, never a user's doing.
#define KASSERT(cond)                                                                  \
    do {                                                                               \
        if (EXPECT_FALSE(!(cond))) ::kernel::panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
    } while (0)
