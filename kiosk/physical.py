"""How tall the kiosk's letters really are on its panel, in millimetres.

ADA §707.7.2 (ATMs and fare machines) asks for characters at least 3/16 in (4.8 mm) tall;
EN 301 549 5.1.4 asks that a capital H subtend 0.7° at the viewing distance the supplier
states. The kiosk learns the panel's width from the screen's own report (EDID, through Qt's
``QScreen.physicalSize``), which some panels get wrong or leave out, or from the config's
``screen_width_mm``, which wins. A report of exactly 96 or 100 dots per inch is not believed:
that is what an X server without the panel's EDID (Xvfb, many Xorg set-ups) and Qt's offscreen
platform make up. kiosk.theme raises the smallest text step to 4.8 mm from what is found here;
this module measures and says. Plain Python; no Qt.
"""

from __future__ import annotations

import math
from typing import NamedTuple

CAP_RATIO = 0.73  # a capital H's height as a share of the type size (DejaVu Sans, Noto Sans)
ADA_MM = 4.8  # 3/16 in, 2010 ADA Standards 707.7.2
EN_DEGREES = 0.7  # EN 301 549 5.1.4: a capital H subtends at least this angle
VIEWING_MM = 500  # the viewing distance this kiosk states: a seated patient at arm's length


class Panel(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    width_px: int
    width_mm: float
    source: str  # "config" or "screen"

    @property
    def px_per_mm(self) -> float:
        return self.width_px / self.width_mm

    def cap_mm(self, type_px: float) -> float:
        """The height of a capital letter set at ``type_px``, in mm on this panel."""
        return CAP_RATIO * type_px / self.px_per_mm


MADE_UP_DPI = (96.0, 100.0)  # what X servers without EDID and Qt's offscreen platform say


def panel(width_px: int, config_mm: int, screen_mm: float,
          screen_px: int = 0) -> Panel | None:
    """The panel's size for a full-screen window ``width_px`` pixels wide: the config's
    width when it names one, else the screen's own report (``screen_mm`` across its
    ``screen_px`` pixels, or ``width_px`` when not given) when it is believable (a 3-inch to
    100-inch panel, and not a made-up 96 or 100 dpi); None when neither says."""
    if config_mm > 0:
        return Panel(width_px, float(config_mm), "config")
    across = screen_px or width_px
    if 60 <= screen_mm <= 2300:
        dpi = across * 25.4 / screen_mm
        if any(abs(dpi - made_up) <= made_up * 0.01 for made_up in MADE_UP_DPI):
            return None
        return Panel(width_px, width_px * screen_mm / across, "screen")
    return None


def needed_mm(width_px: int, largest_px: int) -> float:
    """How wide a panel of ``width_px`` pixels must be for body text of ``largest_px`` (the
    largest the layout holds) to reach 4.8 mm capital letters."""
    return width_px * ADA_MM / (CAP_RATIO * largest_px)


def en_mm(distance_mm: float = VIEWING_MM) -> float:
    """The capital height EN 301 549 5.1.4 asks for at ``distance_mm``."""
    return 2 * distance_mm * math.tan(math.radians(EN_DEGREES) / 2)


def report(found: Panel | None, body_px: dict[str, int]) -> str:
    """One line for the log and the staff panel: the body text's capital height at each
    text size, against ADA 707.7.2's 4.8 mm and EN 301 549's 0.7° at 50 cm."""
    if found is None:
        return ("Screen size unknown (the panel does not report it): set screen_width_mm in "
                "the config so the kiosk can size its letters (ADA 707.7.2 asks 4.8 mm)")
    sizes = ", ".join(f"{name} {found.cap_mm(px):.1f} mm" for name, px in body_px.items())
    smallest = min(found.cap_mm(px) for px in body_px.values())
    largest = max(found.cap_mm(px) for px in body_px.values())
    if smallest >= ADA_MM:
        verdict = f"all at least {ADA_MM:g} mm (ADA 707.7.2)"
    elif largest >= ADA_MM:
        verdict = f"below {ADA_MM:g} mm (ADA 707.7.2) at the smaller sizes"
    else:
        top = max(body_px.values())
        verdict = (f"below {ADA_MM:g} mm (ADA 707.7.2) at every size: this screen holds body "
                   f"text up to {top} px, so at {found.width_px} px across the panel must be "
                   f"at least {needed_mm(found.width_px, top):.0f} mm wide")
    return (f"Screen {found.width_mm:.0f} mm wide ({found.source}), {found.px_per_mm:.1f} "
            f"px/mm; capital letters of body text: {sizes}; {verdict}; EN 301 549 5.1.4 asks "
            f"{en_mm():.1f} mm at {VIEWING_MM / 10:g} cm")
