"""The real program on a real X server (Xvfb): it starts, shows its window, and stays up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import xvfb

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("xwininfo") is None,
                                reason="needs Xvfb and xwininfo (apt-get install xvfb x11-utils)")


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb("1280x800x24") as name:
        yield name


def test_kiosk_windowed_shows_its_window_on_x11(display: str, tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    log = tmp_path / "kiosk.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--windowed"], env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            tree = ""
            while time.monotonic() < deadline and proc.poll() is None:
                tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env,
                                      capture_output=True, text=True).stdout
                if '"The Spine Institute"' in tree and "kiosk ready" in log.read_text():
                    break
                time.sleep(0.2)
            assert proc.poll() is None, log.read_text()
            assert '"The Spine Institute"' in tree, tree
            assert "kiosk ready: 18 topics in en, es, fa" in log.read_text()
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool")
def test_full_screen_kiosk_ignores_stray_keys_and_stops_on_sigterm(display: str,
                                                                  tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    log = tmp_path / "kiosk.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kiosk"], env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            wid = ""
            while time.monotonic() < deadline and proc.poll() is None and not wid:
                found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name",
                                        "The Spine Institute"],
                                       env=env, capture_output=True, text=True)
                wid = found.stdout.split()[0] if found.stdout.split() else ""
                time.sleep(0.2)
            assert wid, log.read_text()
            for keys in ("Escape", "alt+F4", "ctrl+q", "ctrl+w", "F11", "alt+Tab"):
                subprocess.run(["xdotool", "key", "--window", wid, keys], env=env, check=True)
            time.sleep(1)
            assert proc.poll() is None, log.read_text()
            geometry = subprocess.run(["xdotool", "getwindowgeometry", wid], env=env,
                                      capture_output=True, text=True).stdout
            assert "1280x800" in geometry  # full-screen on the 1280x800 virtual screen
            proc.terminate()  # SIGTERM, as systemd stops it
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
