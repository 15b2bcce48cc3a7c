// GICv2 and GICv3 interrupt controllers: the boot CPU's view, chosen by the
// device tree's compatible (GIC-400 / Cortex-A15 GIC = v2, arm,gic-v3).
//
// All interrupts are configured as the non-secure group the kernel owns
// (group 0 without security extensions, group 1 with them; QEMU models
// neither virt's nor raspi4b's GIC with security enabled), priority 0xa0,
// routed to this CPU. Acknowledge/end follow the non-split EOI model
// (GICC_CTLR.EOImode / ICC_CTLR_EL1.EOImode = 0): one write ends and
// deactivates [GIC arch spec IHI 0069, 4.1 and 12].
#include "arch.hpp"
#include "cpu.hpp"
#include "log.hpp"
#include "percpu.hpp"

namespace arm64 {

using kernel::Gic_version;

const char* describe(Gic_error e) {
    switch (e) {
    case Gic_error::No_redistributor: return "GICv3: no redistributor for this CPU's affinity";
    case Gic_error::Redistributor_asleep: return "GICv3: the redistributor did not wake up";
    case Gic_error::No_system_registers: return "GICv3: CPU interface system registers disabled by a higher EL";
    }
    return "GIC: unknown error";
}

namespace {

// Distributor registers (both versions) [IHI 0069 12.9; GICv2 IHI 0048 4.3].
constexpr u64 gicd_ctlr = 0x000;
constexpr u64 gicd_typer = 0x004;
constexpr u64 gicd_igroupr = 0x080;
constexpr u64 gicd_isenabler = 0x100;
constexpr u64 gicd_icenabler = 0x180;
constexpr u64 gicd_ispendr = 0x200;
constexpr u64 gicd_icpendr = 0x280;
constexpr u64 gicd_ipriorityr = 0x400;
constexpr u64 gicd_itargetsr = 0x800;   // v2 only
constexpr u64 gicd_sgir = 0xf00;        // v2 only
constexpr u64 gicd_irouter = 0x6000;    // v3 only, 8 bytes per SPI
constexpr u32 gicd_ctlr_rwp = 1u << 31; // v3: register write pending

// GICv2 CPU interface [IHI 0048 4.4].
constexpr u64 gicc_ctlr = 0x00;
constexpr u64 gicc_pmr = 0x04;
constexpr u64 gicc_bpr = 0x08;
constexpr u64 gicc_iar = 0x0c;
constexpr u64 gicc_eoir = 0x10;

// GICv3 redistributor: RD frame, then the SGI/PPI frame 64 KiB above
// [IHI 0069 12.10, 12.11].
constexpr u64 gicr_typer = 0x0008;
constexpr u64 gicr_waker = 0x0014;
constexpr u64 gicr_sgi = 0x10000;
constexpr u64 gicr_frame = 0x20000;   // RD + SGI frames
constexpr u64 gicr_vlpi_frames = 0x20000;  // two more with GICR_TYPER.VLPIS
constexpr u32 waker_processor_sleep = 1u << 1;
constexpr u32 waker_children_asleep = 1u << 2;

constexpr u8 default_priority = 0xa0;
constexpr u32 spurious_intid = 1023;

struct Gic {
    Gic_version version = Gic_version::None;
    u64 dist = 0;    // virtual addresses (physmap)
    u64 cpu = 0;     // v2 CPU interface
    kernel::Mmio_range redist_region;  // v3: the redistributors (physical)
    u32 lines = 0;   // interrupt IDs below this exist
} gic;

void dist_wait() {
    if (gic.version != Gic_version::V3) return;
    while (mmio_read32(gic.dist + gicd_ctlr) & gicd_ctlr_rwp) {}
}

// The 32-bit registers holding one bit / one byte per interrupt; for
// INTIDs below 32 on GICv3 they live in the redistributor's SGI frame.
u64& this_redist() { return arch::cpu_local()->arch.gic_redist; }

u64 bank(u32 intid) {
    if (gic.version == Gic_version::V3 && intid < 32) return this_redist() + gicr_sgi;
    return gic.dist;
}

void set_priority(u32 intid, u8 prio) {
    u64 reg = bank(intid) + gicd_ipriorityr + (intid & ~3u);
    unsigned shift = (intid & 3) * 8;
    u32 v = mmio_read32(reg);
    mmio_write32(reg, (v & ~(0xffu << shift)) | u32(prio) << shift);
}

u64 affinity(u64 mpidr) { return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24; }

void init_distributor() {
    mmio_write32(gic.dist + gicd_ctlr, 0);
    dist_wait();
    gic.lines = min(32 * ((mmio_read32(gic.dist + gicd_typer) & 0x1f) + 1), 1020u);
    u64 mpidr = read_sysreg(mpidr_el1);
    for (u32 i = 32; i < gic.lines; i += 32) {
        mmio_write32(gic.dist + gicd_icenabler + i / 8, ~0u);
        mmio_write32(gic.dist + gicd_icpendr + i / 8, ~0u);
        mmio_write32(gic.dist + gicd_igroupr + i / 8, gic.version == Gic_version::V3 ? ~0u : 0u);
    }
    for (u32 i = 32; i < gic.lines; ++i) {
        set_priority(i, default_priority);
        if (gic.version == Gic_version::V2) {
            u64 reg = gic.dist + gicd_itargetsr + (i & ~3u);
            mmio_write32(reg, mmio_read32(reg) | 1u << ((i & 3) * 8));  // CPU interface 0
        } else {
            u64 a = affinity(mpidr);
            mmio_write64(gic.dist + gicd_irouter + 8 * u64(i), (a & 0xffffff) | (a >> 24) << 32);
        }
    }
    dist_wait();
    // v2: enable (group 0 / the non-secure group). v3: ARE plus both groups
    // (with one security state, bit 4 = ARE, 1 = EnableGrp1, 0 = EnableGrp0).
    mmio_write32(gic.dist + gicd_ctlr, gic.version == Gic_version::V3 ? 0x13 : 0x1);
    dist_wait();
}

// SGIs and PPIs: banked per CPU (v2: in the distributor; v3: in the
// redistributor's SGI frame).
void init_private() {
    u64 b = bank(0);
    mmio_write32(b + gicd_icenabler, ~0u);
    mmio_write32(b + gicd_icpendr, ~0u);
    mmio_write32(b + gicd_igroupr, gic.version == Gic_version::V3 ? ~0u : 0u);
    for (u32 i = 0; i < 32; ++i) set_priority(i, default_priority);
    // v2: the SGI target bit of this CPU's interface, which the banked
    // GICD_ITARGETSR0 reads back [IHI 0048 4.3.12].
    if (gic.version == Gic_version::V2) arch::cpu_local()->arch.gic_target = mmio_read32(gic.dist + gicd_itargetsr) & 0xff;
    mmio_write32(b + gicd_isenabler, 1u << ipi_sgi);
}

Status<Gic_error> find_redistributor() {
    u64 want = affinity(read_sysreg(mpidr_el1));
    for (u64 off = 0; off + gicr_frame <= gic.redist_region.size;) {
        u64 rd = physmap(gic.redist_region.base + off);
        u64 typer = mmio_read64(rd + gicr_typer);
        if ((typer >> 32) == want) {
            this_redist() = rd;
            return {};
        }
        if (typer & (1u << 4)) break;  // Last
        off += gicr_frame + ((typer & (1u << 1)) ? gicr_vlpi_frames : 0);
    }
    return fail(Gic_error::No_redistributor, want);
}

Status<Gic_error> wake_redistributor() {
    u64 rd = this_redist();
    u32 w = mmio_read32(rd + gicr_waker);
    mmio_write32(rd + gicr_waker, w & ~waker_processor_sleep);
    for (u32 spins = 0; mmio_read32(rd + gicr_waker) & waker_children_asleep; ++spins)
        if (spins > 1000000) return fail(Gic_error::Redistributor_asleep, rd - arch::physmap_base);
    return {};
}

// GICv3 CPU interface by system registers [IHI 0069 12.2, ICC_*_EL1].
#define ICC_PMR_EL1 s3_0_c4_c6_0
#define ICC_IAR1_EL1 s3_0_c12_c12_0
#define ICC_EOIR1_EL1 s3_0_c12_c12_1
#define ICC_BPR1_EL1 s3_0_c12_c12_3
#define ICC_CTLR_EL1 s3_0_c12_c12_4
#define ICC_SRE_EL1 s3_0_c12_c12_5
#define ICC_IGRPEN1_EL1 s3_0_c12_c12_7
#define ICC_SGI1R_EL1 s3_0_c12_c11_5

Status<Gic_error> init_cpu_interface_v3() {
    write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 0x7);  // SRE, DFB, DIB
    isb();
    if (!(read_sysreg(ICC_SRE_EL1) & 1)) return fail(Gic_error::No_system_registers);
    write_sysreg(ICC_PMR_EL1, 0xf0);
    write_sysreg(ICC_BPR1_EL1, 0);
    write_sysreg(ICC_CTLR_EL1, 0);
    write_sysreg(ICC_IGRPEN1_EL1, 1);
    isb();
    return {};
}

void init_cpu_interface_v2() {
    mmio_write32(gic.cpu + gicc_pmr, 0xf0);
    mmio_write32(gic.cpu + gicc_bpr, 0);
    mmio_write32(gic.cpu + gicc_ctlr, 1);
}

}  // namespace

Status<Gic_error> gic_init(const kernel::Fdt_devices& dev) {
    gic.version = dev.gic;
    gic.dist = physmap(dev.gic_dist.base);
    if (dev.gic == Gic_version::V3) {
        gic.redist_region = dev.gic_redist;
        TRY(find_redistributor());
        TRY(wake_redistributor());
    } else {
        gic.cpu = physmap(dev.gic_cpu.base);
    }
    init_distributor();
    init_private();
    if (dev.gic == Gic_version::V3) TRY(init_cpu_interface_v3());
    else init_cpu_interface_v2();
    return {};
}

Status<Gic_error> gic_init_secondary() {
    if (gic.version == Gic_version::V3) {
        TRY(find_redistributor());
        TRY(wake_redistributor());
    }
    init_private();
    if (gic.version == Gic_version::V3) return init_cpu_interface_v3();
    init_cpu_interface_v2();
    return {};
}

// SGI ipi_sgi to one CPU, after the writes before it are visible to that
// CPU (dsb). v3: ICC_SGI1R_EL1 names it by affinity, Aff0 as a bit of the
// target list [IHI 0069 12.2.22]; v2: GICD_SGIR by CPU interface.
void gic_send_ipi(const kernel::Per_cpu& to) {
    dsb(ish);
    if (gic.version == Gic_version::V3) {
        u64 mpidr = to.arch.hw_id;
        u64 aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff, aff2 = (mpidr >> 16) & 0xff, aff3 = (mpidr >> 32) & 0xff;
        write_sysreg(ICC_SGI1R_EL1, aff3 << 48 | aff2 << 32 | u64(ipi_sgi) << 24 | aff1 << 16 | (u64(1) << (aff0 & 15)));
        isb();
    } else if (gic.version == Gic_version::V2) {
        mmio_write32(gic.dist + gicd_sgir, u32(to.arch.gic_target) << 16 | ipi_sgi);
    }
}

const char* gic_name() { return gic.version == Gic_version::V3 ? "GICv3" : "GICv2"; }

// One bit per interrupt in the set-enable / clear-enable register banks.
void write_enable_bit(u64 reg, u32 intid) {
    if (intid >= 32 && intid >= gic.lines) return;
    mmio_write32(bank(intid) + reg + (intid < 32 ? 0 : (intid / 32) * 4), 1u << (intid % 32));
    dist_wait();
}

void gic_enable(u32 intid) { write_enable_bit(gicd_isenabler, intid); }
void gic_disable(u32 intid) { write_enable_bit(gicd_icenabler, intid); }
// Set-pending has the same layout; for SGIs it is read-only (GICv2) or
// not how SGIs are raised (GICv3), and callers never pass them.
void gic_set_pending(u32 intid) { write_enable_bit(gicd_ispendr, intid); }
u32 gic_lines() { return gic.lines; }

// Returns the raw acknowledge value: on GICv2 an SGI's source CPU sits in
// bits [12:10] and must go back unchanged in the end-of-interrupt write.
u32 gic_acknowledge() {
    if (gic.version == Gic_version::V3) {
        u32 iar = u32(read_sysreg(ICC_IAR1_EL1) & 0xffffff);
        dsb(sy);
        return iar;
    }
    if (gic.version == Gic_version::V2) return mmio_read32(gic.cpu + gicc_iar) & 0x1fff;
    return spurious_intid;
}

u32 gic_intid(u32 iar) { return gic.version == Gic_version::V3 ? iar : iar & 0x3ff; }

void gic_end(u32 iar) {
    if (gic.version == Gic_version::V3) {
        write_sysreg(ICC_EOIR1_EL1, iar);
        isb();
    } else if (gic.version == Gic_version::V2) {
        mmio_write32(gic.cpu + gicc_eoir, iar);
    }
}

}  // namespace arm64
