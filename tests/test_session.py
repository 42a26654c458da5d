"""One patient's session: navigation, history, and new content under the same patient."""

from __future__ import annotations

from kiosk.config import bundled_content
from kiosk.model import load_content
from kiosk.session import Screen, Session


def make() -> Session:
    content = load_content(bundled_content()).content
    assert content is not None
    return Session(content)


def test_navigation_and_history() -> None:
    s = make()
    assert s.view.screen is Screen.HOME
    assert s.open_topic("jaw-and-tmj")
    assert not s.open_topic("no-such-topic")
    assert s.start_selfcheck()
    s.saw_signs(0)  # the screen saw every sign of question 1 on screen
    assert s.answer(1)  # "No" to the danger signs, asked first
    assert s.view.step == 1 and s.answers[0] == 1
    s.back()
    assert s.view.step == 0
    s.back()
    assert s.view.screen is Screen.TOPIC
    s.home()
    assert s.history == [s.view] and s.answers == []



def test_rebind_keeps_the_patients_choices_and_history() -> None:
    s = make()
    s.set_language("es")
    s.set_text_step(2)
    s.set_contrast(True)
    s.open_topic("jaw-and-tmj")
    s.open_topic("muscle-spasms")
    fresh = load_content(bundled_content()).content
    assert fresh is not None and fresh is not s.content
    s.rebind(fresh)
    assert s.content is fresh
    assert (s.language_code, s.text_step, s.high_contrast) == ("es", 2, True)
    assert [v.topic_id for v in s.history] == [None, "jaw-and-tmj", "muscle-spasms"]


def test_rebind_drops_views_of_topics_that_are_gone() -> None:
    s = make()
    s.open_topic("jaw-and-tmj")
    s.open_topic("muscle-spasms")
    fresh = load_content(bundled_content()).content
    assert fresh is not None
    en = fresh.languages["en"]
    gone = type(en)(en.code, en.folder, tuple(t for t in en.topics if t.id != "muscle-spasms"),
                    en.selfcheck, en.labels)
    smaller = type(fresh)(fresh.root, {**fresh.languages, "en": gone}, fresh.default_language)
    s.rebind(smaller)
    assert s.view.topic_id == "jaw-and-tmj"
    s.back()
    assert s.view.screen is Screen.HOME


def test_text_step_is_kept_in_range() -> None:
    s = make()
    s.set_text_step(9)
    assert s.text_step == 2
    s.set_text_step(-1)
    assert s.text_step == 0


def test_a_danger_sign_goes_straight_to_the_urgent_result() -> None:
    s = make()
    assert s.start_selfcheck()
    check = s.selfcheck
    assert check is not None and check.questions[0].asks_danger_signs
    flag = next(i for i, a in enumerate(check.questions[0].answers) if a.red_flag)
    s.answer(flag)
    assert s.view.screen is Screen.RESULT
    outcome = s.outcome()
    assert outcome is not None and outcome.urgent


def test_none_of_these_counts_only_after_every_sign_was_seen() -> None:
    s = make()
    assert s.start_selfcheck()
    check = s.selfcheck
    assert check is not None
    for step, question in enumerate(check.questions):
        if not question.signs:
            break
        no = [i for i, a in enumerate(question.answers) if not a.red_flag][0]
        assert not s.may_answer(no)
        assert not s.answer(no)  # refused: nothing recorded, still on this question
        assert s.view.step == step and s.answers[step] is None
        s.saw_signs(step + 1)  # another question's signs do not count for this one
        assert not s.answer(no)
        s.saw_signs(step)
        assert s.may_answer(no) and s.answer(no)
        assert s.answers[step] == no
    # Questions without a list of signs take any answer at once.
    step = s.view.step
    assert step == 4 and s.may_answer(1) and s.answer(1)
    # "Yes" to a list of signs counts before the list has been read to its end.
    s.home()
    s.start_selfcheck()
    assert s.signs_seen == set()  # a new self-check starts unread
    assert s.may_answer(0) and s.answer(0)
    outcome = s.outcome()
    assert s.view.screen is Screen.RESULT and outcome is not None and outcome.urgent
