"""Qt's enum values the first screen sets, as plain numbers, set through Qt's property system.

Naming any enum of Qt's ``Qt`` namespace (``Qt.AlignmentFlag``, ``Qt.FocusPolicy``...) makes
PySide6 build the Python classes of all of that namespace's ~100 enums at once: about 0.12 G
CPU instructions, a ninth of the kiosk's whole start (issue 24, counted by bench/bench.py's
callgrind). The first screen needs a handful of them, each a property of a Qt class, so they
are set here by property name with Qt's own numeric value (from qnamespace.h, stable across
Qt 6), which goes through C++ only. Code that runs after the first paint names ``Qt`` freely;
``tests/ui/test_start_cost.py`` checks that the start does not, and that these numbers are
Qt's.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

# Qt::AlignmentFlag
ALIGN_LEFT = 0x0001
ALIGN_RIGHT = 0x0002
ALIGN_H_CENTER = 0x0004
ALIGN_TOP = 0x0020
ALIGN_V_CENTER = 0x0080
ALIGN_CENTER = ALIGN_H_CENTER | ALIGN_V_CENTER
# Qt::TextFlag
TEXT_WORD_WRAP = 0x1000
# Qt::FocusPolicy
NO_FOCUS = 0
# Qt::TextFormat
PLAIN_TEXT = 0
# Qt::TextInteractionFlag
NO_TEXT_INTERACTION = 0
# Qt::ScrollBarPolicy
SCROLL_BAR_AS_NEEDED = 0
SCROLL_BAR_ALWAYS_OFF = 1
# Qt::LayoutDirection
LEFT_TO_RIGHT = 0
RIGHT_TO_LEFT = 1
# Qt::WindowType: Window | FramelessWindowHint | WindowStaysOnTopHint
LOCKED_WINDOW = 0x00000001 | 0x00000800 | 0x00040000


def set_props(target: QObject, **values: int) -> None:
    """Set Qt properties by name (``focusPolicy=NO_FOCUS``); a name Qt does not know is a
    bug, not a silent dynamic property."""
    meta = target.metaObject()
    for name, value in values.items():
        if meta.indexOfProperty(name) < 0:
            raise AttributeError(f"{type(target).__name__} has no Qt property {name!r}")
        target.setProperty(name, value)
