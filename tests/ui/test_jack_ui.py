"""Headphones in switch the keypad path's speech on, with no sight and no key; out, speech
stops at once and stays off until they are back. The jack is a FIFO named in the config,
fed the kernel's own event records (a build machine has no sound card)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import jack
from kiosk.session import Screen
from kiosk.ui.speech import Speaker
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured
from tests.ui.test_keypad import press
from tests.ui.test_speech import PATIENT_MS, needs_addons, ready, spoken


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A FIFO, with a reader held open (closed by the test once the window has its own)."""
    path = tmp_path / "event7"
    os.mkfifo(path)
    keeper = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    yield path, keeper
    try:
        os.close(keeper)
    except OSError:
        pass


def said_texts(said: list[dict[str, Any]]) -> list[str]:
    return [c["text"] for c in said if c["cmd"] == "say"]


@needs_addons
def test_headphones_in_start_speech_and_out_stop_it(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], fifo: tuple[Path, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Speaker, "START_TIMEOUT_MS", PATIENT_MS)
    monkeypatch.setattr(Speaker, "REPLY_TIMEOUT_MS", PATIENT_MS)
    path, keeper = fifo
    window = open_window(configured(speech=True, speech_engine="mock",
                                    headphone_jack=str(path)), size=(800, 480))
    ready(qtbot, window)
    assert window.jack is not None and not window.jack.plugged
    os.close(keeper)  # the window's reader is the only one now
    writer = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    said = spoken(window)
    window.reset()
    assert window.visit.screen is Screen.ATTRACT

    os.write(writer, jack.event(True))  # headphones in, on the attract screen: no key, no touch
    qtbot.waitUntil(lambda: bool(said_texts(said)), timeout=PATIENT_MS)
    assert window.visit.screen is Screen.HOME and window.keypad.active
    assert said_texts(said)[-1].startswith("Speech is on. Press Down for the next item")
    assert window.keypad.ring.isVisible()

    press(qtbot, window, Qt.Key.Key_Down)
    assert said_texts(said)[-1] == "English. Button, selected."
    before = len(said)
    os.write(writer, jack.event(False))  # pulled out: the room must not hear the rest
    qtbot.waitUntil(lambda: window.keypad.silenced)
    assert said[before:] == [{**said[before], "cmd": "stop"}]
    press(qtbot, window, Qt.Key.Key_Down)  # the keys still move the ring, silently
    assert window.keypad.current() is not None
    assert said_texts(said[before:]) == []

    os.write(writer, jack.event(True))  # back in: where you are, and the keys
    qtbot.waitUntil(lambda: len(said_texts(said[before:])) == 1, timeout=PATIENT_MS)
    assert said_texts(said)[-1].startswith(window.screen_name() + ". Press Down")
    window.reset()  # the next patient starts with speech able to speak again
    assert not window.keypad.silenced
    os.close(writer)


def test_no_jack_to_watch_is_said_in_the_log(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(jack, "find", lambda *a: [])
    with caplog.at_level(logging.INFO):
        window = open_window(configured(), size=(800, 480))
        qtbot.waitUntil(lambda: window.started_up)
        qtbot.wait(10)
    assert window.jack is None
    assert "no sound card here reports its headphone jack" in caplog.text


def test_a_jack_that_cannot_be_read_is_named_in_the_log(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        window = open_window(configured(headphone_jack=str(tmp_path / "event99")),
                             size=(800, 480))
        qtbot.waitUntil(lambda: window.started_up)
        qtbot.wait(10)
    assert window.jack is None
    assert f"the headphone jack {tmp_path / 'event99'}" in caplog.text
    assert "the first key still does" in caplog.text
