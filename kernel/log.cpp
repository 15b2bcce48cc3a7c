// Kernel console output and panics.
#include "log.hpp"

#include "arch.hpp"
#include "format.hpp"

namespace kernel {
namespace {
void console_sink(void*, const char* s, usize n) { arch::console_write(s, n); }
}  // namespace

void vkprint(const char* fmt, va_list ap) { fmt::vformat(console_sink, nullptr, fmt, ap); }

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
