"""systemd's notify protocol (sd_notify) in plain Python: READY=1, WATCHDOG=1, STOPPING=1.

One datagram per message to the unix socket named by ``$NOTIFY_SOCKET`` (a path, or
``@name`` for the abstract namespace). When the kiosk is not run by a ``Type=notify`` unit
the variable is unset and every call returns at once, doing nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded only when systemd asks for notifications
    import socket


class Notifier:
    """Sends state lines to systemd; a no-op without ``NOTIFY_SOCKET``."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        path = env.get("NOTIFY_SOCKET", "")
        self.address = "\0" + path[1:] if path.startswith("@") else path
        self._socket: socket.socket | None = None
        self.error = ""
        # The ping interval the unit asks for (WatchdogSec=), in microseconds. systemd also
        # sets WATCHDOG_PID to its main process, which under cage is cage, not the kiosk
        # (its child); the unit's NotifyAccess=all lets the child ping, so the PID is not
        # compared with ours as sd_watchdog_enabled() would.
        watchdog = env.get("WATCHDOG_USEC", "").strip()
        self.watchdog_usec = int(watchdog) if watchdog.isdigit() else 0

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def send(self, *lines: str) -> bool:
        """Send ``KEY=VALUE`` lines in one datagram; True if systemd got it."""
        if not self.address:
            return False
        try:
            if self._socket is None:
                import socket

                self._socket = socket.socket(socket.AF_UNIX,
                                             socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto("\n".join(lines).encode(), self.address)
        except OSError as exc:
            self.error = f"cannot notify systemd at {self.address!r}: {exc}"
            return False
        return True

    def ready(self, status: str = "") -> bool:
        return self.send("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        return self.send("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.send("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
