"""The page view and the tiles: pictures come only from the content folder; links go nowhere
but to other topics."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from kiosk.session import Screen
from kiosk.ui.pageview import PageView
from kiosk.ui.window import KioskWindow
from tests.conftest import topic_text
from tests.test_render import PNG
from tests.ui.conftest import shows_all_words, tap

IMAGE = QTextDocument.ResourceType.ImageResource.value


def test_page_view_loads_only_content_images(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "en" / "images").mkdir(parents=True)
    (root / "en" / "images" / "a.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    view = PageView()
    qtbot.addWidget(view)
    view.show_page("<p>x</p>", "", root, 18)
    good = view.loadResource(IMAGE, QUrl("kiosk-image:en/images/a.png"))
    assert isinstance(good, QImage) and good.width() == 1 and not good.isNull()
    assert view.refused_resources == []
    for url in ("kiosk-image:../secret.png", "kiosk-image:/etc/passwd",
                "https://example.com/a.png", "file:///etc/passwd", "kiosk-image:en/none.png"):
        blank = view.loadResource(IMAGE, QUrl(url))
        assert isinstance(blank, QImage) and blank.pixel(0, 0) == 0  # transparent
    assert len(view.refused_resources) == 5


def test_links_other_than_topics_do_nothing(qtbot: QtBot) -> None:
    view = PageView()
    qtbot.addWidget(view)
    opened: list[str] = []
    view.topic_clicked.connect(opened.append)
    for url in ("https://example.com", "mailto:a@b.c", "file:///etc/passwd", "javascript:x()"):
        view.anchorClicked.emit(QUrl(url))
    assert opened == []
    assert view.source().isEmpty()
    view.anchorClicked.emit(QUrl("topic:jaw"))
    assert opened == ["jaw"]


def test_a_staff_page_with_raw_html_shows_none_of_it(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        make_content: Callable[..., Path]) -> None:
    body = ('Hello.\n\n<script>alert("x")</script>\n\n<img src="https://evil.example/t.png">\n\n'
            '[web](https://evil.example/) <a href="file:///etc/passwd">file</a>\n\n'
            '![up](../../secret.png)\n')
    root = make_content(**{"en/jaw.md": topic_text("Your jaw", "About the jaw.", 2, body)})
    window = open_window(content=root)
    tap(qtbot, window, "Your jaw")
    page = window.topic_screen.page
    html = page.toHtml()
    text = page.toPlainText()
    assert "alert" not in text and "evil" not in html and "passwd" not in html
    assert "Hello." in text and "web" in text
    assert page.refused_resources == []  # nothing was even asked for


def test_tile_shows_its_picture(qtbot: QtBot, open_window: Callable[..., KioskWindow],
                                make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Your jaw\nsummary: s\norder: 2\n"
                                        "image: images/jaw.png\n---\nBody\n"})
    (root / "en" / "images").mkdir()
    (root / "en" / "images" / "jaw.png").write_bytes(PNG)
    window = open_window(content=root)
    tiles = {t.text(): t for t in window.screens[Screen.HOME].tiles}
    assert not tiles["Your jaw"].picture.isNull()
    assert tiles["Back pain"].picture.isNull()
    assert shows_all_words(tiles["Your jaw"])
