/* Host driver for tests/bench/test_bench.py: reads samples (decimal, one
 * per line) on stdin and prints the result line userland/bench/report.h
 * formats for them, so that the test can hold the C side and the Python
 * parser to the same definitions.
 * Usage: format_samples NAME KIND OVERHEAD BATCH < samples */
#include <stdio.h>
#include <stdlib.h>

#include "../../userland/bench/report.h"

int main(int argc, char **argv) {
    if (argc != 5) return 2;
    size_t cap = 1024, n = 0;
    uint32_t *v = malloc(cap * sizeof *v);
    unsigned long long x;
    while (v && scanf("%llu", &x) == 1) {
        if (n == cap) v = realloc(v, (cap *= 2) * sizeof *v);
        if (v) v[n++] = (uint32_t)x;
    }
    if (!v || n == 0) return 1;
    bench_sort(v, n);
    static char line[1 << 16];
    size_t len = bench_format_result(line, sizeof line, argv[1], argv[2], v, n, strtoull(argv[3], NULL, 10),
                                     strtoull(argv[4], NULL, 10));
    if (len >= sizeof line) return 3;
    fputs(line, stdout);
    return 0;
}
