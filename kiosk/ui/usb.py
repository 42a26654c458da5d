"""The staff panel's USB stick: copy the content to a stick, update from one with a preview,
undo the last update. Behind the staff PIN; nothing happens until staff ask.

A thin layer over kiosk/transfer.py and kiosk/store.py: every file operation runs on a worker
thread (a slow stick never freezes the screen), progress is read from a counter the worker
fills, and applying or undoing asks for the PIN again. A stick plugged in changes nothing by
itself: it is looked for only when staff tap a button here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.config import Config
from kiosk.store import Store, StoreError
from kiosk.theme import LIGHT, Metrics, Theme
from kiosk.transfer import Staged, export, find_top, stage, sticks, with_content
from kiosk.ui.overlays import Overlay
from kiosk.ui.pageview import PageView
from kiosk.ui.parts import in_background
from kiosk.ui.widgets import button, label, scroll_area

log = logging.getLogger(__name__)

NO_STICK = ("No USB stick was found. Plug it in, wait a few seconds, and tap the button "
            "again.")
NO_CONTENT = ("The USB stick has no clinic-kiosk-content folder. Copy the content to it "
              "first (\"Copy content to a USB stick\"), edit the pages there, then update.")
REMOVE = "You can remove the stick now."
PROOF_NAME = "clinic-kiosk-proof.pdf"


class UsbPanel(Overlay):
    """What a USB update would change, its problems, the changed pages; apply or cancel."""

    for_patients = False

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # staff's, in English
        self.widest = 1100
        self.heading = label("USB stick", "Title")
        self.status = label("")
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setObjectName("Muted")
        self.page = PageView()
        self.page_title = label("", "Heading")
        self.area = scroll_area()
        holder = QWidget()
        from PySide6.QtWidgets import QVBoxLayout

        inner = QVBoxLayout(holder)
        inner.addWidget(self.details)
        inner.addWidget(self.page_title)
        inner.addWidget(self.page)
        inner.addStretch(1)
        self.area.setWidget(holder)
        for w in (self.heading, self.status):
            self.card_layout.addWidget(w)
        self.card_layout.addWidget(self.area, 1)
        row = QHBoxLayout()
        self.pages_button = button("See the changed pages")
        self.apply_button = button("Apply with PIN", primary=True)
        self.close_button = button("Cancel")
        row.addWidget(self.pages_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        row.addWidget(self.apply_button)
        self.card_layout.addLayout(row)

    def style_for(self, theme: Theme, m: Metrics) -> None:
        super().style_for(theme, m)
        self.card.setFixedHeight(max(300, m.height - 2 * m.gap))

    def say(self, heading: str, status: str, details: str = "", can_apply: bool = False,
            pages: bool = False, done: bool = False) -> None:
        self.heading.setText(heading)
        self.status.setText(status)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.page_title.hide()
        self.page.hide()
        self.apply_button.setVisible(can_apply)
        self.pages_button.setVisible(pages)
        self.close_button.setText("Close" if done or not can_apply else "Cancel")
        self.open()


class UsbFlow(QObject):
    """The staff panel's USB actions for one window."""

    def __init__(self, window: Any, config: Config,
                 confirm: Callable[[Callable[[], None]], None]) -> None:
        """``config``: the kiosk's own config (its store and sticks); ``confirm``: run an
        action once staff have entered the PIN again."""
        super().__init__(window)
        self.window = window
        self.config = config
        self.confirm = confirm
        self.store = Store(config.store_dir)
        self.panel = UsbPanel(window)
        self.panel.close_button.clicked.connect(self.close)
        self.panel.apply_button.clicked.connect(self.apply)
        self.panel.pages_button.clicked.connect(self.next_page)
        self.staged: Staged | None = None
        self.busy = False
        self._progress = [0, 0]
        self._page = -1
        self._ticker = QTimer(self)
        self._ticker.setInterval(200)
        self._ticker.timeout.connect(self._show_progress)
        self._doing = ""

    def style_for(self, m: Metrics) -> None:
        from kiosk.ui.style import window_stylesheet

        staff = Metrics.for_size(m.width, m.height)
        self.panel.style_for(LIGHT, staff)
        self.panel.setStyleSheet(window_stylesheet(LIGHT, staff))

    # -- what staff tap --------------------------------------------------------------------
    def update_from_stick(self) -> None:
        """Find a stick with an export, copy and check it; show what it would change."""
        if self.busy:
            return
        self._start("Update from a USB stick", "Looking for the USB stick…")
        roots, live, language = self.config.stick_roots, self.config.live_content(), \
            self.config.language
        store, progress = self.store, self._progress

        def work() -> tuple[str, Staged | None]:
            found = with_content(sticks(roots))
            if not found:
                return (NO_CONTENT if sticks(roots) else NO_STICK), None
            folder = store.new_staging()
            try:
                return "", stage(found[0], folder, live, language,
                                 lambda done, total: progress.__setitem__(
                                     slice(0, 2), [done, total]))
            except OSError as exc:
                store.discard(folder)
                return f"The stick could not be read ({exc}). Nothing was changed.", None

        in_background(self, work, self._staged)

    def copy_to_stick(self) -> None:
        if self.busy:
            return
        self._start("Copy content to a USB stick", "Looking for the USB stick…")
        roots, live, progress = self.config.stick_roots, self.config.live_content(), \
            self._progress

        def work() -> str:
            found = sticks(roots)
            if not found:
                return NO_STICK
            try:
                done = export(live, found[0], lambda d, t: progress.__setitem__(
                    slice(0, 2), [d, t]))
            except OSError as exc:
                return f"The content could not be copied to {found[0]} ({exc}). Try again."
            log.info("content exported to %s (%d files)", done.folder, done.files)
            return (f"Copied {done.files} files to {done.folder}. Edit the pages there on any "
                    f"computer, then use \"Update from a USB stick\". {REMOVE}")

        in_background(self, work, lambda said: self._finish("Copy content to a USB stick",
                                                             said))

    def proof_to_stick(self) -> None:
        """Write the sign-off proof PDF (``kiosk proof``) to the stick, in a child process:
        a long document laid out and printed never holds the screen up."""
        if self.busy:
            return
        self._start("Write a proof to sign", "Looking for the USB stick…")
        roots, source, config, store = self.config.stick_roots, self.config.source, \
            self.config, self.store

        def work() -> str:
            import os
            import subprocess
            import sys

            found = sticks(roots)
            if not found:
                return NO_STICK
            out = found[0] / PROOF_NAME
            # What patients see, marked against what undo would go back to.
            command = [sys.executable, "-m", "kiosk", "proof", str(config.live_content()),
                       "-o", str(out)]
            since = store.before(config.content_dir)
            if since is not None:
                command += ["--since", str(since)]
            if source is not None:
                command += ["--config", str(source)]
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
            try:
                done = subprocess.run(command, capture_output=True, text=True, env=env,
                                      timeout=600)
            except (OSError, subprocess.TimeoutExpired) as exc:
                return f"The proof could not be made ({exc})."
            if not out.is_file():
                log.error("kiosk proof failed: %s", done.stderr[-2000:])
                return "The proof could not be made; the log says why."
            log.info("proof written to %s", out)
            return (f"Wrote {out}: every page and the self-check, with a place to sign. Print "
                    f"it on any computer. {REMOVE}")

        in_background(self, work, lambda said: self._finish("Write a proof to sign", said))

    def undo(self) -> None:
        if self.busy:
            return
        store = self.store

        def work() -> str:
            try:
                now = store.undo()
            except StoreError as exc:
                return str(exc).capitalize() + "."
            return ("Undone. Patients now see " + (f"version {now.describe()}." if now
                                                   else "the content the kiosk was installed "
                                                   "with."))

        def run() -> None:
            self._start("Undo the last update", "Undoing…")
            in_background(self, work, lambda said: self._finish("Undo the last update", said))

        self.confirm(run)

    def apply(self) -> None:
        staged = self.staged
        if staged is None or not staged.can_apply or self.busy:
            return
        store = self.store

        def work() -> str:
            version = store.commit(staged.folder, staged.changes.summary(),
                                   str(find_top(staged.source)))
            return (f"Updated: version {version.describe()}. Patients see it from their next "
                    f"home screen. {REMOVE}")

        def run() -> None:
            self.staged = None  # moved into the store: not discarded on close
            self._start("Update from a USB stick", "Applying…")
            in_background(self, work, lambda said: self._finish("Update from a USB stick",
                                                                said))

        self.confirm(run)

    def close(self) -> None:
        if self.busy:
            return
        if self.staged is not None:
            Store.discard(self.staged.folder)
            self.staged = None
        self.panel.hide()

    def next_page(self) -> None:
        """Show the next changed page as patients will see it (the staged copy, rendered)."""
        staged = self.staged
        if staged is None:
            return
        pages = [r for r in staged.changes.added + staged.changes.changed if r.endswith(".md")]
        if not pages:
            return
        self._page = (self._page + 1) % len(pages)
        rel = pages[self._page]
        folder, language = staged.folder, self.config.language
        self.panel.page_title.setText(f"{rel} ({self._page + 1} of {len(pages)}), as patients "
                                      "will see it")
        self.panel.page_title.show()
        self.panel.pages_button.setText("Next changed page")
        # Read and rendered on a worker: the kiosk's own card may be slow.
        in_background(self, lambda: _render(folder, language, rel), self._show_page)

    def _show_page(self, result: tuple[Any, Path] | None) -> None:
        panel = self.panel
        if result is None or self.staged is None:
            panel.page.hide()
            return
        from kiosk.render import stylesheet

        page, root = result
        m = panel.metrics
        panel.page.show_page(page.html, stylesheet(LIGHT, m.body), root, m.body, page.pictures)
        panel.page.show()
        QTimer.singleShot(0, lambda: panel.area.ensureWidgetVisible(panel.page_title))

    # -- inside ----------------------------------------------------------------------------
    def _start(self, heading: str, status: str) -> None:
        self.busy = True
        self._progress[:] = [0, 0]
        self._doing = status
        self._page = -1
        self.panel.pages_button.setText("See the changed pages")
        self.panel.say(heading, status)
        self.panel.close_button.setEnabled(False)
        self._ticker.start()

    def _show_progress(self) -> None:
        done, total = self._progress
        if total:
            self.panel.status.setText(f"Copying: {done} of {total} files…")

    def _finish(self, heading: str, said: str) -> None:
        self.busy = False
        self._ticker.stop()
        self.panel.close_button.setEnabled(True)
        self.panel.say(heading, said, done=True)

    def _staged(self, result: tuple[str, Staged | None]) -> None:
        self.busy = False
        self._ticker.stop()
        self.panel.close_button.setEnabled(True)
        said, staged = result
        heading = "Update from a USB stick"
        if staged is None:
            self.panel.say(heading, said, done=True)
            return
        self.staged = staged
        lines = []
        for kind, paths in (("added", staged.changes.added), ("changed", staged.changes.changed),
                            ("removed", staged.changes.removed)):
            for rel in paths:
                edited = " (edited since it was copied to the stick)" \
                    if rel in staged.edited else ""
                lines.append(f"{kind}: {rel}{edited}")
        shown = staged.worth_showing()
        lines += [""] * bool(shown) + [str(p) for p in shown]
        errors = len(staged.errors)
        log.info("USB update from %s checked: %s; %d error(s)", find_top(staged.source),
                 staged.changes.summary(), errors)
        if errors:
            log.warning("USB update refused: %s", staged.errors[0])
            status = (f"{errors} error(s) on the stick: nothing can be applied, and patients "
                      "keep seeing the content they see now. Fix the files named below.")
        elif not staged.changes:
            status = "The stick holds the same content as the kiosk: nothing to update."
        else:
            status = (f"From {find_top(staged.source)}: {staged.changes.summary()}. Nothing "
                      "changes for patients until you apply it.")
        pages = any(r.endswith(".md") for r in staged.changes.added + staged.changes.changed)
        self.panel.say(heading, status, "\n".join(lines), can_apply=staged.can_apply,
                       pages=pages and not errors)
        if not staged.can_apply:
            Store.discard(staged.folder)
            self.staged = None


def _render(folder: Path, language: str, rel: str) -> tuple[Any, Path] | None:
    """The staged page ``rel`` rendered as the kiosk renders it (on a worker thread)."""
    from kiosk.model import load_content
    from kiosk.render import render_topic

    content = load_content(folder, language).content
    code, _, name = rel.partition("/")
    if content is None or code not in content.languages:
        return None
    lang = content.language(code)
    topic = next((t for t in lang.topics if t.path.name == name), None)
    if topic is None:
        return None
    return render_topic(topic, lang, content.root), content.root
