// The benchmark runner: measures the empty timed interval, runs every
// registered case (or those bench.only= selects) and prints one result line
// per case (userland/bench/report.h), between
//   bench: begin counter=... iters=N warmup=W overhead=O cases=C ...
//   bench: end cases=C failed=F
// A case that fails prints `bench: FAIL NAME: why` instead of its result.
#include "bench.hpp"

#include <baton/user_context.h>

#include "report.h"

extern "C" const bench::Case* const __start_benches[];
extern "C" const bench::Case* const __stop_benches[];

namespace bench {

namespace {

constexpr uint64_t depth = 64;  // root-CNode slot numbers resolve at full depth
constexpr baton_cptr root_cnode = BATON_CAP_INIT_CNODE;
constexpr uint64_t default_iters = 10000;
constexpr uint64_t max_iters = 1u << 17;
constexpr uint64_t max_warmup = 1000;
constexpr uint64_t overhead_rounds = 1000;
constexpr unsigned case_untyped_bits = 22;  // 4 MiB per case

uint32_t samples[max_iters];
char line[32768];

// Stacks of the threads cases make in the root task's address space; the
// first three threads' IPC buffers are the 2nd to 4th KiB of the root
// task's IPC-buffer frame, later ones have none (register-only IPC).
constexpr unsigned thread_stacks = 9;
constexpr unsigned threads_with_buffers = 3;
constexpr uint64_t stack_words = 2048;
uint64_t stacks[thread_stacks][stack_words] __attribute__((aligned(16)));

#if defined(__aarch64__)
constexpr const char* counter_name = "pmccntr_el0";
#else
constexpr const char* counter_name = "tsc";
#endif

bool contains(const char* haystack, const char* needle) {
    for (const char* h = haystack;; ++h) {
        const char *a = h, *b = needle;
        while (*b && *a == *b) ++a, ++b;
        if (!*b) return true;
        if (!*h) return false;
    }
}

uint64_t parse_u64(const char* s, uint64_t fallback) {
    if (!*s) return fallback;
    uint64_t v = 0;
    for (; *s; ++s) {
        if (*s < '0' || *s > '9' || v > (~0ull - 9) / 10) return fallback;
        v = v * 10 + uint64_t(*s - '0');
    }
    return v;
}

void write_all(const char* s, size_t n) {
    while (n) {
        size_t k = n < 4096 ? n : 4096;
        baton_debug_write(s, k);
        s += k;
        n -= k;
    }
}

// The cost of an empty timed interval: the median of many.
uint64_t measure_overhead() {
    for (uint64_t i = 0; i < overhead_rounds; ++i) {
        uint64_t t0 = start();
        uint64_t t1 = stop();
        samples[i] = uint32_t(t1 - t0);
    }
    bench_sort(samples, overhead_rounds);
    return bench_summarize(samples, overhead_rounds).median;
}

// The processor's name where user mode can read it (x86_64: CPUID's brand
// string); empty otherwise.
void cpu_name(char* out, size_t cap) {
    out[0] = '\0';
#if defined(__x86_64__)
    uint32_t regs[12];
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u), "c"(0));
    if (a < 0x80000004u) return;
    for (uint32_t leaf = 0; leaf < 3; ++leaf) {
        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000002u + leaf), "c"(0));
        regs[leaf * 4] = a, regs[leaf * 4 + 1] = b, regs[leaf * 4 + 2] = c, regs[leaf * 4 + 3] = d;
    }
    const char* s = reinterpret_cast<const char*>(regs);
    size_t n = 0;
    for (size_t i = 0; i < sizeof regs && s[i] && n + 1 < cap; ++i)
        if ((s[i] != ' ' || n) && s[i] != '"') out[n++] = s[i];
    while (n && out[n - 1] == ' ') --n;
    out[n] = '\0';
#else
    (void)cap;
#endif
}

extern "C" [[noreturn]] void bench_thread_start(uint64_t arg, void (*fn)(uint64_t)) {
    fn(arg);
    baton_thread_exit(0);
}

}  // namespace

void Env::sample(uint64_t round, uint64_t ticks, uint64_t per) {
    if (round < warmup) return;
    if (round - warmup >= iters) {
        fail("a sample beyond the last round");
        return;
    }
    uint64_t t = ticks > overhead ? ticks - overhead : 0;
    if (per > 1) t = (t + per / 2) / per;
    samples[round - warmup] = t > 0xffffffffull ? 0xffffffffu : uint32_t(t);
    ++recorded;
}

void Env::fail(const char* why) {
    if (!failure) failure = why;
}

baton_cptr Env::slot() {
    if (next_slot == slot_end) {
        fail("out of root CNode slots");
        return 0;
    }
    return next_slot++;
}

baton_cptr Env::make(baton_object_type type, uint64_t size_bits) {
    baton_cptr s = slot();
    if (!s) return 0;
    if (baton_untyped_retype(untyped, type, size_bits, root_cnode, 0, 0, s, 1) != BATON_OK) {
        fail("Untyped.Retype failed");
        return 0;
    }
    return s;
}

baton_cptr Env::make_thread(void (*fn)(uint64_t), uint64_t arg, uint64_t priority, baton_ipc_buffer** buffer,
                            uint64_t cpu) {
    if (stacks_used == thread_stacks) {
        fail("no stack left for another thread");
        return 0;
    }
    unsigned n = stacks_used++;
    uint64_t* top = &stacks[n][stack_words];
    bool has_buffer = n < threads_with_buffers;
    uint64_t ipc_buffer = has_buffer ? bi->ipc_buffer + BATON_IPC_BUFFER_SIZE * (n + 1) : 0;
    baton_cptr t = make(BATON_OBJ_TCB), frame = has_buffer ? slot() : 0;
    if (!t || (has_buffer && !frame)) return 0;
    if ((has_buffer &&
         baton_cnode_copy(root_cnode, frame, depth, root_cnode, BATON_CAP_IPC_BUFFER, depth, 15) != BATON_OK) ||
        baton_tcb_configure(t, 0, root_cnode, 0, BATON_CAP_INIT_VSPACE, 0, ipc_buffer, frame) != BATON_OK ||
        baton_tcb_set_priority(t, BATON_CAP_INIT_TCB, priority) != BATON_OK ||
        baton_tcb_set_affinity(t, cpu) != BATON_OK) {
        fail("configuring a thread failed");
        return 0;
    }
    if (buffer) *buffer = has_buffer ? reinterpret_cast<baton_ipc_buffer*>(ipc_buffer) : nullptr;
    if (baton_tcb_set_entry(t, reinterpret_cast<void (*)()>(&bench_thread_start), uint64_t(top), arg, uint64_t(fn), 0) !=
        BATON_OK) {
        fail("TCB.WriteRegisters failed");
        return 0;
    }
    return t;
}

int run_all(const baton_bootinfo* bi) {
    char arg[64];
    uint64_t iters = default_iters;
    if (baton_cmdline_get(bi->cmdline, "bench.iters", arg, sizeof arg)) iters = parse_u64(arg, 0);
    if (iters == 0 || iters > max_iters) {
        baton_printf("bench: bench.iters must be 1..%llu\n", (unsigned long long)max_iters);
        return 1;
    }
    uint64_t warmup = iters / 10 + 10;
    if (warmup > max_warmup) warmup = max_warmup;
    char only[64] = "";
    baton_cmdline_get(bi->cmdline, "bench.only", only, sizeof only);

    // Every case's untyped region is carved from the largest one.
    unsigned pool_bits = 0;
    baton_cptr pool = baton_largest_untyped(bi, &pool_bits);
    if (pool_bits < case_untyped_bits + 1) {
        baton_printf("bench: no untyped region of %u bits to work with\n", case_untyped_bits + 1);
        return 1;
    }

    // Which kernel: the big lock is taken on every entry of a big-lock
    // kernel; a uniprocessor kernel runs on one CPU (the cases that compare
    // kernels need four anyway).
    uint64_t big = 0, contended = 0;
    baton_debug_lock_stats(BATON_CAP_IRQ_CONTROL, 0, &big, &contended);
    unsigned cpus = bi->cpu_count ? bi->cpu_count : 1;
    Kernel kernel = big ? Kernel::big_lock : cpus > 1 ? Kernel::fine : Kernel::uniprocessor;
    // A case for more CPUs than there are, or for another kernel, is left
    // out (and said so: `bench: skip`), not counted.
    auto runs_here = [&](const Case* c) {
        return contains(c->name, only) && c->min_cpus <= cpus && (c->kernel == Kernel::any || c->kernel == kernel);
    };
    unsigned selected = 0;
    for (const Case* const* c = __start_benches; c < __stop_benches; ++c) selected += runs_here(*c);
    uint64_t overhead = measure_overhead();
    char cpu[64];
    cpu_name(cpu, sizeof cpu);
    baton_printf("bench: begin counter=%s iters=%llu warmup=%llu overhead=%llu cases=%u machine=\"%s\"", counter_name,
                 (unsigned long long)iters, (unsigned long long)warmup, (unsigned long long)overhead, selected,
                 bi->machine);
    if (cpu[0]) baton_printf(" cpu=\"%s\"", cpu);
    baton_printf("\n");

    baton_cptr case_ut = bi->empty_first;
    int failed = 0;
    for (const Case* const* entry = __start_benches; entry < __stop_benches; ++entry) {
        const Case* c = *entry;
        if (!contains(c->name, only)) continue;
        if (!runs_here(c)) {
            if (c->min_cpus > cpus)
                baton_printf("bench: skip %s: needs %u CPUs, the machine has %u\n", c->name, c->min_cpus, cpus);
            else
                baton_printf("bench: skip %s: for another kernel build\n", c->name);
            continue;
        }
        Env env{bi, iters, warmup, case_ut, case_untyped_bits, case_ut + 1, bi->empty_end, samples};
        env.overhead = overhead;
        if (baton_untyped_retype(pool, BATON_OBJ_UNTYPED, case_untyped_bits, root_cnode, 0, 0, case_ut, 1) != BATON_OK) {
            baton_printf("bench: cannot make the untyped region of %s\n", c->name);
            return failed + 1;
        }
        c->run(env);
        // Slots first (copies of boot capabilities are not descendants of
        // the pool), then everything made from the pool.
        for (baton_cptr s = case_ut + 1; s < env.next_slot; ++s) baton_cnode_delete(root_cnode, s, depth);
        if (baton_cnode_revoke(root_cnode, pool, depth) != BATON_OK ||
            baton_cnode_delete(root_cnode, case_ut, depth) != BATON_OK)
            env.fail("cleaning up after the case failed");
        if (!env.failure && env.recorded != iters) env.fail("the case did not record every sample");
        if (env.failure) {
            baton_printf("bench: FAIL %s: %s (%llu of %llu samples)\n", c->name, env.failure,
                         (unsigned long long)env.recorded, (unsigned long long)iters);
            ++failed;
            continue;
        }
        bench_sort(samples, iters);
        size_t n = bench_format_result(line, sizeof line, c->name, c->kind, samples, iters, overhead, 1);
        if (n < sizeof line) {
            write_all(line, n);
        } else {  // cut short: still one line
            write_all(line, sizeof line - 1);
            write_all("\n", 1);
        }
    }
    baton_printf("bench: end cases=%u failed=%d\n", selected, failed);
    return failed;
}

}  // namespace bench
