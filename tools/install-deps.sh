#!/usr/bin/env bash
# Installs everything Baton's build, tests and QEMU runs need on Debian 12.
# Idempotent: does nothing when every package is already present.
set -euo pipefail

PACKAGES=(
  meson ninja-build pkg-config
  g++ g++-aarch64-linux-gnu binutils-aarch64-linux-gnu
  python3 python3-jinja2
  device-tree-compiler doctest-dev
  # Boot media (./baton image): U-Boot for QEMU virt, mkimage, FAT and MBR
  # without root, GRUB for BIOS and UEFI, ISO 9660, UEFI firmware for QEMU.
  u-boot-qemu u-boot-tools dosfstools mtools fdisk
  grub-common grub-pc-bin grub-efi-amd64-bin xorriso ovmf
)
# ./baton bench --compare-linux: a static busybox for the Linux initramfs.
# busybox-static replaces Debian's dynamic busybox, so it is not forced onto
# a machine that has that one: the bench then unpacks busybox-static from
# `apt-get download` instead, as it always does for the other architecture.
# The static C libraries of the ping-pong program come with g++ (libc6-dev)
# and g++-aarch64-linux-gnu (libc6-dev-arm64-cross).
if ! dpkg-query -W -f='${Status}' busybox 2>/dev/null | grep -q "install ok installed"; then
  PACKAGES+=(busybox-static)
fi
BACKPORT_PACKAGES=(qemu-system-arm qemu-system-x86 qemu-system-data)
QEMU_MIN_MAJOR=10

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "install-deps: not root and no sudo; install as root: ${PACKAGES[*]} ${BACKPORT_PACKAGES[*]} (bookworm-backports)" >&2
    exit 1
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
qemu_ok=1
for q in qemu-system-aarch64 qemu-system-x86_64; do
  if ! command -v "$q" >/dev/null 2>&1; then qemu_ok=0; continue; fi
  major=$("$q" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -n1)
  [ "${major:-0}" -ge "$QEMU_MIN_MAJOR" ] || qemu_ok=0
done

if [ ${#missing[@]} -eq 0 ] && [ $qemu_ok -eq 1 ]; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
if ! grep -rqs "${codename}-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "install-deps: adding ${codename}-backports (QEMU ${QEMU_MIN_MAJOR} with raspi4b)"
  echo "deb http://deb.debian.org/debian ${codename}-backports main" |
    "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/baton-backports.list >/dev/null
fi
echo "install-deps: apt-get update"
"${sudo_cmd[@]}" apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ $qemu_ok -eq 0 ]; then
  echo "install-deps: installing QEMU from ${codename}-backports"
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends -t "${codename}-backports" "${BACKPORT_PACKAGES[@]}"
fi
