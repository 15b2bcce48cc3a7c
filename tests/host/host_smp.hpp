// The host stand-in's CPUs (arch_host.cpp): which kernel::cpus[] entry
// arch::cpu_local() returns (a test "runs on" that CPU by setting it), and
// the IPIs arch::send_ipi() was asked for, in order.
#pragma once

#include <vector>

#include "types.hpp"

namespace host_smp {
extern u32 cpu;
extern std::vector<u32> ipis;
}  // namespace host_smp
