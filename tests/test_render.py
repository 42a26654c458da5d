"""Rendering: real Markdown, our link and image policy, and the allow-list sanitizer."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.model import load_content
from kiosk.render import plain_text, render_topic
from tests.conftest import topic_text


def _png(width: int = 1, height: int = 1) -> bytes:
    """A real, tiny PNG file (opaque teal), made without Qt."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x00\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = _png()


def render(make_content: Callable[..., Path], body: str, **extra: str) -> tuple[str, list[str]]:
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 2, body)}, **extra)
    loaded = load_content(root)
    assert loaded.content is not None
    lang = loaded.content.language()
    topic = lang.topic("jaw")
    assert topic is not None
    page = render_topic(topic, lang, loaded.content.root)
    return page.html, [str(p) for p in page.refused]


def test_markdown_features(make_content: Callable[..., Path]) -> None:
    body = ("## Heading\n\nSome *soft* and **strong** words.\n\n- one\n- two\n\n"
            "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
            '!!! urgent "Get help now"\n    Call 911 if it is an emergency.\n')
    html, refused = render(make_content, body)
    assert refused == []
    for tag in ("<h2>", "<em>soft</em>", "<strong>strong</strong>", "<li>one</li>",
                "<table>", "<td>1</td>"):
        assert tag in html
    # The callout is a one-cell table (QTextBrowser pads and borders only tables).
    assert '<td class="callout urgent">' in html
    assert '<p class="callout-title">Get help now</p>' in html


def test_topic_link_becomes_an_inside_link(make_content: Callable[..., Path]) -> None:
    html, refused = render(make_content, "See [back pain](back-pain.md#why) too.")
    assert '<a href="topic:back-pain">back pain</a>' in html
    assert refused == []


def test_web_link_becomes_a_qr_code_link(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 2,
                                                   "See [the site](https://example.org/a?b=1).")})
    loaded = load_content(root)
    assert loaded.content is not None
    lang = loaded.content.language()
    page = render_topic(lang.topics[1], lang, root)
    assert '<a href="kiosk-qr:0">the site</a>' in page.html
    assert page.web_links == ["https://example.org/a?b=1"]
    assert "example.org" not in page.html


@pytest.mark.parametrize("href", [
    "mailto:a@b.c", "javascript:alert(1)", "ftp://example.com/x",
    "file:///etc/passwd", "../../outside.md", "/etc/passwd", "missing.md", "//evil.com/a.md",
])
def test_every_other_link_is_only_words(make_content: Callable[..., Path], href: str) -> None:
    html, refused = render(make_content, f"Click [here]({href}) now.")
    assert "href" not in html
    assert "<span>here</span>" in html
    assert len(refused) == 1 and ":7: warning: the link" in refused[0]


def test_images_load_only_from_inside_the_folder(make_content: Callable[..., Path]) -> None:
    root = make_content()
    (root / "en" / "images").mkdir()
    (root / "en" / "images" / "jaw.png").write_bytes(PNG)
    (root.parent / "secret.png").write_bytes(PNG)
    body = ("![jaw](images/jaw.png)\n\n![remote](https://example.com/x.png)\n\n"
            "![up](../../secret.png)\n\n![abs](/etc/x.png)\n\n![file](file:///etc/x.png)\n\n"
            "![gone](images/none.png)\n")
    html, refused = render(make_content, body)
    assert '<img alt="jaw" src="kiosk-image:en/images/jaw.png">' in html
    assert html.count("<img") == 1
    assert "example.com" not in html and "secret" not in html
    assert len(refused) == 5


def test_raw_html_script_and_handlers_do_not_survive(make_content: Callable[..., Path]) -> None:
    body = ('Hello <b onclick="steal()">there</b>.\n\n'
            "<script>alert('x')</script>\n\n"
            '<div style="color:red" onmouseover="x()">boxed</div>\n\n'
            '<a href="https://evil.example/">raw link</a> and '
            '<img src="https://evil.example/t.png"> and <img src="kiosk-image:../x.png">\n\n'
            '<iframe src="https://evil.example/"></iframe><style>body{}</style>\n\n'
            '<a href="topic:back-pain" onclick="x()">inside</a>\n\n'
            '<a href="../../outside.md">relative</a> <img src="../../x.png" alt="rel">\n')
    html, _ = render(make_content, body)
    low = html.lower()
    for bad in ("script", "alert", "onclick", "onmouseover", "style", "iframe", "evil",
                "<div", "https:", "outside.md", "x.png"):
        assert bad not in low, bad
    assert "<b>there</b>" in html
    assert "boxed" in plain_text(html)
    assert '<a href="topic:back-pain">inside</a>' in html
