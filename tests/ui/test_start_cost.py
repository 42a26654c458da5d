"""What the start does not pay for (issue 24; bench/bench.py counts the instructions): the
lightened PySide6 import hook gives the same answers, the kiosk's own mirroring matches
QStyle's without making QStyle's Python type, and the application-wide filters come at the
first paint, when the window can first be touched."""

from __future__ import annotations

import inspect
import random
import subprocess
import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QStyle
from pytestqt.qtbot import QtBot

import kiosk.model
import kiosk.ui
import kiosk.ui.widgets
from kiosk.ui.widgets import mirrored
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured


def test_the_lightened_feature_hook_answers_as_pyside6s_own() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        pytest.skip("this PySide6 has no __feature__ import hook")
    uses = feature._mod_uses_pyside
    assert getattr(uses, "lightened", False)
    for module in (kiosk.ui.widgets, kiosk.model, inspect, kiosk.ui):
        assert uses(module) is ("PySide6" in inspect.getsource(module)), module
    assert uses(sys) is False  # built in: no source
    assert feature.pyside_feature_dict.get("kiosk.ui.widgets") == 0
    assert feature.pyside_feature_dict.get("kiosk.model") == -1


def test_mirroring_is_qstyles_own() -> None:
    rng = random.Random(24)
    for _ in range(500):
        whole = QRect(rng.randint(-40, 40), 0, rng.randint(1, 900), 40)
        r = QRect(rng.randint(-50, 900), rng.randint(0, 9), rng.randint(0, 300), 10)
        for direction in (Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft):
            assert mirrored(direction, whole, r) == QStyle.visualRect(direction, whole, r)


def test_the_start_path_does_not_make_qstyle() -> None:
    """QStyle's Python type (its enums) costs about 50 M instructions to make; nothing the
    kiosk imports to start needs it."""
    code = ("import kiosk.__main__, kiosk.ui.app, PySide6.QtWidgets as W; "
            "print('QStyle' in W.__dict__)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert run.stdout.strip() == "False"


def test_the_lockdown_filter_is_on_from_the_first_paint(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(), size=(800, 480))
    qtbot.waitUntil(lambda: window.started_up)
    assert window._filters_on
