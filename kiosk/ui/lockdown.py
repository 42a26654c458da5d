"""What makes the window a kiosk: no keys (but the keypad path's), menus or drops anywhere,
and the hidden staff gesture (five taps in the top-left corner, never on a patient's
button)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.ui.idle import INPUT_EVENTS, IdleWatcher

if TYPE_CHECKING:
    from kiosk.ui.keypad import Keypad

STAFF_TAPS = 5  # taps in the top-left corner ...
STAFF_WINDOW_S = 3.0  # ... within this many seconds open the staff PIN pad
PRESSES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick})


# The lockdown, application-wide: no context menus, no drag and drop, no keyboard at all.
BLOCKED = frozenset({
    QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop,
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
})


class CornerTaps(QObject):
    """Counts taps in the window's top-left corner; a tap on any button breaks the count,
    so tapping Back (or anything a patient uses) can never open the staff pad."""

    def __init__(self, window: QWidget, corner: Callable[[], int],
                 gesture: Callable[[], None], clock: Callable[[], float] = time.monotonic
                 ) -> None:
        super().__init__(window)
        self.window_ = window
        self.corner = corner
        self.gesture = gesture
        self.clock = clock
        self.taps: list[float] = []
        self.last_stamp = -1

    def press(self, watched: QObject, event: QEvent) -> None:
        """A press or a quick second tap (it arrives as a double click: a tap all the same)."""
        if not isinstance(event, QMouseEvent):
            return
        w = self.window_
        # A press from the screen passes the window's QWindow once, then the widgets under
        # it: count it there (two quick taps can share a timestamp). A press sent straight
        # to a widget is counted once, by its timestamp.
        if watched is w.windowHandle():
            self.last_stamp = event.timestamp()
        elif isinstance(watched, QWidget) and event.timestamp() != self.last_stamp:
            self.last_stamp = event.timestamp()
        else:
            return
        if not w.isVisible():
            return
        pos = w.mapFromGlobal(event.globalPosition().toPoint())
        size = self.corner()
        target: QWidget | None = w.childAt(pos)
        on_button = False
        while target is not None:
            if isinstance(target, QAbstractButton) and target.isVisible():
                on_button = True
                break
            target = target.parentWidget()
        if on_button or not QRect(0, 0, size, size).contains(pos):
            self.taps.clear()
            return
        now = self.clock()
        self.taps = [t for t in self.taps if now - t <= STAFF_WINDOW_S] + [now]
        if len(self.taps) >= STAFF_TAPS:
            self.taps.clear()
            self.gesture()


KEYS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
                  QEvent.Type.ShortcutOverride})


class KioskEvents(QObject):
    """The window's one application-wide event filter: the lockdown, the staff corner and
    idle activity in a single Python call per event (three filters cost three calls on
    every event the application handles, painting included)."""

    def __init__(self, parent: QObject, idle: IdleWatcher, lockdown: bool,
                 corner: CornerTaps | None,
                 keypad: Callable[[], Keypad] | None = None) -> None:
        """``keypad``: gives the keypad path, made on the first key that asks for it."""
        super().__init__(parent)
        self.idle = idle
        self.blocked = BLOCKED if lockdown else frozenset()
        self.corner = corner
        self.keypad = keypad

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in KEYS and self.keypad is not None and self.keypad().key(event):
            if kind == QEvent.Type.KeyPress:
                self.idle.touched()  # a key is someone there, as a touch is
            return True  # the keypad path's keys: its own, and nothing else sees them
        if kind in self.blocked:
            return True
        if kind in INPUT_EVENTS:
            self.idle.touched()
            if self.corner is not None and kind in PRESSES:
                self.corner.press(watched, event)
        return False
