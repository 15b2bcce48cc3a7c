"""The host side of the benchmark suite's output: parses the lines Baton's
suite (userland/bench) and the Linux ping-pong program
(userland/bench/linux) print, checks them, and turns them into a table, the
side-by-side comparison with Linux, JSON and an SVG of the distributions.

A run prints
    bench: begin counter=tsc iters=N warmup=W overhead=O cases=C [key="text" ...]
    bench: result NAME kind=roundtrip iters=N min=A median=B p99=C max=D overhead=O batch=K [hist_bits=6] hist=V:C,...
    bench: FAIL NAME: why
    bench: end cases=C failed=F
(userland/bench/report.h defines the result line). Plain Python, no
third-party modules: ./baton and the host tests import it directly.
"""
import dataclasses
import json
import math
import re

HIST_BITS = 6  # as BENCH_HIST_BITS in userland/bench/report.h

_LINE = re.compile(r"^bench: (begin|result|end|FAIL)\b(.*)$", re.M)
_FIELD = re.compile(r'\s*([A-Za-z_][\w.]*)=("(?:[^"\\]|\\.)*"|\S*)')
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_RESULT_FIELDS = ("kind", "iters", "min", "median", "p99", "max", "overhead", "batch", "hist")


class BadOutput(ValueError):
    """A line that claims to be a benchmark line but is not well formed."""


@dataclasses.dataclass
class Result:
    name: str
    kind: str            # "oneway" or "roundtrip"
    iters: int           # samples
    min: int
    median: int
    p99: int
    max: int
    overhead: int        # empty timed interval, already subtracted
    batch: int           # operations per sample (the sample is their average)
    hist: list           # [(value, count)], ascending
    hist_bits: int = 0   # 0: exact values; else values rounded down to this many leading bits

    @property
    def operations(self):
        return self.iters * self.batch


@dataclasses.dataclass
class Run:
    begin: dict
    results: list
    failures: list       # [(name, why)]
    end: dict = None

    def by_name(self):
        return {r.name: r for r in self.results}


def _fields(text):
    out = {}
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _FIELD.match(text, pos)
        if not m:
            raise BadOutput("cannot read %r" % text[pos:])
        value = m.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out[m.group(1)] = value
        pos = m.end()
    return out


def _int(fields, key, line):
    try:
        v = int(fields[key])
    except KeyError:
        raise BadOutput("no %s= in: %s" % (key, line)) from None
    except ValueError:
        raise BadOutput("%s=%r is not a number in: %s" % (key, fields[key], line)) from None
    if v < 0:
        raise BadOutput("%s is negative in: %s" % (key, line))
    return v


def parse_result(line):
    """One `bench: result ...` line (without a trailing newline) -> Result."""
    m = re.match(r"^bench: result (\S+)(.*)$", line.strip())
    if not m:
        raise BadOutput("not a result line: %s" % line)
    name = m.group(1)
    if not _NAME.match(name):
        raise BadOutput("bad case name %r" % name)
    f = _fields(m.group(2))
    missing = [k for k in _RESULT_FIELDS if k not in f]
    if missing:
        raise BadOutput("%s: missing %s" % (name, ", ".join(missing)))
    if f["kind"] not in ("oneway", "roundtrip"):
        raise BadOutput("%s: kind must be oneway or roundtrip, not %r" % (name, f["kind"]))
    hist = []
    for item in f["hist"].split(","):
        v, sep, c = item.partition(":")
        if not sep or not v.isdigit() or not c.isdigit() or int(c) == 0:
            raise BadOutput("%s: bad histogram entry %r" % (name, item))
        hist.append((int(v), int(c)))
    r = Result(name=name, kind=f["kind"], iters=_int(f, "iters", line), min=_int(f, "min", line),
               median=_int(f, "median", line), p99=_int(f, "p99", line), max=_int(f, "max", line),
               overhead=_int(f, "overhead", line), batch=_int(f, "batch", line), hist=hist,
               hist_bits=_int(f, "hist_bits", line) if "hist_bits" in f else 0)
    problems = check(r)
    if problems:
        raise BadOutput("%s: %s" % (name, "; ".join(problems)))
    return r


def parse(text):
    """Everything a run printed -> Run. Raises BadOutput on a malformed
    benchmark line; other lines (the kernel's, the root task's) are ignored."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    run = Run(begin=None, results=[], failures=[])
    for m in _LINE.finditer(text):
        what, rest = m.group(1), m.group(2)
        if what == "result":
            run.results.append(parse_result(m.group(0)))
        elif what == "FAIL":
            name, _, why = rest.strip().partition(": ")
            run.failures.append((name, why))
        elif what == "begin":
            run.begin = _fields(rest)
            for k in ("counter", "iters", "cases"):
                if k not in run.begin:
                    raise BadOutput("begin line without %s=" % k)
        else:
            run.end = _fields(rest)
    names = [r.name for r in run.results]
    if len(set(names)) != len(names):
        raise BadOutput("a case reported twice")
    return run


def complete(run):
    """Problems that make a run unusable: no begin or end line, failed cases,
    fewer results than announced. [] when the run is complete."""
    problems = []
    if run.begin is None:
        problems.append("no `bench: begin` line")
    if run.end is None:
        problems.append("no `bench: end` line (the run stopped early)")
    for name, why in run.failures:
        problems.append("%s failed: %s" % (name, why))
    if run.begin is not None and run.end is not None:
        want = int(run.begin["cases"])
        if len(run.results) + len(run.failures) != want:
            problems.append("%d cases announced, %d reported" % (want, len(run.results) + len(run.failures)))
    return problems


# ---- statistics --------------------------------------------------------------

def bucket(value, bits=HIST_BITS):
    """The histogram bucket of a value: its `bits` leading bits (report.h's bench_bucket)."""
    n = value.bit_length()
    if n <= bits:
        return value
    shift = n - bits
    return (value >> shift) << shift


def bucket_width(low, bits):
    """How many values the bucket starting at `low` holds (1 when exact)."""
    if not bits or low.bit_length() <= bits:
        return 1
    return 1 << (low.bit_length() - bits)


def rank(n, p):
    """Index of the nearest-rank p-th percentile among n sorted samples."""
    k = (p * n + 99) // 100
    return max(k - 1, 0)


def percentile_of_hist(hist, p):
    """The nearest-rank p-th percentile of a histogram [(value, count)]."""
    n = sum(c for _, c in hist)
    want = rank(n, p)
    seen = 0
    for v, c in hist:
        seen += c
        if want < seen:
            return v
    raise ValueError("empty histogram")


def stats(samples):
    """min, median, p99, max of raw samples (nearest rank), as report.h computes them."""
    s = sorted(samples)
    if not s:
        raise ValueError("no samples")
    return {"min": s[0], "median": s[rank(len(s), 50)], "p99": s[rank(len(s), 99)], "max": s[-1]}


def histogram(samples):
    """Samples -> (hist, hist_bits) the way report.h prints them: exact for
    at most 64 distinct values, else bucketed to HIST_BITS leading bits."""
    s = sorted(samples)
    hb = 0 if len(set(s)) <= 64 else HIST_BITS
    hist = []
    for v in s:
        k = v if hb == 0 else bucket(v, hb)
        if hist and hist[-1][0] == k:
            hist[-1] = (k, hist[-1][1] + 1)
        else:
            hist.append((k, 1))
    return hist, hb


def check(r):
    """Consistency of one result: the histogram holds `iters` samples in
    ascending order and agrees with min, median, p99 and max."""
    problems = []
    if r.iters < 1 or r.batch < 1:
        problems.append("iters and batch must be at least 1")
    values = [v for v, _ in r.hist]
    if values != sorted(set(values)):
        problems.append("histogram not strictly ascending")
    total = sum(c for _, c in r.hist)
    if total != r.iters:
        problems.append("histogram holds %d samples, iters=%d" % (total, r.iters))
    if not (r.min <= r.median <= r.p99 <= r.max):
        problems.append("not min <= median <= p99 <= max")
    if problems or not r.hist:
        return problems
    key = (lambda v: v) if r.hist_bits == 0 else (lambda v: bucket(v, r.hist_bits))
    for name, p in (("min", 0), ("median", 50), ("p99", 99), ("max", 100)):
        got = getattr(r, name)
        want = r.hist[0][0] if p == 0 else r.hist[-1][0] if p == 100 else percentile_of_hist(r.hist, p)
        if key(got) != want:
            problems.append("%s=%d disagrees with the histogram (%d)" % (name, got, want))
    return problems


# ---- units, table, comparison -------------------------------------------------

def unit_name(counter, icount):
    """What the numbers count: under -icount shift=0 every counter advances
    once per guest instruction; on hardware the counter's own unit."""
    if icount:
        return "instructions"
    return {"pmccntr_el0": "cycles", "tsc": "TSC cycles", "cntvct_el0_ns": "ns"}.get(counter, counter)


def table(results, unit):
    """The results as an aligned text table."""
    rows = [("case", "kind", "median", "min", "p99", "iters")]
    for r in results:
        iters = str(r.operations) + ("" if r.batch == 1 else " (%dx%d)" % (r.iters, r.batch))
        rows.append((r.name, "one-way" if r.kind == "oneway" else "round trip", str(r.median), str(r.min),
                     str(r.p99), iters))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])] + [row[i].rjust(widths[i]) for i in range(2, 6)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n(%s per operation)" % unit


# The Baton case each Linux figure is set against: the first that exists.
# Linux's IPC round trips face Baton's endpoint round trips (cross address
# space, fastpath first) once the suite measures them.
IPC_ROUNDTRIPS = ["ipc.roundtrip.cross_as.fast.0w", "ipc.roundtrip.cross_as.fast.4w",
                  "ipc.roundtrip.same_as.fast.0w", "ipc.roundtrip.cross_as.slow.0w"]
COUNTERPARTS = [
    ("linux.syscall.null", ["syscall.null"]),
    ("linux.yield.switch", ["yield.switch"]),
    ("linux.futex.roundtrip", IPC_ROUNDTRIPS),
    ("linux.pipe.roundtrip", IPC_ROUNDTRIPS),
    ("linux.eventfd.roundtrip", IPC_ROUNDTRIPS),
    ("linux.unix.roundtrip", IPC_ROUNDTRIPS),
]


def comparison(baton, linux):
    """[{"linux", "baton", "linux_median", "baton_median", "ratio"}] for every
    Linux result; baton is None (and ratio None) where Baton has no
    counterpart yet. ratio = Linux's median / Baton's median."""
    b = {r.name: r for r in baton}
    out = []
    known = {name for name, _ in COUNTERPARTS}
    pairs = COUNTERPARTS + [(r.name, []) for r in linux if r.name not in known]
    for lname, candidates in pairs:
        lr = next((r for r in linux if r.name == lname), None)
        if lr is None:
            continue
        br = next((b[c] for c in candidates if c in b), None)
        ratio = None
        if br is not None:
            ratio = round(lr.median / br.median, 2) if br.median else None
        out.append({"linux": lname, "baton": br.name if br else None, "linux_median": lr.median,
                    "baton_median": br.median if br else None, "ratio": ratio,
                    "waiting_for": None if br else (candidates[0] if candidates else None)})
    return out


def comparison_table(rows, unit):
    head = ("Linux", "median", "Baton", "median", "Linux/Baton")
    lines = [head]
    for row in rows:
        if row["baton"]:
            lines.append((row["linux"], str(row["linux_median"]), row["baton"], str(row["baton_median"]),
                          "%.1fx" % row["ratio"] if row["ratio"] is not None else "-"))
        else:
            lines.append((row["linux"], str(row["linux_median"]),
                          "(%s: not measured yet)" % row["waiting_for"] if row["waiting_for"] else "-", "", "-"))
    widths = [max(len(r[i]) for r in lines) for i in range(5)]
    out = []
    for n, r in enumerate(lines):
        out.append("  ".join([r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]),
                              r[3].rjust(widths[3]), r[4].rjust(widths[4])]).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n(median %s per operation)" % unit


# ---- JSON ---------------------------------------------------------------------

def result_json(r):
    return {"name": r.name, "kind": r.kind, "median": r.median, "min": r.min, "p99": r.p99, "max": r.max,
            "iters": r.operations, "samples": r.iters, "batch": r.batch}


def to_json(platform, accel, unit, cpu, results, extra=None):
    """The JSON document ./baton bench --json writes:
    {"platform", "accel", "unit", "cpu", "results": [{"name", "median", "min", "p99", "iters", ...}], ...}."""
    doc = {"platform": platform, "accel": accel, "unit": unit, "cpu": cpu,
           "results": [result_json(r) for r in results]}
    doc.update(extra or {})
    return json.dumps(doc, indent=2) + "\n"


# ---- SVG ----------------------------------------------------------------------

def _esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


BATON_COLOR, LINUX_COLOR = "#1f5fa8", "#e07b00"


def svg(results, title, unit, linux_prefix="linux."):
    """The latency distributions as an SVG document: one row per case on a
    shared logarithmic axis; bars are the histogram (height: share of the
    samples), with min, median and p99 marked. Baton's cases in blue,
    Linux's in orange."""
    width, left, right = 1040, 230, 250
    row_h, top, bottom = 44, 58, 46
    plot_w = width - left - right
    height = top + row_h * max(len(results), 1) + bottom
    lows = [max(r.min, 1) for r in results] or [1]
    highs = [max(r.p99, r.median, 1) for r in results] or [10]
    lo = 10 ** math.floor(math.log10(min(lows)))
    hi = 10 ** math.ceil(math.log10(max(highs) * 1.5))
    if hi <= lo:
        hi = lo * 10
    span = math.log10(hi) - math.log10(lo)

    def x(v):
        v = min(max(v, lo), hi)
        return left + plot_w * (math.log10(v) - math.log10(lo)) / span

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="12">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>' % (left, _esc(title)),
           '<text x="%d" y="40" fill="#555">%s per operation, logarithmic; bars: share of samples; '
           'lines: min, median (thick), p99</text>' % (left, _esc(unit))]
    kinds = [("Baton", BATON_COLOR)] + ([("Linux", LINUX_COLOR)] if any(r.name.startswith(linux_prefix)
                                                                        for r in results) else [])
    for i, (label, color) in enumerate(kinds):
        lx = width - right + 30 + 70 * i
        out.append('<rect x="%d" y="12" width="12" height="12" fill="%s"/>' % (lx, color))
        out.append('<text x="%d" y="22">%s</text>' % (lx + 16, label))
    # Grid: decades and 2x, 5x.
    decade = lo
    while decade <= hi:
        for m in (1, 2, 5):
            v = decade * m
            if v > hi:
                break
            gx = x(v)
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>' %
                       (gx, top - 4, gx, height - bottom, "#bbb" if m == 1 else "#eee"))
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#444">%s</text>' %
                       (gx, height - bottom + 16, _esc(_short(v))))
        decade *= 10
    out.append('<text x="%d" y="%d" text-anchor="middle" fill="#444">%s</text>' %
               (left + plot_w // 2, height - 10, _esc(unit)))
    for i, r in enumerate(results):
        y0 = top + i * row_h
        base = y0 + row_h - 10
        color = LINUX_COLOR if r.name.startswith(linux_prefix) else BATON_COLOR
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 10, base - 8, _esc(r.name)))
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ddd"/>' % (left, base, left + plot_w, base))
        peak = max(c for _, c in r.hist)
        beyond = 0
        for v, c in r.hist:
            if v > hi:
                beyond += c
                continue
            w = bucket_width(v, r.hist_bits)
            x0, x1 = x(max(v, lo)), x(v + w)
            h = max(1.0, (row_h - 16) * c / peak)
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="0.55"/>' %
                       (x0, base - h, max(x1 - x0, 1.5), h, color))
        for v, sw, h in ((r.min, 1, 12), (r.median, 3, row_h - 12), (r.p99, 1, 12)):
            mx = x(v)
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%d" stroke="%s" stroke-width="%d"/>' %
                       (mx, base - h, mx, base, color, sw))
        label = "median %s, p99 %s" % (r.median, r.p99)
        if beyond:
            label += ", %d off the scale" % beyond
        out.append('<text x="%d" y="%d" fill="#333">%s</text>' % (left + plot_w + 8, base - 8, _esc(label)))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _short(v):
    for div, suffix in ((10**9, "G"), (10**6, "M"), (10**3, "k")):
        if v >= div:
            q = v / div
            return ("%d" % q if q == int(q) else "%g" % q) + suffix
    return "%d" % v
