"""For every patient: languages, text size, contrast, touch targets, scrolling, QR codes."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtGui import QColor, QFontInfo, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content
from kiosk.labels import DEFAULTS
from kiosk.session import Screen
from kiosk.theme import HIGH_CONTRAST, LIGHT
from kiosk.ui.overlays import Overlay
from kiosk.ui.screens import BaseScreen
from kiosk.ui.shots import walk
from kiosk.ui.widgets import IMAGE_IO, BigButton
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured, shows_all_words, tap

SIZES = [(800, 480), (1920, 1080)]



def settle() -> None:
    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def layer(window: KioskWindow) -> QWidget:
    """The top layer a finger can reach: an open overlay, or the window itself."""
    for overlay in window.findChildren(Overlay):
        if overlay.isVisible():
            return overlay
    return window


def reachable_buttons(window: KioskWindow) -> list[tuple[QAbstractButton, QRect]]:
    """Visible buttons of the top layer, with their on-screen rectangle (scrolled-away ones
    are left out: a person scrolls to them first)."""
    root = layer(window)
    out = []
    for b in root.findChildren(QAbstractButton):
        if not b.isVisibleTo(window) or b.window() is not window:
            continue
        if root is window and any(o.isVisible() and o.isAncestorOf(b)
                                  for o in window.findChildren(Overlay)):
            continue
        shown = b.visibleRegion().boundingRect()
        if shown.isEmpty():
            continue
        if shown.size() != b.size():
            continue  # partly scrolled out of view: checked when it is scrolled in
        top_left = b.mapTo(window, b.rect().topLeft())
        out.append((b, QRect(top_left, b.size())))
    return out


def gap(a: QRect, b: QRect) -> int:
    dx = max(b.left() - (a.left() + a.width()), a.left() - (b.left() + b.width()))
    dy = max(b.top() - (a.top() + a.height()), a.top() - (b.top() + b.height()))
    return max(dx, dy)


def check_screen(window: KioskWindow, where: str) -> list[str]:
    """Everything a person would notice: small or crowded buttons, clipped words."""
    bad: list[str] = []
    screen = QRect(0, 0, window.width(), window.height())
    buttons = reachable_buttons(window)
    for b, rect in buttons:
        if b.width() < 48 or b.height() < 48:
            bad.append(f"{where}: {b.text()!r} is {b.width()}x{b.height()}")
        if not screen.contains(rect):
            bad.append(f"{where}: {b.text()!r} leaves the screen at {rect}")
        if isinstance(b, BigButton):
            if not shows_all_words(b):
                bad.append(f"{where}: the words of {b.text()!r} do not fit")
        elif b.text():
            need = b.fontMetrics().horizontalAdvance(b.text())
            if need > b.contentsRect().width() - 8:
                bad.append(f"{where}: {b.text()!r} needs {need}px, has {b.width()}")
    for i, (a, ra) in enumerate(buttons):
        for b, rb in buttons[i + 1:]:
            if gap(ra, rb) < 8:
                bad.append(f"{where}: {a.text()!r} and {b.text()!r} are {gap(ra, rb)}px apart")
    bad += hidden_without_cue(window, where)
    for lab in layer(window).findChildren(QLabel):
        if not lab.isVisibleTo(window) or not lab.text():
            continue
        if lab.wordWrap():
            need = lab.heightForWidth(lab.width())
            if need > lab.height() + 1:
                bad.append(f"{where}: label {lab.text()[:30]!r} is cut ({lab.height()}<{need})")
            words = re.split(r"[\s\u200b]+", lab.text().strip())  # a zero-width space breaks
            widest = max(words, key=lab.fontMetrics().horizontalAdvance)
            if lab.fontMetrics().horizontalAdvance(widest) > lab.contentsRect().width() + 1:
                bad.append(f"{where}: the word {widest!r} of label {lab.text()[:30]!r} is "
                           "wider than the label: it is cut")
        elif lab.fontMetrics().horizontalAdvance(lab.text()) > lab.contentsRect().width() + 1:
            bad.append(f"{where}: label {lab.text()[:30]!r} is cut sideways")
    return bad


def hidden_without_cue(window: KioskWindow, where: str) -> list[str]:
    """A patient does not scroll to find a button: the main actions are always fully on
    screen, and whatever is under the fold is announced by a visible "more below" cue."""
    screen = window.current_screen
    if not isinstance(screen, BaseScreen) or layer(window) is not window:
        return []
    bad = []
    whole = QRect(0, 0, window.width(), window.height())
    for b in screen.action_bar.findChildren(QAbstractButton):
        if not b.isVisibleTo(window):
            continue
        rect = QRect(b.mapTo(window, b.rect().topLeft()), b.size())
        if not whole.contains(rect) or b.visibleRegion().boundingRect().size() != b.size():
            bad.append(f"{where}: the action {b.text()!r} is not wholly in view")
    if screen.has_more() and not screen.more.isVisibleTo(window):
        bad.append(f"{where}: there is more below the fold and no cue says so")
    viewport = screen.area.viewport()
    if screen.more.isVisibleTo(window) and not screen.has_more():
        bad.append(f"{where}: the cue says 'more below' at the end")
    for b in screen.area.findChildren(QAbstractButton):
        if not b.isVisibleTo(window):
            continue
        top = b.mapTo(viewport, b.rect().topLeft()).y()
        if top + b.height() > viewport.height() and not screen.more.isVisibleTo(window):
            bad.append(f"{where}: {b.text()!r} is below the fold with no cue")
    return bad


def walk_all(window: KioskWindow, step: int, high: bool) -> Iterator[str]:
    for name in walk(window, step, high):
        settle()
        yield name


@pytest.mark.parametrize("size", SIZES, ids=["800x480", "1920x1080"])
@pytest.mark.parametrize("step", [0, 1, 2], ids=["normal", "larger", "largest"])
@pytest.mark.parametrize("high", [False, True], ids=["light", "contrast"])
def test_every_screen_has_finger_sized_targets_and_nothing_clipped_or_hidden(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], size: tuple[int, int],
        step: int, high: bool) -> None:
    """Both languages (the walk visits each), both themes, three text sizes, two screens."""
    window = open_window(configured(), size=size)
    problems: list[str] = []
    seen = 0
    for name in walk_all(window, step, high):
        seen += 1
        problems += check_screen(window, name)
        area = _scroll_area(window)
        if area is not None:  # scroll to the end and look again, as a reader would
            area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
            settle()
            problems += check_screen(window, name + " (scrolled to the end)")
    assert seen > 40
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("size", "mm", "body"), [((800, 480), 222, 24), ((1920, 1080), 344, 37)],
                         ids=["10in-800x480", "15.6in-1920x1080"])
@pytest.mark.parametrize("high", [False, True], ids=["light", "contrast"])
def test_letters_sized_by_the_panel_still_fit_every_screen(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], size: tuple[int, int], mm: int,
        body: int, high: bool) -> None:
    """With the panel's width known, the smallest text step is raised to 4.8 mm capitals
    (kiosk.physical), and every screen still holds: 24 px at 800x480 on a 10-inch panel,
    37 px at 1920x1080 on a 15.6-inch one."""
    window = open_window(configured(screen_width_mm=mm), size=size)
    problems: list[str] = []
    seen = 0
    for name in walk_all(window, 0, high):
        seen += 1
        assert window.metrics.body == body, name
        problems += check_screen(window, name)
        root = layer(window)
        for w in [*root.findChildren(QLabel), *root.findChildren(QAbstractButton)]:
            if w.isVisibleTo(window) and w.text() and not name.startswith("staff"):
                px = min(w._fonts()) if isinstance(w, BigButton) else \
                    QFontInfo(w.font()).pixelSize()
                if px < body:
                    problems.append(f"{name}: {w.text()[:30]!r} is set at {px} px < {body}")
        area = _scroll_area(window)
        if area is not None:
            area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
            settle()
            problems += check_screen(window, name + " (scrolled to the end)")
    assert seen > 40
    assert problems == [], "\n".join(problems)
    assert "all at least 4.8 mm (ADA 707.7.2)" in window.physical_line()


def _scroll_area(window: KioskWindow) -> Any:
    from PySide6.QtWidgets import QScrollArea

    screen = window.current_screen
    areas = [a for a in screen.findChildren(QScrollArea) if a.isVisibleTo(window)]
    return areas[0] if areas else None


def visible_words(window: KioskWindow) -> list[str]:
    root = layer(window)
    words = [lab.text() for lab in root.findChildren(QLabel) if lab.isVisibleTo(window)]
    words += [b.text() for b in root.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    return [w for w in words if w]


def test_espanol_changes_every_word_and_a_reset_brings_english_back(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured())
    tap(qtbot, window, "Español")
    english = {v for k, v in DEFAULTS.items() if k != "language.name" and v not in (
        "Normal",)}
    allowed = {"The Spine Institute", "English", "310-828-7757"}
    leftovers: list[str] = []
    for name in walk_all(window, 0, False):
        if not name.startswith("es-"):
            continue
        for text in visible_words(window):
            if text in allowed:
                continue
            # ("No" is Spanish too.)
            if text in english or text in {"Yes", "None of these", "Back", "Home"}:
                leftovers.append(f"{name}: {text!r}")
    assert leftovers == []
    window.reset()
    window.wake()
    assert window.session.language_code == "en"
    assert "Tap a topic to learn more" in visible_words(window)


def test_language_switch_on_home_changes_topics_and_buttons(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured())
    tap(qtbot, window, "Español")
    words = visible_words(window)
    assert "Toque un tema para saber más" in words
    assert "¿Hay relación entre migraña y dolor de espalda?" in words
    assert "Tamaño de letra" in words  # says what it does
    jaw = window.content.languages["es"].topic("jaw-and-tmj").title
    tap(qtbot, window, jaw)
    assert "Atrás" in visible_words(window) and "Inicio" in visible_words(window)
    assert "mandíbula" in window.topic_screen.page.toPlainText()


def test_a_third_language_is_just_a_folder(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    ko = root / "ko"
    ko.mkdir()
    shutil.copy(root / "es" / "jaw-and-tmj.md", ko / "jaw-and-tmj.md")
    (ko / "labels.yaml").write_text("language.name: 한국어\nnav.home: 처음으로\n",
                                    encoding="utf-8")
    from kiosk.checker import check_folder

    _loaded, problems = check_folder(root)
    said = [str(p) for p in problems]
    assert any(s.startswith(f"{ko}/labels.yaml:1: warning:") and "nav.back" in s for s in said)
    assert any(s.startswith(f"{ko}/spine-injuries.md:1: warning: the topic 'spine-injuries'")
               for s in said)
    window = open_window(configured(), content=root)
    tap(qtbot, window, "한국어")
    assert window.session.language_code == "ko"
    jaw = window.content.languages["es"].topic("jaw-and-tmj").title
    assert [t.text() for t in window.screens[Screen.HOME].tiles] == [jaw]
    tap(qtbot, window, jaw)
    assert "처음으로" in visible_words(window)  # its own label
    assert "Back" in visible_words(window)  # a missing label falls back to English


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def dark_and_light(image: QImage) -> tuple[QColor, float, int, float]:
    """The most common colour of a picture (its background) and its share of the pixels;
    how many pixels stand out from it at 4.5:1 or more (words, lines), and the contrast of
    the most common of those against the background."""
    counts = Counter(image.pixel(x, y) for x in range(0, image.width(), 2)
                     for y in range(0, image.height(), 2))
    (top, n), total = counts.most_common(1)[0], sum(counts.values())
    background = QColor.fromRgb(top)
    standing = Counter({rgb: k for rgb, k in counts.items()
                        if contrast(QColor.fromRgb(rgb), background) >= 4.5})
    if not standing:
        return background, n / total, 0, 1.0
    ink = QColor.fromRgb(standing.most_common(1)[0][0])
    return background, n / total, sum(standing.values()), contrast(ink, background)


def test_text_size_and_contrast_last_for_the_session_only(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(), size=(800, 480))
    body = window.metrics.body
    tap(qtbot, window, "Text size")
    tap(qtbot, window, "Largest")
    assert window.metrics.body > body
    tap(qtbot, window, "High contrast")
    assert window.theme is HIGH_CONTRAST
    tap(qtbot, window, "Done")
    tap(qtbot, window, "Your jaw joint (TMJ) and headaches")
    page = window.topic_screen.page.document()
    assert page.defaultFont().pixelSize() == window.metrics.body  # the page at the larger size
    assert f"font-size: {window.metrics.body}px" in page.defaultStyleSheet()
    # What a person sees, measured on the pixels painted (the window and the page): mostly
    # a dark background, with light words on it at AAA contrast (7:1) or more.
    for where, image in (("window", window.grab().toImage()),
                         ("page", window.topic_screen.page.viewport().grab().toImage())):
        background, share, words, ratio = dark_and_light(image)
        assert background.lightness() < 40 and share > 0.5, (where, background.name(), share)
        assert words > 300 and ratio >= 7, (where, words, ratio)
    window.reset()
    window.wake()
    assert window.theme is LIGHT and window.metrics.body == body


def test_more_below_cue_shows_until_the_end_of_the_page(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(), size=(800, 480))
    tap(qtbot, window, "How migraines and back pain may be linked")
    screen = window.topic_screen
    assert screen.more.isVisible() and screen.more.text().endswith("More below")
    bar = screen.area.verticalScrollBar()
    tap(qtbot, window, screen.more.text())
    qtbot.waitUntil(lambda: bar.value() > 100)
    bar.setValue(bar.maximum())
    assert not screen.more.isVisible()


def _decode(image_path: Path) -> str:
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(image_path)],
                            capture_output=True, text=True, timeout=60)
    return result.stdout.strip()


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbarimg (zbar-tools)")
@pytest.mark.parametrize("size", SIZES, ids=["800x480", "1920x1080"])
def test_call_panel_qr_code_scans_to_the_phone_number(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path,
        size: tuple[int, int]) -> None:
    window = open_window(configured(), size=size)
    tap(qtbot, window, "Spine injuries and headaches")
    tap(qtbot, window, "Call 310-828-7757")
    assert "Scan to call from your phone" in visible_words(window)
    shot = tmp_path / "call.png"
    with IMAGE_IO:  # the picture worker may be reading an image meanwhile
        window.grab().save(str(shot))
    assert _decode(shot) == "tel:+13108287757"  # the bundled 310-828-7757, as phones dial it


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbarimg (zbar-tools)")
def test_more_info_and_web_links_become_qr_codes(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Your jaw\nsummary: s\norder: 2\n"
                                        "more_info: https://example.org/jaw\n---\n"
                                        "Read [the guide](https://example.org/guide).\n"})
    window = open_window(configured(), content=root, size=(1280, 720))
    tap(qtbot, window, "Your jaw")
    screen = window.topic_screen
    assert screen.more_info.isVisible()
    assert screen.more_info_code.data == "https://example.org/jaw"
    screen.page.anchorClicked.emit(__import__("PySide6.QtCore").QtCore.QUrl("kiosk-qr:0"))
    assert window.qr_panel.isVisible()
    shot = tmp_path / "qr.png"
    with IMAGE_IO:  # the picture worker may be reading an image meanwhile
        window.grab().save(str(shot))
    assert _decode(shot) == "https://example.org/guide"
    tap(qtbot, window, "Close")
    assert not window.qr_panel.isVisible()
    assert window.current_screen is screen


def test_screens_and_controls_have_accessible_names_in_the_language(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured())
    for name in walk_all(window, 0, False):
        if name in ("resting",):
            continue
        screen = window.current_screen
        assert screen.accessibleName(), name
        if name.startswith("es-"):
            assert screen.accessibleName() not in DEFAULTS.values(), name
        for b, _rect in reachable_buttons(window):
            assert b.accessibleName() == b.text() and b.text(), (name, b.text())


def test_overlays_made_on_first_use_are_styled_at_once(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    """The first "Are you still there?" of the day had no padding and no width (it was
    styled only at the next change of size or colours)."""
    window = open_window(configured(), size=(800, 480))
    window.wake()
    window.go_home()
    m = window.metrics
    for overlay in (window.still_there, window.display_panel, window.qr_panel):
        margins = overlay.card_layout.contentsMargins()
        assert (margins.left(), margins.top()) == (m.gap * 2, m.gap * 2), overlay
        assert overlay.card.minimumWidth() == overlay.card.maximumWidth() >= 300


def test_the_staff_panel_says_how_tall_the_letters_are(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    """From the config's panel width (the Raspberry Pi 7-inch display is 154 mm wide)."""
    window = open_window(configured(screen_width_mm=154), size=(800, 480))
    status, _problems = window.staff_status()
    assert ("Screen 154 mm wide (config), 5.2 px/mm; capital letters of body text: Normal "
            "2.5 mm, Larger 3.1 mm, Largest 3.5 mm; below 4.8 mm (ADA 707.7.2) at every size: "
            "this screen holds body text up to 25 px, so at 800 px across the panel must be "
            "at least 210 mm wide" in status)
