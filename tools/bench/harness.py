"""./baton bench: boots a platform under QEMU with -icount shift=0 and the
kernel command line `bench`, collects the suite's result lines, prints the
table, and with --compare-linux runs Debian's Linux with our ping-pong
program under the same QEMU settings and sets both side by side.

./baton installs the Debian packages and builds the platform first; this
module does the rest (see report.py for the output format, linux.py for the
Linux side).
"""
import os
import re
import selectors
import shlex
import subprocess
import time

import linux
import platforms
import report

MAX_ITERS = 131072  # userland/bench/bench.cpp's max_iters
ICOUNT = ["-icount", "shift=0"]


class Failed(RuntimeError):
    pass


def run_qemu(cmd, timeout, end=re.compile(r"^bench: end .*$", re.M), grace=10.0):
    """Runs QEMU until it exits, or until `grace` seconds after the guest
    printed its `bench: end` line; returns (output, seconds). QEMU is always
    killed at the end."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    data = b""
    ended_at = None
    try:
        while True:
            now = time.monotonic()
            if now - start > timeout:
                raise Failed("QEMU ran for %.0f s without finishing; its last output:\n%s" %
                             (timeout, _tail(data)))
            if ended_at is not None and now - ended_at > grace:
                break
            events = sel.select(timeout=0.5)
            if not events:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                proc.wait()
                break
            data += chunk
            if ended_at is None and end.search(data.decode("utf-8", "replace").replace("\r", "")):
                ended_at = time.monotonic()
    finally:
        platforms.stop_qemu(proc)
        sel.close()
        proc.stdout.close()
    return data.decode("utf-8", "replace").replace("\r\n", "\n"), time.monotonic() - start


def _tail(data, lines=40):
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return "\n".join("  | " + l for l in text.replace("\r", "").splitlines()[-lines:])


def _save(output, name):
    """Keeps a run's whole console output under build/bench/."""
    path = os.path.join(platforms.ROOT, "build", "bench", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(output)
    return path


def _parse(output, what):
    try:
        run = report.parse(output)
    except report.BadOutput as e:
        raise Failed("%s printed a malformed line: %s" % (what, e)) from None
    problems = report.complete(run)
    if problems:
        raise Failed("%s: %s; its last output:\n%s" % (what, "; ".join(problems), _tail(output)))
    return run


def cpu_model(cmd, platform):
    if "-cpu" in cmd:
        return cmd[cmd.index("-cpu") + 1]
    return "cortex-a72" if platforms.PLATFORMS[platform]["arch"] == "arm64" else "qemu64"


# The kernel builds the suite can run on (--build): the benchmark machine
# has one CPU, so by default the uniprocessor kernel; the multicore kernel
# (with its entry mark and object locks) and its big-lock baseline for
# comparison. Values: the build variant (tools/platforms.py VARIANTS).
BUILDS = {"up": "up", "smp": "", "biglock": "biglock"}


def baton_command(platform, iters, only="", build="up", smp=1):
    append = "bench bench.iters=%d" % iters + (" bench.only=%s" % only if only else "")
    return platforms.qemu_command(platform, append=append, extra=ICOUNT, variant=BUILDS[build], smp=smp)


def run_baton(platform, iters, only, say, build="up", smp=1):
    cmd = baton_command(platform, iters, only, build, smp)
    say("booting %s (%s kernel) under QEMU with -icount shift=0 (the counter counts guest instructions): %s" %
        (platform, build, shlex.join(cmd)))
    output, seconds = run_qemu(cmd, timeout=120 + iters / 500)
    _save(output, "%s-baton.log" % platform)
    run = _parse(output, "Baton's benchmark suite")
    say("Baton's suite: %d cases in %.1f s" % (len(run.results), seconds))
    return run, cmd


# Debian's kernel faults probing the Pi's brcmstb L2 interrupt controller,
# which QEMU's raspi4b does not model.
NO_LINUX = {"rpi4": "Debian's kernel does not boot on QEMU's raspi4b; qemu-virt-arm64 has the same Cortex-A72"}


def run_linux(platform, iters, only, say):
    arch = platforms.PLATFORMS[platform]["arch"]
    kernel, package = linux.fetch_kernel(arch, say)
    busybox = linux.fetch_busybox(arch, say)
    work = os.path.join(platforms.ROOT, "build", "bench-linux", arch)
    pingpong = linux.build_pingpong(arch, work)
    initrd = linux.make_initramfs(busybox, pingpong, linux.init_script(iters, only),
                                  os.path.join(work, "initramfs.cpio.gz"))
    cmd = linux.qemu_command(platform, kernel, initrd)
    say("booting Linux (%s) under the same QEMU settings (10-30 s): %s" %
        (package, shlex.join(cmd)))
    output, seconds = run_qemu(cmd, timeout=900 + iters / 20)
    _save(output, "%s-linux.log" % platform)
    run = _parse(output, "the Linux ping-pong program")
    say("Linux: %d cases in %.1f s (boot included)" % (len(run.results), seconds))
    return run, cmd, package


def refuse(args):
    """Why ./baton bench cannot run with these arguments, or None."""
    if args.platform not in platforms.PLATFORMS:
        return "unknown platform %s; one of: %s" % (args.platform, ", ".join(platforms.PLATFORMS))
    if args.iters < 1 or args.iters > MAX_ITERS:
        return "--iters must be 1..%d" % MAX_ITERS
    if getattr(args, "smp", 1) < 1 or getattr(args, "smp", 1) > 8:
        return "--smp must be 1..8"
    if getattr(args, "smp", 1) > 1 and getattr(args, "build", "up") == "up":
        return "--smp needs a multicore kernel: --build smp or --build biglock"
    if args.compare_linux and args.platform in NO_LINUX:
        return "--compare-linux does not work on %s: %s" % (args.platform, NO_LINUX[args.platform])
    return None


def main(args, say):
    """./baton bench after install and build. Returns the exit status."""
    iters = args.iters
    why = refuse(args)
    if why:
        say("error: " + why)
        return 2
    try:
        build = getattr(args, "build", "up")
        baton, cmd = run_baton(args.platform, iters, args.only, say, build, getattr(args, "smp", 1))
        unit = report.unit_name(baton.begin["counter"], icount=True)
        results = sorted(baton.results, key=lambda r: r.name)
        cpu = cpu_model(cmd, args.platform)
        if baton.begin.get("cpu"):
            cpu += " (%s)" % baton.begin["cpu"]
        print()
        print("Baton (%s kernel) on %s, QEMU TCG -icount shift=0, CPU %s: guest instructions per operation" %
              (build, args.platform, cpu))
        print(report.table(results, unit))
        extra = {"icount": "shift=0", "machine": baton.begin.get("machine", ""), "iters_requested": iters,
                 "command": shlex.join(cmd), "build": build}
        everything = list(results)
        if args.compare_linux:
            lrun, lcmd, package = run_linux(args.platform, iters, args.only, say)
            lresults = lrun.results
            kernel = lrun.begin.get("kernel", package)
            print()
            print("Linux %s (Debian's %s) on the same QEMU settings" % (kernel, package))
            print(report.table(lresults, unit))
            rows = report.comparison(results, lresults)
            print()
            print("Side by side (Linux's median / Baton's median):")
            print(report.comparison_table(rows, unit))
            everything += lresults
            extra["linux"] = {"kernel": kernel, "package": package, "counter": lrun.begin.get("counter"),
                              "command": shlex.join(lcmd)}
            extra["comparison"] = rows
        if args.json:
            with open(args.json, "w") as f:
                f.write(report.to_json(args.platform, "tcg", unit, cpu, everything, extra))
            say("wrote %s" % args.json)
        if args.plot:
            title = "Baton%s on %s (QEMU TCG, -icount shift=0)" % (" and Linux" if args.compare_linux else "",
                                                                 args.platform)
            with open(args.plot, "w") as f:
                f.write(report.svg(everything, title, "guest " + unit))
            say("wrote %s" % args.plot)
    except (Failed, linux.Missing) as e:
        say("error: %s" % e)
        return 1
    return 0
