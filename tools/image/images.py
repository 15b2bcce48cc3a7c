#!/usr/bin/env python3
"""Builds Baton's boot media: `images.py PLATFORM OUT [--append ARGS]`.

  rpi4             SD-card image: MBR, FAT32 with the Pi firmware's
                   config.txt, U-Boot, the board tree, boot.scr, kernel8.img
  qemu-virt-arm64  disk image for QEMU virt's U-Boot (-bios): boot.scr, kernel8.img
  pc-x86_64        hybrid ISO: GRUB for BIOS and UEFI, Multiboot2

Used by `./baton image` and `./baton test`; the platform must be built.
"""
import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import common  # noqa: E402
import iso  # noqa: E402
import platforms  # noqa: E402
import uboot  # noqa: E402

Missing = common.Missing


def build(platform, out, cmdline=""):
    """Writes the image of platform to out. Raises Missing (naming the
    Debian package or the command that provides what is missing),
    ValueError (bad command line) or RuntimeError (a tool failed)."""
    if platform not in platforms.IMAGES:
        raise ValueError("no boot image for %s; one of: %s" % (platform, ", ".join(platforms.IMAGES)))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="baton-image-") as work:
            if platform == "pc-x86_64":
                iso.build(out, work, platforms, cmdline)
            else:
                uboot.build(platform, out, work, platforms, cmdline)
    finally:
        # The builders write out + ".tmp" and rename it when complete.
        if os.path.exists(out + ".tmp"):
            os.remove(out + ".tmp")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("platform", choices=list(platforms.IMAGES))
    p.add_argument("out")
    p.add_argument("--append", default="", help="kernel command line")
    a = p.parse_args()
    try:
        build(a.platform, a.out, a.append)
    except (Missing, ValueError, RuntimeError) as e:
        sys.exit("images: error: %s" % e)


if __name__ == "__main__":
    main()
