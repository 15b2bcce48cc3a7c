// The ktest runner and its helpers.
#include "ktest.hpp"

extern "C" const ktest::Case __start_ktests[], __stop_ktests[];

namespace ktest {

namespace {
// The pool every test's untyped is carved from, revoked after each test.
baton_cptr pool = 0;
unsigned pool_bits = 0;
constexpr unsigned test_untyped_bits = 22;  // 4 MiB per test
}  // namespace

const char* error_name(uint64_t e) { return baton_error_name(static_cast<baton_error>(e)); }

void report_failure(Env& env, const char* file, int line, const char* what, uint64_t got, uint64_t want) {
    env.failed = true;
    const uint64_t is_error = 1ull << 63;
    if (got & is_error)
        baton_printf("ktest:   %s:%d: %s: got %s, want %s (details %llu, %llu)\n", file, line, what,
                     error_name(got & ~is_error), error_name(want & ~is_error),
                     (unsigned long long)baton_error_detail(0), (unsigned long long)baton_error_detail(1));
    else
        baton_printf("ktest:   %s:%d: %s: got %llu (%#llx), want %llu (%#llx)\n", file, line, what,
                     (unsigned long long)got, (unsigned long long)got, (unsigned long long)want,
                     (unsigned long long)want);
}

baton_cptr Env::slot() {
    if (next_slot == slot_end) {
        baton_printf("ktest: out of root CNode slots\n");
        baton_thread_exit(99);
    }
    return next_slot++;
}

baton_cptr Env::make(baton_object_type type, uint64_t size_bits) {
    baton_cptr s = slot();
    baton_error e = baton_untyped_retype(untyped, type, size_bits, root_cnode, 0, 0, s, 1);
    if (e != BATON_OK) report_failure(*this, __FILE__, __LINE__, "making a test object", e | (1ull << 63), 1ull << 63);
    return s;
}

Identity identify(baton_cptr c) {
    Identity id{};
    id.error = baton_debug_cap_identify(c, &id.type, &id.rights, &id.word);
    return id;
}

// Runs every registered test; returns the number that failed.
int run_all(const baton_bootinfo* bi) {
    // The largest untyped region is the pool.
    pool = baton_largest_untyped(bi, &pool_bits);
    if (pool_bits < test_untyped_bits + 1) {
        baton_printf("ktest: no untyped region of %u bits to test with\n", test_untyped_bits + 1);
        return 1;
    }
    baton_cptr test_ut = bi->empty_first;
    int passed = 0, failed = 0;
    for (const Case* c = __start_ktests; c < __stop_ktests; ++c) {
        Env env{bi, test_ut, test_untyped_bits, test_ut + 1, bi->empty_end};
        baton_error e = baton_untyped_retype(pool, BATON_OBJ_UNTYPED, test_untyped_bits, root_cnode, 0, 0, test_ut, 1);
        if (e != BATON_OK) {
            baton_printf("ktest: cannot make the test region: %s\n", baton_error_name(e));
            return failed + 1;
        }
        c->run(env);
        // Clean up: slots first (copies of boot capabilities are not
        // descendants of the pool), then everything made from the pool.
        for (baton_cptr s = test_ut + 1; s < env.next_slot; ++s) baton_cnode_delete(root_cnode, s, depth);
        baton_error r = baton_cnode_revoke(root_cnode, pool, depth);
        baton_error d = baton_cnode_delete(root_cnode, test_ut, depth);
        if (r != BATON_OK || d != BATON_OK) {
            baton_printf("ktest: cleaning up after %s failed: %s, %s\n", c->name, baton_error_name(r),
                         baton_error_name(d));
            env.failed = true;
        }
        if (env.failed) {
            baton_printf("ktest: FAIL %s\n", c->name);
            ++failed;
        } else {
            baton_printf("ktest: ok %s\n", c->name);
            ++passed;
        }
    }
    baton_printf("ktest: %d passed, %d failed\n", passed, failed);
    return failed;
}

}  // namespace ktest
