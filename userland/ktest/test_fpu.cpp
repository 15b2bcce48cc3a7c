// ktest: lazy FP/SIMD switching. Threads in the root task's address space
// use the FP/SIMD registers between yields; each checks that its own
// values (vector registers, FPCR/FPSR or MXCSR and the x87 control word,
// rounding modes, compiler vector arithmetic) survive the others'.
// debug_fpu_traps shows the laziness: threads that use only integer
// registers take no trap, and two threads taking turns take one per change
// of owner. A deleted or exited owner's state is dropped, never leaked.
//
// This file is built with the FP registers allowed (userland/meson.build).
// Only the worker code below between the general-regs-only regions uses
// them; the test bodies run in the root task, which must not touch FP/SIMD
// or the trap counts would move under the tests' feet.
#pragma GCC push_options
#pragma GCC target("general-regs-only")

#include <baton/user_context.h>

#include "ktest.hpp"

#pragma GCC pop_options

namespace {

// ---- shared by the workers and the test bodies -----------------------------

#if defined(__aarch64__)
constexpr unsigned vector_regs = 32;  // V0-V31
#else
constexpr unsigned vector_regs = 16;  // XMM0-XMM15
#endif

// What an FP worker runs with and reports.
struct Fp_args {
    uint64_t seed;  // makes every value this thread uses its own
    uint64_t rounds;
    uint64_t control;   // FPCR (arm64) / MXCSR (x86_64) it runs under
    uint64_t status;    // FPSR flags (arm64) / x87 control word (x86_64)
    uint64_t quotient;  // 1.0 / 3.0 rounded by its rounding mode
    volatile uint64_t done, mismatches, rounds_done;
};

// A thread that runs one FP/SIMD step each time cmd changes: it reads a
// register, checks it holds what it left there, and writes a new value.
struct Touch_args {
    uint64_t tag;
    volatile uint64_t cmd, seen, mismatches;
};
constexpr uint64_t cmd_exit = ~0ull;

// Every FP/SIMD register and control register a thread can see, as read
// by its first FP/SIMD instruction.
struct alignas(16) Fp_snapshot {
#if defined(__aarch64__)
    uint64_t v[32][2];
    uint64_t fpcr, fpsr;
#else
    uint8_t fxsave[512];              // FXSAVE64's image
#endif
};

struct Reader_args {
    Fp_snapshot* snap;
    volatile uint64_t done;
};

// What an exception worker did: the result bits and FPSR/MXCSR after it.
struct Exc_args {
    uint64_t result, flags;
    volatile uint64_t done;
};

uint64_t pattern(uint64_t seed, uint64_t round, unsigned reg, unsigned lane) {
    return seed << 32 | (round & 0xffff) << 16 | uint64_t(reg) << 4 | lane;
}

}  // namespace

// ---- FP/SIMD code: runs only in the worker threads ----------------------------
namespace {

typedef double v2d __attribute__((vector_size(16)));
typedef float v4f __attribute__((vector_size(16)));

// Loads every vector register and the control/status registers with this
// thread's values, yields, and stores them all back, in one block so that
// nothing else touches them in between.
__attribute__((noinline)) void vector_round(const Fp_args* a, const uint64_t (*in)[2], uint64_t (*out)[2],
                                            uint64_t& control, uint64_t& status, double& x87) {
#if defined(__aarch64__)
    (void)x87;
    uint64_t c, s;
    asm volatile(
        "msr fpcr, %[ci]\n"
        "msr fpsr, %[si]\n"
        "ldp q0, q1, [%[in], #0]\n"
        "ldp q2, q3, [%[in], #32]\n"
        "ldp q4, q5, [%[in], #64]\n"
        "ldp q6, q7, [%[in], #96]\n"
        "ldp q8, q9, [%[in], #128]\n"
        "ldp q10, q11, [%[in], #160]\n"
        "ldp q12, q13, [%[in], #192]\n"
        "ldp q14, q15, [%[in], #224]\n"
        "ldp q16, q17, [%[in], #256]\n"
        "ldp q18, q19, [%[in], #288]\n"
        "ldp q20, q21, [%[in], #320]\n"
        "ldp q22, q23, [%[in], #352]\n"
        "ldp q24, q25, [%[in], #384]\n"
        "ldp q26, q27, [%[in], #416]\n"
        "ldp q28, q29, [%[in], #448]\n"
        "ldp q30, q31, [%[in], #480]\n"
        "mov x16, %[nr]\n"
        "svc #0\n"
        "stp q0, q1, [%[out], #0]\n"
        "stp q2, q3, [%[out], #32]\n"
        "stp q4, q5, [%[out], #64]\n"
        "stp q6, q7, [%[out], #96]\n"
        "stp q8, q9, [%[out], #128]\n"
        "stp q10, q11, [%[out], #160]\n"
        "stp q12, q13, [%[out], #192]\n"
        "stp q14, q15, [%[out], #224]\n"
        "stp q16, q17, [%[out], #256]\n"
        "stp q18, q19, [%[out], #288]\n"
        "stp q20, q21, [%[out], #320]\n"
        "stp q22, q23, [%[out], #352]\n"
        "stp q24, q25, [%[out], #384]\n"
        "stp q26, q27, [%[out], #416]\n"
        "stp q28, q29, [%[out], #448]\n"
        "stp q30, q31, [%[out], #480]\n"
        "mrs %[co], fpcr\n"
        "mrs %[so], fpsr\n"
        : [co] "=&r"(c), [so] "=&r"(s)
        : [in] "r"(in), [out] "r"(out), [ci] "r"(a->control), [si] "r"(a->status), [nr] "i"(BATON_SYS_YIELD)
        : "x0", "x16", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13",
          "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28",
          "v29", "v30", "v31");
    control = c;
    status = s;
#else
    uint32_t mxcsr_in = uint32_t(a->control), mxcsr_out = 0;
    uint16_t fcw_in = uint16_t(a->status), fcw_out = 0;
    double x87_in = x87, x87_out = 0;
    asm volatile(
        "fldcw %[fcwi]\n"
        "ldmxcsr %[mi]\n"
        "fldl %[xi]\n"
        "movdqu 0(%[in]), %%xmm0\n"
        "movdqu 16(%[in]), %%xmm1\n"
        "movdqu 32(%[in]), %%xmm2\n"
        "movdqu 48(%[in]), %%xmm3\n"
        "movdqu 64(%[in]), %%xmm4\n"
        "movdqu 80(%[in]), %%xmm5\n"
        "movdqu 96(%[in]), %%xmm6\n"
        "movdqu 112(%[in]), %%xmm7\n"
        "movdqu 128(%[in]), %%xmm8\n"
        "movdqu 144(%[in]), %%xmm9\n"
        "movdqu 160(%[in]), %%xmm10\n"
        "movdqu 176(%[in]), %%xmm11\n"
        "movdqu 192(%[in]), %%xmm12\n"
        "movdqu 208(%[in]), %%xmm13\n"
        "movdqu 224(%[in]), %%xmm14\n"
        "movdqu 240(%[in]), %%xmm15\n"
        "mov %[nr], %%eax\n"
        "syscall\n"
        "movdqu %%xmm0, 0(%[out])\n"
        "movdqu %%xmm1, 16(%[out])\n"
        "movdqu %%xmm2, 32(%[out])\n"
        "movdqu %%xmm3, 48(%[out])\n"
        "movdqu %%xmm4, 64(%[out])\n"
        "movdqu %%xmm5, 80(%[out])\n"
        "movdqu %%xmm6, 96(%[out])\n"
        "movdqu %%xmm7, 112(%[out])\n"
        "movdqu %%xmm8, 128(%[out])\n"
        "movdqu %%xmm9, 144(%[out])\n"
        "movdqu %%xmm10, 160(%[out])\n"
        "movdqu %%xmm11, 176(%[out])\n"
        "movdqu %%xmm12, 192(%[out])\n"
        "movdqu %%xmm13, 208(%[out])\n"
        "movdqu %%xmm14, 224(%[out])\n"
        "movdqu %%xmm15, 240(%[out])\n"
        "fstpl %[xo]\n"
        "stmxcsr %[mo]\n"
        "fnstcw %[fcwo]\n"
        : [xo] "=m"(x87_out), [mo] "=m"(mxcsr_out), [fcwo] "=m"(fcw_out)
        : [in] "r"(in), [out] "r"(out), [fcwi] "m"(fcw_in), [mi] "m"(mxcsr_in), [xi] "m"(x87_in),
          [nr] "i"(BATON_SYS_YIELD)
        : "rax", "rdi", "rcx", "r11", "cc", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
          "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "st", "st(1)", "st(2)", "st(3)",
          "st(4)", "st(5)", "st(6)", "st(7)");
    control = mxcsr_out;
    status = fcw_out;
    x87 = x87_out;
#endif
}

// 1.0 / 3.0 in the current rounding mode (not folded by the compiler).
__attribute__((noinline)) uint64_t third() {
    double q, one = 1.0, three = 3.0;
#if defined(__aarch64__)
    asm volatile("fdiv %d0, %d1, %d2" : "=w"(q) : "w"(one), "w"(three));
#else
    q = one;
    asm volatile("divsd %1, %0" : "+x"(q) : "x"(three));
#endif
    return __builtin_bit_cast(uint64_t, q);
}

extern "C" [[noreturn]] void fp_worker_main(Fp_args* a) {
    uint64_t in[32][2], out[32][2];
    uint64_t bad = 0;
    // Compiler vector arithmetic kept in registers across yields; exact in
    // every rounding mode (small integers).
    double s = double(a->seed & 0xff);
    v2d acc2 = {0, 0}, step2 = {s, s + 1};
    v4f acc4 = {0, 0, 0, 0}, step4 = {float(s), 2, 3, float(s) + 4};
    double x87 = 0;
    for (uint64_t r = 0; r < a->rounds; ++r) {
        for (unsigned i = 0; i < vector_regs; ++i)
            for (unsigned l = 0; l < 2; ++l) in[i][l] = pattern(a->seed, r, i, l);
        uint64_t control = 0, status = 0;
        x87 = double(a->seed) + double(r) * 0.5;
        double x87_in = x87;
        vector_round(a, in, out, control, status, x87);
        for (unsigned i = 0; i < vector_regs; ++i)
            for (unsigned l = 0; l < 2; ++l) bad += out[i][l] != in[i][l];
        bad += control != a->control;
        bad += status != a->status;
        bad += x87 != x87_in;
        bad += third() != a->quotient;
        acc2 += step2;
        acc4 += step4;
        baton_yield();
        acc2 += step2;
        acc4 += step4;
        a->rounds_done = r + 1;
    }
    double n = double(2 * a->rounds);
    bad += acc2[0] != n * s || acc2[1] != n * (s + 1);
    bad +=
        acc4[0] != float(n * s) || acc4[1] != float(2 * n) || acc4[2] != float(3 * n) || acc4[3] != float(n * (s + 4));
    a->mismatches = bad;
    a->done = 1;
    baton_thread_exit(0);
}

// One FP/SIMD step: returns what register 7 held and leaves `value` there.
__attribute__((noinline)) uint64_t fp_swap(uint64_t value) {
    uint64_t old;
#if defined(__aarch64__)
    asm volatile("fmov %0, d7\n fmov d7, %1" : "=&r"(old) : "r"(value) : "v7");
#else
    asm volatile("movq %%xmm7, %0\n movq %1, %%xmm7" : "=&r"(old) : "r"(value) : "xmm7");
#endif
    return old;
}

// Reads every FP/SIMD register; its first instruction is an FP/SIMD one.
__attribute__((noinline)) void fp_snapshot(Fp_snapshot* s) {
#if defined(__aarch64__)
    uint64_t fpcr, fpsr;
    asm volatile(
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
        : "r"(s->v)
        : "memory");
    s->fpcr = fpcr;
    s->fpsr = fpsr;
#else
    asm volatile("fxsave64 %0" : "=m"(*s)::"memory");
#endif
}

// An FP exception where it is enabled: x86_64 unmasks divide-by-zero for
// SSE (kind 0: #XM at the divide) or x87 (kind 1: #MF at the next x87
// instruction); arm64 does not trap FP exceptions, so 1.0 / 0.0 is +inf
// and raises FPSR.DZC.
__attribute__((noinline)) void divide_by_zero(Exc_args* a, uint64_t kind) {
    double q, one = 1.0, zero = 0.0;
#if defined(__aarch64__)
    (void)kind;
    uint64_t fpsr;
    asm volatile(
        "msr fpsr, xzr\n"
        "fdiv %d0, %d2, %d3\n"
        "mrs %1, fpsr\n"
        : "=&w"(q), "=&r"(fpsr)
        : "w"(one), "w"(zero));
    a->flags = fpsr;
#else
    if (kind == 0) {
        uint32_t mxcsr = 0x1f80 & ~0x200u;  // ZM clear
        q = one;
        asm volatile("ldmxcsr %1\n divsd %2, %0" : "+x"(q) : "m"(mxcsr), "x"(zero));
    } else {
        uint16_t fcw = 0x37f & ~0x4u;  // ZM clear
        asm volatile("fldcw %1\n fld1\n fdivl %2\n fwait\n fstpl %0" : "=m"(q) : "m"(fcw), "m"(zero) : "st");
    }
    uint32_t mxcsr_now = 0;
    asm volatile("stmxcsr %0" : "=m"(mxcsr_now));
    a->flags = mxcsr_now;
#endif
    a->result = __builtin_bit_cast(uint64_t, q);
}

}  // namespace

// ---- general registers only from here on: the worker loops and the tests -----
#pragma GCC push_options
#pragma GCC target("general-regs-only")

using namespace ktest;

namespace {

constexpr uint64_t stack_words = 2048;
uint64_t stacks[4][stack_words] __attribute__((aligned(16)));

extern "C" [[noreturn]] void toucher_main(Touch_args* a) {
    uint64_t expect = 0;  // a new thread's registers are zero
    for (;;) {
        uint64_t c = a->cmd;
        if (c == a->seen) {
            baton_yield();
            continue;
        }
        if (c == cmd_exit) {
            a->seen = c;
            baton_thread_exit(0);
        }
        uint64_t value = a->tag << 32 | c;
        if (fp_swap(value) != expect) a->mismatches = a->mismatches + 1;
        expect = value;
        a->seen = c;
    }
}

extern "C" [[noreturn]] void reader_main(Reader_args* a) {
    fp_snapshot(a->snap);
    a->done = 1;
    baton_thread_exit(0);
}

extern "C" [[noreturn]] void exception_main(Exc_args* a, uint64_t kind) {
    divide_by_zero(a, kind);
    a->done = 1;
    baton_thread_exit(0);
}

// Integer work only: counts and yields.
volatile uint64_t int_counts[2];
extern "C" [[noreturn]] void integer_main(uint64_t i, uint64_t rounds) {
    for (uint64_t r = 0; r < rounds; ++r) {
        int_counts[i] = int_counts[i] + 1;
        baton_yield();
    }
    baton_thread_exit(0);
}

// IPC partners (fastpath-sized Call and ReplyRecv) that keep a value in an
// FP/SIMD register across each call. The server touches it only in even
// rounds, so in odd ones the client gets the CPU back still owning the
// registers. A call with label 99 ends the server.
struct Ipc_fp_args {
    baton_cptr ep, reply;
    uint64_t tag, rounds;
    volatile uint64_t done, mismatches;
};

extern "C" [[noreturn]] void fp_server_main(Ipc_fp_args* a) {
    uint64_t mr[8] = {};
    uint64_t expect = 0;  // a new thread's registers are zero
    baton_msginfo info = baton_recv(a->ep, 0, mr, nullptr, a->reply);
    for (uint64_t r = 0; baton_msginfo_label(info) != 99; ++r) {
        if (r % 2 == 0) {
            uint64_t value = a->tag << 32 | r;
            if (fp_swap(value) != expect) a->mismatches = a->mismatches + 1;
            expect = value;
        }
        info = baton_reply_recv(a->ep, baton_msginfo_new(0, 0, 0, 1), mr, nullptr, a->reply);
    }
    baton_send(a->reply, baton_msginfo_new(0, 0, 0, 0), mr, nullptr);
    a->done = 1;
    baton_thread_exit(0);
}

extern "C" [[noreturn]] void fp_client_main(Ipc_fp_args* a) {
    uint64_t mr[8] = {};
    uint64_t expect = 0;
    for (uint64_t r = 0; r < a->rounds; ++r) {
        uint64_t value = a->tag << 32 | r;
        if (fp_swap(value) != expect) a->mismatches = a->mismatches + 1;
        expect = value;
        baton_call(a->ep, baton_msginfo_new(1, 0, 0, 1), mr, nullptr);
    }
    baton_call(a->ep, baton_msginfo_new(99, 0, 0, 0), mr, nullptr);
    a->done = 1;
    baton_thread_exit(0);
}

// Starts a thread at the root task's priority in the root task's spaces
// running fn(arg0, arg1) on stack i, with an optional fault endpoint. The
// TCB is made from env's untyped unless given.
baton_cptr start(Env& env, unsigned i, const void* fn, uint64_t arg0, uint64_t arg1 = 0, baton_cptr fault_ep = 0,
                 baton_cptr tcb = 0) {
    baton_cptr t = tcb ? tcb : env.make(BATON_OBJ_TCB);
    KEXPECT_OK(baton_tcb_configure(t, fault_ep, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, 0, 0));
    KEXPECT_OK(baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, 255));
    KEXPECT_OK(baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(const_cast<void*>(fn)),
                                   (uint64_t)&stacks[i][stack_words], arg0, arg1, 1));
    return t;
}

uint64_t fpu_traps() {
    uint64_t n = ~0ull;
    baton_debug_fpu_traps(&n);
    return n;
}

// Yields until *flag is set (or gives up); returns whether it was.
bool wait_for(volatile uint64_t* flag) {
    for (int i = 0; i < 100000 && !*flag; ++i) baton_yield();
    return *flag != 0;
}

// Has the toucher run one FP/SIMD step; returns whether it did.
bool touch(Touch_args& a) {
    a.cmd = a.cmd + 1;
    for (int i = 0; i < 100000 && a.seen != a.cmd; ++i) baton_yield();
    return a.seen == a.cmd;
}

void init_toucher(Touch_args& a, uint64_t tag) {
    a.tag = tag;
    a.cmd = 0;
    a.seen = 0;
    a.mismatches = 0;
}

#if defined(__aarch64__)
constexpr uint64_t fpcr_rmode(uint64_t mode) { return mode << 22; }
constexpr uint64_t fpcr_fz = 1u << 24, fpcr_dn = 1u << 25;
#endif

// Whether s is a new thread's FP/SIMD state.
bool initial_state(const Fp_snapshot& s) {
#if defined(__aarch64__)
    for (unsigned i = 0; i < 32; ++i)
        if (s.v[i][0] || s.v[i][1]) return false;
    return s.fpcr == 0 && s.fpsr == 0;
#else
    const uint8_t* b = s.fxsave;
    if ((b[0] | b[1] << 8) != 0x37f) return false;  // FCW
    for (unsigned i = 2; i < 24; ++i)               // FSW, tags, FIP, FDP (not FOP, which CPUs may leave alone)
        if ((i < 6 || i > 7) && b[i]) return false;
    if ((b[24] | b[25] << 8 | b[26] << 16 | uint32_t(b[27]) << 24) != 0x1f80) return false;  // MXCSR
    for (unsigned i = 0; i < 8; ++i)  // ST0-ST7: 10 bytes in each 16-byte slot
        for (unsigned j = 0; j < 10; ++j)
            if (b[32 + 16 * i + j]) return false;
    for (unsigned i = 160; i < 416; ++i)  // XMM0-XMM15
        if (b[i]) return false;
    return true;
#endif
}

Fp_args fp_args[2];
Touch_args touchers[2];
Reader_args reader;
Fp_snapshot snapshot;
Exc_args exc_args[2];

// Readies reader and a snapshot full of ones, for reader_main.
void start_reader() {
    reader.snap = &snapshot;
    reader.done = 0;
    auto* p = reinterpret_cast<volatile uint8_t*>(&snapshot);
    for (unsigned i = 0; i < sizeof snapshot; ++i) p[i] = 0xff;
}

}  // namespace

KTEST(fpu_two_threads,
      "fpu: two threads' vector registers, FP control/status and vector arithmetic survive each other") {
    for (unsigned i = 0; i < 2; ++i) {
        Fp_args& a = fp_args[i];
        a.seed = i == 0 ? 0xaaaa0011 : 0x5555ee22;
        a.rounds = 40;
        a.done = 0;
        a.mismatches = 0;
        a.rounds_done = 0;
#if defined(__aarch64__)
        // Round toward zero vs. toward +infinity, and other flags set.
        a.control = i == 0 ? fpcr_rmode(3) | fpcr_dn : fpcr_rmode(1) | fpcr_fz;
        a.status = i == 0 ? 0x08000003 : 0x00000094;  // FPSR: QC, IOC, DZC vs. IDC, IXC, OFC
#else
        // MXCSR round toward zero vs. up; x87 control word likewise.
        a.control = i == 0 ? 0x7f80 : 0x5f80;
        a.status = i == 0 ? 0x0f7f : 0x0b7f;
#endif
        a.quotient = i == 0 ? 0x3fd5555555555555 : 0x3fd5555555555556;  // 1/3 rounded down / up
    }
    start(env, 0, (const void*)&fp_worker_main, (uint64_t)&fp_args[0]);
    start(env, 1, (const void*)&fp_worker_main, (uint64_t)&fp_args[1]);
    KEXPECT_EQ(wait_for(&fp_args[0].done), 1);
    KEXPECT_EQ(wait_for(&fp_args[1].done), 1);
    KEXPECT_EQ(fp_args[0].rounds_done, 40);
    KEXPECT_EQ(fp_args[1].rounds_done, 40);
    KEXPECT_EQ(fp_args[0].mismatches, 0);
    KEXPECT_EQ(fp_args[1].mismatches, 0);
}

KTEST(fpu_integer_no_traps, "fpu: threads using integer registers only take no FP trap; the owner keeps its state") {
    Touch_args& owner = touchers[0];
    init_toucher(owner, 0x0e);
    start(env, 0, (const void*)&toucher_main, (uint64_t)&owner);
    KEXPECT_EQ(touch(owner), 1);
    uint64_t before = fpu_traps();
    int_counts[0] = 0;
    int_counts[1] = 0;
    start(env, 1, (const void*)&integer_main, 0, 200);
    start(env, 2, (const void*)&integer_main, 1, 200);
    for (int i = 0; i < 10000 && (int_counts[0] < 200 || int_counts[1] < 200); ++i) baton_yield();
    KEXPECT_EQ(int_counts[0], 200);
    KEXPECT_EQ(int_counts[1], 200);
    KEXPECT_EQ(fpu_traps(), before);
    // The owner's state never left the registers: its next step takes no trap.
    KEXPECT_EQ(touch(owner), 1);
    KEXPECT_EQ(fpu_traps(), before);
    KEXPECT_EQ(owner.mismatches, 0);
}

KTEST(fpu_trap_per_owner_change, "fpu: FP use traps exactly once per change of owner") {
    Touch_args &a = touchers[0], &b = touchers[1];
    init_toucher(a, 0xa);
    init_toucher(b, 0xb);
    start(env, 0, (const void*)&toucher_main, (uint64_t)&a);
    start(env, 1, (const void*)&toucher_main, (uint64_t)&b);
    uint64_t t0 = fpu_traps();
    KEXPECT_EQ(touch(a), 1);  // a new thread: its first use traps
    KEXPECT_EQ(fpu_traps(), t0 + 1);
    KEXPECT_EQ(touch(a), 1);  // the owner again: no trap
    KEXPECT_EQ(fpu_traps(), t0 + 1);
    KEXPECT_EQ(touch(b), 1);
    KEXPECT_EQ(fpu_traps(), t0 + 2);
    KEXPECT_EQ(touch(b), 1);
    KEXPECT_EQ(fpu_traps(), t0 + 2);
    for (int i = 0; i < 10; ++i) {
        touch(a);
        touch(b);
    }
    KEXPECT_EQ(fpu_traps(), t0 + 22);
    KEXPECT_EQ(a.seen, 12);
    KEXPECT_EQ(b.seen, 12);
    KEXPECT_EQ(a.mismatches, 0);  // each found its own value every time
    KEXPECT_EQ(b.mismatches, 0);
}

// The IPC switch (the fastpath's included) arms and disarms the trap like
// any other: each thread keeps its own values, and only a change of owner
// traps.
KTEST(fpu_ipc, "fpu: Call/ReplyRecv partners keep their FP/SIMD values; FP use traps once per change of owner") {
    constexpr uint64_t rounds = 40;
    static Ipc_fp_args server, client;
    server = {};
    client = {};
    server.ep = client.ep = env.make(BATON_OBJ_ENDPOINT);
    server.reply = env.make(BATON_OBJ_REPLY);
    server.tag = 0x5e;
    client.tag = 0xc1;
    client.rounds = rounds;
    uint64_t t0 = fpu_traps();
    start(env, 0, (const void*)&fp_server_main, (uint64_t)&server);
    for (int i = 0; i < 8; ++i) baton_yield();  // it waits in Recv
    start(env, 1, (const void*)&fp_client_main, (uint64_t)&client);
    // Below the two, the root task is not a ready thread as urgent as the
    // caller, which would send every reply down the slow path.
    KEXPECT_OK(baton_tcb_set_priority(BATON_CAP_INIT_TCB, BATON_CAP_INIT_TCB, 254));
    KEXPECT_OK(baton_tcb_set_priority(BATON_CAP_INIT_TCB, BATON_CAP_INIT_TCB, 255));
    KEXPECT_EQ(wait_for(&client.done), 1);
    KEXPECT_EQ(wait_for(&server.done), 1);
    KEXPECT_EQ(client.mismatches, 0);
    KEXPECT_EQ(server.mismatches, 0);
    // The client's first use, then each round's change of owner: the
    // server's in even rounds, the client's after each of those.
    KEXPECT_EQ(fpu_traps(), t0 + rounds + 1);
}

KTEST(fpu_owner_deleted,
      "fpu: deleting the thread that owns the FPU drops its state; a new TCB in its memory starts clean") {
    Touch_args &a = touchers[0], &b = touchers[1];
    init_toucher(a, 0xa);
    init_toucher(b, 0xb);
    // a's TCB comes from a small untyped region of its own, so that the
    // next TCB made there, after a is gone, takes its memory.
    baton_cptr ut = env.make(BATON_OBJ_UNTYPED, 12);
    baton_cptr a_slot = env.slot(), c_slot = env.slot();
    KEXPECT_OK(baton_untyped_retype(ut, BATON_OBJ_TCB, 0, root_cnode, 0, 0, a_slot, 1));
    start(env, 0, (const void*)&toucher_main, (uint64_t)&a, 0, 0, a_slot);
    start(env, 1, (const void*)&toucher_main, (uint64_t)&b);
    uint64_t t0 = fpu_traps();
    KEXPECT_EQ(touch(b), 1);
    KEXPECT_EQ(touch(a), 1);  // a owns the FPU, its value live in the registers
    KEXPECT_EQ(fpu_traps(), t0 + 2);
    KEXPECT_OK(baton_cnode_delete(root_cnode, a_slot, depth));

    // A new thread in a's memory: its first FP/SIMD use traps and finds
    // the initial state, not a's registers.
    KEXPECT_OK(baton_untyped_retype(ut, BATON_OBJ_TCB, 0, root_cnode, 0, 0, c_slot, 1));
    start_reader();
    start(env, 2, (const void*)&reader_main, (uint64_t)&reader, 0, 0, c_slot);
    KEXPECT_EQ(wait_for(&reader.done), 1);
    KEXPECT_EQ(fpu_traps(), t0 + 3);
    KEXPECT_EQ(initial_state(snapshot), 1);

    // b, whose state was saved when a took over, gets it back.
    KEXPECT_EQ(touch(b), 1);
    KEXPECT_EQ(fpu_traps(), t0 + 4);
    KEXPECT_EQ(b.mismatches, 0);
}

KTEST(fpu_owner_exits, "fpu: a thread that exits owning the FPU drops its state; restarted, it starts clean") {
    Touch_args &a = touchers[0], &b = touchers[1];
    init_toucher(a, 0xa);
    init_toucher(b, 0xb);
    baton_cptr ta = start(env, 0, (const void*)&toucher_main, (uint64_t)&a);
    start(env, 1, (const void*)&toucher_main, (uint64_t)&b);
    uint64_t t0 = fpu_traps();
    KEXPECT_EQ(touch(a), 1);
    KEXPECT_EQ(touch(b), 1);  // a's state goes to its TCB
    KEXPECT_EQ(touch(a), 1);  // and comes back; a owns the FPU again
    KEXPECT_EQ(fpu_traps(), t0 + 3);
    a.cmd = cmd_exit;
    for (int i = 0; i < 100 && a.seen != cmd_exit; ++i) baton_yield();
    KEXPECT_EQ(a.seen, cmd_exit);
    KEXPECT_EQ(touch(b), 1);
    KEXPECT_EQ(fpu_traps(), t0 + 4);
    KEXPECT_EQ(b.mismatches, 0);

    // Restarted, the exited thread sees the initial state, not what it
    // left in its TCB.
    KEXPECT_OK(baton_tcb_suspend(ta));
    start_reader();
    start(env, 2, (const void*)&reader_main, (uint64_t)&reader, 0, 0, ta);
    KEXPECT_EQ(wait_for(&reader.done), 1);
    KEXPECT_EQ(fpu_traps(), t0 + 5);
    KEXPECT_EQ(initial_state(snapshot), 1);
}

#if defined(__x86_64__)
// Waits for worker k to finish or its fault to arrive at ep; returns the
// fault's vector, or 0 if it finished.
uint64_t fault_vector(Env& env, baton_cptr ep, baton_cptr reply, unsigned k) {
    for (int i = 0; i < 1000 && !exc_args[k].done; ++i) {
        uint64_t mr[8] = {};
        uint64_t badge = 0;
        baton_msginfo f = baton_nb_recv(ep, 0, mr, &badge, reply);
        if (baton_msginfo_label(f) == BATON_FAULT_USER_EXCEPTION) return mr[2] >> 32;
        KEXPECT_EQ(baton_msginfo_label(f), 0);
        baton_yield();
    }
    return 0;
}

KTEST(fpu_exceptions, "fpu: unmasked x87 (#MF) and SSE (#XM) exceptions are user faults sent to the fault endpoint") {
    baton_cptr ep = env.make(BATON_OBJ_ENDPOINT), reply = env.make(BATON_OBJ_REPLY), reply2 = env.make(BATON_OBJ_REPLY);
    exc_args[0] = Exc_args{};
    exc_args[1] = Exc_args{};
    // x87: 1.0 / 0.0 with ZM clear; the next waiting x87 instruction raises #MF.
    start(env, 1, (const void*)&exception_main, (uint64_t)&exc_args[1], 1, ep);
    KEXPECT_EQ(fault_vector(env, ep, reply, 1), 16);
    KEXPECT_EQ(exc_args[1].done, 0);
    // SSE: divsd by zero with MXCSR.ZM clear raises #XM on a CPU; QEMU's
    // emulation (TCG) raises none and only sets MXCSR.ZE, which is then
    // all that can be checked.
    start(env, 0, (const void*)&exception_main, (uint64_t)&exc_args[0], 0, ep);
    uint64_t v = fault_vector(env, ep, reply2, 0);
    if (v == 0) {
        KEXPECT_EQ(exc_args[0].done, 1);
        KEXPECT_EQ(exc_args[0].flags & 0x4, 0x4);  // ZE
    } else {
        KEXPECT_EQ(v, 19);
        KEXPECT_EQ(exc_args[0].done, 0);
    }
}
#else
KTEST(fpu_exceptions, "fpu: FP exceptions do not trap: 1.0 / 0.0 is +inf and raises FPSR.DZC") {
    exc_args[0] = Exc_args{};
    start(env, 0, (const void*)&exception_main, (uint64_t)&exc_args[0], 0);
    KEXPECT_EQ(wait_for(&exc_args[0].done), 1);
    KEXPECT_EQ(exc_args[0].result, 0x7ff0000000000000);  // +inf
    KEXPECT_EQ(exc_args[0].flags & 2, 2);                // DZC
}
#endif

#pragma GCC pop_options
