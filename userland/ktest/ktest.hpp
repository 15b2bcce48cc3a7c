// ktest: the user-mode kernel test suite, run by the root task when the
// kernel command line says `ktest`. Each test prints one line,
//   ktest: ok NAME      or      ktest: FAIL NAME: file:line: what
// and the suite ends with `ktest: N passed, M failed`.
//
// Every test gets a fresh untyped region (env.untyped) and fresh root-CNode
// slots (env.slot()); afterwards the runner deletes the slots it handed out
// and revokes the region, so tests cannot leak into each other.
#pragma once

#include <baton/baton.h>

namespace ktest {

constexpr uint64_t depth = 64;  // root-CNode slot numbers resolve at full depth
constexpr baton_cptr root_cnode = BATON_CAP_INIT_CNODE;

struct Env {
    const baton_bootinfo* bi;
    baton_cptr untyped;       // this test's untyped region
    unsigned untyped_bits;    // its size
    baton_cptr next_slot;     // first slot not yet handed out
    baton_cptr slot_end;
    bool failed = false;

    // An empty slot of the root CNode.
    baton_cptr slot();
    // A fresh object of `type` (size for variable-size types) in a new slot.
    baton_cptr make(baton_object_type type, uint64_t size_bits = 0);
};

struct Case {
    const char* name;
    void (*run)(Env&);
};

void report_failure(Env& env, const char* file, int line, const char* what, uint64_t got, uint64_t want);
const char* error_name(uint64_t e);

// What a capability pointer names (type, rights, badge/guard/watermark).
struct Identity {
    uint64_t type, rights, word;
    baton_error error;
};
Identity identify(baton_cptr c);

// A deterministic pseudo-random sequence (xorshift64) for tests that make
// random choices: the same run every time.
inline uint64_t next_random() {
    static uint64_t state = 0x9e3779b97f4a7c15ull;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

}  // namespace ktest

#define KTEST(ident, name)                                                                         \
    static void ident(ktest::Env&);                                                                \
    __attribute__((used, section("ktests"))) static const ktest::Case ident##_case = {name, ident}; \
    static void ident([[maybe_unused]] ktest::Env& env)

// Checks that a value equals what it should; reports both on failure.
#define KEXPECT_EQ(got_expr, want_expr)                                                                        \
    do {                                                                                                       \
        uint64_t got_ = (uint64_t)(got_expr), want_ = (uint64_t)(want_expr);                                   \
        if (got_ != want_) ktest::report_failure(env, __FILE__, __LINE__, #got_expr " == " #want_expr, got_, want_); \
    } while (0)

// Checks an invocation's error code (printed by name on failure).
#define KEXPECT_ERR(expr, want)                                                                                \
    do {                                                                                                       \
        uint64_t got_ = (uint64_t)(expr);                                                                      \
        if (got_ != (uint64_t)(want))                                                                          \
            ktest::report_failure(env, __FILE__, __LINE__, #expr, got_ | (1ull << 63), (uint64_t)(want) | (1ull << 63)); \
    } while (0)

#define KEXPECT_OK(expr) KEXPECT_ERR(expr, BATON_OK)
