#!/usr/bin/env python3
"""Files taken from Debian packages without installing them: `apt-get
download` into a scratch directory, unpacked with dpkg-deb, one file copied
into the cache (~/.cache/baton). Packages of another architecture (the Pi's
U-Boot, arm64 kernels) need that dpkg architecture enabled first, which
changes nothing installed.

    tools/debs.py rpi4-dtb      the Raspberry Pi 4 device tree
    tools/debs.py u-boot-rpi    U-Boot for the Raspberry Pi 4

Each prints the path of the file in the cache.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import platforms


class Missing(RuntimeError):
    """A package or a file in it is not to be had; the message names it."""


def _sudo():
    return [] if os.geteuid() == 0 else ["sudo"]


def host_arch():
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()


def qualified(pkg, deb_arch):
    """pkg, with :arch when it is not the host's architecture."""
    return pkg if deb_arch == host_arch() else "%s:%s" % (pkg, deb_arch)


def ensure_arch(deb_arch, say):
    """Makes packages of deb_arch known to apt (dpkg --add-architecture)."""
    if deb_arch == host_arch():
        return
    foreign = subprocess.run(["dpkg", "--print-foreign-architectures"], capture_output=True, text=True).stdout.split()
    if deb_arch not in foreign:
        say("enabling the %s package architecture (for apt-get download)" % deb_arch)
        subprocess.run(_sudo() + ["dpkg", "--add-architecture", deb_arch], check=True)
        subprocess.run(_sudo() + ["apt-get", "update", "-qq"], check=True)


def kernel_package(deb_arch, say):
    """The versioned image package Debian's linux-image-<arch> depends on."""
    ensure_arch(deb_arch, say)
    meta = qualified("linux-image-" + deb_arch, deb_arch)

    def depends():
        r = subprocess.run(["apt-cache", "depends", meta], capture_output=True, text=True)
        m = re.search(r"Depends: (linux-image-[0-9]\S*)", r.stdout)
        return m.group(1) if m else None

    pkg = depends()
    if not pkg:
        subprocess.run(_sudo() + ["apt-get", "update", "-qq"], check=False)
        pkg = depends()
    if not pkg:
        raise Missing("cannot find the kernel package %s depends on (apt-cache depends %s)" % (meta, meta))
    return pkg


def download(pkg, into):
    """apt-get download pkg into the directory `into`; returns the .deb."""
    r = subprocess.run(["apt-get", "download", pkg], cwd=into, capture_output=True, text=True)
    debs = [f for f in os.listdir(into) if f.endswith(".deb")]
    if r.returncode != 0 or not debs:
        raise Missing("apt-get download %s failed: %s" % (pkg, (r.stderr or r.stdout).strip()[-300:]))
    return os.path.join(into, debs[0])


def fetch_file(pkg, member, out, say, why):
    """Copies the file `member` (a glob within the package) of pkg to out,
    unless out exists already; returns out."""
    if os.path.exists(out):
        return out
    say("downloading %s (%s; unpacked, not installed)" % (pkg, why))
    with tempfile.TemporaryDirectory() as work:
        deb = download(pkg, work)
        tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", work, "--wildcards", "./" + member.lstrip("/")], stdin=tar.stdout,
                       stderr=subprocess.DEVNULL)
        tar.wait()
        found = [os.path.join(d, f) for d, _, files in os.walk(work) for f in files if not f.endswith(".deb")]
        if not found:
            raise Missing("%s holds no %s" % (pkg, member))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        shutil.copy(found[0], out + ".tmp")
        os.replace(out + ".tmp", out)
    return out


def fetch_rpi4_dtb(say):
    """The Raspberry Pi 4's device tree, from Debian's arm64 kernel package."""
    if os.path.exists(platforms.rpi4_dtb()):
        return platforms.rpi4_dtb()
    pkg = kernel_package("arm64", say)
    return fetch_file(pkg, "usr/lib/linux-image-*/broadcom/bcm2711-rpi-4-b.dtb", platforms.rpi4_dtb(), say,
                      "for the Raspberry Pi 4 device tree")


def fetch_u_boot_rpi(say):
    """U-Boot for the Pi 4 (rpi_4; rpi_arm64 would be for Pi 3 and 4), from
    Debian's u-boot-rpi, which is built for arm64 only."""
    if os.path.exists(platforms.rpi4_u_boot()):
        return platforms.rpi4_u_boot()
    ensure_arch("arm64", say)
    return fetch_file(qualified("u-boot-rpi", "arm64"), "usr/lib/u-boot/rpi_4/u-boot.bin", platforms.rpi4_u_boot(),
                      say, "U-Boot for the Raspberry Pi 4")


def main(argv):
    say = lambda m: print("debs: " + m, file=sys.stderr)  # noqa: E731
    what = {"rpi4-dtb": fetch_rpi4_dtb, "u-boot-rpi": fetch_u_boot_rpi}
    if len(argv) != 1 or argv[0] not in what:
        sys.exit(__doc__)
    try:
        print(what[argv[0]](say))
    except (Missing, subprocess.CalledProcessError) as e:
        sys.exit("debs: %s" % e)


if __name__ == "__main__":
    main(sys.argv[1:])
