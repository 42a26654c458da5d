"""The kiosk's one window: a thin view of the visit (kiosk.visit).

Taps become one call on the visit; the ``Change`` it returns says what to redraw. What the
window itself adds is Qt: the top bar, the screens, the overlays, the look, idle timing,
read-aloud and live content.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk import physical
from kiosk.config import Config
from kiosk.model import Content, Loaded
from kiosk.page import Page
from kiosk.session import Screen, Session
from kiosk.theme import HIGH_CONTRAST, LIGHT, Metrics, Theme
from kiosk.ui import screens, style
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.lockdown import CornerTaps, KioskEvents
from kiosk.ui.parts import LazyScreens, guarded, in_background
from kiosk.ui.qtvalues import LEFT_TO_RIGHT, RIGHT_TO_LEFT, set_props
from kiosk.ui.scrolling import Kinetic
from kiosk.ui.staff import StaffAccess
from kiosk.ui.style import FONT_FAMILIES, window_stylesheet
from kiosk.ui.topbar import TopBar
from kiosk.ui.widgets import label
from kiosk.visit import Change, IdleStep, Visit

if TYPE_CHECKING:  # made on first use
    from kiosk.alert import Tally
    from kiosk.metrics import TextfileWriter
    from kiosk.ui.jack import JackWatch
    from kiosk.ui.keypad import Keypad
    from kiosk.ui.overlays import DisplayPanel, Overlay, QrPanel, StillThere
    from kiosk.ui.screens.resting import RestingScreen
    from kiosk.ui.screens.topic import TopicScreen
    from kiosk.ui.speech import Speaker
    from kiosk.ui.usb import UsbFlow

log = logging.getLogger(__name__)

METRICS_EVERY_S = 60  # the metrics file is written at most this often
METRICS_AT_EXIT_S = 5  # the last write, saying the kiosk is down, waits at most this long
STAFF_EXIT_CODE = 0  # "Exit the kiosk" is a normal exit: deploy/x11 does not restart it


SPEECH_PATIENCE = 10  # in speech mode the idle time-outs are this many times longer


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
        self._allow_close = self.preview
        self._refreshing = False
        self.started_up = False
        self.kinetic = Kinetic()
        self.speaker: Speaker | None = None
        self.jack: JackWatch | None = None  # the headphone jack, where the hardware reports it
        self._speaker_factory = speaker_factory
        self.watcher: Any = None
        # Where the live content comes from when staff can import: (what the live folder is
        # now, the store's folder to watch for an import or an undo). None: content_dir only.
        self.content_source: tuple[Callable[[], Path], Path] | None = None
        self.source_config: Config | None = None  # the config whose store this follows
        self._alert_tally: Tally | None = None
        self._content_applied = time.time()  # when the content showing now was applied
        self._metrics: TextfileWriter | None = None
        self._metrics_timer: QTimer | None = None  # single-shot: armed only by a change
        self._metrics_written = 0.0  # time.monotonic() of the last write
        self._touch_quarter = -1  # the quarter hour of the last touch the metrics were told
        self._touch_round_s = 0  # kiosk.metrics.TOUCH_ROUND_S, once the metrics are on
        self.watchdog: Any = None  # kiosk.ui.watchdog.Watchdog, when run under systemd
        self._usb: UsbFlow | None = None
        self.after_first_paint: list[Callable[[], object]] = []  # more work that can wait
        self.past_first_paint = False  # the work after the first paint has begun
        self.start_loaded: Loaded | None = None  # what the start loaded: rendered after the
        # first paint (kiosk.ui.app), then let go
        self.start_pages: tuple[str, Path] | None = None  # its key, where its pages are kept

        self.bar = TopBar(config.clinic.name)
        self.back_button, self.home_button, self.text_button = self.bar.buttons()
        self.back_button.clicked.connect(self.go_back)
        self.home_button.clicked.connect(self.go_home)
        self.text_button.clicked.connect(self.open_display)

        self.stack = QStackedWidget()
        # Each screen is built the first time it is shown: only the first screen costs
        # anything before the first paint.
        self.screens = LazyScreens(self, self.kinetic, self.stack)
        self._resting: RestingScreen | None = None

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

        self._still_there: StillThere | None = None  # overlays: made on first use
        self._display_panel: DisplayPanel | None = None
        self._qr_panel: QrPanel | None = None
        self.staff = staff or StaffAccess(self, None, not config.fullscreen, self.staff_status,
                                          self._wire_staff, self.content_version)
        self.idle = IdleWatcher(self)
        self._keypad: Keypad | None = None  # the keys-only path: made at the first key
        self.idle.idle.connect(self.on_idle)
        self.idle.on_input = self._on_input
        self._filters_on = False
        self.apply_look(force=True)
        self.show_change(Change.VIEW | Change.CONTENT)

    @property
    def keypad(self) -> Keypad:
        """The keypad path (kiosk.ui.keypad), made when first needed: at the first key, not
        before the first paint (its module and focus ring cost the start 11 M instructions)."""
        if self._keypad is None:
            from kiosk.ui.keypad import Keypad

            self._keypad = Keypad(self, self.config.keys())
        return self._keypad

    # -- start-up ---------------------------------------------------------------------
    def _install_filters(self) -> None:
        """On the window's QWindow, which every touch, key, menu request and drop from the
        screen passes before any widget sees it (kiosk.ui.lockdown.KioskEvents: not on the
        application, whose every event of every object would pass through Python). Installed
        at the window's first paint, not while it is built or shown: until it is painted the
        window is not on screen, so no touch or key can reach it. They go with the window."""
        self._filters_on = True
        handle = self.windowHandle()
        if handle is None:  # (painted, so made: a paint needs it)
            return
        self._corner = None if self.preview else CornerTaps(
            self, lambda: self.metrics.button, self.staff.gesture)
        self._events = KioskEvents(self, self.idle, not self.preview, self._corner,
                                   lambda: self.keypad)
        handle.installEventFilter(self._events)
        # A tap and then a quick flick: Qt makes the flick's press the second half of a
        # double click, and QScroller starts a flick on a press only, so the page stayed
        # put. Nothing in the kiosk uses a double click (a double tap is guarded by the
        # visit's own clock), so Qt makes none.
        QGuiApplication.styleHints().setMouseDoubleClickInterval(0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._filters_on:
            self._install_filters()
        if not self.started_up:
            self.started_up = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What can wait until the patient already sees the screen."""
        self.past_first_paint = True
        self.kinetic.enable()
        # The speaker first (its process starts at the first touch): the metrics' first
        # write, among the work below, then says what read-aloud is, with no second write
        # a minute later to correct it.
        if self._speaker_factory is not None and self.speaker is None:
            self.speaker = self._speaker_factory(self)
            if self.speaker is not None:
                self.speaker.speaking_changed.connect(self._on_speaking)
                self.speaker.available_changed.connect(self._on_speech_available)
                self._on_speech_available()
        for work in self.after_first_paint:
            try:
                work()
            except Exception:
                log.exception("start-up work after the first paint failed")
        if not self.preview and self.visit.content is not None:
            self._render_in_background()
        self._watch_jack()

    def _watch_jack(self) -> None:
        """Headphones in switch the keypad path's speech on; out, they stop it (kiosk.jack)."""
        from kiosk import jack

        setting = self.config.options.headphone_jack.strip()
        if self.preview or setting in ("off", "") or self.jack is not None:
            return
        if setting == "auto":
            found = jack.find()
            if not found:
                log.info("no sound card here reports its headphone jack, so plugging "
                         "headphones in cannot switch speech on; the first key does")
                return
            chosen = found[0]
        else:
            chosen = jack.Jack(Path(setting), setting)
        from kiosk.ui.jack import JackWatch

        self.jack = JackWatch.open(chosen.device, chosen.name, self)
        if self.jack is not None:
            self.jack.changed.connect(lambda plugged: self.keypad.headphones(plugged))
            log.info("headphone jack watched: %s (%s); headphones %s now", chosen.device,
                     chosen.name, "in" if self.jack.plugged else "out")

    def _on_speech_available(self, *_available: bool) -> None:
        """Voices arrived, or read-aloud was given up (a hung engine): Listen follows."""
        self.metrics_due()
        if self._keypad is not None:
            self._keypad.speech_ready()
        if self.visit.screen is Screen.TOPIC:
            self.topic_screen.listen_button.setVisible(self.can_listen())

    def _render_in_background(self) -> None:
        """Every page rendered off the GUI thread, each within its time budget."""
        root, language = self.config.content_dir, self.config.language
        start, self.start_loaded = self.start_loaded, None
        kept, self.start_pages = self.start_pages, None
        if start is not None and start.content is self.visit.content:
            # What the start loaded, not the folder read again: no second copy of the
            # content in memory, no YAML parsed (a change since is the watcher's to see);
            # its pages read back from where they were kept when it has not changed, so
            # that Markdown and the sanitizer are not even imported (kiosk.pagecache).
            def work() -> Any:
                from kiosk import pagecache

                content_key, path = kept if kept is not None else (None, None)
                return pagecache.rendered(start, content_key, path)
        else:
            def work() -> Any:
                from kiosk.pages import load_rendered

                return load_rendered(root, language)
        # The result reaches the window only if it is still there (in_background says how).
        in_background(self, work, self._pages_rendered)

    @guarded
    def _pages_rendered(self, loaded: Any) -> None:
        self.show_change(self.visit.pages_rendered(loaded))

    # -- parts made on first use -----------------------------------------------------------
    @property
    def resting_screen(self) -> RestingScreen:
        if self._resting is None:
            from kiosk.ui.screens.resting import RestingScreen

            self._resting = RestingScreen()
            self.stack.addWidget(self._resting)
        return self._resting

    @property
    def still_there(self) -> StillThere:
        if self._still_there is None:
            from kiosk.ui.overlays import StillThere

            self._still_there = StillThere(self)
            self._still_there.expired.connect(self.idle_reset)
            self._still_there.stay.connect(self._arm_idle)
            self._still_there.style_for(self.theme, self.metrics)  # made on first use: styled now
        return self._still_there

    @property
    def display_panel(self) -> DisplayPanel:
        if self._display_panel is None:
            from kiosk.ui.overlays import DisplayPanel

            self._display_panel = DisplayPanel(self)
            self._display_panel.text_step.connect(self.set_text_step)
            self._display_panel.contrast.connect(self.set_contrast)
            self._display_panel.style_for(self.theme, self.metrics)
        return self._display_panel

    @property
    def qr_panel(self) -> QrPanel:
        if self._qr_panel is None:
            from kiosk.ui.overlays import QrPanel

            self._qr_panel = QrPanel(self)
            self._qr_panel.style_for(self.theme, self.metrics)
        return self._qr_panel

    def _overlays(self) -> list[Overlay]:
        """The patient's overlays made so far."""
        return [o for o in (self._still_there, self._display_panel, self._qr_panel) if o]

    def _wire_staff(self, staff: StaffAccess) -> None:
        staff.panel.reload_requested.connect(self.reload_content)
        staff.panel.exit_requested.connect(self.staff_exit)
        staff.panel.update_requested.connect(lambda: self.usb().update_from_stick())
        staff.panel.export_requested.connect(lambda: self.usb().copy_to_stick())
        staff.panel.undo_requested.connect(lambda: self.usb().undo())
        staff.panel.proof_requested.connect(lambda: self.usb().proof_to_stick())
        staff.panel.test_alert_requested.connect(self.test_alert)
        staff.opened.append(self.show_usage_chart)
        staff.panel.alert_button.setVisible(self.config.alert_settings() is not None)
        staff.style_for(self.metrics)

    def usb(self) -> UsbFlow:
        """The staff panel's USB stick actions (made on first use)."""
        if self._usb is None:
            from kiosk.ui.usb import UsbFlow

            assert self.source_config is not None
            self._usb = UsbFlow(self, self.source_config, self.staff.confirm)
            self._usb.style_for(self.metrics)
        return self._usb

    def content_version(self) -> tuple[str, bool] | None:
        """For the staff panel: which content patients see, and whether undo can go back;
        None when this window takes no USB updates (a preview, or a folder named by hand)."""
        if self.source_config is None:
            return None
        from kiosk.store import Store

        store = Store(self.source_config.store_dir)
        current = store.current()
        if current is None:
            return f"Content: as installed ({self.source_config.content_dir})", False
        return f"Content: version {current.describe()}", True

    # -- showing what changed ------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        return self.visit.session

    @property
    def content(self) -> Content | None:
        return self.visit.content

    @property
    def topic_screen(self) -> TopicScreen:
        from kiosk.ui.screens.topic import TopicScreen

        screen = self.screens[Screen.TOPIC]
        assert isinstance(screen, TopicScreen)
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
            if self._keypad is not None:
                self._keypad.reset()  # the next patient starts by touch
            for screen in self.screens.values():
                screen.forget()
            if self._still_there is not None:
                self._still_there.dismiss()
            self.staff.close()
            for overlay in (self._display_panel, self._qr_panel):
                if overlay is not None:
                    overlay.hide()
        if Change.CONTENT in change:
            self._content_applied = time.time()
            self.metrics_due()
            if self.watchdog is not None:
                QTimer.singleShot(0, self.watchdog.update_status)  # systemctl status says so
        if Change.CONTENT in change and Screen.TOPIC in self.screens:
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
        # The whole patient screen mirrors for a language written right to left (set per
        # language in its labels); the staff panels keep their own left-to-right layout.
        if self.isRightToLeft() != session.language.rtl:
            set_props(self, layoutDirection=RIGHT_TO_LEFT if session.language.rtl
                      else LEFT_TO_RIGHT)
        if style.use_language(session.language_code):  # fonts that have its letters
            f = self.font()
            f.setFamilies(style.families())
            self.setFont(f)
            self.apply_look(force=True)
        screen = self.screens[session.view.screen]
        state = screens.State(session, self.config.clinic, screens.Look(self.theme, self.metrics))
        screen.show_state(state)
        self.stack.setCurrentWidget(screen)
        self.bar.setVisible(session.view.screen is not Screen.ATTRACT)
        self.bar.show_for(session.language.labels, session.view.screen is Screen.HOME)
        screen.setAccessibleName(self.screen_name())
        self._arm_idle()
        if self._keypad is not None and self._keypad.active:
            QTimer.singleShot(0, self._keypad.follow)  # the focus goes to the new screen

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
        due = self.visit.take_alert()
        if due is not None:
            self.send_alert(*due)

    def status_line(self) -> str:
        """One line for ``systemctl status``: what content shows, how much, what works; no
        patient detail. In memory only (it is asked for on the GUI thread)."""
        content = self.visit.content
        if content is None:
            return "resting: no usable content"
        root = content.root
        store = self.source_config.store_dir if self.source_config is not None else None
        shown = (f"content version {root.name}" if store is not None
                 and root.parent == store / "versions" else f"content from {root}")
        topics = sum(len(content.languages[c].topics) for c in content.codes)
        line = (f"showing {shown}, {topics} topics in {'/'.join(content.codes)}, read-aloud "
                f"{'on' if self.speaker is not None else 'off'}")
        if self.visit.error_count:
            line += f", {self.visit.error_count} content error(s): last good content kept"
        failed = self._alert_tally.failures_today() if self._alert_tally else 0
        if failed:
            line += f", {failed} front-desk alert(s) failed today"
        return line

    # -- metrics for node_exporter ---------------------------------------------------------
    def start_metrics(self, path: Path) -> None:
        """Write the metrics now, and after that only when something they say may have
        changed, at most once a minute, on a worker thread (no repeating timer: a kiosk that
        nobody touches never wakes for them); and once more, saying the kiosk is down, when
        it stops."""
        from kiosk.metrics import TOUCH_ROUND_S, TextfileWriter

        self._metrics = TextfileWriter(path)
        self._metrics_timer = timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(self.write_metrics)

        self._touch_round_s = TOUCH_ROUND_S
        self.write_metrics()
        app = QApplication.instance()
        if app is not None:  # a method, not a lambda: the connection ends with the window
            app.aboutToQuit.connect(self._metrics_at_exit)

    def _on_input(self, when: float) -> None:
        """Every input event (kept cheap): the first starts the read-aloud child; a touch
        in a new quarter hour is news for the metrics."""
        if self.speaker is not None:
            self.speaker.wake()  # at once if it is already started (or given up)
        if self._touch_round_s:
            quarter = int(when // self._touch_round_s)
            if quarter != self._touch_quarter:
                self._touch_quarter = quarter
                self.metrics_due()

    def metrics_due(self) -> None:
        """What the metrics say may have changed: write within the minute after the last
        write (at once if that was a minute ago)."""
        timer = self._metrics_timer
        if timer is None or timer.isActive():
            return  # not written at all, or a write already due
        wait_s = METRICS_EVERY_S - (time.monotonic() - self._metrics_written)
        timer.start(max(0, round(wait_s * 1000)))

    def _metrics_at_exit(self) -> None:
        self.write_metrics(up=False, wait=True)

    def write_metrics(self, up: bool = True, wait: bool = False) -> None:
        writer = self._metrics
        if writer is None:
            return
        self._metrics_written = time.monotonic()
        from dataclasses import replace as changed

        from kiosk import __version__
        from kiosk.metrics import Snapshot

        content = self.visit.content
        tally = self._alert_tally
        errors = self.visit.error_count
        partial = Snapshot(
            __version__, "installed", tuple(content.codes) if content is not None else (),
            self._content_applied, self.idle.last_input,
            {"error": errors, "warning": len(self.visit.problems) - errors},
            dict(tally.totals) if tally is not None else {},
            self.config.alert_settings() is not None,
            self.speaker is not None and self.speaker.available, up)
        source = self.source_config

        def work() -> bool:  # the store's state is read here, off the GUI thread
            snapshot = partial
            if source is not None:
                from kiosk.store import Store

                current = Store(source.store_dir).current()
                if current is not None:
                    snapshot = changed(partial, content_version=current.id)
            # Stopping: a few seconds at most (systemd's stop timeout is 20 s).
            return writer.write(snapshot, timeout=METRICS_AT_EXIT_S if wait else None)

        if wait:  # the kiosk is stopping: one small file, written now
            work()
        else:
            in_background(self, work, lambda _written: None)

    @property
    def alert_tally(self) -> Tally:
        """Front-desk alerts sent: failures today, for the staff panel (made on first use)."""
        if self._alert_tally is None:
            from kiosk.alert import Tally

            self._alert_tally = Tally()
        return self._alert_tally

    def test_alert(self) -> None:
        """Staff asked: one test alert now (on a worker), its result on the staff panel."""
        settings = self.config.alert_settings()
        if settings is None:
            return
        from dataclasses import replace as changed

        from kiosk.alert import TEST, deliver

        line = self.staff.panel.alert_line
        line.setText("Sending a test alert…")
        line.show()

        def said(outcome: Any) -> None:
            line.setText(f"Test alert delivered (HTTP {outcome.status})." if outcome.delivered
                         else f"Test alert NOT delivered: {outcome.reason}.")

        in_background(self, lambda: deliver(changed(settings, retry_s=0), TEST), said)

    def send_alert(self, tier: str, visit_number: int) -> None:
        """Tell the front desk, on a worker thread (retries take minutes); the result screen
        adds "The front desk has also been told" only once the desk's system answered."""
        settings = self.config.alert_settings()
        if settings is None:
            return  # no alert configured: no network use at all
        from kiosk.alert import deliver

        tally = self.alert_tally

        def delivered(outcome: Any) -> None:
            self.metrics_due()  # the tally of alerts changed either way
            if outcome.delivered:
                self.show_change(self.visit.alert_delivered(tier, visit_number))

        in_background(self, lambda: deliver(settings, tier, tally), delivered)

    @guarded
    def saw_signs(self, step: int) -> None:
        """The self-check screen has shown every sign of question ``step``: its "none of
        these" can count. The screen unlocks the button itself (no redraw: it would scroll
        the patient back to the top)."""
        self.visit.saw_signs(step)

    def may_answer(self, step: int, choice: int) -> bool:
        return self.visit.may_answer(step, choice)

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
        speaking = self._keypad is not None and self._keypad.speech_on()
        session = self.visit.session
        words = session.label("speech.reset") if session is not None else ""
        language = session.language_code if session is not None else ""
        self.show_change(self.visit.reset(idle=True))
        if speaking and self.speaker is not None and words:
            self.speaker.say(words, language)  # said after the screen changed: not cut off

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
        seconds = self.visit.idle_seconds()
        if seconds is not None and self._keypad is not None and self._keypad.speech_on():
            seconds *= SPEECH_PATIENCE  # someone listening needs far longer (Trace Center)
        self.idle.arm(seconds)

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
    def panel(self) -> physical.Panel | None:
        """The panel's physical size (kiosk.physical): the config's screen_width_mm, or the
        screen's own report; None when neither is known."""
        screen = self.screen()
        reported = screen.physicalSize().width() if screen is not None else 0.0
        across = screen.geometry().width() if screen is not None else 0
        return physical.panel(max(1, self.width()), self.config.options.screen_width_mm,
                              reported, across)

    def physical_line(self) -> str:
        """How tall the body text's capital letters are on this panel, at each text size."""
        from kiosk.theme import TEXT_STEPS

        found = self.panel()
        width, height = max(1, self.width()), max(1, self.height())
        per_mm = found.px_per_mm if found is not None else 0.0
        names = ("Normal", "Larger", "Largest")
        bodies = {name: Metrics.for_size(width, height, scale, per_mm).body
                  for name, scale in zip(names, TEXT_STEPS, strict=True)}
        return physical.report(found, bodies)

    def staff_status(self) -> tuple[str, list[str]]:
        status = self.visit.staff_status() + "\n" + self.physical_line()
        failed = self._alert_tally.failures_today() if self._alert_tally else 0
        if failed:
            status += (f"\n{failed} front-desk alert(s) could not be delivered today (the log "
                       "says why); the patients were still told to go to the desk.")
        return status, list(self.visit.problems)

    def open_staff_panel(self) -> None:
        self.staff.open_panel()

    def show_usage_chart(self) -> None:
        """The staff panel's chart of the last 30 days (the counts read on a worker)."""
        usage = self.visit.usage
        rows = getattr(usage, "rows", None)
        if rows is None:
            return
        label = self.staff.panel.chart
        width = max(300, min(640, self.staff.panel.card.width() - 60))
        # Its room is kept now, before the counts are read: the panel does not jump (or
        # squeeze its words) when the chart arrives. Four bars, as kiosk/report.py draws them.
        label.setFixedSize(width, 26 * 4 + 8)
        label.show()
        self.staff.panel.chart_heading.show()

        def work() -> list[tuple[str, int]]:
            totals = {"Topics read": 0, "Self-checks started": 0, "Self-checks finished": 0,
                      "Visits": 0}
            names = {"topic_view": "Topics read", "check_started": "Self-checks started",
                     "check_finished": "Self-checks finished", "session_end": "Visits"}
            for _day, kind, _detail, count in rows(30):
                if kind in names:
                    totals[names[kind]] += count
            return list(totals.items())

        def draw(found: list[tuple[str, int]]) -> None:
            from PySide6.QtCore import QByteArray, Qt
            from PySide6.QtGui import QPainter, QPixmap
            from PySide6.QtSvg import QSvgRenderer

            from kiosk.report import Chart, svg

            markup = svg(Chart("The last 30 days", found), width)
            renderer = QSvgRenderer(QByteArray(markup.encode("utf-8")))
            ratio = self.devicePixelRatioF()
            size = renderer.defaultSize()
            pixmap = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.white)
            painter = QPainter(pixmap)
            renderer.render(painter)
            painter.end()
            label.setPixmap(pixmap)
            label.setAccessibleName("The last 30 days: " + ", ".join(
                f"{name} {value}" for name, value in found))

        in_background(self, work, draw)

    def reload_content(self) -> None:
        """Staff asked: reload in the background (the panel updates when it is done)."""
        if self.watcher is None:
            self.watch_content()
        self.watcher.reload_now()

    def staff_exit(self) -> None:
        log.info("staff exit")
        self.allow_close()
        self.close()
        from PySide6.QtCore import QThread

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
        from kiosk.pages import load_rendered
        from kiosk.ui.live import ContentWatcher

        loader: Callable[[Path, str], Loaded] = load_rendered
        if self.preview:
            from kiosk.checker import checked_load

            loader = checked_load
        resolve, store = self.content_source or (None, None)
        self.watcher = ContentWatcher(self.config.content_dir, self.config.language, self,
                                      loader, resolve=resolve, store=store)
        self.watcher.loaded.connect(self.on_content_loaded)

    @guarded
    def on_content_loaded(self, loaded: Any) -> None:
        change = self.visit.content_loaded(loaded)
        self.metrics_due()  # its problems, even when the last good content stays
        if self.preview:
            self.show_banner(self.visit.problems)
        self.show_change(change)
        if self.staff.panel_is_open():
            self.staff.refresh_panel()  # the status after a reload (not raised: staff
            # may be looking at a panel over it)

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
        found = self.panel()
        metrics = Metrics.for_size(max(1, self.width()), max(1, self.height()),
                                   self.visit.text_scale,
                                   found.px_per_mm if found is not None else 0.0)
        if metrics == self.metrics and theme == self.theme and not force:
            return
        self.metrics, self.theme = metrics, theme
        self.setStyleSheet(window_stylesheet(theme, metrics))
        content = self.visit.content
        words = [lang.labels for lang in content.languages.values()] if content else []
        self.bar.lay_out(metrics, words, self.config.clinic.name)
        for overlay in self._overlays():
            overlay.style_for(theme, metrics)
        self.staff.style_for(metrics)
        if self._usb is not None:
            self._usb.style_for(metrics)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        before = self.metrics
        self.apply_look()
        if self.metrics != before:
            self.refresh()
