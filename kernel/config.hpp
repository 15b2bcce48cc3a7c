// Build options the kernel sees as constants (from meson_options.txt), so
// that code can test them with `if constexpr` instead of #ifdef.
#pragma once

#ifndef BATON_CONFIG_FASTPATH
#define BATON_CONFIG_FASTPATH 1
#endif

namespace config {
// The IPC fastpath (kernel/fastpath.cpp); off, every IPC takes the slow path.
constexpr bool fastpath = BATON_CONFIG_FASTPATH != 0;
}  // namespace config
