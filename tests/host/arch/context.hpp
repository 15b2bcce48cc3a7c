// Host stand-in for <arch/context.hpp>.
#pragma once

#include "types.hpp"

namespace arch {

struct User_context {
    u64 regs[10] = {};
    u64 number = 0;
    u64 ip = 0;
    u64 stack = 0;

    void init(u64 pc, u64 sp, u64 arg0) { ip = pc; stack = sp; regs[0] = arg0; }
    u64 pc() const { return ip; }
    u64 sp() const { return stack; }
    u64 syscall_number() const { return number; }
    u64 syscall_arg(unsigned i) const { return regs[i]; }
    void set_syscall_result(unsigned i, u64 v) { regs[i] = v; }
};

struct Cpu_arch {};

}  // namespace arch
