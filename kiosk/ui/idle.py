"""Notices when nobody has touched the kiosk for a while, without any polling loop.

The window's one event filter (kiosk.ui.lockdown.KioskEvents, on its QWindow, which every
touch and key from the screen passes) calls ``touched()`` on every input event, which
restarts one single-shot timer.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.Wheel, QEvent.Type.KeyPress, QEvent.Type.TabletPress,
    QEvent.Type.MouseButtonDblClick,
})


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``seconds`` without input; ``arm(None)`` switches it off."""

    idle = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)
        self.seconds: int | None = None
        self.last_input = 0.0  # Unix time of the last input (0: none yet)
        self.on_input: Callable[[float], None] | None = None  # told each input's time

    def arm(self, seconds: int | None) -> None:
        """Start counting afresh, for this many seconds (None: stop counting)."""
        self.seconds = seconds
        if seconds is None:
            self.timer.stop()
        else:
            self.timer.start(seconds * 1000)

    def touched(self) -> None:
        """Input happened: count afresh."""
        self.last_input = time.time()  # for the metrics (kiosk/metrics.py rounds it)
        if self.on_input is not None:
            self.on_input(self.last_input)
        if self.seconds is not None:
            self.timer.start(self.seconds * 1000)
