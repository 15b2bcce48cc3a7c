/* The Linux side of ./baton bench --compare-linux: a static program, run as
 * the only thing in a tiny initramfs under the same QEMU settings as Baton
 * (-icount shift=0: counters advance once per guest instruction), that
 * measures what a monolithic kernel charges for the operations Baton's
 * suite measures, and prints the same result lines (../report.h):
 *
 *   linux.syscall.null       getppid(2), from the syscall instruction in
 *                            (no C library wrapper)
 *   linux.yield.switch       sched_yield(2) between two threads of one
 *                            process, one switch (half a round)
 *   linux.pipe.roundtrip     one byte there and back through two pipes,
 *                            between two processes
 *   linux.futex.roundtrip    FUTEX_WAKE/FUTEX_WAIT (private) ping-pong on
 *                            one word between two threads
 *   linux.eventfd.roundtrip  two eventfds, between two processes
 *   linux.unix.roundtrip     one byte there and back over a UNIX stream
 *                            socket pair, between two processes
 *
 * Usage: pingpong [OPERATIONS [ONLY]]: OPERATIONS per case (default 10000),
 * ONLY a substring of the case names to run.
 *
 * The counter: the TSC on x86_64 (one operation per sample). On arm64,
 * Linux does not let user mode read the cycle counter, so the generic
 * timer's virtual count (CNTVCT_EL0, what clock_gettime reads) is scaled to
 * nanoseconds, which under -icount shift=0 are instructions; it ticks every
 * 16 of them (62.5 MHz), so a sample times `batch` operations and records
 * their average. Build: gcc -O2 -static -pthread (aarch64-linux-gnu-gcc for
 * arm64). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../report.h"

#if defined(__x86_64__)
#define COUNTER "tsc"
#define BATCH 1

static inline uint64_t counter_start(void) {
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t counter_stop(void) {
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline long raw_getppid(void) {
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
    return ret;
}
#elif defined(__aarch64__)
#define COUNTER "cntvct_el0_ns"
#define BATCH 16

static uint64_t ns_per_tick_q32; /* nanoseconds per tick, 32.32 fixed point */

static inline uint64_t counter_read(void) {
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v) : : "memory");
    return (uint64_t)(((unsigned __int128)v * ns_per_tick_q32) >> 32);
}
static inline uint64_t counter_start(void) { return counter_read(); }
static inline uint64_t counter_stop(void) { return counter_read(); }

static inline long raw_getppid(void) {
    register long x8 __asm__("x8") = SYS_getppid;
    register long x0 __asm__("x0");
    __asm__ volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory");
    return x0;
}
#else
#error "x86_64 or aarch64"
#endif

static uint64_t ops = 10000;  /* operations per case */
static uint64_t warmup;       /* operations run first and dropped */
static uint64_t overhead;     /* an empty timed interval */
static uint32_t *samples;
static uint64_t nsamples;     /* ops / BATCH */
static int failed;
static char line[32768];

static void die_errno(const char *what) {
    printf("bench: FAIL %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

/* Records sample `round` of a case (rounds 0 .. warmup/BATCH-1 are warm-up)
 * from `ticks` counted over BATCH operations, `per` of which make one. */
static uint64_t warm_rounds(void) { return (warmup + BATCH - 1) / BATCH; }
static uint64_t rounds(void) { return warm_rounds() + nsamples; }

static void sample(uint64_t round, uint64_t ticks, uint64_t per) {
    if (round < warm_rounds()) return;
    uint64_t t = ticks > overhead ? ticks - overhead : 0;
    uint64_t div = (uint64_t)BATCH * per;
    t = (t + div / 2) / div;
    samples[round - warm_rounds()] = t > 0xffffffffull ? 0xffffffffu : (uint32_t)t;
}

static void report(const char *name, const char *kind) {
    bench_sort(samples, nsamples);
    size_t n = bench_format_result(line, sizeof line, name, kind, samples, nsamples, overhead, BATCH);
    fwrite(line, 1, n < sizeof line ? n : sizeof line - 1, stdout);
    if (n >= sizeof line) fputc('\n', stdout);
    fflush(stdout);
}

static void fail(const char *name, const char *why) {
    printf("bench: FAIL %s: %s\n", name, why);
    fflush(stdout);
    ++failed;
}

static void measure_overhead(void) {
    enum { n = 1000 };
    uint32_t v[n];
    for (int i = 0; i < n; ++i) {
        uint64_t t0 = counter_start();
        uint64_t t1 = counter_stop();
        v[i] = (uint32_t)(t1 - t0);
    }
    bench_sort(v, n);
    overhead = bench_summarize(v, n).median;
}

/* ---- linux.syscall.null ---- */

static void bench_syscall_null(void) {
    for (uint64_t r = 0; r < rounds(); ++r) {
        uint64_t t0 = counter_start();
        for (int k = 0; k < BATCH; ++k) raw_getppid();
        sample(r, counter_stop() - t0, 1);
    }
    report("linux.syscall.null", "roundtrip");
}

/* ---- linux.yield.switch ---- */

static volatile uint64_t other_rounds;
static volatile int other_stop;

static void *yield_forever(void *arg) {
    (void)arg;
    while (!other_stop) {
        other_rounds = other_rounds + 1;
        sched_yield();
    }
    return NULL;
}

static void bench_yield_switch(void) {
    pthread_t t;
    other_stop = 0;
    other_rounds = 0;
    if (pthread_create(&t, NULL, yield_forever, NULL)) die_errno("pthread_create");
    while (other_rounds == 0) sched_yield();
    uint64_t odd = 0;
    for (uint64_t r = 0; r < rounds(); ++r) {
        uint64_t before = other_rounds;
        uint64_t t0 = counter_start();
        for (int k = 0; k < BATCH; ++k) sched_yield();
        uint64_t t1 = counter_stop();
        odd += other_rounds != before + BATCH;
        sample(r, t1 - t0, 2);
    }
    other_stop = 1;
    pthread_join(t, NULL);
    /* Each sched_yield must have run the other thread once (but for the odd
     * preemption): else this is not a switch. */
    if (odd * 100 > rounds()) fail("linux.yield.switch", "sched_yield did not alternate between the threads");
    else report("linux.yield.switch", "oneway");
}

/* ---- linux.futex.roundtrip ---- */

static uint32_t futex_word; /* 0: the measuring thread's turn, 1: the other's */

static long futex(uint32_t *word, int op, uint32_t val) {
    return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static void futex_pass(uint32_t to) {
    __atomic_store_n(&futex_word, to, __ATOMIC_SEQ_CST);
    futex(&futex_word, FUTEX_WAKE_PRIVATE, 1);
}

static void futex_await(uint32_t mine) {
    uint32_t v;
    while ((v = __atomic_load_n(&futex_word, __ATOMIC_SEQ_CST)) != mine) futex(&futex_word, FUTEX_WAIT_PRIVATE, v);
}

static void *futex_partner(void *arg) {
    uint64_t n = *(uint64_t *)arg;
    for (uint64_t i = 0; i < n; ++i) {
        futex_await(1);
        futex_pass(0);
    }
    return NULL;
}

static void bench_futex(void) {
    pthread_t t;
    uint64_t total = rounds() * BATCH;
    futex_word = 0;
    if (pthread_create(&t, NULL, futex_partner, &total)) die_errno("pthread_create");
    for (uint64_t r = 0; r < rounds(); ++r) {
        uint64_t t0 = counter_start();
        for (int k = 0; k < BATCH; ++k) {
            futex_pass(1);
            futex_await(0);
        }
        sample(r, counter_stop() - t0, 1);
    }
    pthread_join(t, NULL);
    report("linux.futex.roundtrip", "roundtrip");
}

/* ---- between two processes: pipe, eventfd, UNIX socket ---- */

/* One transport: the parent sends on fds[0] and receives on fds[1]; the
 * child receives on fds[2] and sends on fds[3]. */
struct transport {
    const char *name;
    int fds[4];
    size_t size; /* bytes per message: 1, or 8 for an eventfd */
};

static void xfer(int fd, int out, size_t size) {
    uint64_t v = 1;
    ssize_t n = out ? write(fd, &v, size) : read(fd, &v, size);
    if (n != (ssize_t)size) die_errno(out ? "write" : "read");
}

static void bench_processes(const struct transport *tr) {
    uint64_t total = rounds() * BATCH;
    pid_t pid = fork();
    if (pid < 0) die_errno("fork");
    if (pid == 0) {
        for (uint64_t i = 0; i < total; ++i) {
            xfer(tr->fds[2], 0, tr->size);
            xfer(tr->fds[3], 1, tr->size);
        }
        _exit(0);
    }
    for (uint64_t r = 0; r < rounds(); ++r) {
        uint64_t t0 = counter_start();
        for (int k = 0; k < BATCH; ++k) {
            xfer(tr->fds[0], 1, tr->size);
            xfer(tr->fds[1], 0, tr->size);
        }
        sample(r, counter_stop() - t0, 1);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        fail(tr->name, "the partner process failed");
    else report(tr->name, "roundtrip");
}

static void bench_pipe(void) {
    int a[2], b[2];
    if (pipe(a) || pipe(b)) die_errno("pipe");
    struct transport tr = {"linux.pipe.roundtrip", {a[1], b[0], a[0], b[1]}, 1};
    bench_processes(&tr);
    close(a[0]), close(a[1]), close(b[0]), close(b[1]);
}

static void bench_eventfd(void) {
    int a = eventfd(0, 0), b = eventfd(0, 0);
    if (a < 0 || b < 0) die_errno("eventfd");
    struct transport tr = {"linux.eventfd.roundtrip", {a, b, a, b}, 8};
    bench_processes(&tr);
    close(a), close(b);
}

static void bench_unix(void) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) die_errno("socketpair");
    struct transport tr = {"linux.unix.roundtrip", {sv[0], sv[0], sv[1], sv[1]}, 1};
    bench_processes(&tr);
    close(sv[0]), close(sv[1]);
}

struct bench_case {
    const char *name;
    void (*run)(void);
};

static const struct bench_case cases[] = {
    {"linux.syscall.null", bench_syscall_null},
    {"linux.yield.switch", bench_yield_switch},
    {"linux.pipe.roundtrip", bench_pipe},
    {"linux.futex.roundtrip", bench_futex},
    {"linux.eventfd.roundtrip", bench_eventfd},
    {"linux.unix.roundtrip", bench_unix},
};

int main(int argc, char **argv) {
    const char *only = argc > 2 ? argv[2] : "";
    if (argc > 1) ops = strtoull(argv[1], NULL, 10);
    if (ops < BATCH) ops = BATCH;
    nsamples = ops / BATCH;
    warmup = ops / 10 + 10;
    if (warmup > 1000) warmup = 1000;
    samples = calloc(nsamples, sizeof *samples);
    if (!samples) die_errno("calloc");
#if defined(__aarch64__)
    uint64_t freq;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    ns_per_tick_q32 = (uint64_t)(((unsigned __int128)1000000000u << 32) / freq);
#endif
    /* One CPU for both sides, as in Baton's suite. */
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    sched_setaffinity(0, sizeof one, &one);

    measure_overhead();
    struct utsname u;
    uname(&u);
    unsigned selected = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) selected += strstr(cases[i].name, only) != NULL;
    printf("bench: begin counter=%s iters=%llu warmup=%llu overhead=%llu cases=%u os=linux kernel=\"%s\" "
           "machine=\"%s\"\n",
           COUNTER, (unsigned long long)ops, (unsigned long long)warmup, (unsigned long long)overhead, selected,
           u.release, u.machine);
    fflush(stdout);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
        if (strstr(cases[i].name, only)) cases[i].run();
    printf("bench: end cases=%u failed=%d\n", selected, failed);
    fflush(stdout);
    return failed ? 1 : 0;
}
