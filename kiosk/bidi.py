"""Writing direction and digits of a language, and the invisible direction characters.

A language's direction is set per language, never guessed from its words: ``labels.yaml``
may say ``language.direction: rtl``, and a language the table below knows as right to left
(Persian, Arabic, Hebrew, Urdu...) is right to left without it. Its digits
(``language.digits``: ``latin``, ``persian`` or ``arabic``) are the ones the kiosk writes
in the numbers it makes itself ("Question ۲ of ۹", the seconds left); the content writes its
own. Phone numbers are always shown with the digits a phone's keypad shows, in the order
they are dialled, even inside right-to-left words (``isolate_numbers``).

Unicode's direction controls (UAX #9) come in three kinds, and the checker treats them so:
marks (LRM, RLM, ALM) only nudge the characters beside them and are allowed; isolates (LRI,
RLI, FSI ... PDI) are allowed when each one is closed on the same line; embeddings and
overrides (LRE, RLE, LRO, RLO, PDF) can make a line show in an order other than the file's
(the "Trojan Source" trick), so they are refused. Plain Python; no Qt.
"""

from __future__ import annotations

import re

# Languages written right to left (ISO 639 codes), by their usual script.
RTL_LANGUAGES = frozenset({
    "ar", "arc", "ckb", "dv", "fa", "he", "ku-arab", "prs", "ps", "sd", "syr", "ug", "ur",
    "yi"})
DIRECTIONS = ("ltr", "rtl")
DIGITS = {"latin": "0123456789", "persian": "۰۱۲۳۴۵۶۷۸۹", "arabic": "٠١٢٣٤٥٦٧٨٩"}

LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
MARKS = {LRM: "LEFT-TO-RIGHT MARK", RLM: "RIGHT-TO-LEFT MARK", ALM: "ARABIC LETTER MARK"}
ISOLATES = {LRI: "LEFT-TO-RIGHT ISOLATE", RLI: "RIGHT-TO-LEFT ISOLATE",
            FSI: "FIRST STRONG ISOLATE", PDI: "POP DIRECTIONAL ISOLATE"}
REFUSED = {"\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
           "\u202c": "POP DIRECTIONAL FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE",
           "\u202e": "RIGHT-TO-LEFT OVERRIDE"}
CONTROLS = frozenset(MARKS) | frozenset(ISOLATES) | frozenset(REFUSED)


def base(code: str) -> str:
    """``fa`` of ``fa-IR``; the whole code for a code the table names with its script."""
    code = code.lower()
    return code if code in RTL_LANGUAGES else code.split("-")[0]


def default_direction(code: str) -> str:
    """``rtl`` for a language written right to left, else ``ltr``."""
    return "rtl" if base(code) in RTL_LANGUAGES else "ltr"


def default_digits(code: str) -> str:
    """The digits the kiosk writes for a language unless its labels say otherwise: Persian
    digits for Persian and Dari; Latin digits for the rest (Arabic content in the US mostly
    uses them; a clinic may choose ``arabic``)."""
    return "persian" if base(code) in ("fa", "prs") else "latin"


_ASCII_DIGIT = re.compile(r"[0-9]")


def digits(text: str, kind: str) -> str:
    """``text`` with its 0-9 written in ``kind``'s digits."""
    table = DIGITS.get(kind, DIGITS["latin"])
    if table == DIGITS["latin"]:
        return text
    return _ASCII_DIGIT.sub(lambda m: table[int(m.group())], text)


# A phone number: 7 or more digits (of any script) with separators, optionally "+" first,
# or an N11 service number (911, 311) standing alone. Dates and counts are left alone.
_NUMBER = re.compile(
    r"(?<![\w+(])[+(]?\d(?:[\d\u00a0 .\-‐-―()/]*\d){6,}(?!\w)"
    r"|(?<![\w\-.])[2-9]11(?![\w\-.])")


def isolate_numbers(text: str) -> str:
    """Phone numbers in ``text`` wrapped in a left-to-right isolate, so a right-to-left line
    shows 310-828-7757 in the order it is dialled (without it the groups come out reversed:
    7757-828-310). A number already isolated is left as it is."""
    if not any(ch.isdigit() for ch in text):
        return text

    def wrap(match: re.Match[str]) -> str:
        start, end = match.span()
        if start > 0 and text[start - 1] in (LRI, FSI) and text[end:end + 1] == PDI:
            return match.group()
        return f"{LRI}{match.group()}{PDI}"

    return _NUMBER.sub(wrap, text)


def starts_rtl(text: str) -> bool:
    """Whether the first letter with a direction of its own reads right to left."""
    import unicodedata

    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def rtl_paragraph(text: str) -> str:
    """``text`` as a right-to-left paragraph, whatever it starts with ("MRI ...", an
    English name, a phone number): a RIGHT-TO-LEFT MARK first, when it needs one."""
    return text if not text or starts_rtl(text) else RLM + text


_DIGIT_RUN = re.compile(r"\d+")


def other_digits(text: str, kind: str) -> str | None:
    """The first number in ``text`` written in other digits than the language's ``kind``,
    phone numbers left aside (they keep the digits a phone's keypad shows); None if none."""
    own = DIGITS.get(kind, DIGITS["latin"])
    phones = [m.span() for m in _NUMBER.finditer(text)]
    for match in _DIGIT_RUN.finditer(text):
        if any(a <= match.start() < b for a, b in phones):
            continue
        if any(ch not in own for ch in match.group()):
            return match.group()
    return None


def ltr_run(text: str) -> str:
    """``text`` as one left-to-right run that keeps its order inside any paragraph."""
    return f"{LRI}{text}{PDI}"


def strip_controls(text: str) -> str:
    """``text`` without direction marks and isolates (for speech, search and counting)."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if ch not in CONTROLS)


def control_problem(line: str) -> tuple[int, str, str] | None:
    """The first direction control a line may not hold: (column from 1, what is wrong, how
    to fix it). Marks pass; isolates pass when each is closed on the same line."""
    if line.isascii():
        return None
    open_at: list[int] = []
    for i, ch in enumerate(line):
        if ch in REFUSED:
            return (i + 1, f"has an invisible {REFUSED[ch]} (U+{ord(ch):04X}), which can make "
                    "the line show in a different order from the file",
                    "delete it (retype the line without copying and pasting); to keep a "
                    "number or an English word in order, the kiosk needs nothing, or use a "
                    "mark (U+200E or U+200F)")
        if ch in (LRI, RLI, FSI):
            open_at.append(i)
        elif ch == PDI:
            if not open_at:
                return (i + 1, "has an invisible POP DIRECTIONAL ISOLATE (U+2069) that closes "
                        "nothing", "delete it, or put the isolate that opens it before it")
            open_at.pop()
    if open_at:
        i = open_at[0]
        return (i + 1, f"has an invisible {ISOLATES[line[i]]} (U+{ord(line[i]):04X}) that is "
                "never closed, so the rest of the line may show out of order",
                "delete it, or close it with U+2069 on the same line")
    return None


def control_problems(text: str) -> list[tuple[int, int, str, str]]:
    """Every line of ``text`` with a direction control it may not hold: (line index from 0,
    column from 1, what is wrong, how to fix it)."""
    if text.isascii():
        return []
    found = []
    for index, line in enumerate(text.split("\n")):
        problem = control_problem(line)
        if problem:
            found.append((index, *problem))
    return found
