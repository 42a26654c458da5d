"""Farsi on the real window: the whole patient screen mirrors, labels read right to left
whatever they start with, phone numbers show in the order they are dialled, the kiosk's own
numbers are in Persian digits, staff panels stay left to right; and a script is drawn only
from fonts that have its letters (Korean, Armenian), or the checker says which package."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QPointingDevice, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk import bidi, fonts
from kiosk.checker import check_folder
from kiosk.config import bundled_content
from kiosk.session import Screen
from kiosk.ui import style
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured, find_button, touch, visible_buttons
from tests.ui.test_access import visible_words, walk_all

RTL = Qt.LayoutDirection.RightToLeft


def _x(window: KioskWindow, widget: object) -> int:
    """The widget's centre, in window pixels from the left."""
    return widget.mapTo(window, widget.rect().center()).x()  # type: ignore[attr-defined]


def shown_order(text: str, rtl: bool = True) -> str:
    """The characters of ``text`` as they appear on screen from left to right, as Qt lays
    them out in a paragraph of that direction (controls left out)."""
    layout = QTextLayout(text, QFont())
    option = QTextOption()
    option.setTextDirection(RTL if rtl else Qt.LayoutDirection.LeftToRight)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    placed = []
    for i, ch in enumerate(text):
        if ch in bidi.CONTROLS or ch.isspace():
            continue
        xs = [run.positions()[0].x() for run in line.glyphRuns(i, 1) if run.positions()]
        placed.append((xs[0], ch))
    return "".join(ch for _x, ch in sorted(placed, key=lambda xc: xc[0]))


def test_a_number_reads_as_dialled_only_when_isolated(qtbot: QtBot) -> None:
    words = "تماس با 310-828-7757"
    assert "7757-828-310" in shown_order(words)  # the trap: Qt, like every browser, flips it
    assert "310-828-7757" in shown_order(bidi.isolate_numbers(words))


def test_farsi_mirrors_the_whole_patient_screen(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        finger: QPointingDevice) -> None:
    window = open_window(configured(), size=(800, 480))
    window.go_home()
    window.set_language("fa")
    assert window.layoutDirection() == RTL
    middle = window.width() // 2
    qtbot.waitUntil(lambda: _x(window, window.bar.text) < middle)  # "Text size": the left
    window.open_topic("spinal-fluid-leaks")
    assert _x(window, window.bar.back) > _x(window, window.bar.home) > middle  # Back: right
    page = window.topic_screen.page.document()
    block = page.begin()
    while block.isValid():  # every block of the page reads right to left
        assert block.textDirection() == RTL or not block.text().strip(), block.text()
        block = block.next()
    window.start_selfcheck()
    yes = find_button(window, "بله، یکی یا بیشتر")
    no = find_button(window, "نه، هیچ‌کدام")
    assert _x(window, yes) > _x(window, no)  # the first answer on the reading side
    progress = [w.text() for w in window.current_screen.findChildren(QLabel)
                if w.isVisible() and "سؤال" in w.text()]
    assert [bidi.strip_controls(t) for t in progress] == ["سؤال ۱ از ۹"]  # Persian digits
    touch(window, finger, yes)
    assert window.visit.screen is Screen.RESULT
    # The staff's PIN pad keeps its own layout: digits where every keypad has them.
    assert window.staff.pin_pad.layoutDirection() == Qt.LayoutDirection.LeftToRight
    window.set_language("en")
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_the_call_panel_number_reads_as_dialled_on_the_reading_side(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(), size=(800, 480))
    window.set_language("fa")
    window.open_call()
    screen = window.current_screen
    phone = screen.phone  # type: ignore[attr-defined]
    assert shown_order(phone.text()) == "310-828-7757"
    assert phone.mapTo(window, phone.rect().topRight()).x() > window.width() // 2
    name = next(w for w in screen.findChildren(QLabel) if "Spine Institute" in w.text())
    assert name.text().startswith(bidi.RLM)  # an English name, still on the reading side
    window.go_home()  # the call button on every screen, in Persian words
    call = next(b for b in visible_buttons(window) if "7757" in b.text())
    assert call.text().startswith("تماس با") and "310-828-7757" in shown_order(call.text())


def test_the_tiles_words_sit_on_the_reading_side(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(), size=(1920, 1080))
    window.set_language("fa")
    window.go_home()
    tile = next(b for b in visible_buttons(window) if "CSF" in b.text() or "نشت" in b.text())
    image = tile.grab().toImage()
    ink = [x for x in range(image.width()) for y in range(0, image.height(), 3)
           if image.pixelColor(x, y).lightness() < 90]
    # Dark ink (the title) ends near the right edge, not the left: the words start there.
    assert ink and image.width() - max(ink) < image.width() * 0.1


SCRIPTS = Path(__file__).parent.parent / "scripts"  # Korean and Armenian test content


def shown_text(window: KioskWindow) -> str:
    """Every word the patient can see: labels, buttons and the page."""
    parts = [w.text() for w in window.findChildren(QLabel) if w.isVisibleTo(window)]
    parts += [b.text() for b in visible_buttons(window)]
    parts.append(window.topic_screen.page.document().toPlainText()
                 if window.visit.screen is Screen.TOPIC else "")
    return "\n".join(parts)


@pytest.mark.parametrize("code", ["ko", "hy"])
def test_other_scripts_show_every_letter_when_a_font_has_them(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], code: str) -> None:
    if fonts.missing(code):
        pytest.skip(f"{fonts.missing(code)}: {fonts.package_hint(code)}")
    _loaded, problems = check_folder(SCRIPTS)
    assert not [p for p in problems if p.is_error or "empty boxes" in p.message]
    window = open_window(configured(), size=(800, 480), content=SCRIPTS)
    window.go_home()
    window.set_language(code)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    families = style.families_for(code)
    assert window.font().families() == families
    assert families[1] in (fonts.script_of(code) or fonts.SCRIPTS["ko"]).families
    seen = ""
    for go in (window.go_home, lambda: window.open_topic("back-pain"), window.start_selfcheck):
        go()
        seen += shown_text(window)
    letters = {c for c in seen if not c.isspace() and not c.isascii()
               and c not in bidi.CONTROLS}
    assert len(letters) > 20  # the script's own letters are on screen
    missing = [c for c in letters
               if not any(QFontMetrics(QFont(f)).inFontUcs4(ord(c)) for f in families)]
    assert missing == []  # an empty box would be a letter no family has


def test_a_script_with_no_font_is_named_with_its_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts.installed_for.cache_clear()
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "no-fonts.conf"))
    (tmp_path / "no-fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{tmp_path / 'none'}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>", encoding="utf-8")
    try:
        _loaded, problems = check_folder(SCRIPTS)
    finally:
        fonts.installed_for.cache_clear()
    found = [str(p) for p in problems if "empty boxes" in p.message]
    assert found == [
        f"{SCRIPTS / 'hy' / 'labels.yaml'}:1: warning: no font on this machine has the letters"
        " of Armenian script, so patients reading 'hy' would see empty boxes instead of words "
        "(fix: install a font for it (on Debian or Raspberry Pi OS: sudo apt-get install "
        "fonts-noto-core), then restart the kiosk)",
        f"{SCRIPTS / 'ko' / 'labels.yaml'}:1: warning: no font on this machine has the letters"
        " of Korean (Hangul), so patients reading 'ko' would see empty boxes instead of words "
        "(fix: install a font for it (on Debian or Raspberry Pi OS: sudo apt-get install "
        "fonts-noto-cjk (or the smaller fonts-nanum)), then restart the kiosk)"]


def test_every_farsi_screen_shows_farsi_words_only(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    """Walking every Farsi screen (largest text, high contrast): a Latin word on screen is
    one the Persian content itself uses (MRI, CSF, TMJ, the clinic's English name), the
    clinic or doctor from the config, another language's button, or an address; never an
    English label left untranslated."""
    window = open_window(replace(configured(), language="fa"), size=(800, 480))
    clinic = window.config.clinic
    fa = bundled_content() / "fa"
    allowed = set(re.findall(r"[A-Za-z]{2,}", " ".join(
        p.read_text("utf-8") for p in [*fa.glob("*.md"), *fa.glob("*.yaml")])))
    allowed |= set(re.findall(r"[A-Za-z]{2,}", f"{clinic.name} {clinic.doctor} English "
                                                "Español https example org more to read"))
    screens, leaks = 0, []
    for name in walk_all(window, 2, True):
        if name.startswith(("en-", "es-")) or name.startswith("staff"):
            continue  # fa is the default here: its screens have no prefix
        screens += 1
        for words in visible_words(window):
            leaks += [f"{name}: {w!r} in {words!r}"
                      for w in re.findall(r"[A-Za-z]{2,}", words) if w not in allowed]
    assert screens >= 30
    assert leaks == []
