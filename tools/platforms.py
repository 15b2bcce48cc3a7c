"""Baton's platforms: how each is built and how QEMU boots it.

Shared by ./baton (run, test) and the QEMU test runner, so that a test
boots a platform exactly the way `./baton run` does.
"""
import os
import signal

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


# Build variants: a platform built with other options, in a build directory
# of its own, for tests that compare the two.
VARIANTS = {
    # Every IPC through the slow path, with the kernel checking at run time
    # that every CPU takes its locks in their global order.
    "slowpath": ["-Dfastpath=false", "-Dlock_order_check=true"],
    # One kernel lock for everything: the multicore benchmarks' baseline.
    "biglock": ["-Dkernel_lock=big"],
    # A uniprocessor kernel: the boot CPU only, no kernel locks.
    "up": ["-Dsmp=false"],
}


def build_dir(platform, variant=""):
    return os.path.join(ROOT, "build", platform + ("-" + variant if variant else ""))


def kernel_image(platform, variant=""):
    if PLATFORMS[platform]["arch"] == "arm64":
        return os.path.join(build_dir(platform, variant), "arch_arm64", "kernel8.img")
    return os.path.join(build_dir(platform, variant), "arch_x86_64", "kernel.elf")


def root_task(platform, variant=""):
    return os.path.join(build_dir(platform, variant), "userland", "roottask.elf")


def rpi4_dtb():
    return os.path.join(CACHE, "bcm2711-rpi-4-b.dtb")


# Firmware and boot loaders of the boot chains (see tools/install-deps.sh).
def rpi4_u_boot():
    return os.path.join(CACHE, "u-boot-rpi4.bin")  # Debian's u-boot-rpi:arm64, tools/debs.py


VIRT_U_BOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"  # Debian's u-boot-qemu
OVMF = "/usr/share/ovmf/OVMF.fd"                       # Debian's ovmf

# What `./baton image` writes, and how `./baton run --boot` boots it.
IMAGES = {
    "rpi4": {"file": "baton-rpi4-sd.img", "boot": "uboot"},
    "qemu-virt-arm64": {"file": "baton-qemu-virt-arm64.img", "boot": "uboot"},
    "pc-x86_64": {"file": "baton-pc-x86_64.iso", "boot": "grub"},
}


def image_file(platform):
    return os.path.join(ROOT, "build", "images", IMAGES[platform]["file"])


def stop_qemu(proc):
    """Ends a QEMU started in a session of its own (start_new_session=True),
    with whatever it started, and reaps it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


def qemu_command(platform, append="", kvm=False, gic=2, el2=False, initrd=None, dtb=None,
                 memory="512M", smp=1, extra=(), boot="direct", image=None, uefi=False, usb=False, com=1,
                 variant=""):
    """The QEMU command line that boots `platform` on a serial console
    (stdio). initrd/dtb override the defaults (used by bad-input tests);
    initrd=False boots without any module. boot="uboot"/"grub" boots the
    disk image `image` (default: image_file(platform)) through the boot
    loader, as on real hardware; for the PC, uefi picks OVMF over SeaBIOS
    and usb attaches the image as a USB stick instead of a CD. com: the PC's
    COM port on stdio (1 or 2; 0: no serial port at all). variant: a build
    variant (VARIANTS) instead of the default build."""
    if boot != "direct":
        return _image_boot_command(platform, boot, image or image_file(platform), kvm=kvm, gic=gic, el2=el2,
                                   memory=memory, smp=smp, uefi=uefi, usb=usb, com=com, append=append) + list(extra)
    accel = ["-accel", "kvm", "-cpu", "host"] if kvm else ["-accel", "tcg"]
    if platform == "qemu-virt-arm64":
        machine = "virt,gic-version=%d%s" % (gic, ",virtualization=on" if el2 else "")
        cmd = ["qemu-system-aarch64", "-M", machine] + (accel if kvm else accel + ["-cpu", "cortex-a72"])
        cmd += ["-m", memory, "-smp", str(smp), "-nographic", "-no-reboot", "-kernel", kernel_image(platform, variant)]
        if dtb:
            cmd += ["-dtb", dtb]
    elif platform == "rpi4":
        # raspi4b has a fixed 2 GiB board and four cores; U-Boot and the
        # firmware speak on the mini-UART, our console is the PL011 UART0,
        # which is the first -serial.
        cmd = ["qemu-system-aarch64", "-M", "raspi4b", "-kernel", kernel_image(platform, variant),
               "-dtb", dtb or rpi4_dtb(), "-display", "none", "-serial", "stdio", "-serial", "null",
               "-monitor", "none", "-no-reboot"]
    elif platform == "pc-x86_64":
        cmd = ["qemu-system-x86_64", "-M", "q35"] + accel
        if not kvm:
            cmd += ["-cpu", "max"]
        cmd += ["-m", memory, "-smp", str(smp), "-display", "none"] + _pc_serial(com) + ["-monitor", "none",
                "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", kernel_image(platform, variant)]
        if initrd is not False:
            cmd += ["-initrd", initrd or root_task(platform, variant)]
    else:
        raise KeyError(platform)
    if platform != "pc-x86_64" and initrd:
        cmd += ["-initrd", initrd]
    if append:
        cmd += ["-append", append]
    return cmd + list(extra)


def _pc_serial(com):
    """stdio as COM1 or COM2 (with no COM1), or no serial port (com=0)."""
    if com == 1:
        return ["-serial", "stdio"]
    if com == 2:
        return ["-serial", "none", "-chardev", "stdio,id=com2", "-device", "isa-serial,chardev=com2,index=1"]
    if com == 0:
        return ["-serial", "none"]
    raise ValueError("com must be 0, 1 or 2")


def _image_boot_command(platform, boot, image, kvm, gic, el2, memory, smp, uefi, usb, com, append):
    """QEMU booting an image of tools/image through its boot loader. The
    image is opened with snapshot=on (or as a CD), so a run never changes it;
    the command line is part of the image (./baton image --append)."""
    if boot != IMAGES[platform]["boot"]:
        raise ValueError("%s boots through %s, not %s" % (platform, IMAGES[platform]["boot"], boot))
    if append:
        raise ValueError("the command line of an image boot is part of the image (./baton image --append)")
    accel = ["-accel", "kvm", "-cpu", "host"] if kvm else ["-accel", "tcg"]
    if platform == "rpi4":
        # The firmware's part (loading U-Boot and the board tree) is QEMU's
        # -kernel/-dtb. U-Boot moves its console to the mini-UART, the second
        # -serial; Baton's is the PL011, the first: both go to stdio.
        return ["qemu-system-aarch64", "-M", "raspi4b", "-kernel", rpi4_u_boot(), "-dtb", rpi4_dtb(),
                "-display", "none", "-chardev", "stdio,id=console,mux=on", "-serial", "chardev:console",
                "-serial", "chardev:console", "-monitor", "none", "-no-reboot",
                "-drive", "if=sd,format=raw,file=%s,snapshot=on" % image]
    if platform == "qemu-virt-arm64":
        machine = "virt,gic-version=%d%s" % (gic, ",virtualization=on" if el2 else "")
        return (["qemu-system-aarch64", "-M", machine] + (accel if kvm else accel + ["-cpu", "cortex-a72"]) +
                ["-m", memory, "-smp", str(smp), "-nographic", "-no-reboot", "-bios", VIRT_U_BOOT, "-nic", "none",
                 "-drive", "if=none,id=disk,format=raw,file=%s,snapshot=on" % image,
                 "-device", "virtio-blk-device,drive=disk"])
    if platform == "pc-x86_64":
        cmd = ["qemu-system-x86_64", "-M", "q35"] + accel + ([] if kvm else ["-cpu", "max"])
        cmd += ["-m", memory, "-smp", str(smp), "-display", "none"] + _pc_serial(com) + [
                "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        cmd += ["-bios", OVMF] if uefi else []
        if usb:  # the hybrid ISO as a disk: GRUB's MBR (BIOS) or the GPT's EFI partition (UEFI)
            return cmd + ["-drive", "if=none,id=stick,format=raw,file=%s,snapshot=on" % image,
                          "-device", "qemu-xhci", "-device", "usb-storage,drive=stick"]
        return cmd + ["-cdrom", image]
    raise KeyError(platform)
