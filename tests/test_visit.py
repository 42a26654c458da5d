"""The visit controller, without Qt: taps, idle decisions, reloads, counts, forgetting."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import bundled_content
from kiosk.model import Language, Loaded, Topic, load_content
from kiosk.render import Page, render_topic
from kiosk.session import Screen
from kiosk.visit import ANSWER_GUARD_S, Change, IdleStep, Timing, Visit


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Counts:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def record(self, kind: str, detail: str = "") -> None:
        self.events.append((kind, detail))


def loaded() -> Loaded:
    return load_content(bundled_content())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def counts() -> Counts:
    return Counts()


@pytest.fixture
def visit(clock: Clock, counts: Counts) -> Visit:
    return Visit(loaded(), "en", timing=Timing(idle=90, end=45, countdown=15), usage=counts,
                 clock=clock)


def answer_all(visit: Visit, clock: Clock, choices: list[int]) -> None:
    for step, choice in enumerate(choices):
        if visit.screen is not Screen.SELFCHECK:  # a danger sign ends it early
            break
        clock.advance(ANSWER_GUARD_S + 0.01)
        visit.saw_signs(step)  # as the screen reports once every sign has been on it
        assert visit.answer(step, choice) == Change.VIEW


def test_starts_at_home_and_a_visit_walks_the_patients_path(visit: Visit, clock: Clock,
                                                            counts: Counts) -> None:
    assert visit.screen is Screen.HOME
    assert visit.open_topic("jaw-and-tmj") == Change.VIEW
    assert visit.open_topic("no-such-topic") == Change.NONE
    assert visit.start_selfcheck() == Change.VIEW
    assert visit.screen is Screen.SELFCHECK
    session = visit.session
    assert session is not None and session.selfcheck is not None
    # kiosk/content/en/self-check.yaml asks the danger signs first; its first answer, "Yes,
    # one or more", is a red flag and ends the self-check at once.
    answer_all(visit, clock, [0])
    assert visit.screen is Screen.RESULT
    assert visit.open_call() == Change.VIEW
    clock.advance(200)
    assert visit.reset() == Change.FORGET | Change.VIEW | Change.LOOK
    assert visit.screen is Screen.ATTRACT
    assert counts.events == [("topic_view", "jaw-and-tmj"), ("check_started", ""),
                             ("check_finished", "urgent"), ("call_view", ""),
                             ("session_end", "3-10 min")]


def test_one_double_tap_answers_one_question(visit: Visit, clock: Clock) -> None:
    visit.start_selfcheck()
    clock.advance(ANSWER_GUARD_S + 0.01)
    assert visit.saw_signs(0) == Change.VIEW
    assert visit.answer(0, 1) == Change.VIEW
    # The second tap of a double tap lands on the next question at once: ignored, whether
    # it names the question it was meant for or the new one.
    assert visit.answer(0, 1) == Change.NONE
    visit.saw_signs(1)
    assert visit.answer(1, 1) == Change.NONE
    session = visit.session
    assert session is not None and session.view.step == 1
    assert session.answers[1] is None
    clock.advance(ANSWER_GUARD_S + 0.01)
    assert visit.answer(1, 1) == Change.VIEW
    assert session.view.step == 2


def test_none_of_these_waits_until_the_screen_saw_every_sign(visit: Visit,
                                                             clock: Clock) -> None:
    visit.start_selfcheck()
    clock.advance(ANSWER_GUARD_S + 0.01)
    assert not visit.may_answer(0, 1)
    assert visit.answer(0, 1) == Change.NONE  # "No, none of these", unread: does not count
    assert visit.saw_signs(1) == Change.NONE  # not the question on screen
    assert visit.saw_signs(0) == Change.VIEW  # the screen unlocks "No"
    assert visit.saw_signs(0) == Change.NONE  # once
    assert visit.may_answer(0, 1) and not visit.may_answer(1, 1)
    assert visit.answer(0, 1) == Change.VIEW
    session = visit.session
    assert session is not None and session.answers[0] == 1 and session.view.step == 1
    assert not visit.may_answer(1, 1)  # the next list starts unread


def test_each_danger_tier_has_its_own_result_and_count(visit: Visit, clock: Clock,
                                                       counts: Counts) -> None:
    session = visit.session
    assert session is not None and session.selfcheck is not None
    questions = session.selfcheck.questions
    today = [i for i, q in enumerate(questions) if q.tier == "today"]
    assert today and all(q.tier == "now" for q in questions[:today[0]])
    visit.start_selfcheck()
    # "No" to every emergency list, then "Yes" to the first same-day list.
    answer_all(visit, clock, [1] * today[0] + [0])
    outcome = session.outcome()
    assert visit.screen is Screen.RESULT and outcome is not None
    assert (outcome.tier, outcome.urgent, outcome.danger) == ("today", False, True)
    assert outcome.title == "Please tell a doctor or nurse today"
    assert counts.events[-1] == ("check_finished", "today")


def test_danger_signs_come_first(visit: Visit) -> None:
    visit.start_selfcheck()
    session = visit.session
    assert session is not None and session.selfcheck is not None
    assert session.selfcheck.questions[0].asks_danger_signs


def test_idle_decisions_per_screen(visit: Visit) -> None:
    assert visit.idle_seconds() == 90 and visit.on_idle() is IdleStep.RESET  # home
    visit.open_topic("jaw-and-tmj")
    assert visit.idle_seconds() == 90 and visit.on_idle() is IdleStep.ASK
    visit.open_call()
    assert visit.idle_seconds() == 45 and visit.on_idle() is IdleStep.ASK
    visit.reset(idle=True)
    assert visit.idle_seconds() is None and visit.on_idle() is IdleStep.WAIT  # attract


def test_idle_reset_is_counted_only_after_a_visit(visit: Visit, counts: Counts) -> None:
    visit.reset(idle=True)
    assert counts.events == []
    visit.wake()
    visit.open_topic("jaw-and-tmj")
    visit.reset(idle=True)
    assert [k for k, _ in counts.events] == ["topic_view", "idle_reset", "session_end"]


def test_reset_forgets_the_visit_and_its_pages(visit: Visit) -> None:
    visit.set_text_step(2)
    visit.set_contrast(True)
    visit.set_language("es")
    visit.open_topic("jaw-and-tmj")
    assert visit.page("jaw-and-tmj") is not None
    assert visit._pages  # this patient's page is cached ...
    visit.reset()
    assert visit._pages == {}  # ... and forgotten at the reset
    session = visit.session
    assert session is not None
    assert (session.language_code, session.text_step, session.high_contrast) == ("en", 0, False)
    assert session.history[-1].screen is Screen.ATTRACT and session.answers == []


def test_a_reload_keeps_the_patients_choices(visit: Visit) -> None:
    visit.set_text_step(2)
    visit.set_contrast(True)
    visit.set_language("es")
    visit.open_topic("jaw-and-tmj")
    visit.home()
    old = visit.content
    change = visit.content_loaded(loaded())  # at home: shown at once
    assert Change.CONTENT in change and visit.content is not old
    session = visit.session
    assert session is not None
    assert (session.language_code, session.text_step, session.high_contrast) == ("es", 2, True)


def test_a_reload_waits_while_a_patient_reads_and_keeps_their_back_history(
        visit: Visit) -> None:
    visit.set_text_step(1)
    visit.open_topic("jaw-and-tmj")
    visit.open_topic("muscle-spasms")
    old = visit.content
    assert visit.content_loaded(loaded()) == Change.NONE  # not under a reader
    assert visit.content is old and visit.has_pending
    assert Change.VIEW in visit.back()
    assert visit.content is old  # still reading
    change = visit.home()
    assert Change.CONTENT in change and visit.content is not old and not visit.has_pending
    session = visit.session
    assert session is not None and session.text_step == 1


def test_in_preview_a_reload_shows_at_once_and_keeps_the_screen(clock: Clock) -> None:
    visit = Visit(loaded(), "en", clock=clock, live=True)
    visit.open_topic("jaw-and-tmj")
    change = visit.content_loaded(loaded())
    assert Change.CONTENT in change
    assert visit.screen is Screen.TOPIC
    assert visit.idle_seconds() is None and visit.on_idle() is IdleStep.WAIT


def test_a_reload_with_errors_keeps_the_last_good_content(visit: Visit, tmp_path: Path) -> None:
    old = visit.content
    broken = load_content(tmp_path / "missing")
    assert visit.content_loaded(broken) == Change.NONE
    assert visit.content is old
    assert visit.error_count >= 1
    assert "error(s) in the files; the last good content is showing." in visit.staff_status()


def test_pages_are_rendered_once_by_the_renderer_given(clock: Clock) -> None:
    calls: list[str] = []

    def render(topic: Topic, language: Language, root: Path) -> Page:
        calls.append(topic.id)
        return render_topic(topic, language, root)

    visit = Visit(loaded(), "en", clock=clock, render=render)
    visit.open_topic("jaw-and-tmj")
    first = visit.page("jaw-and-tmj")
    assert visit.page("jaw-and-tmj") is first
    assert calls == ["jaw-and-tmj"]
    text = visit.speech_text()
    assert text is not None and text.startswith(visit.session.topic().title + ".\n")  # type: ignore[union-attr]


def test_staff_status_counts_topics_per_language_and_lists_pages_due(visit: Visit) -> None:
    status = visit.staff_status()
    assert status.startswith("Topics: 6 in en, 6 in es, 6 in fa, from ")
    # No clinician has reviewed the bundled pages yet: all eighteen are due.
    assert "18 page(s) due for a clinician's review (every 12 months): " \
        "en/migraines-and-back-pain.md (never reviewed)" in status


def test_no_content_rests(clock: Clock, tmp_path: Path) -> None:
    visit = Visit(load_content(tmp_path / "none"), "en", clock=clock)
    assert visit.screen is None and visit.session is None
    assert visit.open_topic("x") == Change.NONE and visit.wake() == Change.NONE
    assert visit.idle_seconds() is None
    assert visit.staff_status().startswith("No usable content")


def test_pages_rendered_later_are_kept_or_treated_as_a_reload(clock: Clock,
                                                              tmp_path: Path) -> None:
    import shutil

    from kiosk.pages import load_rendered
    from tests.conftest import topic_text

    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    visit = Visit(load_content(root), "en", clock=clock)
    assert visit.pages_rendered(load_rendered(root)) == Change.NONE  # same files: kept
    assert ("en", "jaw-and-tmj") in visit._rendered
    visit.open_topic("jaw-and-tmj")
    # A file changed between the first load and the background rendering: a reload.
    (root / "en" / "muscle-spasms.md").write_text(topic_text("Spasms, renamed", "s", 3, "x"),
                                                  encoding="utf-8")
    assert visit.pages_rendered(load_rendered(root)) == Change.NONE  # waits: a reader
    assert visit.has_pending
    assert Change.CONTENT in visit.home()
    session = visit.session
    assert session is not None
    assert "Spasms, renamed" in [t.title for t in session.language.topics]
