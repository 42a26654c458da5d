"""Fixtures for driving a real kiosk window the way a patient would: by tapping buttons."""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config, load_config
from kiosk.ui.app import build_window
from kiosk.ui.offthread import EarlyPages, wait_all
from kiosk.ui.widgets import BigButton
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
    at = area.center() if area.isValid() else QPoint(b.width() // 2, b.height() // 2)
    top = b.window()
    handle = top.windowHandle()
    if handle is None or not top.isVisible():  # a widget tested on its own, never shown
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=at)
        return
    # By the window, as the screen's taps come: the kiosk's filter sees it (it is someone
    # there: the idle clock, read-aloud's start) and the widget under that point gets it.
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     b.mapTo(top, at))


def read_every_sign(qtbot: QtBot, window: KioskWindow) -> int:
    """On a self-check question with a list of signs, scroll half a screen at a time until
    "none of these" unlocks, as a patient reading the list does; returns how many scrolls
    it took. Fails if the list ends with the answer still locked."""
    from kiosk.ui.screens.selfcheck import SelfCheckScreen

    screen = window.current_screen
    assert isinstance(screen, SelfCheckScreen)
    bar = screen.area.verticalScrollBar()
    qtbot.wait(1)  # laid out: a list that fits has unlocked by now
    scrolls = 0
    while any(b.locked for b in screen.answers):
        assert bar.value() < bar.maximum(), "the whole list was seen, but 'No' is locked"
        bar.setValue(min(bar.maximum(), bar.value() + screen.area.viewport().height() // 2))
        scrolls += 1
        qtbot.wait(1)
    qtbot.wait(1)  # the action area laid out again with its cue's new words
    return scrolls


_INK_ROWS: dict[tuple[object, ...], int] = {}
_TWINS: list[BigButton] = []  # kept: a twin's picture asks for one more paint, later


def ink_rows(button: BigButton, height: int) -> int:
    """How many pixel rows of a big button, at its width and this height, have anything
    painted in them besides its own background: its words and picture. Measured on a twin
    painted without its frame (the twin's frame is drawn in the background's colour)."""
    key = (button.text(), button.detail, button.image_path, button.width(), height,
           button.theme, button.metrics)
    if key in _INK_ROWS:
        return _INK_ROWS[key]
    twin = BigButton(button.text(), button.detail, button.image_path)
    surface = button.theme.surface
    twin.set_style(button.theme._replace(accent=surface), button.metrics)
    twin.resize(button.width(), height)
    twin.grab()  # the words first; a picture is asked for from the second paint on
    twin.grab()
    wait_all()  # ...and drawn on the picture worker, then put in place by the event loop
    QApplication.processEvents()
    image = twin.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    _TWINS.append(twin)
    width, per_line = image.width(), image.bytesPerLine()
    bits = bytes(image.constBits())
    side = 3  # the frame's antialiased edge, left and right
    blank = struct.pack("<I", QColor(surface).rgb() & 0xFFFFFFFF) * (width - 2 * side)
    corner = max(8, button.metrics.button // 6) + 2  # rounded corners: never words there
    rows = sum(1 for y in range(corner, image.height() - corner)
               if bits[y * per_line + 4 * side:y * per_line + 4 * (width - side)] != blank)
    _INK_ROWS[key] = rows
    return rows


def shows_all_words(button: BigButton) -> bool:
    """Everything the button paints with room to spare (three times its height) it also
    paints as it is laid out now: no line of its words, nor its picture, is cut off."""
    roomy = ink_rows(button, button.height() * 3 + 100)
    return roomy > 0 and ink_rows(button, button.height()) >= roomy - 1


def background_done(qtbot: QtBot, timeout: int = 120_000) -> None:
    """Wait until no background work runs (the pages rendered after the first paint): no
    other Python thread then holds the GIL while a test measures the GUI thread's sleep."""
    qtbot.waitUntil(lambda: not any(t.name == "kiosk-background" for t in threading.enumerate()),
                    timeout=timeout)


def _closing(window: KioskWindow) -> None:
    """As the kiosk quits: the window may close, its speech child ends now (not whenever Qt
    deletes the window, maybe in a later test, after that test's speech-dispatcher ended)."""
    window.allow_close()
    if window.speaker is not None:
        window.speaker.close()


@pytest.fixture
def open_window(qtbot: QtBot) -> Callable[..., KioskWindow]:
    def make(config: Config | None = None, size: tuple[int, int] = (1280, 720),
             content: Path | None = None, answer_guard: float = 0.0) -> KioskWindow:
        config = config or configured()
        config = replace(config, fullscreen=False)
        if content is not None:
            config = replace(config, content_dir=content)
        window = build_window(config)
        if isinstance(window.visit.render, EarlyPages):
            # A page opened before the background rendering reached it: a patient's kiosk
            # shows its summary and "…" after 0.25 s and the page when it is ready (its own
            # tests: tests/ui/test_offthread.py). Scripted taps read the page at once, so here
            # it is waited for: a loaded machine must not change what a test reads.
            window.visit.render.WAIT_S = 120.0
        # Scripted taps come faster than any finger; the double-tap guard has its own tests.
        window.visit.answer_guard = answer_guard
        qtbot.addWidget(window, before_close_func=_closing)
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


@pytest.fixture(scope="session")
def finger() -> QPointingDevice:
    """A touch screen, for real touch events."""
    return QTest.createTouchDevice()


def touch_at(window: QWidget, finger: QPointingDevice, at: QPoint) -> None:
    """One finger down and up at a point of the window, as the touch screen sends it."""
    QTest.touchEvent(window, finger).press(0, at, window).commit()
    QTest.touchEvent(window, finger).release(0, at, window).commit()


def touch(window: QWidget, finger: QPointingDevice, b: QAbstractButton) -> None:
    """A finger on the middle of a button, once the screen has settled (a person taps what
    they see)."""
    QApplication.processEvents()
    assert b.isVisible() and b.isEnabled(), b.text()
    touch_at(window, finger, b.mapTo(window, b.rect().center()))
