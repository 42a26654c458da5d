"""The floor: a bare PySide6 window showing one rendered Markdown page, nothing else.

bench.py starts this exactly as it starts the kiosk and waits for the same ready line.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import markdown
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTextBrowser


class Ready(QObject):
    done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, self.ready)
        return False

    def ready(self) -> None:
        print(f"KIOSK_READY {time.monotonic_ns()}", flush=True)
        if os.environ.get("KIOSK_REPORT_READY") == "quit":  # bench: count to here, no more
            os._exit(0)


def main() -> int:
    page = Path(sys.argv[1]).read_text(encoding="utf-8").split("---", 2)[2]
    app = QApplication(sys.argv[:1])
    view = QTextBrowser()
    view.setHtml(markdown.markdown(page, extensions=["tables"]))
    view.resize(1280, 720)
    ready = Ready(view)
    view.installEventFilter(ready)
    view.viewport().installEventFilter(ready)
    view.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
