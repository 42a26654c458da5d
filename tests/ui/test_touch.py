"""Touch that forgives a shaky finger, driven with real touch events on a touch device."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QScroller, QWidget
from pytestqt.qtbot import QtBot

from kiosk.pin import hash_pin
from kiosk.session import Screen
from kiosk.ui.scrolling import stop_and_top
from kiosk.ui.window import KioskWindow
from kiosk.visit import ANSWER_GUARD_S
from tests.ui.conftest import configured, find_button, read_every_sign, touch_at


def centre_of(window: QWidget, b: QAbstractButton) -> QPoint:
    return b.mapTo(window, b.rect().center())


def test_a_double_tap_answers_one_question(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    window = open_window(answer_guard=ANSWER_GUARD_S)  # the guard a patient gets
    now = [1000.0]
    window.visit.clock = lambda: now[0]  # the test's clock: a busy machine cannot stretch it
    window.open_topic("jaw-and-tmj")
    window.start_selfcheck()
    now[0] += ANSWER_GUARD_S + 0.05
    session = window.session
    read_every_sign(qtbot, window)
    no = find_button(window, "No, none of these")
    at = centre_of(window, no)
    touch_at(window, finger, at)
    assert session.view.step == 1  # the first tap answered the first question
    now[0] += 0.05
    touch_at(window, finger, at)  # the second half of the double tap, same place
    qtbot.wait(50)
    assert session.view.step == 1 and session.answers[1] is None
    now[0] += ANSWER_GUARD_S + 0.05
    read_every_sign(qtbot, window)
    touch_at(window, finger, centre_of(window, find_button(window, "No, none of these")))
    assert session.view.step == 2  # a deliberate tap later still answers


FINGER_PACE_S = 0.04  # a flick's touch events come this close together, or closer


def flick(qtbot: QtBot, window: KioskWindow, finger: QPointingDevice, tries: int = 20) -> None:
    """One strong upward flick on the topic page: down, seven fast moves up, up.

    Qt's flick recognizer times the events as they arrive, so a machine too busy to deliver
    them at a finger's pace turns a flick into a slow drag. Each try is timed here; one that
    was not at a finger's pace is tried again from the top. The fling itself is not helped.
    """
    viewport = window.topic_screen.area.viewport()
    x = viewport.width() // 2
    start = viewport.mapTo(window, QPoint(x, viewport.height() - 20))
    # Apart from the last try's events (the kiosk makes no double clicks: Qt's interval is 0
    # once a window is shown; test_a_flick_right_after_a_tap_still_scrolls checks that).
    apart = QGuiApplication.styleHints().mouseDoubleClickInterval() + 50
    for _ in range(tries):
        stop_and_top(window.topic_screen.area)
        qtbot.wait(apart)
        stamps: list[tuple[float, float]] = []

        def send(sequence: Any, stamps: list[tuple[float, float]] = stamps) -> None:
            before = time.monotonic()
            sequence.commit()
            stamps.append((before, time.monotonic()))

        send(QTest.touchEvent(window, finger).press(0, start, window))
        for step in range(1, 8):
            qtbot.wait(8)
            send(QTest.touchEvent(window, finger).move(0, start - QPoint(0, step * 40), window))
        send(QTest.touchEvent(window, finger).release(0, start - QPoint(0, 300), window))
        if all(b[1] - a[0] <= FINGER_PACE_S for a, b in zip(stamps, stamps[1:], strict=False)):
            return
    pytest.skip(f"the machine was too busy to send a flick's touch events at a finger's pace "
                f"({FINGER_PACE_S * 1000:g} ms apart) in {tries} tries")


def test_a_flick_scrolls_the_page_on_its_own_and_the_next_page_opens_at_its_top(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    window = open_window(size=(800, 480))
    window.open_topic("spinal-fluid-leaks")
    screen = window.topic_screen
    bar = screen.area.verticalScrollBar()
    assert bar.maximum() > 1000
    scroller = QScroller.scroller(screen.area.viewport())

    flick(qtbot, window, finger)
    assert scroller.state() == QScroller.State.Scrolling  # the fling started
    lifted = bar.value()  # where the finger left it
    qtbot.waitUntil(lambda: bar.value() >= lifted + 200, timeout=60000)  # moving on its own

    flick(qtbot, window, finger)
    assert scroller.state() == QScroller.State.Scrolling
    window.go_home()
    window.open_topic("spine-injuries")  # the next page, while the fling still runs
    assert scroller.state() != QScroller.State.Scrolling and bar.value() == 0
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
        touch_at(window, finger, at)
    assert not window.staff.pin_pad.isVisible()


def test_the_staff_corner_still_works_where_no_button_is(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    window = open_window(configured(staff_pin_hash=hash_pin("2468", iterations=1)))
    assert window.visit.screen is Screen.HOME  # Back is hidden here: the corner is empty
    for _ in range(5):
        touch_at(window, finger, QPoint(4, 4))
    assert window.staff.pin_pad.isVisible()


def test_a_flick_right_after_a_tap_still_scrolls(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    """A patient taps the page (to steady it, or by mistake) and flicks at once: Qt would
    make the flick's press the second half of a double click, which starts no flick."""
    window = open_window(size=(800, 480))
    window.open_topic("spinal-fluid-leaks")
    screen = window.topic_screen
    scroller = QScroller.scroller(screen.area.viewport())
    viewport = screen.area.viewport()
    start = viewport.mapTo(window, QPoint(viewport.width() // 2, viewport.height() - 20))
    for _ in range(20):
        stop_and_top(screen.area)
        touch_at(window, finger, start)  # on the words, where no button is
        qtbot.wait(100)  # well inside Qt's double-click interval (400 ms by default)
        began = time.monotonic()
        QTest.touchEvent(window, finger).press(0, start, window).commit()
        for step in range(1, 8):
            qtbot.wait(8)
            QTest.touchEvent(window, finger).move(0, start - QPoint(0, step * 40),
                                                  window).commit()
        QTest.touchEvent(window, finger).release(0, start - QPoint(0, 300), window).commit()
        if time.monotonic() - began <= 8 * FINGER_PACE_S:  # at a finger's pace: judged
            break
    else:
        pytest.skip("the machine was too busy to send a flick at a finger's pace")
    assert scroller.state() == QScroller.State.Scrolling  # the fling started
