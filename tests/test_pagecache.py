"""Rendered pages kept beside the content index (kiosk.pagecache, issue 24): read back, they
are exactly what rendering gives (pages, problems, pages left out); a result that depends on
the machine's speed is never kept; anything changed or damaged is rendered again; and a
start that reads them back never imports Markdown or the sanitizer."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import contentcache, pagecache, pages
from kiosk.config import bundled_content
from kiosk.model import Loaded, load_content
from tests.conftest import imported_by, topic_text

PICTURE = ("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='30'>"
           "<rect width='40' height='30'/></svg>")


def _start(root: Path, tmp_path: Path) -> contentcache.Start:
    return contentcache.load_keyed(root, "en", tmp_path / "index.json")


def _same(a: Loaded, b: Loaded) -> bool:
    return a.pages == b.pages and a.problems == b.problems and a.content == b.content


def test_the_bundled_pages_come_back_exactly(tmp_path: Path) -> None:
    start = _start(bundled_content(), tmp_path)
    assert start.key is not None
    path = tmp_path / pagecache.FILE_NAME
    first = pagecache.rendered(start.loaded, start.key, path)
    assert path.exists() and _same(first, pages.render_pages(start.loaded))
    kept_key = pagecache.key(start.key)
    assert kept_key is not None
    again = pagecache.load(start.loaded, kept_key, path)
    assert again is not None and _same(again, first)
    assert again.content is start.loaded.content  # nothing left out: the same content
    assert len(again.pages) == 18 and again.pages[("fa", "jaw-and-tmj")].html.startswith("<")
    assert pagecache.load(start.loaded, "another key", path) is None


def test_pages_left_out_and_their_problems_come_back(
        tmp_path: Path, make_content: Callable[..., Path]) -> None:
    outside = tmp_path / "outside.svg"  # beside the folder: a picture must not reach it
    outside.write_text(PICTURE, encoding="utf-8")
    root = make_content(**{
        "en/deep.md": topic_text("Deep", "s", 3, "Fine.\n\n" + "[" * 17_000),
        "en/far.md": topic_text("Far", "s", 4, "![x](pictures/far.svg)"),
        "en/pictures/far.svg": ("<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink="
                                "'http://www.w3.org/1999/xlink' width='5' height='5'><image "
                                f"xlink:href='{outside}' width='5' height='5'/></svg>"),
        "en/pictures/back.svg": PICTURE,
        "en/pic.md": topic_text("Pic", "s", 5, "![A back](pictures/back.svg)\n\nWords."),
    })
    start = _start(root, tmp_path)
    path = tmp_path / pagecache.FILE_NAME
    rendered = pagecache.rendered(start.loaded, start.key, path)
    assert rendered.content is not None
    assert ("en", "deep") not in rendered.pages and ("en", "far") not in rendered.pages
    assert any("deep.md" in str(p.path) and p.is_error for p in rendered.problems)
    picture = rendered.pages[("en", "pic")].pictures
    assert list(picture.values()) == [("SVG", 40.0, 30.0)]
    kept_key = pagecache.key(start.key or "")
    again = pagecache.load(start.loaded, kept_key or "", path)
    assert again is not None and _same(again, rendered)
    assert again.content is not None and [t.id for t in again.content.language().topics] == [
        t.id for t in rendered.content.language().topics]


def test_a_page_left_out_for_its_time_is_never_kept(
        tmp_path: Path, make_content: Callable[..., Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk import render

    start = _start(make_content(), tmp_path)
    real = render.render_topic

    def stuck(topic, language, root):  # type: ignore[no-untyped-def]
        if topic.id == "jaw":  # as if a busy machine had run it past its budget
            while True:
                pass
        return real(topic, language, root)

    monkeypatch.setattr(render, "render_topic", stuck)
    monkeypatch.setattr(pagecache.pages, "PAGE_BUDGET_S", 0.2)
    path = tmp_path / pagecache.FILE_NAME
    rendered = pagecache.rendered(start.loaded, start.key, path)
    assert ("en", "jaw") not in rendered.pages and ("en", "back-pain") in rendered.pages
    assert not path.exists()
    monkeypatch.setattr(render, "render_topic", real)  # the machine is calm again
    rendered = pagecache.rendered(start.loaded, start.key, path)
    assert ("en", "jaw") in rendered.pages and path.exists()


@pytest.mark.parametrize("change", ["page", "code", "library", "python"])
def test_a_change_to_the_content_code_or_libraries_renders_again(
        tmp_path: Path, make_content: Callable[..., Path], change: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_content()
    start = _start(root, tmp_path)
    assert start.key is not None
    kept_key = pagecache.key(start.key)
    pagecache.rendered(start.loaded, start.key, tmp_path / pagecache.FILE_NAME)
    if change == "page":
        os.utime(root / "en" / "jaw.md", ns=(1, 1))
        again = _start(root, tmp_path).key
        assert again is not None and pagecache.key(again) != kept_key
        return
    if change == "code":
        code = tmp_path / "code"
        code.mkdir()
        for name in pagecache._CODE:
            (code / name).write_bytes((contentcache.CODE_DIR / name).read_bytes())
        monkeypatch.setattr(contentcache, "CODE_DIR", code)
        assert pagecache.key(start.key) == pagecache.key(start.key)
        os.utime(code / "render.py", ns=(1, 1))  # a kiosk update
    elif change == "python":
        monkeypatch.setattr(sys, "version", sys.version + " (patched)")  # its HTML parser
    else:
        lines = pagecache._library_lines

        def upgraded(name: str) -> list[str]:
            return [*lines(name), "nh3 1.0 installed"] if name == "nh3" else lines(name)

        monkeypatch.setattr(pagecache, "_library_lines", upgraded)
    assert pagecache.key(start.key) != kept_key


@pytest.mark.parametrize("damage", [
    "truncated", "not json", "a list", "other format", "unknown page", "not a page",
    "drops an unknown topic", "none is not a bool", "empty"])
def test_a_damaged_or_foreign_file_is_rendered_again(
        tmp_path: Path, make_content: Callable[..., Path], damage: str) -> None:
    start = _start(make_content(), tmp_path)
    assert start.key is not None
    kept_key = pagecache.key(start.key)
    assert kept_key is not None
    path = tmp_path / pagecache.FILE_NAME
    good = pagecache.rendered(start.loaded, start.key, path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    if damage == "truncated":
        text = text[: len(text) // 2]
    elif damage == "not json":
        text = "\x00" * 10
    elif damage == "a list":
        text = "[]"
    elif damage == "other format":
        text = json.dumps({**data, "format": 99})
    elif damage == "unknown page":
        data["pages"][0][1] = "nowhere"
        text = json.dumps(data)
    elif damage == "not a page":
        data["pages"][0][2] = {"$c": "Problem", "f": {}}
        text = json.dumps(data)
    elif damage == "drops an unknown topic":
        data["dropped"] = [["en", "nowhere"]]
        text = json.dumps(data)
    elif damage == "none is not a bool":
        data["none"] = "no"
        text = json.dumps(data)
    else:
        text = ""
    path.write_text(text, encoding="utf-8")
    assert pagecache.load(start.loaded, kept_key, path) is None
    again = pagecache.rendered(start.loaded, start.key, path)
    assert _same(again, good)  # rendered, and kept again
    assert pagecache.load(start.loaded, kept_key, path) is not None


def test_no_key_no_file(tmp_path: Path, make_content: Callable[..., Path]) -> None:
    loaded = load_content(make_content())
    path = tmp_path / pagecache.FILE_NAME
    assert _same(pagecache.rendered(loaded, None, path), pages.render_pages(loaded))
    assert not path.exists()


def test_a_file_that_cannot_be_written_is_only_a_slower_start(
        tmp_path: Path, make_content: Callable[..., Path],
        caplog: pytest.LogCaptureFixture) -> None:
    start = _start(make_content(), tmp_path)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where its folder would be", encoding="utf-8")
    path = blocked / pagecache.FILE_NAME
    rendered = pagecache.rendered(start.loaded, start.key, path)
    assert rendered.pages and not path.exists()
    assert "could not be kept" in caplog.text and str(path) in caplog.text


def test_reading_pages_back_imports_no_markdown(
        tmp_path: Path, make_content: Callable[..., Path]) -> None:
    root = make_content()
    start = _start(root, tmp_path)
    path = tmp_path / pagecache.FILE_NAME
    pagecache.rendered(start.loaded, start.key, path)
    code = ("from pathlib import Path\n"
            "from kiosk import contentcache, pagecache\n"
            f"start = contentcache.load_keyed(Path({str(root)!r}), 'en', "
            f"Path({str(tmp_path / 'index.json')!r}))\n"
            f"r = pagecache.rendered(start.loaded, start.key, Path({str(path)!r}))\n"
            "assert len(r.pages) == 2")
    assert imported_by(code, ("markdown", "nh3", "kiosk.render", "xml.etree")) == []
