"""The self-check: its model, how it is read from ``self-check.yaml``, and how it is scored.

Red-flag answers override any score: the patient is told to speak to the front desk now.
Questions with a red-flag answer (the danger signs) are always asked first, whatever their
place in the file, so a patient who stops early has still seen them.

A self-check that would mislead a patient is an error, so it is never shown (and ``kiosk
check`` fails): any field the kiosk does not know (a typo such as ``red-flag`` for
``red_flag`` silently turns a danger sign into an ordinary answer), a question whose every
answer is a red flag, and a red flag on an answer that says "no" or "none".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node, ScalarNode

from kiosk import yamlio
from kiosk.problems import Problem

FILE_NAME = "self-check.yaml"
MIN_QUESTIONS, MAX_QUESTIONS = 3, 6
MIN_ANSWERS, MAX_ANSWERS = 2, 4
MAX_SIGNS, MAX_SIGN = 8, 80


@dataclass(frozen=True)
class Answer:
    text: str
    points: int = 0
    red_flag: bool = False


@dataclass(frozen=True)
class Question:
    text: str
    answers: tuple[Answer, ...]
    signs: tuple[str, ...] = ()  # short lines shown as a list under the question
    line: int = 0  # where the question starts in its file

    @property
    def asks_danger_signs(self) -> bool:
        """A question with a red-flag answer: it is always asked first."""
        return any(a.red_flag for a in self.answers)


@dataclass(frozen=True)
class Band:
    """A range of total scores (both ends included) and what to tell the patient."""

    low: int
    high: int
    title: str
    message: str

    def __contains__(self, score: object) -> bool:
        return isinstance(score, int) and self.low <= score <= self.high


@dataclass(frozen=True)
class Outcome:
    """What the patient is shown at the end: a band, or the urgent message."""

    urgent: bool
    score: int
    title: str
    message: str
    band: int = 0  # 1-based number of the result band reached; 0 for the urgent message


@dataclass(frozen=True)
class SelfCheck:
    title: str
    intro: str
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]
    urgent_title: str
    urgent_message: str
    not_diagnosis: str
    path: Path

    @property
    def max_score(self) -> int:
        return sum(max(a.points for a in q.answers) for q in self.questions)

    def score(self, choices: Sequence[int | None]) -> Outcome:
        """Score the chosen answer index of each question; unanswered ones count as 0."""
        total = 0
        urgent = False
        for question, choice in zip(self.questions, choices, strict=False):
            if choice is None:
                continue
            answer = question.answers[choice]
            total += answer.points
            urgent = urgent or answer.red_flag
        if urgent:
            return Outcome(True, total, self.urgent_title, self.urgent_message)
        for number, band in enumerate(self.bands, start=1):
            if total in band:
                return Outcome(False, total, band.title, band.message, number)
        # Loading guarantees the bands cover every score; this is a last resort.
        last = self.bands[-1]
        return Outcome(False, total, last.title, last.message, len(self.bands))


def parse(text: str, path: Path) -> tuple[SelfCheck | None, list[Problem]]:
    """Read a self-check file; returns the self-check (or None) and the problems found."""
    problems: list[Problem] = []

    def error(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    def unknown(fields: yamlio.Fields) -> bool:
        """Fields the kiosk does not know, or written twice: errors (whether a patient with a
        danger sign is sent to the desk can hang on one). True if there were any."""
        found = fields.unknown()
        for p in found:
            error(p.line, p.message.replace("; the last one is used", "; write it once"))
        return bool(found)

    try:
        top = yamlio.Fields.of(yamlio.parse(text), 1, "the self-check")
        title = top.text("title", max_len=60) or ""
        intro = top.text("intro", required=False, max_len=300) or ""
        not_diagnosis = top.text("not_diagnosis", max_len=300) or ""
        if not top.has("urgent"):
            raise yamlio.FieldError(top.line, "the 'urgent' section is missing; it holds the "
                                    "message shown after a red-flag answer")
        urgent = yamlio.Fields.of(top.mapping("urgent"), 1, "'urgent'", "urgent: ")
        urgent_title = urgent.text("title", max_len=60) or ""
        urgent_message = urgent.text("message", max_len=400) or ""
        unknown(urgent)
    except yamlio.FieldError as exc:
        return None, [Problem(path, exc.line, exc.message)]

    questions: list[Question] = []
    any_red_flag = False
    for number, node in top.sequence("questions"):
        try:
            q = yamlio.Fields.of(node, 1, "a question", f"question {number}: ")
            q_text = q.text("text", max_len=120) or ""
            signs: list[str] = []
            for s_number, s_node in q.sequence("signs", required=False):
                signs.append(_sign(s_node, f"question {number}, sign {s_number}"))
            if len(signs) > MAX_SIGNS:
                error(q.line_of("signs"), f"question {number}: has {len(signs)} signs; keep "
                      f"it to {MAX_SIGNS} so the list stays short")
            answers: list[Answer] = []
            for a_number, a_node in q.sequence("answers"):
                a = yamlio.Fields.of(
                    a_node, 1, "an answer", f"question {number}, answer {a_number}: "
                )
                where = f"question {number}, answer {a_number}: "
                a_text = a.text("text", max_len=80) or ""
                red_flag = a.boolean("red_flag")
                has_points = a.has("points")
                points = a.integer("points", required=False) or 0
                # A misspelt field is named first: it is the mistake, not the missing points.
                if not unknown(a) and not red_flag and not has_points:
                    raise yamlio.FieldError(a.line, f"{where}the field 'points' is missing")
                if points < 0:
                    error(a.line_of("points"), f"{where}'points' cannot be below 0")
                    points = 0
                if red_flag and says_no(a_text):
                    problems.append(Problem(
                        path, a.line_of("red_flag"), f"{where}'{a_text}' is marked 'red_flag: "
                        "true', so a patient who has none of the signs is sent to the front "
                        "desk", "error", "put 'red_flag: true' on the answer that means yes, "
                        "and give this one 'points: 0'"))
                any_red_flag = any_red_flag or red_flag
                answers.append(Answer(a_text, points, red_flag))
            if not MIN_ANSWERS <= len(answers) <= MAX_ANSWERS:
                error(q.line, f"question {number}: has {len(answers)} answers; "
                      f"give it {MIN_ANSWERS} to {MAX_ANSWERS} so the buttons stay large")
            if answers and all(a.red_flag for a in answers):
                problems.append(Problem(
                    path, q.line, f"question {number}: every answer is marked 'red_flag: true', "
                    "so every patient is sent to the front desk whatever they answer", "error",
                    "keep 'red_flag: true' only on the answer that means a danger sign (such "
                    "as 'Yes, one or more'), and give the others 'points'"))
            unknown(q)
            if answers:
                questions.append(Question(q_text, tuple(answers), tuple(signs), q.line))
        except yamlio.FieldError as exc:
            error(exc.line, exc.message)

    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS and not any(
            p.is_error for p in problems):
        error(top.line_of("questions"), f"the self-check has {len(questions)} questions; "
              f"it needs {MIN_QUESTIONS} to {MAX_QUESTIONS}")

    bands: list[Band] = []
    band_lines: list[int] = []
    for number, node in top.sequence("results"):
        try:
            b = yamlio.Fields.of(node, 1, "a result", f"result {number}: ")
            low = b.integer("from") or 0
            high = b.integer("to") or 0
            if high < low:
                raise yamlio.FieldError(b.line_of("to"), f"result {number}: 'to' ({high}) is "
                                        f"smaller than 'from' ({low})")
            bands.append(Band(low, high, b.text("title", max_len=60) or "",
                              b.text("message", max_len=400) or ""))
            band_lines.append(b.line)
            unknown(b)
        except yamlio.FieldError as exc:
            error(exc.line, exc.message)
    unknown(top)
    if not bands and not any(p.is_error for p in problems):
        error(top.line_of("results"), "the self-check needs at least one entry under 'results'")

    if any(p.is_error for p in problems):
        return None, _hidden(problems, path)

    # Danger signs first (a stable sort keeps staff's order otherwise).
    questions.sort(key=lambda question: not question.asks_danger_signs)
    check = SelfCheck(title, intro, tuple(questions), tuple(bands), urgent_title,
                      urgent_message, not_diagnosis, path)
    problems += _band_problems(check, band_lines, top.line_of("results"))
    if not any_red_flag:
        problems.append(Problem(path, top.line_of("questions"),
                                "no question asks about danger signs: no answer is marked "
                                "'red_flag: true', so the urgent message will never show",
                                "warning", "add a question such as 'Do you have any of these "
                                "signs right now?' with a 'red_flag: true' answer; it is "
                                "always asked first"))
    if any(p.is_error for p in problems):
        return None, _hidden(problems, path)
    return check, problems


# The first word of an answer that means "no" or "none" (accents and case aside), in the
# bundled languages and a few more; and words after "no" that mean "I am not sure" instead.
_NO_WORDS = frozenset({"no", "none", "nope", "nothing", "never", "neither", "ninguna",
                       "ninguno", "ningun", "nada", "nunca", "tampoco", "nao", "nenhum",
                       "nenhuma", "non", "aucun", "aucune", "rien", "jamais"})
_UNSURE_WORDS = frozenset({"sure", "know", "idea", "remember", "certain", "se", "sabe",
                           "seguro", "segura", "recuerdo", "sei", "sais"})


def says_no(text: str) -> bool:
    """Whether an answer says "no" or "none" ("No, none of these", "Ninguna de estas"), and
    not "I am not sure" ("No sé", "No estoy seguro")."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.casefold())
                    if not unicodedata.combining(c))
    words = re.findall(r"[^\W\d_]+", plain)
    return bool(words) and words[0] in _NO_WORDS and not _UNSURE_WORDS & set(words)


def _sign(node: Node, where: str) -> str:
    """One line of a question's list of signs: short plain text."""
    line = node.start_mark.line + 1
    value = str(node.value).strip() if isinstance(node, ScalarNode) else ""
    if not value:
        raise yamlio.FieldError(line, f"{where}: write the sign as one line of text after '- '")
    if len(value) > MAX_SIGN:
        raise yamlio.FieldError(line, f"{where}: is {len(value)} characters long; keep it to "
                                f"{MAX_SIGN} so it fits on the screen")
    return value


def _hidden(problems: list[Problem], path: Path) -> list[Problem]:
    """Say once what an error in the self-check means for patients."""
    return [*problems, Problem(path, 1, "because of the error(s) in this file the self-check "
                               "is left out and the 'Take the self-check' button is hidden",
                               "warning", "fix the errors above; the button comes back")]


def _band_problems(check: SelfCheck, lines: list[int], results_line: int) -> list[Problem]:
    """Every possible score must fall in exactly one result band."""
    problems = []
    path = check.path
    for i, band in enumerate(check.bands):
        for j in range(i):
            other = check.bands[j]
            if band.low <= other.high and other.low <= band.high:
                problems.append(Problem(path, lines[i], f"result {i + 1} ({band.low}-{band.high})"
                                        f" overlaps result {j + 1} ({other.low}-{other.high})"))
    missing = [s for s in range(check.max_score + 1) if not any(s in b for b in check.bands)]
    if missing:
        problems.append(Problem(path, results_line, "no result covers a total score of "
                                + ", ".join(map(str, _ranges(missing)))
                                + f" (scores go from 0 to {check.max_score})"))
    return problems


def _ranges(numbers: list[int]) -> list[str]:
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return out


def answers_for(check: SelfCheck, score: int) -> list[int] | None:
    """Answer indexes (no red flags) that add up to ``score``, or None if none can.

    Used to walk every result in ``kiosk shots`` and in tests.
    """
    reachable: dict[int, list[int]] = {0: []}
    for question in check.questions:
        nxt: dict[int, list[int]] = {}
        for total, picks in reachable.items():
            for i, answer in enumerate(question.answers):
                if not answer.red_flag:
                    nxt.setdefault(total + answer.points, [*picks, i])
        reachable = nxt
    return reachable.get(score)


def urgent_answers(check: SelfCheck) -> list[int] | None:
    """Answers that trigger the urgent message (the first red flag, else lowest points)."""
    picks: list[int] = []
    found = False
    for question in check.questions:
        flags = [i for i, a in enumerate(question.answers) if a.red_flag]
        if flags and not found:
            picks.append(flags[0])
            found = True
        else:
            safe = [i for i, a in enumerate(question.answers) if not a.red_flag]
            picks.append(safe[0] if safe else 0)
    return picks if found else None
