"""Logging for a kiosk that runs for months: a rotating file and stderr (the journal).

Nothing a patient taps or answers is ever logged: the kiosk logs content problems,
reloads, resets and errors, never what was chosen.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from kiosk.config import APP_NAME

LOG_FILE = "kiosk.log"
MAX_BYTES, BACKUPS = 1_000_000, 5  # kiosk.log and kiosk.log.1 ... .5: 6 MB at most


class RotatingFile(logging.FileHandler):
    """kiosk.log, rolled over to kiosk.log.1 (and .2 ... .5) when it passes ``max_bytes``.

    The same as logging.handlers.RotatingFileHandler for our one use, without loading
    logging.handlers (and the socket, pickle and queue modules it brings) at every start.
    """

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        super().__init__(path, encoding="utf-8", delay=False)
        self.max_bytes, self.backups = max_bytes, backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() >= self.max_bytes:
                self._roll_over()
        except (OSError, ValueError):
            self.handleError(record)
        super().emit(record)

    def _roll_over(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # reopened below, as the base class does
        base = self.baseFilename
        for n in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        if os.path.exists(base):
            os.replace(base, f"{base}.1")
        self.stream = self._open()


class _Early(logging.Handler):
    """Keeps the records logged before the log file is opened, to write them into it."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < 10_000:
            self.records.append(record)


def log_dir() -> Path:
    import platformdirs

    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def setup_logging(level: int = logging.INFO, to_file: bool = True,
                  later: bool = False) -> Path | None:
    """Log to stderr and, if it can, to a rotating file; returns the file's path.

    ``later``: the file is opened by ``open_log_file()`` (the kiosk calls it after its first
    paint); what is logged before then is kept and written into it first."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    under_systemd = "JOURNAL_STREAM" in os.environ or "INVOCATION_ID" in os.environ
    stream: logging.Handler
    if "JOURNAL_STREAM" in os.environ and _journal_usable():
        # Straight to the journal, with fields IT can filter on (kiosk/journal.py).
        from kiosk.journal import JournalHandler

        stream = JournalHandler()
        stream.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    else:
        stream = logging.StreamHandler(sys.stderr)
        # The journal stamps each line itself.
        stream.setFormatter(logging.Formatter(
            "%(levelname)s %(name)s: %(message)s" if under_systemd
            else "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(stream)
    if not to_file:
        return None
    if later:
        root.addHandler(_Early())
        return None
    return open_log_file()


def _journal_usable() -> bool:
    from kiosk.journal import usable

    return usable()


def open_log_file() -> Path | None:
    """Add the rotating log file to the root logger, with any records kept until now."""
    root = logging.getLogger()
    early = [h for h in root.handlers if isinstance(h, _Early)]
    for h in early:
        root.removeHandler(h)
    for handler in root.handlers:
        if isinstance(handler, RotatingFile):  # already open
            return Path(handler.baseFilename)
    path = log_dir() / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFile(path)
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write the log file %s: %s", path, exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for h in early:
        for record in h.records:
            handler.handle(record)
    root.addHandler(handler)
    return path
