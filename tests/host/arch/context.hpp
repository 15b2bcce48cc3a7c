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
    u64 reply = 0;
    u64 syscall_reply() const { return reply; }
    u64 syscall_arg(unsigned i) const { return regs[i]; }
    void set_syscall_result(unsigned i, u64 v) { regs[i] = v; }
    void restart_syscall() { ip -= 4; }
    static constexpr unsigned frame_words = 3, user_words = 13;
    u64 user_reg(unsigned i) const { return i == 0 ? ip : i == 1 ? stack : i == 2 ? 0 : regs[i - 3]; }
    void set_user_reg(unsigned i, u64 v) {
        if (i == 0) ip = v;
        else if (i == 1) stack = v;
        else if (i > 2) regs[i - 3] = v;
    }
};

// A few fake FP registers (host_fpu.hpp holds the "live" ones); a new
// thread's are 0 but for a control word, as on the real architectures.
struct Fpu_state {
    u64 regs[4] = {};
    u64 control = 0x37f;
};

struct Cpu_arch {};

}  // namespace arch
