"""The screens a patient sees. Each one shows the session's state; taps go to the controller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPointF, QRect, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QHideEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QVBoxLayout,
    QWidget,
)

from kiosk import labels
from kiosk.config import Clinic
from kiosk.qr import tel_uri
from kiosk.render import Page, stylesheet
from kiosk.session import Session
from kiosk.theme import Metrics, Theme
from kiosk.ui.qrwidget import QrCode
from kiosk.ui.style import font
from kiosk.ui.widgets import BigButton, PageView, button, label


class Controller(Protocol):
    """What a screen may ask for; the window carries it out on the session."""

    def open_topic(self, topic_id: str) -> None: ...
    def start_check(self) -> None: ...
    def answer(self, choice: int) -> None: ...
    def open_call(self) -> None: ...
    def go_home(self) -> None: ...
    def wake(self) -> None: ...
    def set_language(self, code: str) -> None: ...
    def show_qr(self, url: str) -> None: ...
    def can_listen(self) -> bool: ...
    def toggle_listen(self) -> None: ...
    def rendered(self, topic_id: str) -> Page: ...


@dataclass(frozen=True)
class Look:
    theme: Theme
    metrics: Metrics


_waiting_for_scroller: list[QScrollArea] | None = []


def enable_kinetic_scrolling() -> None:
    """Called once the first screen is painted: the first QScroller costs tens of ms."""
    global _waiting_for_scroller
    waiting, _waiting_for_scroller = _waiting_for_scroller or [], None
    for area in waiting:
        try:
            _grab(area)
        except RuntimeError:  # deleted meanwhile
            pass


def kinetic(area: QScrollArea) -> None:
    """Drag-to-scroll with a finger (or a mouse acting as one), with a gentle flick."""
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    if _waiting_for_scroller is not None:
        _waiting_for_scroller.append(area)
    else:
        _grab(area)


def _grab(area: QScrollArea) -> None:
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    props = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
    # Pass a press straight to the button under the finger (it shows pressed at once);
    # if the finger then drags, the scroller takes over and the button is not clicked.
    props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
    scroller.setScrollerProperties(props)


class Screen(QWidget):
    """A screen shows one state; each state is built into a fresh body that replaces the last."""

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.controller = controller
        self.body: QWidget | None = None
        self.area: QScrollArea | None = None  # column screens: made on first use
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        raise NotImplementedError

    def forget(self) -> None:
        """Drop everything this screen showed of the last patient's visit."""
        self.swap(QWidget())

    def swap(self, body: QWidget) -> None:
        """Show a newly built body at once (not on a later event) and drop the old one."""
        if self.area is not None and body is not self.area:
            old = self.area.takeWidget()
            self.area.setWidget(body)  # shows it
        else:
            old, self.body = self.body, body  # first, so a nested swap cannot lose track
            if old is not None:
                self._outer.removeWidget(old)
            body.setObjectName(body.objectName() or "Screen")
            self._outer.addWidget(body)
            body.show()
        if old is not None:
            old.hide()
            # It is deleted on the next turn of the event loop (a button in it may be the
            # one being tapped); its words go now, so nothing of a patient's lingers.
            for lab in old.findChildren(QLabel):
                lab.clear()
                lab.setAccessibleName("")
            for b in old.findChildren(QAbstractButton):
                b.setText("")
                b.setAccessibleName("")
                b.setAccessibleDescription("")
            old.deleteLater()

    def column(self, look: Look) -> tuple[QWidget, QVBoxLayout]:
        """A new body with a centred column of readable width, in this screen's one scroll
        area (made once: each QScroller grab costs memory that is never given back).

        Fill the column, then swap() the body in. Scrolling (by dragging) keeps the largest
        text size from pushing anything off a small screen.
        """
        if self.area is None:
            self.area = QScrollArea()
            self.area.setWidgetResizable(True)
            kinetic(self.area)
            self.swap(self.area)
        inner = QWidget()
        inner.setObjectName("ScrollBody")
        col = _column(look)
        _centered(inner, col, look)
        return inner, col


def language_buttons(session: Session, controller: Controller, look: Look) -> QHBoxLayout:
    """One button per language, each in its own name; the current one is marked."""
    row = QHBoxLayout()
    row.setSpacing(look.metrics.gap)
    content = session.content
    if len(content.languages) < 2:
        return row
    for code in content.codes:
        b = button(content.languages[code].name, primary=code == session.language_code)
        b.setCheckable(True)
        b.setChecked(code == session.language_code)
        b.setAccessibleDescription(content.languages[code].labels["home.heading"])
        b.clicked.connect(lambda _=False, c=code: controller.set_language(c))
        row.addWidget(b)
    return row


def _column(look: Look) -> QVBoxLayout:
    col = QVBoxLayout()
    col.setSpacing(look.metrics.gap)
    col.setContentsMargins(0, 0, 0, 0)
    return col


def _centered(host: QWidget, inner: QLayout, look: Look) -> None:
    """Put a layout in a column of readable width, centred on the screen."""
    outer = QHBoxLayout(host)
    m = look.metrics
    outer.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
    holder = QWidget()
    holder.setMaximumWidth(m.column)
    holder.setLayout(inner)
    outer.addStretch(1)
    outer.addWidget(holder, 100)
    outer.addStretch(1)


class HomeScreen(Screen):
    """The topic menu: a heading and one large tile per topic."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        kinetic(self.area)
        self.swap(self.area)
        self.tiles: list[BigButton] = []
        self.shown_key: tuple[object, ...] | None = None
        self.shown_content: object = None

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        # The menu only changes with the content, the language or the look: rebuilding it on
        # every "Home" would cost a few milliseconds each time for nothing.
        key = (session.language_code, look.metrics, look.theme)
        if key == self.shown_key and session.content is self.shown_content:
            return
        self.shown_key = key
        self.shown_content = session.content  # held, so its identity cannot be reused
        m = look.metrics
        body = QWidget()
        body.setObjectName("ScrollBody")
        grid = QGridLayout(body)
        grid.setContentsMargins(m.margin, m.gap, m.margin, m.margin)
        grid.setSpacing(m.gap * 2 if m.width >= 1200 else m.gap)
        heading = label(session.label("home.heading"), "Heading")
        top = QHBoxLayout()
        top.setSpacing(m.gap)
        top.addWidget(heading, 1)
        top.addLayout(language_buttons(session, self.controller, look))
        grid.addLayout(top, 0, 0, 1, -1)
        topics = session.language.topics
        # As many columns as fit tiles of about 13 characters' width: 3 at normal text on
        # 800x480, 2 at the larger sizes; never more than 3.
        columns = max(1, min(3, m.width // (m.body * 13)))
        if len(topics) <= 4:
            columns = min(columns, 2)
        self.tiles = []
        spacing = grid.spacing()
        # From the window's width: this screen may not be laid out yet.
        scrollbar = max(10, m.gap)
        tile_width = (m.width - 2 * m.margin - scrollbar - spacing * (columns - 1)) // columns
        for i, topic in enumerate(topics):
            tile = BigButton(topic.title, topic.summary, topic.image)
            tile.setAccessibleDescription(topic.summary)
            tile.set_style(look.theme, m)
            tile.clicked.connect(lambda _=False, tid=topic.id: self.controller.open_topic(tid))
            grid.addWidget(tile, 1 + i // columns, i % columns)
            self.tiles.append(tile)
        # All tiles alike: tall enough for the wordiest (the grid would squeeze them), and
        # on big screens large, not vast.
        need = max((t.heightForWidth(max(120, tile_width)) for t in self.tiles), default=0)
        for tile in self.tiles:
            tile.setMinimumHeight(need)
            tile.setMaximumHeight(max(need, m.button * 4))
        rows = (len(topics) + columns - 1) // columns
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        for r in range(1, rows + 1):
            grid.setRowStretch(r, 1)
        grid.setRowStretch(rows + 1, 1)  # what tiles cannot use stays below them
        old = self.area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.area.setWidget(body)

    def forget(self) -> None:
        """The menu holds nothing of a patient's; only its scroll position goes."""
        self.area.verticalScrollBar().setValue(0)


class TopicScreen(Screen):
    """One topic page: its title, the rendered page, and what to do next at the end."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        kinetic(self.area)
        self.page = PageView()
        self.page.topic_clicked.connect(lambda tid: self.controller.open_topic(tid))
        self.page.web_link_clicked.connect(self._web_link)
        self.web_links: list[str] = []
        self.title = label("", "Title")
        self.more_info = QFrame()
        self.more_info.setObjectName("Note")
        info = QHBoxLayout(self.more_info)
        self.more_info_code = QrCode()
        self.more_info_text = label("")
        info.addWidget(self.more_info_code)
        info.addWidget(self.more_info_text, 1)
        self.check_button = button("", primary=True)
        self.check_button.clicked.connect(self.controller.start_check)
        self.call_button = button("")
        self.call_button.clicked.connect(self.controller.open_call)
        self.actions = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.actions.addWidget(self.check_button)
        self.actions.addWidget(self.call_button)
        self.actions.addStretch(1)
        self.col = QVBoxLayout()
        self.col.setContentsMargins(0, 0, 0, 0)
        self.listen_button = button("")
        self.listen_button.clicked.connect(lambda: self.controller.toggle_listen())
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.listen_button, 0, Qt.AlignmentFlag.AlignTop)
        self.title_row = title_row
        self.col.addLayout(title_row)
        self.col.addWidget(self.page)
        self.col.addWidget(self.more_info)
        self.col.addLayout(self.actions)
        self.col.addStretch(1)
        body = QWidget()
        body.setObjectName("ScrollBody")
        self.outer = QHBoxLayout(body)
        self.holder = QWidget()
        self.holder.setLayout(self.col)
        self.outer.addStretch(1)
        self.outer.addWidget(self.holder, 100)
        self.outer.addStretch(1)
        self.area.setWidget(body)
        self.swap(self.area)
        self.topic_id: str | None = None
        # "More below": seen while there is more page under the fold; a tap scrolls down.
        self.more_margin = 10
        self.more = button("", parent=self)
        self.more.hide()
        self.more.clicked.connect(self.scroll_down)
        self.area.verticalScrollBar().valueChanged.connect(self._update_more)
        self.area.verticalScrollBar().rangeChanged.connect(self._update_more)

    def show_listening(self, speaking: bool, session: Session) -> None:
        text = session.label("topic.stop" if speaking else "topic.listen")
        self.listen_button.setText(text)
        self.listen_button.setAccessibleName(text)

    def _web_link(self, index: int) -> None:
        if 0 <= index < len(self.web_links):
            self.controller.show_qr(self.web_links[index])

    def scroll_down(self) -> None:
        bar = self.area.verticalScrollBar()
        target = min(bar.maximum(), bar.value() + int(self.area.viewport().height() * 0.8))
        QScroller.scroller(self.area.viewport()).scrollTo(QPointF(0, target), 300)

    def _update_more(self, *_args: int) -> None:
        bar = self.area.verticalScrollBar()
        # Hidden once the buttons at the end of the page are in sight.
        more = bar.maximum() - bar.value() > self.more_margin * 3 + self.more.height()
        if more:
            hint = self.more.sizeHint()
            m = self.more_margin
            self.more.setGeometry(self.width() - hint.width() - m - bar.width(),
                                  self.height() - hint.height() - m, hint.width(), hint.height())
            self.more.raise_()
        self.more.setVisible(more)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._update_more()

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        topic = session.topic()
        if topic is None:
            return
        m = look.metrics
        self.outer.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        self.holder.setMaximumWidth(m.column)
        self.col.setSpacing(m.gap)
        self.actions.setSpacing(m.gap * 2)
        self.actions.setDirection(QBoxLayout.Direction.LeftToRight if m.width >= 700
                                  else QBoxLayout.Direction.TopToBottom)
        for b, key in ((self.check_button, "topic.take_check"), (self.call_button, "topic.call")):
            b.setText(session.label(key))
            b.setAccessibleName(b.text())
        self.check_button.setVisible(session.selfcheck is not None)
        self.title_row.setSpacing(m.gap * 2)
        self.listen_button.setVisible(self.controller.can_listen())
        self.show_listening(False, session)
        self.more.setText("▼  " + session.label("topic.more"))
        self.more.setAccessibleName(self.more.text())
        self.more_margin = m.gap
        if topic.more_info:
            self.more_info_code.set_data(topic.more_info)
            self.more_info_code.set_side(max(120, min(200, m.button * 2 + m.gap * 4)))
            self.more_info_text.setText(f"{session.label('topic.scan')}\n{topic.more_info}")
        self.more_info.setVisible(bool(topic.more_info))
        self.title.setText(topic.title)
        self.title.setAccessibleName(topic.title)
        page = self.controller.rendered(topic.id)
        self.web_links = page.web_links
        self.page.show_page(page.html, stylesheet(look.theme, m.body),
                            session.content.root, m.body)
        self.page.setAccessibleName(topic.title)
        if topic.id != self.topic_id:
            self.area.verticalScrollBar().setValue(0)
        self.topic_id = topic.id

    def forget(self) -> None:
        self.page.clear()
        self.title.clear()
        self.web_links = []
        self.more_info_code.set_data("")
        self.more_info_text.clear()
        self.topic_id = None
        self.area.verticalScrollBar().setValue(0)


class CheckScreen(Screen):
    """One self-check question at a time, with its progress and large answer buttons."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.answers: list[BigButton] = []

    def forget(self) -> None:
        self.answers = []
        super().forget()

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        check = session.selfcheck
        if check is None:
            return
        m = look.metrics
        step = session.view.step
        q = check.questions[step]
        body, col = self.column(look)
        col.addWidget(label(labels.fill(session.label("check.progress"), number=step + 1,
                                        total=len(check.questions)), "Muted"))
        if step == 0 and check.intro:
            col.addWidget(label(check.intro))
        col.addWidget(label(q.text, "Title"))
        col.addSpacing(m.gap)
        self.answers = []
        chosen = session.chosen(step)
        for i, answer in enumerate(q.answers):
            b = BigButton(answer.text)
            b.set_style(look.theme, m)
            b.setCheckable(True)
            b.setChecked(chosen == i)
            b.clicked.connect(lambda _=False, i=i: self.controller.answer(i))
            col.addWidget(b)
            self.answers.append(b)
        col.addStretch(1)
        self.swap(body)


class ResultScreen(Screen):
    """The self-check result: a band's message, or the urgent message; never a diagnosis."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        outcome = session.outcome()
        check = session.selfcheck
        if outcome is None or check is None:
            return
        m = look.metrics
        body, col = self.column(look)
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
        col.addWidget(box)
        col.addWidget(label(check.not_diagnosis, "Muted"))
        row = QHBoxLayout()
        row.setSpacing(m.gap * 2)
        home = button(session.label("result.home"))
        home.clicked.connect(self.controller.go_home)
        call = button(session.label("result.call"), primary=True)
        call.clicked.connect(self.controller.open_call)
        row.addWidget(home)
        row.addStretch(1)
        row.addWidget(call)
        col.addSpacing(m.gap)
        col.addLayout(row)
        col.addStretch(2)
        self.swap(body)


class CallScreen(Screen):
    """Call to schedule: the clinic, the doctor, the phone number in very large type."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.phone = label("", "Phone")

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        m = look.metrics
        body, col = self.column(look)
        col.addStretch(1)
        col.addWidget(label(session.label("call.heading"), "Heading"))
        col.addWidget(label(clinic.name, "Title"))
        if clinic.doctor:
            col.addWidget(label(labels.fill(session.label("call.with"),
                                                 doctor=clinic.doctor), "Heading"))
        self.phone = label(clinic.phone, "Phone", wrap=False)
        self.phone.setAccessibleName(clinic.phone)
        # Very large, but never wider than the column (a long number gets smaller type).
        px = m.phone
        while px > m.title and QFontMetrics(font(px, True)).horizontalAdvance(
                clinic.phone) > m.column - 2 * m.margin:
            px -= 2
        self.phone.setStyleSheet(f"font-size: {px}px;")
        col.addWidget(self.phone)
        row = QHBoxLayout()
        row.setSpacing(m.gap * 2)
        left = QVBoxLayout()
        left.setSpacing(m.gap)
        hours = clinic.hours_for(session.language_code, session.content.default_language)
        left.addWidget(label(hours or session.label("call.hours_default")))
        left.addWidget(label(session.label("call.ask_desk")))
        left.addSpacing(m.gap)
        done = button(session.label("call.done"), primary=True)
        done.clicked.connect(self.controller.go_home)
        done_row = QHBoxLayout()
        done_row.addWidget(done)
        done_row.addStretch(1)
        left.addLayout(done_row)
        left.addStretch(1)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        right.setSpacing(m.gap // 2)
        self.qr = QrCode(tel_uri(clinic))
        self.qr.set_side(max(140, min(260, m.height // 4)))
        scan = label(session.label("call.scan"), "Muted")
        scan.setFixedWidth(self.qr.side + 2 * m.gap)
        scan.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addWidget(scan, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addStretch(1)
        row.addLayout(right)
        col.addLayout(row)
        col.addStretch(2)
        self.swap(body)


class AttractScreen(Screen):
    """What a passer-by sees: the clinic, an invitation, a slowly changing topic highlight.

    One 8-second timer runs only while it is on screen; a touch anywhere starts at home.
    """

    INTERVAL_MS = 10_000

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.next_highlight)
        self.highlights: list[tuple[str, str]] = []
        self.index = 0
        self.highlight_title = label("", "Heading")
        self.highlight_text = label("")

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        m = look.metrics
        body, col = self.column(look)
        col.addStretch(2)
        name = label(clinic.name, "Title")
        line = label(session.label("attract.line"), "Heading")
        for lab in (name, line):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(name)
        col.addWidget(line)
        col.addSpacing(m.gap * 2)
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
        col.addSpacing(m.gap * 2)
        touch = label(session.label("attract.touch"), "Muted")
        touch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(touch)
        col.addSpacing(m.gap)
        langs = QHBoxLayout()
        langs.addStretch(1)
        langs.addLayout(language_buttons(session, self.controller, look))
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


class RestingScreen(QWidget):
    """Shown when no content can be loaded: calm words, no buttons, no error details."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.heading = label(labels.DEFAULTS["resting.heading"], "Title")
        self.message = label(labels.DEFAULTS["resting.message"], "Heading")
        for lab in (self.heading, self.message):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addStretch(1)
