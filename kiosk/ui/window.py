"""The kiosk's one window: a top bar with Back and Home, and the screen for the session's view."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.content import Content, Loaded
from kiosk.render import Page, render_topic
from kiosk.session import Screen, Session
from kiosk.theme import LIGHT, Metrics, Theme
from kiosk.ui import screens
from kiosk.ui.style import FONT_FAMILIES, stylesheet
from kiosk.ui.widgets import button, label

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """A tap handler that must never take the kiosk down: log, then go home."""

    @functools.wraps(method)
    def wrapper(self: KioskWindow, *args: Any) -> Any:
        try:
            return method(self, *args)
        except Exception:
            log.exception("error while handling a tap; going back to the home screen")
            self.recover()
            return None

    return wrapper  # type: ignore[return-value]


class _Lockdown(QObject):
    """Swallows what a kiosk must never show: context menus, drags, drops."""

    BLOCKED = {QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.Drop,
               QEvent.Type.DragMove}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        return event.type() in self.BLOCKED


class KioskWindow(QWidget):
    """Top-level window. Holds the content, the theme and one patient's Session."""

    def __init__(self, config: Config, loaded: Loaded) -> None:
        super().__init__()
        self.setObjectName("KioskWindow")
        self.setWindowTitle(config.clinic.name)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setAcceptDrops(False)
        self.config = config
        self.loaded = loaded
        self.theme: Theme = LIGHT
        self.metrics = Metrics.for_size(1280, 720)
        self._pages: dict[tuple[str, str], Page] = {}
        self.content: Content | None = loaded.content
        self.session: Session | None = None
        self._lockdown = _Lockdown(self)
        app = QApplication.instance()
        if app is not None:
            # Application-wide, so no child widget can show a menu; removed with the window.
            app.installEventFilter(self._lockdown)
        f = self.font()
        f.setFamilies(FONT_FAMILIES)
        self.setFont(f)

        self.bar = QWidget()
        self.bar.setObjectName("TopBar")
        self.bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.back_button = button("Back")
        self.home_button = button("Home")
        self.back_button.clicked.connect(self.go_back)
        self.home_button.clicked.connect(self.go_home)
        self.bar_title = label(config.clinic.name, "BarTitle", wrap=False)
        self.bar_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar = QHBoxLayout(self.bar)
        bar.addWidget(self.back_button)
        bar.addWidget(self.bar_title, 1)
        bar.addWidget(self.home_button)

        self.stack = QStackedWidget()
        self.home_screen = screens.HomeScreen(self)
        self.topic_screen = screens.TopicScreen(self)
        self.check_screen = screens.CheckScreen(self)
        self.result_screen = screens.ResultScreen(self)
        self.call_screen = screens.CallScreen(self)
        self.resting_screen = screens.RestingScreen()
        self.screens: dict[Screen, screens.Screen] = {
            Screen.HOME: self.home_screen,
            Screen.TOPIC: self.topic_screen,
            Screen.CHECK: self.check_screen,
            Screen.RESULT: self.result_screen,
            Screen.CALL: self.call_screen,
        }
        for screen in [*self.screens.values(), self.resting_screen]:
            self.stack.addWidget(screen)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)
        self.apply_look(force=True)
        self.reset()

    # -- state ---------------------------------------------------------------
    def reset(self) -> None:
        """Start a new patient's session: the old one, with its answers, is dropped whole."""
        self.session = Session(self.content, self.config.language) if self.content else None
        self.refresh()

    def recover(self) -> None:
        try:
            if self.session is not None:
                self.session.home()
            self.refresh()
        except Exception:
            log.exception("could not show the home screen; resting")
            self.stack.setCurrentWidget(self.resting_screen)
            self.bar.hide()

    def rendered(self, topic_id: str) -> Page:
        """A topic's page, rendered when first opened and then kept."""
        assert self.session is not None and self.content is not None
        language = self.session.language
        key = (language.code, topic_id)
        if key not in self._pages:
            topic = language.topic(topic_id)
            assert topic is not None
            self._pages[key] = render_topic(topic, language, self.content.root)
        return self._pages[key]

    @property
    def current_screen(self) -> QWidget:
        return self.stack.currentWidget()

    def refresh(self) -> None:
        """Show the session's current view."""
        session = self.session
        if session is None:
            self.bar.hide()
            self.stack.setCurrentWidget(self.resting_screen)
            return
        self.bar.show()
        view = session.view
        screen = self.screens[view.screen]
        look = screens.Look(self.theme, self.metrics)
        screen.show_state(session, self.config.clinic, look)
        self.stack.setCurrentWidget(screen)
        at_home = view.screen is Screen.HOME
        for b, key in ((self.back_button, "nav.back"), (self.home_button, "nav.home")):
            text = session.label(key)
            b.setText(text)
            b.setAccessibleName(text)
            # Keep the space so the bar never jumps; just hide the buttons at home.
            policy = b.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            b.setSizePolicy(policy)
            b.setVisible(not at_home)

    # -- taps (the screens' Controller) ---------------------------------------
    @guarded
    def open_topic(self, topic_id: str) -> None:
        if self.session and self.session.open_topic(topic_id):
            self.refresh()

    @guarded
    def start_check(self) -> None:
        if self.session and self.session.start_check():
            self.refresh()

    @guarded
    def answer(self, choice: int) -> None:
        if self.session:
            self.session.answer(choice)
            self.refresh()

    @guarded
    def open_call(self) -> None:
        if self.session:
            self.session.open_call()
            self.refresh()

    @guarded
    def go_back(self) -> None:
        if self.session:
            self.session.back()
            self.refresh()

    @guarded
    def go_home(self) -> None:
        if self.session:
            self.session.home()
            self.refresh()

    # -- look ------------------------------------------------------------------
    def apply_look(self, force: bool = False) -> None:
        metrics = Metrics.for_size(max(1, self.width()), max(1, self.height()))
        if metrics == self.metrics and not force:
            return
        self.metrics = metrics
        self.setStyleSheet(stylesheet(self.theme, metrics))
        bar = self.bar.layout()
        assert bar is not None
        bar.setContentsMargins(metrics.margin // 2 + 4, metrics.gap // 2 + 2,
                               metrics.margin // 2 + 4, metrics.gap // 2 + 2)
        bar.setSpacing(metrics.gap)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        before = self.metrics
        self.apply_look()
        if self.metrics != before and self.session is not None:
            self.refresh()
