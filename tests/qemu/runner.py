"""Boots Baton under QEMU and checks what the guest prints on its serial
console: each case lists patterns that must appear in order and patterns
that must not appear, with a time limit. QEMU is always killed at the end,
whatever happened."""
import dataclasses
import os
import re
import selectors
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import platforms  # noqa: E402


@dataclasses.dataclass
class Case:
    name: str
    platform: str
    expect: list                 # regexes that must match, in this order
    forbid: list = dataclasses.field(default_factory=lambda: [r"PANIC", r"WRONG"])
    qemu: dict = dataclasses.field(default_factory=dict)   # platforms.qemu_command keyword arguments
    timeout: float = 60.0        # seconds for the whole case
    must_exit: bool = True       # QEMU must end by itself after the last expectation
    needs: list = dataclasses.field(default_factory=list)  # files that must exist (else: fail, naming them)
    exit_status: int = None      # when set, QEMU's exit status must be this (e.g. isa-debug-exit's)
    subtests: str = ""           # prefix of the guest's own test lines ("ktest"): each counts as a test
    same_results_as: str = ""    # another case whose guest tests must pass and fail exactly alike
    check: object = None         # check(output) -> None, or why the output is wrong (after the expectations)


@dataclasses.dataclass
class Outcome:
    case: Case
    passed: bool
    reason: str
    seconds: float
    output: str

    def subtest_results(self):
        """{test name: "ok" or "FAIL"} of the guest's own tests."""
        if not self.case.subtests:
            return {}
        p = re.escape(self.case.subtests)
        return {m.group(2): m.group(1) for m in re.finditer(r"^%s: (ok|FAIL) (.*?)\s*$" % p, self.output, re.M)}

    def subtest_counts(self):
        """(passed, failed) of the guest's own tests, from lines
        `PREFIX: ok NAME` and `PREFIX: FAIL NAME`."""
        if not self.case.subtests:
            return 0, 0
        p = re.escape(self.case.subtests)
        ok = len(re.findall(r"^%s: ok " % p, self.output, re.M))
        bad = len(re.findall(r"^%s: FAIL " % p, self.output, re.M))
        return ok, bad


def run_case(case):
    start = time.monotonic()
    missing = [n for n in case.needs if not os.path.exists(n)]
    if missing:
        return Outcome(case, False, "missing " + ", ".join(missing), 0.0, "")
    cmd = platforms.qemu_command(case.platform, **case.qemu)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    output = b""
    text = ""
    pending = [re.compile(p) for p in case.expect]
    forbid = [re.compile(p) for p in case.forbid]
    scan_from = 0
    reason = None
    eof = False
    try:
        while True:
            # Match expectations, in order, against the whole lines seen so far.
            while pending:
                m = pending[0].search(text, scan_from)
                if not m:
                    break
                scan_from = m.end()
                pending.pop(0)
            for f in forbid:
                m = f.search(text)
                if m:
                    line = text[text.rfind("\n", 0, m.start()) + 1:].split("\n", 1)[0]
                    reason = "forbidden output: " + line.strip()
                    break
            if reason:
                break
            if not pending and not case.must_exit:
                break
            if eof:
                if pending:
                    reason = "QEMU exited (status %s) before: %s" % (proc.returncode, pending[0].pattern)
                elif case.exit_status is not None and proc.returncode != case.exit_status:
                    reason = "QEMU exited with status %s, not %s" % (proc.returncode, case.exit_status)
                break
            left = case.timeout - (time.monotonic() - start)
            if left <= 0:
                reason = ("timed out after %.0f s waiting for: %s" % (case.timeout, pending[0].pattern)
                          if pending else "timed out after %.0f s waiting for QEMU to exit" % case.timeout)
                break
            for _key, _ in sel.select(timeout=min(left, 0.5)):
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    proc.wait()
                    eof = True
                output += chunk
                text = output.decode("utf-8", "replace").replace("\r\n", "\n")
    finally:
        platforms.stop_qemu(proc)
        sel.close()
        proc.stdout.close()
    if reason is None and case.check:
        reason = case.check(output.decode("utf-8", "replace").replace("\r\n", "\n"))
    return Outcome(case, reason is None, reason or "", time.monotonic() - start,
                   output.decode("utf-8", "replace"))
