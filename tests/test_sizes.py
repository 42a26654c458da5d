"""Sizes at a limit are said in exact bytes: never "(200 KB; the limit is 200 KB)"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.checker import check_folder
from kiosk.model import load_content
from kiosk.sizes import over_limit
from tests.conftest import topic_text
from tests.test_checker_corpus import png


@pytest.mark.parametrize(("size", "limit", "words"), [
    (200_001, 200_000, "200,001 bytes; the limit is 200,000 bytes"),
    (200_499, 200_000, "200,499 bytes; the limit is 200,000 bytes"),
    (201_000, 200_000, "201 KB; the limit is 200 KB"),
    (5_200_000, 200_000, "5,200 KB; the limit is 200 KB"),
    (1_000_001, 1_000_000, "1,000,001 bytes; the limit is 1,000,000 bytes"),
    (2_345_678, 1_000_000, "2.3 MB; the limit is 1 MB"),
    (1_960_000, 1_000_000, "2 MB; the limit is 1 MB"),
])
def test_rounding_never_hides_the_difference(size: int, limit: int, words: str) -> None:
    assert over_limit(size, limit) == words


def _page_of(size: int) -> str:
    """A valid topic file of exactly ``size`` bytes."""
    text = topic_text("Big", "s", 3, "")
    return text + "w" * (size - len(text.encode()) - 1) + "\n"


def test_a_page_one_byte_over_says_so(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/big.md": _page_of(200_001), "en/edge.md": _page_of(200_000)})
    assert (root / "en" / "big.md").stat().st_size == 200_001
    for problems in (load_content(root).problems, check_folder(root)[1]):
        found = [p for p in problems if "too large" in p.message]
        assert [p.path.name for p in found] == ["big.md"]  # the page at the limit is read
        assert "(200,001 bytes; the limit is 200,000 bytes)" in found[0].message


def test_a_self_check_one_byte_over_says_so(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/self-check.yaml": "title: x\n" + "#" * (64_001 - 10) + "\n"})
    assert (root / "en" / "self-check.yaml").stat().st_size == 64_001
    found = [p for p in load_content(root).problems if "too large" in p.message]
    assert len(found) == 1 and "(64,001 bytes; the limit is 64,000 bytes)" in found[0].message


def test_front_matter_one_byte_over_says_so(make_content: Callable[..., Path]) -> None:
    head = "title: T\nsummary: s\norder: 3\n"
    front = head + "#" * (20_001 - len(head))
    root = make_content(**{"en/long.md": f"---\n{front}\n---\n\nHi.\n"})
    found = [p for p in load_content(root).problems if p.path.name == "long.md"]
    assert len(found) == 1 and found[0].line == 2
    assert "(20,001 bytes; the limit is 20,000 bytes)" in found[0].message


def test_a_picture_one_byte_over_says_so(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/back-pain.md": topic_text("Back", "s", 1, "![a](images/a.png)")})
    (root / "en" / "images").mkdir()
    data = png()
    (root / "en" / "images" / "a.png").write_bytes(data + bytes(1_000_001 - len(data)))
    found = [p for p in check_folder(root)[1] if "picture is large" in p.message]
    assert len(found) == 1 and "(1,000,001 bytes, 4x4 px)" in found[0].message
    assert "1,000,000 bytes" in found[0].hint
