"""``kiosk shots``: render every screen to PNG, offscreen, by walking a real window."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kiosk.config import Config
from kiosk.model import Loaded
from kiosk.pin import PinGuard, hash_pin
from kiosk.selfcheck import NOW, TODAY, answers_for, tier_answers
from kiosk.session import Screen, Session
from kiosk.ui.app import build_window
from kiosk.ui.offthread import wait_all
from kiosk.ui.widgets import IMAGE_IO
from kiosk.ui.window import KioskWindow


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "x"


def _settle() -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
        # Old screens are deleted "later", which means by an event loop; there is none here.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        wait_all()  # pictures are drawn on a worker thread: in the shot, not after it


def walk(window: KioskWindow, text_step: int = 0, high_contrast: bool = False) -> Iterator[str]:
    """Visit every screen of every language, yielding a file name for each.

    ``text_step`` and ``high_contrast`` are the patient's display choices to walk with.
    """
    content = window.content
    if content is None:
        yield "resting"
        return

    window.visit.answer_guard = 0.0  # a script answers faster than any finger

    def fresh(code: str, wake: bool) -> Session:
        window.reset()
        if wake:
            window.wake()
        session = window.session
        assert session is not None
        session.set_language(code)
        session.set_text_step(text_step)
        session.set_contrast(high_contrast)
        window.refresh()
        return session

    for code in content.codes:
        prefix = "" if code == content.default_language else f"{code}-"
        session = fresh(code, wake=True)
        yield f"{prefix}home"
        window.open_display()
        yield f"{prefix}display"
        window.display_panel.hide()
        session = fresh(code, wake=False)
        yield f"{prefix}attract"
        window.wake()
        window.open_topic(session.language.topics[0].id)
        window.still_there.ask(window.visit.timing.countdown, session.label)
        yield f"{prefix}still-there"
        window.still_there.dismiss()
        window.show_qr("https://example.org/more-to-read")
        yield f"{prefix}qr"
        window.qr_panel.hide()
        if code == content.default_language:
            window.go_home()
            window.staff.pin_pad.ask(PinGuard(hash_pin("0000", iterations=1)))
            yield "staff-pin"
            window.staff.pin_pad.cancel()
            window.open_staff_panel()
            yield "staff-panel"
            window.staff.panel.hide()
        for topic in session.language.topics:
            window.go_home()
            window.open_topic(topic.id)
            yield f"{prefix}topic-{topic.id}"
        if code == content.default_language:  # the keypad path's focus ring, on a page
            window.go_home()
            window.open_topic(session.language.topics[0].id)
            yield from _keypad_on(window, "keypad-page", 4)
        check = session.selfcheck
        if check is None:
            continue
        if code == content.default_language:  # ... and on an answer
            window.go_home()
            window.start_selfcheck()
            first = check.questions[0].answers[0].text
            yield from _keypad_on(window, "keypad-answer", 60, first.__eq__)
        window.go_home()
        window.start_selfcheck()
        for step in range(len(check.questions)):
            yield f"{prefix}check-{step + 1}"
            if _read_down(window):  # "none of these" was locked: read on, as a patient does
                yield f"{prefix}check-{step + 1}-read"
            flags = check.questions[step].asks_danger_signs
            _answer(window, step, len(check.questions[step].answers) - 1 if flags else 0)
        for number, band in enumerate(check.bands, start=1):
            picks = answers_for(check, band.low)
            if picks is None:
                continue
            window.go_home()
            window.start_selfcheck()
            for step, choice in enumerate(picks):
                _answer(window, step, choice)
            yield f"{prefix}result-{number}-{_slug(band.title)}"
        for tier, name in ((NOW, "urgent"), (TODAY, "today")):
            picks = tier_answers(check, tier)
            if picks is None:
                continue
            window.go_home()
            window.start_selfcheck()
            for step, choice in enumerate(picks):
                _answer(window, step, choice)
            yield f"{prefix}result-{name}"
        window.open_call()
        yield f"{prefix}call"


def _keypad_on(window: KioskWindow, name: str, moves: int,
               until: Callable[[str], bool] | None = None) -> Iterator[str]:
    """The screen as a keypad user sees it: the ring ``moves`` stops down (or down to the
    stop whose words ``until`` accepts); then off."""
    keypad = window.keypad
    keypad.active = True
    keypad.follow(restart=True)
    for _ in range(moves):
        item = keypad.current()
        if until is not None and item is not None and until(item.text):
            break
        keypad.move(1)
    _settle()
    yield name
    keypad.reset()


def _read_down(window: KioskWindow) -> bool:
    """On a question whose "none of these" is locked, scroll its list down half a screen at
    a time until it opens. Returns whether it was locked."""
    from kiosk.ui.screens.selfcheck import SelfCheckScreen  # with the self-check only

    screen = window.current_screen
    if not isinstance(screen, SelfCheckScreen) or not any(b.locked for b in screen.answers):
        return False
    bar = screen.area.verticalScrollBar()
    while any(b.locked for b in screen.answers) and bar.value() < bar.maximum():
        bar.setValue(min(bar.maximum(), bar.value() + screen.area.viewport().height() // 2))
        _settle()
    return True


def _answer(window: KioskWindow, step: int, choice: int) -> None:
    """Answer as a patient who has read the question's every sign (the tour shows each
    question as it first appears, locked "none of these" and all, then reads on)."""
    window.saw_signs(step)
    window.answer(step, choice)


def take_shots(config: Config, outdir: Path, size: tuple[int, int], text_step: int = 0,
               high_contrast: bool = False) -> list[Path]:
    """Render every screen at ``size`` into ``outdir``; returns the files written."""
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    config = replace(config, fullscreen=False,
                     values={**config.values, "watch_content": False})
    windows = [build_window(config)]
    windows.append(build_window(config, loaded=Loaded(None, [])))  # the resting screen
    for window in windows:
        window.resize(*size)
        window.show()
        _settle()
        for name in walk(window, text_step, high_contrast):
            _settle()
            path = outdir / f"{name}.png"
            with IMAGE_IO:  # the picture worker may be reading an image (widgets.IMAGE_IO)
                saved = window.grab().save(str(path))
            if not saved:
                raise OSError(f"could not write {path}")
            written.append(path)
        window.close()
        window.deleteLater()
    _settle()
    return written


def tour(window: KioskWindow, steps: int) -> set[str]:
    """Walk every screen over and over, as patients would, for at least ``steps`` taps.

    For the leak test and bench/: topics and back; the self-check along every path (a
    scored result of each band, and each danger tier), each path's every question with its
    list of signs read, then the call panel; the next language (each in turn, a
    right-to-left one too), the display panel, home and a reset. Returns the screens
    reached: ``check-N``, ``result-N`` (a band), ``result-now``, ``result-today``, ``call``.
    """
    app = QApplication.instance()
    assert app is not None
    done = 0
    reached: set[str] = set()
    while done < steps:
        session = window.session
        assert session is not None and session.selfcheck is not None
        for topic in session.language.topics:
            window.open_topic(topic.id)
            window.go_back()
            done += 2
        window.visit.answer_guard = 0.0
        check = session.selfcheck
        paths = [answers_for(check, band.low) for band in check.bands]
        paths += [tier_answers(check, NOW), tier_answers(check, TODAY)]
        for picks in paths:
            if picks is None:
                continue
            window.go_home()
            window.start_selfcheck()
            for step, choice in enumerate(picks):
                reached.add(f"check-{step + 1}")
                _answer(window, step, choice)
                done += 1
            outcome = session.outcome()
            if outcome is not None and session.view.screen is Screen.RESULT:
                reached.add(f"result-{outcome.tier or outcome.band}")
            window.open_call()
            reached.add("call")
            done += 2
        content = window.visit.content
        codes = list(content.languages) if content is not None else [session.language_code]
        here = codes.index(session.language_code) if session.language_code in codes else -1
        window.set_language(codes[(here + 1) % len(codes)])  # every language in turn
        window.open_display()
        window.display_panel.hide()
        window.go_home()
        window.reset()
        window.wake()
        done += 6
        _settle()
    return reached
