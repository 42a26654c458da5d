"""The screens a patient sees. Each one shows the session's state; taps go to the controller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QVBoxLayout,
    QWidget,
)

from kiosk import labels
from kiosk.config import Clinic
from kiosk.render import Page, stylesheet
from kiosk.session import Session
from kiosk.theme import Metrics, Theme
from kiosk.ui.widgets import BigButton, PageView, button, label


class Controller(Protocol):
    """What a screen may ask for; the window carries it out on the session."""

    def open_topic(self, topic_id: str) -> None: ...
    def start_check(self) -> None: ...
    def answer(self, choice: int) -> None: ...
    def open_call(self) -> None: ...
    def go_home(self) -> None: ...
    def rendered(self, topic_id: str) -> Page: ...


@dataclass(frozen=True)
class Look:
    theme: Theme
    metrics: Metrics


def clear(layout: QLayout) -> None:
    """Remove and delete everything in a layout."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear(item.layout())


def kinetic(area: QScrollArea) -> None:
    """Drag-to-scroll with a finger (or a mouse acting as one), with a gentle flick."""
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    props = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
    scroller.setScrollerProperties(props)


class Screen(QWidget):
    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.controller = controller

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        raise NotImplementedError


def _column(look: Look) -> QVBoxLayout:
    col = QVBoxLayout()
    col.setSpacing(look.metrics.gap)
    col.setContentsMargins(0, 0, 0, 0)
    return col


def _centered(host: QWidget, inner: QLayout, look: Look, *, top: bool = True) -> None:
    """Put a layout in a column of readable width, centred on the screen."""
    outer = QHBoxLayout(host) if host.layout() is None else host.layout()
    assert isinstance(outer, QHBoxLayout)
    m = look.metrics.margin
    outer.setContentsMargins(m, m, m, m)
    holder = QWidget()
    holder.setMaximumWidth(look.metrics.column)
    holder.setLayout(inner)
    outer.addStretch(1)
    outer.addWidget(holder, 100, Qt.AlignmentFlag.AlignTop if top else
                    Qt.AlignmentFlag.AlignVCenter)
    outer.addStretch(1)


class HomeScreen(Screen):
    """The topic menu: a heading and one large tile per topic."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        kinetic(self.area)
        self.body = QWidget()
        self.body.setObjectName("ScrollBody")
        self.area.setWidget(self.body)
        self.grid = QGridLayout(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)
        self.tiles: list[BigButton] = []

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        m = look.metrics
        clear(self.grid)
        self.grid.setContentsMargins(m.margin, m.gap, m.margin, m.margin)
        self.grid.setSpacing(m.gap * 2 if m.width >= 1200 else m.gap)
        heading = label(session.label("home.heading"), "Heading")
        self.grid.addWidget(heading, 0, 0, 1, -1)
        topics = session.language.topics
        columns = 3 if m.width >= 760 else 2
        if len(topics) <= 4:
            columns = 2
        self.tiles = []
        for i, topic in enumerate(topics):
            tile = BigButton(topic.title, topic.summary)
            tile.set_style(look.theme, m)
            tile.clicked.connect(lambda _=False, tid=topic.id: self.controller.open_topic(tid))
            self.grid.addWidget(tile, 1 + i // columns, i % columns)
            self.tiles.append(tile)
        rows = (len(topics) + columns - 1) // columns
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)
        for r in range(1, rows + 1):
            self.grid.setRowStretch(r, 1)
        self.grid.setRowStretch(rows + 1, 0)


class TopicScreen(Screen):
    """One topic page: its title, the rendered page, and what to do next at the end."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        kinetic(self.area)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)
        self.page = PageView()
        self.page.topic_clicked.connect(lambda tid: self.controller.open_topic(tid))
        self.title = label("", "Title")
        self.actions = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.topic_id: str | None = None

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        topic = session.topic()
        if topic is None:
            return
        m = look.metrics
        body = QWidget()
        body.setObjectName("ScrollBody")
        col = _column(look)
        col.addWidget(self.title)
        col.addSpacing(m.gap // 2)
        col.addWidget(self.page)
        col.addSpacing(m.gap)
        self.actions = QBoxLayout(QBoxLayout.Direction.LeftToRight
                                  if m.width >= 700 else QBoxLayout.Direction.TopToBottom)
        self.actions.setSpacing(m.gap * 2)
        if session.selfcheck is not None:
            check = button(session.label("topic.take_check"), primary=True)
            check.clicked.connect(self.controller.start_check)
            self.actions.addWidget(check)
        call = button(session.label("topic.call"))
        call.clicked.connect(self.controller.open_call)
        self.actions.addWidget(call)
        self.actions.addStretch(1)
        col.addLayout(self.actions)
        col.addStretch(1)
        old = self.area.takeWidget()
        if old is not None:
            # The title and page are reused; rescue them before the old body goes.
            self.title.setParent(None)
            self.page.setParent(None)
            old.deleteLater()
        _centered(body, col, look)
        self.area.setWidget(body)
        self.title.setText(topic.title)
        self.title.setAccessibleName(topic.title)
        page = self.controller.rendered(topic.id)
        self.page.show_page(page.html, stylesheet(look.theme, m.body),
                            session.content.root, m.body)
        self.page.setAccessibleName(topic.title)
        if topic.id != self.topic_id:
            self.area.verticalScrollBar().setValue(0)
        self.topic_id = topic.id


class CheckScreen(Screen):
    """One self-check question at a time, with its progress and large answer buttons."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.answers: list[BigButton] = []
        self.progress = label("", "Muted")
        self.question = label("", "Title")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.col = QVBoxLayout()
        self._built = False

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        check = session.selfcheck
        if check is None:
            return
        m = look.metrics
        step = session.view.step
        q = check.questions[step]
        if not self._built:
            _centered(self, self.col, look)
            self._built = True
        clear(self.col)
        self.progress = label(labels.fill(session.label("check.progress"), number=step + 1,
                                          total=len(check.questions)), "Muted")
        self.question = label(q.text, "Title")
        self.col.setSpacing(m.gap)
        self.col.addWidget(self.progress)
        self.col.addWidget(self.question)
        self.col.addSpacing(m.gap)
        self.answers = []
        chosen = session.chosen(step)
        for i, answer in enumerate(q.answers):
            b = BigButton(answer.text)
            b.set_style(look.theme, m)
            b.setCheckable(True)
            b.setChecked(chosen == i)
            b.clicked.connect(lambda _=False, i=i: self.controller.answer(i))
            self.col.addWidget(b)
            self.answers.append(b)
        self.col.addStretch(1)
        lay = self.layout()
        assert lay is not None
        lay.setContentsMargins(m.margin, m.margin, m.margin, m.margin)


class ResultScreen(Screen):
    """The self-check result: a band's message, or the urgent message; never a diagnosis."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.col = QVBoxLayout()
        self._built = False
        self.buttons: list[QWidget] = []

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        outcome = session.outcome()
        check = session.selfcheck
        if outcome is None or check is None:
            return
        m = look.metrics
        if not self._built:
            _centered(self, self.col, look)
            self._built = True
        lay = self.layout()
        assert lay is not None
        lay.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        clear(self.col)
        self.col.setSpacing(m.gap)
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
        self.col.addWidget(box)
        self.col.addWidget(label(check.not_diagnosis, "Muted"))
        row = QHBoxLayout()
        row.setSpacing(m.gap * 2)
        home = button(session.label("result.home"))
        home.clicked.connect(self.controller.go_home)
        call = button(session.label("result.call"), primary=True)
        call.clicked.connect(self.controller.open_call)
        row.addWidget(home)
        row.addStretch(1)
        row.addWidget(call)
        self.col.addSpacing(m.gap)
        self.col.addLayout(row)
        self.col.addStretch(1)
        self.buttons = [home, call]


class CallScreen(Screen):
    """Call to schedule: the clinic, the doctor, the phone number in very large type."""

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self.col = QVBoxLayout()
        self._built = False
        self.phone = label("", "Phone")

    def show_state(self, session: Session, clinic: Clinic, look: Look) -> None:
        m = look.metrics
        if not self._built:
            _centered(self, self.col, look)
            self._built = True
        lay = self.layout()
        assert lay is not None
        lay.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        clear(self.col)
        self.col.setSpacing(m.gap)
        self.col.addWidget(label(session.label("call.heading"), "Muted"))
        self.col.addWidget(label(clinic.name, "Title"))
        if clinic.doctor:
            self.col.addWidget(label(labels.fill(session.label("call.with"),
                                                 doctor=clinic.doctor), "Heading"))
        self.phone = label(clinic.phone, "Phone", wrap=False)
        self.phone.setAccessibleName(clinic.phone)
        self.col.addWidget(self.phone)
        hours = clinic.hours_for(session.language_code, session.content.default_language)
        self.col.addWidget(label(hours or session.label("call.hours_default")))
        self.col.addWidget(label(session.label("call.ask_desk")))
        self.col.addSpacing(m.gap)
        row = QHBoxLayout()
        done = button(session.label("call.done"), primary=True)
        done.clicked.connect(self.controller.go_home)
        row.addStretch(1)
        row.addWidget(done)
        self.col.addLayout(row)
        self.col.addStretch(1)


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
