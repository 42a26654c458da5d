"""SVG pictures in pages and on tiles: sharp, as wide as the reading column, no gap below,
and a tile picture that never takes room from the title (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content
from kiosk.pictures import Picture, check
from kiosk.render import stylesheet
from kiosk.theme import LIGHT, Metrics
from kiosk.ui.pageview import PageView
from kiosk.ui.widgets import BigButton, draw_picture
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
