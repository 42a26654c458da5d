"""Touch that forgives a shaky finger, driven with real touch events on a touch device."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QScroller, QWidget
from pytestqt.qtbot import QtBot

from kiosk.pin import hash_pin
from kiosk.session import Screen
from kiosk.ui.window import KioskWindow
from kiosk.visit import ANSWER_GUARD_S
from tests.ui.conftest import configured, find_button


@pytest.fixture(scope="module")
def finger() -> QPointingDevice:
    return QTest.createTouchDevice()


def touch_tap(window: QWidget, finger: QPointingDevice, at: QPoint) -> None:
    """One finger down and up at a point of the window, as the touch screen sends it."""
    QTest.touchEvent(window, finger).press(0, at, window).commit()
    QTest.touchEvent(window, finger).release(0, at, window).commit()


def centre_of(window: QWidget, b: QAbstractButton) -> QPoint:
    return b.mapTo(window, b.rect().center())


def test_a_double_tap_answers_one_question(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    window = open_window(answer_guard=ANSWER_GUARD_S)  # the guard a patient gets
    window.open_topic("jaw-and-tmj")
    window.start_selfcheck()
    qtbot.wait(int(ANSWER_GUARD_S * 1000) + 50)
    session = window.session
    no = find_button(window, "No, none of these")
    at = centre_of(window, no)
    touch_tap(window, finger, at)
    assert session.view.step == 1  # the first tap answered the first question
    touch_tap(window, finger, at)  # the second half of the double tap, same place
    qtbot.wait(50)
    assert session.view.step == 1 and session.answers[1] is None
    qtbot.wait(int(ANSWER_GUARD_S * 1000) + 50)
    touch_tap(window, finger, centre_of(window, find_button(window, "No")))
    assert session.view.step == 2  # a deliberate tap later still answers


def test_a_page_opens_at_its_top_after_a_flick(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    window = open_window(size=(800, 480))
    window.open_topic("spinal-fluid-leaks")
    screen = window.topic_screen
    viewport = screen.area.viewport()
    bar = screen.area.verticalScrollBar()
    assert bar.maximum() > 1000
    # A strong upward flick: down, fast moves up, up.
    x = viewport.width() // 2
    start = viewport.mapTo(window, QPoint(x, viewport.height() - 20))
    QTest.touchEvent(window, finger).press(0, start, window).commit()
    for step in range(1, 8):
        qtbot.wait(8)
        QTest.touchEvent(window, finger).move(0, start - QPoint(0, step * 40), window).commit()
    QTest.touchEvent(window, finger).release(0, start - QPoint(0, 300), window).commit()
    scroller = QScroller.scroller(viewport)
    if scroller.state() != QScroller.State.Scrolling:
        # A busy machine can stretch the moves until the fling has no speed left; the
        # leftover motion is then started the way the fling would have started it.
        scroller.scrollTo(QPointF(0, bar.maximum()), 3000)
    qtbot.waitUntil(lambda: bar.value() > 100, timeout=2000)  # the page is moving
    window.go_home()
    window.open_topic("spine-injuries")  # the next page, while the flick still runs
    qtbot.wait(600)
    assert bar.value() == 0  # at its top, title in view: no leftover motion


def test_tapping_back_never_opens_the_staff_pad(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    window = open_window(configured(staff_pin_hash=hash_pin("2468", iterations=1)))
    window.open_topic("jaw-and-tmj")
    window.start_selfcheck()
    back = window.back_button
    # The left edge of Back, inside the hidden staff corner.
    at = back.mapTo(window, QPoint(6, back.height() // 2))
    assert at.x() < window.metrics.button and at.y() < window.metrics.button
    for _ in range(5):
        window.start_selfcheck() if window.visit.screen is not Screen.SELFCHECK else None
        touch_tap(window, finger, at)
    assert not window.staff.pin_pad.isVisible()


def test_the_staff_corner_still_works_where_no_button_is(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    window = open_window(configured(staff_pin_hash=hash_pin("2468", iterations=1)))
    assert window.visit.screen is Screen.HOME  # Back is hidden here: the corner is empty
    for _ in range(5):
        touch_tap(window, finger, QPoint(4, 4))
    assert window.staff.pin_pad.isVisible()
