"""Notices when nobody has touched the kiosk for a while, without any polling loop.

An application-wide event filter restarts one single-shot timer on every input event.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.Wheel, QEvent.Type.KeyPress, QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``seconds`` without input; ``arm(None)`` switches it off."""

    idle = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)
        self.seconds: int | None = None

    def watch(self, app: QObject) -> None:
        """Start seeing input: an application-wide event filter (the window installs it
        when it is first shown)."""
        app.installEventFilter(self)

    def arm(self, seconds: int | None) -> None:
        """Start counting afresh, for this many seconds (None: stop counting)."""
        self.seconds = seconds
        if seconds is None:
            self.timer.stop()
        else:
            self.timer.start(seconds * 1000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self.seconds is not None and event.type() in INPUT_EVENTS:
            self.timer.start(self.seconds * 1000)
        return False
