"""Colours and sizes of the kiosk, as plain data, so they can be tested without Qt.

Calm and clinical: a light background, one accent colour, dark text.
Sizes scale with the screen: body text 18 px at 800x480, 24 px at 1920x1080.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
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
    border="#8c959f",
    urgent="#a4161a",
    urgent_bg="#fdecea",
    note_bg="#eaf2fb",
)

THEMES = {"light": LIGHT}


def _lerp(a: float, b: float, t: float) -> int:
    return round(a + (b - a) * t)


@dataclass(frozen=True)
class Metrics:
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

    @classmethod
    def for_size(cls, width: int, height: int) -> Metrics:
        # 0 at 800x480 (Raspberry Pi touch display), 1 at 1920x1080 and above.
        t = max(0.0, min(1.0, (width - 800) / 1120, (height - 480) / 600))
        body = _lerp(18, 24, t)
        return cls(
            width=width,
            height=height,
            body=body,
            small=max(18, _lerp(18, 20, t)),
            heading=_lerp(24, 34, t),
            title=_lerp(28, 46, t),
            phone=_lerp(52, 110, t),
            button=_lerp(56, 80, t),
            gap=_lerp(10, 20, t),
            margin=_lerp(12, 40, t),
            column=max(400, min(width - 2 * _lerp(12, 40, t), round(body * 38))),
        )
