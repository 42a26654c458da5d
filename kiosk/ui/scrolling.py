"""Finger scrolling for the kiosk's scroll areas: drag to scroll, a gentle flick, no overshoot.

The first QScroller costs tens of milliseconds, so areas made before the first paint are
grabbed right after it. A navigation stops any flick still running, so the next screen
never opens part-way down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.qtvalues import SCROLL_BAR_ALWAYS_OFF, SCROLL_BAR_AS_NEEDED, set_props

if TYPE_CHECKING:
    from PySide6.QtWidgets import QScrollArea


class Kinetic:
    """Gives scroll areas drag-to-scroll; one per window (no module-level state)."""

    def __init__(self) -> None:
        self._waiting: list[QScrollArea] | None = []

    def add(self, area: QScrollArea) -> None:
        set_props(area, horizontalScrollBarPolicy=SCROLL_BAR_ALWAYS_OFF,
                  verticalScrollBarPolicy=SCROLL_BAR_AS_NEEDED)
        if self._waiting is not None:
            self._waiting.append(area)
        else:
            _grab(area)

    def enable(self) -> None:
        """Called once the first screen is painted."""
        waiting, self._waiting = self._waiting or [], None
        for area in waiting:
            try:
                _grab(area)
            except RuntimeError:  # deleted meanwhile
                pass


GRABBED = "kineticGrabbed"  # a dynamic property: this area has a scroller


def stop_and_top(area: QScrollArea) -> None:
    """Stop any flick still running and go to the top. An area not yet grabbed (before the
    first paint) has no flick to stop, and its viewport is not asked for: handing Python a
    viewport makes PySide6 create the Python type of every widget class it has, to find
    the viewport's own (about 65 types, tens of M instructions)."""
    if area.property(GRABBED):
        from PySide6.QtWidgets import QScroller

        if QScroller.hasScroller(area.viewport()):
            QScroller.scroller(area.viewport()).stop()
    area.verticalScrollBar().setValue(0)


def _grab(area: QScrollArea) -> None:
    # Named here, after the first paint: their Python types make 6 enums (about 8 M
    # instructions) that the first screen does not need.
    from PySide6.QtWidgets import QScroller, QScrollerProperties

    area.setProperty(GRABBED, True)
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    props = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
    # Pass a press straight to the button under the finger (it shows pressed at once);
    # if the finger then drags, the scroller takes over and the button is not clicked.
    props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
    scroller.setScrollerProperties(props)
