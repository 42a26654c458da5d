"""Loading a content folder: every kind of staff mistake is named with its file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config import bundled_content
from kiosk.model import load_content
from tests.conftest import topic_text


def messages(root: Path) -> list[str]:
    return [str(p) for p in load_content(root).problems]


def test_bundled_content_loads_cleanly_in_every_language() -> None:
    loaded = load_content(bundled_content())
    assert loaded.problems == []
    assert loaded.content is not None
    assert loaded.content.codes == ["en", "es", "fa"]
    en = loaded.content.language("en")
    assert len(en.topics) == 6
    assert [t.order for t in en.topics] == sorted(t.order for t in en.topics)
    assert en.selfcheck is not None and len(en.selfcheck.questions) == 9
    assert loaded.content.language("es").name == "Español"
    fa = loaded.content.language("fa")
    assert fa.name == "فارسی" and fa.rtl and fa.digits == "persian"
    assert [t.id for t in fa.topics] == [t.id for t in en.topics]


def test_good_folder_loads(make_content: Callable[..., Path]) -> None:
    loaded = load_content(make_content())
    assert loaded.errors == []
    assert loaded.content is not None
    topics = loaded.content.language().topics
    assert [t.id for t in topics] == ["back-pain", "jaw"]
    assert topics[0].title == "Back pain"


@pytest.mark.parametrize(("front", "line", "words"), [
    ("title: Back pain\nsummary: s\norder: three\n", 4, "'order' must be a whole number"),
    ("summary: s\norder: 1\n", 2, "the field 'title' is missing"),
    ("title: Back pain\norder: 1\n", 2, "the field 'summary' is missing"),
    ("title: Back pain\nsummary: s\n", 2, "the field 'order' is missing"),
    ("title: [a, b]\nsummary: s\norder: 1\n", 2, "'title' must be text"),
    ("title: Back pain\nsummary: s\norder: 1\n  bad: : indent\n", 5, "cannot be read"),
    ("title: ''\nsummary: s\norder: 1\n", 2, "'title' is empty"),
    ("title: " + "x" * 80 + "\nsummary: s\norder: 1\n", 2, "keep it to 50"),
])
def test_front_matter_errors_name_file_line_and_field(
        make_content: Callable[..., Path], front: str, line: int, words: str) -> None:
    root = make_content(**{"en/jaw.md": f"---\n{front}---\n\nBody.\n"})
    loaded = load_content(root)
    jaw = root / "en" / "jaw.md"
    found = [p for p in loaded.problems if p.path == jaw]
    assert len(found) == 1, [str(p) for p in loaded.problems]
    assert str(found[0]).startswith(f"{jaw}:{line}: ")
    assert words in found[0].message
    # The broken topic is left out; the rest still shows.
    assert loaded.content is not None
    assert [t.id for t in loaded.content.language().topics] == ["back-pain"]


def test_yaml_traps_are_read_as_the_staff_wrote_them(make_content: Callable[..., Path]) -> None:
    # Plain YAML would make 'no' a boolean and '0123' the number 83 or 123.
    root = make_content(**{"en/jaw.md": topic_text("no", "0123", "02")})
    loaded = load_content(root)
    assert loaded.errors == []
    assert loaded.content is not None
    jaw = loaded.content.language().topic("jaw")
    assert jaw is not None and (jaw.title, jaw.summary, jaw.order) == ("no", "0123", 2)


def test_missing_front_matter_and_bad_encoding(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": "# Just a heading\n"})
    (root / "en" / "extra.md").write_bytes(
        b"---\ntitle: ok\nsummary: s\norder: 3\n---\n\n\xff\xfe\n")
    found = messages(root)
    assert any(m.startswith(f"{root}/en/jaw.md:1: the file must start with a line '---'")
               for m in found)
    assert any(m.startswith(f"{root}/en/extra.md:7: ") and "UTF-8" in m for m in found)


def test_unknown_field_is_a_warning_with_a_suggestion(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsumary: typo\nsummary: s\norder: 2\n"
                                        "---\nBody\n"})
    found = messages(root)
    assert f"{root}/en/jaw.md:3: warning: unknown field 'sumary' (did you mean 'summary'?)" \
        in found


def test_duplicate_order_is_a_warning(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 1)})
    assert any("'order' 1 is also used by" in m for m in messages(root))


def test_nothing_usable_gives_no_content(tmp_path: Path, make_content: Callable[..., Path]) -> None:
    assert load_content(tmp_path / "missing").content is None
    empty = tmp_path / "empty"
    empty.mkdir()
    loaded = load_content(empty)
    assert loaded.content is None
    assert "no topic files" in str(loaded.problems[0])
    broken = make_content(**{"en/back-pain.md": "oops", "en/jaw.md": "oops"})
    assert load_content(broken).content is None


def test_flat_folder_is_read_as_the_default_language(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(topic_text("A", "s", 1), encoding="utf-8")
    loaded = load_content(tmp_path)
    assert loaded.content is not None
    assert loaded.content.codes == ["en"]
    assert any("no self-check file" in p.message for p in loaded.problems)


def test_tile_image_outside_the_folder_is_refused(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: 2\n"
                                        "image: ../../secret.png\n---\nBody\n"})
    loaded = load_content(root)
    assert loaded.content is not None
    jaw = loaded.content.language().topic("jaw")
    assert jaw is not None and jaw.image is None
    assert any(str(p).startswith(f"{root}/en/jaw.md:5: warning: 'image':") for p in
               loaded.problems)


def test_labels_fall_back_and_placeholders_are_checked(make_content: Callable[..., Path]) -> None:
    root = make_content(**{
        "es/back-pain.md": topic_text("Dolor", "s", 1),
        "es/labels.yaml": "language.name: Español\nnav.back: Atrás\n"
                          "check.progress: Pregunta {n}\nnav.hom: Inicio\n",
    })
    loaded = load_content(root)
    assert loaded.content is not None
    es = loaded.content.language("es")
    assert es.labels["nav.back"] == "Atrás"
    assert es.labels["nav.home"] == "Home"  # the built-in English words
    assert es.labels["check.progress"] == "Question {number} of {total}"
    found = [str(p) for p in loaded.problems]
    assert f"{root}/es/labels.yaml:3: warning: 'check.progress' must contain {{number}}, " \
           "{total}; the built-in English words are used" in found
    assert any(m.startswith(f"{root}/es/labels.yaml:4: warning: unknown field 'nav.hom'")
               for m in found)


def test_misspelt_required_field_is_named(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsumary: s\norder: 2\n---\nBody\n"})
    assert f"{root}/en/jaw.md:3: the field 'summary' is missing (is 'sumary' a misspelling " \
        "of 'summary'?)" in messages(root)


def test_hash_comment_and_colon_get_plain_advice(make_content: Callable[..., Path]) -> None:
    root = make_content(**{
        "en/jaw.md": "---\ntitle: Back pain #1 cause\nsummary: s\norder: 2\n---\nBody\n",
        "en/neck.md": "---\ntitle: Pain: what helps\nsummary: s\norder: 3\n---\nBody\n"})
    found = messages(root)
    assert any(m.startswith(f"{root}/en/jaw.md:2: warning: the words after ' #' are a comment")
               for m in found)
    assert any(m.startswith(f"{root}/en/neck.md:2: the file cannot be read here: mapping "
                            "values are not allowed") and "(a ':' inside a value needs quotes"
               in m for m in found)
