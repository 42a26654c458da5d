"""Home: the topic tiles, with the self-check and the phone number one tap away."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QWidget

from kiosk.ui.screens.base import BaseScreen, Controller, State, language_buttons
from kiosk.ui.widgets import BigButton, button, label


def call_words(state: State) -> str:
    """"Call 310-828-7757": one tap to the call panel, with the number itself in view."""
    return state.session.say("home.call", phone=state.clinic.phone)


def main_actions(state: State, controller: Controller) -> list[QPushButton]:
    """The self-check (the main action, when there is one) and the call panel, with the
    phone number in view: one tap away on home, attract and every topic page."""
    session = state.session
    actions = []
    if session.selfcheck is not None:
        check = button(session.label("topic.take_check"), primary=True)
        check.clicked.connect(controller.start_selfcheck)
        actions.append(check)
    call = button(call_words(state), primary=session.selfcheck is None)
    call.clicked.connect(controller.open_call)
    actions.append(call)
    return actions


class HomeScreen(BaseScreen):
    """A heading, the language buttons, one large tile per topic; actions at the bottom."""

    def show_state(self, state: State) -> None:
        session, m = state.session, state.look.metrics
        body = QWidget()
        body.setObjectName("ScrollBody")
        grid = QGridLayout(body)
        grid.setContentsMargins(m.margin, m.gap, m.margin, m.gap)
        grid.setSpacing(m.gap * 2 if m.width >= 1200 else m.gap)
        heading = label(session.label("home.heading"), "Heading")
        top = QHBoxLayout()
        top.setSpacing(m.gap)
        top.addWidget(heading, 1)
        top.addLayout(language_buttons(state, self.controller))
        grid.addLayout(top, 0, 0, 1, -1)
        topics = session.language.topics
        # As many columns as fit tiles of about 16 characters' width; never more than 3.
        columns = max(1, min(3, m.width // (m.body * 16)))
        if len(topics) <= 4:
            columns = min(columns, 2)
        spacing = grid.spacing()
        scrollbar = max(10, m.gap)  # from the window's width: not laid out yet
        tile_width = (m.width - 2 * m.margin - scrollbar - spacing * (columns - 1)) // columns
        self.tiles: list[BigButton] = []
        for i, topic in enumerate(topics):
            tile = BigButton(topic.title, topic.summary, topic.image, root=session.content.root)
            tile.setAccessibleDescription(topic.summary)
            tile.set_style(state.look.theme, m)
            tile.clicked.connect(lambda _=False, tid=topic.id: self.controller.open_topic(tid))
            grid.addWidget(tile, 1 + i // columns, i % columns)
            self.tiles.append(tile)
        # All tiles alike: tall enough for the wordiest (the grid would squeeze them).
        need = max((t.heightForWidth(max(120, tile_width)) for t in self.tiles), default=0)
        for tile in self.tiles:
            tile.setMinimumHeight(need)
            tile.setMaximumHeight(max(need, m.button * 3))
        rows = (len(topics) + columns - 1) // columns
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        for r in range(1, rows + 1):
            grid.setRowStretch(r, 1)
        self.swap(body)
        self.set_actions(state, main_actions(state, self.controller))
