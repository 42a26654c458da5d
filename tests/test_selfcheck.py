"""Self-check scoring, red-flag override, and the file's own errors."""

from __future__ import annotations

from pathlib import Path

from kiosk.selfcheck import answers_for, parse, urgent_answers
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
    assert urgent_answers(check) == [0, 0, 0]


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
    assert problems and "'urgent' section is missing" in problems[0]


def test_yaml_syntax_error_has_a_line() -> None:
    _, problems = load("title: x\nquestions: [\n")
    assert problems[0].startswith(f"{PATH}:3: the file cannot be read here")


def test_unknown_field_is_a_warning_and_the_check_still_loads() -> None:
    check, problems = load(SELF_CHECK.replace("intro:", "intro_text: x\nintro:"), False)
    assert check is not None
    assert problems == [f"{PATH}:2: warning: unknown field 'intro_text' (did you mean 'intro'?)"]


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
    long = text.replace("Loss of bladder control", "x" * 81)
    _, problems = load(long)
    assert problems == [f"{PATH}:19: question 3, sign 2: is 81 characters long; keep it to 80 "
                        "so it fits on the screen"]


def test_a_self_check_without_danger_signs_is_warned() -> None:
    text = SELF_CHECK.replace("        red_flag: true", "        points: 0")
    check, problems = load(text, errors_only=False)
    assert check is not None
    assert any("no question asks about danger signs" in p for p in problems)
