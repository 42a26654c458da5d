"""What a passer-by sees: the clinic, an invitation, a slowly changing topic highlight, and
one tap to the self-check or the phone number.

One 10-second timer runs only while it is on screen; a touch anywhere else starts at home.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHideEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.screens.base import BaseScreen, Controller, Look, State, language_buttons
from kiosk.ui.screens.home import main_actions
from kiosk.ui.scrolling import Kinetic
from kiosk.ui.style import fitting_px, font
from kiosk.ui.widgets import label


class AttractScreen(BaseScreen):
    INTERVAL_MS = 10_000

    def __init__(self, controller: Controller, kinetic: Kinetic) -> None:
        super().__init__(controller, kinetic)
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.next_highlight)
        self.highlights: list[tuple[str, str]] = []
        self.index = 0
        self.highlight = Highlight()

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
        self.highlight = Highlight()
        self.highlight.style_for(state.look)
        self.highlight.setAccessibleName(session.label("attract.touch"))
        inner.addWidget(self.highlight)
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
        self.highlight.setFixedHeight(tallest + inner.spacing() + m.gap)
        self._show_highlight()
        self.swap(body)
        self.highlight.topics = list(self.highlights)
        self.set_actions(state, main_actions(state, self.controller))
        self.timer.start()

    def next_highlight(self) -> None:
        if self.highlights:
            self.index = (self.index + 1) % len(self.highlights)
            self._show_highlight()

    def _show_highlight(self) -> None:
        if self.highlights:
            self.highlight.show_topic(*self.highlights[self.index])

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.timer.stop()  # nothing ticks while the attract screen is not showing
        super().hideEvent(event)

    def forget(self) -> None:
        self.timer.stop()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.controller.wake()


class Highlight(QWidget):
    """A topic's title and summary, painted in a box of fixed size: a change every 10 s
    repaints this box and nothing else (no layout runs). Each topic is drawn once into a
    picture, all of them just after the attract screen first shows, so an attract screen
    left for hours only copies a picture every 10 s."""

    def __init__(self) -> None:
        super().__init__()
        # It paints every pixel of itself, so a change never repaints what lies behind it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.title = ""
        self.summary = ""
        self.look: Look | None = None
        self.topics: list[tuple[str, str]] = []
        self._pending = False
        self._drawn: dict[tuple[str, str, int, int, float, bool], QPixmap] = {}

    def style_for(self, look: Look) -> None:
        self.look = look
        self._drawn.clear()

    def show_topic(self, title: str, summary: str) -> None:
        # Its accessible name is set once, not at every change: announcing a new topic
        # every 10 s would be noise for a screen-reader user, and each change costs the
        # accessibility bridge a round of work.
        self.title, self.summary = title, summary
        self.update()

    def draw_all(self) -> None:
        """Draw every topic's picture at the box's real size (just after its first paint,
        when the screen is up; not one every 10 s for the first minute)."""
        self._pending = False
        for title, summary in self.topics:
            self._picture(title, summary)

    def _picture(self, title: str, summary: str) -> QPixmap:
        ratio = self.devicePixelRatioF()
        key = (title, summary, self.width(), self.height(), ratio,
               self.layoutDirection() == Qt.LayoutDirection.RightToLeft)
        picture = self._drawn.get(key)
        if picture is None and self.look is not None:
            picture = QPixmap(max(1, round(self.width() * ratio)),
                              max(1, round(self.height() * ratio)))
            picture.setDevicePixelRatio(ratio)
            m, theme = self.look.metrics, self.look.theme
            picture.fill(QColor(theme.surface))  # the box's own background
            flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
            area = QRect(0, 0, self.width(), self.height())
            p = QPainter(picture)
            p.setLayoutDirection(self.layoutDirection())  # a picture has no direction of its own
            p.setFont(font(m.heading, True))
            p.setPen(QColor(theme.heading))
            used = p.boundingRect(area, flags, title)
            p.drawText(area, flags, title)
            p.setFont(font(m.body))
            p.setPen(QColor(theme.text))
            p.drawText(area.adjusted(0, used.height() + m.gap // 2, 0, 0), flags, summary)
            p.end()
            self._drawn[key] = picture
        return picture if picture is not None else QPixmap()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self.look is None:
            return
        p = QPainter(self)
        p.drawPixmap(0, 0, self._picture(self.title, self.summary))
        p.end()
        ratio = self.devicePixelRatioF()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        if not self._pending and any((t, x, self.width(), self.height(), ratio, rtl)
                                     not in self._drawn for t, x in self.topics):
            self._pending = True
            QTimer.singleShot(0, self.draw_all)
