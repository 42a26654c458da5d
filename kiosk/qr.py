"""QR codes a patient can scan to take something home: the phone number, a web page.

segno makes the code; the screen draws its modules itself, crisp at any size. No Qt here.
"""

from __future__ import annotations

from kiosk.config import Clinic


def matrix(data: str) -> list[list[bool]]:
    """The code's modules, dark = True, without the quiet zone (the widget draws that)."""
    import segno  # only when a code is drawn: the kiosk starts without it

    code = segno.make(data, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix]


def tel_uri(clinic: Clinic) -> str:
    """``tel:`` link for the clinic's phone, as written but for spaces and punctuation."""
    return f"tel:{clinic.phone_digits}"
