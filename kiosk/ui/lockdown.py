"""What makes the window a kiosk: no keys (but the keypad path's), menus or drops anywhere,
and the hidden staff gesture (five taps in the top-left corner, never on a patient's
button)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.ui.idle import INPUT_EVENTS, IdleWatcher

if TYPE_CHECKING:
    from kiosk.ui.keypad import Keypad

STAFF_TAPS = 5  # taps in the top-left corner ...
STAFF_WINDOW_S = 3.0  # ... within this many seconds open the staff PIN pad
PRESSES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick})
BUTTONS = PRESSES | {QEvent.Type.MouseButtonRelease}


# The lockdown, at the window: no context menus, no drag and drop, no keyboard at all.
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

    def press(self, event: QEvent) -> None:
        """A press on the window (a quick second tap arrives as a double click: a tap all
        the same)."""
        if not isinstance(event, QMouseEvent):
            return
        w = self.window_
        if not w.isVisible():
            return
        pos = w.mapFromGlobal(event.globalPosition().toPoint())
        size = self.corner()
        if not QRect(0, 0, size, size).contains(pos) or self._on_button(pos):
            self.taps.clear()
            return
        now = self.clock()
        self.taps = [t for t in self.taps if now - t <= STAFF_WINDOW_S] + [now]
        if len(self.taps) >= STAFF_TAPS:
            self.taps.clear()
            self.gesture()

    def _on_button(self, pos: QPoint) -> bool:
        """Whether a button a patient can see is under ``pos`` (window coordinates). Found
        among the window's own buttons, not by ``childAt``: that can hand Python a widget Qt
        made (a scroll bar), and naming it makes PySide6 create the Python type of every
        widget class it has (about 2 MB for the process's life; issue 24)."""
        w = self.window_
        buttons: Iterable[QAbstractButton] = w.findChildren(QAbstractButton)
        for b in buttons:
            if b.isVisible() and QRect(b.mapTo(w, QPoint(0, 0)), b.size()).contains(pos):
                return True
        return False


KEYS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
                  QEvent.Type.ShortcutOverride})


class KioskEvents(QObject):
    """The window's one event filter: the lockdown, the staff corner and idle activity in a
    single Python call per event.

    It watches the window's QWindow, which every touch, click, key, menu request and drop
    from the screen passes before Qt hands it to a widget, and nothing else: an
    application-wide Python filter would be called for every event of every object
    (painting, timers, Qt's own helpers), and each object Qt made that it named would make
    PySide6 create Python types for every class that object might be, ~2 MB that stay for
    the process's life (issue 24). A context menu: Qt 6.8.0 makes it from a right press
    after the window passed the press on, and sends it straight to the widget; newer Qt has
    the QWindow make it, so it passes here. So a press, release or double click of any
    button but the left (a finger's) stops here, and a menu's event too. A shortcut (a button's "&"
    mnemonic) Qt looks for before the key reaches the window, unless the key's shortcut
    check, which does come to the window first, is taken: so it is taken here, and the key
    then blocked as a key."""

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
            event.accept()  # a shortcut check taken: Qt looks for no shortcut
            return True  # the keypad path's keys: its own, and nothing else sees them
        if kind in self.blocked:
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # taken: Qt looks for no shortcut (and the key is blocked)
            return True  # (a drag is not accepted: its source shows it cannot drop here)
        if kind in INPUT_EVENTS:
            self.idle.touched()
            if kind in BUTTONS and self.blocked and isinstance(event, QMouseEvent):
                from PySide6.QtCore import Qt  # (the first screen never names Qt: qtvalues)

                if event.button() != Qt.MouseButton.LeftButton:
                    return True  # a finger is the left button; no menu from the others
            if self.corner is not None and kind in PRESSES:
                self.corner.press(event)
        return False
