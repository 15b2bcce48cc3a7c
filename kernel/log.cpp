// Kernel console output and panics.
#include "log.hpp"

#include "arch.hpp"
#include "format.hpp"
#include "sync.hpp"

namespace kernel {

Lock_class console_lock_class{"console", 90};

namespace {

u32 console_word = 0;

void console_sink(void*, const char* s, usize n) { arch::console_write(s, n); }

}  // namespace

// Whole lines from each CPU. The wait is bounded: a CPU that faults or
// panics while printing, or prints before the others run, must not hang
// the console, so after about a second of TCG spinning it prints anyway.
bool console_lock() {
    for (u64 spins = 0; spins < (u64(1) << 24); ++spins) {
        if (lock_word::try_take(console_word)) {
            __atomic_fetch_add(&console_lock_class.acquired, 1, __ATOMIC_RELAXED);
            if (spins) __atomic_fetch_add(&console_lock_class.contended, 1, __ATOMIC_RELAXED);
            return true;
        }
        arch::cpu_relax();
    }
    return false;
}

void console_unlock(bool locked) {
    if (locked) lock_word::give(console_word);
}

void vkprint(const char* fmt, va_list ap) {
    bool locked = console_lock();
    fmt::vformat(console_sink, nullptr, fmt, ap);
    console_unlock(locked);
}

void kprint(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vkprint(fmt, ap);
    va_end(ap);
}

void panic(const char* fmt, ...) {
    static bool panicking = false;
    if (panicking) arch::power_off(false);  // a panic while panicking: stop at once
    panicking = true;
    kprint("\nPANIC: ");
    va_list ap;
    va_start(ap, fmt);
    vkprint(fmt, ap);
    va_end(ap);
    kprint("\nkernel: halting after panic\n");
    arch::power_off(false);
}

}  // namespace kernel
