"""Both themes meet WCAG AA contrast, computed from the colours the screens really use."""

from __future__ import annotations

import pytest

from kiosk.theme import CONTRAST_PAIRS, TEXT_STEPS, THEMES, Metrics, Theme, contrast


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
def test_theme_meets_wcag_aa(theme: Theme) -> None:
    failures = []
    for fg, bg, minimum in CONTRAST_PAIRS:
        ratio = contrast(getattr(theme, fg), getattr(theme, bg))
        if ratio < minimum:
            failures.append(f"{fg} on {bg}: {ratio:.2f} < {minimum}")
    assert failures == []


def test_text_never_under_18px_and_grows_with_the_text_size() -> None:
    for size in ((800, 480), (1920, 1080)):
        sizes = [Metrics.for_size(*size, scale) for scale in TEXT_STEPS]
        assert all(m.body >= 18 and m.small >= 18 for m in sizes)
        assert sizes[0].body < sizes[1].body < sizes[2].body
        assert all(m.button >= 48 for m in sizes)
    assert Metrics.for_size(1920, 1080).body == 28  # a big screen gets bigger text
