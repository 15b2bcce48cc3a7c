// Per-CPU descriptor tables (GDT, TSS, IDT), the per-CPU pointer in the GS
// base, SYSCALL/SYSRET set-up, idle and power-off.
#include "arch.hpp"
#include "entry_layout.h"
#include "percpu.hpp"
#include "x86.hpp"

extern "C" const u64 x86_vector_stubs[256];
extern "C" char x86_boot_stack_top[];
extern "C" void x86_syscall_entry();
extern "C" [[noreturn]] void x86_enter_user();

// The entry assembly addresses these fields by the numbers in entry_layout.h.
#define CHECK_OFFSET(type, field, value) static_assert(__builtin_offsetof(type, field) == value)
CHECK_OFFSET(arch::User_context, rax, CTX_RAX);
CHECK_OFFSET(arch::User_context, rbx, CTX_RBX);
CHECK_OFFSET(arch::User_context, rcx, CTX_RCX);
CHECK_OFFSET(arch::User_context, rdx, CTX_RDX);
CHECK_OFFSET(arch::User_context, rsi, CTX_RSI);
CHECK_OFFSET(arch::User_context, rdi, CTX_RDI);
CHECK_OFFSET(arch::User_context, rbp, CTX_RBP);
CHECK_OFFSET(arch::User_context, r8, CTX_R8);
CHECK_OFFSET(arch::User_context, r9, CTX_R9);
CHECK_OFFSET(arch::User_context, r10, CTX_R10);
CHECK_OFFSET(arch::User_context, r11, CTX_R11);
CHECK_OFFSET(arch::User_context, r12, CTX_R12);
CHECK_OFFSET(arch::User_context, r13, CTX_R13);
CHECK_OFFSET(arch::User_context, r14, CTX_R14);
CHECK_OFFSET(arch::User_context, r15, CTX_R15);
CHECK_OFFSET(arch::User_context, rip, CTX_RIP);
CHECK_OFFSET(arch::User_context, cs, CTX_CS);
CHECK_OFFSET(arch::User_context, rflags, CTX_RFLAGS);
CHECK_OFFSET(arch::User_context, rsp, CTX_RSP);
CHECK_OFFSET(arch::User_context, ss, CTX_SS);
CHECK_OFFSET(kernel::Per_cpu, self, PCPU_SELF);
CHECK_OFFSET(kernel::Per_cpu, kernel_stack_top, PCPU_KERNEL_STACK);
CHECK_OFFSET(kernel::Per_cpu, scratch, PCPU_SCRATCH);
CHECK_OFFSET(kernel::Per_cpu, user_ctx, PCPU_USER_CTX);
CHECK_OFFSET(x86_64::Kernel_frame, vector, KFRAME_VECTOR);
static_assert(sizeof(x86_64::Kernel_frame) == 22 * 8);

namespace x86_64 {
namespace {

// Segment descriptors [SDM 3A 3.4.5, 5.2.1]: in 64-bit mode base and limit
// are ignored for code and data; L=1 marks 64-bit code.
constexpr u64 gdt_kernel_code = 0x00af9b000000ffff;  // P, DPL 0, code exec/read, L, G
constexpr u64 gdt_kernel_data = 0x00cf93000000ffff;  // P, DPL 0, data read/write
constexpr u64 gdt_user_data = 0x00cff3000000ffff;    // P, DPL 3, data read/write
constexpr u64 gdt_user_code = 0x00affb000000ffff;    // P, DPL 3, code exec/read, L
static_assert(arch::sel_user_data == (0x18 | 3) && arch::sel_user_code == (0x20 | 3));

// IDT gate [SDM 3A 6.14.1]: an interrupt gate (type 0xe) clears IF on entry.
struct Idt_gate {
    u16 offset_low;
    u16 selector;
    u8 ist;
    u8 type_attr;
    u16 offset_mid;
    u32 offset_high;
    u32 reserved;
};
static_assert(sizeof(Idt_gate) == 16);

struct [[gnu::packed]] Table_pointer {
    u16 limit;
    u64 base;
};

alignas(16) Idt_gate idt[256];

constexpr u64 ist_stack_size = 8 * KiB;
alignas(16) u8 ist_stacks[kernel::max_cpus][3][ist_stack_size];

u64 top_of(u8* stack, u64 size) { return reinterpret_cast<u64>(stack) + size; }

void build_idt() {
    for (unsigned v = 0; v < 256; ++v) {
        u64 handler = x86_vector_stubs[v];
        Idt_gate& g = idt[v];
        g.offset_low = u16(handler);
        g.selector = arch::sel_kernel_code;
        g.ist = 0;
        // DPL 3 for #BP so that int3 in user mode reports a breakpoint; every
        // other vector raised by `int n` from ring 3 becomes #GP.
        g.type_attr = v == 3 ? 0xee : 0x8e;
        g.offset_mid = u16(handler >> 16);
        g.offset_high = u32(handler >> 32);
        g.reserved = 0;
    }
    // NMI, #DF and #MC switch to known-good stacks whatever rsp was.
    idt[2].ist = ist_nmi;
    idt[8].ist = ist_double_fault;
    idt[18].ist = ist_machine_check;
}

void load_gdt(kernel::Per_cpu& cpu) {
    arch::Cpu_arch& a = cpu.arch;
    a.tss = arch::Tss{};
    a.tss.rsp[0] = cpu.kernel_stack_top;
    a.tss.ist[ist_double_fault - 1] = top_of(ist_stacks[cpu.cpu_id][0], ist_stack_size);
    a.tss.ist[ist_nmi - 1] = top_of(ist_stacks[cpu.cpu_id][1], ist_stack_size);
    a.tss.ist[ist_machine_check - 1] = top_of(ist_stacks[cpu.cpu_id][2], ist_stack_size);
    a.tss.iomap_base = sizeof(arch::Tss);

    // 64-bit TSS descriptor, two slots [SDM 3A 8.2.3]: type 9 (available).
    u64 base = reinterpret_cast<u64>(&a.tss), limit = sizeof(arch::Tss) - 1;
    a.gdt[0] = 0;
    a.gdt[1] = gdt_kernel_code;
    a.gdt[2] = gdt_kernel_data;
    a.gdt[3] = gdt_user_data;
    a.gdt[4] = gdt_user_code;
    a.gdt[5] = (limit & 0xffff) | (base & 0xffffff) << 16 | u64(0x89) << 40 | ((limit >> 16) & 0xf) << 48 |
               ((base >> 24) & 0xff) << 56;
    a.gdt[6] = base >> 32;

    Table_pointer gdtr{sizeof a.gdt - 1, reinterpret_cast<u64>(a.gdt)};
    asm volatile("lgdt %0" ::"m"(gdtr) : "memory");
    // Reload CS with a far return, then the data segments. Loading GS
    // clears the GS base, so the base is written afterwards.
    asm volatile(
        "pushq %[cs]\n"
        "leaq 1f(%%rip), %%rax\n"
        "pushq %%rax\n"
        "lretq\n"
        "1:\n"
        "mov %[ds], %%ds\n"
        "mov %[ds], %%es\n"
        "mov %[ds], %%ss\n"
        "mov %[null], %%fs\n"
        "mov %[null], %%gs\n"
        :
        : [cs] "i"(arch::sel_kernel_code), [ds] "r"(u32(arch::sel_kernel_data)), [null] "r"(0u)
        : "rax", "memory");
    asm volatile("ltr %w0" ::"r"(arch::sel_tss) : "memory");
}

void cpu_init(u32 cpu_id, u64 stack_top, bool boot) {
    kernel::Per_cpu& cpu = kernel::cpus[cpu_id];
    cpu.self = &cpu;
    cpu.cpu_id = cpu_id;
    cpu.kernel_stack_top = stack_top;
    load_gdt(cpu);
    wrmsr(msr_gs_base, reinterpret_cast<u64>(&cpu));
    wrmsr(msr_kernel_gs_base, 0);  // the user's GS base until it has one
    wrmsr(msr_fs_base, 0);

    if (boot) build_idt();  // one IDT, shared by every CPU
    Table_pointer idtr{sizeof idt - 1, reinterpret_cast<u64>(idt)};
    asm volatile("lidt %0" ::"m"(idtr) : "memory");

    // CR0: WP makes read-only pages read-only for the kernel too. The FPU
    // is switched lazily (kernel/fpu.hpp): EM off and MP on, so that with
    // TS set every x87, MMX and SSE instruction (and WAIT) raises #NM, the
    // trap; NE reports x87 errors as #MF [SDM 3A 2.5, 13.4]. TS starts set:
    // no thread's state is live yet. CR4: FXSAVE/FXRSTOR and SSE enabled
    // with unmasked SSE exceptions as #XM (OSFXSR, OSXMMEXCPT) [SDM 3A
    // 13.1.3]; OSXSAVE stays off, so AVX is #UD. Global pages on; PCIDs
    // where the CPU has them (CPUID.01H:ECX[17]), so address spaces are
    // tagged with their ASID [SDM 3A 4.10.1]. Setting PCIDE needs
    // CR3[11:0] = 0, true for the kernel's tables.
    write_cr0((read_cr0() | cr0_wp | cr0_ne | cr0_mp | cr0_ts) & ~cr0_em);
    pcid_enabled = (cpuid(1).ecx & (u32(1) << 17)) != 0;
    x86_cr3_pcid_mask = pcid_enabled ? 0xfff : 0;
    write_cr4(((read_cr4() | cr4_pge | cr4_osfxsr | cr4_osxmmexcpt) & ~(cr4_osxsave | cr4_pcide)) |
              (pcid_enabled ? cr4_pcide : 0));
}

}  // namespace

void cpu_init_boot(u32 cpu_id) { cpu_init(cpu_id, reinterpret_cast<u64>(x86_boot_stack_top), true); }

void cpu_init_secondary(u32 cpu_id, u64 stack_top) { cpu_init(cpu_id, stack_top, false); }

// SYSCALL/SYSRET [SDM 2B SYSCALL, SYSRET; SDM 3A 5.8.8]:
//   STAR[47:32] = kernel CS (SS = +8); STAR[63:48] + 16 / + 8 = user CS / SS.
//   FMASK clears IF (no interrupts until the kernel stack is in place), TF
//   (no single-step into the kernel), DF (the ABI's direction), AC (no SMAP
//   bypass) and NT (IRETQ with NT set faults) on entry.
void syscall_init() {
    wrmsr(msr_efer, rdmsr(msr_efer) | efer_sce | efer_nxe);
    wrmsr(msr_star, u64(arch::sel_kernel_code) << 32 | u64(arch::sel_kernel_data | 3) << 48);
    wrmsr(msr_lstar, reinterpret_cast<u64>(&x86_syscall_entry));
    wrmsr(msr_cstar, 0);  // no 32-bit user code segment exists
    wrmsr(msr_fmask, rflags_if | rflags_tf | rflags_df | rflags_ac | rflags_nt);
}

}  // namespace x86_64

namespace arch {

kernel::Per_cpu* cpu_local() {
    kernel::Per_cpu* self;
    asm volatile("mov %%gs:0, %0" : "=r"(self));
    return self;
}

// STI's one-instruction interrupt shadow means no interrupt can slip in
// between STI and HLT and be missed [SDM 2B STI].
void wait_for_interrupt() { asm volatile("sti; hlt; cli" ::: "memory"); }

// QEMU's isa-debug-exit (iobase 0xf4) exits with status (value << 1) | 1:
// 0x10 -> 33 for success, 0x11 -> 35 for failure. On hardware the write
// goes nowhere and the CPU halts.
void power_off(bool success) {
    x86_64::outl(0xf4, success ? 0x10 : 0x11);
    x86_64::halt_forever();
}

void enter_user(User_context*) { x86_enter_user(); }

// Lazy FPU switching (kernel/fpu.hpp). CR0.TS makes the first x87/MMX/SSE
// instruction raise #NM; FXSAVE64/FXRSTOR64 move the whole x87/SSE state
// with 64-bit instruction and data pointers [SDM 2A FXSAVE]. Writing CR0
// serialises, so the change applies to the very next instruction.
void fpu_arm(bool trap) {
    if (trap) x86_64::write_cr0(x86_64::read_cr0() | x86_64::cr0_ts);
    else asm volatile("clts" ::: "memory");
}

void fpu_save(Fpu_state& s) { asm volatile("fxsave64 %0" : "=m"(s) :: "memory"); }

void fpu_load(const Fpu_state& s) { asm volatile("fxrstor64 %0" ::"m"(s) : "memory"); }

}  // namespace arch
