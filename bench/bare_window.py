"""The floor: the least a PySide6 program does to show the kiosk's first screen.

What it does, all of it:

1. imports PySide6's QtCore and QtWidgets (nothing of the kiosk, no YAML, no Markdown);
2. reads the six topic titles from the front matter of the bundled pages,
   ``kiosk/content/en/*.md`` (or the folder given as its one argument), with plain string
   operations: the text between the first two ``---`` lines, the line that starts with
   ``title:``;
3. shows one 1280x720 window (the kiosk's windowed size) with the six titles as six
   QPushButtons in a QVBoxLayout;
4. at the window's first paint prints ``KIOSK_READY <time.monotonic_ns()>``, and, when
   ``KIOSK_REPORT_READY=quit``, ends there with ``os._exit(0)``.

``bench/bench.py`` measures it exactly as it measures the kiosk: the same Python, the same
environment and display, from compiled bytecode (it runs ``python -m bare_window`` from
``bench/`` after ``compileall``, as the kiosk runs ``python -m kiosk``), the same ready line
printed the same way (an event filter on the top-level window, then a zero timer), counted
to that line and no further.

Run it alone: ``python bench/bare_window.py [FOLDER]``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget

PAGES = Path(__file__).resolve().parent.parent / "kiosk" / "content" / "en"


def titles(folder: Path) -> list[str]:
    """The ``title:`` line of each page's front matter, pages in file-name order."""
    found = []
    for path in sorted(folder.glob("*.md")):
        front_matter = path.read_text(encoding="utf-8").split("---", 2)[1]
        for line in front_matter.splitlines():
            if line.startswith("title:"):
                found.append(line[len("title:"):].strip())
    return found


class Ready(QObject):
    """Prints the ready line once the window has painted and the loop takes input."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.ready)
        return False

    def ready(self) -> None:
        print(f"KIOSK_READY {time.monotonic_ns()}", flush=True)
        if os.environ.get("KIOSK_REPORT_READY") == "quit":  # bench: count to here, no more
            os._exit(0)


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else PAGES
    app = QApplication(sys.argv[:1])
    window = QWidget()
    layout = QVBoxLayout(window)
    for title in titles(folder):
        layout.addWidget(QPushButton(title))
    window.resize(1280, 720)
    window.installEventFilter(Ready(window))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
