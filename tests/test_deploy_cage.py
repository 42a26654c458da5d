"""The kiosk under real cage (its X11 backend nested in Xvfb), started and stopped the way
deploy/systemd/clinic-kiosk.service does: it paints (READY=1 on the notify socket), pings
the watchdog through cage, and the unit's ExecStop= lines end it with cage exiting 0.

cage refuses to run as root, so as root (CI) cage and the kiosk run as ``nobody``, keeping
only the capability to read files (CAP_DAC_READ_SEARCH), so this Python and the source
tree need not be readable by ``nobody``.
"""

from __future__ import annotations

import ctypes.util
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FakeSystemd, xvfb

ROOT = Path(__file__).resolve().parent.parent
SERVICE = ROOT / "deploy" / "systemd" / "clinic-kiosk.service"
NOBODY = 65534

pytestmark = [
    pytest.mark.skipif(shutil.which("cage") is None,
                       reason="needs cage (apt-get install cage xwayland)"),
    pytest.mark.skipif(shutil.which("Xwayland") is None,
                       reason="needs Xwayland: cage 0.1.4 will not start without it "
                       "(apt-get install xwayland)"),
    pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (apt-get install xvfb)"),
    pytest.mark.skipif(ctypes.util.find_library("wayland-cursor") is None,
                       reason="Qt's Wayland plugin needs libwayland-cursor0 "
                       "(apt-get install libwayland-client0 libwayland-cursor0 libwayland-egl1)"),
    pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None,
                       reason="as root, needs setpriv (util-linux) to run cage as nobody"),
]


# What cage does first (wlroots' keymap, through glibc's shm_open, in /dev/shm): where it
# cannot, cage dies of signal 11 ("Failed to allocate shm file for keymap").
SHM_PROBE = """
import os, _posixshmem
name = f"/kiosk-test-{os.getpid()}"
try:
    os.close(_posixshmem.shm_open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    _posixshmem.shm_unlink(name)
except OSError as exc:
    raise SystemExit(exc.strerror or str(exc))
"""


def shm_problem(prefix: list[str]) -> str | None:
    """Why the user cage runs as cannot make a shared-memory file (None when it can)."""
    done = subprocess.run([*prefix, sys.executable, "-c", SHM_PROBE], capture_output=True,
                          text=True, timeout=30, check=False)
    if done.returncode == 0:
        return None
    why = (done.stderr.strip().splitlines() or ["?"])[-1]
    who = "nobody (cage runs as nobody under root)" if prefix else "this user"
    return f"/dev/shm is not writable for {who}: {why}; cage needs it for its keymap"


def unit_lines(key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in SERVICE.read_text().splitlines()
            if line.startswith(f"{key}=")]


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb("1024x600x24") as name:
        yield name


def test_kiosk_under_real_cage_paints_pings_and_stops_with_cage_exiting_0(
        display: str, tmp_path: Path) -> None:
    kiosk = Path(sys.executable).with_name("kiosk")
    if not kiosk.is_file():
        pytest.skip(f"needs the 'kiosk' command beside {sys.executable} (pip install -e .)")
    tmp_path.chmod(0o755)
    runtime = tmp_path / "runtime"  # XDG_RUNTIME_DIR: cage's Wayland socket
    home = tmp_path / "home"
    textfile = tmp_path / "textfile"  # node_exporter's folder: the metrics are on
    for folder in (runtime, home, textfile):
        folder.mkdir(mode=0o700)
    config = home / "config.toml"
    config.write_text("speech = false\nwatch_content = false\n")  # usage counts on
    prefix: list[str] = []
    if os.geteuid() == 0:
        for folder in (runtime, home, config, textfile):
            os.chown(folder, NOBODY, NOBODY)
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                  "--inh-caps=-all,+dac_read_search", "--ambient-caps=+dac_read_search"]
    why = shm_problem(prefix)
    if why:
        pytest.skip(why)
    notify = FakeSystemd(tmp_path / "notify")
    # The unit's own command line, with this checkout's kiosk in place of /opt's.
    start = shlex.split(unit_lines("ExecStart")[0])
    assert start[:3] == ["/usr/bin/cage", "-d", "--"]
    command = [shutil.which("cage") or "cage", *start[1:3], str(kiosk),
               "--config", str(config)]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "KIOSK_TEXTFILE_FOLDER": str(textfile),
           "XDG_RUNTIME_DIR": str(runtime), "DISPLAY": display, "WLR_BACKENDS": "x11",
           "WLR_LIBINPUT_NO_DEVICES": "1", "NOTIFY_SOCKET": str(tmp_path / "notify"),
           "WATCHDOG_USEC": "1000000", "PYTHONPATH": str(ROOT)}
    for line in unit_lines("Environment"):
        key, _, value = line.partition("=")
        env[key] = value
    assert env["QT_QPA_PLATFORM"] == "wayland"
    log = tmp_path / "cage.log"
    with log.open("w") as out:
        cage = subprocess.Popen(prefix + command, env=env, cwd=home, stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and cage.poll() is None \
                    and notify.messages.count("WATCHDOG=1") < 2:
                time.sleep(0.1)
            assert cage.poll() is None, log.read_text()
            assert notify.messages and notify.messages[0].startswith("READY=1"), (
                notify.messages, log.read_text())
            assert notify.messages.count("WATCHDOG=1") >= 2
            # Stop as systemd does: the unit's ExecStop= lines with its main PID (cage's).
            for line in unit_lines("ExecStop"):
                argv = shlex.split(line.lstrip("-").replace("${MAINPID}", str(cage.pid)))
                subprocess.run(argv, timeout=30, check=False)
            code = cage.wait(timeout=5)  # ExecStop waited for cage to end
        finally:
            if cage.poll() is None:
                cage.send_signal(signal.SIGKILL)
                cage.wait()
            notify.close()
    output = log.read_text()
    assert code == 0, output
    assert "Assertion" not in output and "stopping on signal 15" in output, output
    assert notify.messages[-1] == "STOPPING=1"
    # The metrics, written by their own short-lived process as the unit's user, and last
    # saying that the kiosk stopped cleanly.
    assert [p.name for p in textfile.iterdir()] == ["clinic_kiosk.prom"], output
    assert "clinic_kiosk_up 0.0" in (textfile / "clinic_kiosk.prom").read_text("utf-8")
    # The usage counts' file, made and checked at start by their own short-lived writer
    # process (kiosk/stats.py), as the unit's user.
    usage = home / ".local" / "share" / "clinic-kiosk" / "usage.sqlite3"
    assert usage.is_file(), output
    if prefix:
        assert usage.stat().st_uid == NOBODY
