"""systemd watchdog for the GUI: READY=1 after the first paint, WATCHDOG=1 from the event loop.

The pings come from a QTimer on the GUI thread, never from a thread of their own: when the
event loop freezes (a blocked call, a deadlock) the pings stop and systemd restarts the
kiosk after ``WatchdogSec=``. Nothing runs when the kiosk is not under a notify unit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.sdnotify import Notifier

log = logging.getLogger(__name__)


class Watchdog(QObject):
    """Tells systemd the window is up (after its first paint) and the loop still runs."""

    def __init__(self, window: QWidget, notifier: Notifier | None = None,
                 status: Callable[[], str] = lambda: "showing the kiosk") -> None:
        """``status``: one line for ``systemctl status`` (STATUS=), sent when it changes."""
        super().__init__(window)
        self.notifier = notifier or Notifier()
        self.status = status
        self.status_sent = ""
        self.ready_sent = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.ping)
        if not self.notifier.enabled:
            return
        if self.notifier.watchdog_usec:
            # Half the watchdog time, as sd_watchdog_enabled(3) advises.
            self.timer.setInterval(max(1, self.notifier.watchdog_usec // 2000))
        window.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stopping)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and not self.ready_sent:
            watched.removeEventFilter(self)
            # Once this paint is done and the loop is free again: the patient sees the screen.
            QTimer.singleShot(0, self._ready)
        return False

    def _ready(self) -> None:
        self.ready_sent = True
        self.status_sent = self.status()
        if not self.notifier.ready(self.status_sent):
            log.warning("systemd watchdog: %s", self.notifier.error)
        if self.notifier.watchdog_usec:
            self.timer.start()
            log.info("systemd watchdog: pinging every %d ms", self.timer.interval())

    def ping(self) -> None:
        if not self.notifier.watchdog():
            log.warning("systemd watchdog: %s", self.notifier.error)
        self.update_status()

    def update_status(self) -> None:
        """Send STATUS= if the line changed (content applied, an alert failed...)."""
        if not self.ready_sent or not self.notifier.enabled:
            return
        line = self.status()
        if line != self.status_sent and self.notifier.send(f"STATUS={line}"):
            self.status_sent = line

    def stopping(self) -> None:
        self.timer.stop()
        self.notifier.stopping()
        self.notifier.close()
