"""Staff access: the PIN pad and the staff panel, opened by the hidden corner gesture."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from kiosk import __version__
from kiosk.logsetup import log_dir
from kiosk.pin import PinGuard, is_valid_hash
from kiosk.theme import LIGHT, Metrics
from kiosk.ui.overlays import PinPad, StaffPanel
from kiosk.ui.style import window_stylesheet

log = logging.getLogger(__name__)


def pin_guard(pin_hash: str, attempts: int, lockout_minutes: int,
              state_path: Path | None = None) -> PinGuard | None:
    """The PIN check from the config's hash; None (no staff panel) if there is none.
    ``state_path`` keeps the lockout across restarts (see kiosk.pin)."""
    if pin_hash and not is_valid_hash(pin_hash):
        log.error("staff_pin_hash in the config is not a hash written by 'kiosk set-pin'; "
                  "the staff panel is off")
        return None
    if not pin_hash:
        return None
    return PinGuard(pin_hash, attempts, 60.0 * lockout_minutes, state_path=state_path)


class StaffAccess:
    """The PIN pad (when a PIN is set) in front of the staff panel."""

    def __init__(self, window: QWidget, guard: PinGuard | None, open_without_pin: bool,
                 status: Callable[[], tuple[str, list[str]]]) -> None:
        self.guard = guard
        self.open_without_pin = open_without_pin
        self.status = status
        self.pin_pad = PinPad(window)
        self.pin_pad.accepted.connect(self.open_panel)
        self.panel = StaffPanel(window)

    def gesture(self) -> None:
        """Five taps in the corner: the PIN pad, or (windowed, no PIN) the panel itself."""
        if self.guard is not None:
            self.pin_pad.ask(self.guard)
        elif self.open_without_pin:
            self.open_panel()

    def open_panel(self) -> None:
        status, problems = self.status()
        self.panel.show_status(status, problems, f"Version {__version__}. Log: {log_dir()}")
        self.panel.open()

    def is_open(self) -> bool:
        return self.pin_pad.isVisible() or self.panel.isVisible()

    def close(self) -> None:
        self.pin_pad.cancel()
        self.panel.hide()

    def style_for(self, m: Metrics) -> None:
        staff = Metrics.for_size(m.width, m.height)  # staff panels: standard size
        for overlay in (self.pin_pad, self.panel):
            overlay.style_for(LIGHT, staff)
            # Its own sizes: the patient's text size is not the staff's.
            overlay.setStyleSheet(window_stylesheet(LIGHT, staff))
