"""Logging for a kiosk that runs for months: a rotating file and stderr (the journal).

Nothing a patient taps or answers is ever logged: the kiosk logs content problems,
reloads, resets and errors, never what was chosen.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

import platformdirs

from kiosk.config import APP_NAME

LOG_FILE = "kiosk.log"


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def setup_logging(level: int = logging.INFO, to_file: bool = True) -> Path | None:
    """Log to stderr and, if it can, to a rotating file; returns the file's path."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    under_systemd = "JOURNAL_STREAM" in os.environ or "INVOCATION_ID" in os.environ
    stream = logging.StreamHandler(sys.stderr)
    # The journal stamps each line itself.
    stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s" if under_systemd
                                          else "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(stream)
    if not to_file:
        return None
    path = log_dir() / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                                       encoding="utf-8")
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write the log file %s: %s", path, exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
