"""Live content: watch the content folder, reload in the background, report what loaded.

The window decides when to show new content (never under a patient who is reading) and
keeps the last good content when a reload has errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kiosk.model import Loaded
from kiosk.pages import load_rendered
from kiosk.ui.parts import in_background

log = logging.getLogger(__name__)

DEBOUNCE_MS = 700  # an editor's save is often several writes; wait for them to settle


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``root`` (empty if it is gone)."""
    out: dict[str, tuple[int, int]] = {}
    try:
        for path in root.rglob("*"):
            try:
                st = path.stat()
            except OSError:
                continue
            out[str(path)] = (st.st_size, st.st_mtime_ns)
    except OSError:
        pass
    return out


class ContentWatcher(QObject):
    """Emits ``loaded`` with each completed reload of a settled content folder."""

    loaded = Signal(object)

    def __init__(self, root: Path, language: str, parent: QObject | None = None,
                 loader: Callable[[Path, str], Loaded] = load_rendered,
                 resolve: Callable[[], Path] | None = None, store: Path | None = None) -> None:
        """``resolve``: what the live folder is now (an import or an undo changes it);
        ``store``: the folder of imported versions, watched for that change."""
        super().__init__(parent)
        self.root = Path(root)
        self.resolve = resolve
        self.store = store
        self.language = language
        self.loader = loader
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self.schedule)
        self.watcher.fileChanged.connect(self.schedule)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.reload_now)
        self._busy = False
        self._again = False
        self.watch()

    def watch(self) -> None:
        """(Re)watch the folder, every subfolder and file; while it is gone, its parent."""
        old = self.watcher.files() + self.watcher.directories()
        if old:
            self.watcher.removePaths(old)
        paths: list[str] = []
        if self.store is not None:  # state.json is replaced there by an import or undo
            try:
                self.store.mkdir(parents=True, exist_ok=True)
                paths.append(str(self.store))
            except OSError as exc:
                log.warning("cannot watch %s for imported content (%s)", self.store, exc)
        if self.root.is_dir():
            paths.append(str(self.root))
            paths += [str(p) for p in self.root.rglob("*") if not p.name.startswith(".")]
        elif self.root.parent.is_dir():
            paths.append(str(self.root.parent))  # to see the folder come back
        if paths:
            self.watcher.addPaths(paths)

    def schedule(self, *_changed: str) -> None:
        self.debounce.start()

    def reload_now(self) -> None:
        if self._busy:
            self._again = True
            return
        self._busy = True
        # On a worker thread; the result is dropped if this watcher has gone meanwhile.
        # There too, the live folder is looked up again: an import or an undo changes it.
        root, language, loader, resolve = self.root, self.language, self.loader, self.resolve
        in_background(self, lambda: _load(resolve() if resolve else root, language, loader),
                      self._finished)

    def _finished(self, result: tuple[Path, Loaded | None, bool]) -> None:
        self.root, loaded, settled = result
        self._busy = False
        self.watch()
        if self._again or not settled:
            # Files changed while we read them (an editor still saving): read again later.
            self._again = False
            self.schedule()
            return
        if loaded is not None:
            self.loaded.emit(loaded)


def _load(root: Path, language: str,
          loader: Callable[[Path, str], Loaded]) -> tuple[Path, Loaded | None, bool]:
    """Runs on the worker thread: the folder read, its content, and whether the folder held
    still meanwhile."""
    try:
        before = snapshot(root)
        loaded = loader(root, language)
        return root, loaded, snapshot(root) == before
    except Exception:  # never let a reload take anything down
        log.exception("reloading the content failed")
        return root, None, True
