"""A screen that never restarts must not grow: 500 navigations across every screen."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.config import load_config
from kiosk.ui.shots import tour
from kiosk.ui.window import KioskWindow


def configured(**values: Any) -> Any:
    config = load_config()
    return replace(config, values={**config.values, "watch_content": False, "speech": False,
                                   **values})


def census() -> tuple[int, int]:
    gc.collect()
    return len(QApplication.allWidgets()), len(gc.get_objects())


def test_500_navigations_leave_no_widgets_or_objects_behind(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(), size=(800, 480))
    tour(window, 100)  # every screen built once, every cache warm
    widgets0, objects0 = census()
    tour(window, 500)
    widgets1, objects1 = census()
    assert widgets1 - widgets0 <= 2, f"{widgets1 - widgets0} more widgets"
    assert objects1 - objects0 <= 500, f"{objects1 - objects0} more Python objects"
