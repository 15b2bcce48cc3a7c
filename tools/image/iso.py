"""The PC image: a hybrid ISO (CD, or raw USB stick) that boots Baton
through GRUB's Multiboot2 on BIOS and on UEFI.

This does what grub-mkrescue does, with the parts it leaves to chance
fixed: grub-mkrescue names the volume after the current time and formats
its EFI image with a random serial, so two runs never give the same bytes.

  BIOS: El Torito no-emulation image boot/grub/i386-pc/eltorito.img (GRUB's
        cdboot + core), and GRUB's hybrid MBR boot code for USB sticks.
  UEFI: El Torito EFI image efi.img, a FAT file system with
        /EFI/BOOT/BOOTX64.EFI; also a GPT partition for USB sticks.
Both GRUB cores carry the modules they need, find the ISO by its volume
UUID and read /boot/grub/grub.cfg, which loads the kernel with Multiboot2
and the root task as the first module.
"""
import hashlib
import os
import time

import common
from common import require_file, require_tool, run

GRUB_BIOS = "/usr/lib/grub/i386-pc"
GRUB_EFI = "/usr/lib/grub/x86_64-efi"
MODULES = ["normal", "configfile", "echo", "test", "search", "search_fs_uuid", "iso9660", "part_msdos",
           "part_gpt", "fat", "serial", "terminal", "multiboot2"]
BIOS_MODULES = MODULES + ["biosdisk"]
# efi_gop: without a video driver GRUB's Multiboot2 loader reports "no
# suitable video mode" under UEFI.
EFI_MODULES = MODULES + ["efi_gop"]
EFI_SERIAL = 0xBA704E16  # FAT serial number of efi.img

# COM1 and the screen: a PC without COM1 still shows GRUB (the serial
# commands fail and it goes on). The kernel finds its own console.
GRUB_CFG = """\
# Baton: GRUB configuration for the PC image (made by tools/image/iso.py).
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial console
terminal_output serial console
set timeout=0
menuentry "Baton" {
    echo "grub: loading Baton"
    multiboot2 /boot/kernel.elf%(cmdline)s
    module2 /boot/roottask.elf roottask
    boot
}
"""


def require_inputs(kernel, root_task):
    require_tool("grub-mkimage", "grub-common")
    require_file(os.path.join(GRUB_BIOS, "cdboot.img"), "GRUB for BIOS: install the Debian package grub-pc-bin")
    require_file(os.path.join(GRUB_BIOS, "boot_hybrid.img"), "GRUB for BIOS: install the Debian package grub-pc-bin")
    require_file(os.path.join(GRUB_EFI, "kernel.img"), "GRUB for UEFI: install the Debian package grub-efi-amd64-bin")
    require_tool("mformat", "mtools")
    require_tool("xorriso", "xorriso")
    require_file(kernel, "build it with ./baton build pc-x86_64")
    require_file(root_task, "build it with ./baton build pc-x86_64")


def volume_date(contents):
    """The ISO's volume date, which GRUB reads as the file system's UUID
    (YYYY-MM-DD-hh-mm-ss-cc). It is derived from the contents, so that two
    different Baton media in one machine do not share a UUID, and is the
    same for the same contents."""
    offset = int.from_bytes(hashlib.sha256(contents).digest()[:4], "big") % (366 * 86400)
    t = time.gmtime(common.epoch() + offset)
    return time.strftime("%Y%m%d%H%M%S00", t), time.strftime("%Y-%m-%d-%H-%M-%S-00", t)


def build(out, workdir, platforms, cmdline=""):
    kernel, root_task = platforms.kernel_image("pc-x86_64"), platforms.root_task("pc-x86_64")
    require_inputs(kernel, root_task)
    cmdline = common.check_cmdline(cmdline)
    grub_cfg = (GRUB_CFG % {"cmdline": " " + cmdline if cmdline else ""}).encode()
    with open(kernel, "rb") as k, open(root_task, "rb") as r:
        date, uuid = volume_date(k.read() + r.read() + grub_cfg)

    # The cores' embedded configuration: find the ISO (CD drive or USB
    # stick) and read its grub.cfg.
    load_cfg = os.path.join(workdir, "load.cfg")
    with open(load_cfg, "w") as f:
        f.write("search --no-floppy --fs-uuid --set=root %s\nset prefix=($root)/boot/grub\n" % uuid)
    bios_core = os.path.join(workdir, "eltorito.img")
    efi_app = os.path.join(workdir, "BOOTX64.EFI")
    run(["grub-mkimage", "-O", "i386-pc-eltorito", "-d", GRUB_BIOS, "-p", "/boot/grub", "-c", load_cfg,
         "-o", bios_core] + BIOS_MODULES)
    run(["grub-mkimage", "-O", "x86_64-efi", "-d", GRUB_EFI, "-p", "/boot/grub", "-c", load_cfg,
         "-o", efi_app] + EFI_MODULES)

    # efi.img: FAT with a fixed serial number; mcopy -m keeps the staged
    # tree's pinned times, and mtools takes the rest from SOURCE_DATE_EPOCH.
    efi_tree = os.path.join(workdir, "efi")
    common.stage(efi_tree, {"EFI/BOOT/BOOTX64.EFI": efi_app})
    efi_img = os.path.join(workdir, "efi.img")
    kib = (os.path.getsize(efi_app) // 1024 + 128 + 31) // 32 * 32
    run(["mformat", "-i", efi_img, "-C", "-T", str(kib * 2), "-h", "2", "-s", "32", "-N", "%08x" % EFI_SERIAL,
         "::"])
    run(["mcopy", "-s", "-m", "-i", efi_img, os.path.join(efi_tree, "EFI"), "::/"])

    tree = os.path.join(workdir, "iso")
    common.stage(tree, {"boot/kernel.elf": kernel, "boot/roottask.elf": root_task, "boot/grub/grub.cfg": grub_cfg,
                        "boot/grub/i386-pc/eltorito.img": bios_core, "boot/grub/efi.img": efi_img})
    tmp = out + ".tmp"
    # Options as grub-mkrescue passes them, plus pinned file dates, the
    # volume date, a GPT disk GUID derived from it, and the volume name.
    file_date = time.strftime("%Y%m%d%H%M%S00", time.gmtime(common.epoch()))
    run(["xorriso", "-as", "mkisofs", "-quiet", "-graft-points", "-r", "-V", "BATON",
         "--modification-date=" + date, "--set_all_file_dates", file_date, "--gpt_disk_guid", "modification-date",
         "-b", "boot/grub/i386-pc/eltorito.img", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
         "--grub2-boot-info", "--grub2-mbr", os.path.join(GRUB_BIOS, "boot_hybrid.img"),
         "--efi-boot", "boot/grub/efi.img", "-efi-boot-part", "--efi-boot-image", "--protective-msdos-label",
         "-o", tmp, tree])
    common.replace(tmp, out)
