"""SVG pictures in pages and on tiles: sharp, as wide as the reading column, no gap below,
and a tile picture that never takes room from the title (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content
from kiosk.pictures import Picture, check
from kiosk.render import stylesheet
from kiosk.theme import LIGHT, Metrics
from kiosk.ui import pageview
from kiosk.ui.pageview import PageView
from kiosk.ui.widgets import IMAGE_IO, BigButton, draw_picture
from tests.ui.conftest import shows_all_words

SVG = bundled_content() / "en" / "images" / "jaw.svg"  # 800 x 500
ICON = bundled_content() / "en" / "images" / "icon-jaw.svg"
IMAGE = QTextDocument.ResourceType.ImageResource.value


def _picture(path: Path) -> Picture:
    found = check(bundled_content(), path, data=True)
    assert isinstance(found, Picture), found
    return found


def test_draw_picture_keeps_its_shape_and_is_sharp_on_dense_screens(qapp: object) -> None:
    image = draw_picture(_picture(SVG), 400, 0, 2.0)
    assert (image.width(), image.height()) == (800, 500)
    assert image.devicePixelRatio() == 2.0
    assert image.pixelColor(400, 250).alpha() > 0  # something was drawn
    small = draw_picture(_picture(SVG), 400, 100)
    assert (small.width(), small.height()) == (160, 100)  # limited by height
    assert draw_picture(Picture(Path(__file__), None, b"text"), 100).isNull()  # no picture


def test_page_picture_fills_the_column_with_no_gap_below(qtbot: QtBot, tmp_path: Path) -> None:
    view = PageView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    html = '<p><img alt="The jaw joint" src="kiosk-image:en/images/jaw.svg"></p>'
    view.show_page(html, stylesheet(LIGHT, 18), bundled_content(), 18,
                   {"en/images/jaw.svg": ("SVG", 800.0, 500.0)})
    qtbot.waitUntil(lambda: view.document().size().height() > 300)
    url = QUrl("kiosk-image:en/images/jaw.svg")

    def shown() -> QImage:
        image = view.document().resource(IMAGE, url)
        assert isinstance(image, QImage) and not image.isNull()
        return image

    # Drawn on the worker, then put in place of its stand-in: something is painted in it.
    qtbot.waitUntil(lambda: shown().pixelColor(shown().width() // 2,
                                               shown().height() // 2).alpha() > 0)

    width = view.picture_width()
    assert abs(shown().width() / shown().devicePixelRatio() - width) <= 1
    # The page is the picture and little else: its 145% line height adds no blank band.
    picture_h = shown().height() / shown().devicePixelRatio()
    assert view.document().size().height() < picture_h + 40

    view.resize(500, 300)  # another screen or text size: drawn again for the new width
    qtbot.waitUntil(lambda: abs(shown().width() / shown().devicePixelRatio()
                                - view.picture_width()) <= 1)
    assert view.picture_width() < width
    assert view.document().size().height() < shown().height() / shown().devicePixelRatio() + 40


def test_a_pages_pictures_are_found_once_however_often_it_is_laid_out(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding a page's pictures walks every fragment of it; a page is laid out dozens of
    times while it opens (each size change), so the walk is done once per page, and the
    pictures still get their boxes at every width."""
    walks: list[int] = []
    real = pageview._picture_spans

    def counted(doc: Any) -> list[tuple[int, int]]:
        walks.append(1)
        return real(doc)

    monkeypatch.setattr(pageview, "_picture_spans", counted)
    view = PageView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    html = ('<p>Words before.</p><p><img alt="a" src="kiosk-image:en/images/jaw.svg"></p>'
            '<p>Between.</p><p><img alt="b" src="kiosk-image:en/images/spine.svg"></p>')
    view.show_page(html, stylesheet(LIGHT, 18), bundled_content(), 18,
                   {"en/images/jaw.svg": ("SVG", 800.0, 500.0),
                    "en/images/spine.svg": ("SVG", 400.0, 400.0)})
    for width in (600, 500, 650, 700):
        view.resize(width, 300)
        qtbot.wait(10)
    assert len(walks) == 1
    boxes = [(round(fmt.width()), round(fmt.height())) for _p, _n, fmt in
             view._pictures(view.document())]
    column = round(view.picture_width())
    assert boxes == [(column, round(column * 500 / 800)), (column, column)]


def test_tile_picture_is_big_enough_and_leaves_the_title_its_width(qtbot: QtBot) -> None:
    metrics = Metrics.for_size(800, 480)
    title, detail = "How migraines and back pain are linked", "These two may be tied together."
    with_picture, without = BigButton(title, detail, ICON), BigButton(title, detail)
    for tile in (with_picture, without):
        qtbot.addWidget(tile)
        tile.set_style(LIGHT, metrics)
        tile.resize(247, tile.heightForWidth(247))
    assert with_picture.picture_side() >= 64
    side = with_picture.picture_side()
    qtbot.waitUntil(lambda: not with_picture._tile_picture(side).isNull())  # drawn off-thread
    assert with_picture._tile_picture(side).width() >= 64
    # The title wraps exactly as it would with no picture: the picture sits by the summary.
    assert with_picture._picture_width(247) == 0
    assert with_picture.heightForWidth(247) >= without.heightForWidth(247)
    assert shows_all_words(with_picture) and shows_all_words(without)


# -- pictures checked by what they are, drawn off the GUI thread (issue 17) -------------------

BUNDLED_SVGS = sorted(bundled_content().glob("*/images/*.svg"))


@pytest.mark.parametrize("path", BUNDLED_SVGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_bundled_svg_draws_exactly_as_qt_draws_the_file(qapp: object, path: Path) -> None:
    """The SVG Qt is given (checked, written out again as UTF-8) draws pixel for pixel as
    Qt draws the file itself."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImageReader

    checked = draw_picture(_picture(path), 300, 0, 1.0)
    with IMAGE_IO:  # the picture worker may still be drawing an earlier test's picture
        reader = QImageReader(str(path))
        reader.setScaledSize(QSize(checked.width(), checked.height()))
        original = reader.read()
    assert not original.isNull() and checked.size() == original.size()
    fmt = QImage.Format.Format_ARGB32_Premultiplied
    assert checked.convertToFormat(fmt) == original.convertToFormat(fmt)
    assert any(checked.pixelColor(x, y).alpha() for x in range(0, 300, 7)
               for y in range(0, checked.height(), 7))  # not blank


def _red_and_green(root: Path, tmp_path: Path, encoding: str) -> tuple[Path, Path]:
    """A red picture outside the folder, and an SVG in it (saved in ``encoding``) that shows
    the red one over its whole area; and the same showing a green picture beside it."""
    from PySide6.QtGui import QColor

    images = root / "en" / "images"
    images.mkdir(parents=True, exist_ok=True)
    for name, colour, folder in (("red.png", "red", tmp_path), ("green.png", "lime", images)):
        square = QImage(20, 20, QImage.Format.Format_ARGB32)
        square.fill(QColor(colour))
        with IMAGE_IO:
            assert square.save(str(folder / name))
    svgs = []
    for name, href in (("outside.svg", tmp_path / "red.png"), ("inside.svg", "green.png")):
        text = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
                f'xlink" width="100" height="100"><image xlink:href="{href}" width="100" '
                'height="100"/></svg>')
        (images / name).write_bytes(text.encode(encoding))
        svgs.append(images / name)
    return svgs[0], svgs[1]


def _colours(image: QImage) -> set[str]:
    return {image.pixelColor(x, y).name() for x in range(0, image.width(), 4)
            for y in range(0, image.height(), 4) if image.pixelColor(x, y).alpha() == 255}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8"])
def test_an_svg_in_any_encoding_never_shows_a_picture_from_outside_the_folder(
        qtbot: QtBot, tmp_path: Path, encoding: str) -> None:
    root = tmp_path / "content"
    outside, inside = _red_and_green(root, tmp_path, encoding)
    tiles = {}
    for svg in (outside, inside):
        tile = BigButton("A topic", "Its summary", svg, root=root)
        qtbot.addWidget(tile)
        tile.set_style(LIGHT, Metrics.for_size(800, 480))
        tile.resize(300, tile.heightForWidth(300))
        tile.show()
        tiles[svg.name] = tile
    side = tiles["inside.svg"].picture_side()
    qtbot.waitUntil(lambda: not tiles["inside.svg"]._tile_picture(side).isNull())
    qtbot.waitUntil(lambda: not tiles["outside.svg"].has_picture)  # refused on the worker
    assert "#00ff00" in _colours(tiles["inside.svg"].grab().toImage())
    assert "#ff0000" not in _colours(tiles["outside.svg"].grab().toImage())

    view = PageView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    view.show_page('<p><img src="kiosk-image:en/images/outside.svg"></p>'
                   '<p><img src="kiosk-image:en/images/inside.svg"></p>', "", root, 18)
    qtbot.waitUntil(lambda: "kiosk-image:en/images/outside.svg" in view.refused_resources)
    url = QUrl("kiosk-image:en/images/inside.svg")
    qtbot.waitUntil(lambda: "#00ff00" in _colours(view.document().resource(IMAGE, url)))
    assert "#ff0000" not in _colours(view.viewport().grab().toImage())


def test_pictures_are_drawn_off_the_gui_thread(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """Tiles and page pictures alike: Qt draws them on the picture worker, never on the GUI
    thread, so a picture slow to draw cannot hold up the screen (or the watchdog)."""
    import threading

    import kiosk.ui.pageview
    import kiosk.ui.widgets

    threads: list[str] = []
    real = kiosk.ui.widgets.draw_picture

    def recorded(*args: object, **kwargs: object) -> QImage:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kiosk.ui.widgets, "draw_picture", recorded)
    monkeypatch.setattr(kiosk.ui.pageview, "draw_picture", recorded)
    tile = BigButton("Your jaw", "About the jaw", ICON, root=bundled_content())
    qtbot.addWidget(tile)
    tile.resize(300, 200)
    tile.show()
    qtbot.waitUntil(lambda: len(threads) >= 1)
    view = PageView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    view.show_page('<p><img src="kiosk-image:en/images/jaw.svg"></p>', "", bundled_content(),
                   18, {"en/images/jaw.svg": ("SVG", 800.0, 500.0)})
    qtbot.waitUntil(lambda: len(threads) >= 2)
    assert threading.current_thread() is threading.main_thread()
    assert threads and all(name == "kiosk-pictures" for name in threads), threads


def test_nested_use_never_costs_the_gui_thread_its_drawing(qtbot: QtBot, tmp_path: Path) -> None:
    """Seven levels of ten <use> each (1.5 KB) took seconds of the GUI thread to draw as a
    tile; now the worker refuses it before drawing, and the GUI thread spends no time on it
    (CPU time of the GUI thread, not wall time: a busy machine cannot fail this)."""
    import time

    from tests.test_picture_check import nested_use

    images = tmp_path / "images"
    images.mkdir()
    svg = images / "use.svg"
    svg.write_text(nested_use(7, 10))
    started = time.thread_time()
    tile = BigButton("A topic", "Its summary", svg, root=tmp_path)
    qtbot.addWidget(tile)
    tile.resize(300, 200)
    tile.show()
    tile.repaint()
    tile.repaint()  # the second paint asks for the picture
    qtbot.waitUntil(lambda: not tile.has_picture)
    assert time.thread_time() - started < 0.5
