"""The speech mode of the keypad path, through the read-aloud child (Qt's mock engine): the
first key turns it on, every stop is said with what it is, a danger-sign question is said in
full before its answers, speech stops when the patient moves on, the keys pause, repeat and
change pace and loudness, and the time-outs are spoken and ten times longer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.session import Screen
from kiosk.ui.speech import Speaker
from kiosk.ui.window import SPEECH_PATIENCE, KioskWindow
from tests.ui.conftest import configured, tap
from tests.ui.test_keypad import choose, focus_text, go_to, press
from tests.ui.test_speech import PATIENT_MS, needs_addons, ready, spoken

pytestmark = needs_addons


@pytest.fixture(autouse=True)
def _patient_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Speaker, "START_TIMEOUT_MS", PATIENT_MS)
    monkeypatch.setattr(Speaker, "REPLY_TIMEOUT_MS", PATIENT_MS)


def said_texts(said: list[dict[str, Any]]) -> list[str]:
    return [c["text"] for c in said if c["cmd"] == "say"]


@pytest.fixture
def listening(qtbot: QtBot, open_window: Callable[..., KioskWindow]
              ) -> tuple[KioskWindow, list[dict[str, Any]]]:
    window = open_window(configured(speech=True, speech_engine="mock"), size=(800, 480))
    window.visit.answer_guard = 0.0
    ready(qtbot, window)
    said = spoken(window)
    window.reset()
    return window, said


def test_the_first_key_starts_the_engine_and_its_words_wait_for_it(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    """Issue 24: the child starts at the first key, not at start; what that key would have
    said (speech is on, and where you are) is said once the voice is ready, not lost."""
    window = open_window(configured(speech=True, speech_engine="mock"), size=(800, 480))
    speaker = window.speaker
    assert speaker is not None and speaker._process is None
    said = spoken(window)
    press(qtbot, window, Qt.Key.Key_Down)
    assert window.keypad.active and speaker._process is not None and not said
    qtbot.waitUntil(lambda: bool(said_texts(said)), timeout=PATIENT_MS)
    assert len(said_texts(said)) == 1
    assert said_texts(said)[0].startswith("Speech is on. Press Down for the next item")


def test_every_stop_is_said_with_what_it_is(
        qtbot: QtBot, listening: tuple[KioskWindow, list[dict[str, Any]]]) -> None:
    window, said = listening
    press(qtbot, window, Qt.Key.Key_Down)  # the first key: the kiosk wakes, speech starts
    qtbot.waitUntil(lambda: bool(said_texts(said)))
    first = said_texts(said)[-1]
    assert first.startswith("Speech is on. Press Down for the next item")
    assert first.endswith("Tap a topic to learn more. Heading.")  # then the first words
    press(qtbot, window, Qt.Key.Key_Down)
    assert said_texts(said)[-1] == "English. Button, selected."  # the language in use
    assert said[-2]["cmd"] == "stop"  # what was being said stops first
    go_to(qtbot, window, "Take the self-check")
    assert said_texts(said)[-1] == "Take the self-check. Button."
    press(qtbot, window, Qt.Key.Key_Return)
    check = window.visit.session.selfcheck  # type: ignore[union-attr]
    assert check is not None
    question = check.questions[0]
    qtbot.waitUntil(lambda: "Sign 4 of 4" in said_texts(said)[-1])
    opening = said_texts(said)[-1]
    # The question, then every sign, in order, and no answer yet.
    assert opening.startswith("Question 1 of 9")
    places = [opening.index(question.text)] + [
        opening.index(f"Sign {n} of 4: {sign}.") for n, sign in enumerate(question.signs, 1)]
    assert places == sorted(places)
    assert not any(a.text in opening for a in question.answers)
    go_to(qtbot, window, "Yes, one or more")
    assert said_texts(said)[-1] == "Yes, one or more. Answer 1 of 2."
    press(qtbot, window, Qt.Key.Key_F1)  # Help: where you are, and the keys
    assert said_texts(said)[-1].startswith(window.screen_name() + ". Press Down")
    press(qtbot, window, Qt.Key.Key_R)  # Repeat
    assert said_texts(said)[-1] == "Yes, one or more. Answer 1 of 2."
    press(qtbot, window, Qt.Key.Key_Plus)  # faster, then the same words at the new pace
    assert said[-3] == {**said[-3], "cmd": "set", "rate": 0.25, "volume": 1.0}
    press(qtbot, window, Qt.Key.Key_PageDown)  # softer
    assert said[-3] == {**said[-3], "cmd": "set", "rate": 0.25, "volume": 0.85}
    press(qtbot, window, Qt.Key.Key_P)
    assert said[-1]["cmd"] == "pause"
    press(qtbot, window, Qt.Key.Key_P)
    assert said[-1]["cmd"] == "resume"
    go_to(qtbot, window, question.signs[0])
    assert said_texts(said)[-1] == f"Sign 1 of 4: {question.signs[0]}."
    choose(qtbot, window, "No, none of these")
    assert window.visit.session.view.step == 1  # type: ignore[union-attr]
    count = len(said)
    window.reset()  # the visit ends: pace and loudness go back for the next patient
    assert [(c["rate"], c["volume"]) for c in said[count:] if c["cmd"] == "set"] == [(0.0, 1.0)]


def test_a_choice_in_use_is_said_as_selected(
        qtbot: QtBot, listening: tuple[KioskWindow, list[dict[str, Any]]]) -> None:
    window, said = listening
    press(qtbot, window, Qt.Key.Key_Down)
    choose(qtbot, window, "Text size")
    qtbot.waitUntil(lambda: focus_text(window) == "Text size and colors")
    go_to(qtbot, window, "Normal")
    assert said_texts(said)[-1] == "Normal. Button, selected."
    press(qtbot, window, Qt.Key.Key_Down)
    assert said_texts(said)[-1] == "Larger. Button."


def test_time_outs_are_spoken_and_ten_times_longer(
        qtbot: QtBot, listening: tuple[KioskWindow, list[dict[str, Any]]]) -> None:
    window, said = listening
    press(qtbot, window, Qt.Key.Key_Down)
    usual = window.visit.idle_seconds()
    assert usual is not None
    assert window.idle.seconds == usual * SPEECH_PATIENCE
    choose(qtbot, window, "How migraines and back pain may be linked")
    assert window.idle.seconds == window.visit.idle_seconds() * SPEECH_PATIENCE
    window.on_idle()  # the patient stopped: "Are you still there?", spoken
    qtbot.waitUntil(lambda: "Press any key for more time." in said_texts(said)[-1])
    assert said_texts(said)[-1].startswith("Are you still there? The screen will start over")
    press(qtbot, window, Qt.Key.Key_Down)  # any key: more time
    assert not window.still_there.isVisible()
    assert window.visit.screen is Screen.TOPIC
    assert window.idle.seconds == window.visit.idle_seconds() * SPEECH_PATIENCE
    window.idle_reset()  # the reset itself is announced
    assert window.visit.screen is Screen.ATTRACT
    assert said_texts(said)[-1] == "The screen is starting over for the next person."
    assert not window.keypad.active


def test_touch_alone_says_nothing(
        qtbot: QtBot, listening: tuple[KioskWindow, list[dict[str, Any]]]) -> None:
    window, said = listening
    window.wake()
    tap(qtbot, window, "Your jaw joint (TMJ) and headaches")
    tap(qtbot, window, "Home")
    assert said_texts(said) == [] and not window.keypad.active
    assert focus_text(window) == ""
