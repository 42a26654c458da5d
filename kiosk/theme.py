"""Colours and sizes of the kiosk, as plain data, so they can be tested without Qt.

Calm and clinical: a light background, one accent colour, dark text.
Sizes scale with the screen: body text 18 px at 800x480, 28 px at 1920x1080, so a big
screen gets bigger, calmer text rather than emptier space. When the kiosk knows the panel's
physical size (kiosk.physical), the smallest text step is raised to a capital height of
4.8 mm (ADA 707.7.2) wherever the window's layout holds that size.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from kiosk.physical import ADA_MM, CAP_RATIO


class Theme(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    name: str
    background: str
    surface: str  # tiles, header bar
    text: str
    muted: str  # secondary text, still AA on background and surface
    heading: str
    accent: str  # primary buttons and focus
    on_accent: str
    link: str
    border: str
    urgent: str
    urgent_bg: str
    note_bg: str


LIGHT = Theme(
    name="light",
    background="#f6f8fa",
    surface="#ffffff",
    text="#1b1f24",
    muted="#424a53",
    heading="#0b3d62",
    accent="#0b5cad",
    on_accent="#ffffff",
    link="#0a4f96",
    border="#6e7781",
    urgent="#a4161a",
    urgent_bg="#fdecea",
    note_bg="#eaf2fb",
)

HIGH_CONTRAST = Theme(
    name="high-contrast",
    background="#000000",
    surface="#000000",
    text="#ffffff",
    muted="#e6e6e6",
    heading="#ffff00",
    accent="#ffd60a",
    on_accent="#000000",
    link="#7fd4ff",
    border="#ffffff",
    urgent="#ff8080",
    urgent_bg="#000000",
    note_bg="#1f1f1f",
)

THEMES = {"light": LIGHT, "high-contrast": HIGH_CONTRAST}

# Pairs a person must be able to tell apart: (foreground, background, minimum ratio).
# 4.5:1 for body text (WCAG AA), 3:1 for large text and for button outlines.
CONTRAST_PAIRS: tuple[tuple[str, str, float], ...] = (
    ("text", "background", 4.5), ("text", "surface", 4.5), ("text", "note_bg", 4.5),
    ("text", "urgent_bg", 4.5), ("muted", "background", 4.5), ("muted", "surface", 4.5),
    ("heading", "background", 4.5), ("heading", "surface", 4.5), ("heading", "note_bg", 4.5),
    ("link", "background", 4.5), ("accent", "surface", 4.5), ("accent", "note_bg", 4.5),
    ("on_accent", "accent", 4.5), ("urgent", "urgent_bg", 4.5), ("urgent", "background", 4.5),
    ("accent", "background", 3.0), ("border", "background", 3.0), ("border", "surface", 3.0),
)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two colours, from 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _lerp(a: float, b: float, t: float) -> int:
    return round(a + (b - a) * t)


class Metrics(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    """Pixel sizes for one window size: everything a screen lays out with."""

    width: int
    height: int
    body: int  # body text px
    small: int  # the smallest text anywhere (never under 18 px)
    heading: int
    title: int  # screen titles
    phone: int  # the phone number on the call panel
    button: int  # button height
    gap: int  # space between controls
    margin: int  # outer margin
    column: int  # widest column of reading text, px

    scale: float = 1.0

    @classmethod
    def for_size(cls, width: int, height: int, scale: float = 1.0,
                 px_per_mm: float = 0.0) -> Metrics:
        """Sizes for a window; ``scale`` is the patient's text size (1, 1.2 or 1.4).

        With the panel's ``px_per_mm`` known, the steps are set by physical size instead:
        the smallest becomes the body size whose capital letters are 4.8 mm tall, the
        largest stays the largest the layout holds (1.4 x the usual), and the middle one sits
        between. When even the largest is under 4.8 mm on this panel (a 7-inch 800x480
        display) no step can meet it, and the usual steps stay, so the patient keeps a
        choice (kiosk.physical says so on the staff panel and in the log)."""
        # 0 at 800x480 (Raspberry Pi touch display), 1 at 1920x1080 and above.
        t = max(0.0, min(1.0, (width - 800) / 1120, (height - 480) / 600))
        base = _lerp(18, 28, t)
        # sized by the panel: no letters anywhere under 4.8 mm, the small ones included
        floor = ada_body_px(px_per_mm) if physical_scale(base, 1.0, px_per_mm) != 1.0 else 0
        scale = physical_scale(base, scale, px_per_mm)
        body = round(base * scale)
        margin = _lerp(12, 48, t)
        return cls(
            width=width,
            height=height,
            body=body,
            small=max(18, floor, round(_lerp(18, 22, t) * scale)),
            heading=round(_lerp(24, 38, t) * scale),
            title=round(_lerp(28, 54, t) * min(scale, 1.25)),
            phone=_lerp(52, 120, t),
            button=max(_lerp(56, 84, t), round(body * 2.6)),
            gap=_lerp(10, 22, t),
            margin=margin,
            column=max(400, min(width - 2 * margin, round(body * 38))),
            scale=scale,
        )


TEXT_STEPS = (1.0, 1.2, 1.4)  # normal, larger, largest


def ada_body_px(px_per_mm: float) -> int:
    """The smallest body size whose capital letters are 4.8 mm tall on this panel."""
    return math.ceil(ADA_MM * px_per_mm / CAP_RATIO - 1e-9)


def physical_scale(base: float, scale: float, px_per_mm: float) -> float:
    """The scale to draw a text step at: ``scale`` itself unless the panel is known and the
    4.8 mm body size lies between the usual smallest and largest steps; then the smallest
    step starts there, the largest stays, and the steps between keep their places."""
    top = TEXT_STEPS[-1]
    if px_per_mm <= 0:
        return scale
    low = ada_body_px(px_per_mm) / base
    if not 1.0 < low <= top + 1e-9:
        return scale
    return low + (top - low) * (scale - 1.0) / (top - 1.0)
