"""Log records to the systemd journal with fields IT can filter on, in plain Python.

Under systemd (``JOURNAL_STREAM`` set) the kiosk sends each record over the journal's native
socket (one datagram, systemd's "native protocol") instead of as a line on stderr, so that
events carry structured fields: ``CLINIC_KIOSK_EVENT=content_applied`` (or
``content_refused``, ``content_imported``, ``content_undone``, ``alert_delivered``,
``alert_failed``) and a few more (``CLINIC_KIOSK_VERSION=``, ``CLINIC_KIOSK_HOST=``), so that

    journalctl -u clinic-kiosk CLINIC_KIOSK_EVENT=alert_failed

lists exactly those. A record says which event it is with ``extra={"journal": {"event":
..., ...}}``. Never any patient detail (kiosk/logsetup.py). If the socket cannot be reached
the record goes to stderr as before.
"""

from __future__ import annotations

import logging
import os
import socket
import struct
import sys
from collections.abc import Mapping

SOCKET = "/run/systemd/journal/socket"
IDENTIFIER = "clinic-kiosk"
_PRIORITY = {logging.CRITICAL: 2, logging.ERROR: 3, logging.WARNING: 4, logging.INFO: 6,
             logging.DEBUG: 7}


def socket_path() -> str:
    return os.environ.get("KIOSK_JOURNAL_SOCKET", SOCKET)  # the tests name their own


def usable() -> bool:
    """Running under systemd with its journal socket there."""
    return "JOURNAL_STREAM" in os.environ and os.path.exists(socket_path())


def field(key: str, value: str) -> bytes:
    """One field of the native protocol (a value with a newline is sent with its length)."""
    data = value.encode("utf-8", "replace")
    if b"\n" in data:
        return key.encode() + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
    return key.encode() + b"=" + data + b"\n"


def datagram(record: logging.LogRecord, message: str) -> bytes:
    fields = {"MESSAGE": message,
              "PRIORITY": str(_PRIORITY.get(record.levelno, 6)),
              "SYSLOG_IDENTIFIER": IDENTIFIER,
              "CLINIC_KIOSK_LOGGER": record.name}
    extra = getattr(record, "journal", None)
    if isinstance(extra, Mapping):
        for key, value in extra.items():
            name = "CLINIC_KIOSK_" + "".join(c if c.isalnum() else "_" for c in str(key)).upper()
            fields[name] = str(value)
    return b"".join(field(k, v) for k, v in fields.items())


class JournalHandler(logging.Handler):
    def __init__(self, path: str | None = None) -> None:
        super().__init__()
        self.path = path or socket_path()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = self.format(record)
            self.sock.sendto(datagram(record, message), self.path)
        except OSError:  # the journal is gone (or the record is too big): stderr, as before
            try:
                sys.stderr.write(f"{record.levelname} {record.name}: {record.getMessage()}\n")
            except (OSError, ValueError):
                pass

    def close(self) -> None:
        self.sock.close()
        super().close()
