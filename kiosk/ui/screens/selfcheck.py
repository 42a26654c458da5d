"""The self-check, one question at a time: the question (and its list of signs) scrolls;
its answers stay in view at the bottom.

On a question with a list of signs, "No, none of these" stays locked until every sign has
been on screen (the visit refuses it before that too): at the largest text on a small screen
the list does not fit, and a patient must not answer "none" to signs they never saw. The
screen tracks which part of the list has been in view as the patient scrolls; when all of
it has, it tells the visit and unlocks the answer. A tap on the locked answer scrolls on.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.screens.base import BaseScreen, Controller, State
from kiosk.ui.scrolling import Kinetic
from kiosk.ui.widgets import BigButton, label


class SelfCheckScreen(BaseScreen):
    def __init__(self, controller: Controller, kinetic: Kinetic) -> None:
        super().__init__(controller, kinetic)
        self.answers: list[BigButton] = []
        self.sign_labels: list[QLabel] = []  # each sign's words, in order
        self._signs: list[QWidget] = []  # the question's signs, while an answer is locked
        self._seen: list[tuple[int, int]] = []  # spans of the list that were in view
        self._seen_height = 0
        self._step = 0
        self._more_words = ""
        bar = self.area.verticalScrollBar()
        bar.valueChanged.connect(self._check_seen)
        bar.rangeChanged.connect(self._check_seen)

    def show_state(self, state: State) -> None:
        session, m = state.session, state.look.metrics
        check = session.selfcheck
        if check is None:
            return
        step = session.view.step
        q = check.questions[step]
        body, col = self.column(state.look)
        col.addWidget(label(session.say("check.progress", number=step + 1,
                                        total=len(check.questions)), "Muted"))
        if step == 0 and check.intro and not q.signs:  # the signs come before anything
            col.addWidget(label(check.intro))
        col.addWidget(label(q.text, "Title"))
        signs: list[QWidget] = []
        if q.signs:
            box = QFrame()
            box.setObjectName("UrgentBox" if q.tier == "now" else "Note")
            inner = QVBoxLayout(box)
            pad = m.gap * 2
            inner.setContentsMargins(pad, pad, pad, pad)
            inner.setSpacing(m.gap // 2 + 2)
            for sign in q.signs:
                signs.append(_sign_row(sign, m.gap))
                inner.addWidget(signs[-1])
            col.addWidget(box)
        col.addStretch(1)
        self.swap(body)
        chosen = session.chosen(step)
        self._step = step
        self._seen, self._seen_height = [], 0
        why = session.label("check.see_all")
        self.answers = []
        for i, answer in enumerate(q.answers):
            b = BigButton(answer.text)
            b.set_style(state.look.theme, m)
            b.setCheckable(True)
            b.setChecked(chosen == i)
            if not self.controller.may_answer(step, i):
                b.set_locked(why)
            # The button names its own question: a late tap cannot answer the next one.
            b.clicked.connect(lambda _=False, s=step, i=i: self._tapped(s, i))
            self.answers.append(b)
        self._signs = signs if any(b.locked for b in self.answers) else []
        # The signs' own words, for the keypad path: "Sign 2 of 4: ...".
        self.sign_labels = []
        for row in signs:
            # Annotated: PySide6 6.8's stubs do not say what findChildren returns.
            words: list[QLabel] = list(row.findChildren(QLabel))
            self.sign_labels.append(words[-1])
        columns = 2 if m.width >= 700 and len(self.answers) > 1 else 1
        self._more_words = session.label("topic.more")
        # While an answer is locked the cue says why, and how to open it.
        self.set_actions(state, list(self.answers), columns, why if self._signs else "")
        if self._signs:
            QTimer.singleShot(0, self._check_seen)  # once laid out: maybe all in view

    def _tapped(self, step: int, choice: int) -> None:
        b = self.answers[choice] if choice < len(self.answers) else None
        if b is not None and b.locked:
            b.setChecked(False)
            self.scroll_down()  # the signs not yet seen are further down
            return
        self.controller.answer(step, choice)

    def _check_seen(self, *_args: int) -> None:
        """Add the part of the list of signs now in view; once all of it has been, the locked
        answers open."""
        signs = self._signs
        if not signs or not signs[0].isVisible():
            return
        body = self.area.widget()
        if body is None:
            return
        top = signs[0].mapTo(body, QPoint(0, 0)).y()
        last = signs[-1]
        bottom = last.mapTo(body, QPoint(0, last.height())).y()
        if bottom - top != self._seen_height:  # laid out anew: what was seen is measured anew
            self._seen, self._seen_height = [], bottom - top
        view_top = self.area.verticalScrollBar().value()
        view_bottom = view_top + self.area.viewport().height()
        low, high = max(top, view_top) - top, min(bottom, view_bottom) - top
        if high <= low:
            return
        spans = sorted([*self._seen, (low, high)])
        merged = [spans[0]]
        for start, end in spans[1:]:
            if start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._seen = merged
        if merged[0][0] <= 0 and merged[0][1] >= self._seen_height:
            self._signs = []
            self.controller.saw_signs(self._step)
            for i, b in enumerate(self.answers):
                if self.controller.may_answer(self._step, i):
                    b.set_locked("")
            self.set_cue(self._more_words)

    def forget(self) -> None:
        self.answers = []
        self._signs = []
        self.sign_labels = []
        super().forget()


def _sign_row(sign: str, gap: int) -> QWidget:
    """One sign: a bullet, and the words wrapping beside it (not under it)."""
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.setSpacing(gap)
    line.addWidget(label("•", "Strong", wrap=False), 0, Qt.AlignmentFlag.AlignTop)
    line.addWidget(label(sign, "Strong"), 1)
    return row
