#!/usr/bin/env bash
# Fetches U-Boot for the Raspberry Pi 4 from Debian's arm64 u-boot-rpi
# package, without installing it, into the cache directory given as $1.
# Prints the path of the binary (u-boot-rpi4.bin).
set -euo pipefail
cache=${1:?usage: fetch-u-boot-rpi.sh CACHE_DIR}
bin="$cache/u-boot-rpi4.bin"
if [ -s "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$cache"

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
# u-boot-rpi is built for arm64 only: apt-get download needs that package
# architecture known (nothing of it is installed).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "fetch-u-boot-rpi: enabling the arm64 package architecture (for apt-get download)" >&2
  "${sudo_cmd[@]}" dpkg --add-architecture arm64
  "${sudo_cmd[@]}" apt-get update -qq
fi
if ! apt-cache show u-boot-rpi:arm64 >/dev/null 2>&1; then
  "${sudo_cmd[@]}" apt-get update -qq
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-u-boot-rpi: downloading u-boot-rpi:arm64 (U-Boot for the Raspberry Pi 4)" >&2
(cd "$work" && apt-get download u-boot-rpi:arm64 >/dev/null 2>&1) ||
  { echo "fetch-u-boot-rpi: apt-get download u-boot-rpi:arm64 failed" >&2; exit 1; }
deb=$(ls "$work"/u-boot-rpi_*.deb)
dpkg-deb -x "$deb" "$work/x"
# rpi_4 is the Pi 4 build (BCM2711, which QEMU's raspi4b models too);
# rpi_arm64 would be the one for both Pi 3 and Pi 4.
found="$work/x/usr/lib/u-boot/rpi_4/u-boot.bin"
[ -s "$found" ] || { echo "fetch-u-boot-rpi: usr/lib/u-boot/rpi_4/u-boot.bin is not in $(basename "$deb")" >&2; exit 1; }
cp "$found" "$bin.tmp" && mv "$bin.tmp" "$bin"
echo "$bin"
