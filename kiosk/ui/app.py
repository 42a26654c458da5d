"""Build and run the kiosk window from a Config: the seam between the core and Qt."""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config import Config
from kiosk.logsetup import open_log_file
from kiosk.model import Loaded, load_content
from kiosk.session import Screen
from kiosk.ui.offthread import EarlyPages, weak
from kiosk.ui.qtvalues import LOCKED_WINDOW, set_props
from kiosk.ui.staff import pin_guard
from kiosk.ui.watchdog import Watchdog
from kiosk.ui.window import KioskWindow
from kiosk.visit import Timing, Visit

if TYPE_CHECKING:  # read-aloud is loaded after the first paint
    from pathlib import Path

    from kiosk.ui.speech import Speaker

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 720)


def build_window(config: Config, preview: bool = False,
                 loaded: Loaded | None = None) -> KioskWindow:
    """The kiosk's top-level window over a new Visit, not yet shown. Needs a QApplication.

    ``preview``: the staff preview, a plain desktop window with a banner of problems.
    ``loaded``: content already loaded (default: load ``config.content_dir``).
    """
    if QApplication.instance() is None:
        raise RuntimeError("build_window() needs a QApplication; create one first")
    options = config.options
    source: Config | None = None  # the config whose imported versions the kiosk follows
    write_index: Callable[[], None] | None = None
    kept_pages: tuple[str, Path] | None = None  # the content's key, where its pages are kept
    if config.use_store and not preview:
        source = config
        config = replace(config, content_dir=config.live_content())
    if loaded is None:
        if preview:
            from kiosk.checker import checked_load

            loaded = checked_load(config.content_dir, config.language)
        elif source is not None:
            # From the content index when it is current (no YAML before the first paint);
            # else loaded, and the index written after the first paint, off the GUI thread.
            # Pages are rendered in the background after the first paint (KioskWindow),
            # or read back from where they were kept for this content (kiosk.pagecache).
            from kiosk import contentcache

            loaded, write_index, content_key = contentcache.load_keyed(
                config.content_dir, config.language,
                source.store_dir / contentcache.FILE_NAME)
            if content_key is not None:
                kept_pages = (content_key, source.store_dir / contentcache.PAGES_FILE_NAME)
        else:
            loaded = load_content(config.content_dir, config.language)
    for problem in loaded.problems:
        (log.error if problem.is_error else log.warning)("%s", problem)
    if loaded.content is None:
        log.error("no usable content in %s; showing the resting screen", config.content_dir)
    size = WINDOWED_SIZE
    screen = QApplication.primaryScreen()
    if config.fullscreen and not preview and screen is not None:
        size = (screen.geometry().width(), screen.geometry().height())
    timing = Timing(options.idle_timeout, options.end_timeout,
                    options.idle_countdown)
    early = EarlyPages()  # a page opened before the background rendering reached it
    visit = Visit(loaded, config.language, timing=timing, live=preview,
                  review_months=options.review_months, render=early)
    window = KioskWindow(config, visit, speaker_factory=_speaker_factory(config), size=size)
    if not preview:
        window.start_loaded, window.start_pages = loaded, kept_pages
    if source is not None:  # an import or an undo switches the folder the kiosk watches
        from kiosk.store import Store

        window.content_source = (source.live_content, Store(source.store_dir).watched)
        window.source_config = source
    early.on_ready = weak(window, _page_ready)
    if write_index is not None:
        window.after_first_paint.append(write_index)
    if options.record_usage and not preview:
        # Opened after the first paint: nobody can tap anything before it.
        window.after_first_paint.append(lambda: _open_usage(visit, config))
    guard = pin_guard(options.staff_pin_hash, options.pin_attempts,
                      options.pin_lockout_minutes, state_path=None if preview else "default")
    window.staff.guard = guard
    if preview:
        window.show_banner(visit.problems)
        window.setWindowTitle(f"Preview: {config.content_dir}")
        window.watch_content()
        return window
    if config.fullscreen:
        _lock_window(window)
    if options.watch_content:
        window.after_first_paint.append(window.watch_content)  # nothing to watch before
    # Where the metrics go is worked out after the first paint too (kiosk.metrics is not
    # needed to show the first screen).
    window.after_first_paint.append(lambda: _start_metrics(window, config))
    return window


def _start_metrics(window: KioskWindow, config: Config) -> None:
    path = config.metrics_path()
    if path is not None:
        window.start_metrics(path)


def _hide_cursor() -> None:
    from PySide6.QtCore import Qt

    QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)


def _lock_window(window: KioskWindow) -> None:
    """Locked down: no title bar to close it by, and nothing drawn over it.

    The flags go to the native window (made now, not at show) through Qt's property system,
    as the first screen never names ``Qt`` (kiosk.ui.qtvalues). The widget's own record of
    them (``windowFlags()``) follows after the first paint, without a call to the window
    system: ``setWindowFlags`` on a shown window would hide it."""
    window.winId()
    handle = window.windowHandle()
    assert handle is not None  # a top-level widget's native window, just made
    set_props(handle, flags=LOCKED_WINDOW)

    def record() -> None:
        from PySide6.QtCore import Qt

        window.overrideWindowFlags(Qt.WindowType(LOCKED_WINDOW))

    window.after_first_paint.insert(0, record)


def _open_usage(visit: Visit, config: Config) -> None:
    from kiosk.stats import UsageLog

    # Written every usage_write_minutes, not every minute: an SD card's wear (issue 24,
    # bench/kiosk_writes.py: about 24 KiB a write; a patient every 3 minutes wrote 4.8 MB a
    # busy day at one write a minute).
    # Each write is made by a short-lived writer process: the kiosk never loads SQLite.
    visit.usage = UsageLog(retention_days=config.options.usage_retention_days,
                           interval=config.options.usage_write_minutes * 60.0,
                           in_child=True)


def _page_ready(window: KioskWindow, topic_id: str) -> None:
    """A page that was not ready when it was opened is now: show it, if it is still open."""
    session = window.visit.session
    topic = session.topic() if session is not None else None
    if window.visit.screen is Screen.TOPIC and topic is not None and topic.id == topic_id:
        window.refresh()


def _speaker_factory(config: Config) -> Callable[[QWidget], Speaker | None] | None:
    """Read-aloud, made after the first paint (the engine is slow to start), if wanted."""
    options = config.options
    if not options.speech:
        return None

    def make(parent: QWidget) -> Speaker | None:
        from kiosk.ui.speech import Speaker

        return Speaker(options.speech_engine, parent, voices=options.speech_voice)

    return make


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM (systemd stop) and SIGINT (Ctrl+C) end the event loop cleanly.

    Python handles a signal only when it runs; a wake-up socket watched by Qt makes it run
    at once, with no polling timer.
    """
    keep: tuple[object, ...]
    if os.name == "posix":  # a pipe: no socket module to load at start
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        os.set_blocking(write_fd, False)

        def read() -> None:
            os.read(read_fd, 64)

        keep = (read_fd, write_fd)
    else:  # Windows wakes only through a socket
        import socket

        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        read_fd, write_fd = reader.fileno(), writer.fileno()

        def read() -> None:
            reader.recv(64)

        keep = (reader, writer)
    signal.set_wakeup_fd(write_fd)
    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, app)

    def drain() -> None:
        try:
            read()
        except OSError:
            pass

    notifier.activated.connect(drain)
    app.setProperty("_signal_wakeup", (*keep, notifier))  # keep them alive

    def stop(signum: int, _frame: object) -> None:
        log.info("stopping on signal %d", signum)
        app.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def _never_die(window: KioskWindow) -> None:
    """An exception nobody caught is logged and the kiosk goes home, instead of quitting."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("unexpected error; going back to the home screen",
                  exc_info=(kind, value, tb))
        window.recover()

    sys.excepthook = hook


def no_display(environ: Mapping[str, str] | None = None) -> str:
    """One line saying what to do when Linux has no display to show the kiosk on, else ""."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM") \
            or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return ("kiosk: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it on the "
            "screen's desktop, under cage (deploy/README.md), or headless with "
            "QT_QPA_PLATFORM=offscreen")


def run(config: Config, argv: list[str] | None = None, preview: bool = False) -> int:
    """Start Qt, show the kiosk (full-screen unless configured otherwise) and run it."""
    if QApplication.instance() is None and (missing := no_display()):
        print(missing, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("clinic-kiosk")
    app.setApplicationDisplayName(config.clinic.name)
    window = build_window(config, preview)
    if preview:
        _quit_on_signals(app)
        window.show()
        return app.exec()
    _never_die(window)
    _quit_on_signals(app)
    window.after_first_paint.append(open_log_file)  # kept lines first (setup_logging(later))
    # READY=1 after the first paint, pings, and STATUS= lines, under a Type=notify unit.
    window.watchdog = Watchdog(window, status=window.status_line)
    # systemd's watchdog ends a frozen kiosk with SIGABRT: print where every thread was.
    faulthandler.enable()
    if config.fullscreen:
        if config.options.hide_cursor:  # from the first paint: naming the cursor names Qt
            window.after_first_paint.insert(0, _hide_cursor)
        screen = app.primaryScreen()
        if screen is not None:
            # Without a window manager (a bare X session) full-screen is only a request;
            # cover the screen ourselves as well.
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    else:
        window.show()
    content = window.content
    if content is not None:
        topics = sum(len(lang.topics) for lang in content.languages.values())
        log.info("kiosk ready: %d topics in %s from %s", topics, ", ".join(content.codes),
                 content.root)
    log.info("%s", window.physical_line())  # how tall the letters are (ADA 707.7.2)
    if os.environ.get("KIOSK_REPORT_READY"):
        _report_ready(window)
    code = app.exec()
    window.allow_close()
    close = getattr(window.visit.usage, "close", None)
    if callable(close):
        close()  # the last counts written, the file left clean
    return code


class _ReadyReporter(QObject):
    """For bench/: prints one line once the window has painted and the loop takes input."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._ready)
        return False

    def _ready(self) -> None:
        print(f"KIOSK_READY {time.monotonic_ns()}", flush=True)
        if os.environ.get("KIOSK_REPORT_READY") == "quit":
            # bench: count instructions to the first paint and no further (the work queued
            # for after it, and interpreter teardown, are not part of a start).
            os._exit(0)


def _report_ready(window: KioskWindow) -> None:
    reporter = _ReadyReporter(window)
    window.installEventFilter(reporter)
