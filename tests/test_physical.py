"""How tall the letters are on the real panel: the config's width wins over the screen's
report, a report nobody can believe is not used, and the line says where the kiosk stands
against ADA 707.7.2's 4.8 mm."""

from __future__ import annotations

import pytest

from kiosk import physical
from kiosk.theme import TEXT_STEPS, Metrics


def test_the_raspberry_pi_display_is_below_the_ada_height_at_every_size() -> None:
    pi = physical.panel(800, 154, 0.0)
    assert pi is not None and pi.source == "config" and round(pi.px_per_mm, 1) == 5.2
    assert round(pi.cap_mm(18), 1) == 2.5 and round(pi.cap_mm(25), 1) == 3.5
    line = physical.report(pi, {"Normal": 18, "Larger": 22, "Largest": 25})
    assert line == ("Screen 154 mm wide (config), 5.2 px/mm; capital letters of body text: "
                    "Normal 2.5 mm, Larger 3.1 mm, Largest 3.5 mm; below 4.8 mm (ADA 707.7.2) "
                    "at every size: this screen holds body text up to 25 px, so at 800 px "
                    "across the panel must be at least 210 mm wide; EN 301 549 5.1.4 asks "
                    "6.1 mm at 50 cm")


def test_a_large_panel_meets_it_at_the_larger_sizes() -> None:
    big = physical.panel(1920, 0, 344.0)  # a 15.6-inch panel, from its own report
    assert big is not None and big.source == "screen"
    line = physical.report(big, {"Normal": 28, "Larger": 34, "Largest": 39})
    assert "Normal 3.7 mm, Larger 4.4 mm, Largest 5.1 mm; below 4.8 mm (ADA 707.7.2) at " \
        "the smaller sizes" in line


@pytest.mark.parametrize("reported", [0.0, 20.0, 9999.0, 211.7, 203.2])
def test_an_unbelievable_report_is_not_used(reported: float) -> None:
    """Nothing, a 1-inch or 9-metre panel, or the 96 dpi (211.7 mm for 800 px) an X server
    without EDID makes up, or the 100 dpi of Qt's offscreen platform."""
    assert physical.panel(800, 0, reported) is None
    assert physical.report(None, {"Normal": 18}).startswith(
        "Screen size unknown (the panel does not report it): set screen_width_mm")


def test_the_en_301_549_height_grows_with_the_distance() -> None:
    assert round(physical.en_mm(500), 1) == 6.1
    assert round(physical.en_mm(1016), 1) == 12.4  # 40 in


def test_the_screen_report_is_a_ratio_for_a_window_of_any_width() -> None:
    """The screen says 344 mm across its 1920 pixels; a full-screen window 1920 wide is
    that panel; the config's width is always the window's."""
    found = physical.panel(1920, 0, 344.0, 1920)
    assert found is not None and round(found.px_per_mm, 2) == 5.58
    half = physical.panel(960, 0, 344.0, 1920)
    assert half is not None and round(half.px_per_mm, 2) == 5.58
    assert physical.needed_mm(800, 25) == pytest.approx(210.4, abs=0.1)


def test_the_smallest_step_is_raised_to_the_ada_height_where_the_layout_holds_it() -> None:
    """A 15.6-inch 1920x1080 panel (5.58 px/mm): Normal goes from 28 px (3.7 mm) to 37 px
    (4.8 mm); Largest stays the 39 px the layout is proven at; Larger sits between. A
    10-inch 800x480 panel (222 mm wide, 3.6 px/mm): from 18 to 24 px."""
    big = physical.panel(1920, 344, 0.0)
    assert big is not None
    bodies = [Metrics.for_size(1920, 1080, s, big.px_per_mm).body for s in TEXT_STEPS]
    assert bodies == [37, 38, 39]
    assert big.cap_mm(bodies[0]) >= physical.ADA_MM > big.cap_mm(36)
    line = physical.report(big, dict(zip(("Normal", "Larger", "Largest"), bodies, strict=True)))
    assert "Normal 4.8 mm" in line and "all at least 4.8 mm (ADA 707.7.2)" in line
    ten = physical.panel(800, 222, 0.0)
    assert ten is not None
    assert [Metrics.for_size(800, 480, s, ten.px_per_mm).body for s in TEXT_STEPS] == \
        [24, 25, 25]
    assert ten.cap_mm(24) >= physical.ADA_MM


@pytest.mark.parametrize(("width", "height", "mm"), [
    (800, 480, 154),  # Raspberry Pi 7-inch: 4.8 mm needs 35 px; the layout holds 25
    (1280, 800, 217),  # a 10.1-inch 1280x800
    (1920, 1080, 0),  # unknown
    (1920, 1080, 600),  # a 27-inch 1080p: the usual 28 px is already 5.4 mm
])
def test_the_usual_steps_stay_where_the_panel_cannot_or_need_not_change_them(
        width: int, height: int, mm: int) -> None:
    per_mm = width / mm if mm else 0.0
    assert [Metrics.for_size(width, height, s, per_mm) for s in TEXT_STEPS] == \
        [Metrics.for_size(width, height, s) for s in TEXT_STEPS]
