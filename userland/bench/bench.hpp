// bench: Baton's benchmark suite, run by the root task when the kernel
// command line says `bench` (./baton bench boots it that way). Options on
// the command line: `bench.iters=N` samples per case (default 10000),
// `bench.only=TEXT` runs only the cases whose name contains TEXT.
//
// A case is one function registered with BENCH. It runs env.rounds()
// rounds: the first env.warmup ones warm caches and TLBs and are dropped,
// the remaining env.iters are the samples. Each round times one operation
// (or a few, and says how many) between bench::start() and bench::stop()
// and hands the difference to env.sample(). The runner subtracts the cost
// of an empty timed interval, computes median, minimum and p99 and prints
// the case's result line (userland/bench/report.h):
//
//   BENCH(syscall_null, "syscall.null", bench::roundtrip) {
//       for (uint64_t i = 0; i < env.rounds(); ++i) {
//           uint64_t t0 = bench::start();
//           baton_null();
//           env.sample(i, bench::stop() - t0);
//       }
//   }
//
// Every case gets a fresh untyped region (env.untyped) and fresh root-CNode
// slots; afterwards the runner deletes the slots and revokes the region, so
// threads and objects a case made are gone before the next one starts.
//
// The counter: PMCCNTR_EL0 on arm64, the TSC on x86_64. On hardware it
// counts cycles (the TSC: reference cycles); under QEMU with -icount
// shift=0 both advance exactly once per guest instruction.
#pragma once

#include <baton/baton.h>

namespace bench {

// Whether a sample is one direction of an exchange or a whole exchange.
inline constexpr const char* oneway = "oneway";
inline constexpr const char* roundtrip = "roundtrip";

// Reads the counter before the timed operation: earlier instructions have
// finished and later ones have not started.
inline uint64_t start() {
#if defined(__aarch64__)
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, pmccntr_el0\n\tisb" : "=r"(v) : : "memory");
    return v;
#else
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return (uint64_t(hi) << 32) | lo;
#endif
}

// Reads the counter after the timed operation has finished.
inline uint64_t stop() {
#if defined(__aarch64__)
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, pmccntr_el0" : "=r"(v) : : "memory");
    return v;
#else
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
    return (uint64_t(hi) << 32) | lo;
#endif
}

struct Env {
    const baton_bootinfo* bi;
    uint64_t iters;           // samples to record
    uint64_t warmup;          // rounds run first and dropped
    baton_cptr untyped;       // this case's untyped region (2^untyped_bits bytes)
    unsigned untyped_bits;
    baton_cptr next_slot, slot_end;
    uint32_t* samples;        // the runner's buffer, iters entries
    uint64_t recorded = 0;
    uint64_t overhead = 0;    // an empty timed interval, subtracted from every sample
    const char* failure = nullptr;
    unsigned stacks_used = 0;

    uint64_t rounds() const { return warmup + iters; }

    // Records round `round` (0 .. rounds()-1): `ticks` counted between
    // start() and stop() for `per` operations. Warm-up rounds are dropped.
    void sample(uint64_t round, uint64_t ticks, uint64_t per = 1);

    // Marks the case as failed (the first reason is reported).
    void fail(const char* why);

    // An empty slot of the root CNode.
    baton_cptr slot();
    // A fresh object of `type` (size_bits for variable-size types) in a new slot.
    baton_cptr make(baton_object_type type, uint64_t size_bits = 0);

    // A new thread in the root task's address space and CSpace, at
    // `priority` (the root task runs at 255), with a stack and an IPC
    // buffer of its own (the next free KiB of the root task's IPC-buffer
    // frame, stored in *buffer if asked: __baton_ipc_buffer stays the root
    // task's), ready to run fn(arg) once resumed with baton_tcb_resume; if
    // fn returns, the thread exits. Up to three per case. Returns its TCB
    // capability, or 0 after env.fail().
    // Up to nine threads, on CPU `cpu`; only the first three have an IPC
    // buffer (the others: register-only IPC, *buffer = null).
    baton_cptr make_thread(void (*fn)(uint64_t), uint64_t arg, uint64_t priority = 255,
                           baton_ipc_buffer** buffer = nullptr, uint64_t cpu = 0);
};

// The kernel build a case is for (the multicore lock comparison).
enum class Kernel { any, uniprocessor, fine, big_lock };

struct Case {
    const char* name;
    const char* kind;
    void (*run)(Env&);
    unsigned min_cpus;  // left out on machines with fewer
    Kernel kernel;
};

// Runs the suite (or the cases bench.only= selects); returns the number of
// cases that failed.
int run_all(const baton_bootinfo* bi);

}  // namespace bench

// The section holds pointers to the cases: a 24-byte Case would be padded
// to the compiler's preferred alignment and not form an array.
#define BENCH(ident, name, kind) BENCH_ON(ident, name, kind, 1, bench::Kernel::any)
// A case that needs min_cpus CPUs and, unless `any`, one kernel build.
#define BENCH_ON(ident, name, kind, min_cpus, kernel)                                                 \
    static void ident(bench::Env&);                                                                   \
    static const bench::Case ident##_case = {name, kind, ident, min_cpus, kernel};                    \
    __attribute__((used, section("benches"))) static const bench::Case* const ident##_entry = &ident##_case; \
    static void ident([[maybe_unused]] bench::Env& env)
