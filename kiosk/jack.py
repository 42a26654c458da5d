"""Headphones plugged into the kiosk's jack, where the hardware says so.

EN 301 549 5.2 and the US kiosk rule (14 CFR 382.57) ask that speech can be switched on
without sight. The first keypad key does that (kiosk.ui.keypad); plugging headphones in does
too where the sound card reports its jack. Linux reports a jack as an input device with a
"headphone inserted" switch (EV_SW, SW_HEADPHONE_INSERT): most Intel and AMD HDA codecs and
many USB docks do; the Raspberry Pi's own 3.5 mm jack does not, and a USB headset is a new
sound card rather than a switch. This module finds such devices in sysfs and reads their
events; kiosk.ui.jack watches one without blocking. Plain Python; no Qt.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

EV_SW = 0x05
SW_HEADPHONE_INSERT = 0x02
# struct input_event: a timeval (two C longs), type, code and value (linux/input.h)
EVENT = struct.Struct("@llHHi")


def _eviocgsw(length: int) -> int:
    """The EVIOCGSW(len) ioctl request: the switches' present state."""
    return (2 << 30) | (length << 16) | (ord("E") << 8) | 0x1B


@dataclass(frozen=True)
class Jack:
    device: Path  # /dev/input/eventN
    name: str  # the kernel's name for it, e.g. "HDA Intel PCH Headphone"


def has_headphone_switch(bits: str) -> bool:
    """Whether a sysfs ``capabilities/sw`` bitmap (hex words, most significant first)
    has the headphone switch."""
    words = bits.split()
    try:
        low = int(words[-1], 16) if words else 0
    except ValueError:
        return False
    return bool(low >> SW_HEADPHONE_INSERT & 1)


def find(sys_root: Path = Path("/sys/class/input"),
         dev_root: Path = Path("/dev/input")) -> list[Jack]:
    """Every input device that reports a headphone jack, in the kernel's order."""
    found = []
    try:
        entries = sorted(sys_root.glob("event*"), key=lambda p: (len(p.name), p.name))
    except OSError:
        return []
    for entry in entries:
        try:
            bits = (entry / "device" / "capabilities" / "sw").read_text(encoding="ascii")
            name = (entry / "device" / "name").read_text(encoding="utf-8",
                                                         errors="replace").strip()
        except OSError:
            continue
        if has_headphone_switch(bits):
            found.append(Jack(dev_root / entry.name, name))
    return found


def plugged_now(fd: int) -> bool | None:
    """Whether headphones are in now, from the device's switch state; None when the
    device cannot say (not an input device, or not allowed)."""
    try:
        import fcntl  # not on Windows, where there is no jack to watch either
    except ImportError:
        return None
    state = bytearray(8)
    try:
        fcntl.ioctl(fd, _eviocgsw(len(state)), state)
    except OSError:
        return None
    return bool(state[SW_HEADPHONE_INSERT // 8] >> (SW_HEADPHONE_INSERT % 8) & 1)


class Reader:
    """Turns the bytes read from a jack's device into plugged (True) and unplugged (False),
    keeping a part-read event for the next read."""

    def __init__(self) -> None:
        self._rest = b""

    def feed(self, data: bytes) -> Iterator[bool]:
        data = self._rest + data
        whole = len(data) - len(data) % EVENT.size
        self._rest = data[whole:]
        for _sec, _usec, kind, code, value in EVENT.iter_unpack(data[:whole]):
            if kind == EV_SW and code == SW_HEADPHONE_INSERT:
                yield value != 0


def event(plugged: bool) -> bytes:
    """One switch event as the kernel writes it, and a report after it (for tests and tools)."""
    return EVENT.pack(0, 0, EV_SW, SW_HEADPHONE_INSERT, int(plugged)) + EVENT.pack(0, 0, 0, 0, 0)


def open_device(device: Path) -> int:
    """The device opened for reading without ever blocking; OSError when it cannot be."""
    return os.open(device, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
