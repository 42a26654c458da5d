"""A screen that never restarts must not grow: 500 navigations across every screen,
the self-check along every path."""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.shots import tour
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured


def census() -> tuple[int, int]:
    gc.collect()
    return len(QApplication.allWidgets()), len(gc.get_objects())


def test_500_navigations_leave_no_widgets_or_objects_behind(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(speech=False), size=(800, 480))
    tour(window, 100)  # every screen built once, every cache warm
    widgets0, objects0 = census()
    reached = tour(window, 500)
    widgets1, objects1 = census()
    # Every question of the bundled self-check (9), a result of each band (3), both danger
    # tiers and the call panel.
    assert reached == {*(f"check-{n}" for n in range(1, 10)), "result-1", "result-2",
                       "result-3", "result-now", "result-today", "call"}
    assert widgets1 - widgets0 <= 2, f"{widgets1 - widgets0} more widgets"
    assert objects1 - objects0 <= 500, f"{objects1 - objects0} more Python objects"


def test_pages_laid_out_leave_no_wrapper_behind(qtbot: QtBot) -> None:
    """Each page laid out has its own document, and Qt makes its layout; once the page
    leaves the view's cache, nothing of it stays in Python (on PySide6 6.8.0.2 a Python
    connection to the layout's signal kept every layout's wrapper: about 60 objects a 500
    navigations, a megabyte a few weeks)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QAbstractTextDocumentLayout

    from kiosk.config import bundled_content
    from kiosk.ui.pageview import PageView

    view = PageView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    for n in range(5 * PageView.CACHED_PAGES):
        view.show_page(f"<p>Page {n}</p>", "", bundled_content(), 18)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    layouts = [o for o in gc.get_objects() if isinstance(o, QAbstractTextDocumentLayout)]
    assert len(layouts) <= PageView.CACHED_PAGES + 2, len(layouts)
    assert view.document().toPlainText() == f"Page {5 * PageView.CACHED_PAGES - 1}"
