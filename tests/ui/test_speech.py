"""Read aloud with Qt's mock speech engine: it speaks the page, stops on navigation and
reset, and is absent where there is no voice for the language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured, find_button, tap

pytest.importorskip("PySide6.QtTextToSpeech", reason="needs PySide6-Addons (kiosk[speech])",
                    exc_type=ImportError)



def test_listen_reads_the_page_and_stops_when_the_patient_moves_on(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(speech_engine="mock"))
    assert window.speaker is not None and window.speaker.tts is not None
    tap(qtbot, window, "Your jaw, TMJ, and headaches")
    said: list[str] = []
    original = window.speaker.tts.say
    window.speaker.tts.say = lambda text: (said.append(text), original(text))
    tap(qtbot, window, "Listen")
    assert said and said[0].startswith("Your jaw, TMJ, and headaches.")
    assert "trigeminal" in said[0]
    assert window.speaker.tts.locale().language() == window.speaker.locale_for("en").language()
    qtbot.waitUntil(lambda: find_button(window, "Stop") is not None)
    assert window.speaker.speaking
    tap(qtbot, window, "Home")
    assert not window.speaker.speaking
    tap(qtbot, window, "Your jaw, TMJ, and headaches")
    tap(qtbot, window, "Listen")
    assert window.speaker.speaking
    window.reset()
    assert not window.speaker.speaking


def test_no_listen_button_without_a_voice_for_the_language(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    # The mock engine has English voices but no Spanish one.
    window = open_window(configured(speech_engine="mock"))
    tap(qtbot, window, "Español")
    tap(qtbot, window, "Su mandíbula, la ATM y el dolor de cabeza")
    assert not window.topic_screen.listen_button.isVisible()


def test_no_engine_means_no_button_and_no_crash(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(speech_engine="no-such-engine"))
    tap(qtbot, window, "Your jaw, TMJ, and headaches")
    assert not window.topic_screen.listen_button.isVisible()
    window.toggle_listen()  # does nothing, raises nothing
    off = open_window(configured(speech=False))
    assert off.speaker is None
