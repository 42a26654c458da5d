"""Build and run the kiosk window from a Config: the seam between the core and Qt."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication

from kiosk.config import Config
from kiosk.content import load_content
from kiosk.ui.window import KioskWindow

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 720)


def build_window(config: Config) -> KioskWindow:
    """The kiosk's top-level window, not yet shown. Needs a running QApplication."""
    if QApplication.instance() is None:
        raise RuntimeError("build_window() needs a QApplication; create one first")
    loaded = load_content(config.content_dir, config.language)
    for problem in loaded.problems:
        (log.error if problem.is_error else log.warning)("%s", problem)
    if loaded.content is None:
        log.error("no usable content in %s; showing the resting screen", config.content_dir)
    window = KioskWindow(config, loaded)
    window.resize(*WINDOWED_SIZE)
    return window


def run(config: Config, argv: list[str] | None = None) -> int:
    """Start Qt, show the kiosk (full-screen unless configured otherwise) and run it."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("clinic-kiosk")
    app.setApplicationDisplayName(config.clinic.name)
    window = build_window(config)
    if config.fullscreen:
        window.showFullScreen()
    else:
        window.show()
    content = window.content
    if content is not None:
        topics = sum(len(lang.topics) for lang in content.languages.values())
        log.info("kiosk ready: %d topics in %s from %s", topics, ", ".join(content.codes),
                 content.root)
    return app.exec()
