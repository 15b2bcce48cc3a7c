#!/usr/bin/env python3
"""Checks the boot media of tools/image without booting them: partition
tables, file systems and their files, boot.scr's header, the ISO's El
Torito entries, reproducibility, and the refusals when something is
missing. Prints one line per check and `images: N passed, M failed`.
The platforms must be built (./baton build all)."""
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "image"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import common  # noqa: E402
import images  # noqa: E402
import platforms  # noqa: E402

MIB = 1024 * 1024
results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("images %s %s%s" % ("ok  " if ok else "FAIL", name, "" if ok or not detail else ": " + detail), flush=True)


def tool(*cmd):
    """Runs an inspection tool; returns its output, or None if it failed."""
    r = subprocess.run(list(cmd), env=common.env(), capture_output=True)
    return r.stdout if r.returncode == 0 else None


def read(path, offset=0, size=-1):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(size)


def file_bytes(path):
    return read(path) if os.path.isfile(path) else None


# ---- MBR disk images with a FAT32 partition (rpi4, qemu-virt-arm64) -----------
def check_mbr(name, img):
    mbr = read(img, 0, 512)
    size = os.path.getsize(img)
    entries = [mbr[446 + 16 * i:462 + 16 * i] for i in range(4)]
    boot, ptype = entries[0][0], entries[0][4]
    start, count = struct.unpack_from("<II", entries[0], 8)
    check(name + ": MBR signature 0x55aa", mbr[510:] == b"\x55\xaa", mbr[510:].hex())
    check(name + ": one partition, bootable, type 0x0c (FAT32 LBA)",
          boot == 0x80 and ptype == 0x0c and all(e == bytes(16) for e in entries[1:]),
          "flag %#x type %#x" % (boot, ptype))
    check(name + ": partition from 1 MiB to the end of the image", start == 2048 and start + count == size // 512,
          "start %d, %d sectors, image %d sectors" % (start, count, size // 512))
    vbr = read(img, MIB, 512)
    hidden, total = struct.unpack_from("<II", vbr, 0x1c)
    check(name + ": FAT32 boot sector at 1 MiB (hidden sectors 2048, size of the partition)",
          vbr[0x52:0x5a] == b"FAT32   " and vbr[510:] == b"\x55\xaa" and hidden == 2048 and total == count,
          "type %r hidden %d total %d" % (vbr[0x52:0x5a], hidden, total))


def check_fat_files(name, img, expected, work):
    """expected: {file name: source path, bytes, or None (contents checked
    elsewhere)}; the FAT must hold exactly these, with these contents,
    stamped with the pinned time."""
    fs = "%s@@%d" % (img, MIB)
    listing = tool("mdir", "-b", "-i", fs, "::/")
    names = sorted(os.path.basename(l) for l in (listing or b"").decode().split())
    check(name + ": FAT holds " + ", ".join(sorted(expected)), names == sorted(expected), "found %s" % names)
    for n, src in sorted(expected.items()):
        if src is None:
            continue
        want = src if isinstance(src, bytes) else file_bytes(src)
        if n.endswith(".txt"):
            got = tool("mtype", "-i", fs, "::/" + n)
        else:
            got = fat_file(img, n, work)
        check(name + ": %s matches its source" % n, got is not None and got == want,
              "missing" if got is None else "%d bytes, want %s" % (len(got), len(want) if want else "no source"))
    stamp = time.strftime("%Y-%m-%d", time.gmtime(common.epoch()))
    dates = (tool("mdir", "-i", fs, "::/") or b"").decode()
    check(name + ": FAT time stamps pinned to %s" % stamp, dates.count(stamp) == len(expected), dates.strip())


def fat_file(img, n, work):
    out = os.path.join(work, n)
    if os.path.exists(out):
        os.remove(out)
    return file_bytes(out) if tool("mcopy", "-n", "-i", "%s@@%d" % (img, MIB), "::/" + n, out) is not None else None


def check_boot_scr(name, img, work, platform):
    data = fat_file(img, "boot.scr", work) or b""
    if len(data) < 64:
        check(name + ": boot.scr has a legacy image header", False, "%d bytes" % len(data))
        return
    magic, hcrc, stamp, size, _load, _ep, dcrc, os_, arch, kind, comp = struct.unpack_from(">7I4B", data)
    header = data[:4] + b"\0\0\0\0" + data[8:64]
    check(name + ": boot.scr header: magic 0x27051956, header CRC valid",
          magic == 0x27051956 and zlib.crc32(header) == hcrc, "magic %#x" % magic)
    check(name + ": boot.scr header: script (type 6), Linux, arm64, uncompressed",
          (kind, os_, arch, comp) == (6, 5, 22, 0), "type %d os %d arch %d comp %d" % (kind, os_, arch, comp))
    payload = data[64:64 + size]
    check(name + ": boot.scr data CRC valid", len(payload) == size and zlib.crc32(payload) == dcrc)
    check(name + ": boot.scr time stamp pinned", stamp == common.epoch(), "%d" % stamp)
    # A script image is a multi-file image: big-endian lengths up to a 0, then the text.
    length = struct.unpack_from(">I", payload)[0] if len(payload) >= 8 else 0
    text = payload[8:8 + length].decode("ascii", "replace")
    wants = ["load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} kernel8.img",
             "booti ${kernel_addr_r} - ${fdt_addr}"] + (["mw.l 0xfe200004 ${gpfsel1}"] if platform == "rpi4" else [])
    missing = [w for w in wants if w not in text]
    check(name + ": boot.scr loads kernel8.img and boots it with booti", not missing, "lacks %s" % missing)


def check_uboot_image(platform, img, work):
    check_mbr(platform, img)
    expected = {"kernel8.img": platforms.kernel_image(platform), "boot.scr": None}
    if platform == "rpi4":
        config = images.uboot.CONFIG_TXT
        expected.update({"u-boot.bin": platforms.rpi4_u_boot(), "bcm2711-rpi-4-b.dtb": platforms.rpi4_dtb(),
                         "config.txt": config.encode()})
        lines = (tool("mtype", "-i", "%s@@%d" % (img, MIB), "::/config.txt") or b"").decode().split("\n")
        check(platform + ": config.txt: arm_64bit=1, kernel=u-boot.bin, enable_uart=1",
              all(k in lines for k in ["arm_64bit=1", "kernel=u-boot.bin", "enable_uart=1"]), "%s" % lines)
    check_fat_files(platform, img, expected, work)
    check_boot_scr(platform, img, work, platform)


# ---- the PC ISO ------------------------------------------------------------------
ESP_GUID = "28732ac11ff8d211ba4b00a0c93ec93b"  # EFI system partition, as xorriso prints it (on-disk order)


def iso_extract(iso, path, work):
    out = os.path.join(work, os.path.basename(path))
    if os.path.exists(out):
        os.remove(out)
    ok = tool("xorriso", "-osirrox", "on", "-indev", iso, "-extract", path, out) is not None
    return file_bytes(out) if ok else None


def check_iso(iso, work):
    name = "pc-x86_64"
    report = (tool("xorriso", "-indev", iso, "-report_el_torito", "plain", "-report_system_area", "plain") or b"")
    lines = [" ".join(l.split()) for l in report.decode().splitlines()]
    check(name + ": El Torito BIOS entry, no emulation, GRUB's eltorito.img",
          any(l.startswith("El Torito boot img : 1 BIOS y none") for l in lines) and
          "El Torito img path : 1 /boot/grub/i386-pc/eltorito.img" in lines, "\n".join(lines[:20]))
    check(name + ": El Torito UEFI entry, no emulation, efi.img",
          any(l.startswith("El Torito boot img : 2 UEFI y none") for l in lines) and
          "El Torito img path : 2 /boot/grub/efi.img" in lines)
    mbr = read(iso, 0, 512)
    check(name + ": hybrid MBR (GRUB boot code, protective partition) for USB sticks",
          mbr[510:] == b"\x55\xaa" and mbr[:440] != bytes(440) and mbr[446 + 4] == 0xee, mbr[446:462].hex())
    check(name + ": GPT with the EFI system partition (efi.img) for USB sticks on UEFI",
          "GPT type GUID : 2 " + ESP_GUID in lines and "GPT partition path : 2 /boot/grub/efi.img" in lines)
    for path, src in [("/boot/kernel.elf", platforms.kernel_image(name)), ("/boot/roottask.elf", platforms.root_task(name))]:
        got = iso_extract(iso, path, work)
        check(name + ": %s matches its source" % path, got is not None and got == file_bytes(src),
              "missing" if got is None else "%d bytes" % len(got))
    cfg = (iso_extract(iso, "/boot/grub/grub.cfg", work) or b"").decode()
    check(name + ": grub.cfg: Multiboot2 kernel, root task as the first module",
          "multiboot2 /boot/kernel.elf" in cfg and "module2 /boot/roottask.elf" in cfg and
          cfg.index("multiboot2") < cfg.index("module2"), cfg)
    efi = iso_extract(iso, "/boot/grub/efi.img", work)
    efi_path = os.path.join(work, "efi.img")
    listing = tool("mdir", "-b", "-/", "-i", efi_path, "::/") if efi else None
    check(name + ": efi.img holds /EFI/BOOT/BOOTX64.EFI",
          listing is not None and b"::/EFI/BOOT/BOOTX64.EFI" in listing.upper(), (listing or b"").decode())
    stamp = time.strftime("%Y-%m-%d", time.gmtime(common.epoch()))
    dates = (tool("xorriso", "-indev", iso, "-lsdl", "/boot/kernel.elf") or b"").decode()
    t = time.gmtime(common.epoch())
    iso_date = "%s %d %d" % (time.strftime("%b", t), t.tm_mday, t.tm_year)  # as -lsdl prints it
    check(name + ": ISO file dates pinned to %s" % stamp, iso_date in " ".join(dates.split()), dates)


# ---- refusals -----------------------------------------------------------------------
def check_refusals(work):
    """The builders name the Debian package of whatever is missing."""
    script = os.path.join(ROOT, "tools", "image", "images.py")
    empty = os.path.join(work, "empty")
    os.makedirs(empty, exist_ok=True)
    cases = [
        ("without mtools on PATH", "rpi4", dict(PATH=empty), "mtools"),
        ("without grub-mkimage on PATH", "pc-x86_64", dict(PATH=empty), "grub-common"),
        ("without U-Boot for the Pi in the cache", "rpi4", dict(XDG_CACHE_HOME=empty), "u-boot-rpi"),
    ]
    for what, platform, env_over, package in cases:
        out = os.path.join(work, "refused.img")
        r = subprocess.run([sys.executable, script, platform, out], env=dict(os.environ, **env_over),
                           capture_output=True, text=True)
        check("%s: refuses %s, naming %s" % (platform, what, package),
              r.returncode != 0 and package in r.stderr and not os.path.exists(out), r.stderr.strip())


# ---- main ------------------------------------------------------------------------
def build_all(directory, tz):
    os.environ["TZ"] = tz  # the builders must not depend on it
    out = {}
    for platform in platforms.IMAGES:
        path = os.path.join(directory, platforms.IMAGES[platform]["file"])
        try:
            images.build(platform, path)
            out[platform] = path
        except (images.Missing, ValueError, RuntimeError) as e:
            check("%s: image builds" % platform, False, str(e))
    return out


def main():
    with tempfile.TemporaryDirectory(prefix="baton-image-test-") as work:
        first_dir, second_dir = os.path.join(work, "a"), os.path.join(work, "b")
        started = time.time()
        first = build_all(first_dir, "UTC")
        for platform, img in sorted(first.items()):
            if platform == "pc-x86_64":
                check_iso(img, work)
            else:
                check_uboot_image(platform, img, work)
        # Reproducible: a second build, at least 2 s later (FAT's time
        # resolution) and in another time zone, gives the same bytes.
        time.sleep(max(0.0, started + 2.1 - time.time()))
        second = build_all(second_dir, "Pacific/Auckland")
        for platform in sorted(first):
            same = platform in second and file_bytes(first[platform]) == file_bytes(second[platform])
            check("%s: reproducible (built twice, same bytes)" % platform, same)
        check_refusals(work)
    passed = sum(results)
    print("images: %d passed, %d failed" % (passed, len(results) - passed), flush=True)
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
