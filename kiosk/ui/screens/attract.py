"""What a passer-by sees: the clinic, an invitation, a slowly changing topic highlight, and
one tap to the self-check or the phone number.

One 10-second timer runs only while it is on screen; a touch anywhere else starts at home.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QHideEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk.ui.screens.base import BaseScreen, Controller, State, language_buttons
from kiosk.ui.screens.home import call_words
from kiosk.ui.scrolling import Kinetic
from kiosk.ui.style import fitting_px, font
from kiosk.ui.widgets import button, label


class AttractScreen(BaseScreen):
    INTERVAL_MS = 10_000

    def __init__(self, controller: Controller, kinetic: Kinetic) -> None:
        super().__init__(controller, kinetic)
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.next_highlight)
        self.highlights: list[tuple[str, str]] = []
        self.index = 0
        self.highlight_title = label("", "Heading")
        self.highlight_text = label("")

    def show_state(self, state: State) -> None:
        session, m = state.session, state.look.metrics
        body, col = self.column(state.look)
        col.addStretch(2)
        name = label(state.clinic.name, "Title")
        # The clinic's name wraps, and steps down in size before any word is cut.
        room = min(m.column, m.width - 2 * m.margin) - 8
        longest = max(state.clinic.name.split(), key=len, default="")
        name.setStyleSheet(f"font-size: {fitting_px(longest, room, m.title, m.body, True)}px;")
        line = label(session.label("attract.line"), "Heading")
        for lab in (name, line):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(name)
        col.addWidget(line)
        col.addSpacing(m.gap)
        box = QFrame()
        box.setObjectName("Note")
        inner = QVBoxLayout(box)
        pad = m.gap * 2
        inner.setContentsMargins(pad, pad, pad, pad)
        self.highlight_title = label("", "Heading")
        self.highlight_text = label("")
        inner.addWidget(self.highlight_title)
        inner.addWidget(self.highlight_text)
        col.addWidget(box)
        touch = label(session.label("attract.touch"), "Muted")
        touch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(touch)
        langs = QHBoxLayout()
        langs.addStretch(1)
        langs.addLayout(language_buttons(state, self.controller))
        langs.addStretch(1)
        col.addLayout(langs)
        col.addStretch(3)
        self.highlights = [(t.title, t.summary) for t in session.language.topics]
        self.index = 0
        # One fixed size for every highlight: a change then repaints this box and nothing
        # else (the attract screen may run for hours; it should cost next to nothing).
        inner_width = min(m.column, m.width - 2 * m.margin) - 2 * pad - 8
        wrap = QRect(0, 0, max(100, inner_width), 10_000)
        title_fm, text_fm = QFontMetrics(font(m.heading, True)), QFontMetrics(font(m.body))
        flag = int(Qt.TextFlag.TextWordWrap)
        tallest = max((title_fm.boundingRect(wrap, flag, t).height()
                       + text_fm.boundingRect(wrap, flag, x).height()
                       for t, x in self.highlights), default=0)
        box.setFixedHeight(tallest + 2 * pad + inner.spacing() + m.gap)
        self._show_highlight()
        self.swap(body)
        actions = []
        if session.selfcheck is not None:
            check = button(session.label("topic.take_check"), primary=True)
            check.clicked.connect(self.controller.start_selfcheck)
            actions.append(check)
        call = button(call_words(state))
        call.clicked.connect(self.controller.open_call)
        actions.append(call)
        self.set_actions(state, actions)
        self.timer.start()

    def next_highlight(self) -> None:
        if self.highlights:
            self.index = (self.index + 1) % len(self.highlights)
            self._show_highlight()

    def _show_highlight(self) -> None:
        if self.highlights:
            title, summary = self.highlights[self.index]
            self.highlight_title.setText(title)
            self.highlight_text.setText(summary)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.timer.stop()  # nothing ticks while the attract screen is not showing
        super().hideEvent(event)

    def forget(self) -> None:
        self.timer.stop()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.controller.wake()
