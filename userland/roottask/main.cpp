// The root task: the first user-mode program. It prints a banner and what
// the kernel told it in the boot-info page, checks that the kernel refuses
// hostile system-call arguments, and exits.
//
// `roottask.test=NAME` on the kernel command line makes it misbehave on
// purpose instead, so that the boot tests can check the kernel survives:
//   fault-read    read from an unmapped address
//   fault-write   write to its own read-only code
//   fault-undef   execute an undefined instruction
//
// `ktest` runs the user-mode kernel test suite (userland/ktest), `bench` the
// benchmark suite (userland/bench, what ./baton bench boots).
#include <baton/baton.h>

namespace {

const char* user_mode_name(const char* arch) {
    return arch[0] == 'a' ? "EL0" : "ring 3";
}

// "0-1,4" for a CPU mask; "none" for 0.
void format_cpus(uint64_t mask, char* out, size_t cap) {
    size_t n = 0;
    auto put = [&](char c) {
        if (n + 1 < cap) out[n++] = c;
    };
    auto put_num = [&](unsigned v) {
        char digits[4];
        int k = 0;
        do digits[k++] = char('0' + v % 10); while ((v /= 10) && k < 4);
        while (k) put(digits[--k]);
    };
    for (unsigned c = 0; c < 64;) {
        if (!(mask >> c & 1)) {
            ++c;
            continue;
        }
        unsigned last = c;
        while (last + 1 < 64 && (mask >> (last + 1) & 1)) ++last;
        if (n) put(',');
        put_num(c);
        if (last > c) {
            put('-');
            put_num(last);
        }
        c = last + 1;
    }
    if (n == 0) {
        for (const char* s = "none"; *s; ++s) put(*s);
    }
    out[n] = '\0';
}

// One line per NUMA node: its CPUs, its RAM, its distances to every node.
void print_topology(const baton_bootinfo* bi) {
    uint32_t nodes = bi->node_count <= BATON_BOOTINFO_MAX_NODES ? bi->node_count : BATON_BOOTINFO_MAX_NODES;
    baton_printf("roottask: %u NUMA node%s\n", nodes, nodes == 1 ? "" : "s");
    for (uint32_t n = 0; n < nodes; ++n) {
        char cpus[64], dist[40];
        format_cpus(bi->node_cpus[n], cpus, sizeof cpus);
        size_t k = 0;
        for (uint32_t m = 0; m < nodes && k + 5 < sizeof dist; ++m) {
            unsigned d = bi->node_distance[n][m];
            if (m) dist[k++] = ' ';
            if (d >= 100) dist[k++] = char('0' + d / 100);
            if (d >= 10) dist[k++] = char('0' + d / 10 % 10);
            dist[k++] = char('0' + d % 10);
        }
        dist[k] = '\0';
        baton_printf("roottask:   node %u: CPUs %s, RAM %llu MiB, distances %s\n", n, cpus,
                     (unsigned long long)(bi->node_ram[n] >> 20), dist);
    }
}

void print_bootinfo(const baton_bootinfo* bi) {
    baton_printf("roottask: platform %s (%s), arch %s, %u CPU%s\n", bi->platform, bi->machine, bi->arch,
                 bi->cpu_count, bi->cpu_count == 1 ? "" : "s");
    baton_printf("roottask: RAM %llu MiB, free %llu MiB in the regions below, timer %llu Hz\n",
                 (unsigned long long)(bi->ram_total >> 20), (unsigned long long)(bi->free_total >> 20),
                 (unsigned long long)bi->timer_hz);
    baton_printf("roottask: command line \"%s\"\n", bi->cmdline);
    baton_printf("roottask: image %#llx-%#llx, stack %#llx-%#llx\n", (unsigned long long)bi->image_base,
                 (unsigned long long)bi->image_end, (unsigned long long)bi->stack_base,
                 (unsigned long long)bi->stack_top);
    baton_printf("roottask: %u memory regions:\n", bi->region_count);
    for (uint32_t i = 0; i < bi->region_count && i < BATON_BOOTINFO_MAX_REGIONS; ++i) {
        const baton_region& r = bi->regions[i];
        baton_printf("roottask:   %#014llx-%#014llx %8llu KiB %s\n", (unsigned long long)r.base,
                     (unsigned long long)(r.base + r.size), (unsigned long long)(r.size >> 10), baton_region_kind_name(r.kind));
    }
    uint32_t device = 0;
    for (uint32_t i = 0; i < bi->untyped_count && i < BATON_BOOTINFO_MAX_UNTYPED; ++i) device += bi->untyped[i].device;
    baton_printf("roottask: %u untyped capabilities: %u of RAM, %u of device memory below %#llx (%u-bit physical "
                 "addresses)\n", bi->untyped_count, bi->untyped_count - device, device,
                 (unsigned long long)bi->device_end, bi->paddr_bits);
    if (bi->untyped_left_out)
        baton_printf("roottask: %u untyped blocks from %#llx up left out of the boot info\n", bi->untyped_left_out,
                     (unsigned long long)bi->left_out_base);
    if (bi->regions_left_out)
        baton_printf("roottask: %u memory regions left out of the boot info\n", bi->regions_left_out);
    print_topology(bi);
}

int check(const char* what, baton_error got, baton_error want) {
    bool ok = got == want;
    baton_printf("roottask: check %s: %s (%s)\n", what, baton_error_name(got), ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}

// The kernel must refuse buffers it cannot read on the caller's behalf.
int check_hostile_arguments(const baton_bootinfo* bi) {
    int failures = 0;
    failures += check("debug_write of an unmapped buffer", baton_debug_write((const void*)0x1000, 16), BATON_BAD_ADDRESS);
    failures += check("debug_write of a kernel address",
                      baton_debug_write((const void*)0xffffffff80000000ull, 16), BATON_BAD_ADDRESS);
    failures += check("debug_write past the end of user space",
                      baton_debug_write((const void*)0x00007ffffffffff0ull, 64), BATON_BAD_ADDRESS);
    failures += check("debug_write longer than 4096 bytes", baton_debug_write(bi, 5000), BATON_INVALID_ARGUMENT);
    failures += check("debug_write of nothing", baton_debug_write(bi, 0), BATON_OK);
    uint64_t ticks = 0, from_user = 0;
    failures += check("debug_ticks", baton_debug_ticks(&ticks, &from_user), BATON_OK);
    if (ticks == 0) {
        baton_printf("roottask: check debug_ticks: no timer tick counted (WRONG)\n");
        ++failures;
    }
    failures += check("yield", baton_yield(), BATON_OK);
    return failures;
}

// Whether the command line contains `word` on its own.
bool streq_word(const char* cmdline, const char* word) {
    for (const char* p = cmdline; *p;) {
        while (*p == ' ') ++p;
        const char* w = word;
        const char* q = p;
        while (*w && *q == *w) ++q, ++w;
        if (!*w && (*q == ' ' || *q == '\0')) return true;
        while (*p && *p != ' ') ++p;
    }
    return false;
}

bool streq(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

[[noreturn]] void misbehave(const char* how) {
    baton_printf("roottask: misbehaving on purpose: %s\n", how);
    if (streq(how, "fault-read")) {
        volatile uint64_t* bad = reinterpret_cast<volatile uint64_t*>(0xdead0000ull);
        (void)*bad;
    } else if (streq(how, "fault-write")) {
        volatile uint8_t* code = reinterpret_cast<volatile uint8_t*>(&baton_main);
        *code = 0;
    } else if (streq(how, "fault-undef")) {
#if defined(__aarch64__)
        __asm__ volatile("udf #0");
#else
        __asm__ volatile("ud2");
#endif
    } else {
        baton_printf("roottask: unknown test \"%s\"\n", how);
        baton_thread_exit(2);
    }
    baton_printf("roottask: survived \"%s\" (WRONG)\n", how);
    baton_thread_exit(3);
}

}  // namespace

namespace ktest {
int run_all(const baton_bootinfo* bi);
}
namespace bench {
int run_all(const baton_bootinfo* bi);
}

extern "C" int baton_main(const baton_bootinfo* bi) {
    if (bi->magic != BATON_BOOTINFO_MAGIC || bi->version != BATON_BOOTINFO_VERSION) {
        baton_printf("roottask: boot info has the wrong magic or version\n");
        return 1;
    }
    baton_printf("\nroottask: Baton root task running in user mode (%s)\n", user_mode_name(bi->arch));
    print_bootinfo(bi);

    char test[32];
    if (baton_cmdline_get(bi->cmdline, "roottask.test", test, sizeof test)) misbehave(test);

    int failures = check_hostile_arguments(bi);
    if (baton_cmdline_get(bi->cmdline, "ktest", test, sizeof test) || streq_word(bi->cmdline, "ktest"))
        failures += ktest::run_all(bi);
    if (streq_word(bi->cmdline, "bench")) failures += bench::run_all(bi);
    baton_printf("roottask: %s; exiting\n", failures ? "some checks FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
