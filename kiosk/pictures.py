"""Picture files read by what they are, not by how they are named, checked before Qt sees them.

A picture is read only inside the content folder. Its kind comes from its first bytes (PNG,
JPEG, GIF, WebP, BMP) or, for an SVG, from its XML: decoded as XML says (a byte-order mark,
the encoding declaration: UTF-8, UTF-16, UTF-32 or any other encoding Python knows), parsed
with no DOCTYPE, entity or processing instruction, every reference resolved (``href`` and
``xlink:href`` on any element, CSS ``url()`` and ``@import``), and its size bounded: the
file, the nesting of its elements, their number, and the number drawn once every ``<use>``
and ``url(#...)`` is followed (a few kilobytes of ``<use>`` inside ``<use>`` would otherwise
draw millions of shapes).

What Qt is given to draw is never the file: for an SVG it is the checked document written
out again as UTF-8, the pictures it shows written inside it as ``data:`` addresses, so Qt
opens no file at all and a file changed after the check is never drawn unchecked; for
other kinds it is the bytes read, with their kind named. Nothing here imports Qt.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import os
import re
import struct
import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

from kiosk.folder import is_inside
from kiosk.names import on_disk
from kiosk.problems import Problem, Severity
from kiosk.sizes import over_limit

SVG_MAX_BYTES = 1_000_000  # an SVG file; a larger one is refused unread
RASTER_MAX_BYTES = 20_000_000  # a PNG, JPEG...: far more than any screen needs
SVG_MAX_NESTING = 3  # an SVG may show a picture that shows a picture, no deeper
SVG_MAX_DEPTH = 40  # elements inside elements (drawing programs use about ten)
SVG_MAX_ELEMENTS = 20_000  # elements written in the file
SVG_MAX_DRAWN = 100_000  # elements drawn once every <use> and url(#...) is followed
SVG_MAX_WRITTEN = 30_000_000  # the checked SVG, with the pictures it shows inside it

QT_FORMAT = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WebP": "webp", "BMP": "bmp",
             "SVG": "svg"}
_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WebP": "image/webp",
         "BMP": "image/bmp", "SVG": "image/svg+xml"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_SAVE_AGAIN = ("save it again from your drawing program as a plain SVG (Inkscape: "
               "'Plain SVG'), or as a PNG")


class Refusal(str):
    """Why a picture is not shown, in plain words for staff.

    ``at`` and ``line``: the picture file and line at fault, named there by ``kiosk
    check`` with ``severity`` (None when the reference itself is wrong, not the file)."""

    at: Path | None
    line: int
    severity: Severity
    hint: str
    own: str  # what is wrong, said of the picture file itself

    def __new__(cls, text: str, at: Path | None = None, line: int = 1,
                severity: Severity = "error", hint: str = "") -> Refusal:
        self = super().__new__(cls, text)
        self.at, self.line, self.severity, self.hint, self.own = at, line, severity, hint, text
        return self

    def saying(self, text: str) -> Refusal:
        """The same refusal (kind, file, line) in other words, for the page that uses it."""
        other = type(self)(text, self.at, self.line, self.severity, self.hint)
        other.own = self.own
        return other

    def problem(self) -> Problem | None:
        """The problem to name at the picture file itself (None: no file is at fault)."""
        if self.at is None:
            return None
        return Problem(self.at, self.line, f"this picture is not shown: it {self.own}",
                       self.severity, self.hint or _SAVE_AGAIN)


class Escape(Refusal):
    """A picture that reaches outside the content folder, or that cannot be checked: an
    error, and the page showing it is left out (a mistyped name is only a warning)."""


class _RefusedError(Exception):
    """Raised inside the SVG check; carries the refusal."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


class _NotSvgError(Exception):
    """Raised inside the SVG check: the document is XML of another kind (no picture)."""


@dataclass(frozen=True)
class Picture:
    """A picture file as it really is.

    ``kind``: "PNG", "JPEG", "GIF", "WebP", "BMP" or "SVG"; None when the file is no picture
    the kiosk can show. ``data``: the bytes Qt may draw (empty unless asked for): a raster
    file as read, an SVG checked and written out again. ``size``: its natural width and
    height in px, when known."""

    path: Path
    kind: str | None
    data: bytes = b""
    size: tuple[float, float] | None = None
    drawn: int = 1  # SVG: elements drawn, every <use> followed


# -- kinds ---------------------------------------------------------------------------------

_BMP_HEADERS = {12, 16, 40, 52, 56, 64, 108, 124}


def raster_kind(head: bytes) -> str | None:
    """The kind of a raster picture from its first bytes (at least 32), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[:2] == b"BM" and len(head) >= 18 and struct.unpack("<I", head[14:18])[0] in \
            _BMP_HEADERS:
        return "BMP"
    return None


def kind_of(head: bytes) -> str | None:
    """What a file is, from its first bytes (a few kilobytes): a raster kind, "SVG" when it
    is XML text with an ``<svg`` element in it, or None."""
    return raster_kind(head) or ("SVG" if _looks_like_svg(head) else None)


_SVG_TAG = re.compile(r"<(?:[\w.\-]+:)?svg[\s/>]", re.IGNORECASE)


def _looks_like_svg(head: bytes) -> bool:
    if head.startswith(b"\x1f\x8b"):  # gzip: what it holds cannot be seen without opening
        return False
    name, skip = xml_encoding(head)
    try:
        text = head[skip:].decode(name, "replace")
    except LookupError:
        text = head.decode("latin-1")
    return _SVG_TAG.search(text) is not None


def raster_size(head: bytes, kind: str | None) -> tuple[float, float] | None:
    """Width and height from a raster picture's first bytes (64 KB is plenty), or None."""
    try:
        if kind == "PNG" and head[12:16] == b"IHDR":
            w, h = struct.unpack(">II", head[16:24])
        elif kind == "GIF":
            w, h = struct.unpack("<HH", head[6:10])
        elif kind == "BMP":
            w, h = struct.unpack("<ii", head[18:26])
        elif kind == "JPEG":
            return _jpeg_size(head)
        elif kind == "WebP":
            return _webp_size(head)
        else:
            return None
    except struct.error:
        return None
    w, h = abs(int(w)), abs(int(h))
    return (float(w), float(h)) if w and h else None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(head: bytes) -> tuple[float, float] | None:
    at = 2
    while at + 4 <= len(head):
        if head[at] != 0xFF:
            return None
        marker = head[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        length = struct.unpack(">H", head[at + 2:at + 4])[0]
        if marker in _SOF and at + 9 <= len(head):
            h, w = struct.unpack(">HH", head[at + 5:at + 9])
            return (float(w), float(h)) if w and h else None
        at += 2 + length
    return None


def _webp_size(head: bytes) -> tuple[float, float] | None:
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30:
        w, h = struct.unpack("<HH", head[26:30])
        return float(w & 0x3FFF), float(h & 0x3FFF)
    if chunk == b"VP8L" and len(head) >= 25:
        bits = int.from_bytes(head[21:25], "little")
        return float((bits & 0x3FFF) + 1), float(((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X" and len(head) >= 30:
        return (float(int.from_bytes(head[24:27], "little") + 1),
                float(int.from_bytes(head[27:30], "little") + 1))
    return None


# -- reading a picture ---------------------------------------------------------------------

def check(root: Path, path: Path, *, data: bool = False, _nesting: int = 0) -> Picture | Refusal:
    """The picture file ``path`` as it really is, read only inside the folder ``root``.

    ``data``: also the bytes Qt may draw (an SVG written out again, the pictures it shows
    inside it); without it only what the check needs is read. Returns the picture (its kind
    None when it is no picture at all), or why it may not be shown.
    """
    if not is_inside(root, path):
        return Escape("is a link to a file outside the content folder; copy the file into "
                      "the folder instead")
    if not path.is_file():
        return Refusal("is not an ordinary file", path, severity="warning")
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            head = f.read(65_536)
            kind = raster_kind(head)
            if kind is not None and size > RASTER_MAX_BYTES:
                return Refusal(f"is too large to show ({over_limit(size, RASTER_MAX_BYTES)})",
                               path, hint="save it smaller: at most 2000 px wide, as PNG or "
                               "JPEG")
            if kind is not None and not data:
                return Picture(path, kind, b"", raster_size(head, kind))
            most = RASTER_MAX_BYTES if kind is not None else SVG_MAX_BYTES
            raw = head + f.read(most + 1 - len(head)) if size > len(head) else head
    except OSError as exc:
        return Refusal(f"cannot be opened: {exc.strerror or exc}", path)
    if kind is not None:
        return Picture(path, kind, raw[:RASTER_MAX_BYTES], raster_size(head, kind))
    if raw.startswith(b"\x1f\x8b") or path.suffix.lower() == ".svgz":
        return Escape("is compressed, so what it loads cannot be checked", path,
                      hint="save it as a plain .svg file or a PNG")
    if not _looks_like_svg(raw[:65_536]):
        return Picture(path, None)
    if max(size, len(raw)) > SVG_MAX_BYTES:
        return Escape(f"is too large to check ({over_limit(max(size, len(raw)), SVG_MAX_BYTES)}"
                      "), so what it loads cannot be checked", path,
                      hint="save it smaller, or as a PNG")
    return _Svg(root, path, data, _nesting).read(raw)


def xml_encoding(data: bytes) -> tuple[str, int]:
    """The encoding XML says a document's bytes are in (its byte-order mark, else the
    pattern of its first bytes, else its encoding declaration, else UTF-8), and the
    length of the byte-order mark to skip."""
    for bom, name in ((codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                      (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                      (codecs.BOM_UTF16_LE, "utf-16-le")):
        if data.startswith(bom):
            return name, len(bom)
    a, b, c, d = (data[:4] + b"\x01\x01\x01\x01")[:4]
    if a == b == c == 0 and d:
        return "utf-32-be", 0
    if a and b == c == d == 0:
        return "utf-32-le", 0
    if a == 0 and b:
        return "utf-16-be", 0
    if a and b == 0:
        return "utf-16-le", 0
    declared = _DECLARED.match(data[:1024])
    return (declared.group(1).decode("ascii") if declared else "utf-8"), 0


_DECLARED = re.compile(rb"""^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._\-]*)["']""")


def decode_xml(data: bytes) -> str:
    """An XML document's text, decoded as XML says (see ``xml_encoding``); raises
    ``ValueError`` naming the encoding and line when it cannot be."""
    name, skip = xml_encoding(data)
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"is saved in an encoding the kiosk does not know ('{name}')",
                         1) from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"says it is saved as '{name}', which is not a text encoding", 1)
    try:
        text = data[skip:].decode(info.name)
    except UnicodeDecodeError as exc:
        line = data[skip:skip + exc.start].decode(info.name, "replace").count("\n") + 1
        raise ValueError(f"has bytes on line {line} that are not {name} text", line) from None
    return text.removeprefix("\ufeff")


# -- the SVG check -------------------------------------------------------------------------

_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s*(?:url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)"""
                         r"""|"([^"]*)"|'([^']*)')?""", re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_LENGTH = re.compile(r"^\s*([+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px)?\s*$")
_DRAWING = {"image", "feImage"}  # elements whose href Qt draws as a picture
# Elements whose href="#name" draws (or inherits) what it names; a link (<a>) draws nothing.
_DRAWS_TARGET = {"pattern", "linearGradient", "radialGradient", "filter", "feImage", "tref",
                 "textPath", "mpath", "image"}
_BRUSHES = {"linearGradient", "radialGradient", "solidColor", "solidcolor"}
_INHERITED = ("fill", "stroke", "marker", "marker-start", "marker-mid", "marker-end")
_DATA = re.compile(r"^data:([^,]*?)(;base64)?,(.*)$", re.IGNORECASE | re.DOTALL)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _css_urls(text: str) -> list[str]:
    return [next((g for g in m.groups() if g is not None), "").strip()
            for m in _CSS_URL.finditer(text)]


def _declarations(style: str) -> list[tuple[str, str]]:
    out = []
    for part in style.split(";"):
        prop, colon, value = part.partition(":")
        if colon:
            out.append((prop.strip().lower(), value))
    return out


def _text(value: str, attribute: bool = False) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        value = value.replace('"', "&quot;").replace("\n", "&#10;").replace(
            "\r", "&#13;").replace("\t", "&#9;")
    return value


@dataclass
class _Element:
    name: str
    line: int
    children: list[int] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)  # ids a <use> draws again
    refs: list[tuple[str, str]] = field(default_factory=list)  # (property, id): url(#id), href
    numbers: int = 0  # numbers in its d= or points= (a bound on its vertices, for markers)
    nested: int = 0  # elements an SVG it shows as a picture draws


class _Svg:
    """One SVG file checked, and written out again when ``data`` is wanted."""

    def __init__(self, root: Path, path: Path, data: bool, nesting: int) -> None:
        self.root, self.path, self.data, self.nesting = root, path, data, nesting
        self.parser = xml.parsers.expat.ParserCreate()
        self.elements: list[_Element] = []
        self.ids: dict[str, list[int]] = {}
        self.open: list[int] = []
        self.out: list[str] = []
        self.written = 0
        self.style_text: list[str] = []
        self.style_refs: list[tuple[str, str]] = []  # (property, id) in <style> rules
        self.size: tuple[float, float] | None = None

    # -- where and why ---------------------------------------------------------------------
    def refuse(self, why: str, escape: bool = False, severity: Severity = "error",
               hint: str = "") -> _RefusedError:
        line = self.parser.CurrentLineNumber or 1
        kind = Escape if escape else Refusal
        return _RefusedError(kind(why, self.path, line, severity, hint))

    def read(self, raw: bytes) -> Picture | Refusal:
        if self.nesting >= SVG_MAX_NESTING:
            return Escape("shows pictures inside pictures too deeply", self.path)
        try:
            text = decode_xml(raw)
        except ValueError as exc:
            why, line = exc.args
            return Refusal(f"{why}, so it cannot be checked", self.path, line,
                           hint="save it again as UTF-8 from your drawing program")
        declared = re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE)
        if declared:  # anywhere, even where the XML is not correct
            line = text.count("\n", 0, declared.start()) + 1
            return Escape(f"has a <!{declared.group(1).upper()} line, which pictures never "
                          "need and which can make it load other files", self.path, line,
                          hint=f"delete the <!{declared.group(1).upper()} line, or "
                          + _SAVE_AGAIN)
        p = self.parser
        p.ordered_attributes = True
        p.buffer_text = True
        p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self.doctype
        p.EntityDeclHandler = self.entity
        p.UnparsedEntityDeclHandler = self.entity
        p.ExternalEntityRefHandler = self.external
        p.ProcessingInstructionHandler = self.instruction
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.characters
        try:
            p.Parse(text, True)
            drawn = self.drawn()
        except _RefusedError as refused:
            return refused.refusal
        except _NotSvgError:
            return Picture(self.path, None)
        except xml.parsers.expat.ExpatError as exc:
            if not self.elements:  # not even a first element: not an SVG picture at all
                return Picture(self.path, None)
            return Refusal(f"is not a correct SVG file ({xml.parsers.expat.ErrorString(exc.code)}"
                           f" on line {exc.lineno}), so it cannot be checked", self.path,
                           exc.lineno, hint=_SAVE_AGAIN)
        data = b""
        if self.data:
            data = ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(self.out)).encode()
        return Picture(self.path, "SVG", data, self.size, drawn)

    # -- what is never allowed -------------------------------------------------------------
    def doctype(self, name: str, *_rest: object) -> None:
        if _local(name or "").lower() != "svg":
            raise _NotSvgError  # <!DOCTYPE html> and the like: not a picture at all
        raise self.refuse("has a DOCTYPE line, which pictures never need and which can make "
                          "it load other files", escape=True,
                          hint="delete the line that starts with <!DOCTYPE, or " + _SAVE_AGAIN)

    def entity(self, *_args: object) -> None:
        raise self.refuse("declares XML entities (<!ENTITY), which pictures never need",
                          escape=True, hint=_SAVE_AGAIN)

    def external(self, *_args: object) -> int:
        raise self.refuse("refers to an external XML entity, which pictures never need",
                          escape=True, hint=_SAVE_AGAIN)

    def instruction(self, target: str, _data: str) -> None:
        raise self.refuse(f"has a processing instruction (<?{target} ...?>), which can make it "
                          "load other files", escape=True,
                          hint=f"delete the line that starts with <?{target}, or " + _SAVE_AGAIN)

    # -- the elements ------------------------------------------------------------------------
    def start(self, name: str, attributes: list[str]) -> None:
        line = self.parser.CurrentLineNumber
        index = len(self.elements)
        if index >= SVG_MAX_ELEMENTS:
            raise self.refuse(f"has more than {SVG_MAX_ELEMENTS:,} elements, too many to draw "
                              "quickly", hint="simplify the drawing, or save it as a PNG")
        if len(self.open) >= SVG_MAX_DEPTH:
            raise self.refuse(f"has elements inside elements more than {SVG_MAX_DEPTH} deep",
                              hint="ungroup the drawing in your drawing program, or save it "
                              "as a PNG")
        element = _Element(_local(name), line)
        if self.open:
            self.elements[self.open[-1]].children.append(index)
        elif _local(name) != "svg":
            raise _NotSvgError  # another kind of XML document
        self.elements.append(element)
        self.open.append(index)
        pairs = list(zip(attributes[::2], attributes[1::2], strict=True))
        kept: list[tuple[str, str]] = []
        for key, value in pairs:
            local = _local(key).lower()
            if key == "xml:base":
                raise self.refuse("has xml:base, which changes where its references point",
                                  escape=True, hint="delete the xml:base attribute")
            if local == "id":
                self.ids.setdefault(value.strip(), []).append(index)
            if local in ("d", "points"):
                element.numbers += len(_NUMBER.findall(value))
            if local == "href":
                value = self.href(element, value)
                if not value:
                    continue  # checked, and nothing Qt needs: left out
            elif key == "style":
                if "@import" in value.lower():
                    raise self.refuse("imports a style file in a style attribute", escape=True)
                for prop, declared in _declarations(value):
                    for ref in _css_urls(declared):
                        self.css_ref(element, prop, ref)
            elif "url(" in value.lower():
                for ref in _css_urls(value):
                    self.css_ref(element, local, ref)
            kept.append((key, value))
        if index == 0:
            self.size = _natural_size(dict(pairs))
        self.out.append(f"<{name}" + "".join(f' {k}="{_text(v, True)}"' for k, v in kept) + ">")

    def end(self, name: str) -> None:
        index = self.open.pop()
        if self.elements[index].name == "style":
            self.style("".join(self.style_text))
        self.style_text = []
        self.out.append(f"</{name}>")

    def characters(self, text: str) -> None:
        if self.open and self.elements[self.open[-1]].name == "style":
            self.style_text.append(text)
        self.out.append(_text(text))

    # -- references --------------------------------------------------------------------------
    def href(self, element: _Element, value: str) -> str:
        """What an ``href`` becomes in the SVG Qt draws: a ``#name`` stays, a picture an
        ``<image>`` shows is written inside it, and a file named by any other element is
        checked and left out (Qt draws nothing from it)."""
        ref = value.strip()
        if not ref:
            return ""
        if ref.startswith("#"):
            if element.name == "use":
                element.uses.append(ref[1:])
            elif element.name in _DRAWS_TARGET:
                element.refs.append(("href", ref[1:]))
            return ref
        if ref.lower().startswith("data:"):
            if element.name not in _DRAWING:
                raise self.refuse(f"has something written inside its <{element.name}> that "
                                  "is not a picture", escape=True)
            return self.inline(element, self.data_picture(ref))
        found = self.file(ref)
        return self.inline(element, found) if element.name in _DRAWING else ""

    def css_ref(self, element: _Element | None, prop: str, ref: str) -> None:
        """A CSS ``url()``: only ``#name`` of something in the same picture is drawn."""
        if ref.startswith("#"):
            if element is None:
                self.style_refs.append((prop, ref[1:]))
            else:
                element.refs.append((prop, ref[1:]))
            return
        if not ref:
            return
        if not ref.lower().startswith("data:"):
            self.file(ref)  # outside the folder: an escape
        raise self.refuse(f"uses '{ref[:60]}' in url(); only '#name' of something inside the "
                          "same picture can be used there",
                          hint="copy what it uses into this picture")

    def style(self, css: str) -> None:
        """A ``<style>`` element's rules: no import, no file, nothing unreadable."""
        if "\\" in css:
            raise self.refuse("has a backslash in its style rules, so what they load cannot "
                              "be checked", escape=True, hint=_SAVE_AGAIN)
        for match in _CSS_IMPORT.finditer(css):
            target = next((g for g in match.groups() if g is not None), "").strip()
            if target and not target.lower().startswith("data:"):
                self.file(target)  # outside the folder: an escape
            raise self.refuse(f"imports another style file ('{target[:60]}')",
                              hint="copy the style rules into this picture")
        for body in re.findall(r"\{([^{}]*)\}", css) or [css]:
            for prop, declared in _declarations(body):
                for ref in _css_urls(declared):
                    self.css_ref(None, prop, ref)
        for ref in _css_urls(re.sub(r"\{[^{}]*\}", "", css)):  # outside any rule
            self.css_ref(None, "", ref)

    def file(self, ref: str) -> Picture:
        """A file an SVG names, checked: outside the folder or not checkable is an escape;
        missing is a slip (a warning)."""
        shown = ref[:200]
        if "\\" in ref:
            raise self.refuse(f"loads '{shown}', which cannot be checked (a backslash)",
                              escape=True)
        if _SCHEME.match(ref) or ref.startswith("//"):
            raise self.refuse(f"loads '{shown}', which is not a file in the content folder",
                              escape=True, hint="copy the picture into the content folder")
        name = unquote(ref.split("#")[0])
        if name.startswith("/") or ".." in name.split("/"):
            raise self.refuse(f"loads '{shown}', which points outside its folder",
                              escape=True, hint="keep the pictures it shows next to it")
        base = self.path.parent
        path = base / on_disk(self.root, base, name)
        if not is_inside(self.root, path):
            raise self.refuse(f"loads '{shown}', a file outside the content folder",
                              escape=True, hint="copy the file into the content folder")
        if not path.is_file():
            raise self.refuse(f"loads '{shown}', which does not exist", severity="warning",
                              hint="add the file next to the picture, or fix its name")
        found = check(self.root, path, data=self.data, _nesting=self.nesting + 1)
        if isinstance(found, Refusal):
            kind = Escape if isinstance(found, Escape) else Refusal
            raise _RefusedError(kind(f"shows '{shown}', which {found}", self.path,
                                self.parser.CurrentLineNumber or 1, found.severity,
                                found.hint))
        if found.kind is None:
            raise self.refuse(f"shows '{shown}', which is not a picture",
                              hint="save the picture it shows as a PNG")
        return found

    def data_picture(self, ref: str) -> Picture:
        """A picture written inside the SVG as a ``data:`` address, by what its bytes are."""
        match = _DATA.match(ref)
        try:
            if match is None:
                raise ValueError(ref)
            body = match.group(3)
            payload = base64.b64decode(re.sub(r"\s+", "", body), validate=True) \
                if match.group(2) else unquote_to_bytes(body)
        except (ValueError, binascii.Error):
            raise self.refuse("has a picture written inside it that cannot be read",
                              escape=True) from None
        kind = raster_kind(payload[:64])
        if kind is not None:
            return Picture(self.path, kind, payload)
        if _looks_like_svg(payload[:65_536]) and len(payload) <= SVG_MAX_BYTES:
            nested = _Svg(self.root, self.path, self.data, self.nesting + 1).read(payload)
            if isinstance(nested, Refusal):
                kind_ = Escape if isinstance(nested, Escape) else Refusal
                raise _RefusedError(kind_(f"has an SVG picture written inside it that {nested}",
                                     self.path, self.parser.CurrentLineNumber or 1,
                                     nested.severity, nested.hint))
            if nested.kind is not None:
                return nested
        raise self.refuse("has something written inside it that is not a picture it can "
                          "check", escape=True)

    def inline(self, element: _Element, picture: Picture) -> str:
        """The ``data:`` address Qt draws a picture from (only when data is wanted)."""
        element.nested += picture.drawn if picture.kind == "SVG" else 0
        if not self.data:
            return "#"
        assert picture.kind is not None
        written = base64.b64encode(picture.data).decode("ascii")
        self.written += len(written)
        if self.written > SVG_MAX_WRITTEN:
            raise self.refuse("shows too many pictures inside it", hint="save it as a PNG")
        return f"data:{_MIME[picture.kind]};base64,{written}"

    # -- how much it draws -------------------------------------------------------------------
    def drawn(self) -> int:
        """Elements drawn once every ``<use>`` and ``url(#...)`` is followed; refuses when
        over ``SVG_MAX_DRAWN`` or when a reference leads back to itself."""
        most = SVG_MAX_DRAWN + 1
        elements = self.elements

        def targets(name: str) -> list[int]:
            return self.ids.get(name, [])

        def used(i: int) -> list[int]:
            return [*elements[i].children, *(t for u in elements[i].uses for t in targets(u))]

        # What each element draws through <use> alone: shapes, and numbers in their paths.
        shapes = self._walk(used, lambda i, got: min(most, 1 + elements[i].nested + sum(got)),
                            "<use>")
        numbers = self._walk(used, lambda i, got: min(most, elements[i].numbers + sum(got)),
                             "<use>")

        def times(i: int, prop: str) -> int:
            """How often what ``prop`` refers to is drawn for element ``i``."""
            if prop.startswith("marker"):  # at both ends of each shape and every vertex
                return min(most, 2 * shapes[i] + numbers[i])
            return shapes[i] if prop in _INHERITED else 1  # inherited by what it holds

        def refs(i: int) -> list[tuple[int, int]]:
            """(target, times) for each reference, <use> and url(#...) alike."""
            e = elements[i]
            out = [(t, 1) for u in e.uses for t in targets(u)]
            out += [(t, times(i, prop)) for prop, r in e.refs for t in targets(r)]
            if i == 0:  # a <style> rule may apply to every element
                out += [(t, times(0, prop or "fill")) for prop, r in self.style_refs
                        for t in targets(r)]
            return out

        def deps(i: int) -> list[int]:
            return [*elements[i].children, *(t for t, _n in refs(i))]

        def total(i: int, got: list[int]) -> int:
            e = elements[i]
            if e.name in _BRUSHES:  # a gradient is a brush: its stops are not shapes
                return 1
            kids = len(e.children)
            cost = 1 + e.nested + sum(got[:kids])
            cost += sum(n * c for (_t, n), c in zip(refs(i), got[kids:], strict=True))
            return min(most, cost)

        cost = self._walk(deps, total, "reference")
        if cost[0] > SVG_MAX_DRAWN:
            # Name the element where it crosses the limit: over it, though nothing it draws is.
            worst = next(i for i, c in enumerate(cost) if c > SVG_MAX_DRAWN and
                         all(cost[d] <= SVG_MAX_DRAWN for d in deps(i)))
            e = elements[worst]
            raise _RefusedError(Refusal(
                f"draws too much: the <{e.name}> on line {e.line} alone would draw more than "
                f"{SVG_MAX_DRAWN:,} shapes once every <use> copy and url(#...) in it is "
                "followed", self.path, e.line,
                hint="use fewer copies inside copies, or save it as a PNG"))
        return cost[0]

    def _walk(self, deps: Callable[[int], list[int]], combine: Callable[[int, list[int]], int],
              what: str) -> list[int]:
        """A value for every element from its dependencies' values, without recursion;
        refuses a loop."""
        n = len(self.elements)
        value = [0] * n
        state = [0] * n  # 0 not seen, 1 on the path, 2 done
        for start in range(n):
            if state[start]:
                continue
            state[start] = 1
            stack: list[tuple[int, list[int], int]] = [(start, deps(start), 0)]
            while stack:
                i, todo, at = stack[-1]
                while at < len(todo) and state[todo[at]] == 2:
                    at += 1
                if at == len(todo):
                    value[i] = combine(i, [value[d] for d in todo])
                    state[i] = 2
                    stack.pop()
                    continue
                stack[-1] = (i, todo, at)
                following = todo[at]
                if state[following] == 1:
                    e = self.elements[following]
                    raise _RefusedError(Refusal(
                        f"has a {what} that leads back to itself (through the <{e.name}> on "
                        f"line {e.line})", self.path, e.line,
                        hint="remove the copy that copies itself"))
                state[following] = 1
                stack.append((following, deps(following), 0))
        return value


def _natural_size(attributes: dict[str, str]) -> tuple[float, float] | None:
    """An SVG's natural size from its width and height in px, else its viewBox."""
    w, h = (_LENGTH.match(attributes.get(k, "")) for k in ("width", "height"))
    if w and h and float(w.group(1)) > 0 and float(h.group(1)) > 0:
        return float(w.group(1)), float(h.group(1))
    box = _NUMBER.findall(attributes.get("viewBox", ""))
    if len(box) == 4 and float(box[2]) > 0 and float(box[3]) > 0:
        return float(box[2]), float(box[3])
    return None
