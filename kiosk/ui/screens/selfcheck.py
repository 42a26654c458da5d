"""The self-check, one question at a time: the question (and its list of signs) scrolls;
its answers stay in view at the bottom."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout

from kiosk import labels
from kiosk.ui.screens.base import BaseScreen, State
from kiosk.ui.widgets import BigButton, label


class SelfCheckScreen(BaseScreen):
    def show_state(self, state: State) -> None:
        session, m = state.session, state.look.metrics
        check = session.selfcheck
        if check is None:
            return
        step = session.view.step
        q = check.questions[step]
        body, col = self.column(state.look)
        col.addWidget(label(labels.fill(session.label("check.progress"), number=step + 1,
                                        total=len(check.questions)), "Muted"))
        if step == 0 and check.intro and not q.signs:  # the signs come before anything
            col.addWidget(label(check.intro))
        col.addWidget(label(q.text, "Title"))
        if q.signs:
            box = QFrame()
            box.setObjectName("UrgentBox" if q.asks_danger_signs else "Note")
            inner = QVBoxLayout(box)
            pad = m.gap * 2
            inner.setContentsMargins(pad, pad, pad, pad)
            inner.setSpacing(m.gap // 2 + 2)
            for sign in q.signs:
                inner.addWidget(label(f"•  {sign}", "Strong"))
            col.addWidget(box)
        col.addStretch(1)
        self.swap(body)
        chosen = session.chosen(step)
        self.answers: list[BigButton] = []
        for i, answer in enumerate(q.answers):
            b = BigButton(answer.text)
            b.set_style(state.look.theme, m)
            b.setCheckable(True)
            b.setChecked(chosen == i)
            # The button names its own question: a late tap cannot answer the next one.
            b.clicked.connect(lambda _=False, s=step, i=i: self.controller.answer(s, i))
            self.answers.append(b)
        columns = 2 if m.width >= 700 and len(self.answers) > 1 else 1
        self.set_answers(state, columns)

    def set_answers(self, state: State, columns: int) -> None:
        self.set_actions(state, list(self.answers), columns)

    def forget(self) -> None:
        self.answers = []
        super().forget()
