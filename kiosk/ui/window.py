"""The kiosk's one window: a top bar with Back and Home, the screen for the session's view,
and what makes it a kiosk: lockdown, idle reset, staff access and live content."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QThread, QTimer
from PySide6.QtGui import QCloseEvent, QMouseEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import __version__
from kiosk.config import Config
from kiosk.logsetup import log_dir
from kiosk.model import Content, Loaded, load_content
from kiosk.pin import PinGuard, is_valid_hash
from kiosk.render import Page, render_topic
from kiosk.session import ATTRACT, HOME, Screen, Session, asks_before_reset, idle_seconds
from kiosk.stats import UsageLog, session_bucket
from kiosk.theme import HIGH_CONTRAST, LIGHT, TEXT_STEPS, Metrics, Theme
from kiosk.ui import screens
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.overlays import DisplayPanel, PinPad, QrPanel, StaffPanel, StillThere
from kiosk.ui.speech import Speaker
from kiosk.ui.style import FONT_FAMILIES, stylesheet
from kiosk.ui.widgets import ElidedLabel, button, label

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

STAFF_TAPS = 5  # taps in the top-left corner ...
STAFF_WINDOW_S = 3.0  # ... within this many seconds open the staff PIN pad
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


class _Lockdown(QObject):
    """Application-wide: no context menus, no drag and drop, no keyboard at all."""

    BLOCKED = {
        QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop,
        QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
    }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        return event.type() in self.BLOCKED


class _CornerTaps(QObject):
    """Counts taps in the window's top-left corner for the hidden staff gesture."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.taps: list[float] = []
        self.last_stamp = -1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.MouseButtonPress or not isinstance(event, QMouseEvent):
            return False
        if event.timestamp() == self.last_stamp:  # the same press, seen by another widget
            return False
        self.last_stamp = event.timestamp()
        w = self.window_
        if not w.isVisible():
            return False
        pos = w.mapFromGlobal(event.globalPosition().toPoint())
        size = w.metrics.button
        if not QRect(0, 0, size, size).contains(pos):
            self.taps.clear()
            return False
        now = time.monotonic()
        self.taps = [t for t in self.taps if now - t <= STAFF_WINDOW_S] + [now]
        if len(self.taps) >= STAFF_TAPS:
            self.taps.clear()
            w.staff_gesture()
        return False


class KioskWindow(QWidget):
    """Top-level window. Holds the content, the theme and one patient's Session."""

    def __init__(self, config: Config, loaded: Loaded, preview: bool = False,
                 size: tuple[int, int] = (1280, 720)) -> None:
        super().__init__()
        self.resize(*size)  # first, so the look is worked out once, for the real size
        # Preview (for staff on a desktop): a normal window, no lockdown, no idle reset,
        # every change shown at once, and every problem in a banner.
        self.preview = preview
        self.setObjectName("KioskWindow")
        self.setWindowTitle(config.clinic.name)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setAcceptDrops(False)
        self.config = config
        self.loaded = loaded
        self.problems = [str(p) for p in loaded.problems]  # as shown to staff
        self.error_count = len(loaded.errors)
        self.pending: Loaded | None = None
        self.theme: Theme = LIGHT
        self.metrics = Metrics.for_size(1280, 720)
        self._pages: dict[tuple[str, str], Page] = {}
        self.content: Content | None = loaded.content
        self.session: Session | None = None
        self._allow_close = False
        self._refreshing = False
        self.exit_code = 0
        app = QApplication.instance()
        self._lockdown = _Lockdown(self)
        self._corner = _CornerTaps(self)
        if app is not None and not preview:
            # Application-wide, so no child widget sees a key or shows a menu.
            # Both filters are removed with the window.
            app.installEventFilter(self._lockdown)
            app.installEventFilter(self._corner)
        self._allow_close = preview
        f = self.font()
        f.setFamilies(FONT_FAMILIES)
        self.setFont(f)

        self.bar = QWidget()
        self.bar.setObjectName("TopBar")
        self.bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.back_button = button("Back")
        self.home_button = button("Home")
        self.text_button = button("Text size")
        self.back_button.clicked.connect(self.go_back)
        self.home_button.clicked.connect(self.go_home)
        self.text_button.clicked.connect(self.open_display)
        for b in (self.back_button, self.home_button):
            policy = b.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # the bar never jumps
            b.setSizePolicy(policy)
        self.bar_title = ElidedLabel(config.clinic.name)
        self.bar_title.setObjectName("BarTitle")
        self.bar_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar = QHBoxLayout(self.bar)
        bar.addWidget(self.back_button)
        bar.addWidget(self.bar_title, 1)
        bar.addWidget(self.text_button)
        bar.addWidget(self.home_button)
        # The clinic's name gives way (elided) before any button leaves the screen.

        self.stack = QStackedWidget()
        self.attract_screen = screens.AttractScreen(self)
        self.home_screen = screens.HomeScreen(self)
        self.topic_screen = screens.TopicScreen(self)
        self.check_screen = screens.CheckScreen(self)
        self.result_screen = screens.ResultScreen(self)
        self.call_screen = screens.CallScreen(self)
        self.resting_screen = screens.RestingScreen()
        self.screens: dict[Screen, screens.Screen] = {
            Screen.ATTRACT: self.attract_screen,
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
        # The window's size is the screen's; what does not fit scrolls, it never grows.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self.banner = label("", "Banner")
        self.banner.setVisible(preview)
        layout.addWidget(self.banner)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)

        self.still_there = StillThere(self)
        self.still_there.expired.connect(self.idle_reset)
        self.still_there.stay.connect(self._arm_idle)
        self.pin_pad = PinPad(self)
        self.pin_pad.accepted.connect(self.open_staff_panel)
        self.staff_panel = StaffPanel(self)
        self.staff_panel.reload_requested.connect(self.reload_content)
        self.staff_panel.exit_requested.connect(self.staff_exit)
        self.display_panel = DisplayPanel(self)
        self.display_panel.text_step.connect(self.set_text_step)
        self.display_panel.contrast.connect(self.set_contrast)
        self.qr_panel = QrPanel(self)
        pin_hash = str(config["staff_pin_hash"])
        if pin_hash and not is_valid_hash(pin_hash):
            log.error("staff_pin_hash in the config is not a hash written by 'kiosk set-pin'; "
                      "the staff panel is off")
            pin_hash = ""
        self.pin_guard = PinGuard(pin_hash, int(config["pin_attempts"]),
                                  60.0 * int(config["pin_lockout_minutes"])) if pin_hash else None
        self.speaker: Speaker | None = None
        self.started_up = False
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.on_idle)
        self.usage: UsageLog | None = None
        if config["record_usage"] and not preview:
            self.usage = UsageLog(retention_days=int(config["usage_retention_days"]))
        self._visit_started = time.monotonic()
        self._visit_active = False
        self.watcher: Any = None

        self.apply_look(force=True)
        self.start_session(Screen.HOME)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self.started_up:
            self.started_up = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What can wait until the patient already sees the screen."""
        screens.enable_kinetic_scrolling()
        if self.config["speech"] and self.speaker is None:
            self.speaker = Speaker(str(self.config["speech_engine"]), self)
            self.speaker.speaking_changed.connect(self._on_speaking)
            if self.session is not None and self.session.view.screen is Screen.TOPIC:
                self.topic_screen.listen_button.setVisible(self.can_listen())

    # -- sessions ------------------------------------------------------------
    def start_session(self, screen: Screen) -> None:
        """A new patient's session; the old one, with its answers, is dropped whole."""
        self.apply_pending()
        self.clear_screens()
        if self.content is None:
            self.session = None
        else:
            start = ATTRACT if screen is Screen.ATTRACT else HOME
            self.session = Session(self.content, self.config.language, start)
        self.refresh()

    def count(self, kind: str, detail: str = "") -> None:
        """A privacy-safe usage count (see kiosk/stats.py); never anything a patient chose."""
        self._visit_active = True
        if self.usage is not None:
            self.usage.record(kind, detail)

    @guarded
    def idle_reset(self) -> None:
        if self._visit_active and self.usage is not None:
            self.usage.record("idle_reset")
        self.reset()

    @guarded
    def reset(self) -> None:
        """The session ends (idle, or asked for): back to the attract screen, nothing kept."""
        if self._visit_active and self.usage is not None:
            self.usage.record("session_end",
                              session_bucket(time.monotonic() - self._visit_started))
        self._visit_active = False
        self.still_there.dismiss()
        self.pin_pad.cancel()
        for overlay in (self.staff_panel, self.display_panel, self.qr_panel):
            overlay.hide()
        self.start_session(Screen.ATTRACT)
        log.info("session reset")

    def clear_screens(self) -> None:
        """Drop every widget that showed something of the last patient's visit."""
        for screen in self.screens.values():
            screen.forget()

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
        session = self.session
        if session is None:
            self.bar.hide()
            self.stack.setCurrentWidget(self.resting_screen)
            self.idle.arm(None)
            return
        view = session.view
        if view.screen in (Screen.HOME, Screen.ATTRACT) and self.pending is not None:
            self.apply_pending()
            session = self.session
            assert session is not None
        self.apply_look()
        screen = self.screens[view.screen]
        look = screens.Look(self.theme, self.metrics)
        screen.show_state(session, self.config.clinic, look)
        self.stack.setCurrentWidget(screen)
        self.bar.setVisible(view.screen is not Screen.ATTRACT)
        at_home = view.screen is Screen.HOME
        for b, key in ((self.back_button, "nav.back"), (self.home_button, "nav.home"),
                       (self.text_button, "nav.text")):
            text = session.label(key)
            b.setText(text)
            b.setAccessibleName(text)
            b.setVisible(not at_home or b is self.text_button)
        self.back_button.setAccessibleDescription(session.label("nav.back"))
        screen.setAccessibleName(self.screen_name(session))
        self.setAccessibleName(self.config.clinic.name)
        self.setWindowTitle(self.config.clinic.name)
        self._arm_idle()

    def screen_name(self, session: Session) -> str:
        """What a screen reader says the screen is, in the patient's language."""
        view = session.view
        if view.screen is Screen.TOPIC:
            topic = session.topic()
            return topic.title if topic else ""
        if view.screen is Screen.CHECK and session.selfcheck is not None:
            return session.selfcheck.title
        if view.screen is Screen.RESULT:
            return session.label("result.heading")
        if view.screen is Screen.CALL:
            return session.label("call.heading")
        if view.screen is Screen.ATTRACT:
            return session.label("attract.line")
        return session.label("home.heading")



    # -- idle ------------------------------------------------------------------
    def _arm_idle(self) -> None:
        if self.preview:
            self.idle.arm(None)
            return
        screen = self.session.view.screen if self.session else None
        seconds = None if screen is None else idle_seconds(
            screen, int(self.config["idle_timeout"]), int(self.config["end_timeout"]))
        self.idle.arm(seconds)

    @guarded
    def on_idle(self) -> None:
        if self.session is None or self.pin_pad.isVisible() or self.staff_panel.isVisible():
            self._arm_idle()
            return
        if asks_before_reset(self.session.view.screen):
            self.idle.arm(None)
            self.still_there.style_for(self.theme, self.metrics)
            self.still_there.ask(int(self.config["idle_countdown"]), self.session.label)
        else:
            self.reset()

    # -- taps (the screens' Controller) ---------------------------------------
    @guarded
    def wake(self) -> None:
        if self.session is not None:
            self._visit_started = time.monotonic()
            self.session.home()
            self.refresh()

    @guarded
    def open_topic(self, topic_id: str) -> None:
        if self.session and self.session.open_topic(topic_id):
            self.count("topic_view", topic_id)
            self.refresh()

    @guarded
    def start_check(self) -> None:
        if self.session and self.session.start_check():
            self.count("check_started")
            self.refresh()

    @guarded
    def answer(self, choice: int) -> None:
        if self.session:
            self.session.answer(choice)
            if self.session.view.screen is Screen.RESULT:
                outcome = self.session.outcome()
                if outcome is not None:  # the band reached, never the answers behind it
                    self.count("check_finished",
                               "urgent" if outcome.urgent else f"band {outcome.band}")
            self.refresh()

    @guarded
    def open_call(self) -> None:
        if self.session:
            self.session.open_call()
            self.count("call_view")
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

    @guarded
    def set_language(self, code: str) -> None:
        """Every word on screen changes; from the attract screen, the patient starts at home."""
        if self.session is None:
            return
        if code != self.session.language_code:
            self.count("language_switch", code)
        self.session.set_language(code)
        if self.session.view.screen is Screen.ATTRACT:
            self.session.home()
        self.refresh()

    def can_listen(self) -> bool:
        return bool(self.speaker and self.session
                    and self.speaker.can_speak(self.session.language_code))

    @guarded
    def toggle_listen(self) -> None:
        if self.speaker is None or self.session is None:
            return
        if self.speaker.speaking:
            self.speaker.stop()
            return
        topic = self.session.topic()
        if topic is not None:
            text = f"{topic.title}.\n{self.topic_screen.page.toPlainText()}"
            self.speaker.say(text, self.session.language_code)

    def _on_speaking(self, speaking: bool) -> None:
        if self.session is not None:
            self.topic_screen.show_listening(speaking, self.session)

    @guarded
    def show_qr(self, url: str) -> None:
        if self.session is not None:
            self.qr_panel.style_for(self.theme, self.metrics)
            self.qr_panel.show_address(url, self.session.label)

    @guarded
    def open_display(self) -> None:
        if self.session is not None:
            self.display_panel.style_for(self.theme, self.metrics)
            self.display_panel.show_choices(self.session.label, self.session.text_step,
                                            self.session.high_contrast)
            self.display_panel.open()

    @guarded
    def set_text_step(self, step: int) -> None:
        if self.session is not None:
            self.session.text_step = max(0, min(step, len(TEXT_STEPS) - 1))
            self.refresh()
            self.open_display()

    @guarded
    def set_contrast(self, high: bool) -> None:
        if self.session is not None:
            self.session.high_contrast = high
            self.refresh()
            self.open_display()

    # -- staff ---------------------------------------------------------------------
    def staff_gesture(self) -> None:
        """Five taps in the corner: the PIN pad, or (windowed, no PIN) the panel itself."""
        if self.pin_guard is not None:
            self.pin_pad.ask(self.pin_guard)
        elif not self.config.fullscreen:
            self.open_staff_panel()

    def open_staff_panel(self) -> None:
        content = self.content
        if content is None:
            status = "No usable content: the resting screen is showing."
        else:
            topics = sum(len(lang.topics) for lang in content.languages.values())
            status = (f"{topics} topics in {len(content.languages)} language(s) "
                      f"({', '.join(content.codes)}) from {content.root}")
        if self.error_count and self.content is not None:
            status += (f"\n{self.error_count} error(s) in the files; the last good content is "
                       "showing.")
        about = f"Version {__version__}. Log: {log_dir()}"
        self.staff_panel.show_status(status, self.problems, about)
        self.staff_panel.open()

    def reload_content(self) -> None:
        self.on_content_loaded(load_content(self.config.content_dir, self.config.language))
        if self.staff_panel.isVisible():
            self.open_staff_panel()

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

    # -- live content -----------------------------------------------------------------
    def watch_content(self) -> None:
        from kiosk.checker import checked_load
        from kiosk.ui.live import ContentWatcher

        loader = checked_load if self.preview else load_content
        self.watcher = ContentWatcher(self.config.content_dir, self.config.language, self,
                                      loader)
        self.watcher.loaded.connect(self.on_content_loaded)

    def show_banner(self, problems: list[str]) -> None:
        """Preview only: every current problem, with its file and line, at the top."""
        if not problems:
            self.banner.setProperty("state", "clean")
            self.banner.setText("No problems found. Save a file and this preview updates.")
        else:
            self.banner.setProperty("state", "problems")
            shown = problems[:6]
            more = f"\n… and {len(problems) - 6} more: run 'kiosk check' to see all." \
                if len(problems) > 6 else ""
            self.banner.setText("\n".join(shown) + more)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    @guarded
    def on_content_loaded(self, loaded: Loaded) -> None:
        self.problems = [str(p) for p in loaded.problems]
        self.error_count = len(loaded.errors)
        if self.preview:
            self.show_banner(self.problems)
            if loaded.content is not None:  # show what can be shown, at once
                self.pending = loaded
                self.apply_pending()
                if self.session is not None and self.session.view.topic_id and \
                        self.session.topic() is None:
                    self.session.home()
                self.refresh() if self.session else self.start_session(Screen.HOME)
            return
        if loaded.content is None or loaded.errors:
            for problem in loaded.errors or loaded.problems:
                log.error("content reload: %s", problem)
            log.error("content reload had errors; the last good content stays on screen")
            return
        for problem in loaded.problems:
            log.warning("content reload: %s", problem)
        self.pending = loaded
        log.info("new content is ready")
        if self.session is None:
            self.start_session(Screen.HOME)
        elif self.session.view.screen in (Screen.HOME, Screen.ATTRACT):
            self.refresh()

    def apply_pending(self) -> None:
        if self.pending is None:
            return
        loaded, self.pending = self.pending, None
        self.loaded = loaded
        self.content = loaded.content
        self._pages.clear()
        if self.session is not None and self.content is not None:
            view = self.session.view
            self.session = Session(self.content, self.session.language_code, view)
        self.topic_screen.topic_id = None  # re-render the page even if it is the same topic
        log.info("showing the new content")

    # -- look ------------------------------------------------------------------
    def apply_look(self, force: bool = False) -> None:
        """Sizes for the window and the patient's text size; colours for their choice."""
        session = self.session
        scale = TEXT_STEPS[session.text_step] if session else 1.0
        theme = HIGH_CONTRAST if session and session.high_contrast else LIGHT
        metrics = Metrics.for_size(max(1, self.width()), max(1, self.height()), scale)
        if metrics == self.metrics and theme == self.theme and not force:
            return
        self.metrics = metrics
        self.theme = theme
        self.setStyleSheet(stylesheet(theme, metrics))
        bar = self.bar.layout()
        assert bar is not None
        bar.setContentsMargins(metrics.margin // 2 + 4, metrics.gap // 2 + 2,
                               metrics.margin // 2 + 4, metrics.gap // 2 + 2)
        bar.setSpacing(metrics.gap)
        for overlay in (self.still_there, self.display_panel, self.qr_panel):
            overlay.style_for(self.theme, metrics)
        staff = Metrics.for_size(metrics.width, metrics.height)  # staff panels: standard size
        for overlay in (self.pin_pad, self.staff_panel):
            overlay.style_for(LIGHT, staff)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        before = self.metrics
        self.apply_look()
        if self.metrics != before and self.session is not None:
            self.refresh()

