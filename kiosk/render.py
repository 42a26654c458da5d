"""Turn a topic's Markdown into safe HTML for Qt's rich-text engine.

Markdown (tables, lists, callout boxes) -> our link and image policy -> an allow-list
sanitizer (nh3) -> HTML that uses only what QTextBrowser can show. Links to other topic
files become ``topic:ID``; images inside the content folder become ``kiosk-image:PATH``;
every other link and image is dropped. Nothing here imports Qt.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from kiosk import bidi, fonts
from kiosk.model import Language, Topic, did_you_mean, find_picture
from kiosk.names import nfc
from kiosk.page import IMAGE_SCHEME as IMAGE_SCHEME  # re-exported
from kiosk.page import QR_SCHEME as QR_SCHEME  # re-exported
from kiosk.page import TOPIC_SCHEME as TOPIC_SCHEME  # re-exported
from kiosk.page import Page as Page  # re-exported: rendering makes pages
from kiosk.page import plain_text as plain_text  # re-exported
from kiosk.pictures import Escape, Refusal
from kiosk.problems import Problem
from kiosk.review import reviewed_line
from kiosk.theme import Theme

CALLOUT_KINDS = ("note", "urgent")

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i",
    "table", "thead", "tbody", "tr", "th", "td", "img", "a", "span", "blockquote", "code",
}
# Blocks that carry a direction: Qt's rich text honours ``dir`` on blocks only.
_BLOCKS = ("h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "table", "td", "th", "blockquote")
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "table": {"class", "width", "cellpadding", "cellspacing", "border", "align"},
    "td": {"class", "align"},
    "th": {"align"},
    "p": {"class"},
    "span": {"class"},
    "ol": {"class"},
}
for _tag in _BLOCKS:
    ALLOWED_ATTRIBUTES.setdefault(_tag, set()).add("dir")
DIRECTION_VALUES = ("ltr", "rtl", "auto")


def line_of(body: str, needle: str, first_line: int) -> int:
    """Best guess at the file line where ``needle`` appears in a page body."""
    index = body.find(needle) if needle else -1
    if index < 0:
        return first_line
    return first_line + body.count("\n", 0, index)


class _Policy(Treeprocessor):
    """Rewrite links and images to our own schemes; drop what the kiosk must not open."""

    topic: Topic
    language: Language
    root: Path
    page: Page

    def begin(self, topic: Topic, language: Language, root: Path, page: Page) -> None:
        """The page the next conversion renders."""
        self.topic, self.language, self.root, self.page = topic, language, root, page

    def refuse(self, ref: str, why: str, hint: str = "", error: bool = False) -> None:
        line = line_of(self.topic.body, ref, self.topic.body_line)
        self.page.refused.append(Problem(self.topic.path, line, why,
                                         "error" if error else "warning", hint))

    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "a":
                    self.link(child)
                elif child.tag == "img":
                    self.image(parent, child)
                elif child.tag == "div" and "admonition" in child.get("class", ""):
                    self.callout(child)
        self.direction(root)

    def direction(self, root: ET.Element) -> None:
        """Every block carries its language's direction (Qt lays a block out by its own
        ``dir``, not by the words it starts with: a Persian paragraph that begins with "MRI"
        still reads right to left); a table sits on the reading side, its header cells aligned
        with its text; phone numbers keep the order they are dialled in; embeddings and
        overrides (which can show a line in another order than the file's) are dropped."""
        rtl = self.language.rtl
        side = "right" if rtl else "left"
        if self.language.digits != "latin":
            for ol in list(root.iter("ol")):
                self.own_numbers(ol)
        upright = rtl or fonts.script_of(self.language.code) is not None
        for element in root.iter():
            if upright and element.tag in ("em", "i"):
                # Italics are a Latin-script habit: Persian, Arabic, Hebrew, Korean or
                # Armenian type has none (and DejaVu Sans Oblique has no Arabic letters: they
                # would show as empty boxes). Emphasis is bold there.
                element.tag = "strong"
            if rtl and element.tag in _BLOCKS and not element.get("dir"):
                element.set("dir", "rtl")
            if element.tag == "table" and rtl and "callout" not in element.get("class", ""):
                element.set("align", "right")
            elif element.tag == "th" and not element.get("align"):
                element.set("align", side)
            for attribute in ("text", "tail"):
                text = getattr(element, attribute)
                if text and not text.isascii():
                    text = "".join(ch for ch in text if ch not in bidi.REFUSED)
                if text and rtl:
                    text = bidi.isolate_numbers(text)
                setattr(element, attribute, text)

    def link(self, a: ET.Element) -> None:
        href = a.attrib.pop("href", "")
        a.attrib.clear()
        target = self.topic_target(href)
        if target:
            a.set("href", f"{TOPIC_SCHEME}:{target}")
            self.page.topic_links.add(target)
            return
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and parts.netloc:
            a.set("href", f"{QR_SCHEME}:{len(self.page.web_links)}")
            self.page.web_links.append(href)
            return
        a.tag = "span"  # keep the words, drop the link
        if href.startswith("#"):
            return
        if parts.scheme or href.startswith("//"):
            self.refuse(href, f"the link '{href}' goes outside the kiosk; it shows as plain text")
        else:
            guess = did_you_mean(unquote(parts.path), [f"{t.id}.md" for t in
                                                       self.language.topics])
            self.refuse(href, f"the link '{href}' is not a topic in this language; "
                        "it shows as plain text", f"did you mean '{guess}'? File names must "
                        "match exactly, capital letters too" if guess else "")

    def topic_target(self, href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            return None
        name = unquote(parts.path)
        if "/" in name.strip("./") or "\\" in name:
            return None
        topic_id = nfc(Path(name).stem)  # ids are NFC, as typed, whatever the file's bytes
        return topic_id if self.language.topic(topic_id) else None

    def image(self, parent: ET.Element, img: ET.Element) -> None:
        src = img.get("src", "")
        picture, why = find_picture(self.root, self.topic.path.parent, unquote(src))
        if picture is None:
            if isinstance(why, Escape):  # kiosk.pages leaves such a page out
                self.refuse(src, f"image: {why}", error=True)
            else:
                self.refuse(src, f"image: {why}; it is left out")
            own = why.problem() if isinstance(why, Refusal) else None
            if own is not None:  # named at the picture's own file too
                self.page.refused.append(own)
            parent.remove(img)
            return
        rel = picture.path.relative_to(self.root.resolve()).as_posix()
        img.set("src", f"{IMAGE_SCHEME}:{rel}")
        if picture.size is not None:  # its box is laid out before it is drawn
            self.page.pictures[rel] = (picture.kind, *picture.size)

    def own_numbers(self, ol: ET.Element) -> None:
        """A numbered list in the language's own digits (۱. ۲. ۳.): Qt numbers lists in
        0-9 only, so its numbers are hidden and written into each item instead."""
        try:
            number = int(ol.get("start", "1"))
        except ValueError:
            number = 1
        ol.set("class", "own-numbers")
        for li in ol.findall("li"):
            target = li
            if not (li.text or "").strip() and len(li) and li[0].tag == "p":
                target = li[0]  # a loose list: the words are in a paragraph
            target.text = f"{bidi.digits(str(number), self.language.digits)}. " + (
                target.text or "").lstrip()
            number += 1

    def callout(self, div: ET.Element) -> None:
        """Admonitions become one-cell tables: Qt draws borders and padding only on tables."""
        classes = div.get("class", "").split()
        kind = next((k for k in CALLOUT_KINDS if k in classes), "note")
        children = list(div)
        div.clear()
        div.tag = "table"
        div.set("class", f"callout {kind}")
        div.set("width", "100%")
        div.set("cellpadding", "16")
        div.set("cellspacing", "0")
        cell = ET.SubElement(ET.SubElement(div, "tr"), "td")
        cell.set("class", f"callout {kind}")
        for child in children:
            if child.tag == "p" and "admonition-title" in child.get("class", ""):
                child.set("class", "callout-title")
            cell.append(child)


class _PolicyExtension(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.policy: _Policy | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # After inline patterns (priority 20) have made <a> and <img> elements.
        self.policy = _Policy(md)
        md.treeprocessors.register(self.policy, "kiosk_policy", 1)


# Markdown converters not in use. Building one (its extensions, patterns and processors)
# costs a third of rendering a page, so one that finished a page is kept for the next;
# one stopped midway (a page over its time budget) or that raised is never used again.
# Each is used by one thread at a time: taken from here, put back when done.
_IDLE: list[tuple[markdown.Markdown, _Policy]] = []
_IDLE_LOCK = threading.Lock()
_IDLE_MAX = 4


def _converter() -> tuple[markdown.Markdown, _Policy]:
    with _IDLE_LOCK:
        if _IDLE:
            return _IDLE.pop()
    extension = _PolicyExtension()
    md = markdown.Markdown(extensions=["tables", "admonition", "sane_lists", extension],
                           output_format="html")
    assert extension.policy is not None
    return md, extension.policy


def _convert(topic: Topic, language: Language, root: Path, page: Page) -> str:
    """The page's Markdown as HTML (before sanitizing), by a converter used again."""
    md, policy = _converter()
    policy.begin(topic, language, root, page)
    body = md.reset().convert(topic.body)  # reset: nothing of the last page carries over
    with _IDLE_LOCK:
        if len(_IDLE) < _IDLE_MAX:
            _IDLE.append((md, policy))
    return body


_OWN_HREF = re.compile(rf"^({TOPIC_SCHEME}:[^/\\:]+|{QR_SCHEME}:[0-9]+)$")
_OWN_SRC = re.compile(rf"^{IMAGE_SCHEME}:(?![/\\])(?!(.*[/\\])?\.\.([/\\]|$))[^:]+$")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Last line of defence, also for raw HTML in a staff file: only our own URLs pass."""
    if attribute == "href":
        return value if _OWN_HREF.match(value) else None
    if attribute == "src":
        return value if _OWN_SRC.match(value) else None
    if attribute == "dir":
        return value.strip().lower() if value.strip().lower() in DIRECTION_VALUES else None
    if attribute == "align":
        return value if value.strip().lower() in ("left", "right", "center") else None
    return value


_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def sanitize(raw_html: str) -> str:
    """Keep only allowed tags, attributes and our own URLs; drop pictures left with no source."""
    return _IMG_WITHOUT_SRC.sub("", _clean(raw_html))


def _clean(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={TOPIC_SCHEME, IMAGE_SCHEME, QR_SCHEME},
        link_rel=None,
        strip_comments=True,
    )


# Bounds on nesting, far above any real page: Markdown's inline parser is quadratic in the
# number of unclosed brackets or tags in a paragraph, its list and quote parsers recurse (a
# line of 500 list markers, or 250 levels of indentation, exhaust Python's recursion limit),
# and the sanitizer's time grows with how deeply raw HTML is nested.
MAX_BRACKET_DEPTH = 20  # [ ] and ( ) inside each other, in one paragraph
MAX_OPEN_TAGS = 50  # '<' starting a tag that is never closed, in one paragraph
MAX_INDENT = 40  # columns: ten levels of list or callout
MAX_QUOTE_DEPTH = 10  # '>' quotes inside quotes
MAX_NESTING = 16  # lists, quotes and indentation together, at the start of one line
MAX_HTML_DEPTH = 20  # raw HTML tags open inside each other, in the whole page
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_BRACKET = re.compile(r"\\.|[][()]")  # an escaped character, or a bracket
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}


def line_nesting(line: str) -> int:
    """How deeply the start of a line nests lists and quotes: each list marker and each '>'
    is a level, and so is every four columns of indentation among them (the one space that
    follows a marker is part of the marker). One pass."""
    levels = columns = at = 0
    while levels <= MAX_NESTING:  # enough to tell it is too deep: no need to count on
        match = _CONTAINER.match(line, at)
        if match is None or match.end() == at:
            break
        marker = match.group(0)
        columns += _indent_after(marker[: len(marker) - len(marker.lstrip(" \t"))], at > 0)
        levels += 1
        at = match.end()
    rest = line[at:]
    columns += _indent_after(rest[: len(rest) - len(rest.lstrip(" \t"))], at > 0)
    return levels + columns // 4


def _indent_after(space: str, after_marker: bool) -> int:
    """Columns of indentation in ``space``, less the one space a marker before it takes."""
    width = len(space.expandtabs(4))
    return max(0, width - 1) if after_marker else width


def too_complex(body: str) -> tuple[int, str] | None:
    """Why a page body is nested too deeply to render safely, and the line (counted from the
    body's first line, 0-based); None when it is fine. One pass, no recursion."""
    depth = {"[": 0, "(": 0}
    closes = {"]": "[", ")": "("}
    open_tags = 0
    html_depth = 0
    for number, line in enumerate(body.split("\n")):
        stripped = line.lstrip(" \t>")
        if not line.strip():
            depth = {"[": 0, "(": 0}
            open_tags = 0
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT:
            return number, (f"a line is indented more than {MAX_INDENT // 4} levels; lists and "
                            "callouts inside each other that deep cannot be shown")
        quotes = line[: len(line) - len(stripped)].count(">")
        if quotes > MAX_QUOTE_DEPTH:
            return number, f"quotes ('>') are nested more than {MAX_QUOTE_DEPTH} deep"
        if line_nesting(line) > MAX_NESTING:
            return number, (f"lists and quotes are nested more than {MAX_NESTING} deep at the "
                            "start of this line (list markers like '- ' or '1. ', '>' and "
                            "indentation together); that deep cannot be shown")
        for found in _BRACKET.finditer(line):  # only the brackets, not every character
            ch = found.group()
            if len(ch) == 2:  # a backslash and the character it escapes
                continue
            if ch in depth:
                depth[ch] += 1
                if depth[ch] > MAX_BRACKET_DEPTH:
                    return number, (f"more than {MAX_BRACKET_DEPTH} '{ch}' are open at once in "
                                    "one paragraph; every '[' needs its ']' and every '(' its "
                                    "')'")
            elif ch in closes:
                depth[closes[ch]] = max(0, depth[closes[ch]] - 1)
        last_close = line.rfind(">")
        open_tags += sum(1 for match in _TAG_START.finditer(line) if match.start() > last_close)
        if open_tags > MAX_OPEN_TAGS:
            return number, (f"more than {MAX_OPEN_TAGS} '<' start a tag that is never closed "
                            "with '>' in one paragraph; write 'less than' instead of '<'")
        for match in _HTML_TAG.finditer(_CODE_SPAN.sub("", line)):
            closing, name, empty = match.groups()
            if closing:
                html_depth = max(0, html_depth - 1)
            elif not empty and name.lower() not in _VOID:
                html_depth += 1
                if html_depth > MAX_HTML_DEPTH:
                    return number, (f"more than {MAX_HTML_DEPTH} HTML tags are open inside "
                                    "each other here; raw HTML is removed anyway, so write "
                                    "the page in Markdown")
    return None


def render_topic(topic: Topic, language: Language, root: Path) -> Page:
    """Render one topic page to sanitized HTML.

    A page nested too deeply (see ``too_complex``) is not parsed: its words show as plain
    paragraphs and the reason is in ``refused``.
    """
    page = Page("")
    dir_attr = ' dir="rtl"' if language.rtl else ""
    complex_at = too_complex(topic.body)
    if complex_at is not None:
        offset, why = complex_at
        page.refused.append(Problem(topic.path, topic.body_line + offset, why, "error",
                                    "simplify the page there"))
        page.html = "".join(f"<p{dir_attr}>{html.escape(block)}</p>"
                            for block in topic.body.split("\n\n") if block.strip())
        return page
    page.html = sanitize(_convert(topic, language, root, page))
    reviewed = reviewed_line(topic, language)
    if reviewed:  # small print at the very end; nothing at all for a page never reviewed
        page.html += f'\n<p class="reviewed"{dir_attr}>{html.escape(reviewed)}</p>'
    return page


def stylesheet(theme: Theme, body_px: int) -> str:
    """CSS for QTextDocument's subset of CSS 2.1 (no padding or borders on div)."""
    h2 = round(body_px * 1.3)
    h3 = round(body_px * 1.12)
    return f"""
body {{ color: {theme.text}; font-size: {body_px}px; }}
p, li, td, th {{ color: {theme.text}; }}
p, li {{ line-height: 145%; }}
p {{ margin-top: 0; margin-bottom: {round(body_px * 0.7)}px; }}
h1, h2 {{ font-size: {h2}px; font-weight: 700; color: {theme.heading};
          margin-top: {round(body_px * 1.1)}px; margin-bottom: {round(body_px * 0.5)}px; }}
h3, h4 {{ font-size: {h3}px; font-weight: 700; color: {theme.heading};
          margin-top: {round(body_px * 0.9)}px; margin-bottom: {round(body_px * 0.4)}px; }}
ol.own-numbers {{ list-style-type: none; }}
ul, ol {{ margin-top: 0; margin-bottom: {round(body_px * 0.7)}px; }}
li {{ margin-bottom: {round(body_px * 0.3)}px; }}
a {{ color: {theme.link}; text-decoration: underline; font-weight: 600; }}
table {{ border-collapse: collapse; margin-top: {round(body_px * 0.4)}px;
         margin-bottom: {round(body_px * 0.9)}px; }}
th {{ background-color: {theme.surface}; font-weight: 700;
      border: 1px solid {theme.border}; padding: {round(body_px * 0.4)}px; }}
td {{ border: 1px solid {theme.border}; padding: {round(body_px * 0.4)}px; }}
table.callout {{ border: 0; }}
td.callout {{ border: 3px solid {theme.accent}; background-color: {theme.note_bg};
              padding: {round(body_px * 0.8)}px; }}
td.urgent {{ border: 3px solid {theme.urgent}; background-color: {theme.urgent_bg}; }}
p.callout-title {{ font-weight: 700; font-size: {h3}px; margin-bottom: {round(body_px * 0.3)}px; }}
td.urgent p.callout-title {{ color: {theme.urgent}; }}
p.reviewed {{ color: {theme.muted}; font-size: {max(18, round(body_px * 0.8))}px;
              margin-top: {round(body_px * 0.9)}px; }}
"""



