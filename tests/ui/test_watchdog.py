"""systemd's watchdog: READY=1 after the first paint and steady WATCHDOG=1 pings from a real
window, which stop while its event loop is frozen (so systemd restarts a frozen screen)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from kiosk.sdnotify import Notifier
from kiosk.ui.app import build_window
from kiosk.ui.watchdog import Watchdog
from tests.conftest import FakeSystemd, import_edit, sleep_clock
from tests.ui.conftest import background_done, configured


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[FakeSystemd]:
    fake = FakeSystemd(tmp_path / "notify")
    yield fake
    fake.close()


def test_ready_after_the_first_paint_then_steady_pings_that_stop_when_the_loop_freezes(
        qtbot: QtBot, systemd: FakeSystemd) -> None:
    window = build_window(configured(fullscreen=False, speech=False))
    qtbot.addWidget(window, before_close_func=lambda w: w.allow_close())
    notifier = Notifier({"NOTIFY_SOCKET": systemd.path, "WATCHDOG_USEC": "200000"})
    watchdog = Watchdog(window, notifier)
    assert watchdog.timer.interval() == 100  # half of WatchdogSec
    # Each ping as it is sent: from which thread, whether the loop was frozen, and how long
    # the GUI thread had slept since the last one (a busy machine does not stretch that).
    frozen = [False]
    pings: list[tuple[int, bool, float]] = []
    send = notifier.watchdog

    def ping() -> bool:
        pings.append((threading.get_ident(), frozen[0], sleep_clock()))
        return send()

    notifier.watchdog = ping  # type: ignore[method-assign]  # a spy on the socket
    qtbot.wait(300)
    assert systemd.mark("before show") == 0  # nothing before the window is shown and painted
    window.show()
    qtbot.waitUntil(lambda: bool(systemd.times("READY=1")), timeout=60000)
    assert window.started_up  # it painted first
    background_done(qtbot)  # no other thread holds the GIL while the gaps are measured
    first = len(pings)
    qtbot.waitUntil(lambda: len(pings) >= first + 7, timeout=60000)
    assert {ident for ident, _frozen, _slept in pings} == {threading.get_ident()}
    slept = [b[2] - a[2] for a, b in zip(pings[first:], pings[first + 1:], strict=False)]
    assert max(slept) < 0.5, slept  # about 0.1 s each: the timer's interval, no longer

    # Freeze the GUI thread for 1.5 s, as a blocked call would: no pings in that time.
    # Markers sent from the frozen thread itself bracket the freeze in the order of
    # messages, so a slow reader of the socket cannot blur its edges.
    marks: list[int] = []

    def freeze() -> None:
        frozen[0] = True
        marks.append(systemd.mark("freeze starts"))
        time.sleep(1.5)
        marks.append(systemd.mark("freeze ends"))
        frozen[0] = False

    QTimer.singleShot(0, freeze)
    qtbot.waitUntil(lambda: len(marks) == 2, timeout=60000)
    during = systemd.messages[marks[0] + 1:marks[1]]
    assert during == [], "pings went on while the event loop was frozen"
    assert not any(was_frozen for _ident, was_frozen, _slept in pings)
    qtbot.waitUntil(lambda: systemd.messages[marks[1] + 1:].count("WATCHDOG=1") >= 3,
                    timeout=60000)  # and they came back with the loop
    watchdog.stopping()
    qtbot.waitUntil(lambda: systemd.got[-1][1] == "STOPPING=1", timeout=60000)


def test_nothing_happens_without_notify_socket(qtbot: QtBot) -> None:
    window = build_window(configured(fullscreen=False, speech=False))
    qtbot.addWidget(window, before_close_func=lambda w: w.allow_close())
    watchdog = Watchdog(window, Notifier({}))
    window.show()
    qtbot.waitUntil(lambda: window.started_up)
    qtbot.wait(50)
    assert not watchdog.ready_sent and not watchdog.timer.isActive()


def test_the_real_program_tells_systemd_it_is_ready_pings_and_stops(
        systemd: FakeSystemd, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("speech = false\nrecord_usage = false\nwatch_content = false\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": systemd.path,
           "WATCHDOG_USEC": "400000", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)}
    log = tmp_path / "kiosk.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--windowed", "--config",
                                 str(config)], env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and proc.poll() is None \
                    and len(systemd.times("WATCHDOG=1")) < 4:
                time.sleep(0.05)
            assert proc.poll() is None, log.read_text()
            messages = systemd.messages
            assert messages[0].startswith("READY=1"), messages
            assert messages[1:4] == ["WATCHDOG=1"] * 3
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=10)
    assert code == 0, log.read_text()
    assert systemd.got[-1][1] == "STOPPING=1"


def test_systemctl_status_says_what_the_kiosk_shows_and_follows_an_import(
        qtbot: QtBot, systemd: FakeSystemd, tmp_path: Path) -> None:
    """STATUS= with READY=1, and again when new content is applied (issue 21)."""
    import shutil
    from dataclasses import replace

    from kiosk.config import bundled_content
    from kiosk.store import Store

    installed = tmp_path / "installed"
    shutil.copytree(bundled_content(), installed)
    store = Store(tmp_path / "store")
    window = build_window(replace(configured(fullscreen=False, speech=False,
                                             watch_content=True,
                                             content_store=str(store.root)),
                                  content_dir=installed))
    qtbot.addWidget(window, before_close_func=lambda w: w.allow_close())
    notifier = Notifier({"NOTIFY_SOCKET": systemd.path})
    window.watchdog = Watchdog(window, notifier, status=window.status_line)
    window.show()
    qtbot.waitUntil(lambda: any(m.startswith("READY=1") for m in systemd.messages),
                    timeout=60000)
    ready = next(m for m in systemd.messages if m.startswith("READY=1"))
    assert ready == (f"READY=1\nSTATUS=showing content from {installed}, 18 topics in en/es/fa, "
                     "read-aloud off")
    background_done(qtbot)
    window.watch_content()
    version = import_edit(installed, store.root, tmp_path)
    want = f"STATUS=showing content version {version.id}, 18 topics in en/es/fa, read-aloud off"
    qtbot.waitUntil(lambda: want in systemd.messages, timeout=60000)
    window.watchdog = None
    notifier.close()  # what the kiosk's exit does (Watchdog.stopping)
