// Starting threads: the register set that runs a function on a stack.
#include <baton/baton.h>
#include <baton/user_context.h>

extern "C" baton_error baton_tcb_set_entry(baton_cptr tcb, void (*fn)(), uint64_t stack_top, uint64_t arg0,
                                           uint64_t arg1, int resume) {
    struct baton_user_context uc = {};
#if defined(__aarch64__)
    uc.pc = uint64_t(fn);
    uc.sp = stack_top & ~uint64_t(15);
    uc.x[0] = arg0;
    uc.x[1] = arg1;
#else
    uc.rip = uint64_t(fn);
    uc.rsp = (stack_top & ~uint64_t(15)) - 8;  // as if called: the ABI's alignment at entry
    uc.rdi = arg0;
    uc.rsi = arg1;
#endif
    return baton_tcb_write_registers(tcb, resume ? 1 : 0, 0, BATON_USER_CONTEXT_WORDS,
                                     reinterpret_cast<const uint64_t*>(&uc));
}
