"""Farsi on the real window: the whole patient screen mirrors, labels read right to left
whatever they start with, phone numbers show in the order they are dialled, the kiosk's own
numbers are in Persian digits, staff panels stay left to right; and a script is drawn only
from fonts that have its letters (Korean, Armenian), or the checker says which package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPointingDevice, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk import bidi, fonts
from kiosk.checker import check_folder
from kiosk.session import Screen
from kiosk.ui import style
from kiosk.ui.window import KioskWindow
from tests.conftest import topic_text
from tests.ui.conftest import configured, find_button, touch, visible_buttons

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


def _tiny_content(root: Path, code: str, title: str, summary: str, body: str,
                  labels: str) -> Path:
    (root / "en").mkdir(parents=True)
    (root / "en" / "pain.md").write_text(topic_text("Back pain", "About back pain.", 1,
                                                    "Some words."), encoding="utf-8")
    (root / code).mkdir()
    (root / code / "pain.md").write_text(topic_text(title, summary, 1, body), encoding="utf-8")
    (root / code / "labels.yaml").write_text(labels, encoding="utf-8")
    return root


KO = ("허리 통증", "허리 통증에 대해 알아보세요.", "허리와 목이 아프면 의사에게 말하세요.",
      "language.name: 한국어\nhome.heading: 주제를 누르세요\nnav.back: 뒤로\n")
HY = ("Մեջքի ցավ", "Իմացեք մեջքի ցավի մասին։", "Եթե մեջքը ցավում է, ասեք բժշկին։",
      "language.name: Հայերեն\nhome.heading: Ընտրեք թեմա\nnav.back: Հետ\n")


@pytest.mark.parametrize(("code", "words"), [("ko", KO), ("hy", HY)], ids=["ko", "hy"])
def test_other_scripts_show_every_letter_when_a_font_has_them(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path,
        code: str, words: tuple[str, str, str, str]) -> None:
    if fonts.missing(code):
        pytest.skip(f"{fonts.missing(code)}: {fonts.package_hint(code)}")
    root = _tiny_content(tmp_path / "content", code, *words)
    _loaded, problems = check_folder(root)
    assert not [p for p in problems if "empty boxes" in p.message]
    window = open_window(configured(), size=(800, 480), content=root)
    window.set_language(code)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    families = style.families_for(code)
    assert window.font().families() == families
    tile = next(b for b in visible_buttons(window) if b.text() == words[0])
    shown = words[0] + words[1] + words[3]
    for ch in {c for c in shown if not c.isspace() and not c.isascii()}:  # no empty box
        assert any(QFontMetrics(QFont(f)).inFontUcs4(ord(ch)) for f in families), ch
    assert tile.grab().toImage().pixelColor(QPoint(5, 5)).isValid()


def test_a_script_with_no_font_is_named_with_its_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts.installed_for.cache_clear()
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "no-fonts.conf"))
    (tmp_path / "no-fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{tmp_path / 'none'}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>", encoding="utf-8")
    try:
        root = _tiny_content(tmp_path / "content", "ko", *KO)
        _loaded, problems = check_folder(root)
    finally:
        fonts.installed_for.cache_clear()
    found = [str(p) for p in problems if "empty boxes" in p.message]
    assert found == [
        f"{root / 'ko' / 'labels.yaml'}:1: warning: no font on this machine has the letters "
        "of Korean (Hangul), so patients reading 'ko' would see empty boxes instead of words (fix: "
        "install a font for it (on Debian or Raspberry Pi OS: sudo apt-get install "
        "fonts-noto-cjk (or the smaller fonts-nanum)), then restart the kiosk)"]
