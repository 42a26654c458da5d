"""One patient's visit: where they are, where they came from, what they answered.

A reset throws the whole object away; nothing in it is ever written anywhere.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from kiosk import bidi
from kiosk import labels as labels_mod
from kiosk.model import Content, Language, Topic
from kiosk.selfcheck import Outcome, Question, SelfCheck
from kiosk.theme import TEXT_STEPS


class Screen(Enum):
    ATTRACT = "attract"  # what a passer-by sees; a touch starts at home
    HOME = "home"
    TOPIC = "topic"
    SELFCHECK = "selfcheck"
    RESULT = "result"
    CALL = "call"


class View(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    screen: Screen
    topic_id: str | None = None
    step: int = 0  # question index on the self-check


HOME = View(Screen.HOME)
ATTRACT = View(Screen.ATTRACT)


class Session:
    """Navigation history and self-check answers for one patient."""

    def __init__(self, content: Content, language: str | None = None,
                 start: View = HOME) -> None:
        self.content = content
        self.language_code: str = language if language is not None and \
            language in content.languages else content.default_language
        self.history: list[View] = [start]
        self.answers: list[int | None] = []
        # Questions whose every sign has been on screen: only there can "none of these" count.
        self.signs_seen: set[int] = set()
        # Danger tiers the front desk has confirmed it was alerted about (kiosk/alert.py).
        self.desk_told: set[str] = set()
        # The patient's own display choices: for this session only.
        self.text_step = 0  # index into theme.TEXT_STEPS: 0 normal, 1 larger, 2 largest
        self.high_contrast = False

    # -- what is on screen -------------------------------------------------
    @property
    def view(self) -> View:
        return self.history[-1]

    @property
    def language(self) -> Language:
        return self.content.language(self.language_code)

    @property
    def selfcheck(self) -> SelfCheck | None:
        return self.language.selfcheck

    def label(self, key: str) -> str:
        return self.language.labels[key]

    def say(self, key: str, **values: object) -> str:
        """A label with its placeholders filled in this language's digits and direction."""
        return labels_mod.say(self.language.labels, key, **values)

    def ltr(self, text: str) -> str:
        """A phone number or an address as one left-to-right run in a right-to-left
        language (so it shows in the order it is dialled or typed); as it is otherwise."""
        return bidi.ltr_run(text) if self.language.rtl else text

    def topic(self) -> Topic | None:
        if self.view.topic_id is None:
            return None
        return self.language.topic(self.view.topic_id)

    def outcome(self) -> Outcome | None:
        check = self.selfcheck
        if check is None:
            return None
        return check.score(self.answers)

    def chosen(self, step: int) -> int | None:
        return self.answers[step] if step < len(self.answers) else None

    # -- what a tap does ---------------------------------------------------
    def _go(self, view: View) -> None:
        if view != self.view:
            self.history.append(view)

    def open_topic(self, topic_id: str) -> bool:
        if self.language.topic(topic_id) is None:
            return False
        self._go(View(Screen.TOPIC, topic_id))
        return True

    def start_selfcheck(self) -> bool:
        check = self.selfcheck
        if check is None:
            return False
        self.answers = [None] * len(check.questions)
        self.signs_seen = set()
        self._go(View(Screen.SELFCHECK, step=0))
        return True

    def _asked(self) -> Question | None:
        """The question on screen, if a self-check question is."""
        check = self.selfcheck
        if check is None or self.view.screen is not Screen.SELFCHECK:
            return None
        return check.questions[self.view.step]

    def may_answer(self, choice: int) -> bool:
        """Whether answer ``choice`` to the question on screen can count now: an answer that
        is not a red flag, to a list of signs, counts only once every sign has been seen."""
        question = self._asked()
        if question is None or not 0 <= choice < len(question.answers):
            return False
        return self.view.step in self.signs_seen or not question.needs_reading(choice)

    def saw_signs(self, step: int) -> None:
        """Every sign of question ``step`` has been on screen (only the question on screen
        can have been)."""
        if self.view.screen is Screen.SELFCHECK and self.view.step == step:
            self.signs_seen.add(step)

    def answer(self, choice: int) -> bool:
        """Record the answer to the question on screen and move on (after a danger sign,
        straight to the result). An answer that cannot count yet (see ``may_answer``) is
        refused: returns False and nothing changes."""
        check, question, view = self.selfcheck, self._asked(), self.view
        if check is None or question is None:
            return False
        if not 0 <= choice < len(question.answers):
            raise IndexError(f"question {view.step + 1} has no answer {choice}")
        if not self.may_answer(choice):
            return False
        self.answers[view.step] = choice
        if question.answers[choice].red_flag:
            # A danger sign: straight to "tell the front desk now"; nothing else matters.
            self._go(View(Screen.RESULT))
        elif view.step + 1 < len(check.questions):
            self._go(View(Screen.SELFCHECK, step=view.step + 1))
        else:
            self._go(View(Screen.RESULT))
        return True

    def open_call(self) -> None:
        self._go(View(Screen.CALL))

    def back(self) -> None:
        if len(self.history) > 1:
            self.history.pop()

    def home(self) -> None:
        """Back to the topic menu. Answers are dropped: nobody needs them any more."""
        self.history = [HOME]
        self.answers = []
        self.signs_seen = set()

    def set_language(self, code: str) -> None:
        if code in self.content.languages:
            self.language_code = code

    def set_text_step(self, step: int) -> None:
        self.text_step = max(0, min(step, len(TEXT_STEPS) - 1))

    def set_contrast(self, high: bool) -> None:
        self.high_contrast = high

    def rebind(self, content: Content) -> None:
        """New content under the same patient: their language, display choices, screen and
        Back history stay, less whatever the new content no longer has."""
        old_check = self.selfcheck
        self.content = content
        if self.language_code not in content.languages:
            self.language_code = content.default_language
        check = self.selfcheck
        same_check = check is not None and old_check is not None and \
            len(check.questions) == len(old_check.questions) and all(
                len(a.answers) == len(b.answers)
                for a, b in zip(check.questions, old_check.questions, strict=True))
        if not same_check:
            self.answers = []
            self.signs_seen = set()

        def still_there(view: View) -> bool:
            if view.screen is Screen.TOPIC:
                return view.topic_id is not None and self.language.topic(view.topic_id) \
                    is not None
            if view.screen in (Screen.SELFCHECK, Screen.RESULT):
                return same_check
            return True

        self.history = [v for v in self.history if still_there(v)] or [HOME]

