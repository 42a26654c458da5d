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
    """``tel:`` link (RFC 3966) that dials the clinic's phone: ``tel:+13108287757``, with
    ``;ext=12`` for an extension (``kiosk.phone``; the config refuses a number it cannot
    dial)."""
    return clinic.tel_uri
