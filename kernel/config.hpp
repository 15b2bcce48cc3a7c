// Build options the kernel sees as constants (from meson_options.txt), so
// that code can test them with `if constexpr` instead of #ifdef.
#pragma once

#ifndef BATON_CONFIG_FASTPATH
#define BATON_CONFIG_FASTPATH 1
#endif

#ifndef BATON_CONFIG_BIG_LOCK
#define BATON_CONFIG_BIG_LOCK 0
#endif

#ifndef BATON_CONFIG_SMP
#define BATON_CONFIG_SMP 1
#endif

namespace config {
// The IPC fastpath (kernel/fastpath.cpp); off, every IPC takes the slow path.
constexpr bool fastpath = BATON_CONFIG_FASTPATH != 0;
// One kernel lock for everything instead of per-object locks (kernel/smp.cpp).
constexpr bool big_lock = BATON_CONFIG_BIG_LOCK != 0;
// Several CPUs; without, a uniprocessor kernel: the boot CPU only, and
// kernel entry, object locks and cross-CPU paths compiled out.
constexpr bool smp = BATON_CONFIG_SMP != 0;
}  // namespace config
