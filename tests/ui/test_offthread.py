"""Work off the GUI thread (kiosk/ui/offthread.py): a page opened before the background
rendering reached it never holds the screen up, and shows as soon as it is ready; results
reach only widgets that are still there."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import kiosk.pages
from kiosk.model import Language, Topic, load_content
from kiosk.page import Page
from kiosk.ui.offthread import EarlyPages, Worker
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured, tap


def held_back(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Page rendering held back until the event is set (at most 10 s): as a page that takes
    long, in C code the render budget cannot stop, would be."""
    release = threading.Event()
    real = kiosk.pages.render_with_budget

    def slow(topic: Topic, language: Language, root: Path,
             budget: float = kiosk.pages.PAGE_BUDGET_S) -> tuple[Page | None, float]:
        release.wait(10)
        return real(topic, language, root, budget)

    monkeypatch.setattr(kiosk.pages, "render_with_budget", slow)
    return release


def _jaw(root: Path) -> tuple[Topic, Language]:
    """The small content folder's jaw topic and its language."""
    content = load_content(root).content
    assert content is not None
    language = content.language()
    topic = language.topic("jaw")
    assert topic is not None
    return topic, language


def test_a_page_not_ready_shows_its_summary_then_the_page(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        make_content: Callable[..., Path]) -> None:
    root = make_content()
    topic, language = _jaw(root)
    release = held_back(monkeypatch)
    early = EarlyPages()
    ready: list[str] = []
    early.on_ready = ready.append
    page = early(topic, language, root)  # on the GUI thread: it must not wait for the page
    assert "About the jaw." in page.html and "…" in page.html  # its summary meanwhile
    release.set()
    qtbot.waitUntil(lambda: ready == ["jaw"])
    assert "<strong>you</strong>" in page.html  # the same page, now the whole of it


def test_a_page_ready_at_once_is_shown_at_once(make_content: Callable[..., Path]) -> None:
    root = make_content()
    topic, language = _jaw(root)
    assert "<strong>you</strong>" in EarlyPages()(topic, language, root).html


def test_the_window_shows_a_page_opened_early_when_it_is_ready(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, make_content: Callable[..., Path],
        open_window: Callable[..., KioskWindow]) -> None:
    release = held_back(monkeypatch)  # the background rendering too: the page is not ready
    window = open_window(configured(), content=make_content())
    assert isinstance(window.visit.render, EarlyPages)
    window.visit.render.WAIT_S = EarlyPages.WAIT_S  # as a patient's kiosk waits (open_window
    # waits longer, so that other tests read the whole page on a loaded machine)
    tap(qtbot, window, "Your jaw")
    page = window.topic_screen.page
    assert "About the jaw." in page.toPlainText()
    release.set()
    qtbot.waitUntil(lambda: "The jaw and you." in page.toPlainText())
    assert window.topic_screen.title.text() == "Your jaw"


def test_a_result_for_an_object_that_is_gone_is_dropped(qtbot: QtBot) -> None:
    from kiosk.ui.offthread import weak

    class Owner:
        def __init__(self) -> None:
            self.got: list[object] = []

        def take(self, result: object) -> None:
            self.got.append(result)

    worker = Worker("test")
    kept, gone = Owner(), Owner()
    gone_ref = weakref.ref(gone)
    worker.submit("kept", lambda: 1, weak(kept, Owner.take))
    worker.submit("gone", lambda: 2, weak(gone, Owner.take))
    del gone
    assert gone_ref() is None
    worker.submit("kept", lambda: 3, weak(kept, Owner.take))  # replaces the first
    assert worker.wait()
    qtbot.waitUntil(lambda: kept.got == [3])
    worker.close()

