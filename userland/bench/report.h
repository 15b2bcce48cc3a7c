/* The benchmark result line, shared by Baton's suite (userland/bench) and
 * the Linux ping-pong program (userland/bench/linux), so that both kernels
 * report in exactly the same form and ./baton bench parses one format.
 *
 * One line per case:
 *
 *   bench: result NAME kind=roundtrip iters=N min=A median=B p99=C max=D
 *          overhead=O batch=K hist=V:C,V:C,...
 *
 * (on one line). Values are counter ticks per operation: cycles on
 * hardware, guest instructions under QEMU -icount shift=0. `overhead` is
 * the cost of an empty timed interval, already subtracted; `batch` the
 * number of operations timed together per sample (the sample is their
 * average). Percentiles are nearest-rank: the p-th is the smallest sample
 * with at least p% of the samples at or below it. `hist` is the sorted
 * distribution as value:count pairs: exact while there are at most
 * BENCH_HIST_EXACT distinct values, else each value rounded down to its
 * BENCH_HIST_BITS most significant bits (then `hist_bits=6` precedes it).
 *
 * Plain C without a C library: the Baton root task is freestanding. */
#ifndef BATON_BENCH_REPORT_H
#define BATON_BENCH_REPORT_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_HIST_EXACT 64
#define BENCH_HIST_BITS 6

struct bench_summary {
    uint64_t n, min, median, p99, max;
};

/* Sorts v[0..n) ascending (heapsort: no recursion, no allocation). */
static inline void bench_sort(uint32_t *v, uint64_t n) {
    if (n < 2) return;
    for (uint64_t start = n / 2; start-- > 0;) {
        uint64_t root = start;
        for (uint64_t child; (child = 2 * root + 1) < n; root = child) {
            if (child + 1 < n && v[child] < v[child + 1]) ++child;
            if (v[root] >= v[child]) break;
            uint32_t t = v[root]; v[root] = v[child]; v[child] = t;
        }
    }
    for (uint64_t end = n - 1; end > 0; --end) {
        uint32_t t = v[0]; v[0] = v[end]; v[end] = t;
        uint64_t root = 0;
        for (uint64_t child; (child = 2 * root + 1) < end; root = child) {
            if (child + 1 < end && v[child] < v[child + 1]) ++child;
            if (v[root] >= v[child]) break;
            t = v[root]; v[root] = v[child]; v[child] = t;
        }
    }
}

/* Index of the nearest-rank p-th percentile among n sorted samples. */
static inline uint64_t bench_rank(uint64_t n, uint64_t p) {
    uint64_t k = (p * n + 99) / 100;
    return k ? k - 1 : 0;
}

/* The summary of n >= 1 sorted samples. */
static inline struct bench_summary bench_summarize(const uint32_t *sorted, uint64_t n) {
    struct bench_summary s;
    s.n = n;
    s.min = sorted[0];
    s.median = sorted[bench_rank(n, 50)];
    s.p99 = sorted[bench_rank(n, 99)];
    s.max = sorted[n - 1];
    return s;
}

/* The histogram bucket of a value when the distribution is too wide to list
 * exactly: the value with all but its BENCH_HIST_BITS leading bits cleared. */
static inline uint32_t bench_bucket(uint32_t v) {
    unsigned bits = 0;
    for (uint32_t x = v; x; x >>= 1) ++bits;
    if (bits <= BENCH_HIST_BITS) return v;
    unsigned shift = bits - BENCH_HIST_BITS;
    return (v >> shift) << shift;
}

struct bench_out {
    char *buf;
    size_t cap, len;
};

static inline void bench_put(struct bench_out *o, const char *s) {
    for (; *s; ++s) {
        if (o->len + 1 < o->cap) o->buf[o->len] = *s;
        ++o->len;
    }
}

static inline void bench_put_u64(struct bench_out *o, uint64_t v) {
    char tmp[24];
    int i = (int)sizeof tmp - 1;
    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    bench_put(o, tmp + i);
}

static inline void bench_put_field(struct bench_out *o, const char *key, uint64_t v) {
    bench_put(o, " ");
    bench_put(o, key);
    bench_put(o, "=");
    bench_put_u64(o, v);
}

/* Formats the result line of one case (with a trailing newline) into buf,
 * from n >= 1 samples sorted by bench_sort. kind: "oneway" or "roundtrip".
 * Returns the length the whole line needs; it is cut short (but always
 * terminated) when that is cap or more. */
static inline size_t bench_format_result(char *buf, size_t cap, const char *name, const char *kind,
                                         const uint32_t *sorted, uint64_t n, uint64_t overhead,
                                         uint64_t batch) {
    struct bench_out o = {buf, cap, 0};
    struct bench_summary s = bench_summarize(sorted, n);
    uint64_t distinct = 0;
    for (uint64_t i = 0; i < n; ++i)
        if (i == 0 || sorted[i] != sorted[i - 1]) ++distinct;
    int exact = distinct <= BENCH_HIST_EXACT;
    bench_put(&o, "bench: result ");
    bench_put(&o, name);
    bench_put(&o, " kind=");
    bench_put(&o, kind);
    bench_put_field(&o, "iters", s.n);
    bench_put_field(&o, "min", s.min);
    bench_put_field(&o, "median", s.median);
    bench_put_field(&o, "p99", s.p99);
    bench_put_field(&o, "max", s.max);
    bench_put_field(&o, "overhead", overhead);
    bench_put_field(&o, "batch", batch);
    if (!exact) bench_put_field(&o, "hist_bits", BENCH_HIST_BITS);
    bench_put(&o, " hist=");
    for (uint64_t i = 0; i < n;) {
        uint32_t key = exact ? sorted[i] : bench_bucket(sorted[i]);
        uint64_t count = 0;
        if (i) bench_put(&o, ",");
        while (i < n && (exact ? sorted[i] : bench_bucket(sorted[i])) == key) ++i, ++count;
        bench_put_u64(&o, key);
        bench_put(&o, ":");
        bench_put_u64(&o, count);
    }
    bench_put(&o, "\n");
    if (cap) buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len;
}

#endif
