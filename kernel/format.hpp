// printf-style formatting into a bounded buffer or a sink callback. Shared
// by the kernel (kprint) and libbaton (user-side printf); no allocation.
#pragma once

#include <stdarg.h>

#include "types.hpp"

namespace fmt {

// Receives formatted output in pieces.
using Sink = void (*)(void* ctx, const char* s, usize n);

// Formats into sink; returns the number of characters produced.
usize vformat(Sink sink, void* ctx, const char* f, va_list ap);

// Formats into buf (always NUL-terminated when cap > 0); returns the length
// the full output would have had, like snprintf.
usize vsnformat(char* buf, usize cap, const char* f, va_list ap);
usize snformat(char* buf, usize cap, const char* f, ...) __attribute__((format(printf, 3, 4)));

}  // namespace fmt
