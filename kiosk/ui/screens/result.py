"""The self-check result: a band's message, or a danger tier's message; never a diagnosis.

After an emergency sign the one main action is for the front desk, not the phone; after a
same-day sign, asking to be seen today (with the topics still in reach)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QVBoxLayout

from kiosk.ui.screens.base import BaseScreen, State
from kiosk.ui.widgets import button, label


class ResultScreen(BaseScreen):
    def show_state(self, state: State) -> None:
        session, m = state.session, state.look.metrics
        outcome = session.outcome()
        check = session.selfcheck
        if outcome is None or check is None:
            return
        body, col = self.column(state.look)
        col.addStretch(1)
        box = QFrame()
        box.setObjectName("UrgentBox" if outcome.urgent else "Note")
        inner = QVBoxLayout(box)
        pad = m.gap * 2
        inner.setContentsMargins(pad, pad, pad, pad)
        inner.setSpacing(m.gap)
        if not outcome.urgent:
            inner.addWidget(label(session.label("result.heading"), "Muted"))
        inner.addWidget(label(outcome.title, "UrgentTitle" if outcome.urgent else "Title"))
        inner.addWidget(label(outcome.message))
        if outcome.tier in session.desk_told:  # only once the desk's system said it got it
            inner.addWidget(label(session.label("result.desk_told"), "Strong"))
        col.addWidget(box)
        col.addWidget(label(check.not_diagnosis, "Muted"))
        col.addStretch(2)
        # Redrawn for the same result (the desk's confirmation arrived): the reader keeps
        # their place instead of being thrown back to the top.
        same = self.isVisible() and (outcome.tier, outcome.title) == getattr(self, "_shown", None)
        self._shown = (outcome.tier, outcome.title)
        bar = self.area.verticalScrollBar()
        place = max(bar.value(), getattr(self, "_following", 0))  # a redraw mid-way too
        self.swap(body, top=not same)
        if same and place:
            self._keep_place(place)
        if outcome.urgent:
            desk = button(session.label("result.desk"), primary=True)
            desk.setProperty("role", "urgent")
            desk.clicked.connect(self.controller.told_front_desk)
            self.set_actions(state, [desk])
            return
        if outcome.danger:  # the same-day tier: tell a doctor or nurse today
            seen = button(session.label("result.today"), primary=True)
            seen.clicked.connect(self.controller.told_front_desk)
            home = button(session.label("result.home"))
            home.clicked.connect(self.controller.go_home)
            self.set_actions(state, [seen, home])
            return
        call = button(session.label("result.call"), primary=True)
        call.clicked.connect(self.controller.open_call)
        home = button(session.label("result.home"))
        home.clicked.connect(self.controller.go_home)
        self.set_actions(state, [call, home])

    def _keep_place(self, place: int) -> None:
        """Scroll back to ``place`` as the new body's height arrives (its layout runs
        after this), and stop following once there, or after a second."""
        bar = self.area.verticalScrollBar()
        self._following = place

        def follow(_low: int = 0, high: int = 0) -> None:
            bar.setValue(min(place, bar.maximum()))
            if bar.value() >= place:
                stop()

        def stop() -> None:
            self._following = 0
            try:
                bar.rangeChanged.disconnect(follow)
            except (RuntimeError, TypeError):
                pass

        bar.rangeChanged.connect(follow)
        follow()
        QTimer.singleShot(1000, stop)
