#!/usr/bin/env bash
# Fetches the Raspberry Pi 4 device tree (bcm2711-rpi-4-b.dtb) from Debian's
# arm64 kernel package, without installing it, into the cache directory
# given as $1. Prints the path of the .dtb.
set -euo pipefail
cache=${1:?usage: fetch-rpi4-dtb.sh CACHE_DIR}
dtb="$cache/bcm2711-rpi-4-b.dtb"
if [ -s "$dtb" ]; then echo "$dtb"; exit 0; fi
mkdir -p "$cache"

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "fetch-rpi4-dtb: enabling the arm64 package architecture (for apt-get download)" >&2
  "${sudo_cmd[@]}" dpkg --add-architecture arm64
  "${sudo_cmd[@]}" apt-get update -qq
fi
# linux-image-arm64 depends on the versioned image package that holds the trees.
pkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -n1)
if [ -z "$pkg" ]; then
  "${sudo_cmd[@]}" apt-get update -qq
  pkg=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -n1)
fi
[ -n "$pkg" ] || { echo "fetch-rpi4-dtb: cannot find Debian's linux-image-arm64 package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-rpi4-dtb: downloading ${pkg%:arm64} (for the Raspberry Pi 4 device tree)" >&2
(cd "$work" && apt-get download "$pkg" >/dev/null 2>&1) || { echo "fetch-rpi4-dtb: apt-get download $pkg failed" >&2; exit 1; }
dpkg-deb --fsys-tarfile "$work"/linux-image-*.deb | tar -x -C "$work" --wildcards '*/broadcom/bcm2711-rpi-4-b.dtb'
found=$(find "$work" -name bcm2711-rpi-4-b.dtb | head -n1)
[ -n "$found" ] || { echo "fetch-rpi4-dtb: bcm2711-rpi-4-b.dtb is not in $pkg" >&2; exit 1; }
cp "$found" "$dtb"
echo "$dtb"
