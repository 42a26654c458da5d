"""The udev rule that mounts USB sticks for the staff panel (issue 19): what it mounts, with
which options, where the kiosk looks; its options checked against this machine's systemd
(Debian 12's 252). Mounting a real stick cannot be run here (no USB, no vfat in this kernel)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.transfer import default_stick_roots

RULE = Path(__file__).resolve().parents[1] / "deploy" / "udev" / "90-clinic-kiosk-usb.rules"


def rules() -> list[dict[str, str]]:
    """Each rule line as its key -> value pairs (keys with their {attribute})."""
    out = []
    for line in RULE.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pairs = re.findall(r'([A-Za-z_]+(?:\{[^}]*\})?)(==|\+=|=)"([^"]*)"', line)
        assert ", ".join(f'{k}{op}"{v}"' for k, op, v in pairs) == line, line
        out.append({k: v for k, _op, v in pairs})
    return out


def test_each_stick_file_system_is_mounted_for_the_kiosk_with_no_way_to_run_anything() -> None:
    adds = [r for r in rules() if r["ACTION"] == "add"]
    assert sorted(r["ENV{ID_FS_TYPE}"] for r in adds) == ["exfat", "ntfs", "vfat"]
    for rule in adds:
        assert rule["SUBSYSTEM"] == "block" and rule["ENV{ID_BUS}"] == "usb"
        command = rule["RUN{program}"].split()
        assert command[0] == "/usr/bin/systemd-mount"
        assert {"--no-block", "--collect", "--owner=kiosk"} <= set(command)
        options = next(c for c in command if c.startswith("--options=")).split("=", 1)[1]
        assert {"nosuid", "nodev", "noexec", "umask=0077"} <= set(options.split(","))
        assert command[-2:] == ["$devnode", "/media/kiosk/%k"]
    removes = [r for r in rules() if r["ACTION"] == "remove"]
    assert [r["RUN{program}"] for r in removes] == ["/usr/bin/systemd-umount /media/kiosk/%k"]


def test_the_kiosk_looks_where_the_rule_mounts() -> None:
    import getpass
    from unittest import mock

    with mock.patch.object(getpass, "getuser", return_value="kiosk"):
        assert Path("/media/kiosk") in default_stick_roots()


@pytest.mark.skipif(shutil.which("systemd-mount") is None, reason="needs systemd")
def test_systemd_mount_knows_every_option_the_rule_uses() -> None:
    help_text = subprocess.run(["systemd-mount", "--help"], capture_output=True, text=True,
                               timeout=30).stdout
    for rule in rules():
        for word in rule["RUN{program}"].split()[1:]:
            if word.startswith("--"):
                assert word.split("=", 1)[0] in help_text, word
