// Fixed-width types and small helpers shared by every part of the kernel.
#pragma once

#include <stddef.h>
#include <stdint.h>

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i32 = int32_t;
using i64 = int64_t;
using usize = size_t;
using uptr = uintptr_t;

constexpr u64 KiB = 1024;
constexpr u64 MiB = 1024 * KiB;
constexpr u64 GiB = 1024 * MiB;

constexpr bool is_pow2(u64 x) { return x != 0 && (x & (x - 1)) == 0; }
constexpr u64 align_down(u64 x, u64 a) { return x & ~(a - 1); }
constexpr u64 align_up(u64 x, u64 a) { return (x + a - 1) & ~(a - 1); }
constexpr bool is_aligned(u64 x, u64 a) { return (x & (a - 1)) == 0; }
template <class T> constexpr T min(T a, T b) { return a < b ? a : b; }
template <class T> constexpr T max(T a, T b) { return a < b ? b : a; }

// Overflow-checked end of [base, base + size): false when it wraps.
constexpr bool range_end(u64 base, u64 size, u64& end) { return !__builtin_add_overflow(base, size, &end); }

#define EXPECT_FALSE(x) __builtin_expect(!!(x), 0)
#define EXPECT_TRUE(x) __builtin_expect(!!(x), 1)
