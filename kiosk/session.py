"""One patient's visit: where they are, where they came from, what they answered.

A reset throws the whole object away; nothing in it is ever written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kiosk.model import Content, Language, Topic
from kiosk.selfcheck import Outcome, SelfCheck


class Screen(Enum):
    ATTRACT = "attract"  # what a passer-by sees; a touch starts at home
    HOME = "home"
    TOPIC = "topic"
    CHECK = "check"
    RESULT = "result"
    CALL = "call"


@dataclass(frozen=True)
class View:
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
        self.language_code = language if language in content.languages else \
            content.default_language
        self.history: list[View] = [start]
        self.answers: list[int | None] = []
        # The patient's own display choices: for this session only.
        self.text_step = 0  # 0 normal, 1 larger, 2 largest
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

    def start_check(self) -> bool:
        check = self.selfcheck
        if check is None:
            return False
        self.answers = [None] * len(check.questions)
        self._go(View(Screen.CHECK, step=0))
        return True

    def answer(self, choice: int) -> None:
        """Record the answer to the question on screen and move on."""
        check = self.selfcheck
        view = self.view
        if check is None or view.screen is not Screen.CHECK:
            return
        question = check.questions[view.step]
        if not 0 <= choice < len(question.answers):
            raise IndexError(f"question {view.step + 1} has no answer {choice}")
        self.answers[view.step] = choice
        if view.step + 1 < len(check.questions):
            self._go(View(Screen.CHECK, step=view.step + 1))
        else:
            self._go(View(Screen.RESULT))

    def open_call(self) -> None:
        self._go(View(Screen.CALL))

    def back(self) -> None:
        if len(self.history) > 1:
            self.history.pop()

    def home(self) -> None:
        """Back to the topic menu. Answers are dropped: nobody needs them any more."""
        self.history = [HOME]
        self.answers = []

    def set_language(self, code: str) -> None:
        if code in self.content.languages:
            self.language_code = code


def idle_seconds(screen: Screen, idle_timeout: int, end_timeout: int) -> int | None:
    """How long a screen may sit untouched before the kiosk asks "Are you still there?".

    None: never (the attract screen is already where an idle kiosk goes).
    """
    if screen is Screen.ATTRACT:
        return None
    if screen in (Screen.RESULT, Screen.CALL):
        return min(end_timeout, idle_timeout)
    return idle_timeout


def asks_before_reset(screen: Screen) -> bool:
    """The home screen holds nothing of a patient's, so it goes to attract without asking."""
    return screen is not Screen.HOME
