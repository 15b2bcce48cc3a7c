// FP/SIMD for lazy switching (kernel/fpu.hpp): the trap is CPACR_EL1.FPEN
// [ARM ARM D19.2.30]: 0b00 traps FP/SIMD at EL0 and EL1 (ESR EC 0x07),
// 0b11 traps nothing. There is no setting that traps EL1 alone, so while
// the owner runs a stray FP instruction in the kernel would not trap; the
// kernel is built with -mgeneral-regs-only and has none. The saves and
// loads below are inline assembly, which that option leaves alone.
#include "arch.hpp"
#include "cpu.hpp"

namespace {
constexpr u64 cpacr_fpen_trap = 0;             // FPEN 0b00
constexpr u64 cpacr_fpen_none = u64(3) << 20;  // FPEN 0b11
}  // namespace

// The exception return to EL0 is a context synchronisation event, so the
// new setting is in force for user code without an ISB here; the kernel's
// own FP accesses (fpu_save, fpu_load) synchronise first.
void arch::fpu_arm(bool trap) { write_sysreg(cpacr_el1, trap ? cpacr_fpen_trap : cpacr_fpen_none); }

void arch::fpu_save(Fpu_state& s) {
    u64 fpcr, fpsr;
    asm volatile(
        "isb\n"
        "stp q0, q1, [%2, #0]\n"
        "stp q2, q3, [%2, #32]\n"
        "stp q4, q5, [%2, #64]\n"
        "stp q6, q7, [%2, #96]\n"
        "stp q8, q9, [%2, #128]\n"
        "stp q10, q11, [%2, #160]\n"
        "stp q12, q13, [%2, #192]\n"
        "stp q14, q15, [%2, #224]\n"
        "stp q16, q17, [%2, #256]\n"
        "stp q18, q19, [%2, #288]\n"
        "stp q20, q21, [%2, #320]\n"
        "stp q22, q23, [%2, #352]\n"
        "stp q24, q25, [%2, #384]\n"
        "stp q26, q27, [%2, #416]\n"
        "stp q28, q29, [%2, #448]\n"
        "stp q30, q31, [%2, #480]\n"
        "mrs %0, fpcr\n"
        "mrs %1, fpsr\n"
        : "=&r"(fpcr), "=&r"(fpsr)
        : "r"(s.v)
        : "memory");
    s.fpcr = fpcr;
    s.fpsr = fpsr;
}

void arch::fpu_load(const Fpu_state& s) {
    asm volatile(
        "isb\n"
        "ldp q0, q1, [%0, #0]\n"
        "ldp q2, q3, [%0, #32]\n"
        "ldp q4, q5, [%0, #64]\n"
        "ldp q6, q7, [%0, #96]\n"
        "ldp q8, q9, [%0, #128]\n"
        "ldp q10, q11, [%0, #160]\n"
        "ldp q12, q13, [%0, #192]\n"
        "ldp q14, q15, [%0, #224]\n"
        "ldp q16, q17, [%0, #256]\n"
        "ldp q18, q19, [%0, #288]\n"
        "ldp q20, q21, [%0, #320]\n"
        "ldp q22, q23, [%0, #352]\n"
        "ldp q24, q25, [%0, #384]\n"
        "ldp q26, q27, [%0, #416]\n"
        "ldp q28, q29, [%0, #448]\n"
        "ldp q30, q31, [%0, #480]\n"
        "msr fpcr, %1\n"
        "msr fpsr, %2\n"
        :
        : "r"(s.v), "r"(s.fpcr), "r"(s.fpsr)
        : "memory");
}
