"""Content versions on the kiosk's own disk: what staff imported, which one is live, undo.

Staff updates (``kiosk import``, the staff panel's USB import) never write into the content
folder the kiosk was installed with (``content_dir`` in the config: the bundled pages, or the
folder IT's git sync fills). They go into a store of whole versions beside the kiosk's other
data, and the live content is the store's current version when there is one, else
``content_dir``::

    <store>/versions/<id>/         one whole content folder, never changed once written
    <store>/versions/<id>.json     when it was made, from where, a short summary
    <store>/staging/               copies being made (left over after a crash: removed)
    <store>/live/state.json        {"current": id or null, "history": [older ids, newest first]}

Applying a version is one ``os.replace`` of ``state.json`` after the version's every file has
been synced: a power cut at any moment leaves the old state or the new one, so patients see
the old content or the new, never a mix. Undo is the same step backwards; undoing the first
import goes back to ``content_dir``. The last ``KEEP`` versions are kept. Plain Python: the
kiosk's window only watches ``state.json`` (kiosk/ui/live.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple

from kiosk.durable import sync_folder, write_private

log = logging.getLogger(__name__)

KEEP = 5  # versions kept: the live one and the four before it (the issue asks for 3 or more)
STATE_FILE = "state.json"
STATE_FOLDER = "live"  # holds only state.json: what a running kiosk watches


def default_store() -> Path:
    """Where the versions live by default: the platform's data folder for the kiosk."""
    import platformdirs

    from kiosk.config import APP_NAME

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "content-versions"


class Version(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    """One imported content version, as its version.json says."""

    id: str
    created: str  # ISO date and time, local, to the second
    summary: str  # one line: what changed ("2 pages changed in es, 1 added in en")
    source: str  # where it came from (a stick's folder, a path)
    files: int

    def describe(self) -> str:
        return f"{self.id} ({self.created.replace('T', ' ')}): {self.summary}"


@dataclass
class State:
    """What the kiosk shows: the current version (None: the installed folder), and the one
    before it."""

    current: str | None = None
    history: list[str] = field(default_factory=list)  # applied before current, newest first


class StoreError(Exception):
    """Something a person must be told: the store could not do what was asked."""


class Store:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- reading ---------------------------------------------------------------------------
    @property
    def state_path(self) -> Path:
        return self.root / STATE_FOLDER / STATE_FILE

    @property
    def watched(self) -> Path:
        """The folder a running kiosk watches: it changes only when a version is applied or
        undone (copies in progress are made elsewhere in the store)."""
        return self.root / STATE_FOLDER

    def state(self) -> State:
        """The state as last written; an unreadable or damaged file counts as no imports (and
        is logged), so the kiosk falls back to the content it was installed with."""
        try:
            raw = json.loads(self.state_path.read_text("utf-8"))
        except FileNotFoundError:
            return State()
        except (OSError, ValueError) as exc:
            log.error("%s cannot be read (%s); showing the installed content", self.state_path,
                      exc)
            return State()
        current = raw.get("current") if isinstance(raw, dict) else None
        history = raw.get("history") if isinstance(raw, dict) else None
        ids = [i for i in history if isinstance(i, str)] if isinstance(history, list) else []
        return State(current if isinstance(current, str) else None,
                     [i for i in ids if self._folder(i).is_dir()])

    def current(self) -> Version | None:
        state = self.state()
        return self.version(state.current) if state.current else None

    def live(self, installed: Path) -> Path:
        """The folder patients see: the current version's, else ``installed``."""
        state = self.state()
        if state.current:
            folder = self._folder(state.current)
            if folder.is_dir():
                return folder
            log.error("the current content version %s is missing from %s; showing the "
                      "installed content", state.current, self.root)
        return Path(installed)

    def before(self, installed: Path) -> Path | None:
        """The folder undo would go back to (None when nothing was imported): what a proof
        marks changes against."""
        state = self.state()
        if state.current is None:
            return None
        return self._folder(state.history[0]) if state.history else Path(installed)

    def version(self, version_id: str) -> Version | None:
        try:
            raw = json.loads((self.root / "versions" / f"{version_id}.json").read_text("utf-8"))
            return Version(**{k: raw[k] for k in Version._fields})
        except (OSError, ValueError, KeyError, TypeError):
            if self._folder(version_id).is_dir():
                return Version(version_id, "", "(no description)", "", 0)
            return None

    def versions(self) -> list[Version]:
        """The current version, then the ones undo goes back to, newest first."""
        state = self.state()
        ids = ([state.current] if state.current else []) + state.history
        return [v for v in (self.version(i) for i in ids) if v is not None]

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A new empty folder to copy a version into; removed afterwards unless ``commit``
        moved it into the store."""
        folder = self.new_staging()
        try:
            yield folder
        finally:
            self.discard(folder)

    def new_staging(self) -> Path:
        """A new empty folder to copy a version into (``discard`` it, or ``commit`` it).
        Staging left over by a crash, or by a preview nobody finished, is removed first."""
        base = self.root / "staging"
        with self._locked():
            if base.is_dir():
                for old in base.iterdir():
                    shutil.rmtree(old, ignore_errors=True)
            base.mkdir(parents=True, exist_ok=True)
        import secrets  # only when a version is made, not at every start

        folder = base / secrets.token_hex(6)
        folder.mkdir()
        return folder

    @staticmethod
    def discard(folder: Path) -> None:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)

    def commit(self, staged: Path, summary: str, source: str) -> Version:
        """Make a staged folder a version and apply it: its files synced, the folder moved
        into ``versions/``, then ``state.json`` replaced in one step."""
        now = dt.datetime.now().replace(microsecond=0)
        import secrets

        version_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        files = _sync_tree(staged)
        with self._locked():
            versions = self.root / "versions"
            versions.mkdir(parents=True, exist_ok=True)
            folder = self._folder(version_id)
            os.replace(staged, folder)
            version = Version(version_id, now.isoformat(), summary, source, files)
            write_private(versions / f"{version_id}.json",
                          json.dumps(version._asdict(), ensure_ascii=False, indent=1), 0o644)
            sync_folder(versions)
            state = self.state()
            history = ([state.current] if state.current else []) + state.history
            self._write_state(State(version_id, history[:KEEP - 1]))
            self._prune()
        log.info("content version %s applied: %s (from %s)", version_id, summary, source,
                 extra={"journal": {"event": "content_imported", "version": version_id}})
        return version

    def undo(self) -> Version | None:
        """Go back to the version applied before the current one; the installed content if
        there was none. Returns the version now live (None: the installed content)."""
        with self._locked():
            state = self.state()
            if state.current is None:
                raise StoreError("there is no imported content to undo: the kiosk shows the "
                                 "content it was installed with")
            back = state.history[0] if state.history else None
            self._write_state(State(back, state.history[1:]))
            log.info("content update %s undone; now showing %s", state.current,
                     back or "the installed content",
                     extra={"journal": {"event": "content_undone", "version": back or ""}})
        return self.version(back) if back else None

    # -- inside ----------------------------------------------------------------------------
    def _folder(self, version_id: str) -> Path:
        if not version_id or "/" in version_id or "\\" in version_id or \
                version_id.startswith("."):
            return self.root / "versions" / "_invalid_"
        return self.root / "versions" / version_id

    def _write_state(self, state: State) -> None:
        write_private(self.state_path, json.dumps(asdict(state), indent=1) + "\n", 0o644)

    def _prune(self) -> None:
        """Delete versions no longer reachable by undo (and their descriptions)."""
        state = self.state()
        keep = {i for i in [state.current, *state.history] if i}
        versions = self.root / "versions"
        for entry in versions.iterdir():
            name = entry.name.removesuffix(".json")
            if name not in keep:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time (the staff panel and a command at once): an advisory lock."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as handle:
            try:
                import fcntl
            except ImportError:  # Windows: one kiosk, one writer in practice
                yield
                return
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _sync_tree(folder: Path) -> int:
    """fsync every file and folder under ``folder``; returns the number of files."""
    files = 0
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            with open(path, "rb") as f:
                os.fsync(f.fileno())
            files += 1
        sync_folder(Path(dirpath))
    return files
