"""The clinic's phone number as staff write it, turned into what a phone dials (RFC 3966).

Accepted: an international number, ``+`` and its country code (E.164: at most 15 digits), or
a US number of 10 digits (optionally with a leading 1), written with any spaces, dashes, dots
or brackets, and optionally an extension (``ext. 12``, ``x12``), which becomes ``;ext=12``.
Refused, with words saying why: an empty number, letters (``310-828-PAIN``: the QR code
cannot dial a letter, and a letter O or l typed for 0 or 1 would dial a wrong number), and
anything that is not a whole number. The number shown to patients stays as staff wrote it.
"""

from __future__ import annotations

import re

E164_MAX_DIGITS = 15
E164_MIN_DIGITS = 7  # the shortest numbers in use: a country code and a few digits
# Spaces (any kind), dashes, dots, brackets and slashes only separate digits; direction marks
# and isolates (U+200E, U+200F, U+2066..U+2069) may wrap a number in a right-to-left text.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.()/\u200e\u200f\u2066-\u2069]+")
_EXTENSION = re.compile(
    r"[\s,;]*(?:ext(?:ension)?\.?|x|#)\s*[:=]?\s*([0-9][0-9\s\-]{0,19})\s*$", re.IGNORECASE)
# The letters on a telephone keypad (ITU E.161), for the hint on a vanity number.
_KEYPAD = {letter: digit for digit, letters in {
    "2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO", "7": "PQRS", "8": "TUV",
    "9": "WXYZ"}.items() for letter in letters}
_EXAMPLES = "like 310-828-7757 or +44 20 7946 0000"


class PhoneError(ValueError):
    """Why a written number cannot be dialled, in words for the person who wrote it."""


def _ascii_digits(text: str) -> str:
    """Digits of any script (Arabic-Indic, full-width...) as 0-9; everything else as is."""
    if text.isascii():
        return text
    import unicodedata  # only for a number written with other digits or marks

    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def tel_uri(written: str) -> str:
    """The ``tel:`` link a phone dials for a number as staff wrote it: ``tel:+13108287757``,
    ``tel:+13108287757;ext=12``. Raises PhoneError saying what is wrong, in words that follow
    the option's name ("'clinic.phone' has letters...")."""
    text = _ascii_digits(written).strip()
    if not text:
        raise PhoneError("is empty; the call panel shows the clinic's phone number and a QR "
                         f"code that dials it, so write the number, {_EXAMPLES}")
    extension, after = "", ""
    found = _EXTENSION.search(text)
    if found and re.search(r"[0-9]", text[: found.start()]):
        extension = re.sub(r"[^0-9]", "", found[1])
        text, after = text[: found.start()], text[found.start():]
    number = _SEPARATORS.sub("", text)
    plus = number.startswith("+")
    digits = number[1:] if plus else number
    letters = re.sub(r"[^A-Za-z]", "", digits)
    if letters and re.fullmatch(r"[0-9A-Za-z]+", digits) and "ext" not in digits.lower():
        keyed = "".join(_KEYPAD.get(ch.upper(), ch) for ch in text) + after
        raise PhoneError(f"has letters ('{letters}'): the QR code cannot dial letters, and a "
                         "letter O or l typed for 0 or 1 would dial a wrong number; write the "
                         f"digits (on a keypad, '{written.strip()}' is '{keyed}')")
    if not digits.isdigit():
        bad = next((ch for ch in digits if not ch.isdigit()), "+")
        raise PhoneError(f"has '{bad}', which is not part of a phone number; write it "
                         f"{_EXAMPLES}, and an extension as 'ext. 12'")
    if plus:
        if digits.startswith("0"):
            raise PhoneError("has a 0 just after the +, but a country code never starts with "
                             "0; write + and the country code, like +44 20 7946 0000")
        if not E164_MIN_DIGITS <= len(digits) <= E164_MAX_DIGITS:
            raise PhoneError(f"has {len(digits)} digits after the +, but an international "
                             f"number has {E164_MIN_DIGITS} to {E164_MAX_DIGITS}")
        if digits.startswith("1"):
            _check_us(digits[1:])
        uri = f"tel:+{digits}"
    else:
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10:
            raise PhoneError(f"has {len(digits)} digits; write a US number with its area code "
                             "(10 digits, like 310-828-7757), or another country's number "
                             "with + and the country code, like +44 20 7946 0000")
        _check_us(digits)
        uri = f"tel:+1{digits}"
    return f"{uri};ext={extension}" if extension else uri


def _check_us(ten: str) -> None:
    """A US (North American) number: 10 digits; the area code and the exchange (the next
    three digits) never start with 0 or 1."""
    if len(ten) != 10:
        raise PhoneError(f"has {len(ten)} digits after the +1, but a US number has 10 (like "
                         "+1 310 828 7757)")
    if ten[0] in "01":
        raise PhoneError(f"has an area code starting with {ten[0]}, which no US area code "
                         "does; write the 10 digits, like 310-828-7757")
    if ten[3] in "01":
        raise PhoneError(f"has {ten[3]} as the first digit after the area code, which no US "
                         "number has; check the number")


def problem(written: str) -> str | None:
    """What is wrong with a written number (None when a phone can dial it)."""
    try:
        tel_uri(written)
    except PhoneError as exc:
        return str(exc)
    return None
