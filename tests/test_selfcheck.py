"""Self-check scoring, red-flag override, and the file's own errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.config import bundled_content
from kiosk.model import load_content
from kiosk.selfcheck import answers_for, parse, says_no, urgent_answers
from kiosk.visit import Change, Visit
from tests.conftest import SELF_CHECK

PATH = Path("content/en/self-check.yaml")


def load(text: str = SELF_CHECK, errors_only: bool = True):
    check, problems = parse(text, PATH)
    return check, [str(p) for p in problems if p.is_error or not errors_only]


def test_scores_fall_into_bands() -> None:
    check, problems = load()
    assert problems == [] and check is not None
    assert check.max_score == 3
    # Asked in this order: the danger signs (3rd in the file) first, then the others.
    assert check.score([1, 1, 1]).title == "Few signs"
    assert check.score([1, 0, 1]).title == "Some signs"
    assert check.score([1, 0, 0]).score == 3
    assert not check.score([1, 0, 0]).urgent


def test_red_flag_overrides_any_score() -> None:
    check, _ = load()
    assert check is not None
    outcome = check.score([0, 1, 1])  # score 0, but a red flag
    assert outcome.urgent
    assert outcome.title == "Tell the front desk now"
    assert "911" in outcome.message
    assert urgent_answers(check) == [0]  # the self-check ends at the red flag


def test_answers_for_each_score() -> None:
    check, _ = load()
    assert check is not None
    # Read off SELF_CHECK by hand, in the order asked: the danger signs (0: a red flag,
    # 1: "None of these", 0 points), back pain (0: "Yes", 2 points; 1: "No", 0) and headaches
    # (0: "Yes", 1 point; 1: "No", 0). Each total has one way to it without a red flag.
    assert answers_for(check, 0) == [1, 1, 1]
    assert answers_for(check, 1) == [1, 1, 0]
    assert answers_for(check, 2) == [1, 0, 1]
    assert answers_for(check, 3) == [1, 0, 0]
    assert answers_for(check, 4) is None  # more than all the points there are
    outcomes = [check.score([1, 1, 1]), check.score([1, 0, 1])]
    assert [(o.title, o.band, o.urgent) for o in outcomes] == [("Few signs", 1, False),
                                                                ("Some signs", 2, False)]


def test_uncovered_and_overlapping_scores_are_errors() -> None:
    text = SELF_CHECK.replace("    to: 1\n", "    to: 0\n").replace(
        "urgent:", "  - from: 3\n    to: 3\n    title: x\n    message: y\nurgent:")
    check, problems = load(text)
    assert check is None
    assert any("no result covers a total score of 1" in p for p in problems)
    assert any(p.startswith(f"{PATH}:") and "overlaps result 2" in p for p in problems)


def test_answer_without_points_or_red_flag_names_question_and_line() -> None:
    text = SELF_CHECK.replace("      - text: No\n        points: 0\n  - text: Do headaches",
                              "      - text: No\n  - text: Do headaches", 1)
    check, problems = load(text)
    assert check is None
    assert problems == [f"{PATH}:8: question 1, answer 2: the field 'points' is missing"]


def test_bad_number_and_too_few_questions() -> None:
    text = SELF_CHECK.replace("points: 2", "points: two")
    _, problems = load(text)
    assert problems == [f"{PATH}:7: question 1, answer 1: 'points' must be a whole number "
                        "like 3, not 'two'"]


def test_missing_urgent_section() -> None:
    text = SELF_CHECK.split("urgent:")[0] + "not_diagnosis: x\n"
    _, problems = load(text)
    assert problems and "the 'now' section is missing" in problems[0]


# -- two danger tiers: "tell the front desk now" and "tell a doctor or nurse today" ----------
# SELF_CHECK writes the emergency tier the older way ('red_flag: true', an 'urgent:' section);
# TIERED adds a same-day question and writes the emergency tier the newer way.
TODAY_QUESTION = """\
  - text: Is any of these true for you?
    signs:
      - Cancer, now or in the past
    answers:
      - text: Yes, one or more
        red_flag: today
      - text: No, none of these
        points: 0
"""
TODAY_SECTION = """\
today:
  title: Tell a nurse today
  message: A nurse should know about this today.
"""
TIERED = (SELF_CHECK.replace("results:\n", TODAY_QUESTION + "results:\n")
          .replace("red_flag: true", "red_flag: now").replace("urgent:", "now:")
          + TODAY_SECTION)


def test_each_tier_has_its_result_and_now_wins_over_today() -> None:
    check, problems = load(TIERED)
    assert problems == [] and check is not None
    # Asked: the emergency question, then the same-day one, then the two scored ones.
    assert [q.tier for q in check.questions] == ["now", "today", "", ""]
    today = check.score([1, 0, 0, 0])
    assert (today.tier, today.urgent, today.title) == ("today", False, "Tell a nurse today")
    assert today.message == "A nurse should know about this today."
    now = check.score([0, 0, 0, 0])
    assert (now.tier, now.urgent, now.title) == ("now", True, "Tell the front desk now")
    band = check.score([1, 1, 0, 0])
    assert (band.tier, band.danger, band.band) == ("", False, 2)
    # The older spelling means the same as the newer one.
    old, _ = load(SELF_CHECK)
    assert old is not None and old.questions[0].answers[0].tier == "now"
    assert old.urgent_title == check.urgent_title


@pytest.mark.parametrize(("old", "new", "said"), [
    ("red_flag: today", "red_flag: tomorrow",
     "27: question 4, answer 1: 'red_flag: tomorrow' is not a tier the kiosk knows; write "
     "'red_flag: now' (tell the front desk now: an emergency sign) or 'red_flag: today' "
     "(tell a doctor or nurse today: a sign a doctor must hear about the same day)"),
    (TODAY_SECTION, "",
     "27: question 4, answer 1: 'red_flag: today' needs a 'today:' section saying what the "
     "patient is told (tell a doctor or nurse today: a sign a doctor must hear about the same "
     "day); there is none (fix: add a 'today:' section with a 'title' and a 'message', as the "
     "'now:' section has)"),
    ("now:\n", "urgent:\n  title: Old\n  message: Old words.\nnow:\n",
     "39: 'urgent' is the older name of the 'now' section, and this file has both; keep only "
     "'now'"),
    ("      - Cancer, now or in the past\n", "      - Cancer, now or in the past\n"
     "      - Weight loss without trying\n      - A fall or a car crash\n"
     "      - A weak immune system\n      - Over 50, with a new kind of headache\n",
     "23: question 4: lists 5 signs; one screen shows at most 4, so that a patient sees every "
     "sign before answering (fix: split the signs over two questions with the same answers "
     "(for example 'Do you have any of these?' twice))"),
])
def test_a_tier_the_kiosk_cannot_show_is_an_error(old: str, new: str, said: str) -> None:
    assert old in TIERED
    check, problems = load(TIERED.replace(old, new, 1))
    assert check is None
    assert f"{PATH}:{said}" in problems


def test_a_today_section_nobody_reaches_is_warned() -> None:
    text = TIERED.replace("red_flag: today", "points: 0")
    check, problems = load(text, errors_only=False)
    assert check is not None
    assert f"{PATH}:43: warning: the 'today' section is never shown: no answer is marked " \
        "'red_flag: today' (fix: mark the 'yes' answer of a question about same-day signs " \
        "'red_flag: today', or remove the section)" in problems


def test_yaml_syntax_error_has_a_line() -> None:
    _, problems = load("title: x\nquestions: [\n")
    assert problems[0].startswith(f"{PATH}:3: the file cannot be read here")


def test_an_unknown_field_is_an_error_with_did_you_mean() -> None:
    check, problems = load(SELF_CHECK.replace("intro:", "intro_text: x\nintro:"))
    assert check is None
    assert problems == [f"{PATH}:2: unknown field 'intro_text' (did you mean 'intro'?)"]


def test_an_error_says_the_self_check_is_hidden() -> None:
    _, problems = load(SELF_CHECK.replace("points: 2", "points: two"), errors_only=False)
    assert problems[-1] == (f"{PATH}:1: warning: because of the error(s) in this file the "
                            "self-check is left out and the 'Take the self-check' button is "
                            "hidden (fix: fix the errors above; the button comes back)")


def test_danger_signs_are_asked_first_whatever_the_file_order() -> None:
    check, _ = load()
    assert check is not None
    assert [q.text for q in check.questions] == [
        "Do you have any of these now?", "Does your back hurt most days?",
        "Do headaches stop you from working?"]
    assert check.questions[0].asks_danger_signs
    assert not any(q.asks_danger_signs for q in check.questions[1:])


def test_signs_are_listed_under_the_question() -> None:
    text = SELF_CHECK.replace("  - text: Do you have any of these now?\n",
                              "  - text: Do you have any of these now?\n"
                              "    signs:\n      - Sudden, very bad headache\n"
                              "      - Loss of bladder control\n")
    check, problems = load(text)
    assert problems == [] and check is not None
    assert check.questions[0].signs == ("Sudden, very bad headache", "Loss of bladder control")
    long = text.replace("Loss of bladder control", "x" * 161)
    _, problems = load(long)
    assert problems == [f"{PATH}:19: question 3, sign 2: is 161 characters long; keep it to "
                        "160 so it fits on the screen"]


def test_a_self_check_without_danger_signs_is_warned() -> None:
    text = SELF_CHECK.replace("        red_flag: true", "        points: 0")
    check, problems = load(text, errors_only=False)
    assert check is not None
    assert any("no question asks about danger signs" in p for p in problems)


# -- a self-check that would mislead a patient is an error, at its line --------------------
# SELF_CHECK's lines: 16 "- text: Do you have any of these now?", 18 "- text: A sudden, very
# bad headache", 19 "red_flag: true", 20 "- text: None of these", 21 "points: 0", 24 "to: 1"
# (of result 1), 31 "urgent:".
FLAGGED = "      - text: A sudden, very bad headache\n        red_flag: true\n"
NONE = "      - text: None of these\n        points: 0\n"


@pytest.mark.parametrize(("old", "new", "said"), [
    # A typo in the flag alone: named as the typo, not as missing points.
    ("red_flag: true", "red-flag: true",
     "19: question 3, answer 1: unknown field 'red-flag' (did you mean 'red_flag'?)"),
    # With points beside it the answer would load as an ordinary one: an error all the same.
    ("        red_flag: true\n", "        points: 0\n        red-flag: true\n",
     "20: question 3, answer 1: unknown field 'red-flag' (did you mean 'red_flag'?)"),
    ("        red_flag: true\n", "        red_flag: true\n        redflag: false\n",
     "20: question 3, answer 1: unknown field 'redflag' (did you mean 'red_flag'?)"),
    ("  - text: Do you have any of these now?\n",
     "  - text: Do you have any of these now?\n    sign:\n      - Loss of bladder control\n",
     "17: question 3: unknown field 'sign' (did you mean 'signs'?)"),
    ("        red_flag: true\n", "        red_flag: true\n        red_flag: false\n",
     "20: question 3, answer 1: 'red_flag' is written twice; write it once"),
    ("urgent:\n  title:", "urgent:\n  titel: x\n  title:",
     "32: urgent: unknown field 'titel' (did you mean 'title'?)"),
    ("    to: 1\n", "    to: 1\n    too: 2\n",
     "25: result 1: unknown field 'too' (did you mean 'to'?)"),
])
def test_a_misspelt_or_repeated_field_is_an_error_at_its_line(old: str, new: str,
                                                              said: str) -> None:
    assert old in SELF_CHECK
    check, problems = load(SELF_CHECK.replace(old, new, 1))
    assert check is None
    assert problems == [f"{PATH}:{said}"]


def test_a_question_whose_every_answer_is_a_red_flag_is_an_error() -> None:
    text = SELF_CHECK.replace(NONE, "      - text: None of these\n        red_flag: true\n")
    check, problems = load(text)
    assert check is None
    assert problems == [
        f"{PATH}:21: question 3, answer 2: 'None of these' is marked 'red_flag: true', so a "
        "patient who has none of the signs is sent to the front desk (fix: put the red flag on "
        "the answer that means yes, and give this one 'points: 0')",
        f"{PATH}:16: question 3: every answer is marked 'red_flag: true', so every patient is "
        "sent to the front desk whatever they answer (fix: keep 'red_flag: true' only on the "
        "answer that means a danger sign (such as 'Yes, one or more'), and give the others "
        "'points')"]
    # Worded otherwise, it is the same mistake.
    text = SELF_CHECK.replace(NONE, "      - text: Maybe\n        red_flag: true\n")
    _, problems = load(text)
    assert problems == [p for p in problems if p.startswith(f"{PATH}:16: question 3: every")]
    assert len(problems) == 1


@pytest.mark.parametrize("answer", ["No, none of these", "None of these", "No", "no.",
                                    "No, ninguna de estas", "Ninguna de estas", "Ninguno",
                                    "NINGÚN síntoma", "Nada de esto", "No tengo ninguna",
                                    "Never", "Não, nenhum destes", "نه، هیچ‌کدام", "نه",
                                    "هیچ‌کدام", "هيچكدام", "خیر"])
def test_a_red_flag_on_an_answer_that_says_no_is_an_error(answer: str) -> None:
    assert says_no(answer)
    text = SELF_CHECK.replace(FLAGGED, f"      - text: \"{answer}\"\n        red_flag: true\n"
                              "      - text: Yes, one or more\n        points: 0\n")
    check, problems = load(text)
    assert check is None
    assert len(problems) == 1
    assert problems[0].startswith(f"{PATH}:19: question 3, answer 1: '{answer}' is marked "
                                  "'red_flag: true', so a patient who has none of the signs")


@pytest.mark.parametrize("answer", ["Yes, one or more", "Sí, una o más", "Not sure",
                                    "No sé", "No lo sé", "No estoy seguro", "No estoy segura",
                                    "I don't know", "A sudden, very bad headache",
                                    "Nausea or throwing up", "Now",
                                    "Numbness in the groin", "Noche sin dormir",
                                    "بله، یکی یا بیشتر", "مطمئن نیستم", "نمی‌دانم",
                                    "نه، مطمئن نیستم", "نه، نمی‌دانم", "نه، یادم نیست"])
def test_a_red_flag_on_other_answers_is_fine(answer: str) -> None:
    assert not says_no(answer)
    text = SELF_CHECK.replace(FLAGGED, f"      - text: \"{answer}\"\n        red_flag: true\n")
    check, problems = load(text)
    assert problems == [] and check is not None


def _bundled_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    return root


@pytest.mark.parametrize(("old", "new"), [
    ("        red_flag: now", "        red-flag: now"),
    ("        red_flag: today", "        red_flag: tomorrow"),
    ("        points: 0\n  - text: Do you have pain in your lower back",
     "        red_flag: true\n  - text: Do you have pain in your lower back"),
    ("    signs:", "    sign:"),
])
def test_the_kiosk_never_shows_a_misleading_self_check(tmp_path: Path, old: str,
                                                       new: str) -> None:
    """At start the self-check is left out (its button hidden); on a reload the last good
    content, with its own self-check, keeps showing."""
    root = _bundled_copy(tmp_path)
    good = load_content(root)
    assert good.content is not None and not good.errors
    visit = Visit(good, "en")
    shown = visit.content
    assert shown is not None
    path = root / "en" / "self-check.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    bad = load_content(root)
    assert bad.content is not None and bad.content.language("en").selfcheck is None
    assert {p.path for p in bad.errors} == {path}
    assert visit.content_loaded(bad) == Change.NONE
    assert visit.content is shown
    check = shown.language("en").selfcheck
    assert check is not None and check.questions[0].asks_danger_signs
    assert check.score([0, 1, 1, 1, 1, 1]).urgent


def test_kiosk_check_explains_what_the_self_check_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.__main__ import main

    assert main(["check", str(bundled_content())]) == 0
    err = capsys.readouterr().err
    path = bundled_content() / "en" / "self-check.yaml"
    assert f"{path}: 9 questions, asked in this order: 2 question(s) on emergency signs " \
        "('red_flag: now': a yes shows \"Please tell the front desk now\"), then 2 question(s) " \
        "on same-day signs ('red_flag: today': a yes shows \"Please tell a doctor or nurse " \
        "today\"), then 5 scored question(s) (3 results for totals 0 to 7)\n" in err
