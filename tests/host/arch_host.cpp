// Host stand-in for the arch functions the portable core calls: console
// output goes to a string the tests can read; a panic aborts the test run.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "arch.hpp"
#include "host_fpu.hpp"
#include "host_irq.hpp"
#include "host_smp.hpp"
#include "kernel.hpp"
#include "percpu.hpp"

std::string host_console;  // everything the kernel printed

namespace host_smp {
u32 cpu = 0;
std::vector<u32> ipis;
}  // namespace host_smp

namespace arch {

void console_write(const char* s, usize n) { host_console.append(s, n); }
kernel::Per_cpu* cpu_local() { return &kernel::cpus[host_smp::cpu]; }
void send_ipi(u32 cpu) { host_smp::ipis.push_back(cpu); }
[[noreturn]] void power_off(bool success) {
    std::fprintf(stderr, "kernel powered off (%s); console:\n%s\n", success ? "success" : "failure",
                 host_console.c_str());
    std::abort();
}
void wait_for_interrupt() {}
void vspace_init_root(u64*) {}
void vspace_activate(u64, u64) {}
void tlb_flush_page(u64, u64) {}
void tlb_flush_asid(u64) {}
void tables_changed() {}
u64 asid_limit() { return 4096; }
[[noreturn]] void enter_user(User_context*) {
    std::fprintf(stderr, "enter_user called in a host test\n");
    std::abort();
}
void timer_start(u32) {}

void fpu_arm(bool trap) {
    host_fpu::armed = trap;
    ++host_fpu::arms;
}
void fpu_save(Fpu_state& s) {
    if (host_fpu::armed) {
        std::fprintf(stderr, "fpu_save with the trap armed\n");
        std::abort();
    }
    s = host_fpu::live;
    ++host_fpu::saves;
}
void fpu_load(const Fpu_state& s) {
    if (host_fpu::armed) {
        std::fprintf(stderr, "fpu_load with the trap armed\n");
        std::abort();
    }
    host_fpu::live = s;
    ++host_fpu::loads;
}

// A fake interrupt controller (host_irq.hpp): lines that latch a raise
// until the test lets the CPU take them.
u32 irq_count() { return host_irq::count; }
bool irq_reserved(u32 irq) { return irq == host_irq::timer || irq == host_irq::uart; }
void irq_enable(u32 irq) { host_irq::enabled[irq] = true; }
void irq_disable(u32 irq) { host_irq::enabled[irq] = false; }
void irq_end(u32) { ++host_irq::ends; }
void irq_raise(u32 irq) { host_irq::pending[irq] = true; }

}  // namespace arch

namespace host_irq {
u32 count = 64;
bool enabled[64];
bool pending[64];
u32 ends;

void reset() {
    count = 64;
    for (u32 i = 0; i < 64; ++i) enabled[i] = pending[i] = false;
    ends = 0;
}

u32 take_interrupts(bool from_user) {
    u32 taken = 0;
    for (u32 i = 0; i < count; ++i) {
        if (!pending[i] || !enabled[i]) continue;
        pending[i] = false;
        ++taken;
        kernel::handle_irq(i, from_user);
    }
    return taken;
}
}  // namespace host_irq

namespace host_fpu {
arch::Fpu_state live;
bool armed = true;
u32 arms, saves, loads;

void reset() {
    live = arch::Fpu_state{};
    armed = true;
    arms = saves = loads = 0;
    kernel::cpus[0].fpu_owner = nullptr;
    kernel::cpus[0].fpu_enabled = false;
    kernel::cpus[0].fpu_traps = 0;
}

arch::Fpu_state& use(bool* trapped) {
    bool trap = armed;
    if (trap) kernel::handle_fpu_trap();
    if (armed) {
        std::fprintf(stderr, "the FP/SIMD trap returned with the trap still armed\n");
        std::abort();
    }
    if (trapped) *trapped = trap;
    return live;
}
}  // namespace host_fpu
