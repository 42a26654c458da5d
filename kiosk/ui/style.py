"""Qt style sheet and fonts for the kiosk, made from the core's Theme and Metrics."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

from kiosk import fonts
from kiosk.theme import Metrics, Theme

FONT_FAMILIES = ["Noto Sans", "DejaVu Sans", "Segoe UI", "Helvetica Neue", "Arial", "sans-serif"]
_families: list[str] = list(FONT_FAMILIES)  # the patient's language's (use_language)
_by_code: dict[str, list[str]] = {}


def families_for(code: str) -> list[str]:
    """The families to draw a language in: the usual ones, with the installed families that
    have its script's letters (kiosk.fonts, asked of Qt's font database, which fontconfig
    fills) just after the first, so its own letters never come from a stray fallback."""
    if code not in _by_code:
        script = fonts.script_of(code)
        chosen: list[str] = []
        if script is not None:
            from PySide6.QtGui import QFontDatabase

            system = getattr(QFontDatabase.WritingSystem, script.writing_system)
            have = set(QFontDatabase.families(system))
            chosen = [f for f in script.families if f in have] or sorted(have)[:1]
        _by_code[code] = [FONT_FAMILIES[0], *chosen,
                          *(f for f in FONT_FAMILIES[1:] if f not in chosen)]
    return _by_code[code]


def use_language(code: str) -> bool:
    """Draw from now on in ``code``'s families; whether they changed."""
    global _families
    wanted = families_for(code)
    if wanted == _families:
        return False
    _families = wanted
    return True


def families() -> list[str]:
    return list(_families)


def font(px: int, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(_families)
    f.setPixelSize(px)
    f.setBold(bold)
    f.setStyleHint(QFont.StyleHint.SansSerif)
    return f


def fitting_px(text: str, room: int, largest: int, smallest: int, bold: bool = False) -> int:
    """The largest type size, from ``largest`` down to ``smallest``, at which ``text`` fits
    on one line ``room`` pixels wide (``smallest`` if none does)."""
    px = largest
    while px > smallest and QFontMetrics(font(px, bold)).horizontalAdvance(text) > room:
        px -= 1
    return px


def window_stylesheet(theme: Theme, m: Metrics) -> str:
    """The Qt style sheet for the whole window (pages have their own, in kiosk.render)."""
    radius = max(8, m.button // 6)
    pad = max(16, m.button // 3)
    return f"""
QWidget#KioskWindow, QWidget#Screen, QScrollArea, QWidget#ScrollBody {{
    background: {theme.background};
}}
QScrollArea {{ border: none; }}
QWidget#TopBar {{ background: {theme.surface}; border-bottom: 2px solid {theme.border}; }}
QWidget#ActionBar {{ background: {theme.surface}; border-top: 2px solid {theme.border}; }}
QPushButton#More {{ min-height: 48px; font-size: {m.small}px; border-style: dashed;
                    padding: 0 12px; }}
QLabel {{ color: {theme.text}; font-size: {m.body}px; }}
QLabel#BarTitle {{ color: {theme.heading}; font-size: {m.heading}px; font-weight: 700; }}
QLabel#Title {{ color: {theme.heading}; font-size: {m.title}px; font-weight: 700; }}
QLabel#Heading {{ color: {theme.heading}; font-size: {m.heading}px; font-weight: 700; }}
QLabel#UrgentTitle {{ color: {theme.urgent}; font-size: {m.title}px; font-weight: 700; }}
QLabel#Banner {{ padding: {m.gap}px; font-size: {m.small}px; color: #1b1f24;
                 background: #fff4ce; border-bottom: 2px solid #9a6700; }}
QLabel#Banner[state="clean"] {{ background: #dafbe1; border-bottom: 2px solid #1a7f37; }}
QLabel#Muted {{ color: {theme.muted}; font-size: {m.small}px; }}
QLabel#Strong {{ font-weight: 700; }}
QLabel#Phone {{ color: {theme.accent}; font-size: {m.phone}px; font-weight: 700; }}
QFrame#Note {{ background: {theme.surface}; border: 2px solid {theme.border};
               border-radius: {radius}px; }}
QFrame#UrgentBox {{ background: {theme.urgent_bg}; border: 3px solid {theme.urgent};
                    border-radius: {radius}px; }}
QFrame#Note QLabel, QFrame#UrgentBox QLabel {{ background: transparent; border: none; }}
QPushButton {{
    min-height: {m.button}px; min-width: {m.button}px;
    padding: 0 {pad}px;
    font-size: {m.body}px; font-weight: 700;
    color: {theme.accent}; background: {theme.surface};
    border: 2px solid {theme.accent}; border-radius: {radius}px;
}}
QPushButton:pressed {{ background: {theme.note_bg}; }}
QPushButton[role="primary"], QPushButton:checked {{
    color: {theme.on_accent}; background: {theme.accent};
}}
QPushButton[role="primary"]:pressed {{ background: {theme.heading}; }}
QPushButton[role="urgent"] {{
    color: {theme.urgent_bg}; background: {theme.urgent}; border-color: {theme.urgent};
    min-height: {round(m.button * 1.25)}px; font-size: {m.heading}px;
    padding: 0 {pad // 2}px;
}}
QTextBrowser {{ background: {theme.background}; color: {theme.text}; border: none; }}
QScrollBar:vertical {{ background: {theme.background}; width: {max(10, m.gap)}px; }}
QScrollBar::handle:vertical {{ background: {theme.border}; border-radius: {max(4, m.gap // 2)}px;
                               min-height: {m.button}px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
"""
