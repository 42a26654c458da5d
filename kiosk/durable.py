"""Small files replaced so that a power cut leaves the old file or the new one, never neither.

The pattern: write a temporary file beside the real one, ``fsync`` it, ``os.replace`` it over
the real one, then ``fsync`` the folder so the rename itself is on disk (POSIX; Windows has no
way to sync a folder and commits the rename with the file system's own journal). Used for every
state file the kiosk writes (the config's PIN hash, the PIN lockout); SQLite does the same for
the usage counts, and the log rotates its own files.
"""

from __future__ import annotations

import os
from pathlib import Path


def sync_folder(folder: Path) -> None:
    """Make the names in ``folder`` (a rename, a new file) survive a power cut. POSIX only."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, text: str, mode: int,
                  owner: tuple[int, int] | None = None) -> None:
    """Replace ``path`` with ``text`` through a new file created with ``mode`` from the start
    (never the default mode, then a chmod): the new file synced, renamed over the old one, and
    the folder synced, so after a power cut ``path`` holds the old text or the new, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink()  # left by a crash
    except FileNotFoundError:
        pass
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)  # the umask may have taken away more than wanted
        if owner is not None and hasattr(os, "fchown"):
            try:
                os.fchown(fd, *owner)
            except PermissionError:
                pass
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            fd = -1
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    sync_folder(path.parent)
