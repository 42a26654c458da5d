"""Image I/O on two threads at once never freezes (kiosk.ui.widgets.IMAGE_IO)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from kiosk.config import bundled_content

CHILD = textwrap.dedent("""
    import os, sys, threading
    from pathlib import Path
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QColor, QPixmap
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from kiosk.pictures import check
    from kiosk.ui.widgets import IMAGE_IO, draw_picture
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    pictures = [check(root, p) for p in sorted(root.glob("images/*.svg"))]
    stop = threading.Event()
    def draw():  # as the picture worker does, all the while
        while not stop.is_set():
            for picture in pictures:
                draw_picture(picture, 200)
    drawer = threading.Thread(target=draw, daemon=True)
    drawer.start()
    pixmap = QPixmap(50, 50)
    pixmap.fill(QColor("red"))
    for i in range(400):  # as kiosk shots and the tests save a screen
        with IMAGE_IO:
            assert pixmap.save(str(out / f"shot-{i % 5}.png"))
    stop.set()
    drawer.join(60)  # not inside Qt when the interpreter takes Qt down (that aborts)
    print("saved 400")
""")


def test_saving_a_screen_while_the_worker_draws_pictures_never_freezes(tmp_path: Path) -> None:
    """Without the lock this froze within seconds: the main thread held the GIL inside
    QPixmap.save, waiting for Qt's image-handler lock, which the worker held while waiting
    for the GIL (PySide's check for a Python override of the buffer it reads)."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(bundled_content() / "en"), str(tmp_path)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "saved 400"
