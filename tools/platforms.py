"""Baton's platforms: how each is built and how QEMU boots it.

Shared by ./baton (run, test) and the QEMU test runner, so that a test
boots a platform exactly the way `./baton run` does.
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "baton")

PLATFORMS = {
    "qemu-virt-arm64": {
        "arch": "arm64",
        "cross": "configs/cross/aarch64.ini",
        "describe": "QEMU virt, Cortex-A72, GICv2 or GICv3, PL011",
    },
    "rpi4": {
        "arch": "arm64",
        "cross": "configs/cross/aarch64.ini",
        "describe": "Raspberry Pi 4 (BCM2711), QEMU raspi4b",
    },
    "pc-x86_64": {
        "arch": "x86_64",
        "cross": "configs/cross/x86_64.ini",
        "describe": "PC, QEMU q35, Multiboot2 (GRUB) or Multiboot1 (QEMU -kernel), 16550 COM1",
    },
}
DEFAULT_PLATFORM = "qemu-virt-arm64"


def build_dir(platform):
    return os.path.join(ROOT, "build", platform)


def kernel_image(platform):
    if PLATFORMS[platform]["arch"] == "arm64":
        return os.path.join(build_dir(platform), "arch_arm64", "kernel8.img")
    return os.path.join(build_dir(platform), "arch_x86_64", "kernel.elf")


def root_task(platform):
    return os.path.join(build_dir(platform), "userland", "roottask.elf")


def rpi4_dtb():
    return os.path.join(CACHE, "bcm2711-rpi-4-b.dtb")


def qemu_command(platform, append="", kvm=False, gic=2, el2=False, initrd=None, dtb=None,
                 memory="512M", smp=1, extra=()):
    """The QEMU command line that boots `platform` on a serial console
    (stdio). initrd/dtb override the defaults (used by bad-input tests);
    initrd=False boots without any module."""
    accel = ["-accel", "kvm", "-cpu", "host"] if kvm else ["-accel", "tcg"]
    if platform == "qemu-virt-arm64":
        machine = "virt,gic-version=%d%s" % (gic, ",virtualization=on" if el2 else "")
        cmd = ["qemu-system-aarch64", "-M", machine] + (accel if kvm else accel + ["-cpu", "cortex-a72"])
        cmd += ["-m", memory, "-smp", str(smp), "-nographic", "-no-reboot", "-kernel", kernel_image(platform)]
        if dtb:
            cmd += ["-dtb", dtb]
    elif platform == "rpi4":
        # raspi4b has a fixed 2 GiB board and four cores; U-Boot and the
        # firmware speak on the mini-UART, our console is the PL011 UART0,
        # which is the first -serial.
        cmd = ["qemu-system-aarch64", "-M", "raspi4b", "-kernel", kernel_image(platform),
               "-dtb", dtb or rpi4_dtb(), "-display", "none", "-serial", "stdio", "-serial", "null",
               "-monitor", "none", "-no-reboot"]
    elif platform == "pc-x86_64":
        cmd = ["qemu-system-x86_64", "-M", "q35"] + accel
        if not kvm:
            cmd += ["-cpu", "max"]
        cmd += ["-m", memory, "-smp", str(smp), "-display", "none", "-serial", "stdio", "-monitor", "none",
                "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", kernel_image(platform)]
        if initrd is not False:
            cmd += ["-initrd", initrd or root_task(platform)]
    else:
        raise KeyError(platform)
    if platform != "pc-x86_64" and initrd:
        cmd += ["-initrd", initrd]
    if append:
        cmd += ["-append", append]
    return cmd + list(extra)
