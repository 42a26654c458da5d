"""How tall the letters are on the real panel: the config's width wins over the screen's
report, a report nobody can believe is not used, and the line says where the kiosk stands
against ADA 707.7.2's 4.8 mm."""

from __future__ import annotations

import pytest

from kiosk import physical


def test_the_raspberry_pi_display_is_below_the_ada_height_at_every_size() -> None:
    pi = physical.panel(800, 154, 0.0)
    assert pi is not None and pi.source == "config" and round(pi.px_per_mm, 1) == 5.2
    assert round(pi.cap_mm(18), 1) == 2.5 and round(pi.cap_mm(25), 1) == 3.5
    line = physical.report(pi, {"Normal": 18, "Larger": 22, "Largest": 25})
    assert line == ("Screen 154 mm wide (config), 5.2 px/mm; capital letters of body text: "
                    "Normal 2.5 mm, Larger 3.1 mm, Largest 3.5 mm; below 4.8 mm (ADA 707.7.2) "
                    "at every size; EN 301 549 5.1.4 asks 6.1 mm at 50 cm")


def test_a_large_panel_meets_it_at_the_larger_sizes() -> None:
    big = physical.panel(1920, 0, 344.0)  # a 15.6-inch panel, from its own report
    assert big is not None and big.source == "screen"
    line = physical.report(big, {"Normal": 28, "Larger": 34, "Largest": 39})
    assert "Normal 3.7 mm, Larger 4.4 mm, Largest 5.1 mm; below 4.8 mm (ADA 707.7.2) at " \
        "the smaller sizes" in line


@pytest.mark.parametrize("reported", [0.0, 20.0, 9999.0])
def test_an_unbelievable_report_is_not_used(reported: float) -> None:
    assert physical.panel(800, 0, reported) is None
    assert physical.report(None, {"Normal": 18}).startswith(
        "Screen size unknown (the panel does not report it): set screen_width_mm")


def test_the_en_301_549_height_grows_with_the_distance() -> None:
    assert round(physical.en_mm(500), 1) == 6.1
    assert round(physical.en_mm(1016), 1) == 12.4  # 40 in
