"""Loading is bounded: nothing outside the content folder is read, nothing too large is read,
and nothing invisible hides in a title."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.checker import check_folder
from kiosk.model import PAGE_MAX_BYTES, load_content, resolve_inside
from kiosk.pages import load_rendered
from tests.conftest import topic_text

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def titles(root: Path) -> list[str]:
    loaded = load_content(root)
    assert loaded.content is not None
    return [t.title for t in loaded.content.language().topics]


def test_a_topic_symlinked_to_a_file_outside_is_left_out_and_named(
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(topic_text("Secret outside title", "s", 9))
    root = make_content()
    link = root / "en" / "leak.md"
    link.symlink_to(secret)
    assert "Secret outside title" not in titles(root)
    found = [p for p in load_content(root).problems if p.path == link]
    assert len(found) == 1 and found[0].is_error
    assert "outside the content folder" in found[0].message
    _loaded, problems = check_folder(root)
    assert any(p.path == link and p.is_error for p in problems)


def test_a_symlink_inside_the_folder_is_still_read(make_content: Callable[..., Path]) -> None:
    root = make_content()
    (root / "en" / "jaw-again.md").symlink_to(root / "en" / "jaw.md")
    assert titles(root).count("Your jaw") == 2


def test_labels_and_self_check_symlinked_outside_are_not_read(
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("home.title: Stolen words\n")
    root = make_content(**{"en/self-check.yaml": None})
    (root / "en" / "labels.yaml").symlink_to(outside)
    (root / "en" / "self-check.yaml").symlink_to(outside)
    loaded = load_content(root)
    named = {p.path.name for p in loaded.errors if "outside the content folder" in p.message}
    assert named == {"labels.yaml", "self-check.yaml"}
    assert loaded.content is not None and loaded.content.language().selfcheck is None


def test_a_language_folder_linked_from_outside_is_left_out(
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "fr"
    other.mkdir(parents=True)
    (other / "a.md").write_text(topic_text("Dehors", "s", 1))
    root = make_content()
    (root / "fr").symlink_to(other)
    loaded = load_content(root)
    assert loaded.content is not None and "fr" not in loaded.content.languages
    assert any(p.path == root / "fr" and p.is_error for p in loaded.problems)


@pytest.mark.parametrize("reference", [
    '<image href="{abs}" width="1" height="1"/>',
    '<image xlink:href="{abs}" width="1" height="1"/>',
    '<image xlink:href="file://{abs}"/>',
    '<image href="../../outside.png"/>',
    "<use href=\"{abs}#x\"/>",
    '<rect style="fill: url({abs})"/>',
    "<style>rect {{ fill: url('{abs}') }}</style>",
    '<image href="&#47;{abs_no_slash}"/>',
    '<image href="https://example.org/x.png"/>',
    '<!DOCTYPE svg [<!ENTITY x SYSTEM "{abs}">]><text>&x;</text>',
])
def test_an_svg_that_loads_anything_outside_is_refused(
        make_content: Callable[..., Path], tmp_path: Path, reference: str) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    root = make_content(**{"en/jaw.md": topic_text("Your jaw", "s", 2,
                                                   "![a picture](images/p.svg)")})
    svg = root / "en" / "images" / "p.svg"
    svg.parent.mkdir()
    body = reference.format(abs=outside, abs_no_slash=str(outside)[1:])
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" '
                   f'xmlns:xlink="http://www.w3.org/1999/xlink">{body}</svg>')
    path, why = resolve_inside(root, root / "en", "images/p.svg")
    assert path is None
    assert "p.svg" in why
    # The page that shows it is left out, and kiosk check says so as an error.
    for loaded, problems in ((load_rendered(root), None), check_folder(root)):
        assert loaded.content is not None
        assert [t.id for t in loaded.content.language().topics] == ["back-pain"]
        jaw = [p for p in (problems or loaded.problems) if p.path == root / "en" / "jaw.md"]
        assert any("p.svg" in p.message and p.is_error and "left out" in p.message
                   for p in jaw), [str(p) for p in jaw]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_an_svg_saved_as_utf16_or_utf32_that_loads_a_file_outside_is_refused(
        make_content: Callable[..., Path], tmp_path: Path, encoding: str) -> None:
    """Issue 17: decoded as XML says (byte-order mark or declaration), not as UTF-8."""
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    root = make_content(**{
        "en/jaw.md": topic_text("Your jaw", "s", 2, "![a picture](images/p.svg)"),
        "en/spine.md": "---\ntitle: Spine\nsummary: s\norder: 3\nimage: images/p.svg\n---\nB\n"})
    svg = root / "en" / "images" / "p.svg"
    svg.parent.mkdir()
    declared = '<?xml version="1.0" encoding="UTF-16"?>\n' if encoding == "utf-16-le" else ""
    svg.write_bytes((declared + '<svg xmlns="http://www.w3.org/2000/svg" '
                     'xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="400">\n'
                     f'<image xlink:href="{outside}" width="400" height="400"/>\n</svg>\n'
                     ).encode(encoding))
    path, why = resolve_inside(root, root / "en", "images/p.svg")
    assert path is None and "p.svg" in why and str(outside) in why
    for loaded, problems in ((load_rendered(root), None), check_folder(root)):
        assert loaded.content is not None
        assert [t.id for t in loaded.content.language().topics] == ["back-pain"]
        named = {(p.path.name, p.line) for p in (problems or loaded.problems) if p.is_error}
        assert {("jaw.md", 7), ("spine.md", 5), ("p.svg", 3 if declared else 2)} <= named


def test_an_svg_using_only_its_own_folder_is_shown(make_content: Callable[..., Path]) -> None:
    root = make_content()
    images = root / "en" / "images"
    images.mkdir()
    (images / "dot.png").write_bytes(PNG)
    (images / "p.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><defs><g id="g"/>'
                                  '</defs><use href="#g"/><image href="dot.png"/>'
                                  '<rect style="fill: url(#grad)"/></svg>')
    path, why = resolve_inside(root, root / "en", "images/p.svg")
    assert path == (images / "p.svg").resolve(), why


def test_svgs_that_show_each_other_do_not_loop(make_content: Callable[..., Path]) -> None:
    root = make_content()
    images = root / "en" / "images"
    images.mkdir()
    (images / "a.svg").write_text('<svg><image href="b.svg"/></svg>')
    (images / "b.svg").write_text('<svg><image href="a.svg"/></svg>')
    path, why = resolve_inside(root, root / "en", "images/a.svg")
    assert path is None and "too deeply" in why


def test_a_page_over_the_size_limit_is_refused_unread(make_content: Callable[..., Path]) -> None:
    big = topic_text("Huge", "s", 3, "Words and more words. " * (5_000_000 // 22))
    root = make_content(**{"en/huge.md": big})
    loaded = load_content(root)
    found = [p for p in loaded.problems if p.path.name == "huge.md"]
    assert len(found) == 1 and found[0].is_error
    assert "too large" in found[0].message and f"{PAGE_MAX_BYTES // 1000} KB" in found[0].message
    assert "Huge" not in titles(root)


def test_front_matter_over_its_limit_is_refused(make_content: Callable[..., Path]) -> None:
    front = "---\ntitle: T\nsummary: s\norder: 3\n" + "# a comment\n" * 3000 + "---\n\nHi.\n"
    root = make_content(**{"en/long.md": front})
    found = [p for p in load_content(root).problems if p.path.name == "long.md"]
    assert len(found) == 1 and "front matter" in found[0].message and found[0].line == 2


@pytest.mark.parametrize("title", [
    "Back \u200fpain", "Back pain\u200e", "\u061cBack pain", "Call \u2066310-828-7757\u2069 now",
    "\u2067\u0633\u0644\u0627\u0645\u2069 Back pain",
])
def test_direction_marks_and_closed_isolates_in_a_title_are_fine(
        make_content: Callable[..., Path], title: str) -> None:
    root = make_content(**{"en/jaw.md": topic_text(title, "About back pain.", 2)})
    loaded, problems = check_folder(root)
    assert not [p for p in problems if p.path.name == "jaw.md" and p.is_error]
    assert loaded.content is not None
    assert loaded.content.language("en").topic("jaw") is not None


def test_a_self_check_over_its_limit_is_refused(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/self-check.yaml": "title: x\n" + "# c\n" * 40_000})
    loaded = load_content(root)
    assert any(p.path.name == "self-check.yaml" and "too large" in p.message
               for p in loaded.errors)


@pytest.mark.parametrize(("field", "char"), [
    ("title", "\u202e"), ("summary", "\u202e"), ("title", "\u2066"), ("title", "\u200b"),
    ("summary", "\u2069"), ("title", "\ufeff"), ("title", "\u200d"), ("summary", "\u202b"),
])
def test_invisible_format_characters_in_titles_and_summaries_are_errors(
        make_content: Callable[..., Path], field: str, char: str) -> None:
    values = {"title": "Back pain", "summary": "About back pain."}
    values[field] = values[field][:4] + char + values[field][4:]
    root = make_content(**{"en/jaw.md": topic_text(values["title"], values["summary"], 2)})
    _loaded, problems = check_folder(root)
    found = [p for p in problems if p.path.name == "jaw.md"]
    assert len(found) == 1 and found[0].is_error, [str(p) for p in problems]
    line = 2 if field == "title" else 3
    assert str(found[0]).startswith(f"{root / 'en' / 'jaw.md'}:{line}: '{field}' contains an "
                                    "invisible character (U+")
    assert found[0].hint


def test_joiners_inside_a_word_are_allowed(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": topic_text("می\u200cخواهم", "आप\u200dका", 2)})
    assert "می\u200cخواهم" in titles(root)



def test_pictures_symlinked_outside_are_errors_on_the_tile_and_in_the_page(
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    root = make_content(**{
        "en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: 2\nimage: images/tile.png\n---\nB\n",
        "en/back-pain.md": topic_text("Back pain", "s", 1, "Words.\n\n![x](images/page.png)\n"),
        "en/ok.md": topic_text("Fine", "s", 3, "Words."),
    })
    (root / "en" / "images").mkdir()
    (root / "en" / "images" / "tile.png").symlink_to(secret)
    (root / "en" / "images" / "page.png").symlink_to(secret)
    loaded = load_rendered(root)
    assert loaded.content is not None
    assert [t.id for t in loaded.content.language().topics] == ["ok"]
    tile = [p for p in loaded.problems if p.path.name == "jaw.md"]
    page = [p for p in loaded.problems if p.path.name == "back-pain.md"]
    assert len(tile) == 1 and tile[0].is_error and tile[0].line == 5
    assert "outside the content folder" in tile[0].message
    assert len(page) == 1 and page[0].is_error and page[0].line == 9
    assert "outside the content folder" in page[0].message


def test_a_picture_that_is_only_misnamed_stays_a_warning(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 2, "![x](images/none.png)")})
    loaded = load_rendered(root)
    assert loaded.content is not None and loaded.content.language().topic("jaw") is not None
    _loaded, problems = check_folder(root)
    found = [p for p in problems if p.path.name == "jaw.md"]
    assert found and not any(p.is_error for p in found)


def test_an_svg_naming_a_missing_picture_is_a_warning_not_an_escape(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 2, "![x](images/p.svg)")})
    (root / "en" / "images").mkdir()
    (root / "en" / "images" / "p.svg").write_text('<svg><image href="gone.png"/></svg>')
    loaded = load_rendered(root)
    assert loaded.content is not None and loaded.content.language().topic("jaw") is not None
    found = [p for p in check_folder(root)[1] if p.path.name == "jaw.md"]
    assert any("gone.png" in p.message and not p.is_error for p in found), found


def test_a_pipe_named_like_a_staff_file_is_refused_not_waited_on(
        make_content: Callable[..., Path]) -> None:
    import os

    root = make_content(**{"en/self-check.yaml": None})
    os.mkfifo(root / "en" / "self-check.yaml")
    os.mkfifo(root / "en" / "labels.yaml")
    loaded = load_content(root)  # would block forever reading a pipe
    named = {p.path.name for p in loaded.errors if "not an ordinary file" in p.message}
    assert named == {"self-check.yaml", "labels.yaml"}


# -- Markdown that would recurse too deep (issue 17) ------------------------------------------

@pytest.mark.parametrize(("body", "line"), [
    ("Fine.\n\n" + "- " * 10_000 + "x", 9),  # one line of 10,000 list markers
    ("- " * 600 + "x", 7),
    ("1. " * 600 + "x", 7),
    ("* " * 600 + "x", 7),
    ("+ " * 600 + "x", 7),
    ("> - 1. " * 200 + "x", 7),
    # Lists indented inside a quote: a quote, a list, and a level each four columns; the
    # 15th line down is 17 levels deep (the bound is 16).
    ("- x\n" + "".join("> " + "    " * n + "- x\n" for n in range(1, 300)), 7 + 15),
    ("<div>" * 2_000 + "x", 7),
])
def test_markdown_nested_past_its_bounds_is_left_out_at_its_line(
        make_content: Callable[..., Path], body: str, line: int) -> None:
    root = make_content(**{"en/deep.md": topic_text("Deep", "s", 3, body)})
    loaded = load_rendered(root)
    assert loaded.content is not None
    assert [t.id for t in loaded.content.language().topics] == ["back-pain", "jaw"]
    found = [p for p in loaded.problems if p.path.name == "deep.md"]
    assert len(found) == 1 and found[0].is_error and found[0].line == line, found
    assert "left out" in found[0].message


def test_a_parse_that_still_recurses_too_deep_is_named_never_a_traceback(
        make_content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The last line of defence: RecursionError (or any error) in one page's rendering costs
    that page, named at its most deeply nested line; staff never see a traceback."""
    import logging

    import kiosk.checker
    import kiosk.render
    from kiosk.__main__ import main

    def recurse(*_args: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(kiosk.render, "render_topic", recurse)
    monkeypatch.setattr(kiosk.checker, "render_topic", recurse)
    # As in a fresh process: main() sets logging up to print to this stderr (an earlier
    # test's main() may have left a handler writing to a stream that is closed now).
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    root = make_content(**{"en/jaw.md": topic_text("Your jaw", "s", 2,
                                                   "Words.\n\n- a\n    - b\n        - c\n")})
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert f"{root / 'en' / 'jaw.md'}:11: the page is nested too deeply to prepare" in out.out


def test_sixteen_levels_of_lists_and_quotes_on_a_line_are_fine_seventeen_are_not() -> None:
    from kiosk.render import too_complex

    for fine in ("- " * 16 + "x", "> " * 8 + "- " * 8 + "x", "    " * 10 + "- " * 6 + "x",
                 "1. " * 16 + "x"):
        assert too_complex(fine) is None, fine
    for deep in ("- " * 17 + "x", "> " * 9 + "- " * 8 + "x", "    " * 10 + "- " * 7 + "x",
                 "1. " * 17 + "x"):
        found = too_complex("Fine.\n\n" + deep)
        assert found is not None and found[0] == 2, deep
