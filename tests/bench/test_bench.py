#!/usr/bin/env python3
"""Checks the host side of ./baton bench without booting anything: the
result line of userland/bench/report.h (compiled for the host) against the
parser and the statistics of tools/bench/report.py, the refusal of
malformed output, the table, the comparison with Linux, the JSON, the SVG,
and the initramfs and QEMU command line of the Linux side. Never looks at
how fast anything is. Prints one line per check and
`bench: N passed, M failed`."""
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tools", "bench"))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import linux  # noqa: E402
import platforms  # noqa: E402
import report  # noqa: E402

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("bench %s %s%s" % ("ok  " if ok else "FAIL", name, "" if ok or not detail else ": " + str(detail)),
          flush=True)


def raises(fn, *args):
    try:
        fn(*args)
    except report.BadOutput:
        return True
    return False


# ---- report.h, compiled for the host --------------------------------------------

def build_formatter(work):
    exe = os.path.join(work, "format_samples")
    r = subprocess.run(["cc", "-O1", "-Wall", "-Wextra", "-Werror", "-o", exe,
                        os.path.join(ROOT, "tests", "bench", "format_samples.c")], capture_output=True, text=True)
    check("report.h compiles for the host without warnings", r.returncode == 0, r.stderr.strip()[-500:])
    return exe if r.returncode == 0 else None


def format_line(exe, samples, name="test.case", kind="roundtrip", overhead=3, batch=1):
    r = subprocess.run([exe, name, kind, str(overhead), str(batch)], input="\n".join(map(str, samples)) + "\n",
                       capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def check_report_h(exe):
    rng = random.Random(4)
    sets = {
        "one sample": [77],
        "two samples": [9, 5],
        "all equal": [145] * 1000,
        "100 samples (percentile edges)": list(range(1, 101)),
        "101 samples (percentile edges)": list(range(101, 0, -1)),
        "few distinct values (exact histogram)": [rng.choice([238, 240, 305]) for _ in range(5000)],
        "64 distinct values (still exact)": [1000 + i for i in range(64)] * 3,
        "65 distinct values (bucketed)": [1000 + i for i in range(65)] * 3,
        "wide, long-tailed distribution (bucketed)": [int(rng.lognormvariate(9, 0.4)) for _ in range(10000)] +
                                                      [4000000, 2**32 - 1],
    }
    for label, samples in sets.items():
        line = format_line(exe, samples)
        if line is None:
            check("report.h: %s: formats" % label, False)
            continue
        try:
            r = report.parse_result(line.strip())
        except report.BadOutput as e:
            check("report.h: %s: the parser accepts the line" % label, False, e)
            continue
        want = report.stats(samples)
        got = {"min": r.min, "median": r.median, "p99": r.p99, "max": r.max}
        hist, bits = report.histogram(samples)
        check("report.h: %s: min/median/p99/max agree with Python's nearest rank" % label, got == want,
              "%s != %s" % (got, want))
        check("report.h: %s: histogram agrees with Python's" % label,
              r.hist == hist and r.hist_bits == bits and r.iters == len(samples),
              "%s/%d vs %s/%d" % (r.hist[:5], r.hist_bits, hist[:5], bits))
    line = format_line(exe, [5, 6, 7], name="yield.switch", kind="oneway", overhead=11, batch=16)
    r = report.parse_result(line.strip()) if line else None
    check("report.h: name, kind, overhead and batch come through",
          r is not None and (r.name, r.kind, r.overhead, r.batch, r.operations) == ("yield.switch", "oneway", 11, 16, 48))


# ---- the parser ---------------------------------------------------------------------

GOOD = """\
kernel: Baton 0.1.0 on qemu-virt-arm64
roottask: check yield: ok (ok)
bench: begin counter=pmccntr_el0 iters=4 warmup=10 overhead=3 cases=2 machine="linux,dummy-virt" cpu="A \\"quoted\\" CPU"
bench: result yield.switch kind=oneway iters=4 min=245 median=245 p99=250 max=250 overhead=3 batch=1 hist=245:3,250:1\r
bench: result syscall.null kind=roundtrip iters=4 min=152 median=152 p99=152 max=152 overhead=3 batch=1 hist=152:4
bench: end cases=2 failed=0
roottask: all checks passed; exiting
"""


def result_line(**over):
    f = dict(name="syscall.null", kind="roundtrip", iters="4", min="152", median="152", p99="160", max="160",
             overhead="3", batch="1", hist="152:3,160:1")
    f.update(over)
    name = f.pop("name")
    return "bench: result %s %s" % (name, " ".join("%s=%s" % kv for kv in f.items() if kv[1] is not None))


def check_parser():
    run = report.parse(GOOD)
    check("parser: reads begin, results and end among other console lines",
          run.begin is not None and run.end is not None and [r.name for r in run.results] ==
          ["yield.switch", "syscall.null"])
    check("parser: quoted values with escaped quotes", run.begin.get("cpu") == 'A "quoted" CPU', run.begin)
    check("parser: a complete run has no problems", report.complete(run) == [], report.complete(run))
    y = run.by_name()["yield.switch"]
    check("parser: fields of a result", (y.kind, y.iters, y.min, y.median, y.p99, y.max, y.hist) ==
          ("oneway", 4, 245, 245, 250, 250, [(245, 3), (250, 1)]))
    check("parser: the well-formed test line parses", not raises(report.parse_result, result_line()))
    bad = {
        "a missing field": result_line(p99=None),
        "a bad kind": result_line(kind="sideways"),
        "a non-numeric value": result_line(median="fast"),
        "a negative value": result_line(min="-1"),
        "a bad case name": result_line(name="Syscall null"),
        "a histogram not summing to iters": result_line(hist="152:3"),
        "a histogram out of order": result_line(hist="160:1,152:3"),
        "a median the histogram contradicts": result_line(median="160"),
        "min above the median": result_line(min="155"),
        "a p99 the histogram contradicts": result_line(p99="152"),
        "a bucketed histogram with the median in another bucket": result_line(
            iters="3", min="100", median="1000", p99="5000", max="5000", hist_bits="6", hist="100:1,1008:1,4992:1"),
        "a broken histogram entry": result_line(hist="152:3,160"),
    }
    for label, line in bad.items():
        check("parser: refuses %s" % label, raises(report.parse_result, line), line)
    ok_bucketed = result_line(iters="3", min="100", median="1009", p99="5000", max="5000", hist_bits="6",
                              hist="100:1,1008:1,4992:1")
    check("parser: a bucketed histogram agrees when each figure lies in its bucket",
          not raises(report.parse_result, ok_bucketed))
    check("parser: refuses a case reported twice",
          raises(report.parse, GOOD + GOOD.splitlines()[3] + "\n"))
    truncated = "\n".join(GOOD.splitlines()[:4])
    check("parser: a run without its end line is incomplete", any("end" in p for p in
                                                                 report.complete(report.parse(truncated))))
    failed = GOOD.replace("bench: result syscall.null", "bench: FAIL syscall.null: it broke\nbench: ignored")
    problems = report.complete(report.parse(failed))
    check("parser: a failed case makes the run incomplete", any("syscall.null failed: it broke" in p
                                                                 for p in problems), problems)
    fewer = GOOD.replace("cases=2", "cases=3")
    check("parser: fewer results than announced make the run incomplete",
          any("3 cases announced" in p for p in report.complete(report.parse(fewer))))
    check("parser: no begin line means nothing was measured",
          "no `bench: begin` line" in report.complete(report.parse("kernel: PANIC\n")))


def check_qemu_case_check():
    import cases
    check("QEMU case check: accepts a complete run", cases.check_bench_output(GOOD) is None,
          cases.check_bench_output(GOOD))
    only_one = "\n".join(l for l in GOOD.replace("cases=2", "cases=1").splitlines() if "yield.switch" not in l)
    check("QEMU case check: insists on syscall.null and yield.switch",
          "yield.switch" in (cases.check_bench_output(only_one) or ""))
    check("QEMU case check: names a malformed line",
          "malformed" in (cases.check_bench_output(GOOD.replace("hist=152:4", "hist=152:5")) or ""))
    bench_cases = [c for c in cases.cases() if c.name.startswith("bench.")]
    check("QEMU cases: the suite runs on every platform with -icount shift=0",
          sorted(set(c.platform for c in bench_cases)) == sorted(platforms.PLATFORMS) and
          all("-icount" in c.qemu.get("extra", []) and "bench" in c.qemu.get("append", "") for c in bench_cases))


# ---- statistics, units, table, comparison ---------------------------------------

def check_statistics():
    check("statistics: nearest-rank percentiles", report.stats(range(1, 101)) ==
          {"min": 1, "median": 50, "p99": 99, "max": 100} and report.stats([7]) ==
          {"min": 7, "median": 7, "p99": 7, "max": 7})
    check("statistics: percentile of a histogram", report.percentile_of_hist([(1, 50), (2, 49), (3, 1)], 99) == 2 and
          report.percentile_of_hist([(1, 50), (2, 49), (3, 1)], 50) == 1)
    check("statistics: buckets keep 6 leading bits", [report.bucket(v) for v in (0, 63, 64, 65, 127, 128, 131, 1000)]
          == [0, 63, 64, 64, 126, 128, 128, 992] and report.bucket_width(992, 6) == 16 and report.bucket_width(63, 6) == 1)
    check("units: instructions under icount, the counter's unit otherwise",
          report.unit_name("tsc", True) == "instructions" and report.unit_name("pmccntr_el0", False) == "cycles")


def results_for(names_medians):
    out = []
    for name, median in names_medians:
        out.append(report.parse_result(result_line(name=name, min=str(median), median=str(median), p99=str(median),
                                                   max=str(median), hist="%d:4" % median)))
    return out


def check_table_and_comparison():
    baton = results_for([("syscall.null", 150), ("yield.switch", 250)])
    linux_r = results_for([("linux.syscall.null", 450), ("linux.yield.switch", 2500), ("linux.futex.roundtrip", 9000),
                           ("linux.pipe.roundtrip", 12000)])
    text = report.table(baton, "instructions")
    check("table: a header, one row per case, the unit", text.splitlines()[0].split() ==
          ["case", "kind", "median", "min", "p99", "iters"] and "syscall.null" in text and "round trip" in text and
          text.endswith("(instructions per operation)"), text)
    rows = {r["linux"]: r for r in report.comparison(baton, linux_r)}
    check("comparison: Linux's null syscall against Baton's, ratio of the medians",
          rows["linux.syscall.null"]["baton"] == "syscall.null" and rows["linux.syscall.null"]["ratio"] == 3.0)
    check("comparison: yield against yield", rows["linux.yield.switch"]["ratio"] == 10.0)
    check("comparison: IPC round trips wait for Baton's IPC cases",
          rows["linux.futex.roundtrip"]["baton"] is None and rows["linux.futex.roundtrip"]["ratio"] is None and
          rows["linux.futex.roundtrip"]["waiting_for"] == "ipc.roundtrip.cross_as.fast.0w")
    with_ipc = baton + results_for([("ipc.roundtrip.same_as.fast.0w", 300), ("ipc.roundtrip.cross_as.fast.0w", 360)])
    rows = {r["linux"]: r for r in report.comparison(with_ipc, linux_r)}
    check("comparison: once measured, the cross-address-space fastpath round trip is the counterpart",
          rows["linux.futex.roundtrip"]["baton"] == "ipc.roundtrip.cross_as.fast.0w" and
          rows["linux.futex.roundtrip"]["ratio"] == 25.0 and rows["linux.pipe.roundtrip"]["ratio"] == 33.33)
    text = report.comparison_table(report.comparison(baton, linux_r), "instructions")
    check("comparison table: every Linux case with its ratio or what it waits for",
          "3.0x" in text and "10.0x" in text and "not measured yet" in text and text.count("linux.") == 4, text)


def check_json():
    rs = results_for([("syscall.null", 150), ("linux.pipe.roundtrip", 12000)])
    doc = json.loads(report.to_json("pc-x86_64", "tcg", "instructions", "max", rs, {"icount": "shift=0"}))
    check("JSON: platform, accel, unit, cpu and results",
          {k: doc[k] for k in ("platform", "accel", "unit", "cpu")} ==
          {"platform": "pc-x86_64", "accel": "tcg", "unit": "instructions", "cpu": "max"} and doc["icount"] == "shift=0")
    check("JSON: each result has name, median, min, p99 and iters",
          all({"name", "median", "min", "p99", "iters"} <= set(r) for r in doc["results"]) and
          doc["results"][0]["name"] == "syscall.null" and doc["results"][0]["median"] == 150 and
          doc["results"][0]["iters"] == 4)


def check_svg():
    rs = report.parse(GOOD).results + results_for([("linux.pipe.roundtrip", 12000)])
    wide = report.parse_result(result_line(name="linux.unix.roundtrip", iters="3", min="100", median="1009",
                                           p99="5000", max="5000", hist_bits="6", hist="100:1,1008:1,4992:1"))
    text = report.svg(rs + [wide], "Baton <& Linux>", "guest instructions")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        check("SVG: well-formed XML", False, e)
        return
    ns = "{http://www.w3.org/2000/svg}"
    texts = ["".join(t.itertext()) for t in root.iter(ns + "text")]
    check("SVG: well-formed XML with a size", root.tag == ns + "svg" and int(root.get("width")) > 0)
    check("SVG: the title is escaped", "Baton <& Linux>" in texts)
    check("SVG: one labelled row per case", all(r.name in texts for r in rs + [wide]))
    check("SVG: a bar per histogram entry", len(list(root.iter(ns + "rect"))) >= sum(len(r.hist) for r in rs + [wide]))
    check("SVG: a legend for both kernels", "Baton" in texts and "Linux" in texts)


# ---- the Linux side ---------------------------------------------------------------------

def read_cpio(blob):
    """A minimal newc reader: {name: (mode, data, (rdevmajor, rdevminor))}."""
    out, pos = {}, 0
    while True:
        head = blob[pos:pos + 110]
        if head[:6] != b"070701":
            raise ValueError("bad magic at %d" % pos)
        f = [int(head[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = f[11], f[6]
        name = blob[pos + 110:pos + 110 + namesize - 1].decode()
        pos += 110 + namesize
        pos += -pos % 4
        data = blob[pos:pos + filesize]
        pos += filesize
        pos += -pos % 4
        if name == "TRAILER!!!":
            return out
        out[name] = (f[1], data, (f[9], f[10]))


def check_linux_side(work):
    busybox = os.path.join(work, "busybox")
    prog = os.path.join(work, "pingpong")
    for p, content in ((busybox, b"\x7fELF busybox"), (prog, b"\x7fELF pingpong")):
        with open(p, "wb") as f:
            f.write(content)
    script = linux.init_script(500, "pipe")
    a = linux.make_initramfs(busybox, prog, script, os.path.join(work, "a.cpio.gz"))
    b = linux.make_initramfs(busybox, prog, script, os.path.join(work, "b.cpio.gz"))
    with open(a, "rb") as fa, open(b, "rb") as fb:
        blob_a, blob_b = fa.read(), fb.read()
    check("initramfs: reproducible (same inputs, same bytes)", blob_a == blob_b)
    try:
        entries = read_cpio(gzip.decompress(blob_a))
    except (ValueError, OSError) as e:
        check("initramfs: a gzip'd cpio newc archive", False, e)
        return
    check("initramfs: a gzip'd cpio newc archive", True)
    check("initramfs: /init is an executable script running the program, then powering off",
          entries["init"][0] == 0o100755 and b"/pingpong 500 'pipe'" in entries["init"][1] and
          b"poweroff -f" in entries["init"][1] and entries["init"][1].startswith(b"#!/bin/sh"))
    check("initramfs: busybox, /bin/sh -> busybox, the program",
          entries["bin/busybox"][1] == b"\x7fELF busybox" and entries["bin/sh"] == (0o120777, b"busybox", (0, 0)) and
          entries["pingpong"][1] == b"\x7fELF pingpong")
    check("initramfs: /dev/console is character device 5:1", entries["dev/console"][0] == 0o020600 and
          entries["dev/console"][2] == (5, 1))
    check("initramfs: the mount points exist", all(entries[d][0] == 0o040755 for d in ("proc", "sys", "dev", "bin")))
    for platform in ("qemu-virt-arm64", "pc-x86_64"):
        baton = platforms.qemu_command(platform, append="bench", extra=["-icount", "shift=0"])
        lin = linux.qemu_command(platform, "/k/vmlinuz", "/k/initrd")

        def opts(cmd):
            drop = {"-kernel", "-initrd", "-append"}
            return [a for i, a in enumerate(cmd) if a not in drop and (i == 0 or cmd[i - 1] not in drop)]
        check("Linux on %s: Baton's QEMU settings, only kernel, initrd and command line differ" % platform,
              opts(baton) == opts(lin) and lin[lin.index("-kernel") + 1] == "/k/vmlinuz" and
              lin[lin.index("-initrd") + 1] == "/k/initrd" and "-icount" in lin, " ".join(lin))
    src = os.path.join(ROOT, "userland", "bench", "linux", "pingpong.c")
    with open(src) as f:
        text = f.read()
    names = ["linux.syscall.null", "linux.yield.switch", "linux.pipe.roundtrip", "linux.futex.roundtrip",
             "linux.eventfd.roundtrip", "linux.unix.roundtrip"]
    check("ping-pong program: measures every Linux case", all('"%s"' % n in text for n in names))
    # Built as ./baton bench builds it, for both architectures; the host's
    # own runs a few rounds (not the yield case: on a busy host another
    # process may come between the two threads).
    host_arch = {"x86_64": "x86_64", "aarch64": "arm64"}.get(os.uname().machine)
    for arch in ("x86_64", "arm64"):
        try:
            exe = linux.build_pingpong(arch, os.path.join(work, arch))
        except linux.Missing as e:
            check("ping-pong program: builds statically for %s" % arch, False, e)
            continue
        with open(exe, "rb") as f:
            elf = f.read(20)
        machine = int.from_bytes(elf[18:20], "little")
        check("ping-pong program: builds statically for %s" % arch,
              elf[:4] == b"\x7fELF" and machine == {"x86_64": 62, "arm64": 183}[arch])
        if arch != host_arch:
            continue
        for only, want in (("roundtrip", names[2:]), ("syscall", names[:1])):
            r = subprocess.run([exe, "30", only], capture_output=True, text=True, timeout=60)
            try:
                run = report.parse(r.stdout)
                problems = report.complete(run)
            except report.BadOutput as e:
                problems = [str(e)]
                run = None
            check("ping-pong program: runs on the host and reports %s in well-formed lines" % ", ".join(want),
                  r.returncode == 0 and not problems and sorted(x.name for x in run.results) == sorted(want),
                  "; ".join(problems) or r.stdout[-300:])


def check_refusals():
    import argparse
    import harness

    def args(**kw):
        a = dict(platform="qemu-virt-arm64", iters=10000, compare_linux=False)
        a.update(kw)
        return argparse.Namespace(**a)
    check("./baton bench: accepts every platform", all(harness.refuse(args(platform=p)) is None
                                                      for p in platforms.PLATFORMS))
    check("./baton bench: refuses an unknown platform, naming the known ones",
          "pc-x86_64" in (harness.refuse(args(platform="vax")) or ""))
    check("./baton bench: refuses --iters outside 1..131072",
          harness.refuse(args(iters=0)) and harness.refuse(args(iters=131073)) and
          harness.refuse(args(iters=131072)) is None)
    with open(os.path.join(ROOT, "userland", "bench", "bench.cpp")) as f:
        suite = f.read()
    check("./baton bench: its --iters limit is the suite's", "max_iters = 1u << 17;" in suite and
          harness.MAX_ITERS == 1 << 17)
    check("./baton bench: refuses --compare-linux on rpi4, saying why",
          "raspi4b" in (harness.refuse(args(platform="rpi4", compare_linux=True)) or "") and
          harness.refuse(args(platform="pc-x86_64", compare_linux=True)) is None)


def main():
    with tempfile.TemporaryDirectory() as work:
        exe = build_formatter(work)
        if exe:
            check_report_h(exe)
        check_parser()
        check_qemu_case_check()
        check_statistics()
        check_table_and_comparison()
        check_json()
        check_svg()
        check_refusals()
        check_linux_side(work)
    passed = sum(results)
    print("bench: %d passed, %d failed" % (passed, len(results) - passed), flush=True)
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
