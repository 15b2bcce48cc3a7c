// Host stand-in for the arch functions the portable core calls: console
// output goes to a string the tests can read; a panic aborts the test run.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "arch.hpp"
#include "percpu.hpp"

std::string host_console;  // everything the kernel printed

namespace arch {

void console_write(const char* s, usize n) { host_console.append(s, n); }
kernel::Per_cpu* cpu_local() { return &kernel::cpus[0]; }
[[noreturn]] void power_off(bool success) {
    std::fprintf(stderr, "kernel powered off (%s); console:\n%s\n", success ? "success" : "failure",
                 host_console.c_str());
    std::abort();
}
void wait_for_interrupt() {}
void vspace_init_root(u64*) {}
void vspace_activate(u64, u64) {}
void tlb_flush_user() {}
void tlb_flush_page(u64, u64) {}
void tlb_flush_asid(u64) {}
void tables_changed() {}
u64 asid_limit() { return 4096; }
[[noreturn]] void enter_user(User_context*) {
    std::fprintf(stderr, "enter_user called in a host test\n");
    std::abort();
}
void timer_start(u32) {}

}  // namespace arch
