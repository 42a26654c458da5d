"""Every danger sign is on screen before "No, none of these" can count (issue 18).

Driven as a patient on the Raspberry Pi display (800x480) at the largest text, in both
languages and both themes, with real touch events: a tap on the locked "No" never answers;
it scrolls the list on. "No" opens only once the last part of the list has been in view,
"Yes" counts at any time, and each danger tier ends at its own result and main action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QLabel, QScroller
from pytestqt.qtbot import QtBot

from kiosk.session import Screen
from kiosk.ui.screens.selfcheck import SelfCheckScreen
from kiosk.ui.widgets import BigButton
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured, find_button, read_every_sign, touch

NO = {"en": "No, none of these", "es": "No, ninguna de estas"}
YES = {"en": "Yes, one or more", "es": "Sí, una o más"}
SEE_ALL = {"en": "See every sign first", "es": "Primero vea todas las señales"}




def patient_window(open_window: Callable[..., KioskWindow], language: str, high: bool,
                   size: tuple[int, int] = (800, 480), step: int = 2) -> KioskWindow:
    window = open_window(replace(configured(), language=language), size=size)
    window.set_text_step(step)
    window.set_contrast(high)
    window.display_panel.hide()
    window.open_topic("migraines-and-back-pain")
    window.start_selfcheck()
    return window


def record_seen(screen: SelfCheckScreen, seen: dict[str, set[int]]) -> None:
    """Add, for each sign, the rows of its words that are inside the visible part of the
    scroll area now (measured here, apart from the screen's own bookkeeping)."""
    viewport = screen.area.viewport()
    body = screen.area.widget()
    assert body is not None
    for lab in body.findChildren(QLabel):
        if lab.objectName() != "Strong" or lab.text() == "•":
            continue
        top = lab.mapTo(viewport, QPoint(0, 0)).y()
        rows = seen.setdefault(lab.text(), set())
        rows |= {y for y in range(lab.height()) if 0 <= top + y < viewport.height()}


def fully_seen(screen: SelfCheckScreen, seen: dict[str, set[int]]) -> set[str]:
    body = screen.area.widget()
    assert body is not None
    return {lab.text() for lab in body.findChildren(QLabel)
            if lab.text() in seen and len(seen[lab.text()]) == lab.height()}


def settle(qtbot: QtBot, screen: SelfCheckScreen) -> None:
    """Wait for a scroll the kiosk animates (300 ms) to end."""
    scroller = QScroller.scroller(screen.area.viewport())
    qtbot.wait(50)
    qtbot.waitUntil(lambda: scroller.state() == QScroller.State.Inactive)


@pytest.mark.parametrize("high", [False, True], ids=["standard", "high-contrast"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_none_of_these_counts_only_after_every_sign_was_on_screen(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice,
        language: str, high: bool) -> None:
    window = patient_window(open_window, language, high)
    session = window.session
    check = session.selfcheck
    assert check is not None
    danger = [q for q in check.questions if q.signs]
    assert len(danger) == 4
    for step, question in enumerate(danger):
        screen = window.current_screen
        assert isinstance(screen, SelfCheckScreen) and session.view.step == step
        qtbot.wait(1)
        no = find_button(window, NO[language])
        assert isinstance(no, BigButton) and no.locked  # largest text: the list does not fit
        assert no.accessibleDescription() == SEE_ALL[language]
        assert screen.more.isVisible() and SEE_ALL[language] in screen.more.text()
        seen: dict[str, set[int]] = {}
        record_seen(screen, seen)
        assert fully_seen(screen, seen) != set(question.signs)
        taps = 0
        while no.locked:  # the patient taps "No" again and again: it scrolls, never answers
            touch(window, finger, no)
            settle(qtbot, screen)
            taps += 1
            record_seen(screen, seen)
            assert session.view.step == step and session.answers[step] is None
            assert taps < 15, "the locked answer never opened"
        assert taps >= 1
        # Unlocked only now, and every line of every sign has been in view on the way.
        assert fully_seen(screen, seen) == set(question.signs)
        assert SEE_ALL[language] not in screen.more.text()
        touch(window, finger, no)
        assert session.view.step == step + 1 and session.answers[step] == 1
    # On a fresh self-check, "Yes" counts at once, list read or not: the emergency result.
    window.go_home()
    window.start_selfcheck()
    qtbot.wait(1)
    assert find_button(window, NO[language]).locked
    touch(window, finger, find_button(window, YES[language]))
    outcome = session.outcome()
    assert window.current_screen is window.screens[Screen.RESULT]
    assert outcome is not None and outcome.urgent


def test_a_jump_to_the_end_skipping_the_middle_does_not_open_it(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = patient_window(open_window, "es", True)
    screen = window.current_screen
    assert isinstance(screen, SelfCheckScreen)
    bar = screen.area.verticalScrollBar()
    qtbot.wait(1)
    assert bar.maximum() > screen.area.viewport().height()  # more than two screens' worth
    bar.setValue(bar.maximum())
    qtbot.wait(1)
    no = find_button(window, NO["es"])
    assert isinstance(no, BigButton) and no.locked  # the middle signs were never shown
    assert not window.visit.may_answer(0, 1)
    bar.setValue(0)  # back to the top: the start and the end were seen, not the middle
    qtbot.wait(1)
    assert no.locked
    assert read_every_sign(qtbot, window) >= 1  # the middle, now seen
    assert not no.locked and window.visit.may_answer(0, 1)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_a_list_that_fits_is_open_at_once(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], size: tuple[int, int]) -> None:
    window = patient_window(open_window, "en", False, size=size, step=0)
    qtbot.wait(1)
    no = find_button(window, NO["en"])
    assert isinstance(no, BigButton)
    qtbot.waitUntil(lambda: not no.locked)
    assert not window.current_screen.more.isVisible()


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_tier_has_its_own_result_and_main_action(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice,
        language: str) -> None:
    words = {"en": ("Please tell a doctor or nurse today", "I will ask to be seen today",
                    "Please tell the front desk now", "I will tell the front desk now"),
             "es": ("Por favor, avísele hoy a un médico o a una enfermera",
                    "Voy a pedir que me atiendan hoy",
                    "Por favor, avise en la recepción ahora",
                    "Voy a avisar ahora en la recepción")}[language]
    window = patient_window(open_window, language, False, size=(1920, 1080), step=0)
    session = window.session
    for _step in range(2):  # "No" to both lists of emergency signs, "Yes" to a same-day one
        read_every_sign(qtbot, window)
        touch(window, finger, find_button(window, NO[language]))
    assert session.view.step == 2
    touch(window, finger, find_button(window, YES[language]))
    result = window.screens[Screen.RESULT]
    assert window.current_screen is result
    shown = [lab.text() for lab in result.findChildren(QLabel) if lab.isVisibleTo(result)]
    assert words[0] in shown and words[2] not in shown
    main = find_button(window, words[1])
    assert main.property("role") == "primary"
    touch(window, finger, main)
    assert window.session.view.screen is Screen.ATTRACT  # the visit ends; nothing kept
    # The emergency tier: its own words and its one red button.
    window.wake()
    window.open_topic("migraines-and-back-pain")
    window.start_selfcheck()
    touch(window, finger, find_button(window, YES[language]))
    shown = [lab.text() for lab in result.findChildren(QLabel) if lab.isVisibleTo(result)]
    assert words[2] in shown and words[0] not in shown
    assert find_button(window, words[3]).property("role") == "urgent"
