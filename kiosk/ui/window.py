"""The kiosk's one window: a thin view of the visit (kiosk.visit).

Taps become one call on the visit; the ``Change`` it returns says what to redraw. What the
window itself adds is Qt: the top bar, the screens, the overlays, the look, idle timing,
read-aloud and live content.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QThread, QTimer
from PySide6.QtGui import QCloseEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.model import Content
from kiosk.render import Page
from kiosk.session import Screen, Session
from kiosk.theme import HIGH_CONTRAST, LIGHT, Metrics, Theme
from kiosk.ui import screens
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.lockdown import CornerTaps, Lockdown
from kiosk.ui.overlays import DisplayPanel, QrPanel, StillThere
from kiosk.ui.scrolling import Kinetic
from kiosk.ui.speech import Speaker
from kiosk.ui.staff import StaffAccess
from kiosk.ui.style import FONT_FAMILIES, window_stylesheet
from kiosk.ui.topbar import TopBar
from kiosk.ui.widgets import label
from kiosk.visit import Change, IdleStep, Visit

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

STAFF_EXIT_CODE = 0  # "Exit the kiosk" is a normal exit: deploy/x11 does not restart it


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


class KioskWindow(QWidget):
    """Top-level window over one ``Visit``."""

    def __init__(self, config: Config, visit: Visit, staff: StaffAccess | None = None,
                 speaker_factory: Callable[[QWidget], Speaker | None] | None = None,
                 size: tuple[int, int] = (1280, 720)) -> None:
        super().__init__()
        self.resize(*size)  # first, so the look is worked out once, for the real size
        self.config = config
        self.visit = visit
        self.preview = visit.live  # staff preview: no lockdown, no idle, problems in a banner
        self.setObjectName("KioskWindow")
        self.setWindowTitle(config.clinic.name)
        self.setAccessibleName(config.clinic.name)
        self.setAcceptDrops(False)
        f = self.font()
        f.setFamilies(FONT_FAMILIES)
        self.setFont(f)
        self.theme: Theme = LIGHT
        self.metrics = Metrics.for_size(1280, 720)
        self.exit_code = 0
        self._allow_close = self.preview
        self._refreshing = False
        self.started_up = False
        self.kinetic = Kinetic()
        self.speaker: Speaker | None = None
        self._speaker_factory = speaker_factory
        self.watcher: Any = None

        self.bar = TopBar(config.clinic.name)
        self.back_button, self.home_button, self.text_button = self.bar.buttons()
        self.back_button.clicked.connect(self.go_back)
        self.home_button.clicked.connect(self.go_home)
        self.text_button.clicked.connect(self.open_display)

        self.stack = QStackedWidget()
        self.screens: dict[Screen, screens.BaseScreen] = {
            Screen.ATTRACT: screens.AttractScreen(self, self.kinetic),
            Screen.HOME: screens.HomeScreen(self, self.kinetic),
            Screen.TOPIC: screens.TopicScreen(self, self.kinetic),
            Screen.SELFCHECK: screens.SelfCheckScreen(self, self.kinetic),
            Screen.RESULT: screens.ResultScreen(self, self.kinetic),
            Screen.CALL: screens.CallScreen(self, self.kinetic),
        }
        self.resting_screen = screens.RestingScreen()
        for screen in [*self.screens.values(), self.resting_screen]:
            self.stack.addWidget(screen)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The window's size is the screen's; what does not fit scrolls, it never grows.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self.banner = label("", "Banner")
        self.banner.setVisible(self.preview)
        layout.addWidget(self.banner)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)

        self.still_there = StillThere(self)
        self.still_there.expired.connect(self.idle_reset)
        self.still_there.stay.connect(self._arm_idle)
        self.display_panel = DisplayPanel(self)
        self.display_panel.text_step.connect(self.set_text_step)
        self.display_panel.contrast.connect(self.set_contrast)
        self.qr_panel = QrPanel(self)
        self.staff = staff or StaffAccess(self, None, not config.fullscreen, self.staff_status)
        self.staff.panel.reload_requested.connect(self.reload_content)
        self.staff.panel.exit_requested.connect(self.staff_exit)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.on_idle)
        app = QApplication.instance()
        if app is not None and not self.preview:
            # Application-wide, so no child widget sees a key or shows a menu; both
            # filters go with the window.
            self._lockdown = Lockdown(self)
            self._corner = CornerTaps(self, lambda: self.metrics.button, self.staff.gesture)
            app.installEventFilter(self._lockdown)
            app.installEventFilter(self._corner)
        self.apply_look(force=True)
        self.show_change(Change.VIEW | Change.CONTENT)

    # -- start-up ---------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self.started_up:
            self.started_up = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What can wait until the patient already sees the screen."""
        self.kinetic.enable()
        if self._speaker_factory is not None and self.speaker is None:
            self.speaker = self._speaker_factory(self)
            if self.speaker is not None:
                self.speaker.speaking_changed.connect(self._on_speaking)
                if self.visit.screen is Screen.TOPIC:
                    self.topic_screen.listen_button.setVisible(self.can_listen())

    # -- showing what changed ------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        return self.visit.session

    @property
    def content(self) -> Content | None:
        return self.visit.content

    @property
    def topic_screen(self) -> screens.TopicScreen:
        screen = self.screens[Screen.TOPIC]
        assert isinstance(screen, screens.TopicScreen)
        return screen

    @property
    def current_screen(self) -> QWidget:
        current = self.stack.currentWidget()
        assert current is not None
        return current

    def show_change(self, change: Change) -> None:
        """Redraw what a command changed."""
        if change == Change.NONE:
            return
        if Change.FORGET in change:
            for screen in self.screens.values():
                screen.forget()
            self.still_there.dismiss()
            self.staff.close()
            self.display_panel.hide()
            self.qr_panel.hide()
        if Change.CONTENT in change:
            self.topic_screen.topic_id = None  # re-render the page even if it is the same
        self.refresh()

    def refresh(self) -> None:
        """Show the visit's current screen."""
        if self._refreshing:  # a resize while building a screen: the outer call finishes
            return
        self._refreshing = True
        try:
            self._refresh()
        finally:
            self._refreshing = False

    def _refresh(self) -> None:
        if self.speaker is not None:
            self.speaker.stop()  # reading aloud stops whenever the screen changes
        session = self.visit.session
        if session is None:
            self.bar.hide()
            self.stack.setCurrentWidget(self.resting_screen)
            self._arm_idle()
            return
        self.apply_look()
        screen = self.screens[session.view.screen]
        state = screens.State(session, self.config.clinic, screens.Look(self.theme, self.metrics))
        screen.show_state(state)
        self.stack.setCurrentWidget(screen)
        self.bar.setVisible(session.view.screen is not Screen.ATTRACT)
        self.bar.show_for(session.language.labels, session.view.screen is Screen.HOME)
        screen.setAccessibleName(self.screen_name())
        self._arm_idle()

    def screen_name(self) -> str:
        """What a screen reader says the screen is, in the patient's language."""
        session = self.visit.session
        if session is None:
            return ""
        screen = session.view.screen
        if screen is Screen.TOPIC:
            topic = session.topic()
            return topic.title if topic else ""
        if screen is Screen.SELFCHECK and session.selfcheck is not None:
            return str(session.selfcheck.title)
        names = {Screen.RESULT: "result.heading", Screen.CALL: "call.heading",
                 Screen.ATTRACT: "attract.line"}
        return str(session.label(names.get(screen, "home.heading")))

    def recover(self) -> None:
        try:
            self.visit.home()
            self.refresh()
        except Exception:
            log.exception("could not show the home screen; resting")
            self.stack.setCurrentWidget(self.resting_screen)
            self.bar.hide()

    # -- taps (the screens' Controller) --------------------------------------------------
    @guarded
    def wake(self) -> None:
        self.show_change(self.visit.wake())

    @guarded
    def open_topic(self, topic_id: str) -> None:
        self.show_change(self.visit.open_topic(topic_id))

    @guarded
    def start_selfcheck(self) -> None:
        self.show_change(self.visit.start_selfcheck())

    @guarded
    def answer(self, step: int, choice: int) -> None:
        self.show_change(self.visit.answer(step, choice))

    @guarded
    def open_call(self) -> None:
        self.show_change(self.visit.open_call())

    @guarded
    def go_back(self) -> None:
        self.show_change(self.visit.back())

    @guarded
    def go_home(self) -> None:
        self.show_change(self.visit.home())

    @guarded
    def told_front_desk(self) -> None:
        """After a danger sign: the patient goes to the desk; the result leaves the screen."""
        self.show_change(self.visit.reset())

    @guarded
    def set_language(self, code: str) -> None:
        self.show_change(self.visit.set_language(code))

    @guarded
    def set_text_step(self, step: int) -> None:
        self.show_change(self.visit.set_text_step(step))
        self.open_display()

    @guarded
    def set_contrast(self, high: bool) -> None:
        self.show_change(self.visit.set_contrast(high))
        self.open_display()

    @guarded
    def reset(self) -> None:
        """The visit ends (asked for): the attract screen, nothing kept."""
        self.show_change(self.visit.reset())

    @guarded
    def idle_reset(self) -> None:
        self.show_change(self.visit.reset(idle=True))

    def page(self, topic_id: str) -> Page | None:
        return self.visit.page(topic_id)

    @guarded
    def show_qr(self, url: str) -> None:
        session = self.visit.session
        if session is not None:
            self.qr_panel.style_for(self.theme, self.metrics)
            self.qr_panel.show_address(url, session.label)

    @guarded
    def open_display(self) -> None:
        session = self.visit.session
        if session is not None:
            self.display_panel.style_for(self.theme, self.metrics)
            self.display_panel.show_choices(session.label, session.text_step,
                                            session.high_contrast)
            self.display_panel.open()

    # -- read aloud ---------------------------------------------------------------------
    def can_listen(self) -> bool:
        session = self.visit.session
        return bool(self.speaker and session and self.speaker.can_speak(session.language_code))

    @guarded
    def toggle_listen(self) -> None:
        session = self.visit.session
        if self.speaker is None or session is None:
            return
        if self.speaker.speaking:
            self.speaker.stop()
            return
        text = self.visit.speech_text()
        if text:
            self.speaker.say(text, session.language_code)

    def _on_speaking(self, speaking: bool) -> None:
        if self.visit.session is not None:
            self.topic_screen.show_listening(speaking, self.visit.session)

    # -- idle ------------------------------------------------------------------------------
    def _arm_idle(self) -> None:
        self.idle.arm(self.visit.idle_seconds())

    @guarded
    def on_idle(self) -> None:
        if self.staff.is_open():
            self._arm_idle()
            return
        step = self.visit.on_idle()
        if step is IdleStep.RESET:
            self.reset()
        elif step is IdleStep.ASK and self.visit.session is not None:
            self.idle.arm(None)
            self.still_there.style_for(self.theme, self.metrics)
            self.still_there.ask(self.visit.timing.countdown, self.visit.session.label)

    # -- staff -----------------------------------------------------------------------------
    def staff_status(self) -> tuple[str, list[str]]:
        return self.visit.staff_status(), list(self.visit.problems)

    def staff_gesture(self) -> None:
        self.staff.gesture()

    def open_staff_panel(self) -> None:
        self.staff.open_panel()

    def reload_content(self) -> None:
        """Staff asked: reload in the background (the panel updates when it is done)."""
        if self.watcher is None:
            self.watch_content()
        self.watcher.reload_now()

    def staff_exit(self) -> None:
        log.info("staff exit")
        self.exit_code = STAFF_EXIT_CODE
        self.allow_close()
        self.close()
        app = QApplication.instance()
        if app is not None and QThread.currentThread().loopLevel() > 0:
            # Only a running event loop can be left; exit() with none running would make
            # every later event loop in this process return at once.
            app.exit(STAFF_EXIT_CODE)

    def allow_close(self) -> None:
        self._allow_close = True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        """A kiosk does not close on Alt+F4 or a window manager's request: staff exit only."""
        if self._allow_close:
            event.accept()
        else:
            log.info("a request to close the window was refused")
            event.ignore()

    # -- live content ----------------------------------------------------------------------
    def watch_content(self) -> None:
        from kiosk.checker import checked_load
        from kiosk.pages import load_rendered
        from kiosk.ui.live import ContentWatcher

        loader = checked_load if self.preview else load_rendered
        self.watcher = ContentWatcher(self.config.content_dir, self.config.language, self,
                                      loader)
        self.watcher.loaded.connect(self.on_content_loaded)

    @guarded
    def on_content_loaded(self, loaded: Any) -> None:
        change = self.visit.content_loaded(loaded)
        if self.preview:
            self.show_banner(self.visit.problems)
        self.show_change(change)
        if self.staff.panel.isVisible():
            self.staff.open_panel()  # the status after a reload

    def show_banner(self, problems: list[str]) -> None:
        """Preview only: every current problem, with its file and line, at the top."""
        if not problems:
            self.banner.setProperty("state", "clean")
            self.banner.setText("No problems found. Save a file and this preview updates.")
        else:
            self.banner.setProperty("state", "problems")
            problems = sorted(problems, key=lambda p: ": warning: " in p)  # errors first
            more = f"\n… and {len(problems) - 6} more: run 'kiosk check' to see all." \
                if len(problems) > 6 else ""
            self.banner.setText("\n".join(problems[:6]) + more)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    # -- look ------------------------------------------------------------------------------
    def apply_look(self, force: bool = False) -> None:
        """Sizes for the window and the patient's text size; colours for their choice."""
        theme = HIGH_CONTRAST if self.visit.high_contrast else LIGHT
        metrics = Metrics.for_size(max(1, self.width()), max(1, self.height()),
                                   self.visit.text_scale)
        if metrics == self.metrics and theme == self.theme and not force:
            return
        self.metrics, self.theme = metrics, theme
        self.setStyleSheet(window_stylesheet(theme, metrics))
        content = self.visit.content
        words = [lang.labels for lang in content.languages.values()] if content else []
        self.bar.lay_out(metrics, words, self.config.clinic.name)
        for overlay in (self.still_there, self.display_panel, self.qr_panel):
            overlay.style_for(theme, metrics)
        self.staff.style_for(metrics)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        before = self.metrics
        self.apply_look()
        if self.metrics != before:
            self.refresh()
