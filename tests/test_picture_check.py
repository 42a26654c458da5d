"""Pictures checked by what they are (kiosk.pictures): an SVG in any encoding XML allows is
decoded before its references are checked, its size is bounded before anything draws it,
and every refusal is named at the picture's own file and line."""

from __future__ import annotations

import base64
import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.checker import check_folder
from kiosk.config import bundled_content
from kiosk.pages import load_rendered
from kiosk.pictures import (
    SVG_MAX_DEPTH,
    SVG_MAX_DRAWN,
    SVG_MAX_ELEMENTS,
    Escape,
    Picture,
    Refusal,
    check,
    decode_xml,
    kind_of,
)
from tests.conftest import topic_text

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="100" height="100" viewBox="0 0 100 100">\n')


def nested_use(levels: int = 10, copies: int = 10) -> str:
    """About 2 KB that would draw copies**levels rectangles: each level <use>s the one below
    ``copies`` times. One element a line, so a line names one level."""
    lines = [HEAD.rstrip("\n"), "<defs>", '<rect id="l0" width="1" height="1"/>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use xlink:href="#l{level - 1}"/>' for _ in range(copies))
        lines.append(f'<g id="l{level}">{uses}</g>')
    lines += ["</defs>", f'<use xlink:href="#l{levels}"/>', "</svg>"]
    return "\n".join(lines) + "\n"


def encoded(text: str, encoding: str) -> bytes:
    """``text`` saved as a drawing program would in ``encoding``, with its byte-order mark
    (the codecs "utf-16" and "utf-32" write one) or its XML declaration."""
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if encoding in ("utf-16-le", "utf-16-be"):  # no mark: the declaration says it
        return f'<?xml version="1.0" encoding="UTF-16"?>\n{text}'.encode(encoding)
    if encoding == "windows-1252":
        return f'<?xml version="1.0" encoding="windows-1252"?>\n{text}'.encode(encoding)
    return text.encode(encoding)


@pytest.fixture
def folder(make_content: Callable[..., Path]) -> Path:
    root = make_content(**{"en/jaw.md": topic_text("Your jaw", "s", 2,
                                                   "Words.\n\n![a picture](images/p.svg)\n")})
    (root / "en" / "images").mkdir()
    (root / "en" / "images" / "dot.png").write_bytes(PNG)
    return root


ENCODINGS = ["utf-16", "utf-16-be-bom", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig",
             "windows-1252"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_svg_in_any_encoding_that_loads_a_file_outside_is_refused_at_its_line(
        folder: Path, tmp_path: Path, encoding: str) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    svg = folder / "en" / "images" / "p.svg"
    svg.write_bytes(encoded(f'{HEAD}<rect width="5" height="5"/>\n'
                            f'<image xlink:href="{outside}" width="100" height="100"/>\n</svg>',
                            encoding))
    found = check(folder, svg, data=True)
    assert isinstance(found, Escape), found
    line = 4 if encoding in ("utf-16-le", "utf-16-be", "windows-1252") else 3  # after <?xml
    assert (found.at, found.line) == (svg, line)
    assert str(outside) in found
    # The kiosk leaves the page out; kiosk check names the page and the picture's own line.
    loaded = load_rendered(folder)
    assert loaded.content is not None
    assert [t.id for t in loaded.content.language().topics] == ["back-pain"]
    _loaded, problems = check_folder(folder)
    at_svg = [p for p in problems if p.path == svg]
    assert len(at_svg) == 1 and at_svg[0].is_error and at_svg[0].line == line, at_svg
    assert any(p.path.name == "jaw.md" and p.is_error and "p.svg" in p.message
               for p in problems)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_svg_in_any_encoding_using_its_own_folder_is_shown_and_rewritten_as_utf8(
        folder: Path, encoding: str) -> None:
    svg = folder / "en" / "images" / "p.svg"
    svg.write_bytes(encoded(f'{HEAD}<text x="1" y="9">Mandíbula “ATM”</text>\n'
                            '<image xlink:href="dot.png" width="10" height="10"/>\n</svg>',
                            encoding if encoding != "windows-1252" else "utf-16"))
    found = check(folder, svg, data=True)
    assert isinstance(found, Picture) and found.kind == "SVG", found
    text = found.data.decode("utf-8")  # what Qt is given: UTF-8, whatever the file was
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "Mandíbula “ATM”" in text
    assert "dot.png" not in text  # the picture it shows is written inside it
    assert f"data:image/png;base64,{base64.b64encode(PNG).decode()}" in text
    assert found.size == (100.0, 100.0)


def test_xml_says_the_encoding_by_mark_pattern_or_declaration() -> None:
    for encoding in ("utf-16", "utf-32", "utf-8-sig", "utf-16-le", "utf-16-be"):
        assert decode_xml(encoded("<svg>é</svg>", encoding)).endswith("<svg>é</svg>")
    assert decode_xml('<?xml version="1.0" encoding="ISO-8859-1"?><svg>é</svg>'
                      .encode("latin-1")).endswith("<svg>é</svg>")
    with pytest.raises(ValueError, match="does not know"):
        decode_xml(b'<?xml version="1.0" encoding="x-no-such"?><svg/>')
    with pytest.raises(ValueError, match="not a text encoding"):
        decode_xml(b'<?xml version="1.0" encoding="rot13"?><svg/>')
    with pytest.raises(ValueError, match="line 2"):
        decode_xml(b"<svg>\n\xff</svg>")


@pytest.mark.parametrize(("body", "words"), [
    ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/'
     'DTD/svg11.dtd">\n' + HEAD + "</svg>", "DOCTYPE"),
    ('<?xml-stylesheet href="style.css" type="text/css"?>\n' + HEAD + "</svg>",
     "processing instruction"),
    (HEAD + '<g xml:base="../../"><image href="x.png"/></g></svg>', "xml:base"),
    (HEAD + "<style>@import url(https://example.org/a.css);</style></svg>", "example.org"),
    (HEAD + "<style>rect { fill: url('\\2f etc\\2f x') }</style></svg>", "backslash"),
    (HEAD + '<a xlink:href="https://example.org/"><rect/></a></svg>', "example.org"),
    (HEAD + '<image href="data:text/html;base64,PGI+PC9iPg=="/></svg>', "not a picture"),
])
def test_what_can_load_other_files_is_refused_as_an_escape(
        folder: Path, body: str, words: str) -> None:
    svg = folder / "en" / "images" / "p.svg"
    svg.write_text(body, encoding="utf-8")
    found = check(folder, svg)
    assert isinstance(found, Escape) and words in found and found.at == svg, found


def test_a_picture_written_inside_an_svg_is_checked_by_what_it_is(
        folder: Path, tmp_path: Path) -> None:
    """A data: address says "image/png", but its bytes are an SVG that loads a file outside:
    refused (Qt would draw it by its content, whatever the address says)."""
    inner = f'{HEAD}<image href="{tmp_path / "outside.png"}"/></svg>'.encode()
    svg = folder / "en" / "images" / "p.svg"
    svg.write_text(f'{HEAD}<image href="data:image/png;base64,'
                   f'{base64.b64encode(inner).decode()}"/></svg>')
    found = check(folder, svg)
    assert isinstance(found, Escape) and "outside.png" in found
    ok = f'{HEAD}<image href="data:image/png;base64,{base64.b64encode(PNG).decode()}"/></svg>'
    svg.write_text(ok)
    assert isinstance(check(folder, svg), Picture)


def test_a_picture_named_png_that_is_an_svg_is_checked_as_an_svg(
        folder: Path, tmp_path: Path) -> None:
    png = folder / "en" / "images" / "p.png"
    png.write_text(f'{HEAD}<image href="{tmp_path / "outside.png"}"/></svg>')
    found = check(folder, png)
    assert isinstance(found, Escape)
    png.write_bytes(PNG)
    assert check(folder, png) == Picture(png, "PNG", b"", (1.0, 1.0))


def test_nested_use_of_two_kilobytes_is_refused_before_anything_draws_it(folder: Path) -> None:
    svg = folder / "en" / "images" / "p.svg"
    text = nested_use(10, 10)
    assert len(text.encode()) < 3_000
    svg.write_text(text)
    found = check(folder, svg)
    assert isinstance(found, Refusal) and not isinstance(found, Escape), found
    # Named where it crosses the limit: the first level that alone draws more. A level
    # draws its <g>, its ten <use>s, and through each a copy of the level below.
    drawn, level = 1, 0
    while drawn <= SVG_MAX_DRAWN:
        drawn, level = 1 + 10 * (1 + drawn), level + 1
    assert found.at == svg and found.line == 3 + level, found
    assert f'<g id="l{level}">' in text.splitlines()[found.line - 1]
    # The page keeps its words; its picture is left out; kiosk check names the picture.
    loaded = load_rendered(folder)
    assert loaded.content is not None and loaded.content.language().topic("jaw") is not None
    assert "kiosk-image" not in loaded.pages[("en", "jaw")].html
    _loaded, problems = check_folder(folder)
    named = [p for p in problems if p.path == svg]
    assert len(named) == 1 and named[0].is_error and named[0].line == found.line
    assert "draws too much" in named[0].message


def test_nesting_within_the_limits_is_drawn(folder: Path) -> None:
    svg = folder / "en" / "images" / "p.svg"
    svg.write_text(nested_use(4, 10))  # 10,000 rectangles
    found = check(folder, svg)
    assert isinstance(found, Picture) and found.kind == "SVG"
    assert 10_000 < found.drawn <= SVG_MAX_DRAWN


@pytest.mark.parametrize(("body", "words"), [
    ("<g>" * (SVG_MAX_DEPTH + 1) + "</g>" * (SVG_MAX_DEPTH + 1), "deep"),
    ("<rect/>" * SVG_MAX_ELEMENTS, "elements"),
    ('<g id="a"><use href="#a"/></g>', "leads back to itself"),
    ('<marker id="m">' + "<rect/>" * 50 + "</marker><path marker-mid=\"url(#m)\" d=\""
     + "L 1 1 " * 2000 + '"/>', "draws too much"),
    ('<pattern id="p">' + '<use href="#q"/>' * 40 + '</pattern><g id="q">'
     + "<rect/>" * 40 + '</g><g fill="url(#p)">' + "<rect/>" * 100 + "</g>",
     "draws too much"),
    ("<g>", "not a correct SVG"),
])
def test_too_complex_or_broken_svgs_are_refused_and_named(folder: Path, body: str,
                                                        words: str) -> None:
    svg = folder / "en" / "images" / "p.svg"
    svg.write_text(HEAD + body + "</svg>\n")
    found = check(folder, svg)
    assert isinstance(found, Refusal) and words in found and found.at == svg, found


def test_gradients_used_by_every_shape_are_not_counted_as_shapes(folder: Path) -> None:
    """A drawing program's usual file: a class with a gradient on thousands of shapes."""
    svg = folder / "en" / "images" / "p.svg"
    svg.write_text(HEAD + "<style>.a { fill: url(#g) }</style><linearGradient id=\"g\">"
                   + '<stop offset="0"/>' * 20 + "</linearGradient>"
                   + '<path class="a" d="M 0 0 L 1 1 L 2 0 Z"/>' * 15_000 + "</svg>")
    assert isinstance(check(folder, svg), Picture)


def test_a_missing_picture_inside_an_svg_is_a_warning_at_the_svg(folder: Path) -> None:
    svg = folder / "en" / "images" / "p.svg"
    svg.write_text(f'{HEAD}\n<image href="gone.png"/></svg>')
    found = check(folder, svg)
    assert isinstance(found, Refusal) and found.severity == "warning" and found.line == 3


def test_every_bundled_svg_passes_and_is_rewritten_without_loss() -> None:
    root = bundled_content()
    svgs = sorted(root.glob("*/images/*.svg"))
    assert len(svgs) >= 20
    for path in svgs:
        found = check(root, path, data=True)
        assert isinstance(found, Picture) and found.kind == "SVG", (path, found)
        assert found.size is not None and found.data.startswith(b"<?xml")


def test_kinds_come_from_the_bytes() -> None:
    assert kind_of(PNG) == "PNG"
    assert kind_of(b"\xff\xd8\xff\xe0") == "JPEG"
    assert kind_of(b"GIF89a....") == "GIF"
    assert kind_of(HEAD.encode("utf-16")) == "SVG"
    assert kind_of(b"<html><body>jaw</body></html>") is None
    assert kind_of(b"BM is not a picture just because it starts so") is None
