// Freestanding memory and string primitives (the kernel has no libc).
#pragma once

#include "types.hpp"

extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
}

namespace kstr {
// Length of s, reading at most max bytes.
inline usize bounded_len(const char* s, usize max) {
    usize n = 0;
    while (n < max && s[n] != '\0') ++n;
    return n;
}
inline bool starts_with(const char* s, const char* prefix) {
    while (*prefix) if (*s++ != *prefix++) return false;
    return true;
}
// Copies at most cap-1 bytes and always terminates dst (cap > 0).
inline void copy(char* dst, usize cap, const char* src, usize src_len) {
    usize n = min(src_len, cap - 1);
    for (usize i = 0; i < n; ++i) dst[i] = src[i];
    dst[n] = '\0';
}
}  // namespace kstr
