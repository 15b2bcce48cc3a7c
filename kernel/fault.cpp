// Faults: a user thread's fault is reported and the thread stopped; the
// kernel stays up. A fault in the kernel itself is a bug: report and halt.
#include <baton/ipc.h>

#include "endpoint.hpp"
#include "kernel.hpp"
#include "log.hpp"
#include "percpu.hpp"
#include "thread.hpp"

namespace kernel {

const char* describe(Fault_kind k) {
    switch (k) {
    case Fault_kind::Page_fault: return "page fault";
    case Fault_kind::Instruction_fault: return "instruction fetch fault";
    case Fault_kind::Undefined_instruction: return "undefined instruction";
    case Fault_kind::Alignment: return "alignment fault";
    case Fault_kind::General_protection: return "general protection fault";
    case Fault_kind::Arithmetic: return "arithmetic fault";
    case Fault_kind::Breakpoint: return "breakpoint";
    case Fault_kind::Other: return "fault";
    }
    return "fault";
}

void handle_user_fault(arch::User_context& ctx, const Fault_info& f) {
    // Faults are rare and reach far (handlers, reports): the kernel is
    // held exclusively. The thread may have been taken away meanwhile.
    if (!kernel_exclusive()) return schedule();
    Per_cpu* cpu = arch::cpu_local();
    Thread* t = cpu->current;
    // A thread with a fault handler Calls it with the fault; the handler's
    // reply restarts the faulting instruction.
    bool vm = f.kind == Fault_kind::Page_fault || f.kind == Fault_kind::Instruction_fault;
    u64 flags = (f.write ? BATON_FAULT_WRITE : 0) | (f.kind == Fault_kind::Instruction_fault ? BATON_FAULT_FETCH : 0);
    const u64 words[4] = {f.pc, vm ? f.address : ctx.sp(), f.arch_code, vm ? flags : u64(f.kind)};
    if (t && fault_deliver(*t, vm ? BATON_FAULT_VM : BATON_FAULT_USER_EXCEPTION, words)) {
        schedule();
        return;
    }
    kprint("kernel: user fault in thread '%s': %s at address %#llx, pc %#llx, sp %#llx%s (%s, code %#llx)\n",
           t ? t->name : "?", describe(f.kind), (unsigned long long)f.address, (unsigned long long)f.pc,
           (unsigned long long)ctx.sp(), f.kind == Fault_kind::Page_fault ? (f.write ? ", write" : ", read") : "",
           f.cause, (unsigned long long)f.arch_code);
    // Nobody to handle it: the thread is stopped, the kernel goes on.
    kprint("kernel: thread '%s' has no fault handler: stopped; the kernel continues\n", t ? t->name : "?");
    thread_stop_current(Thread_state::Faulted);
    schedule();
}

void handle_kernel_fault(const Fault_info& f) {
    panic("kernel fault: %s at address %#llx, pc %#llx (%s, code %#llx)", describe(f.kind),
          (unsigned long long)f.address, (unsigned long long)f.pc, f.cause, (unsigned long long)f.arch_code);
}

}  // namespace kernel
