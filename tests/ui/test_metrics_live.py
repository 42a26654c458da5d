"""A running kiosk writes its metrics file (issue 21): after the first paint, and again when
what it says changed (a touch in a new quarter hour, new content, a failed alert)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content
from kiosk.store import Store
from kiosk.ui.window import KioskWindow
from tests.conftest import import_edit
from tests.ui.conftest import configured

LONG_MS = 60_000


def test_a_running_kiosk_writes_what_it_shows(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    installed = tmp_path / "installed"
    shutil.copytree(bundled_content(), installed)
    prom = tmp_path / "textfile" / "clinic_kiosk.prom"
    prom.parent.mkdir()
    store = Store(tmp_path / "store")
    config = replace(configured(watch_content=True, metrics_file=str(prom),
                                content_store=str(store.root)), content_dir=installed)
    window = open_window(config)
    qtbot.waitUntil(prom.is_file, timeout=LONG_MS)
    body = prom.read_text("utf-8")
    assert 'clinic_kiosk_content_info{languages="en,es,fa",version_id="installed"} 1.0' in body
    assert "clinic_kiosk_up 1.0" in body
    version = import_edit(installed, store.root, tmp_path)
    qtbot.waitUntil(lambda: window.visit.content is not None
                    and window.visit.content.root.name == version.id, timeout=LONG_MS)
    window.write_metrics()  # what the minute's timer does
    qtbot.waitUntil(lambda: f'version_id="{version.id}"' in prom.read_text("utf-8"),
                    timeout=LONG_MS)
    window.write_metrics(up=False, wait=True)  # as the kiosk stops
    assert "clinic_kiosk_up 0.0" in prom.read_text("utf-8")


def test_metrics_wait_for_a_change_and_come_at_most_once_a_minute(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    """Issue 24: no repeating timer, so a kiosk nobody touches never wakes for its metrics;
    a change is written within the minute after the last write."""
    prom = tmp_path / "clinic_kiosk.prom"
    window = open_window(configured(metrics_file=str(prom)))
    qtbot.waitUntil(prom.is_file, timeout=LONG_MS)
    timer = window._metrics_timer
    assert timer is not None and timer.isSingleShot()
    assert not timer.isActive()  # nothing changed since the first write: nothing is due
    assert "clinic_kiosk_last_touch_timestamp_seconds 0.0" in prom.read_text("utf-8")

    window.idle.touched()  # the first touch: a new quarter hour for the metrics
    # Within the minute (Qt's coarse timers may fire up to 5% late, which saves wakes).
    assert timer.isActive() and 0 < timer.remainingTime() <= 63_000
    timer.stop()
    window.idle.touched()  # the same quarter hour: the file would not change
    assert not timer.isActive()

    window._metrics_written -= 61  # a minute since the last write: a change goes out at once
    window._touch_quarter = -1
    window.idle.touched()
    qtbot.waitUntil(lambda: "clinic_kiosk_last_touch_timestamp_seconds 0.0"
                    not in prom.read_text("utf-8"), timeout=LONG_MS)
    assert not timer.isActive()
