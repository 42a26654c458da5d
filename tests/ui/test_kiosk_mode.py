"""Kiosk-grade operation: idle reset, lockdown, staff access, live content, never dying."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content
from kiosk.pin import hash_pin
from kiosk.session import Screen
from kiosk.ui.window import KioskWindow
from tests.conftest import topic_text
from tests.ui.conftest import configured, find_button, read_every_sign, tap

LONG_MS = 60_000  # waits that end when their event comes; long only for a very busy machine


def texts(window: KioskWindow) -> str:
    return "\n".join(lab.text() for lab in window.findChildren(QLabel))


def test_idle_mid_self_check_resets_to_attract_with_nothing_kept(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(idle_timeout=1, idle_countdown=1, watch_content=False))
    tap(qtbot, window, "How migraines and back pain may be linked")
    tap(qtbot, window, "Take the self-check")
    check = window.session.selfcheck
    danger = [q for q in check.questions if q.signs]
    for _question in danger:
        read_every_sign(qtbot, window)
        tap(qtbot, window, "No, none of these")
    tap(qtbot, window, "Yes")
    question = check.questions[len(danger) + 1].text
    assert question in texts(window)
    still_there = window.still_there
    # Event-driven: the idle signal, then the overlay's own countdown running out (a busy
    # machine may be slow to fire 1 s timers; these waits end as soon as they fire).
    with qtbot.waitSignal(window.idle.idle, timeout=LONG_MS):
        pass
    assert still_there.isVisible()
    assert "Are you still there?" in still_there.heading.text()
    assert window.current_screen is window.screens[Screen.SELFCHECK]  # asked, not reset yet
    with qtbot.waitSignal(still_there.expired, timeout=LONG_MS):
        pass
    assert window.current_screen is window.screens[Screen.ATTRACT]
    # Nothing of the last session is left: not in the model, not in any widget.
    assert window.session.answers == [] and window.session.view.screen is Screen.ATTRACT
    assert len(window.session.history) == 1
    all_text = texts(window)
    assert question not in all_text
    assert window.topic_screen.page.toPlainText() == ""
    assert window.topic_screen.topic_id is None
    assert window.screens[Screen.SELFCHECK].answers == [] or all(
        b.parent() is None or not b.isVisible() for b in window.screens[Screen.SELFCHECK].answers)
    # A touch anywhere starts again at home.
    qtbot.mouseClick(window.screens[Screen.ATTRACT], Qt.MouseButton.LeftButton)
    assert window.current_screen is window.screens[Screen.HOME]


def test_im_still_here_keeps_the_patient_where_they_were(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(idle_timeout=1, idle_countdown=30, watch_content=False))
    tap(qtbot, window, "Spine injuries and headaches")
    with qtbot.waitSignal(window.idle.idle, timeout=LONG_MS):
        pass
    assert window.still_there.isVisible()
    tap(qtbot, window, "I'm still here")
    assert not window.still_there.isVisible()
    assert window.current_screen is window.topic_screen
    assert window.session.view.topic_id == "spine-injuries"


def test_home_goes_to_attract_without_asking(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(idle_timeout=1, watch_content=False))
    with qtbot.waitSignal(window.idle.idle, timeout=LONG_MS):
        pass
    assert window.current_screen is window.screens[Screen.ATTRACT]
    assert not window.still_there.isVisible()
    assert window.idle.seconds is None  # nothing counts down on the attract screen
    assert window.screens[Screen.ATTRACT].timer.isActive()
    window.wake()
    assert not window.screens[Screen.ATTRACT].timer.isActive()  # no timer left running


def test_stray_keys_and_close_requests_leave_the_window_up(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(watch_content=False))
    tap(qtbot, window, "Your jaw joint (TMJ) and headaches")
    # (Escape and Backspace are the keypad path's Back keys: tests/ui/test_keypad.py.)
    keys = [(Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
            (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_Escape, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Backspace, Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)]
    for key, mods in keys:
        for target in (window, window.topic_screen.page, window.back_button):
            target.setFocus()  # wherever the keyboard's focus is, a key comes by the window
            QTest.keyClick(window.windowHandle(), key, mods)
    assert window.isVisible()
    assert window.current_screen is window.topic_screen
    assert window.close() is False
    assert window.isVisible()


def test_a_buttons_mnemonic_is_no_shortcut(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    """A "&" in a button's words makes Alt and that letter a shortcut to it in Qt; Qt looks
    for shortcuts before the key reaches any widget, so the lockdown takes every key's
    shortcut check at the window (a clinic's words with "&" in them click nothing)."""
    window = open_window(configured(watch_content=False))
    clicked: list[bool] = []
    b = QPushButton("&Quit", window.current_screen)
    b.clicked.connect(lambda: clicked.append(True))
    b.show()
    window.activateWindow()
    qtbot.wait(10)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(400)  # (a mnemonic's click is animated: it comes 100 ms later)
    assert clicked == []
    b.click()
    assert clicked  # (it is a working button)


def test_a_right_click_makes_no_menu(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    """A link in a label would offer "Copy link location" (tried: it does, without the
    lockdown). Qt 6.8.0 makes the menu after the window passed the right press on, newer Qt
    at the window: the lockdown stops both the press and the menu there."""
    window = open_window(configured(watch_content=False))
    link = QLabel('<a href="https://example.org/">a link</a>', window.current_screen)
    link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    link.show()
    link.raise_()
    at = link.mapTo(window, link.rect().center())
    for button in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
        QTest.mouseClick(window.windowHandle(), button, Qt.KeyboardModifier.NoModifier, at)
        qtbot.wait(50)
        assert QApplication.activePopupWidget() is None
    assert window.isVisible()


def test_a_drag_from_outside_is_refused(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    """A file dragged onto the kiosk (a mouse plugged in, another program's window) is
    refused at the window: not taken, so its source shows it cannot be dropped here."""
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QDragEnterEvent

    window = open_window(configured(watch_content=False))
    mime = QMimeData()
    mime.setText("a stray drop")
    event = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    event.setAccepted(False)
    assert window._events.eventFilter(window.windowHandle(), event)  # stopped...
    assert not event.isAccepted()  # ...and not taken
    QApplication.sendEvent(window.windowHandle(), event)
    assert not event.isAccepted()
    assert window.isVisible()


def test_fullscreen_window_is_frameless_and_on_top(qtbot: QtBot) -> None:
    from kiosk.ui.app import build_window

    window = build_window(configured(watch_content=False))
    qtbot.addWidget(window, before_close_func=lambda w: w.allow_close())
    # What the window system is told, before the window is shown...
    handle = window.windowHandle()
    assert handle is not None
    assert handle.flags() & Qt.WindowType.FramelessWindowHint
    assert handle.flags() & Qt.WindowType.WindowStaysOnTopHint
    window.showFullScreen()
    qtbot.waitUntil(lambda: window.started_up)
    qtbot.wait(10)  # the work after the first paint runs on the next turn
    # ...what it still has once shown, and the widget's own record of it.
    for flags in (handle.flags(), window.windowFlags()):
        assert flags & Qt.WindowType.FramelessWindowHint
        assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert window.windowHandle() is handle


def corner_taps(qtbot: QtBot, window: KioskWindow, count: int = 5) -> None:
    for _ in range(count):  # by the window, as the screen's taps come
        QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, QPoint(5, 5))


def test_staff_pin_opens_panel_and_wrong_pins_lock_the_pad(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    stored = hash_pin("2580", iterations=1000)
    window = open_window(configured(staff_pin_hash=stored, pin_attempts=5,
                                    watch_content=False))
    corner_taps(qtbot, window, 4)
    assert not window.staff.pin_pad.isVisible()
    corner_taps(qtbot, window, 1)
    assert window.staff.pin_pad.isVisible()
    for _ in range(5):
        for digit in "1111":
            tap(qtbot, window, digit)
        tap(qtbot, window, "OK")
    assert "Locked for" in window.staff.pin_pad.message.text()
    assert not find_button(window, "OK").isEnabled()
    for digit in "2580":  # the right PIN does nothing while locked
        qtbot.mouseClick(window.staff.pin_pad.keys[digit], Qt.MouseButton.LeftButton)
    assert not window.staff.panel.isVisible()
    window.staff.guard.locked_until = 0  # the lock-out time has passed
    window.staff.pin_pad.ask(window.staff.guard)
    for digit in "2580":
        tap(qtbot, window, digit)
    tap(qtbot, window, "OK")
    assert window.staff.panel.isVisible() and not window.staff.pin_pad.isVisible()
    assert "Topics: 6 in en, 6 in es" in window.staff.panel.status.text()
    tap(qtbot, window, "Exit the kiosk")
    qtbot.waitUntil(lambda: not window.isVisible())


def test_no_pin_and_full_screen_means_no_staff_gesture(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    from kiosk.ui.app import build_window

    window = build_window(replace(configured(watch_content=False), fullscreen=True))
    qtbot.addWidget(window, before_close_func=lambda w: w.allow_close())
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    corner_taps(qtbot, window)
    assert not window.staff.pin_pad.isVisible() and not window.staff.panel.isVisible()


def test_broken_file_keeps_the_old_page_and_a_fix_shows_without_restart(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    jaw = root / "en" / "jaw-and-tmj.md"
    window = open_window(configured(watch_content=True), content=root)
    tap(qtbot, window, "Your jaw joint (TMJ) and headaches")
    page_before = window.topic_screen.page.toPlainText()

    jaw.write_text("---\ntitle: Half-saved\n", encoding="utf-8")  # an editor mid-save
    qtbot.waitUntil(lambda: any("jaw-and-tmj.md" in p for p in window.visit.problems),
                    timeout=LONG_MS)
    assert window.topic_screen.page.toPlainText() == page_before
    tap(qtbot, window, "Home")
    tiles = [t.text() for t in window.screens[Screen.HOME].tiles]
    assert "Your jaw joint (TMJ) and headaches" in tiles
    window.open_staff_panel()
    assert "jaw-and-tmj.md" in window.staff.panel.problems.text()
    window.staff.panel.hide()

    jaw.write_text(topic_text("Jaw pain, fixed", "A fixed summary.", 2, "Fixed page."),
                   encoding="utf-8")
    home = window.screens[Screen.HOME]
    qtbot.waitUntil(lambda: "Jaw pain, fixed" in [t.text() for t in home.tiles],
                    timeout=LONG_MS)
    assert window.visit.problems == []


def test_new_content_waits_until_the_reader_is_done(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    window = open_window(configured(watch_content=True), content=root)
    tap(qtbot, window, "Muscle spasms, arthritis, and headaches")
    (root / "en" / "muscle-spasms.md").write_text(
        topic_text("Spasms, renamed", "s", 3, "New words."), encoding="utf-8")
    qtbot.waitUntil(lambda: window.visit.has_pending, timeout=LONG_MS)
    assert window.topic_screen.title.text() == "Muscle spasms, arthritis, and headaches"
    tap(qtbot, window, "Home")
    assert "Spasms, renamed" in [t.text() for t in window.screens[Screen.HOME].tiles]


def test_deleted_content_folder_keeps_the_last_good_content(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    window = open_window(configured(watch_content=True), content=root)
    # Gone at once, as a folder moved away or unmounted is: a reload already under way (the
    # first reads of the copied files change their access times, which the watcher sees)
    # could otherwise read a half-deleted folder on a loaded machine, and that half would
    # rightly become the last good content.
    root.rename(tmp_path / "gone")
    shutil.rmtree(tmp_path / "gone")
    qtbot.waitUntil(lambda: any("does not exist" in p for p in window.visit.problems),
                    timeout=LONG_MS)
    assert len(window.screens[Screen.HOME].tiles) == 6
    tap(qtbot, window, "Spinal fluid leaks and headaches")  # still readable, from memory
    assert "spinal tap" in window.topic_screen.page.toPlainText()


def test_an_exception_in_a_tap_handler_leaves_the_kiosk_at_home(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    window = open_window(configured(watch_content=False))
    tap(qtbot, window, "Your jaw joint (TMJ) and headaches")

    def boom(*_args: object) -> bool:
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(window.session, "start_selfcheck", boom)
    tap(qtbot, window, "Take the self-check")
    assert window.isVisible()
    assert window.current_screen is window.screens[Screen.HOME]
    assert "a bug in a handler" in caplog.text
    tap(qtbot, window, "Spine injuries and headaches")  # and it still works
    assert window.current_screen is window.topic_screen


def test_nothing_a_patient_does_reaches_the_disk(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    import os

    from kiosk import contentcache, pagecache
    from kiosk.logsetup import setup_logging
    from kiosk.model import load_content
    from kiosk.pages import render_pages

    log_path = setup_logging()
    try:
        window = open_window(configured(watch_content=False))
        # The usage counts open just after the first paint (a zero timer): wait for them, or
        # a busy machine can have the taps below come first and go uncounted.
        qtbot.waitUntil(lambda: window.visit.usage is not None, timeout=LONG_MS)
        tap(qtbot, window, "Spinal fluid leaks and headaches")
        tap(qtbot, window, "Take the self-check")
        tap(qtbot, window, "Yes, one or more")  # a danger sign: straight to the result
        window.reset()
    finally:
        setup_logging(to_file=False)
    import threading

    for thread in threading.enumerate():  # the content index and the rendered pages,
        if thread.name in ("content-index", "kiosk-background"):  # written after the paint
            thread.join(10)
    written = sorted(Path(d, f) for base in ("XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                             "XDG_CACHE_HOME", "XDG_STATE_HOME")
                     for d, _dirs, files in os.walk(os.environ[base]) for f in files)
    usage_files = [p for p in written if p.name.startswith("usage.sqlite3")]
    indexes = [p for p in written if p.name == contentcache.FILE_NAME]
    kept_pages = [p for p in written if p.name == contentcache.PAGES_FILE_NAME]
    assert [p for p in written if p not in usage_files + indexes + kept_pages] == [log_path]
    folder, language = window.config.content_dir, window.config.language
    key = contentcache.fingerprint(folder, language)
    assert key is not None
    for index in indexes:  # the content folder's own index: what it holds, and nothing else
        assert index.read_text(encoding="utf-8") == contentcache.encode(
            load_content(folder, language), key)
    for path in kept_pages:  # its pages as rendered: what the folder holds, nothing else
        start = load_content(folder, language)
        assert path.read_text(encoding="utf-8") == pagecache.encode(
            start, render_pages(start), pagecache.key(key) or "")
    log_text = log_path.read_text(encoding="utf-8") if log_path else ""
    for secret in ("Spinal fluid", "weakness", "numbness", "Yes", "front desk now"):
        assert secret not in log_text
    assert "session reset" not in log_text  # a reset is a count, not a timed log line
    # The usage counts say which screens were shown, never what was answered.
    import sqlite3

    from kiosk.stats import default_path

    window.visit.usage.flush()
    with sqlite3.connect(default_path()) as db:
        rows = sorted(db.execute("SELECT kind, detail, count FROM counts"))
    assert rows == [("check_finished", "urgent", 1), ("check_started", "", 1),
                    ("session_end", "under 1 min", 1), ("topic_view", "spinal-fluid-leaks", 1)]
    raw = b"".join(p.read_bytes() for p in usage_files)
    for secret in (b"weakness", b"numbness", b"Yes", b"Spinal fluid"):
        assert secret not in raw


def test_a_reload_keeps_the_patients_text_size_contrast_language_and_history(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    window = open_window(configured(watch_content=True), content=root)
    window.set_language("es")
    window.set_text_step(2)
    window.set_contrast(True)
    window.display_panel.hide()
    window.open_topic("jaw-and-tmj")
    window.open_topic("muscle-spasms")
    body_px = window.metrics.body
    old = window.visit.content
    (root / "es" / "jaw-and-tmj.md").write_text(
        (root / "es" / "jaw-and-tmj.md").read_text(encoding="utf-8") + "\nUna línea nueva.\n",
        encoding="utf-8")  # what a content sync does
    qtbot.waitUntil(lambda: window.visit.has_pending, timeout=LONG_MS)
    window.go_back()  # the patient keeps reading: back to the jaw page
    window.go_home()  # the new content shows here
    assert window.visit.content is not old
    session = window.session
    assert (session.language_code, session.text_step, session.high_contrast) == ("es", 2, True)
    assert window.metrics.body == body_px and window.theme.name == "high-contrast"
    window.open_topic("jaw-and-tmj")
    assert "Una línea nueva." in window.topic_screen.page.toPlainText()


def test_danger_signs_come_first_whatever_the_file_order(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    import yaml

    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    path = root / "en" / "self-check.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    danger = [q for q in data["questions"] if any(a.get("red_flag") for a in q["answers"])]
    data["questions"] = [q for q in data["questions"] if q not in danger] + danger  # last
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    window = open_window(configured(), content=root)
    tap(qtbot, window, "Take the self-check")
    shown = texts(window)
    assert danger[0]["text"] in shown and "Question 1 of" in shown
