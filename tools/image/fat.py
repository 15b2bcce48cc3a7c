"""A disk image with an MBR and one FAT32 boot partition, built without
root or loop devices: sfdisk writes the partition table into the file,
mkfs.vfat --offset formats the partition in place, mtools copies the files.
"""
import os

from common import require_tool, run, stage

SECTOR = 512
PART_START = 2048  # 1 MiB: the usual alignment, which SD cards' erase blocks like


def require_tools():
    require_tool("sfdisk", "fdisk")
    require_tool("mkfs.vfat", "dosfstools")
    require_tool("mcopy", "mtools")


def build(tmp_image, size_mib, files, volume_id, label, staging):
    """Writes a size_mib MiB image to tmp_image holding files ({name: path
    or bytes}, all in the root directory) in a bootable FAT32 partition
    (type 0x0c, FAT32 with LBA) from 1 MiB to the end. volume_id (32-bit)
    is both the MBR disk identifier and the FAT serial number."""
    sectors = size_mib * 1024 * 1024 // SECTOR
    part_sectors = sectors - PART_START
    with open(tmp_image, "wb") as f:
        f.truncate(sectors * SECTOR)
    # A fixed label-id: sfdisk would pick a random disk identifier.
    run(["sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", tmp_image],
        stdin="label: dos\nlabel-id: %#010x\nunit: sectors\n\nstart=%d, size=%d, type=c, bootable\n"
              % (volume_id, PART_START, part_sectors))
    # --invariant fixes the time stamps and identifiers mkfs.vfat would take
    # from the clock; -h records where the partition starts, as a FAT
    # partition's boot sector should. The size is in KiB.
    run(["mkfs.vfat", "-F", "32", "--offset", str(PART_START), "-h", str(PART_START), "--invariant",
         "-i", "%08x" % volume_id, "-n", label, tmp_image, str(part_sectors * SECTOR // 1024)])
    stage(staging, files)
    # -m keeps the staged (pinned) modification times; other stamps come
    # from SOURCE_DATE_EPOCH, which mtools honours (common.env).
    names = [os.path.join(staging, n) for n in sorted(files)]
    run(["mcopy", "-m", "-i", "%s@@%d" % (tmp_image, PART_START * SECTOR)] + names + ["::/"])
