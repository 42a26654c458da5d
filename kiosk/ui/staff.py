"""Staff access: the PIN pad and the staff panel, opened by the hidden corner gesture."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from kiosk import __version__
from kiosk.logsetup import log_dir
from kiosk.theme import LIGHT, Metrics
from kiosk.ui.style import window_stylesheet

if TYPE_CHECKING:  # made on first use: nothing of this is needed for the first screen
    from kiosk.pin import PinGuard
    from kiosk.ui.overlays import PinPad, StaffPanel

log = logging.getLogger(__name__)


def pin_guard(pin_hash: str, attempts: int, lockout_minutes: int,
              state_path: Path | str | None = None) -> PinGuard | None:
    """The PIN check from the config's hash; None (no staff panel) if there is none.
    ``state_path`` keeps the lockout across restarts (see kiosk.pin); "default": the
    platform's state folder."""
    if not pin_hash:
        return None
    from kiosk.pin import PinGuard, is_valid_hash

    if not is_valid_hash(pin_hash):
        log.error("staff_pin_hash in the config is not a hash written by 'kiosk set-pin'; "
                  "the staff panel is off")
        return None
    from kiosk.pin import default_state_path

    path = default_state_path() if state_path == "default" else state_path
    return PinGuard(pin_hash, attempts, 60.0 * lockout_minutes,
                    state_path=Path(path) if path is not None else None)


class StaffAccess:
    """The PIN pad (when a PIN is set) in front of the staff panel."""

    def __init__(self, window: QWidget, guard: PinGuard | None, open_without_pin: bool,
                 status: Callable[[], tuple[str, list[str]]],
                 wire: Callable[[StaffAccess], None] = lambda _staff: None,
                 version: Callable[[], tuple[str, bool] | None] = lambda: None) -> None:
        """``version``: which content version patients see and whether undo can go back
        (None: this window takes no USB updates)."""
        """``wire`` is called once the panels exist (they are made on first use)."""
        self.window = window
        self.guard = guard
        self.open_without_pin = open_without_pin
        self.status = status
        self.wire = wire
        self.version = version
        self._pin_pad: PinPad | None = None
        self._panel: StaffPanel | None = None
        self._metrics: Metrics | None = None
        self._pending: Callable[[], None] | None = None  # what the PIN is asked again for
        self.opened: list[Callable[[], None]] = []  # called each time the panel opens

    def _make(self) -> None:
        if self._pin_pad is None or self._panel is None:
            from kiosk.ui.overlays import PinPad, StaffPanel

            self._pin_pad = PinPad(self.window)
            self._pin_pad.accepted.connect(self._pin_accepted)
            self._pin_pad.cancelled.connect(self._pin_cancelled)
            self._panel = StaffPanel(self.window)
            self.wire(self)
            if self._metrics is not None:
                self.style_for(self._metrics)

    @property
    def pin_pad(self) -> PinPad:
        self._make()
        assert self._pin_pad is not None
        return self._pin_pad

    @property
    def panel(self) -> StaffPanel:
        self._make()
        assert self._panel is not None
        return self._panel

    def gesture(self) -> None:
        """Five taps in the corner: the PIN pad, or (windowed, no PIN) the panel itself."""
        if self.guard is not None:
            self.pin_pad.ask(self.guard)
        elif self.open_without_pin:
            self.open_panel()

    def confirm(self, action: Callable[[], None]) -> None:
        """Run ``action`` once staff have entered the PIN again (at once without a PIN, in a
        window)."""
        if self.guard is None:
            action()
            return
        self._pending = action
        self.pin_pad.ask(self.guard)

    def _pin_accepted(self) -> None:
        action, self._pending = self._pending, None
        if action is not None:
            action()
        else:
            self.open_panel()

    def _pin_cancelled(self) -> None:
        self._pending = None

    def open_panel(self) -> None:
        self.refresh_panel()
        self.panel.open()
        for hook in self.opened:
            hook()

    def refresh_panel(self) -> None:
        """The panel's status as it is now (whether it shows or not)."""
        status, problems = self.status()
        shown = self.version()
        self.panel.show_status(status, problems, f"Version {__version__}. Log: {log_dir()}",
                               shown[0] if shown else None, bool(shown and shown[1]))

    def is_open(self) -> bool:
        return bool(self._pin_pad and self._pin_pad.isVisible()
                    or self._panel and self._panel.isVisible())

    def panel_is_open(self) -> bool:
        return self._panel is not None and self._panel.isVisible()

    def close(self) -> None:
        self._pending = None
        if self._pin_pad is not None and self._panel is not None:
            self._pin_pad.cancel()
            self._panel.hide()

    def style_for(self, m: Metrics) -> None:
        self._metrics = m
        if self._pin_pad is None or self._panel is None:
            return  # styled when made
        staff = Metrics.for_size(m.width, m.height)  # staff panels: standard size
        for overlay in (self._pin_pad, self._panel):
            overlay.style_for(LIGHT, staff)
            # Its own sizes: the patient's text size is not the staff's.
            overlay.setStyleSheet(window_stylesheet(LIGHT, staff))
