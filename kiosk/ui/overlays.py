"""Panels that sit over the screens: "Are you still there?", the staff PIN pad, the staff panel."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QMouseEvent, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk import bidi, labels
from kiosk.pin import PinGuard, Verdict
from kiosk.theme import Metrics, Theme
from kiosk.ui.widgets import button, label, needed_width, scroll_area


class Overlay(QWidget):
    """Covers the whole window with a dimmed backdrop and a centred card."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.card = QFrame(self)
        self.card.setObjectName("Note")
        self.card_layout = QVBoxLayout(self.card)
        outer = QVBoxLayout(self)
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignCenter)
        self.widest = 720  # the card's widest, in px
        self.metrics = Metrics.for_size(800, 480)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False

    for_patients = True  # the keypad path reaches it (the staff's panels are touch only)

    def open(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def dismiss_by_key(self) -> None:
        """The keypad's Back key: close the panel."""
        self.hide()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        _tell_keypad(self)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        _tell_keypad(self)

    def style_for(self, theme: Theme, m: Metrics) -> None:
        self.metrics = m
        pad = m.gap * 2
        self.card_layout.setContentsMargins(pad, pad, pad, pad)
        self.card_layout.setSpacing(m.gap)
        self.card.setFixedWidth(max(300, min(self.widest, m.width - 2 * m.margin)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0, 140))
        p.end()


def _tell_keypad(overlay: QWidget) -> None:
    """A panel opened or closed: the keypad's focus moves to it, or back to the screen."""
    keypad = getattr(overlay.parentWidget(), "_keypad", None)  # only once it was made
    if keypad is not None and keypad.active:
        QTimer.singleShot(0, keypad.follow)


class StillThere(Overlay):
    """Asked after a while without a touch; counts down, then the session starts over."""

    stay = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.heading = label("", "Title")
        self.countdown = label("")
        self.stay_button = button("", primary=True)
        self.stay_button.clicked.connect(self._stay)
        self.card_layout.addWidget(self.heading)
        self.card_layout.addWidget(self.countdown)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.stay_button)
        self.card_layout.addLayout(row)
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._tick)
        self.remaining = 0
        self.template = labels.DEFAULTS["idle.countdown"]
        self.digits = "latin"

    def ask(self, seconds: int, words: Callable[[str], str]) -> None:
        self.heading.setText(words("idle.heading"))
        self.template = words("idle.countdown")
        self.digits = words("language.digits")
        text = words("idle.stay")
        self.stay_button.setText(text)
        self.stay_button.setAccessibleName(text)
        self.remaining = seconds
        self._show_count()
        self.tick.start()
        self.open()

    def dismiss(self) -> None:
        self.tick.stop()
        self.hide()

    def _show_count(self) -> None:
        self.countdown.setText(labels.fill(self.template,
                                           seconds=bidi.digits(str(self.remaining), self.digits)))

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.dismiss()
            self.expired.emit()
        else:
            self._show_count()

    def _stay(self) -> None:
        self.dismiss()
        self.stay.emit()

    def dismiss_by_key(self) -> None:
        self._stay()  # any key means someone is there

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """A touch anywhere means someone is there."""
        self._stay()


class PinPad(Overlay):
    """Ten digits, Clear, OK and Cancel. Staff only; it never says what the PIN is."""

    accepted = Signal()
    cancelled = Signal()

    for_patients = False

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # staff's, in English
        self.guard: PinGuard | None = None
        self.entered = ""
        self.heading = label("Staff PIN", "Heading")
        self.dots = label("", "Title", wrap=False)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = label("", "Muted")
        # Side by side, so the pad fits a 480-pixel-high screen with room between keys.
        side = QHBoxLayout()
        info = QVBoxLayout()
        info.addWidget(self.heading)
        info.addWidget(self.dots)
        info.addWidget(self.message)
        info.addStretch(1)
        side.addLayout(info, 1)
        self.card_layout.addLayout(side)
        self.grid = QGridLayout()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "OK"]
        self.keys: dict[str, QWidget] = {}
        for i, key in enumerate(keys):
            b = button(key, primary=key == "OK")
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            self.grid.addWidget(b, i // 3, i % 3)
            self.keys[key] = b
        side.addLayout(self.grid, 1)
        cancel = button("Cancel")
        cancel.clicked.connect(self.cancel)
        info.addWidget(cancel)
        self.side = side
        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(1000)
        self.lock_timer.timeout.connect(self._update_lock)

    def style_for(self, theme: Theme, m: Metrics) -> None:
        self.widest = 820
        super().style_for(theme, m)
        self.grid.setSpacing(m.gap)
        self.side.setSpacing(m.gap * 2)

    def ask(self, guard: PinGuard) -> None:
        self.guard = guard
        self.entered = ""
        self._refresh("")
        self._update_lock()
        self.open()

    def press(self, key: str) -> None:
        if self.guard is None or self.guard.locked_for() > 0:
            return
        if key == "Clear":
            self.entered = ""
        elif key == "OK":
            verdict = self.guard.check(self.entered)
            self.entered = ""
            if verdict is Verdict.OK:
                self._close()
                self.accepted.emit()
                return
            if verdict is Verdict.WRONG:
                left = self.guard.attempts - self.guard.misses
                self._refresh(f"Wrong PIN. {left} more tries before the pad locks.")
                return
            self._update_lock()
            return
        elif len(self.entered) < 12:
            self.entered += key
        self._refresh(self.message.text())

    def _refresh(self, message: str) -> None:
        self.dots.setText("●" * len(self.entered) if self.entered else "–")
        self.message.setText(message or "Enter the staff PIN, then OK.")

    def _update_lock(self) -> None:
        left = self.guard.locked_for() if self.guard else 0
        locked = left > 0
        for b in self.keys.values():
            b.setEnabled(not locked)
        if locked:
            minutes, seconds = divmod(int(left + 0.999), 60)
            self.message.setText(f"Too many wrong PINs. Locked for {minutes}:{seconds:02d}.")
            if not self.lock_timer.isActive():
                self.lock_timer.start()
        else:
            self.lock_timer.stop()
            if self.message.text().startswith("Too many"):
                self._refresh("")

    def cancel(self) -> None:
        """Closed without the PIN: whatever it was asked for does not happen."""
        self._close()
        self.cancelled.emit()

    def _close(self) -> None:
        self.entered = ""
        self.lock_timer.stop()
        self.hide()


class StaffPanel(Overlay):
    """Content status and errors, reload, version and log location, and the staff exit."""

    reload_requested = Signal()
    exit_requested = Signal()
    update_requested = Signal()  # from a USB stick
    export_requested = Signal()  # to a USB stick
    undo_requested = Signal()  # the last update
    proof_requested = Signal()  # the sign-off PDF, to a USB stick
    test_alert_requested = Signal()  # a test of the front-desk alert

    for_patients = False

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # staff's, in English
        self.widest = 1100
        self.heading = label("Staff panel", "Title")
        self.version = label("", "Strong")
        self.status = label("")
        self.problems = QLabel()
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setObjectName("Muted")
        self.about = label("", "Muted")
        for w in (self.heading, self.version):
            self.card_layout.addWidget(w)
        # The status can be long (pages due for review, problems): it scrolls; the buttons
        # stay in view below it.
        self.area = scroll_area()
        body = QWidget()
        body.setObjectName("Card")
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        self.chart_heading = label("The last 30 days", "Strong")
        self.chart = QLabel()  # the last 30 days' use, drawn when the counts are read
        self.chart.hide()
        self.chart_heading.hide()
        for w in (self.status, self.chart_heading, self.chart, self.problems, self.about):
            column.addWidget(w)
        column.addStretch(1)
        self.area.setWidget(body)
        self.card_layout.addWidget(self.area, 1)
        usb = QGridLayout()  # shown when the kiosk keeps imported versions (not a preview)
        self.update_button = button("Update from a USB stick", primary=True)
        self.update_button.clicked.connect(self.update_requested.emit)
        self.export_button = button("Copy content to a USB stick")
        self.export_button.clicked.connect(self.export_requested.emit)
        self.undo_button = button("Undo last update")
        self.undo_button.clicked.connect(self.undo_requested.emit)
        self.proof_button = button("Proof to sign")
        self.proof_button.clicked.connect(self.proof_requested.emit)
        for i, b in enumerate((self.update_button, self.export_button, self.proof_button,
                               self.undo_button)):
            usb.addWidget(b, i // 2, i % 2)  # two to a row: each keeps its words whole
            b.hide()
        usb.setColumnStretch(2, 1)
        self.card_layout.addLayout(usb)
        self.alert_line = label("", "Muted")  # the last test alert's result
        self.alert_button = button("Send a test alert")
        self.alert_button.clicked.connect(self.test_alert_requested.emit)
        self.alert_button.hide()
        self.alert_line.hide()
        usb.addWidget(self.alert_button, 2, 0)
        usb.addWidget(self.alert_line, 2, 1)
        row = QHBoxLayout()
        self.reload_button = button("Reload content now")
        self.reload_button.clicked.connect(self.reload_requested.emit)
        self.exit_button = button("Exit the kiosk")
        self.exit_button.clicked.connect(self.exit_requested.emit)
        self.close_button = button("Close", primary=True)
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.reload_button)
        row.addWidget(self.exit_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        self.card_layout.addLayout(row)

    def style_for(self, theme: Theme, m: Metrics) -> None:
        super().style_for(theme, m)
        self.card.setMaximumHeight(max(300, m.height - 2 * m.gap))
        for b in (self.update_button, self.export_button, self.proof_button,
                  self.undo_button, self.reload_button, self.exit_button, self.close_button,
                  self.alert_button):
            b.setMinimumWidth(needed_width(b, m))

    def show_status(self, status: str, problems: list[str], about: str,
                    version: str | None = None, can_undo: bool = False) -> None:
        """``version``: which content patients see (None: no USB updates here)."""
        self.version.setText(version or "")
        self.version.setVisible(version is not None)
        for b in (self.update_button, self.export_button, self.proof_button):
            b.setVisible(version is not None)
        self.undo_button.setVisible(version is not None and can_undo)
        self.status.setText(status)
        shown = problems[:8]
        more = f"\n… and {len(problems) - 8} more (see the log)" if len(problems) > 8 else ""
        self.problems.setText("\n".join(shown) + more if problems else "No problems found.")
        self.about.setText(about)


class DisplayPanel(Overlay):
    """The patient's own text size (three steps) and colours, for this visit only."""

    text_step = Signal(int)
    contrast = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.widest = 900
        self.heading = label("", "Heading")
        self.card_layout.addWidget(self.heading)
        self.sizes = QHBoxLayout()
        self.size_buttons = [button("") for _ in range(3)]
        for step, b in enumerate(self.size_buttons):
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, s=step: self.text_step.emit(s))
            self.sizes.addWidget(b)
        self.card_layout.addLayout(self.sizes)
        self.colours = QHBoxLayout()
        self.standard_button = button("")
        self.contrast_button = button("")
        for b, high in ((self.standard_button, False), (self.contrast_button, True)):
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, h=high: self.contrast.emit(h))
            self.colours.addWidget(b)
        self.card_layout.addLayout(self.colours)
        row = QHBoxLayout()
        row.addStretch(1)
        self.done_button = button("", primary=True)
        self.done_button.clicked.connect(self.hide)
        row.addWidget(self.done_button)
        self.card_layout.addLayout(row)

    def style_for(self, theme: Theme, m: Metrics) -> None:
        super().style_for(theme, m)
        for layout in (self.sizes, self.colours):
            layout.setSpacing(max(8, m.gap))
        self._fit_rows()

    def show_choices(self, words: Callable[[str], str], step: int, high_contrast: bool) -> None:
        self.heading.setText(words("display.heading"))
        keys = ("display.normal", "display.larger", "display.largest")
        for i, (b, key) in enumerate(zip(self.size_buttons, keys, strict=True)):
            _set_text(b, words(key))
            b.setChecked(i == step)
        _set_text(self.standard_button, words("display.standard"))
        _set_text(self.contrast_button, words("display.contrast"))
        self.standard_button.setChecked(not high_contrast)
        self.contrast_button.setChecked(high_contrast)
        _set_text(self.done_button, words("display.done"))
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Each row of choices side by side when every word fits, else one under another."""
        m = self.metrics
        room = self.card.width() - 2 * m.gap * 2
        for layout, buttons in ((self.sizes, self.size_buttons),
                                (self.colours, [self.standard_button, self.contrast_button])):
            needs = [needed_width(b, m) for b in buttons]
            for b, need in zip(buttons, needs, strict=True):
                b.setMinimumWidth(min(need, room))
            wide = sum(needs) + m.gap * (len(buttons) - 1) <= room
            layout.setDirection(QHBoxLayout.Direction.LeftToRight if wide
                                else QHBoxLayout.Direction.TopToBottom)


class QrPanel(Overlay):
    """A web address to take home: a QR code to scan and the address in words."""

    def __init__(self, parent: QWidget) -> None:
        from kiosk.ui.qrwidget import QrCode

        super().__init__(parent)
        self.widest = 640
        self.heading = label("", "Heading")
        self.code = QrCode()
        self.address = label("", "Muted")
        self.card_layout.addWidget(self.heading)
        self.card_layout.addWidget(self.code, 0, Qt.AlignmentFlag.AlignCenter)
        self.card_layout.addWidget(self.address)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = button("", primary=True)
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.close_button)
        self.card_layout.addLayout(row)

    def show_address(self, url: str, words: Callable[[str], str]) -> None:
        m = self.metrics
        self.heading.setText(words("topic.scan"))
        self.code.set_data(url)
        # Big enough for a phone at arm's length, small enough to fit on 800x480.
        self.code.set_side(max(150, min(m.height - 4 * m.button - 2 * m.margin, 360)))
        # The address in the order it is typed, also in a right-to-left language.
        # It may break after / . - ? & = (a zero-width space), so a long address wraps
        # inside the card at large text rather than running off it; it is read as it is.
        rtl = words("language.direction") == "rtl"
        breakable = _BREAKS.sub(lambda hit: hit.group(0) + "\u200b", url)
        self.address.setText(bidi.ltr_run(breakable) if rtl else breakable)
        self.address.setAccessibleName(url)
        _set_text(self.close_button, words("qr.close"))
        self.open()


_BREAKS = re.compile(r"(?<![:/])[/.\-?&=](?=.)")


def _set_text(b: QWidget, text: str) -> None:
    b.setProperty("text", text)
    b.setAccessibleName(text)
