"""What the start does not pay for (issue 24; bench/bench.py counts the instructions): the
lightened PySide6 import hook gives the same answers, the kiosk's own mirroring matches
QStyle's without making QStyle's Python type, and the application-wide filters come at the
first paint, when the window can first be touched."""

from __future__ import annotations

import inspect
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


def test_the_numbers_set_by_property_are_qts_own() -> None:
    from kiosk.ui import qtvalues as v

    a, w = Qt.AlignmentFlag, Qt.WindowType
    assert (v.ALIGN_LEFT, v.ALIGN_RIGHT, v.ALIGN_H_CENTER, v.ALIGN_TOP, v.ALIGN_V_CENTER,
            v.ALIGN_CENTER) == tuple(f.value for f in (
                a.AlignLeft, a.AlignRight, a.AlignHCenter, a.AlignTop, a.AlignVCenter,
                a.AlignCenter))
    assert v.TEXT_WORD_WRAP == Qt.TextFlag.TextWordWrap.value
    assert v.NO_FOCUS == Qt.FocusPolicy.NoFocus.value
    assert v.PLAIN_TEXT == Qt.TextFormat.PlainText.value
    assert v.NO_TEXT_INTERACTION == Qt.TextInteractionFlag.NoTextInteraction.value
    assert (v.SCROLL_BAR_AS_NEEDED, v.SCROLL_BAR_ALWAYS_OFF) == (
        Qt.ScrollBarPolicy.ScrollBarAsNeeded.value, Qt.ScrollBarPolicy.ScrollBarAlwaysOff.value)
    assert (v.LEFT_TO_RIGHT, v.RIGHT_TO_LEFT) == (
        Qt.LayoutDirection.LeftToRight.value, Qt.LayoutDirection.RightToLeft.value)
    assert v.LOCKED_WINDOW == (w.Window | w.FramelessWindowHint | w.WindowStaysOnTopHint).value


def test_a_property_qt_does_not_have_is_an_error_not_a_dynamic_one() -> None:
    from PySide6.QtCore import QObject

    from kiosk.ui.qtvalues import set_props

    with pytest.raises(AttributeError, match="alignmnet"):
        set_props(QObject(), alignmnet=1)


def test_mirroring_is_qstyles_own() -> None:
    rng = random.Random(24)
    for _ in range(500):
        whole = QRect(rng.randint(-40, 40), 0, rng.randint(1, 900), 40)
        r = QRect(rng.randint(-50, 900), rng.randint(0, 9), rng.randint(0, 300), 10)
        for direction in (Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft):
            rtl = direction == Qt.LayoutDirection.RightToLeft
            assert mirrored(rtl, whole, r) == QStyle.visualRect(direction, whole, r)


def test_the_start_path_does_not_make_qstyle() -> None:
    """QStyle's Python type (its enums) costs about 50 M instructions to make; nothing the
    kiosk imports to start needs it."""
    code = ("import kiosk.__main__, kiosk.ui.app, PySide6.QtWidgets as W; "
            "print('QStyle' in W.__dict__)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert run.stdout.strip() == "False"


def test_a_tile_once_painted_stays_painted(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    """Its painting changes nothing of the widget (an earlier way to colour its words
    switched its foreground role, which scheduled another paint: a busy loop on home)."""
    from PySide6.QtCore import QEvent, QObject

    from kiosk.ui.widgets import BigButton

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    window = open_window(configured(), size=(800, 480))
    tiles = [t for t in window.findChildren(BigButton) if t.isVisible()]
    assert tiles
    paints = Paints()
    for tile in tiles:
        tile.installEventFilter(paints)
    tiles[0].update()
    qtbot.waitUntil(lambda: paints.count > 0)  # it does paint
    qtbot.wait(300)
    before = paints.count
    qtbot.wait(700)
    assert paints.count == before


def test_the_lockdown_filter_is_on_from_the_first_paint(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(), size=(800, 480))
    qtbot.waitUntil(lambda: window.started_up)
    assert window._filters_on


START = """
import os, runpy, sys
real_exit = os._exit
def at_first_paint(code):
    import PySide6.QtCore as C, PySide6.QtGui as G, PySide6.QtWidgets as W
    print(sorted(name for module in (C, G, W) for name in module.__dict__
                 if name.startswith("Q")))
    print(sorted(m for m in sys.modules if m.startswith(("kiosk", "yaml"))))
    real_exit(code)
os._exit = at_first_paint  # the kiosk's ready reporter ends the process here
sys.argv = ["kiosk", "--config", sys.argv[1]]
runpy.run_module("kiosk", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("fullscreen", ["false", "true"])
def test_the_start_makes_no_widget_type_it_does_not_use(tmp_path: Path, fullscreen: str) -> None:
    """Handing Python a widget Qt made (a scroll area's viewport) or sending every event
    of the build through a Python filter makes PySide6 create the Python type of every
    widget class it has (QCalendarWidget, QMdiArea...), tens of M instructions. Up to the
    first paint, the kiosk does neither; nor does it name the ``Qt`` namespace, whose ~100
    enums cost about 0.11 G instructions to make (kiosk.ui.qtvalues), windowed or locked
    full screen."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f'fullscreen = {fullscreen}\nspeech = false\nrecord_usage = false\n',
                      encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_REPORT_READY": "quit",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    run = subprocess.run([sys.executable, "-c", START, str(config)], capture_output=True,
                         text=True, timeout=120, env=env)
    made, modules = run.stdout.strip().splitlines()[-2:]
    assert "'QPushButton'" in made  # it did reach the first paint
    assert "'Qt'" not in made
    for unused in ("QCalendarWidget", "QMdiArea", "QStyle", "QTextBrowser", "QTreeView"):
        assert f"'{unused}'" not in made, unused
    # Named only after the first paint: each type's enums cost about 1.2 M instructions
    # apiece (the scroller's six, the image reader's and the buffer's).
    for later in ("QScroller", "QScrollerProperties", "QImageReader", "QBuffer"):
        assert f"'{later}'" not in made, later
    # Not needed to show the first screen: the keypad path (made at the first key), pages'
    # rendering (in the background after the first paint), the checker.
    assert "'kiosk.ui.window'" in modules
    for later in ("kiosk.ui.keypad", "kiosk.render", "kiosk.checker"):
        assert f"'{later}'" not in modules, later


USE = """
import sys
import PySide6.QtWidgets as W
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from kiosk.config import load_config
from kiosk.ui.app import build_window

app = W.QApplication([])
window = build_window(load_config(sys.argv[1]))
window.resize(800, 480)
window.show()
while not window.past_first_paint:
    app.processEvents()
before = sorted(name for name in W.__dict__ if name.startswith("Q"))
finger = QTest.createTouchDevice()

def touch(points):
    QTest.touchEvent(window, finger).press(0, points[0], window).commit()
    for point in points[1:]:
        QTest.touchEvent(window, finger).move(0, point, window).commit()
        QTest.qWait(10)
    QTest.touchEvent(window, finger).release(0, points[-1], window).commit()
    QTest.qWait(50)

def centre(widget):
    return widget.mapTo(window, widget.rect().center())

from kiosk.ui.widgets import BigButton

title = window.session.language.topics[0].title
tile = [b for b in window.findChildren(BigButton) if b.isVisible() and b.text() == title][0]
touch([centre(tile)])  # a topic opens
assert window.current_screen is window.topic_screen, "the tap did not open a topic"
bottom = QPoint(400, 300)
touch([bottom - QPoint(0, 25 * step) for step in range(8)])  # a drag down the page
for _ in range(3):
    touch([QPoint(5, 5)])  # the staff corner's taps
from PySide6.QtCore import Qt  # (after the first paint: the start never names it)

QTest.mouseClick(window.windowHandle(), Qt.MouseButton.RightButton, pos=bottom)
QTest.keyClick(window.windowHandle(), Qt.Key.Key_Down)  # the keypad path
QTest.keyClick(window.windowHandle(), Qt.Key.Key_Return)
QTest.qWait(100)
print(before)
print(sorted(name for name in W.__dict__ if name.startswith("Q")))
"""


def test_touch_keys_and_the_lockdown_make_no_widget_type_either(tmp_path: Path) -> None:
    """Qt's own objects never reach Python, so PySide6 never creates the Python types of
    widget classes the kiosk does not use to find out what they are (~2 MB for the
    process's life, issue 24: a scroll area's own viewport, an application-wide Python
    filter's every object, ``childAt`` on a scroll bar): not at the start, not at a tap, a
    drag, the staff corner, a right click or a key."""
    config = tmp_path / "kiosk.toml"
    config.write_text('fullscreen = false\nspeech = false\nrecord_usage = false\n'
                      'watch_content = false\n', encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    run = subprocess.run([sys.executable, "-c", USE, str(config)], capture_output=True,
                         text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    before, after = run.stdout.strip().splitlines()[-2:]
    for made in (before, after):
        assert "'QPushButton'" in made
        for unused in ("QCalendarWidget", "QMdiArea", "QWizard", "QMessageBox", "QTreeView",
                       "QDialogButtonBox", "QFileDialog"):
            assert f"'{unused}'" not in made, unused


def test_the_second_start_reads_no_yaml(tmp_path: Path) -> None:
    """The first start writes the content index; the next reads it instead of the files."""
    config = tmp_path / "kiosk.toml"
    config.write_text('fullscreen = false\nspeech = false\nrecord_usage = false\n',
                      encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    first = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(config)],
                             env={**env, "KIOSK_REPORT_READY": "1"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:  # the first start writes the index after its first paint
        deadline = time.monotonic() + 60
        while not any((tmp_path / "data").rglob("content-index.json")):
            assert time.monotonic() < deadline, "no content index was written"
            time.sleep(0.1)
    finally:
        first.terminate()
        first.wait(10)
    run = subprocess.run([sys.executable, "-c", START, str(config)], capture_output=True,
                         text=True, timeout=120, env={**env, "KIOSK_REPORT_READY": "quit"})
    modules = run.stdout.strip().splitlines()[-1]
    assert "'kiosk.contentcache'" in modules
    # From its index: no YAML read (its reader not even imported), no picture checked (tiles
    # draw theirs after the paint).
    assert "'yaml'" not in modules and "'kiosk.yamlio'" not in modules
    assert "'kiosk.pictures'" not in modules
