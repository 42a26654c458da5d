"""The self-check: its model, how it is read from ``self-check.yaml``, and how it is scored.

A red-flag answer overrides any score. It has a tier: ``now`` (an emergency sign: "tell the
front desk now") or ``today`` (a sign a doctor must hear about today: "tell a doctor or nurse
today"); ``red_flag: true`` is the older way to write ``now``. Each tier has its own result
(the ``now:`` and ``today:`` sections), and ``now`` wins over ``today``. Questions with a
red-flag answer (the danger signs) are always asked first, ``now`` before ``today``, whatever
their place in the file, so a patient who stops early has still seen them.

A danger question lists at most ``MAX_SIGNS`` signs, so they fit one screen at ordinary text
sizes; the screen still lets "no" count only once every sign has been on it (see
``Question.needs_reading``), because at the largest text they may not all fit.

A self-check that would mislead a patient is an error, so it is never shown (and ``kiosk
check`` fails): any field the kiosk does not know (a typo such as ``red-flag`` for
``red_flag`` silently turns a danger sign into an ordinary answer), a question whose every
answer is a red flag, and a red flag on an answer that says "no" or "none".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kiosk.problems import Problem

if TYPE_CHECKING:
    from yaml.nodes import Node

    from kiosk import yamlio

FILE_NAME = "self-check.yaml"
MIN_ANSWERS, MAX_ANSWERS = 2, 4
MIN_QUESTIONS, MAX_QUESTIONS = 3, 10
MAX_SIGNS, MAX_SIGN = 4, 160

NOW, TODAY = "now", "today"
TIERS = {NOW: "tell the front desk now: an emergency sign",
         TODAY: "tell a doctor or nurse today: a sign a doctor must hear about the same day"}
_TIER_WORDS = {"true": NOW, "yes": NOW, "on": NOW, NOW: NOW, TODAY: TODAY,
               "false": "", "no": "", "off": ""}


@dataclass(frozen=True)
class Answer:
    """One answer a patient can tap: its words, points and danger tier."""

    text: str
    points: int = 0
    tier: str = ""  # "" for an ordinary answer, else NOW or TODAY

    @property
    def red_flag(self) -> bool:
        return bool(self.tier)


@dataclass(frozen=True)
class Question:
    """One self-check question, its answers, and the signs it lists."""

    text: str
    answers: tuple[Answer, ...]
    signs: tuple[str, ...] = ()  # short lines shown as a list under the question
    line: int = 0  # where the question starts in its file

    @property
    def asks_danger_signs(self) -> bool:
        """A question with a red-flag answer: it is always asked first."""
        return any(a.red_flag for a in self.answers)

    @property
    def tier(self) -> str:
        """The most urgent tier among its answers ("" if none)."""
        tiers = {a.tier for a in self.answers}
        return NOW if NOW in tiers else TODAY if TODAY in tiers else ""

    def needs_reading(self, choice: int) -> bool:
        """Whether answer ``choice`` may count only once every sign has been on screen: any
        answer that is not a red flag, on a question that lists signs."""
        return bool(self.signs) and not self.answers[choice].red_flag


class Band(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    """A range of total scores (both ends included) and what to tell the patient."""

    low: int
    high: int
    title: str
    message: str

    def __contains__(self, score: object) -> bool:
        return isinstance(score, int) and self.low <= score <= self.high


class Message(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    """What a danger tier tells the patient."""

    title: str
    message: str


class Outcome(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    """What the patient is shown at the end: a band, or a danger tier's message."""

    tier: str  # "" for a band, else NOW or TODAY
    score: int
    title: str
    message: str
    band: int = 0  # 1-based number of the result band reached; 0 for a danger tier

    @property
    def urgent(self) -> bool:
        """The emergency tier: "tell the front desk now"."""
        return self.tier == NOW

    @property
    def danger(self) -> bool:
        return bool(self.tier)


@dataclass(frozen=True)
class SelfCheck:
    """A language's self-check: questions, scored results and danger tiers."""

    title: str
    intro: str
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]
    tiers: dict[str, Message]  # what each danger tier tells the patient
    not_diagnosis: str
    path: Path

    @property
    def urgent_title(self) -> str:
        return self.tiers[NOW].title

    @property
    def urgent_message(self) -> str:
        return self.tiers[NOW].message

    @property
    def max_score(self) -> int:
        return sum(max(a.points for a in q.answers) for q in self.questions)

    def score(self, choices: Sequence[int | None]) -> Outcome:
        """Score the chosen answer index of each question; unanswered ones count as 0."""
        total = 0
        tiers: set[str] = set()
        for question, choice in zip(self.questions, choices, strict=False):
            if choice is None:
                continue
            answer = question.answers[choice]
            total += answer.points
            tiers.add(answer.tier)
        for tier in (NOW, TODAY):  # the most urgent tier wins over any score
            if tier in tiers:
                said = self.tiers[tier]
                return Outcome(tier, total, said.title, said.message)
        for number, band in enumerate(self.bands, start=1):
            if total in band:
                return Outcome("", total, band.title, band.message, number)
        # Loading guarantees the bands cover every score; this is a last resort.
        last = self.bands[-1]
        return Outcome("", total, last.title, last.message, len(self.bands))


def parse(text: str, path: Path) -> tuple[SelfCheck | None, list[Problem]]:
    """Read a self-check file; returns the self-check (or None) and the problems found."""
    from kiosk import yamlio  # (not at import: a start from the index reads no YAML)

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
        # 'urgent' is the older name of the 'now' section.
        now_key = "urgent" if top.has("urgent") and not top.has(NOW) else NOW
        if not top.has(now_key):
            raise yamlio.FieldError(top.line, "the 'now' section is missing; it holds what a "
                                    "patient is told after an emergency sign ('red_flag: now'): "
                                    "to tell the front desk now")
        tiers = {NOW: _message(top, now_key, unknown)}
        if top.has("urgent") and top.has(NOW):
            top.mapping("urgent")  # named below as written twice, not as unknown
            error(top.line_of("urgent"), "'urgent' is the older name of the 'now' section, "
                  "and this file has both; keep only 'now'")
        if top.has(TODAY):
            tiers[TODAY] = _message(top, TODAY, unknown)
    except yamlio.FieldError as exc:
        return None, [Problem(path, exc.line, exc.message)]

    questions: list[Question] = []
    any_red_flag = False
    used_tiers: set[str] = set()
    for number, node in top.sequence("questions"):
        try:
            q = yamlio.Fields.of(node, 1, "a question", f"question {number}: ")
            q_text = q.text("text", max_len=120) or ""
            signs: list[str] = []
            for s_number, s_node in q.sequence("signs", required=False):
                signs.append(_sign(s_node, f"question {number}, sign {s_number}"))
            if len(signs) > MAX_SIGNS:
                problems.append(Problem(
                    path, q.line_of("signs"), f"question {number}: lists {len(signs)} signs; "
                    f"one screen shows at most {MAX_SIGNS}, so that a patient sees every sign "
                    "before answering", "error", "split the signs over two questions with the "
                    "same answers (for example 'Do you have any of these?' twice)"))
            answers: list[Answer] = []
            for a_number, a_node in q.sequence("answers"):
                a = yamlio.Fields.of(
                    a_node, 1, "an answer", f"question {number}, answer {a_number}: "
                )
                where = f"question {number}, answer {a_number}: "
                a_text = a.text("text", max_len=80) or ""
                tier = answer_tier(a, where)
                red_flag = bool(tier)
                has_points = a.has("points")
                points = a.integer("points", required=False) or 0
                # A misspelt field is named first: it is the mistake, not the missing points.
                if not unknown(a) and not red_flag and not has_points:
                    raise yamlio.FieldError(a.line, f"{where}the field 'points' is missing")
                if points < 0:
                    error(a.line_of("points"), f"{where}'points' cannot be below 0")
                    points = 0
                if tier and tier not in tiers:
                    problems.append(Problem(
                        path, a.line_of("red_flag"), f"{where}'red_flag: {tier}' needs a "
                        f"'{tier}:' section saying what the patient is told ({TIERS[tier]}); "
                        "there is none", "error", f"add a '{tier}:' section with a 'title' and "
                        "a 'message', as the 'now:' section has"))
                used_tiers.add(tier)
                if red_flag and says_no(a_text):
                    problems.append(Problem(
                        path, a.line_of("red_flag"), f"{where}'{a_text}' is marked 'red_flag: "
                        f"{a.text('red_flag')}', so a patient who has none of the signs "
                        + ("is sent to the front desk" if tier == NOW else
                           "is told to see a doctor or nurse today"), "error",
                        "put the red flag on the answer that means yes, and give this one "
                        "'points: 0'"))
                any_red_flag = any_red_flag or tier == NOW
                answers.append(Answer(a_text, points, tier))
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

    # Danger signs first, emergency signs before same-day ones (a stable sort keeps staff's
    # order otherwise).
    questions.sort(key=lambda question: (NOW, TODAY, "").index(question.tier))
    check = SelfCheck(title, intro, tuple(questions), tuple(bands), tiers, not_diagnosis, path)
    if TODAY in tiers and TODAY not in used_tiers:
        problems.append(Problem(path, top.line_of(TODAY), "the 'today' section is never "
                                "shown: no answer is marked 'red_flag: today'", "warning",
                                "mark the 'yes' answer of a question about same-day signs "
                                "'red_flag: today', or remove the section"))
    problems += _band_problems(check, band_lines, top.line_of("results"))
    if not any_red_flag:
        problems.append(Problem(path, top.line_of("questions"),
                                "no question asks about danger signs: no answer is marked "
                                "'red_flag: now', so the 'now' message will never show",
                                "warning", "add a question such as 'Do you have any of these "
                                "signs right now?' with a 'red_flag: now' answer; it is "
                                "always asked first"))
    if any(p.is_error for p in problems):
        return None, _hidden(problems, path)
    return check, problems


# Arabic letters a Persian answer may be typed with (an Arabic keyboard), as Persian ones.
_PERSIAN_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})


def _plain_words(text: str) -> list[str]:
    """``text``'s words, casefolded, without accents (and without a Persian hamza or madda:
    "مطمئن" is "مطمین"), split at anything that is not a letter: a ZERO WIDTH NON-JOINER
    too, so "هیچ‌کدام" is "هیچ", "کدام" and "نمی‌دانم" is "نمی", "دانم"."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.casefold())
                    if not unicodedata.combining(c))
    return re.findall(r"[^\W\d_]+", plain.translate(_PERSIAN_LETTERS))


def _word_set(*words: str) -> frozenset[str]:
    """``words`` as ``says_no`` reads an answer's words."""
    return frozenset(plain for word in words for plain in _plain_words(word))


# The first word of an answer that means "no" or "none" (accents and case aside), in the
# bundled languages and a few more; and words after "no" that mean "I am not sure" instead.
# Persian: "نه", "نخیر", "خیر" (no), "هیچ", "هیچکدام" (none; "هیچ‌کدام" with a ZERO WIDTH
# NON-JOINER is "هیچ" first), "هرگز" (never); "مطمئن"/"مطمین" (sure), "اطمینان" (certainty),
# "نمی‌دانم"/"نمیدانم"/"نمی‌دونم" (I don't know), "یادم نیست", "خاطرم نیست" (I don't recall).
_NO_WORDS = _word_set("no", "none", "nope", "nothing", "never", "neither", "ninguna",
                      "ninguno", "ningun", "nada", "nunca", "tampoco", "nao", "nenhum",
                      "nenhuma", "non", "aucun", "aucune", "rien", "jamais",
                      "نه", "نخیر", "خیر", "هیچ", "هیچکدام", "هرگز")
_UNSURE_WORDS = _word_set("sure", "know", "idea", "remember", "certain", "se", "sabe",
                          "seguro", "segura", "recuerdo", "sei", "sais",
                          "مطمئن", "مطمین", "اطمینان", "دانم", "نمیدانم", "دونم", "نمیدونم",
                          "یادم", "خاطرم")


def says_no(text: str) -> bool:
    """Whether an answer says "no" or "none" ("No, none of these", "Ninguna de estas",
    "نه، هیچ‌کدام"), and not "I am not sure" ("No sé", "No estoy seguro", "نه، نمی‌دانم")."""
    words = _plain_words(text)
    return bool(words) and words[0] in _NO_WORDS and not _UNSURE_WORDS & set(words)


def _message(top: yamlio.Fields, key: str, unknown: Callable[[yamlio.Fields], bool]) -> Message:
    """A danger tier's section: its title and message (unknown fields go to ``unknown``)."""
    from kiosk import yamlio  # (not at import: a start from the index reads no YAML)

    section = yamlio.Fields.of(top.mapping(key), 1, f"'{key}'", f"{key}: ")
    said = Message(section.text("title", max_len=60) or "",
                   section.text("message", max_len=400) or "")
    unknown(section)
    return said


def answer_tier(answer: yamlio.Fields, where: str = "") -> str:
    """An answer's 'red_flag': "", NOW or TODAY; anything else is an error."""
    from kiosk import yamlio  # (not at import: a start from the index reads no YAML)

    got = answer.text("red_flag", required=False) or ""  # asked even when absent: a typo
    if not got:  # such as 'red-flag' is then told "did you mean 'red_flag'?"
        return ""
    tier = _TIER_WORDS.get(got.strip().lower())
    if tier is None:
        raise yamlio.FieldError(answer.line_of("red_flag"), f"{where}'red_flag: {got}' is not a "
                                "tier the kiosk knows; write 'red_flag: now' (" + TIERS[NOW]
                                + ") or 'red_flag: today' (" + TIERS[TODAY] + ")")
    return tier


def _sign(node: Node, where: str) -> str:
    """One line of a question's list of signs: short plain text."""
    from kiosk import yamlio  # (not at import: a start from the index reads no YAML)

    line = node.start_mark.line + 1
    from yaml.nodes import ScalarNode

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


def describe(check: SelfCheck) -> str:
    """What staff should know the self-check does, in one line for ``kiosk check``: the
    order its questions are asked in and what each danger tier shows."""
    parts = []
    for tier, kind in ((NOW, "emergency signs"), (TODAY, "same-day signs")):
        n = sum(q.tier == tier for q in check.questions)
        if n:
            parts.append(f"{n} question(s) on {kind} ('red_flag: {tier}': a yes shows "
                         f"\"{check.tiers[tier].title}\")")
    scored = sum(not q.tier for q in check.questions)
    parts.append(f"{scored} scored question(s) ({len(check.bands)} results for totals 0 to "
                 f"{check.max_score})")
    return f"{len(check.questions)} questions, asked in this order: " + ", then ".join(parts)


def tier_answers(check: SelfCheck, tier: str) -> list[int] | None:
    """Answers that reach ``tier``'s message: no red flag until the first question with an
    answer of that tier, then that answer (the self-check ends there). None if none can."""
    picks: list[int] = []
    for question in check.questions:
        flags = [i for i, a in enumerate(question.answers) if a.tier == tier]
        if flags:
            return [*picks, flags[0]]
        safe = [i for i, a in enumerate(question.answers) if not a.red_flag]
        if not safe:
            return None
        picks.append(safe[0])
    return None


def urgent_answers(check: SelfCheck) -> list[int] | None:
    """Answers that reach the emergency tier's message ("tell the front desk now")."""
    return tier_answers(check, NOW)
