"""Shared by the image builders: required tools, pinned time, staging.

Images are reproducible: every time stamp that ends up in one is
SOURCE_DATE_EPOCH (default: a fixed date), every identifier is fixed or
derived from the contents, and the tools run with TZ=UTC so that FAT's
local-time stamps do not depend on the machine.
"""
import os
import shutil
import subprocess

DEFAULT_EPOCH = 1704067200  # 2024-01-01 00:00:00 UTC


class Missing(Exception):
    """A tool or input file is missing; the message says where it comes from."""


def epoch():
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else DEFAULT_EPOCH


def env():
    e = dict(os.environ, TZ="UTC", SOURCE_DATE_EPOCH=str(epoch()), LC_ALL="C")
    e["MTOOLS_SKIP_CHECK"] = "1"  # mtools would refuse the odd geometry of a disk image
    return e


def require_tool(name, package):
    if shutil.which(name) is None and not os.access(os.path.join("/usr/sbin", name), os.X_OK):
        raise Missing("%s not found: install the Debian package %s (apt-get install %s)" % (name, package, package))


def require_file(path, origin):
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        raise Missing("%s is missing: %s" % (path, origin))


def run(cmd, stdin=None):
    """Runs a tool quietly; its output is shown only when it fails."""
    if not os.path.isabs(cmd[0]) and shutil.which(cmd[0]) is None and os.path.exists("/usr/sbin/" + cmd[0]):
        cmd = ["/usr/sbin/" + cmd[0]] + cmd[1:]  # sfdisk and mkfs.vfat live in sbin
    r = subprocess.run(cmd, input=stdin, env=env(), capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r.stdout


def stage(directory, files):
    """Copies files ({name in the image: source path, or the contents as
    bytes}) into directory, creating subdirectories, and pins every time
    stamp."""
    for name, src in sorted(files.items()):
        dst = os.path.join(directory, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if isinstance(src, bytes):
            with open(dst, "wb") as f:
                f.write(src)
        else:
            shutil.copyfile(src, dst)
        os.chmod(dst, 0o644)
    t = epoch()
    for top, dirs, names in os.walk(directory, topdown=False):
        for n in names + dirs:
            os.utime(os.path.join(top, n), (t, t))
    os.utime(directory, (t, t))


def replace(tmp, out):
    """Moves a finished image into place, so that a failed build never
    leaves a half-written image under the final name."""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    os.replace(tmp, out)


def check_cmdline(cmdline):
    """Kernel command lines end up inside U-Boot and GRUB scripts: allow
    only characters that need no quoting in either."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-=,:/+@%")
    bad = sorted(set(cmdline) - allowed)
    if bad:
        raise ValueError("the image command line may not contain %s" % " ".join(repr(c) for c in bad))
    return " ".join(cmdline.split())
