"""File names typed composed (NFC) find files a Mac wrote decomposed (NFD), and back."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.checker import check_folder
from kiosk.model import resolve_inside
from kiosk.names import on_disk
from kiosk.pages import load_rendered
from kiosk.render import IMAGE_SCHEME, TOPIC_SCHEME
from tests.test_checker_corpus import png

COMPOSED = "caf\u00e9-y-ni\u00f1os"  # "café-y-niños" as a keyboard types it
DECOMPOSED = "cafe\u0301-y-nin\u0303os"  # the same words as macOS writes the file name
FORMS = pytest.mark.parametrize(("on_disk_name", "typed"), [(DECOMPOSED, COMPOSED),
                                                            (COMPOSED, DECOMPOSED)],
                                ids=["file-NFD-link-NFC", "file-NFC-link-NFD"])


def test_the_two_spellings_are_the_same_words_in_different_bytes() -> None:
    assert COMPOSED != DECOMPOSED
    assert unicodedata.normalize("NFC", DECOMPOSED) == COMPOSED


def _topic(title: str, order: int, body: str, front: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: s\norder: {order}\n{front}---\n\n{body}\n"


@FORMS
def test_a_link_finds_its_topic_whatever_the_form_of_its_name(
        make_content: Callable[..., Path], on_disk_name: str, typed: str) -> None:
    root = make_content(**{
        f"en/{on_disk_name}.md": _topic("Coffee", 3, "Words."),
        "en/back-pain.md": _topic("Back pain", 1, f"Read [about coffee]({typed}.md)."),
    })
    loaded = load_rendered(root)
    assert loaded.content is not None
    language = loaded.content.language()
    topic = language.topic(COMPOSED)  # ids are NFC, whatever the file's bytes
    assert topic is not None and topic.path.name == f"{on_disk_name}.md"  # the real file
    page = loaded.pages[("en", "back-pain")]
    assert page.topic_links == {COMPOSED}
    assert f'href="{TOPIC_SCHEME}:{COMPOSED}"' in page.html  # a link, not plain words
    assert page.refused == []
    _, problems = check_folder(root)
    assert not [p for p in problems if "not a topic" in p.message], problems


@FORMS
def test_a_picture_is_found_whatever_the_form_of_its_name(
        make_content: Callable[..., Path], on_disk_name: str, typed: str) -> None:
    root = make_content(**{
        "en/back-pain.md": _topic("Back pain", 1, f"![a cup](images/{typed}.png)",
                                  front=f"image: images/{typed}.png\n"),
    })
    (root / "en" / "images").mkdir()
    (root / "en" / "images" / f"{on_disk_name}.png").write_bytes(png())
    loaded = load_rendered(root)
    assert loaded.content is not None
    topic = loaded.content.language().topic("back-pain")
    assert topic is not None and topic.image is not None
    assert topic.image.name == f"{on_disk_name}.png"  # the tile's picture: the real file
    page = loaded.pages[("en", "back-pain")]
    assert f'src="{IMAGE_SCHEME}:en/images/{on_disk_name}.png"' in page.html
    assert page.refused == []
    _, problems = check_folder(root)
    pictures = [p for p in problems if "png" in p.message or p.path.suffix == ".png"]
    assert pictures == []  # neither "does not exist" nor "unused"


def test_a_page_and_its_translation_named_in_two_forms_are_one_topic(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{f"en/{DECOMPOSED}.md": _topic("Coffee", 3, "Words."),
                           f"es/{COMPOSED}.md": _topic("Café", 3, "Palabras."),
                           "es/back-pain.md": _topic("Dolor", 1, "Palabras."),
                           "es/jaw.md": _topic("Mandíbula", 2, "Palabras.")})
    _, problems = check_folder(root)
    assert not [p for p in problems if "but not in" in p.message or "is not in" in p.message]


def test_two_files_whose_names_differ_only_in_their_bytes_are_one_too_many(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{f"en/{DECOMPOSED}.md": _topic("Coffee", 3, "Words."),
                           f"en/{COMPOSED}.md": _topic("Coffee again", 4, "Words.")})
    loaded = load_rendered(root)
    assert loaded.content is not None
    ids = [t.id for t in loaded.content.language().topics]
    assert ids.count(COMPOSED) == 1
    left_out = [p for p in loaded.problems if "same name" in p.message]
    assert len(left_out) == 1 and left_out[0].is_error


def test_no_folder_outside_the_content_is_listed(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "en").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / f"{DECOMPOSED}.png").write_bytes(png())
    os.symlink(outside, root / "en" / "images")
    ref = f"images/{COMPOSED}.png"
    assert on_disk(root, root / "en", ref) == ref  # the outside folder was not listed
    path, why = resolve_inside(root, root / "en", f"images/{DECOMPOSED}.png")
    assert path is None and "outside the content folder" in why
