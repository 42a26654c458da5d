"""Fixtures for driving a real kiosk window the way a patient would: by tapping buttons."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config, load_config
from kiosk.ui.app import build_window
from kiosk.ui.window import KioskWindow


def configured(**values: Any) -> Config:
    """The default config with some options changed; content is not watched and read-aloud
    is off unless asked (each speech engine is a child process: tests/ui/test_speech.py)."""
    config = load_config()
    return replace(config, values={**config.values, "watch_content": False, "speech": False,
                                   **values})


def visible_buttons(root: QWidget) -> list[QAbstractButton]:
    return [b for b in root.findChildren(QAbstractButton) if b.isVisibleTo(root)
            and b.window() is root]


def find_button(root: QWidget, text: str) -> QAbstractButton:
    """The one visible button with exactly this text."""
    found = [b for b in visible_buttons(root) if b.text() == text]
    assert len(found) == 1, f"{len(found)} visible buttons say {text!r}: " \
        f"{[b.text() for b in visible_buttons(root)]}"
    return found[0]


def tap(qtbot: QtBot, root: QWidget, text: str) -> None:
    """Tap a button by its visible text, at its centre, as a finger would."""
    b = find_button(root, text)
    parent = b.parentWidget()
    while parent is not None:  # scroll it into view first, as a person would
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(b)
            break
        parent = parent.parentWidget()
    area = b.visibleRegion().boundingRect()
    assert not area.isEmpty(), f"{text!r} is not on screen"
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=area.center() if area.isValid()
                     else QPoint(b.width() // 2, b.height() // 2))


def background_done(qtbot: QtBot, timeout: int = 120_000) -> None:
    """Wait until no background work runs (the pages rendered after the first paint): no
    other Python thread then holds the GIL while a test measures the GUI thread's sleep."""
    qtbot.waitUntil(lambda: not any(t.name == "kiosk-background" for t in threading.enumerate()),
                    timeout=timeout)


@pytest.fixture
def open_window(qtbot: QtBot) -> Callable[..., KioskWindow]:
    def make(config: Config | None = None, size: tuple[int, int] = (1280, 720),
             content: Path | None = None, answer_guard: float = 0.0) -> KioskWindow:
        config = config or configured()
        config = replace(config, fullscreen=False)
        if content is not None:
            config = replace(config, content_dir=content)
        window = build_window(config)
        # Scripted taps come faster than any finger; the double-tap guard has its own tests.
        window.visit.answer_guard = answer_guard
        qtbot.addWidget(window, before_close_func=lambda w: w.allow_close())
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.started_up and window.speaker is not None
                        or not window.config["speech"])
        # The work deferred to after the first paint has run (watching the folder too).
        qtbot.waitUntil(lambda: not window.config.options.watch_content
                        or window.watcher is not None)
        qtbot.wait(1)
        return window

    return make
