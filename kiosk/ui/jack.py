"""Watches a headphone jack (kiosk.jack) on the GUI thread's event loop without ever
waiting on it: a socket notifier wakes the loop only when the kernel has an event."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from kiosk import jack

log = logging.getLogger(__name__)


class JackWatch(QObject):
    """Says ``changed(True)`` when headphones go in and ``changed(False)`` when they come out."""

    changed = Signal(bool)

    def __init__(self, fd: int, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fd = fd
        self.name = name
        self.plugged = bool(jack.plugged_now(fd))
        self._reader = jack.Reader()
        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    @classmethod
    def open(cls, device: Path, name: str, parent: QObject | None = None) -> JackWatch | None:
        """A watch on ``device``; None, with the reason in the log, when it cannot be read
        (the kiosk's user needs read access to it: deploy/README.md, 7b)."""
        try:
            fd = jack.open_device(device)
        except OSError as e:
            log.warning("the headphone jack %s (%s) cannot be watched: %s; plugging "
                        "headphones in will not switch speech on (the first key still "
                        "does)", device, name, e.strerror or e)
            return None
        return cls(fd, name, parent)

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 64 * jack.EVENT.size)
            except BlockingIOError:
                return
            except OSError as e:  # unplugged sound card, revoked access: stop watching
                log.warning("the headphone jack %s is gone: %s", self.name, e.strerror or e)
                self.close()
                return
            if not data:
                self.close()
                return
            for plugged in self._reader.feed(data):
                if plugged != self.plugged:
                    self.plugged = plugged
                    self.changed.emit(plugged)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1
