"""Disk images that boot Baton's arm64 kernel through U-Boot: the Raspberry
Pi 4 SD card and the QEMU virt disk.

U-Boot's default boot command (distro boot) scans the disks for a FAT
partition with /boot.scr and runs it; our script loads kernel8.img (the
kernel with its root task, an arm64 Linux Image) and starts it with booti,
passing the device tree U-Boot itself was given.
"""
import os

import common
import fat
from common import require_file, require_tool, run

IMAGE_MIB = 64  # QEMU wants a power-of-two SD card; 64 MiB holds FAT32's minimum cluster count

# The Pi firmware (start4.elf) reads config.txt: start kernel= in 64-bit
# mode (at EL2, at 0x80000), and enable_uart=1 gives the mini-UART on GPIO
# 14/15 a fixed clock, so U-Boot's console there keeps its baud rate.
CONFIG_TXT = """\
# Raspberry Pi 4 firmware settings for Baton: start U-Boot in 64-bit mode.
arm_64bit=1
kernel=u-boot.bin
enable_uart=1
"""

# U-Boot hush script. The partition is ${devtype} ${devnum}:${distro_bootpart}
# (mmc 0 under QEMU, mmc 1 on a Pi 4, virtio 0 on virt). ${fdt_addr} is the
# tree from the firmware (the Pi firmware, QEMU); U-Boot's own copy
# ${fdtcontroladdr} stands in where there is none.
SCRIPT_HEAD = """\
echo "boot.scr: loading Baton from ${devtype} ${devnum}:${distro_bootpart}"
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} kernel8.img
if test -z "${fdt_addr}"; then setenv fdt_addr ${fdtcontroladdr}; fi
"""

# Pi 4 only. The firmware connects GPIO 14/15 (header pins 8/10) to the
# mini-UART, where U-Boot talks; Baton's console is the PL011 UART0. Switch
# the pins to UART0 (ALT0 in GPFSEL1: bits 12-14 for GPIO 14, 15-17 for 15
# [BCM2711 peripherals 5.3]) and set it to 115200 8N1 from the 48 MHz UART
# clock the firmware programs: divisor 48e6 / (16 * 115200) = 26 + 3/64
# [PL011 TRM 3.3.6]; the line control write latches the divisor. U-Boot
# reads numbers as hex; its hush rejects an apostrophe even inside double
# quotes, so messages have none.
SCRIPT_RPI4_UART = """\
setexpr.l gpfsel1 *0xfe200004 \\& 0xfffc0fff
setexpr gpfsel1 ${gpfsel1} \\| 0x24000
echo "boot.scr: switching GPIO 14/15 to the PL011 UART0, the console of Baton"
mw.l 0xfe201030 0
mw.l 0xfe200004 ${gpfsel1}
mw.l 0xfe201024 0x1a
mw.l 0xfe201028 0x3
mw.l 0xfe20102c 0x70
mw.l 0xfe201030 0x301
"""

SCRIPT_TAIL = "booti ${kernel_addr_r} - ${fdt_addr}\n"

PLATFORMS = {
    # volume_id doubles as MBR disk identifier and FAT serial number.
    "rpi4": {"label": "BATON-RPI4", "volume_id": 0xBA704E14},
    "qemu-virt-arm64": {"label": "BATON-VIRT", "volume_id": 0xBA704E15},
}


def boot_script(platform, cmdline):
    text = "# Baton: U-Boot boot script for %s (made by tools/image/uboot.py).\n" % platform + SCRIPT_HEAD
    if cmdline:
        # booti writes bootargs into the tree's /chosen, where the kernel reads it.
        text += "setenv bootargs %s\n" % cmdline
    if platform == "rpi4":
        text += SCRIPT_RPI4_UART
    return text + SCRIPT_TAIL


def require_inputs(platform, kernel, platforms):
    fat.require_tools()
    require_tool("mkimage", "u-boot-tools")
    require_file(kernel, "build it with ./baton build %s" % platform)
    if platform == "rpi4":
        require_file(platforms.rpi4_u_boot(), "U-Boot for the Pi 4 from Debian's u-boot-rpi:arm64: "
                     "run tools/debs.py u-boot-rpi")
        require_file(platforms.rpi4_dtb(), "the Pi 4 device tree from Debian's linux-image-arm64: "
                     "run tools/debs.py rpi4-dtb")


def build(platform, out, workdir, platforms, cmdline=""):
    kernel = platforms.kernel_image(platform)
    require_inputs(platform, kernel, platforms)
    cmdline = common.check_cmdline(cmdline)
    cmd_file = os.path.join(workdir, "boot.cmd")
    scr_file = os.path.join(workdir, "boot.scr")
    with open(cmd_file, "w") as f:
        f.write(boot_script(platform, cmdline))
    # mkimage stamps the legacy header with SOURCE_DATE_EPOCH (common.env).
    run(["mkimage", "-A", "arm64", "-O", "linux", "-T", "script", "-C", "none", "-n", "Baton boot script",
         "-d", cmd_file, scr_file])
    files = {"kernel8.img": kernel, "boot.scr": scr_file}
    if platform == "rpi4":
        files.update({"u-boot.bin": platforms.rpi4_u_boot(), "bcm2711-rpi-4-b.dtb": platforms.rpi4_dtb(),
                      "config.txt": CONFIG_TXT.encode()})
    p = PLATFORMS[platform]
    tmp = out + ".tmp"
    fat.build(tmp, IMAGE_MIB, files, p["volume_id"], p["label"], os.path.join(workdir, "fat"))
    common.replace(tmp, out)
