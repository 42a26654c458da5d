"""A topic page: its title, the rendered page and a QR code for more; the self-check and
the phone one tap away at the bottom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.session import Session
from kiosk.ui.pageview import PageView
from kiosk.ui.qrwidget import QrCode
from kiosk.ui.screens.base import BaseScreen, Controller, State
from kiosk.ui.screens.home import main_actions
from kiosk.ui.scrolling import Kinetic, stop_and_top
from kiosk.ui.widgets import button, label


class TopicScreen(BaseScreen):
    """The page view is made once and kept: it holds the laid-out pages (see PageView)."""

    def __init__(self, controller: Controller, kinetic: Kinetic) -> None:
        super().__init__(controller, kinetic)
        self.page = PageView()
        self.page.topic_clicked.connect(lambda tid: self.controller.open_topic(tid))
        self.page.web_link_clicked.connect(self._web_link)
        self.web_links: list[str] = []
        self.title = label("", "Title")
        self.listen_button = button("")
        self.listen_button.clicked.connect(lambda: self.controller.toggle_listen())
        self.more_info = QFrame()
        self.more_info.setObjectName("Note")
        info = QHBoxLayout(self.more_info)
        self.more_info_code = QrCode()
        self.more_info_text = label("")
        info.addWidget(self.more_info_code)
        info.addWidget(self.more_info_text, 1)
        self.col = QVBoxLayout()
        self.col.setContentsMargins(0, 0, 0, 0)
        self.title_row = QHBoxLayout()
        self.title_row.addWidget(self.title, 1)
        self.title_row.addWidget(self.listen_button, 0, Qt.AlignmentFlag.AlignTop)
        self.col.addLayout(self.title_row)
        self.col.addWidget(self.page)
        self.col.addWidget(self.more_info)
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
        self.topic_id: str | None = None

    def show_listening(self, speaking: bool, session: Session) -> None:
        text = session.label("topic.stop" if speaking else "topic.listen")
        self.listen_button.setText(text)
        self.listen_button.setAccessibleName(text)

    def _web_link(self, index: int) -> None:
        if 0 <= index < len(self.web_links):
            self.controller.show_qr(self.web_links[index])

    def show_state(self, state: State) -> None:
        session, m = state.session, state.look.metrics
        topic = session.topic()
        page = self.controller.page(topic.id) if topic is not None else None
        if topic is None or page is None:
            return
        self.outer.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        self.holder.setMaximumWidth(m.column)
        self.col.setSpacing(m.gap)
        self.title_row.setSpacing(m.gap * 2)
        self.listen_button.setVisible(self.controller.can_listen())
        self.show_listening(False, session)
        if topic.more_info:
            self.more_info_code.set_data(topic.more_info)
            self.more_info_code.set_side(max(120, min(200, m.button * 2 + m.gap * 4)))
            self.more_info_text.setText(
                f"{session.label('topic.scan')}\n{session.ltr(topic.more_info)}")
        self.more_info.setVisible(bool(topic.more_info))
        self.title.setText(topic.title)
        self.title.setAccessibleName(topic.title)
        from kiosk.render import stylesheet as page_stylesheet  # with the first page

        self.web_links = page.web_links
        self.page.show_page(page.html, page_stylesheet(state.look.theme, m.body),
                            session.content.root, m.body, page.pictures)
        self.page.setAccessibleName(topic.title)
        if topic.id != self.topic_id:
            stop_and_top(self.area)  # a new page opens at its top, with no leftover flick
        self.topic_id = topic.id
        self.set_actions(state, main_actions(state, self.controller))

    def forget(self) -> None:
        self.page.clear()
        self.title.clear()
        self.web_links = []
        self.more_info_code.set_data("")
        self.more_info_text.clear()
        self.topic_id = None
        stop_and_top(self.area)
