"""The QEMU boot tests: every platform boots to the root task and halts
cleanly, directly and from its boot media through U-Boot or GRUB; user
faults are reported and the kernel stays up; bad boot input ends in a
panic that names the problem, and QEMU exits."""
import os
import sys

from runner import Case
import platforms

sys.path.insert(0, os.path.join(platforms.ROOT, "tools", "bench"))
import report  # noqa: E402  (the parser of ./baton bench)

FIXTURES = os.path.join(platforms.ROOT, "tests", "fixtures")
# Images with the kernel command line hello=world, written by ./baton test.
CMDLINE_IMAGES = {p: os.path.join(platforms.ROOT, "build", "images", "cmdline", platforms.IMAGES[p]["file"])
                  for p in ("qemu-virt-arm64", "pc-x86_64")}
CMDLINE = "hello=world"


def boot_expectations(platform, user_mode):
    return [
        r"kernel: Baton \S+ on %s" % platform,
        r"kernel: memory: \d+ MiB RAM",
        r"kernel: root task: entry 0x[0-9a-f]+",
        r"kernel: timer running at 100 Hz; first tick handled",
        r"roottask: Baton root task running in user mode \(%s\)" % user_mode,
        r"roottask: platform %s \(" % platform,
        r"roottask: RAM [1-9]\d* MiB, free [1-9]\d* MiB",
        r"roottask: \d+ memory regions:",
        r"roottask:\s+0x[0-9a-f]+-0x[0-9a-f]+\s+\d+ KiB free",
        r"roottask: check debug_write of a kernel address: bad_address \(ok\)",
        r"roottask: all checks passed; exiting",
        r"kernel: thread 'root' exited with status 0",
        r"kernel: no threads left after [1-9]\d* timer ticks .*; halting",
    ]


def smp_expectations(platform, user_mode, arch, cpus):
    """A boot with `cpus` CPUs: every secondary reports itself online before
    the root task runs, and the boot info counts them all."""
    base = boot_expectations(platform, user_mode)
    return ([r"kernel: Baton \S+ on %s .*, %d CPUs" % (platform, cpus)] +
            [r"%s: cpu %d online \(.+\)" % (arch, n) for n in range(1, cpus)] +
            base[1:5] + [r"roottask: platform %s \(.*\), arch %s, %d CPUs" % (platform, arch, cpus)] + base[6:])


def numa_args(distance):
    """QEMU options for two NUMA nodes of 512 MiB, CPUs 0-1 and 2-3 (one
    socket each), `distance` apart: QEMU describes them in the SRAT and SLIT
    (q35) or with numa-node-id and /distance-map (virt)."""
    return ["-smp", "4,sockets=2,cores=2",
            "-object", "memory-backend-ram,id=m0,size=512M", "-object", "memory-backend-ram,id=m1,size=512M",
            "-numa", "node,nodeid=0,cpus=0-1,memdev=m0", "-numa", "node,nodeid=1,cpus=2-3,memdev=m1",
            "-numa", "dist,src=0,dst=1,val=%d" % distance]


def numa_memoryless_args():
    """Node 0 with all 1 GiB and CPUs 0-1; node 1 with CPUs 2-3 and no
    memory; distances that differ by direction (15 out, 25 back)."""
    return ["-smp", "4,sockets=2,cores=2", "-object", "memory-backend-ram,id=m0,size=1G",
            "-numa", "node,nodeid=0,cpus=0-1,memdev=m0", "-numa", "node,nodeid=1,cpus=2-3",
            "-numa", "dist,src=0,dst=1,val=15", "-numa", "dist,src=1,dst=0,val=25"]


def numa_expectations(distance, ram=r"512"):
    """The kernel's and the root task's view of numa_args(distance)."""
    return [r"kernel: NUMA node 0: CPU mask 0x3, %s MiB RAM" % ram,
            r"kernel: NUMA node 1: CPU mask 0xc, %s MiB RAM" % ram,
            r"roottask: 2 NUMA nodes",
            r"roottask:   node 0: CPUs 0-1, RAM %s MiB, distances 10 %d" % (ram, distance),
            r"roottask:   node 1: CPUs 2-3, RAM %s MiB, distances %d 10" % (ram, distance)]


def fault_case(name, platform, test, fault_patterns, **qemu):
    return Case(name, platform,
                expect=[r"roottask: misbehaving on purpose: %s" % test] + fault_patterns + [
                    r"kernel: thread 'root' has no fault handler: stopped; the kernel continues",
                    r"kernel: no runnable threads; idling",
                    r"kernel: heartbeat: \d+ ticks, nothing to run"],
                qemu=dict(append="roottask.test=" + test, **qemu), must_exit=False)


def panic_case(name, platform, message, **qemu):
    return Case(name, platform, expect=[r"PANIC: " + message, r"kernel: halting after panic"],
                forbid=[r"roottask:"], qemu=qemu)


def check_bench_output(output):
    """None when the suite reported every case it announced in well-formed
    lines (syscall.null and yield.switch among them), else what is wrong."""
    try:
        run = report.parse(output)
    except report.BadOutput as e:
        return "malformed benchmark line: %s" % e
    problems = report.complete(run)
    missing = {"syscall.null", "yield.switch"} - {r.name for r in run.results}
    if missing:
        problems.append("no result for " + ", ".join(sorted(missing)))
    return "; ".join(problems) or None


# Build variants ./baton test builds besides the default ones (platform, variant).
VARIANT_BUILDS = [("qemu-virt-arm64", "slowpath"), ("pc-x86_64", "slowpath"),
                  ("qemu-virt-arm64", "biglock"), ("pc-x86_64", "biglock"),
                  ("qemu-virt-arm64", "up"), ("pc-x86_64", "up")]


def cases():
    out = []
    virt, rpi4, pc = "qemu-virt-arm64", "rpi4", "pc-x86_64"

    # Clean boots: banner, boot info, hostile-argument checks, clean halt.
    out.append(Case("boot.virt.gicv2", virt, boot_expectations(virt, "EL0"), qemu=dict(gic=2)))
    out.append(Case("boot.virt.gicv3", virt, boot_expectations(virt, "EL0"), qemu=dict(gic=3)))
    out.append(Case("boot.virt.el2", virt, boot_expectations(virt, "EL0") + [], qemu=dict(el2=True, gic=3)))
    # Four CPUs: every secondary comes up (PSCI CPU_ON over hvc at EL1, over
    # smc at EL2; the spin table on the Pi, whose four cores are fixed),
    # parks, and the boot info counts it.
    for name, qemu in (("gicv2", dict(gic=2)), ("gicv3", dict(gic=3)), ("el2.gicv3", dict(el2=True, gic=3)),
                       ("el2.gicv2", dict(el2=True, gic=2))):
        out.append(Case("smp.virt." + name, virt, smp_expectations(virt, "EL0", "arm64", 4), qemu=dict(smp=4, **qemu)))
    out.append(Case("boot.rpi4", rpi4, smp_expectations(rpi4, "EL0", "arm64", 4), needs=[platforms.rpi4_dtb()]))
    # CPUs that cannot be started are reported and left out; the others are
    # numbered densely and the boot goes on.
    out.append(Case("smp.virt.faulty", virt, [
        r"kernel: Baton \S+ on %s \(.*\), \d+ CPUs" % virt,  # as the tree lists them
        r"arm64: cpu 0 online \(MPIDR 0x0\)",
        r"arm64: cpu 1 online \(MPIDR 0x1\)",
        r"arm64: cpu 2 \(MPIDR 0x7\): PSCI CPU_ON failed: invalid parameters \(-2\); left out",
        r"arm64: cpu 2 \(MPIDR 0x2\) did not come up within 1 s \(spin table\); left out",
        r"arm64: cpu 2 online \(MPIDR 0x3\)",
        r"arm64: cpu 3 \(MPIDR 0x4\): cpu-release-addr 0x1000 is not in RAM; left out",
        r"roottask: platform %s \(.*\), arch arm64, 3 CPUs" % virt,
    ] + boot_expectations(virt, "EL0")[-2:], forbid=[r"PANIC", r"WRONG", r"cpu 3 online"],
        qemu=dict(smp=4, dtb=os.path.join(platforms.ROOT, "build", "host", "tests", "fixtures", "smp-faulty.dtb"))))
    out.append(Case("boot.pc", pc, boot_expectations(pc, "ring 3")))
    # Secondary CPUs: started from the MADT's list (INIT-SIPI-SIPI through
    # the local APIC), each online and parked before the root task runs;
    # also through GRUB under UEFI and under -icount.
    smp_pc = smp_expectations(pc, "ring 3", "x86_64", 4)
    out.append(Case("boot.pc.smp4", pc, smp_pc, qemu=dict(smp=4), forbid=[r"did not come up", r"PANIC"]))
    out.append(Case("boot.pc.smp4.icount", pc, smp_pc, qemu=dict(smp=4, extra=["-icount", "shift=0"]),
                    forbid=[r"did not come up", r"PANIC"]))
    out.append(Case("boot.pc.smp2-sockets", pc, smp_expectations(pc, "ring 3", "x86_64", 2),
                    qemu=dict(smp=2, extra=["-smp", "2,sockets=2,cores=1"]), forbid=[r"did not come up", r"PANIC"]))
    # A CPU that never answers (its Start-Up IPIs withheld) is reported and
    # left out after a bounded wait; the next one takes its number.
    out.append(Case("boot.pc.smp4.cpu-missing", pc,
                    [r"kernel: Baton \S+ on pc-x86_64 .*, 4 CPUs", r"x86_64: cpu 1 online \(APIC id 1\)",
                     r"x86_64: cpu with APIC id 2 did not come up within \d+ ms; left out",
                     r"x86_64: cpu 2 online \(APIC id 3\)", r"x86_64: 3 of 4 CPUs online",
                     r"roottask: platform pc-x86_64 \(.*\), arch x86_64, 3 CPUs"] +
                    boot_expectations(pc, "ring 3")[-3:],
                    qemu=dict(smp=4, append="x86_64.smp.withhold=2"), forbid=[r"PANIC", r"APIC id 2\)"]))
    # NUMA: two nodes (QEMU -numa), CPUs, RAM and distances as the firmware
    # gave them; without -numa, one node with everything.
    numa_end = [r"roottask: all checks passed; exiting", r"kernel: thread 'root' exited with status 0"]
    numa_forbid = [r"PANIC", r"WRONG", r"warning: NUMA"]
    out.append(Case("numa.virt.2nodes", virt, numa_expectations(31) + numa_end, forbid=numa_forbid,
                    qemu=dict(smp=4, memory="1G", gic=3, extra=numa_args(31))))
    # x86: the first node loses the legacy hole and the last node the
    # firmware's top pages: 511 MiB each.
    out.append(Case("numa.pc.2nodes", pc, [r"x86_64: ACPI SRAT: 4 CPU and \d+ memory affinity entries; SLIT distances"] +
                    numa_expectations(21, ram=r"511") + numa_end, forbid=numa_forbid,
                    qemu=dict(smp=4, memory="1G", extra=numa_args(21))))
    # A node with CPUs and no memory, asymmetric distances: no untyped on
    # node 1, and the kernel test suite runs as on one node.
    for name, platform, ram in (("virt", virt, "1024"), ("pc", pc, "1023")):
        out.append(Case("numa.%s.memoryless" % name, platform,
                        [r"roottask: 2 NUMA nodes", r"roottask:   node 0: CPUs 0-1, RAM %s MiB, distances 10 15\n" % ram,
                         r"roottask:   node 1: CPUs 2-3, RAM 0 MiB, distances 25 10\n",
                         r"ktest: \d+ passed, 0 failed"] + numa_end, forbid=numa_forbid + [r"ktest: FAIL"],
                        qemu=dict(smp=4, memory="1G", append="ktest", extra=numa_memoryless_args()), subtests="ktest",
                        timeout=120))
    # CPUs the firmware could add later (-smp 2,maxcpus=4): the SRAT lists
    # all four, the MADT enables two; the absent ones are ignored.
    out.append(Case("numa.pc.absent-cpus", pc, [r"x86_64: ACPI SRAT: 2 CPU and \d+ memory affinity entries; SLIT",
                                                r"roottask: 2 NUMA nodes",
                                                r"roottask:   node 0: CPUs 0-1, RAM 511 MiB, distances 10 20\n",
                                                r"roottask:   node 1: CPUs none, RAM 511 MiB, distances 20 10\n"] +
                    numa_end, forbid=numa_forbid,
                    qemu=dict(smp=2, memory="1G", extra=numa_args(20)[2:] + ["-smp", "2,maxcpus=4,sockets=2,cores=2"])))
    for name, platform, ram in (("virt", virt, "512"), ("pc", pc, "511")):
        out.append(Case("numa.%s.one-node" % name, platform,
                        [r"roottask: 1 NUMA node\n", r"roottask:   node 0: CPUs 0-3, RAM %s MiB, distances 10\n" % ram] +
                        numa_end, forbid=numa_forbid + [r"kernel: NUMA node"], qemu=dict(smp=4)))
    # A device tree whose topology is broken (tests/fixtures/numa-bad.dts):
    # each problem is reported, the entry left out, and the machine boots as
    # one node.
    out.append(Case("numa.virt.bad-dt", virt, [
        r"kernel: warning: NUMA: node id out of range \(entry ignored\) \(detail 0xc, ",
        r"kernel: warning: NUMA: invalid node distance \(distance table ignored\) \(detail 0x1, 0x5\)",
        r"kernel: NUMA node 0: CPU mask 0x3, 1024 MiB RAM",
        r"roottask: 1 NUMA node\n", r"roottask:   node 0: CPUs 0-1, RAM 1024 MiB, distances 10\n"] + numa_end,
        forbid=[r"PANIC", r"WRONG", r"NUMA node 1"],
        qemu=dict(smp=2, memory="1G", dtb=os.path.join(platforms.ROOT, "build", "host", "tests", "fixtures",
                                                        "numa-bad.dtb"))))
    # The same on the PC, with tables given to QEMU (-acpitable,
    # tests/fixtures/acpi_tables.py): bad entries left out; a SRAT whose
    # structure is broken ignored as a whole.
    acpi = os.path.join(platforms.ROOT, "build", "host", "tests", "fixtures")
    out.append(Case("numa.pc.bad-acpi", pc, [
        r"x86_64: ACPI SRAT: 3 CPU and 2 memory affinity entries\n",
        r"kernel: warning: NUMA: node id out of range \(entry ignored\) \(detail 0x9, ",
        r"kernel: warning: NUMA: memory affinity range overlaps another \(ignored\) \(detail 0x8000000, 0x1\)",
        r"kernel: warning: NUMA: malformed affinity entry \(ignored\)",
        r"kernel: warning: NUMA: invalid node distance \(distance table ignored\) \(detail 0x101, 0xb\)",
        r"roottask: 2 NUMA nodes", r"roottask:   node 0: CPUs 0-1, RAM 255 MiB, distances 10 20\n",
        r"roottask:   node 1: CPUs 2-3, RAM 255 MiB, distances 20 10\n"] + numa_end, forbid=[r"PANIC", r"WRONG"],
        qemu=dict(smp=4, extra=["-acpitable", "file=" + os.path.join(acpi, "srat-bad.bin"),
                                "-acpitable", "file=" + os.path.join(acpi, "slit-bad.bin")])))
    out.append(Case("numa.pc.broken-srat", pc, [
        r"x86_64: ACPI: SRAT ignored: SRAT entry length invalid or past the table's end \(detail 0x40\)",
        r"roottask: 1 NUMA node\n", r"roottask:   node 0: CPUs 0-3, RAM 511 MiB, distances 10\n"] + numa_end,
        forbid=numa_forbid + [r"kernel: NUMA node"],
        qemu=dict(smp=4, extra=["-acpitable", "file=" + os.path.join(acpi, "srat-broken.bin")])))
    out.append(Case("boot.virt.cmdline", virt, [r"kernel: command line: hello=world",
                                                r"roottask: command line \"hello=world\""] +
                    boot_expectations(virt, "EL0")[-2:], qemu=dict(append="hello=world")))
    out.append(Case("boot.pc.cmdline", pc, [r"kernel: command line: hello=world",
                                            r"roottask: command line \"hello=world\""] +
                    boot_expectations(pc, "ring 3")[-2:], qemu=dict(append="hello=world")))

    # The user-mode kernel test suite, on every platform; each of its tests
    # counts in the total.
    suite_end = [r"ktest: \d+ passed, 0 failed", r"roottask: all checks passed; exiting",
                 r"kernel: thread 'root' exited with status 0"]
    # virt runs it with GICv3 and, for the interrupt tests, with GICv2 too.
    # The fastpath build handles most of the ping-pong's calls.
    fast = [r"ktest:   fastpath handled [1-9]\d* of 2000 IPC system calls"]
    for name, platform, qemu in (("virt", virt, dict(gic=3)), ("virt.gicv2", virt, dict(gic=2)), ("rpi4", rpi4, {}),
                                 ("pc", pc, {})):
        out.append(Case("ktest." + name, platform, fast + suite_end, qemu=dict(append="ktest", **qemu),
                        subtests="ktest", forbid=[r"PANIC", r"ktest: FAIL"], timeout=120))
    # On four CPUs: the SMP tests spread threads over all of them; the rest
    # pass as on one.
    out.append(Case("ktest.virt.smp4", virt, [r"arm64: cpu 3 online"] + fast + suite_end,
                    qemu=dict(append="ktest", gic=3, smp=4), subtests="ktest",
                    forbid=[r"PANIC", r"ktest: FAIL"], timeout=120, same_results_as="ktest.virt"))
    out.append(Case("ktest.pc.smp4", pc, fast + suite_end, qemu=dict(append="ktest", smp=4), subtests="ktest",
                    forbid=[r"PANIC", r"ktest: FAIL"], timeout=120, same_results_as="ktest.pc"))
    # On two NUMA nodes: the topology checks and per-node retypes see two
    # nodes; every other test passes as on one.
    for name, platform, qemu in (("virt", virt, dict(gic=3)), ("pc", pc, {})):
        out.append(Case("ktest.%s.numa" % name, platform, [r"roottask: 2 NUMA nodes"] + fast + suite_end,
                        qemu=dict(append="ktest", smp=4, memory="1G", extra=numa_args(20), **qemu), subtests="ktest",
                        forbid=[r"PANIC", r"ktest: FAIL"], timeout=120, same_results_as="ktest." + name))
    # Every IPC test again with the fastpath built out: the same tests must
    # pass and fail alike, and the slow path must have handled everything.
    # That build also checks the lock order at run time (a violation
    # panics), on four CPUs.
    slow = [r"ktest:   fastpath handled 0 of 2000 IPC system calls"]
    for name, platform, qemu in (("virt", virt, dict(gic=3)), ("pc", pc, {})):
        out.append(Case("ktest.%s.slowpath" % name, platform, slow + suite_end,
                        qemu=dict(append="ktest", variant="slowpath", smp=4, **qemu), subtests="ktest",
                        forbid=[r"PANIC", r"ktest: FAIL"], timeout=120, same_results_as="ktest." + name))
    # The big-lock baseline (-Dkernel_lock=big) is a kernel too: the whole
    # suite on four CPUs.
    for name, platform, qemu in (("virt", virt, dict(gic=3)), ("pc", pc, {})):
        out.append(Case("ktest.%s.biglock" % name, platform, fast + suite_end,
                        qemu=dict(append="ktest", variant="biglock", smp=4, **qemu), subtests="ktest",
                        forbid=[r"PANIC", r"ktest: FAIL"], timeout=120, same_results_as="ktest." + name))

    # The benchmark suite as ./baton bench runs it (-icount shift=0), with a
    # tiny iteration count: every case must print a well-formed result line.
    # Nothing here looks at the numbers.
    bench_end = [r"bench: begin counter=\S+ iters=20 ", r"bench: end cases=\d+ failed=0",
                 r"roottask: all checks passed; exiting", r"kernel: thread 'root' exited with status 0"]
    for name, platform in (("virt", virt), ("rpi4", rpi4), ("pc", pc)):
        out.append(Case("bench." + name, platform, bench_end, forbid=[r"PANIC", r"bench: FAIL"],
                        qemu=dict(append="bench bench.iters=20", extra=["-icount", "shift=0"]),
                        check=check_bench_output, needs=[platforms.rpi4_dtb()] if platform == rpi4 else []))
    # The multicore cases (./baton bench --smp 4 --build smp|biglock): pairs
    # on 1, 2 and 4 CPUs, a Call across CPUs, and the lock counters, each
    # on the kernel build it is for (in the order the suite prints them).
    for name, platform, qemu in (("virt", virt, dict(gic=3)), ("pc", pc, {})):
        for variant, lock in (("", "fine"), ("biglock", "bkl")):
            out.append(Case("bench.%s.smp4%s" % (name, "." + variant if variant else ""), platform,
                            bench_end[:1] + [r"bench: result ipc\.roundtrip\.cross_core",
                                             r"bench: result lock\.contended\.%s\.pairs4 " % lock,
                                             r"bench: result smp\.pairs4\.roundtrip "] + bench_end[1:],
                            forbid=[r"PANIC", r"bench: FAIL"], check=check_bench_output,
                            qemu=dict(append="bench bench.iters=20", variant=variant, smp=4,
                                      extra=["-icount", "shift=0"], **qemu)))
    # The uniprocessor kernel (-Dsmp=false), which ./baton bench measures by
    # default: the whole suite, and the benchmark suite.
    for name, platform, qemu in (("virt", virt, dict(gic=3)), ("pc", pc, {})):
        out.append(Case("ktest.%s.up" % name, platform, [r"kernel: uniprocessor build"] + fast + suite_end,
                        qemu=dict(append="ktest", variant="up", **qemu), subtests="ktest",
                        forbid=[r"PANIC", r"ktest: FAIL"], timeout=120, same_results_as="ktest." + name))
        out.append(Case("bench.%s.up" % name, platform, bench_end, forbid=[r"PANIC", r"bench: FAIL"],
                        qemu=dict(append="bench bench.iters=20", variant="up", extra=["-icount", "shift=0"]),
                        check=check_bench_output))

    # Boot media (./baton image, built by ./baton test) through their boot
    # loaders, as on real hardware. U-Boot's script must run to its end.
    media_forbid = [r"PANIC", r"WRONG", r"SCRIPT FAILED", r"error: "]
    uboot = [r"U-Boot 20\d\d", r"Found U-Boot script /boot.scr"]
    rpi4_media = [platforms.image_file(rpi4), platforms.rpi4_u_boot(), platforms.rpi4_dtb()]
    out.append(Case("media.rpi4.sd-uboot", rpi4, uboot + [r"boot.scr: loading Baton from mmc 0:1",
                                                         r"boot.scr: switching GPIO 14/15 to the PL011"] +
                    boot_expectations(rpi4, "EL0"), forbid=media_forbid, qemu=dict(boot="uboot"), needs=rpi4_media))
    out.append(Case("media.virt.disk-uboot", virt, uboot + [r"boot.scr: loading Baton from virtio 0:1"] +
                    boot_expectations(virt, "EL0"), forbid=media_forbid, qemu=dict(boot="uboot"),
                    needs=[platforms.image_file(virt), platforms.VIRT_U_BOOT]))
    # U-Boot moves the image: the secondaries' entry point must follow it.
    out.append(Case("media.virt.disk-uboot.smp4", virt, uboot + [r"boot.scr: loading Baton from virtio 0:1"] +
                    smp_expectations(virt, "EL0", "arm64", 4), forbid=media_forbid, qemu=dict(boot="uboot", smp=4),
                    needs=[platforms.image_file(virt), platforms.VIRT_U_BOOT]))
    # GRUB's Multiboot2; ACPI from its RSDP tag (under UEFI the BIOS-area scan finds nothing).
    grub = [r"grub: loading Baton", r"x86_64: Multiboot2 from \"GRUB ", r"x86_64: ACPI %s RSDP \(Multiboot2 tag"]
    pc_iso = [platforms.image_file(pc)]
    uefi = [r"BdsDxe: starting Boot\d+ \"UEFI QEMU %s"]
    for medium, usb, drive in [("iso", False, "DVD-ROM"), ("usb", True, "QEMU USB HARDDRIVE")]:
        out.append(Case("media.pc.%s-bios" % medium, pc, [grub[0], grub[1], grub[2] % 1] +
                        boot_expectations(pc, "ring 3"), forbid=media_forbid, qemu=dict(boot="grub", usb=usb),
                        needs=pc_iso, exit_status=0x21))
        out.append(Case("media.pc.%s-uefi" % medium, pc, [uefi[0] % drive, grub[0], grub[1], grub[2] % 2] +
                        boot_expectations(pc, "ring 3"), forbid=media_forbid,
                        qemu=dict(boot="grub", usb=usb, uefi=True), needs=pc_iso + [platforms.OVMF],
                        exit_status=0x21))
    out.append(Case("media.pc.iso-uefi.smp4", pc, [grub[0], grub[1], grub[2] % 2] + smp_pc,
                    forbid=media_forbid + [r"did not come up"], qemu=dict(boot="grub", uefi=True, smp=4),
                    needs=pc_iso + [platforms.OVMF], exit_status=0x21))
    out.append(Case("media.virt.cmdline", virt, [r"kernel: command line: hello=world",
                                                 r"roottask: command line \"hello=world\""] +
                    boot_expectations(virt, "EL0")[-2:], qemu=dict(boot="uboot", image=CMDLINE_IMAGES[virt]),
                    needs=[CMDLINE_IMAGES[virt]]))
    out.append(Case("media.pc.cmdline", pc, [r"kernel: command line: hello=world",
                                             r"roottask: command line \"hello=world\""] +
                    boot_expectations(pc, "ring 3")[-2:], qemu=dict(boot="grub", image=CMDLINE_IMAGES[pc]),
                    needs=[CMDLINE_IMAGES[pc]]))

    # A PC without COM1 (common under UEFI): the console moves to COM2, or,
    # with no serial port at all, stays silent while the kernel boots,
    # runs the root task and powers off cleanly (isa-debug-exit: 0x10 -> 33).
    com2 = [r"x86_64: no UART at COM1; console on COM2 \(0x2f8\)"]
    out.append(Case("boot.pc.com2-only", pc, com2 + boot_expectations(pc, "ring 3"), qemu=dict(com=2),
                    exit_status=0x21))
    out.append(Case("boot.pc.no-serial", pc, [], qemu=dict(com=0), exit_status=0x21))
    out.append(Case("media.pc.iso-uefi.com2-only", pc, [grub[0]] + com2 + boot_expectations(pc, "ring 3"),
                    qemu=dict(boot="grub", uefi=True, com=2), needs=pc_iso + [platforms.OVMF], exit_status=0x21))
    # The local APIC timer is calibrated against the HPET, or the PIT where
    # there is no HPET; under -icount both follow the instruction count.
    apic = r"x86_64: local APIC id \d+ at 0x[0-9a-f]+, timer [1-9]\d+ Hz \(divided by 16, calibrated against the %s\)"
    out.append(Case("boot.pc.timer-hpet", pc, [apic % "HPET"] + boot_expectations(pc, "ring 3")))
    out.append(Case("boot.pc.timer-pit", pc, [apic % "PIT"] + boot_expectations(pc, "ring 3"),
                    qemu=dict(extra=["-machine", "hpet=off"])))
    out.append(Case("boot.pc.timer-icount", pc, [apic % "HPET"] + boot_expectations(pc, "ring 3"),
                    qemu=dict(extra=["-icount", "shift=0"])))

    # User faults: reported with address and cause; the kernel stays up.
    out.append(fault_case("fault.virt.read", virt, "fault-read",
                          [r"kernel: user fault in thread 'root': page fault at address 0xdead0000, pc 0x4[0-9a-f]+.*read"]))
    out.append(fault_case("fault.virt.write-code", virt, "fault-write",
                          [r"kernel: user fault in thread 'root': page fault at address 0x4[0-9a-f]+, .*write"]))
    out.append(fault_case("fault.virt.undef", virt, "fault-undef",
                          [r"kernel: user fault in thread 'root': undefined instruction at address 0x4[0-9a-f]+"]))
    out.append(fault_case("fault.rpi4.read", rpi4, "fault-read",
                          [r"kernel: user fault in thread 'root': page fault at address 0xdead0000"]))
    out.append(fault_case("fault.pc.read", pc, "fault-read",
                          [r"kernel: user fault in thread 'root': page fault at address 0xdead0000, pc 0x4[0-9a-f]+.*read"]))
    out.append(fault_case("fault.pc.write-code", pc, "fault-write",
                          [r"kernel: user fault in thread 'root': page fault at address 0x4[0-9a-f]+, .*write"]))
    out.append(fault_case("fault.pc.undef", pc, "fault-undef",
                          [r"kernel: user fault in thread 'root': undefined instruction at address 0x4[0-9a-f]+"]))

    # Bad boot input: a clear panic, and QEMU exits.
    not_elf = os.path.join(FIXTURES, "not-an-elf.bin")
    out.append(panic_case("bad.pc.not-elf", pc, r"root task: not a valid executable: not an ELF file", initrd=not_elf))
    out.append(panic_case("bad.pc.wrong-arch", pc, r"root task: not a valid executable: built for AArch64",
                          initrd=platforms.root_task(virt)))
    out.append(panic_case("bad.pc.no-module", pc, r"no root-task module", initrd=False))
    out.append(panic_case("bad.virt.wrong-arch", virt, r"root task: not a valid executable: built for x86-64",
                          initrd=platforms.root_task(pc)))
    out.append(panic_case("bad.virt.not-elf", virt, r"root task: not a valid executable: not an ELF file",
                          initrd=not_elf))
    # Device trees lacking what the kernel needs (fixtures compiled by the host build).
    dtbs = os.path.join(platforms.ROOT, "build", "host", "tests", "fixtures")
    out.append(panic_case("bad.virt.dt-no-gic", virt, r"device tree: no enabled interrupt controller",
                          dtb=os.path.join(dtbs, "no-gic.dtb")))
    out.append(panic_case("bad.virt.dt-no-uart", virt, r"device tree: no enabled UART",
                          dtb=os.path.join(dtbs, "no-uart.dtb")))
    out.append(panic_case("bad.virt.dt-bad-ranges", virt, r"device tree: address not covered by the parent bus's ranges",
                          dtb=os.path.join(dtbs, "bad-ranges.dtb")))
    return out
