"""What every screen shares: a scrolling column, a fixed action area, and a "more below" cue.

A screen shows one state. Its words go in a scroll area (the largest text never pushes
anything off a small screen); its main actions sit in an action area at the bottom that
never scrolls away; and while there is more under the fold, a "More below" button in the
action area says so (it never covers text). Each state is built into a fresh body that
replaces the last one, so nothing of an old state lingers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from PySide6.QtCore import QPointF, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Clinic
from kiosk.page import Page
from kiosk.session import Session
from kiosk.theme import Metrics, Theme
from kiosk.ui.scrolling import Kinetic, stop_and_top
from kiosk.ui.widgets import button, needed_width, scroll_area


class Controller(Protocol):
    """What a screen may ask for; the window carries it out through the visit."""

    def open_topic(self, topic_id: str) -> None: ...
    def start_selfcheck(self) -> None: ...
    def answer(self, step: int, choice: int) -> None: ...
    def saw_signs(self, step: int) -> None: ...
    def may_answer(self, step: int, choice: int) -> bool: ...
    def open_call(self) -> None: ...
    def go_home(self) -> None: ...
    def wake(self) -> None: ...
    def told_front_desk(self) -> None: ...
    def set_language(self, code: str) -> None: ...
    def show_qr(self, url: str) -> None: ...
    def can_listen(self) -> bool: ...
    def toggle_listen(self) -> None: ...
    def page(self, topic_id: str) -> Page | None: ...


class Look(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    theme: Theme
    metrics: Metrics


class State(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    """What a screen is asked to show."""

    session: Session
    clinic: Clinic
    look: Look


class BaseScreen(QWidget):
    """A scroll area over a fixed action area; subclasses fill both in ``show_state``."""

    def __init__(self, controller: Controller, kinetic: Kinetic) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.controller = controller
        self.area = scroll_area()
        kinetic.add(self.area)
        self.action_bar = QFrame()  # a QFrame draws its style-sheet background itself
        self.action_bar.setObjectName("ActionBar")
        # The cue and the row of actions, each centred across the bar between two stretches
        # (alignment flags would name Qt, which the first screen never does: qtvalues).
        self._actions_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.action_bar)
        self._more_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._row_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._actions_layout.addLayout(self._more_box)
        self._actions_layout.addLayout(self._row_box)
        self.more = button("")
        self.more.setObjectName("More")
        self.more.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.more.clicked.connect(self.scroll_down)
        self.more.hide()
        # Each box: a stretch, its widget, a stretch, made once (items taken out of a
        # layout and not deleted would pile up: a layout item a screen change).
        self._more_box.addStretch(1)
        self._more_box.addWidget(self.more)
        self._more_box.addStretch(1)
        self._row_box.addStretch(1)
        self._row_box.addStretch(1)
        self._action_row: QWidget | None = None
        self._metrics: Metrics | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.area, 1)
        outer.addWidget(self.action_bar)
        bar = self.area.verticalScrollBar()
        bar.valueChanged.connect(self._update_more)
        bar.rangeChanged.connect(self._update_more)

    # -- what subclasses call ------------------------------------------------------
    def show_state(self, state: State) -> None:
        raise NotImplementedError

    def column(self, look: Look) -> tuple[QWidget, QVBoxLayout]:
        """A new body with a centred column of readable width; fill it, then ``swap`` it in."""
        inner = QWidget()
        inner.setObjectName("ScrollBody")
        col = QVBoxLayout()
        col.setSpacing(look.metrics.gap)
        col.setContentsMargins(0, 0, 0, 0)
        centered(inner, col, look)
        return inner, col

    def swap(self, body: QWidget, top: bool = True) -> None:
        """Show a newly built body at once and drop the old one (its words go now)."""
        old = self.area.takeWidget()
        self.area.setWidget(body)
        if top:
            stop_and_top(self.area)
        if old is not None:
            drop(old)

    def set_actions(self, state: State, buttons: Sequence[QAbstractButton],
                    columns: int | None = None, cue: str = "") -> None:
        """The screen's main actions, always in view at the bottom; the first is the main one.

        Push buttons stand in one row when they fit, else one per row; wrapping buttons
        (answers) stand ``columns`` to a row. ``cue``: what the "More below" button says
        instead, while there is more below.
        """
        m = state.look.metrics
        self._metrics = m
        pad = m.margin // 2 + 4
        self._actions_layout.setContentsMargins(pad, m.gap // 2 + 2, pad, m.gap // 2 + 2)
        self._actions_layout.setSpacing(max(8, m.gap))
        self.set_cue(cue or state.session.label("topic.more"))
        row = QWidget()
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(m.gap * 2)
        grid.setVerticalSpacing(m.gap)
        # Centred under the reading column; on a big screen, not the whole width.
        room = min(m.width - 2 * pad, m.column + 2 * m.margin)
        row.setMaximumWidth(room)
        needs = [needed_width(b, m) for b in buttons]
        for b, need in zip(buttons, needs, strict=True):
            if isinstance(b, QPushButton):
                b.setMinimumWidth(min(need, room))  # its words are never cut
            if b.property("role") == "urgent":  # the one thing to do: as wide as the column
                b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                row.setMinimumWidth(room)
        wide = sum(needs) + m.gap * 2 * (len(buttons) - 1)
        if any(needs):  # one-line buttons: side by side when they fit, else one per row
            per_row = len(buttons) if wide <= room else 1
        else:  # wrapping buttons (answers): as many per row as asked
            per_row = columns or 1
        cell = (room - m.gap * 2 * (per_row - 1)) // max(1, per_row)
        for i, b in enumerate(buttons):
            if not isinstance(b, QPushButton):  # a wrapping button: its cell's width, and
                b.setMinimumWidth(cell)  # tall enough for its words
                b.setMinimumHeight(max(m.button, b.heightForWidth(cell)))
            grid.addWidget(b, i // max(1, per_row), i % max(1, per_row))
        if self._action_row is not None:
            self._row_box.removeWidget(self._action_row)
            drop(self._action_row)
        # The cue sits beside the actions when all fit on one line (it costs no height),
        # else on its own line above them.
        urgent = any(b.property("role") == "urgent" for b in buttons)  # centred, alone
        inline = not urgent and any(needs) and per_row == len(buttons) and \
            wide + needed_width(self.more, m) + m.gap * 2 <= m.width - 2 * pad
        # Side by side: the cue on the reading side (its box takes the spare width), the
        # row on the other, each centred up and down. Else one above the other, centred.
        side_by_side = QBoxLayout.Direction.LeftToRight
        stacked = QBoxLayout.Direction.TopToBottom
        self._actions_layout.setDirection(side_by_side if inline else stacked)
        self._actions_layout.setStretch(0, 1 if inline else 0)
        self._action_row = row
        self._row_box.insertWidget(1, row)  # between its stretches (the old one removed)
        for box in (self._more_box, self._row_box):
            box.setDirection(stacked if inline else side_by_side)
        row.show()  # added to a visible parent: shown now, not on a later event
        self.action_bar.setVisible(bool(buttons) or self.more.isVisible())
        QTimer.singleShot(0, self._update_more)

    # -- "more below" --------------------------------------------------------------
    def set_cue(self, words: str) -> None:
        """What the "More below" button says (its width follows, shown or hidden)."""
        self.more.setText("▼  " + words)
        self.more.setAccessibleName(self.more.text())
        # A hidden button's new size reaches no layout by itself: its width is set here.
        if self._metrics is not None:
            self.more.setMinimumWidth(needed_width(self.more, self._metrics))

    def scroll_down(self) -> None:
        bar = self.area.verticalScrollBar()
        target = min(bar.maximum(), bar.value() + int(self.area.viewport().height() * 0.8))
        from PySide6.QtWidgets import QScroller

        if QScroller.hasScroller(self.area.viewport()):
            QScroller.scroller(self.area.viewport()).scrollTo(QPointF(0, target), 300)
        else:
            bar.setValue(target)

    def has_more(self) -> bool:
        bar = self.area.verticalScrollBar()
        return bar.maximum() - bar.value() > 4

    def _update_more(self, *_args: int) -> None:
        more = self.has_more()
        if more != self.more.isVisible():
            self.more.setVisible(more)
        if more and not self.action_bar.isVisible():
            self.action_bar.show()

    def forget(self) -> None:
        """Drop everything this screen showed of the last patient's visit."""
        self.swap(QWidget())
        if self._action_row is not None:
            self._row_box.removeWidget(self._action_row)
            drop(self._action_row)
            self._action_row = None


def drop(old: QWidget) -> None:
    """Hide a widget, clear its words now, and delete it on the next turn of the event loop
    (a button in it may be the one being tapped)."""
    old.hide()
    # Annotated: PySide6 6.8's stubs do not say what findChildren returns.
    labels: Iterable[QLabel] = old.findChildren(QLabel)
    buttons: Iterable[QAbstractButton] = old.findChildren(QAbstractButton)
    for lab in labels:
        lab.clear()
        lab.setAccessibleName("")
    for b in buttons:
        b.setText("")
        b.setAccessibleName("")
        b.setAccessibleDescription("")
    old.deleteLater()


def centered(host: QWidget, inner: QLayout, look: Look) -> None:
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


def language_buttons(state: State, controller: Controller) -> QHBoxLayout:
    """One button per language, each in its own name; the current one is marked."""
    session = state.session
    row = QHBoxLayout()
    row.setSpacing(state.look.metrics.gap)
    content = session.content
    if len(content.languages) < 2:
        return row
    for code in content.codes:
        b: QPushButton = button(content.languages[code].name,
                                primary=code == session.language_code)
        b.setCheckable(True)
        b.setChecked(code == session.language_code)
        b.setAccessibleDescription(content.languages[code].labels["home.heading"])
        b.clicked.connect(lambda _=False, c=code: controller.set_language(c))
        row.addWidget(b)
    return row
