#!/bin/sh
# An arm64 Debian 12 (Raspberry Pi OS's base) with Python 3.11 and PySide6-Essentials
# 6.8.0.2's aarch64 wheels, run on an x86-64 machine under qemu-aarch64 user emulation,
# and a guest-instruction counter for it. Run as root; takes about 10 minutes.
#
#   sh bench/arm64/setup.sh [DIR]        (DIR: default /tmp/kiosk-arm64)
#   .venv/bin/python bench/arm64/count.py [DIR]
#
# It registers qemu-aarch64 with binfmt_misc (until reboot) so the arm64 root can run
# its own programs (debootstrap's second stage; the kiosk's read-aloud child).
set -eu
A=$(realpath -m "${1:-/tmp/kiosk-arm64}")
HERE=$(dirname "$(realpath "$0")")
PROJECT=$(dirname "$(dirname "$HERE")")
MIRROR=${MIRROR:-http://deb.debian.org/debian}
mkdir -p "$A"

apt-get install -y --no-install-recommends qemu-user qemu-user-static debootstrap \
    libglib2.0-dev gcc xz-utils curl ca-certificates

if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    [ -e /proc/sys/fs/binfmt_misc/register ] || \
        mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    grep -v '^#' /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register
fi

if [ ! -x "$A/root/usr/bin/python3.11" ]; then
    debootstrap --arch=arm64 --foreign --variant=minbase \
        --include=python3,libgl1,libegl1,libxkbcommon0,libxkbcommon-x11-0,libxcb-cursor0,libxcb-icccm4,libxcb-image0,libxcb-keysyms1,libxcb-randr0,libxcb-render-util0,libxcb-shape0,libxcb-xinerama0,libxcb-xkb1,libfontconfig1,libfreetype6,libdbus-1-3,libglib2.0-0,libsm6,libice6,libopengl0,fonts-dejavu-core \
        bookworm "$A/root" "$MIRROR"
    cp /usr/bin/qemu-aarch64-static "$A/root/usr/bin/"
    chroot "$A/root" /debootstrap/debootstrap --second-stage
    echo "deb $MIRROR bookworm main" > "$A/root/etc/apt/sources.list"
    chroot "$A/root" apt-get update
    # Fonts as on the x86 bench machine, fontconfig, and what Qt's speech library needs.
    chroot "$A/root" apt-get install -y --no-install-recommends fontconfig \
        fonts-dejavu-extra libpulse0 libxrandr2
    chroot "$A/root" fc-cache
fi

# The aarch64 wheels of every runtime dependency (with read-aloud), at this venv's
# versions, but Qt's at 6.8.0.2.
(cd "$PROJECT" && .venv/bin/python - > "$A/requirements.txt") <<'PYEOF'
import tomllib
from importlib.metadata import requires, version
from packaging.requirements import Requirement
with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
wanted = project["dependencies"] + project["optional-dependencies"]["speech"]
todo, seen = [None], {}
while todo:
    name = todo.pop()
    for line in wanted if name is None else requires(name) or []:
        req = Requirement(line)
        if req.marker and not req.marker.evaluate({"extra": "speech"}):
            continue
        name = req.name.lower().replace("_", "-")
        if name not in seen:
            seen[name] = version(req.name)
            todo.append(req.name)
qt = {"pyside6-essentials", "pyside6-addons", "shiboken6"}
for name, found in sorted(seen.items()):
    print(f"{name}=={'6.8.0.2' if name in qt else found}")
PYEOF
TARGET="--only-binary=:all: --no-deps --python-version 3.11 --implementation cp
    --abi cp311 --abi abi3 --abi none --platform manylinux_2_31_aarch64
    --platform manylinux_2_28_aarch64 --platform manylinux_2_17_aarch64
    --platform manylinux2014_aarch64"
# shellcheck disable=SC2086
"$PROJECT/.venv/bin/python" -m pip download $TARGET -d "$A/wheels" -r "$A/requirements.txt"
# shellcheck disable=SC2086
"$PROJECT/.venv/bin/python" -m pip install $TARGET --upgrade --target "$A/site" \
    -r "$A/requirements.txt" --no-index --find-links "$A/wheels"

# The counter plugin, against qemu-plugin.h from Debian's qemu 7.2 source.
if [ ! -f "$A/qemu-plugin.h" ]; then
    curl -fsSL "$MIRROR/pool/main/q/qemu/qemu_7.2+dfsg.orig.tar.xz" -o "$A/qemu.tar.xz"
    tar -xJf "$A/qemu.tar.xz" -C "$A" --wildcards '*/include/qemu/qemu-plugin.h'
    cp "$A"/qemu-*/include/qemu/qemu-plugin.h "$A/qemu-plugin.h"
    rm -f "$A/qemu.tar.xz"
fi
# shellcheck disable=SC2046
gcc -O2 -shared -fPIC -I"$A" $(pkg-config --cflags glib-2.0) "$HERE/icount.c" \
    -o "$A/libicount.so"
echo "ready: $A"
