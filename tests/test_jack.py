"""Finding a headphone jack in sysfs and reading its plug events (kiosk.jack), on a made-up
sysfs tree and real pipes: the kernel's own devices are not on a build machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk import jack


def _device(root: Path, event: str, name: str, sw: str) -> None:
    d = root / event / "device" / "capabilities"
    d.mkdir(parents=True)
    (d / "sw").write_text(sw + "\n")
    (root / event / "device" / "name").write_text(name + "\n")


@pytest.mark.parametrize(("bits", "has"), [
    ("4", True),  # SW_HEADPHONE_INSERT alone
    ("d4", True),  # headphone, microphone, line out, jack inserted: an HDA codec's jack
    ("1", False),  # a laptop lid
    ("0", False),
    ("", False),
    ("4 0", False),  # the bit in the higher word is another switch
    ("zz", False),
])
def test_the_headphone_switch_is_read_from_the_capability_bitmap(bits: str, has: bool) -> None:
    assert jack.has_headphone_switch(bits) is has


def test_jacks_are_found_in_the_kernels_order(tmp_path: Path) -> None:
    sys_root = tmp_path / "sys"
    _device(sys_root, "event10", "HDA Intel PCH Headphone", "4")
    _device(sys_root, "event2", "Lid Switch", "1")
    _device(sys_root, "event9", "HDA Intel PCH Front Headphone", "14")
    (sys_root / "event3").mkdir()  # a device with no switches at all
    found = jack.find(sys_root, Path("/dev/input"))
    assert found == [jack.Jack(Path("/dev/input/event9"), "HDA Intel PCH Front Headphone"),
                     jack.Jack(Path("/dev/input/event10"), "HDA Intel PCH Headphone")]
    assert jack.find(tmp_path / "no-such-dir") == []


def test_plug_events_are_read_across_split_reads() -> None:
    reader = jack.Reader()
    stream = jack.event(True) + jack.event(False) + jack.event(True)
    cut = jack.EVENT.size + 5  # a read may end inside an event
    assert list(reader.feed(stream[:cut])) == [True]
    assert list(reader.feed(stream[cut:])) == [False, True]
    other = jack.EVENT.pack(0, 0, jack.EV_SW, 0, 1)  # the lid closing: not the jack
    assert list(reader.feed(other)) == []


def test_a_pipe_is_not_a_jack_so_its_state_is_unknown() -> None:
    r, w = os.pipe()
    try:
        assert jack.plugged_now(r) is None
    finally:
        os.close(r)
        os.close(w)
