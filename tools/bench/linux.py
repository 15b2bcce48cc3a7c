"""Linux under the same QEMU as Baton, for ./baton bench --compare-linux.

Debian's stock kernel (the image package linux-image-amd64 or
linux-image-arm64:arm64 depends on, fetched with apt-get download and
unpacked, never installed), busybox-static, and the ping-pong program of
userland/bench/linux built statically with Debian's compilers go into a
tiny initramfs (cpio newc + gzip, written here without root). Its /init runs
the program and powers off; QEMU gets exactly the options Baton's run gets
(platforms.qemu_command, -icount shift=0), only the kernel, initrd and
command line differ.
"""
import gzip
import io
import os
import re
import shutil
import subprocess

import debs
import platforms

SOURCE = os.path.join(platforms.ROOT, "userland", "bench", "linux", "pingpong.c")
CACHE = os.path.join(platforms.CACHE, "linux-bench")

ARCHES = {
    "x86_64": {"deb": "amd64", "meta": "linux-image-amd64", "console": "ttyS0",
               "cc": "x86_64-linux-gnu-gcc", "cc_pkg": {"amd64": "gcc", "*": "gcc-x86-64-linux-gnu"},
               "libc": {"amd64": "libc6-dev", "*": "libc6-dev-amd64-cross"}},
    "arm64": {"deb": "arm64", "meta": "linux-image-arm64", "console": "ttyAMA0",
              "cc": "aarch64-linux-gnu-gcc", "cc_pkg": {"arm64": "gcc", "*": "gcc-aarch64-linux-gnu"},
              "libc": {"arm64": "libc6-dev", "*": "libc6-dev-arm64-cross"}},
}


Missing = debs.Missing  # something the Linux side needs is not there; the message names it


def fetch_kernel(arch, say):
    """Debian's kernel for `arch` -> (path of a bootable image, package name).
    The arm64 vmlinuz is a gzip'd Image: it is unpacked for QEMU's -kernel."""
    pkg = debs.kernel_package(ARCHES[arch]["deb"], say)
    name = pkg.split(":")[0]
    out = os.path.join(CACHE, name, "vmlinuz" if arch == "x86_64" else "Image")
    if os.path.exists(out):
        return out, name
    packed = debs.fetch_file(pkg, "boot/vmlinuz-*", out + ".packed", say, "Debian's kernel")
    with open(packed, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":  # arm64: gzip'd Image
        data = gzip.decompress(data)
    with open(out + ".tmp", "wb") as f:
        f.write(data)
    os.replace(out + ".tmp", out)
    os.remove(packed)
    return out, name


def fetch_busybox(arch, say):
    """A static busybox for `arch`: the installed busybox-static when it is
    the host's architecture, else Debian's package unpacked into the cache."""
    deb_arch = ARCHES[arch]["deb"]
    if deb_arch == debs.host_arch():
        st = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "busybox-static"], capture_output=True, text=True)
        if "install ok installed" in st.stdout and os.path.exists("/bin/busybox"):
            return "/bin/busybox"
    debs.ensure_arch(deb_arch, say)
    out = os.path.join(CACHE, "busybox-static-" + deb_arch, "busybox")
    return debs.fetch_file(debs.qualified("busybox-static", deb_arch), "bin/busybox", out, say, "a static busybox")


def build_pingpong(arch, out_dir):
    """Compiles userland/bench/linux/pingpong.c statically for `arch`."""
    info = ARCHES[arch]
    host = debs.host_arch()
    cc = info["cc"]
    if not shutil.which(cc):
        raise Missing("%s is missing: install Debian's %s (tools/install-deps.sh does)" %
                      (cc, info["cc_pkg"].get(host, info["cc_pkg"]["*"])))
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, "pingpong")
    deps = [SOURCE, os.path.join(os.path.dirname(SOURCE), "..", "report.h")]
    if os.path.exists(out) and all(os.path.getmtime(out) >= os.path.getmtime(d) for d in deps):
        return out
    r = subprocess.run([cc, "-O2", "-static", "-pthread", "-Wall", "-Wextra", "-o", out, SOURCE],
                       capture_output=True, text=True)
    if r.returncode != 0:
        hint = ""
        if re.search(r"cannot find -lc|crt1\.o|No such file.*(stdio|pthread|linux/futex)\.h", r.stderr):
            hint = " (the static C library is missing: install Debian's %s)" % info["libc"].get(host, info["libc"]["*"])
        raise Missing("compiling %s with %s failed%s:\n%s" % (SOURCE, cc, hint, r.stderr.strip()))
    return out


# ---- the initramfs: cpio "newc" written by hand, gzip'd ----------------------

def _cpio_entry(name, mode, data=b"", rdev=(0, 0), ino=1):
    nb = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 2 if mode & 0o040000 else 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(nb), 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = head + nb
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def cpio(entries):
    """entries: [(name, mode, data, rdev)] -> a cpio newc archive (bytes)."""
    out = io.BytesIO()
    for i, (name, mode, data, rdev) in enumerate(entries):
        out.write(_cpio_entry(name, mode, data, rdev, ino=i + 1))
    out.write(_cpio_entry("TRAILER!!!", 0, ino=0))
    blob = out.getvalue()
    return blob + b"\0" * (-len(blob) % 512)


def init_script(ops, only=""):
    """/init: run the ping-pong program, then power off."""
    return ("#!/bin/sh\n"
            "/bin/busybox mount -t proc proc /proc\n"
            "/bin/busybox mount -t sysfs sysfs /sys\n"
            "echo \"linux-bench: Linux $(/bin/busybox uname -r), command line: $(/bin/busybox cat /proc/cmdline)\"\n"
            "for f in /sys/devices/system/cpu/vulnerabilities/*; do\n"
            "  [ -f \"$f\" ] && echo \"linux-bench: ${f##*/}: $(/bin/busybox cat $f)\"\n"
            "done\n"
            "/pingpong %d %s\n"
            "echo \"linux-bench: exit status $?\"\n"
            "/bin/busybox poweroff -f\n" % (ops, _sh_quote(only)))


def _sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'" if s else "''"


def make_initramfs(busybox, pingpong, script, out):
    """Writes the gzip'd initramfs: /init, /bin/busybox (and /bin/sh), /pingpong, /dev/console."""
    def read(p):
        with open(p, "rb") as f:
            return f.read()
    entries = [
        ("bin", 0o040755, b"", (0, 0)),
        ("dev", 0o040755, b"", (0, 0)),
        ("dev/console", 0o020600, b"", (5, 1)),
        ("proc", 0o040755, b"", (0, 0)),
        ("sys", 0o040755, b"", (0, 0)),
        ("bin/busybox", 0o100755, read(busybox), (0, 0)),
        ("bin/sh", 0o120777, b"busybox", (0, 0)),
        ("init", 0o100755, script.encode(), (0, 0)),
        ("pingpong", 0o100755, read(pingpong), (0, 0)),
    ]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(gzip.compress(cpio(entries), compresslevel=6, mtime=0))
    return out


def qemu_command(platform, kernel, initrd, icount=True):
    """Baton's QEMU command line for `platform` with Linux's kernel, initrd
    and command line in place of Baton's: same machine, CPU, memory, CPUs
    and -icount."""
    arch = platforms.PLATFORMS[platform]["arch"]
    append = "console=%s quiet panic=-1" % ARCHES[arch]["console"]
    cmd = platforms.qemu_command(platform, initrd=initrd, append=append,
                                 extra=["-icount", "shift=0"] if icount else [])
    cmd[cmd.index("-kernel") + 1] = kernel
    return cmd
