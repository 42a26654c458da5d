"""One patient's session, and how long each screen may sit untouched."""

from __future__ import annotations

from kiosk.config import bundled_content
from kiosk.model import load_content
from kiosk.session import Screen, Session, asks_before_reset, idle_seconds


def make() -> Session:
    content = load_content(bundled_content()).content
    assert content is not None
    return Session(content)


def test_navigation_and_history() -> None:
    s = make()
    assert s.view.screen is Screen.HOME
    assert s.open_topic("jaw-and-tmj")
    assert not s.open_topic("no-such-topic")
    assert s.start_check()
    s.answer(0)
    assert s.view.step == 1 and s.answers[0] == 0
    s.back()
    assert s.view.step == 0
    s.back()
    assert s.view.screen is Screen.TOPIC
    s.home()
    assert s.history == [s.view] and s.answers == []


def test_idle_policy() -> None:
    assert idle_seconds(Screen.ATTRACT, 90, 45) is None
    assert idle_seconds(Screen.TOPIC, 90, 45) == 90
    assert idle_seconds(Screen.RESULT, 90, 45) == 45
    assert idle_seconds(Screen.CALL, 30, 45) == 30
    assert not asks_before_reset(Screen.HOME)
    assert asks_before_reset(Screen.CHECK)
