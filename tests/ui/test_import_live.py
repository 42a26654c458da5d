"""An import applied, then undone, reaches a running kiosk (issue 19): the kiosk watches its
store of imported versions and switches folders, keeping the patient's place."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content
from kiosk.store import Store
from kiosk.transfer import EXPORT_NAME, export, stage
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured

LONG_MS = 60_000  # a loaded machine may be slow to notice and reload; this ends at once


def test_an_import_and_its_undo_reach_a_running_kiosk(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    installed = tmp_path / "installed"
    shutil.copytree(bundled_content(), installed)
    store = Store(tmp_path / "store")
    config = replace(configured(watch_content=True, content_store=str(store.root)),
                     content_dir=installed)
    window = open_window(config)
    assert window.visit.content is not None and window.visit.content.root == installed
    window.set_language("es")
    window.display_panel.hide()
    window.open_topic("jaw-and-tmj")  # a patient reading while the update lands
    stick = tmp_path / "stick"
    stick.mkdir()
    export(installed, stick)
    page = stick / EXPORT_NAME / "es" / "jaw-and-tmj.md"
    page.write_text(page.read_text("utf-8").replace(
        "title: ", "title: Nuevo - ", 1), "utf-8")
    with store.staging() as folder:
        result = stage(stick, folder, installed)
        assert result.can_apply, [str(p) for p in result.errors]
        version = store.commit(folder, result.changes.summary(), str(stick))
    qtbot.waitUntil(lambda: window.visit.has_pending, timeout=LONG_MS)
    assert window.topic_screen.title.text().startswith("Su mandíbula")  # not under the reader
    window.go_home()  # the new content shows here, the patient's language kept
    root = window.visit.content.root
    assert root == store.root / "versions" / version.id
    assert window.session.language_code == "es"
    titles = [b.text() for b in window.screens[window.session.view.screen].tiles]
    assert any(t.startswith("Nuevo - ") for t in titles)
    store.undo()
    qtbot.waitUntil(lambda: window.visit.content.root == installed, timeout=LONG_MS)
    titles = [b.text() for b in window.screens[window.session.view.screen].tiles]
    assert not any(t.startswith("Nuevo - ") for t in titles)
