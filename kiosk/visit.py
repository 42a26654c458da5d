"""One kiosk and its visits, as plain Python: the window only shows what this decides.

A ``Visit`` owns the patient's ``Session``, when new content is swapped in (keeping the
patient's choices), visit timing and privacy-safe usage counts, idle decisions, rendered
pages and the staff status text. It receives what it uses (the usage log, a clock, the page
renderer), and each command returns a ``Change`` saying what the window must redraw.
No Qt here: navigation, idle and reload behaviour are tested with plain, fast tests.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from enum import Enum, Flag, auto
from pathlib import Path
from typing import NamedTuple, Protocol

from kiosk.model import Content, Language, Loaded, Topic
from kiosk.page import Page, plain_text
from kiosk.session import ATTRACT, HOME, Screen, Session, View
from kiosk.theme import TEXT_STEPS

log = logging.getLogger(__name__)

# A new question ignores taps for this long, so one shaky double tap cannot answer two.
ANSWER_GUARD_S = 0.4


class Change(Flag):
    """What a command changed, for the window to redraw."""

    NONE = 0
    VIEW = auto()  # the screen, or what it shows
    LOOK = auto()  # the patient's text size or colours
    CONTENT = auto()  # new content is showing
    FORGET = auto()  # a new visit: every screen drops what it showed of the last one


class IdleStep(Enum):
    """What to do when nobody has touched the kiosk for the screen's idle time."""

    WAIT = "wait"  # nothing (no visit, or the attract screen already)
    ASK = "ask"  # "Are you still there?", with a countdown
    RESET = "reset"  # straight to the attract screen (nothing of the patient's to lose)


class UsageRecorder(Protocol):
    def record(self, kind: str, detail: str = "") -> None: ...


Renderer = Callable[[Topic, Language, Path], Page]


class Timing(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    """Idle times, in seconds, from the config."""

    idle: int = 90  # a screen untouched this long asks "Are you still there?"
    end: int = 45  # the same on the result and the call panel
    countdown: int = 15  # how long the question waits before starting over


DEFAULT_TIMING = Timing()


class Visit:
    """The kiosk's state between two resets, and what each tap does to it."""

    def __init__(self, loaded: Loaded, language: str, *, timing: Timing = DEFAULT_TIMING,
                 usage: UsageRecorder | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 render: Renderer | None = None, live: bool = False,
                 answer_guard: float = ANSWER_GUARD_S, review_months: int = 12,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        """``live``: the staff preview, where new content shows at once, even mid-visit.
        ``answer_guard``: seconds a new question ignores taps (0 for scripted walks)."""
        self.answer_guard = answer_guard
        self.review_months = review_months
        self.today = today
        self.language = language
        self.timing = timing
        self.usage = usage
        self.clock = clock
        self.render = render or _render_topic
        self.live = live
        self.content: Content | None = loaded.content
        self.problems: list[str] = [str(p) for p in loaded.problems]
        self.error_count = len(loaded.errors)
        self._rendered: dict[tuple[str, str], Page] = dict(loaded.pages)
        self._pages: dict[tuple[str, str], Page] = {}  # pages this visit rendered itself
        self._pending: Loaded | None = None
        self._started = clock()
        self._counted = False  # a patient did something worth a count since the last reset
        self._shown_at = clock()  # when the current view appeared
        self.visit_number = 0  # counts visits: an alert's answer finds its own visit, or none
        self._alerted: set[str] = set()  # danger tiers alerted in this visit (one each)
        self._alert_due: tuple[str, int] | None = None
        self.session: Session | None = None
        self._new_session(HOME)

    # -- what is showing -------------------------------------------------------------
    @property
    def screen(self) -> Screen | None:
        """The screen to show; None: the resting screen (no usable content)."""
        return self.session.view.screen if self.session is not None else None

    @property
    def text_scale(self) -> float:
        return TEXT_STEPS[self.session.text_step] if self.session is not None else 1.0

    @property
    def high_contrast(self) -> bool:
        return self.session is not None and self.session.high_contrast

    def page(self, topic_id: str) -> Page | None:
        """A topic's rendered page in the patient's language (rendered once, then kept)."""
        if self.session is None or self.content is None:
            return None
        language = self.session.language
        key = (language.code, topic_id)
        page = self._rendered.get(key) or self._pages.get(key)
        if page is None:
            topic = language.topic(topic_id)
            if topic is None:
                return None
            page = self._pages[key] = self.render(topic, language, self.content.root)
        return page

    def speech_text(self) -> str | None:
        """What "Listen" reads: the open page's title and words, or None."""
        if self.session is None:
            return None
        topic = self.session.topic()
        page = self.page(topic.id) if topic is not None else None
        if topic is None or page is None:
            return None
        return f"{topic.title}.\n{plain_text(page.html).strip()}"

    # -- taps ------------------------------------------------------------------------------
    def wake(self) -> Change:
        """A touch on the attract screen: a new visit starts at home."""
        if self.session is None:
            return Change.NONE
        self._started = self.clock()
        self.session.home()
        return self._moved()

    def open_topic(self, topic_id: str) -> Change:
        self._leave_attract()
        if self.session is None or not self.session.open_topic(topic_id):
            return Change.NONE
        self._count("topic_view", topic_id)
        return self._moved()

    def start_selfcheck(self) -> Change:
        self._leave_attract()
        if self.session is None or not self.session.start_selfcheck():
            return Change.NONE
        self._count("check_started")
        return self._moved()

    def answer(self, step: int, choice: int) -> Change:
        """The answer ``choice`` to question ``step`` (the question the button belongs to).

        A tap on a question no longer on screen, or one within ``ANSWER_GUARD_S`` of the
        question appearing (the second half of a double tap), does nothing.
        """
        session = self.session
        if session is None or session.view.screen is not Screen.SELFCHECK:
            return Change.NONE
        if step != session.view.step or self.clock() - self._shown_at < self.answer_guard:
            return Change.NONE
        if not session.answer(choice):  # "none of these" before every sign was seen
            return Change.NONE
        if self.screen is Screen.RESULT:
            outcome = session.outcome()
            if outcome is not None:  # the band reached, never the answers behind it
                self._count("check_finished", {"now": "urgent", "today": "today"}.get(
                    outcome.tier, f"band {outcome.band}"))
                if outcome.danger and outcome.tier not in self._alerted:
                    self._alerted.add(outcome.tier)  # one alert per visit and tier
                    self._alert_due = (outcome.tier, self.visit_number)
        return self._moved()

    def saw_signs(self, step: int) -> Change:
        """The screen reports that every sign of question ``step`` has been on it: its "none
        of these" answer can count from now on."""
        session = self.session
        if session is None or session.view.screen is not Screen.SELFCHECK or \
                step != session.view.step or step in session.signs_seen:
            return Change.NONE
        session.saw_signs(step)
        return Change.VIEW

    def may_answer(self, step: int, choice: int) -> bool:
        """Whether a tap on answer ``choice`` of question ``step`` would count now (the
        screen shows a locked "none of these" until every sign has been seen)."""
        session = self.session
        return session is not None and session.view.step == step and \
            session.may_answer(choice)

    def take_alert(self) -> tuple[str, int] | None:
        """The front-desk alert this visit now needs (its tier and visit number), once."""
        due, self._alert_due = self._alert_due, None
        return due

    def alert_delivered(self, tier: str, visit_number: int) -> Change:
        """The front desk confirmed an alert: if its visit is still going on, its result
        says so ("The front desk has also been told")."""
        session = self.session
        if session is None or visit_number != self.visit_number:
            return Change.NONE  # that patient has gone: nothing of theirs is kept
        session.desk_told.add(tier)
        return Change.VIEW if self.screen is Screen.RESULT else Change.NONE

    def open_call(self) -> Change:
        self._leave_attract()
        if self.session is None:
            return Change.NONE
        self.session.open_call()
        self._count("call_view")
        return self._moved()

    def back(self) -> Change:
        if self.session is None:
            return Change.NONE
        self.session.back()
        return self._moved()

    def home(self) -> Change:
        if self.session is None:
            return Change.NONE
        self.session.home()
        return self._moved()

    def set_language(self, code: str) -> Change:
        """Every word changes; from the attract screen, the patient starts at home."""
        session = self.session
        if session is None or self.content is None or code not in self.content.languages:
            return Change.NONE
        if code != session.language_code:
            self._count("language_switch", code)
        session.set_language(code)
        if session.view.screen is Screen.ATTRACT:
            self._started = self.clock()
            session.home()
        return self._moved()

    def set_text_step(self, step: int) -> Change:
        if self.session is None:
            return Change.NONE
        self.session.set_text_step(step)
        return Change.LOOK | Change.VIEW

    def set_contrast(self, high: bool) -> Change:
        if self.session is None:
            return Change.NONE
        self.session.set_contrast(high)
        return Change.LOOK | Change.VIEW

    def reset(self, idle: bool = False) -> Change:
        """The visit ends (idle, or asked for): the attract screen, nothing of it kept."""
        if self._counted and self.usage is not None:
            from kiosk.stats import session_bucket

            if idle:
                self.usage.record("idle_reset")
            self.usage.record("session_end", session_bucket(self.clock() - self._started))
        self._counted = False
        self._pages.clear()  # pages this patient opened go with them
        self._new_session(ATTRACT)
        return Change.FORGET | Change.VIEW | Change.LOOK | self._swap()

    # -- idle ------------------------------------------------------------------------------
    def idle_seconds(self) -> int | None:
        """How long the current screen may sit untouched; None: no limit (attract, resting)."""
        if self.live or self.screen in (None, Screen.ATTRACT):
            return None
        if self.screen in (Screen.RESULT, Screen.CALL):
            return min(self.timing.end, self.timing.idle)
        return self.timing.idle

    def on_idle(self) -> IdleStep:
        """The screen's idle time is up: ask first where a patient may still be reading."""
        if self.live or self.screen in (None, Screen.ATTRACT):
            return IdleStep.WAIT
        if self.screen is Screen.HOME:
            return IdleStep.RESET
        return IdleStep.ASK

    # -- content ---------------------------------------------------------------------------
    def content_loaded(self, loaded: Loaded) -> Change:
        """A reload finished. Kiosk: clean content waits for home or attract; with any error
        the last good content stays. Preview: whatever loads shows at once."""
        self.problems = [str(p) for p in loaded.problems]
        self.error_count = len(loaded.errors)
        if self.live:
            if loaded.content is None:
                return Change.NONE
            self._pending = loaded
            return self._swap()
        if loaded.content is None or loaded.errors:
            for problem in loaded.errors or loaded.problems:
                log.error("content reload: %s", problem)
            log.error("content reload had errors; the last good content stays on screen",
                      extra={"journal": {"event": "content_refused",
                                         "errors": len(loaded.errors)}})
            return Change.NONE
        for problem in loaded.problems:
            log.warning("content reload: %s", problem)
        self._pending = loaded
        log.info("new content is ready")
        if self.session is None or self.screen in (Screen.HOME, Screen.ATTRACT):
            return self._swap()
        return Change.NONE

    def pages_rendered(self, loaded: Loaded) -> Change:
        """The pages of the content already showing, rendered in the background after the
        first paint. Same topics: the pages are simply kept. Different (a page was left out
        as too complex, or the files changed meanwhile): it is a reload like any other."""
        content = self.content
        same = content is not None and loaded.content is not None and not loaded.errors and \
            loaded.content.root == content.root and \
            dict(loaded.content.languages) == dict(content.languages)
        if same:
            self._rendered.update(loaded.pages)
            return Change.NONE
        return self.content_loaded(loaded)

    @property
    def has_pending(self) -> bool:
        return self._pending is not None

    def _swap(self) -> Change:
        """Show the pending content; the patient keeps their language, text size, contrast,
        screen and Back history (whatever still exists in the new content)."""
        if self._pending is None:
            return Change.NONE
        loaded, self._pending = self._pending, None
        if loaded.content is None:
            return Change.NONE
        self.content = loaded.content
        self._rendered = dict(loaded.pages)
        self._pages.clear()
        if self.session is None:
            self._new_session(HOME)
        else:
            self.session.rebind(self.content)
        log.info("showing the new content, from %s", self.content.root,
                 extra={"journal": {"event": "content_applied",
                                    "content": str(self.content.root)}})
        return Change.CONTENT | Change.VIEW

    # -- staff -----------------------------------------------------------------------------
    def staff_status(self) -> str:
        """One paragraph for the staff panel: what is loaded, and whether it has errors."""
        content = self.content
        if content is None:
            return "No usable content: the resting screen is showing."
        per_language = ", ".join(f"{len(content.languages[c].topics)} in {c}"
                                 for c in content.codes)
        status = f"Topics: {per_language}, from {content.root}"
        if self.error_count:
            status += (f"\n{self.error_count} error(s) in the files; the last good content is "
                       "showing.")
        from kiosk.review import due_for_review  # staff only

        due = due_for_review(content, self.review_months, self.today())
        if due:
            shown = ", ".join(
                f"{code}/{topic.path.name} ("
                + (f"reviewed {topic.reviewed_on.isoformat()}" if topic.reviewed_on
                   else "never reviewed") + ")" for code, topic in due[:6])
            more = f" and {len(due) - 6} more" if len(due) > 6 else ""
            status += (f"\n{len(due)} page(s) due for a clinician's review "
                       f"(every {self.review_months} months): {shown}{more}.")
        return status

    # -- inside ----------------------------------------------------------------------------
    def _new_session(self, start: View) -> None:
        self.visit_number += 1
        self._alerted = set()
        self._alert_due = None
        if self.content is None:
            self.session = None
            return
        self.session = Session(self.content, self.language, start)
        self._shown_at = self.clock()

    def _leave_attract(self) -> None:
        """A tap on the attract screen's own buttons starts a visit, as a touch does."""
        if self.session is not None and self.session.view.screen is Screen.ATTRACT:
            self._started = self.clock()
            self.session.home()

    def _moved(self) -> Change:
        """The patient moved: new content waiting for a calm moment may show now."""
        self._shown_at = self.clock()
        change = Change.VIEW
        if self._pending is not None and self.screen in (Screen.HOME, Screen.ATTRACT):
            change |= self._swap()
        return change

    def _count(self, kind: str, detail: str = "") -> None:
        """A privacy-safe usage count (see kiosk/stats.py); never anything a patient chose."""
        self._counted = True
        if self.usage is not None:
            self.usage.record(kind, detail)


def _render_topic(topic: Topic, language: Language, root: Path) -> Page:
    """kiosk.render.render_topic, imported when the first page is needed (it brings
    Markdown and the HTML sanitizer, which the first screen does not need)."""
    from kiosk.render import render_topic

    return render_topic(topic, language, root)
