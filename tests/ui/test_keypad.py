"""The keypad path, by real key events only (never a touch): the first key switches it on,
Up/Down move a focus ring through every control and paragraph in reading order, the action
key presses, Back goes back or closes a panel; the whole patient path is walked this way,
and every other key stays locked out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk import bidi
from kiosk.session import Screen
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured

STEPS = 60  # more stops than any screen has


def press(qtbot: QtBot, window: KioskWindow, key: Qt.Key, times: int = 1) -> None:
    for _ in range(times):
        QTest.keyClick(window.windowHandle(), key)  # as a USB keypad's key arrives
        qtbot.wait(1)


def focus_text(window: KioskWindow) -> str:
    """The words in focus, as they read (without direction marks)."""
    item = window.keypad.current()
    return bidi.strip_controls(item.text) if item is not None else ""


def go_to(qtbot: QtBot, window: KioskWindow, text: str) -> None:
    """Press Down until the focus is on ``text``, as a patient listening would."""
    for _ in range(STEPS):
        if focus_text(window) == text:
            assert window.keypad.ring.isVisible()
            return
        press(qtbot, window, Qt.Key.Key_Down)
    pytest.fail(f"{text!r} is not reached by Down; the stops: "
                f"{[i.text[:40] for i in window.keypad.items]}")


def choose(qtbot: QtBot, window: KioskWindow, text: str) -> None:
    go_to(qtbot, window, text)
    press(qtbot, window, Qt.Key.Key_Return)
    qtbot.wait(5)


@pytest.fixture
def keys_only(open_window: Callable[..., KioskWindow]) -> Callable[..., KioskWindow]:
    def make(size: tuple[int, int] = (800, 480), **values: object) -> KioskWindow:
        window = open_window(replace(configured(**values)), size=size)
        window.visit.answer_guard = 0.0
        window.reset()  # the attract screen, as a patient finds the kiosk
        return window
    return make


def test_the_first_key_wakes_the_kiosk_and_only_switches_the_keypad_on(
        qtbot: QtBot, keys_only: Callable[..., KioskWindow]) -> None:
    window = keys_only()
    assert window.visit.screen is Screen.ATTRACT and not window.keypad.active
    press(qtbot, window, Qt.Key.Key_Return)  # any key: as a touch anywhere
    qtbot.waitUntil(lambda: window.keypad.ring.isVisible())
    assert window.visit.screen is Screen.HOME and window.keypad.active
    assert focus_text(window) == "Tap a topic to learn more"  # the screen's first words
    window.reset()
    window.wake()  # a touch: the next patient
    press(qtbot, window, Qt.Key.Key_Return)  # the first key does nothing but switch on
    assert window.visit.screen is Screen.HOME and window.keypad.active
    assert focus_text(window) == "Tap a topic to learn more"


def test_down_and_up_walk_every_control_and_paragraph_in_reading_order(
        qtbot: QtBot, keys_only: Callable[..., KioskWindow]) -> None:
    window = keys_only()
    press(qtbot, window, Qt.Key.Key_Down)
    choose(qtbot, window, "Spinal fluid leaks and headaches")
    assert window.visit.screen is Screen.TOPIC
    stops = [item.text for item in window.keypad.items]
    assert stops[0] == "Spinal fluid leaks and headaches"  # the title first
    page_stops = [i for i in window.keypad.items if i.block >= 0]
    assert len(page_stops) > 15  # each paragraph, heading, item and picture of the page
    assert any(i.text.startswith("The brain and spinal cord with clear fluid")
               for i in page_stops)  # a picture: its description
    assert stops[-4:] == ["Back", "Home", "The Spine Institute", "Text size"]  # header last
    assert stops.index("Take the self-check") > stops.index(page_stops[-1].text)
    bar = window.topic_screen.area.verticalScrollBar()
    for expected in stops[1:len(page_stops) + 1]:
        press(qtbot, window, Qt.Key.Key_Down)
        assert focus_text(window) == expected
        ring = window.keypad.ring.geometry()
        assert window.rect().contains(ring.center())  # scrolled into view, ring on it
    assert bar.value() > 0
    press(qtbot, window, Qt.Key.Key_Up, 2)
    assert focus_text(window) == stops[len(page_stops) - 2]


@pytest.mark.parametrize("code", ["en", "es", "fa"])
def test_the_whole_patient_path_by_keys_alone(
        qtbot: QtBot, keys_only: Callable[..., KioskWindow], code: str) -> None:
    """The language, the text-size panel, the self-check with every list of signs read, a
    result, the call panel and back: never a touch, in each language. At the largest text
    the lists of signs do not fit: moving through them is what opens "No"."""
    window = keys_only()
    press(qtbot, window, Qt.Key.Key_Down)
    content = window.visit.content
    assert content is not None
    choose(qtbot, window, content.language(code).name)  # the language button, by keys
    session = window.visit.session
    assert session is not None and session.language_code == code
    words = session.label
    choose(qtbot, window, words("nav.text"))  # the text-size panel, by keys
    assert window.display_panel.isVisible()
    qtbot.waitUntil(lambda: focus_text(window) == words("display.heading"))  # in the panel
    choose(qtbot, window, words("display.largest"))
    assert session.text_step == 2
    press(qtbot, window, Qt.Key.Key_Escape)  # Back closes the panel
    assert not window.display_panel.isVisible()
    choose(qtbot, window, words("topic.take_check"))
    check = session.selfcheck
    assert check is not None
    progress = words("check.progress").split("{")[0].strip()
    for step, question in enumerate(check.questions):
        assert session.view.step == step
        assert focus_text(window).startswith(progress)  # each question starts at its top
        stops = [bidi.strip_controls(item.text) for item in window.keypad.items]
        if question.signs:  # the question, every sign, and only then its answers
            assert stops.index(question.signs[-1]) < stops.index(question.answers[0].text)
        choose(qtbot, window, question.answers[-1].text)  # "No" / "No, none of these"
    assert window.visit.screen is Screen.RESULT
    assert focus_text(window) == words("result.heading")
    choose(qtbot, window, words("result.call"))
    assert window.visit.screen is Screen.CALL
    assert "310-828-7757" in [bidi.strip_controls(i.text) for i in window.keypad.items]
    press(qtbot, window, Qt.Key.Key_Escape)  # Back
    assert window.visit.screen is Screen.RESULT
    choose(qtbot, window, words("nav.text"))
    qtbot.waitUntil(lambda: focus_text(window) == words("display.heading"))
    choose(qtbot, window, words("display.normal"))
    assert session.text_step == 0
    choose(qtbot, window, words("display.done"))
    assert not window.display_panel.isVisible()


@pytest.mark.parametrize(("answer", "screen_words"), [
    (0, "Please tell the front desk now"), (2, "Please tell a doctor or nurse today")])
def test_both_danger_tiers_by_keys(qtbot: QtBot, keys_only: Callable[..., KioskWindow],
                                   answer: int, screen_words: str) -> None:
    window = keys_only()
    press(qtbot, window, Qt.Key.Key_Down)
    choose(qtbot, window, "Take the self-check")
    for _ in range(answer):  # "No" to the questions before the one answered "Yes"
        choose(qtbot, window, "No, none of these")
    choose(qtbot, window, "Yes, one or more")
    assert window.visit.screen is Screen.RESULT
    assert screen_words in [i.text for i in window.keypad.items]
    if answer == 0:
        choose(qtbot, window, "I will tell the front desk now")
        assert window.visit.screen is Screen.ATTRACT  # the visit ends ...
        assert not window.keypad.active and not window.keypad.ring.isVisible()  # ... and so
        # does the keypad mode: the next patient starts by touch


def test_any_key_answers_are_you_still_there(
        qtbot: QtBot, keys_only: Callable[..., KioskWindow]) -> None:
    window = keys_only()
    press(qtbot, window, Qt.Key.Key_Down)
    window.still_there.ask(15, window.visit.session.label)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: focus_text(window) == "Are you still there?")
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.still_there.isVisible() and window.visit.screen is Screen.HOME


def test_other_keys_stay_locked_out_and_a_clinic_names_its_own(
        qtbot: QtBot, keys_only: Callable[..., KioskWindow]) -> None:
    window = keys_only(**{"keypad.next": "2, 8", "keypad.select": "5"})
    press(qtbot, window, Qt.Key.Key_Down)  # no longer "next"; a locked-out key does nothing
    assert window.visit.screen is Screen.ATTRACT and not window.keypad.active
    press(qtbot, window, Qt.Key.Key_2)
    assert window.visit.screen is Screen.HOME and window.keypad.active
    first = focus_text(window)
    press(qtbot, window, Qt.Key.Key_8)
    assert focus_text(window) != first
    for key in (Qt.Key.Key_A, Qt.Key.Key_F4, Qt.Key.Key_Down, Qt.Key.Key_Super_L):
        press(qtbot, window, key)
    assert window.visit.screen is Screen.HOME
    go_to_key = focus_text(window)
    press(qtbot, window, Qt.Key.Key_5)  # the clinic's action key
    assert window.visit.screen is not Screen.HOME or go_to_key in ("Tap a topic to learn more",
                                                                   "English")


@pytest.mark.parametrize("high", [False, True], ids=["light", "contrast"])
def test_the_focus_ring_shows_in_both_themes(
        qtbot: QtBot, keys_only: Callable[..., KioskWindow], high: bool) -> None:
    """A band of a colour neither theme uses, between two white ones, all around the stop."""
    window = keys_only()
    press(qtbot, window, Qt.Key.Key_Down)
    window.set_contrast(high)
    window.display_panel.hide()
    qtbot.waitUntil(lambda: not window.display_panel.isVisible())
    go_to(qtbot, window, "Take the self-check")
    ring = window.keypad.ring.geometry()
    button = window.keypad.current().widget  # type: ignore[union-attr]
    inside = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
    assert ring.contains(inside)  # all around it
    image = window.grab().toImage()
    magenta = 0
    for x in range(ring.left(), ring.right() + 1):
        for y in (ring.top() + 5, ring.bottom() - 5):
            c = image.pixelColor(x, y)
            magenta += c.red() > 170 and c.green() < 60 and 90 < c.blue() < 160
    assert magenta > ring.width()  # the band runs along the top and the bottom


def test_a_key_that_does_nothing_is_named_once_in_the_log(
        qtbot: QtBot, keys_only: Callable[..., KioskWindow],
        caplog: pytest.LogCaptureFixture) -> None:
    """How IT learns what their keypad's keys send (deploy/README.md, 7b)."""
    window = keys_only()
    with caplog.at_level(logging.INFO, logger="kiosk.ui.keypad"):
        press(qtbot, window, Qt.Key.Key_F9, 3)
    named = [r.getMessage() for r in caplog.records if "F9" in r.getMessage()]
    assert named == ["key F9 is not one of the keypad path's keys, so it does nothing; to use "
                     "it, name it in the config's [keypad] (deploy/README.md, 7b)"]
    assert window.visit.screen is Screen.ATTRACT


def test_a_held_key_or_a_double_strike_does_it_once(
        qtbot: QtBot, keys_only: Callable[..., KioskWindow]) -> None:
    """EN 301 549 5.7 and 5.8: a key held down, or the action key struck twice on one stop,
    counts once."""
    window = keys_only()
    press(qtbot, window, Qt.Key.Key_Down)
    start = focus_text(window)
    QTest.keyPress(window.windowHandle(), Qt.Key.Key_Down)  # a key held down: one press,
    for _ in range(3):  # then the repeats the keyboard sends while it stays down
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down,
                          Qt.KeyboardModifier.NoModifier, "", True)
        QApplication.sendEvent(window.windowHandle(), event)
    QTest.keyRelease(window.windowHandle(), Qt.Key.Key_Down)
    stops = [i.text for i in window.keypad.items]
    assert stops.index(focus_text(window)) == stops.index(start) + 1  # moved once
    go_to(qtbot, window, "How migraines and back pain may be linked")
    press(qtbot, window, Qt.Key.Key_Return)
    window.open_topic("jaw-and-tmj")  # a second page: Back twice would leave both
    qtbot.wait(5)
    go_to(qtbot, window, "Back")
    for _ in range(2):  # struck twice, faster than the screen changes: one Back
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(window.windowHandle(), QKeyEvent(
                kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
    qtbot.wait(5)
    assert window.visit.screen is Screen.TOPIC
    assert window.visit.session.view.topic_id == "migraines-and-back-pain"  # type: ignore[union-attr]
