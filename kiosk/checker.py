"""``kiosk check``: every problem in a content folder, as ``path:line: message`` lines.

Loads the folder as the kiosk would, renders every page through the link and image
policy, compares languages (topics, labels, and the self-check answer by answer), and
teaches: reading level, long sentences, rare words, oversized or unused pictures. It also
names what the kiosk would show differently from what staff meant: callout boxes that are
not boxes or are empty, raw HTML that is removed, links written with a space, pictures that
are not pictures, language folders not named by their code. Each problem is said once, on
the line where the mistake is, and a file that is right gets no message because of another
file's error. Plain Python; no Qt.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from yaml.nodes import SequenceNode

from kiosk import bidi, fonts, readability, review, yamlio
from kiosk.folder import is_inside  # the loader's own boundary: nothing outside is read
from kiosk.model import _LANGUAGE_DIR as LANGUAGE_DIR  # the loader's own rule for folder names
from kiosk.model import (
    LABELS_FILE,
    PAGE_MAX_BYTES,
    YAML_MAX_BYTES,
    Content,
    Loaded,
    Topic,
    read_text,
)
from kiosk.pages import failed, load_rendered
from kiosk.pictures import kind_of, raster_kind, raster_size
from kiosk.problems import Problem, Severity
from kiosk.render import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    CALLOUT_KINDS,
    IMAGE_SCHEME,
    Page,
    line_of,
    plain_text,
    render_topic,
)
from kiosk.selfcheck import FILE_NAME, answer_tier
from kiosk.sizes import sizes

DEFAULT_MAX_GRADE = 8.0
MAX_IMAGE_PIXELS = 2000  # widest side, px: larger only costs memory and time on a small board
MAX_IMAGE_BYTES = 1_000_000
_UNUSED = "this picture is not used by any page or tile"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp"}


def _head(root: Path, path: Path, size: int) -> bytes | None:
    """The first ``size`` bytes of a file inside ``root`` (None outside it, or unreadable):
    a link to a file outside the content folder is never opened."""
    if not is_inside(root, path) or not path.is_file():
        return None
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError:
        return None


def image_size(path: Path, root: Path | None = None) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF, JPEG, WebP or BMP file, read from its header (no Qt),
    only inside ``root`` (default: the picture's own folder)."""
    head = _head(root or path.parent, path, 65_536)
    dims = raster_size(head, raster_kind(head)) if head else None
    return (int(dims[0]), int(dims[1])) if dims else None


Pages = dict[tuple[str, str], Page]  # (language, topic id) -> rendered page


def render_all(content: Content) -> Pages:
    """Every page rendered once, for all the checks that read pages. A page that cannot be
    rendered is empty and says why (never a traceback)."""
    pages: Pages = {}
    for code, language in content.languages.items():
        for topic in language.topics:
            try:
                pages[(code, topic.id)] = render_topic(topic, language, content.root)
            except Exception as exc:
                pages[(code, topic.id)] = Page("", [failed(topic, exc)])
    return pages


def reading_problems(content: Content, pages: Pages, max_grade: float) -> list[Problem]:
    problems = []
    for language in content.languages.values():
        for topic in language.topics:
            page = pages[(language.code, topic.id)]
            reading = readability.analyse(plain_text(page.html), language.code)
            if reading is None:
                continue
            hard = readability.too_hard(reading, max_grade)
            if reading.grade is None and not topic.reviewed_by:
                # No formula can vouch for the page: a person who reads it must.
                problems.append(Problem(
                    topic.path, topic.reviewed_line, f"{readability.described(reading)}; "
                    f"someone who reads '{language.code}' well must check that this page is "
                    "plain and says what the default language's page says", "warning",
                    "once a translator and a clinician have read it, add  reviewed_by: Name  "
                    "and  reviewed_on: YYYY-MM-DD  to the front matter"))
            if not hard:
                continue
            aim = f"grade {max_grade:g} or lower"
            if reading.bands:
                aim += f" and {readability.INFLESZ_NORMAL:g} (normal) or more on INFLESZ"
            if reading.grade is None:
                aim = (f"at most {readability.MAX_WORDS_PER_SENTENCE:g} words per sentence on "
                       f"average and {readability.MAX_SENTENCE_WORDS} in any one")
            parts = []
            line = topic.body_line  # the page as a whole, unless a sentence is to blame
            if reading.long_sentences:
                first = reading.long_sentences[0]
                shown = " ".join(first.split())  # a sentence may run over several lines
                line = _sentence_line(topic, first)
                parts.append(f"the longest sentence, on this line, has "
                             f"{len(readability.words_of(first))} words: "
                             f"\"{shown[:90]}{'…' if len(shown) > 90 else ''}\"")
            if reading.rare_words:
                parts.append("rare long words: " + ", ".join(reading.rare_words))
            problems.append(Problem(
                topic.path, line,
                f"reads at {readability.described(reading)}; aim for {aim}. "
                + "; ".join(parts), "warning",
                "split long sentences, one idea each, and use everyday words "
                "(see docs/AUTHORING.md, plain-language rules)"))
    return problems


def _sentence_line(topic: Topic, sentence: str) -> int:
    """The file line where a sentence of the rendered page starts: its first words, with
    any Markdown, line breaks or punctuation between them."""
    words = readability.words_of(sentence)[:6]
    if not words:
        return topic.body_line
    match = re.search(r"(?<!\w)" + r"[\W_]+".join(map(re.escape, words)), topic.body)
    if match is None:
        return line_of(topic.body, sentence.strip()[:40], topic.body_line)
    return topic.body_line + topic.body.count("\n", 0, match.start())


_PICTURE_REF = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|^image:\s*[\"']?([^\s\"']+)",
                          re.MULTILINE)


def _pictures_of_left_out(pages: set[Path], root: Path) -> set[Path]:
    """Pictures a page that has an error would show: they are not "unused", the page is broken.
    A page that is a link to a file outside the content folder is not read."""
    used = set()
    for page in pages:
        text, _problem = read_text(page, PAGE_MAX_BYTES, root)
        if text is None:
            continue
        for match in _PICTURE_REF.finditer(text):
            ref = unquote(match.group(1) or match.group(2))
            used.add((page.parent / ref).resolve())
    return used


def image_problems(content: Content, pages: Pages,
                   left_out: set[Path] | None = None) -> list[Problem]:
    problems = []
    used: set[Path] = _pictures_of_left_out(left_out or set(), content.root)
    for language in content.languages.values():
        for topic in language.topics:
            if topic.image is not None:
                used.add(topic.image.resolve())
            page = pages[(language.code, topic.id)]
            for rel in _image_refs(page.html):
                used.add((content.root / rel).resolve())
    for language in content.languages.values():
        folder = language.folder
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            if not is_inside(content.root, path):  # never read
                problems.append(Problem(path, 1, "this picture is a link to a file outside "
                                        "the content folder; the kiosk does not show it",
                                        "warning", "copy the picture into the folder"))
                continue
            if path.resolve() not in used:
                problems.append(Problem(path, 1, _UNUSED, "warning", "delete it, or use it with "
                                        f"![what it shows]({path.relative_to(folder).as_posix()})"))
            size = path.stat().st_size
            dims = image_size(path, content.root)
            if size > MAX_IMAGE_BYTES or (dims and max(dims) > MAX_IMAGE_PIXELS):
                said, most = sizes(size, MAX_IMAGE_BYTES)  # exact bytes if rounding hides it
                what = said + (f", {dims[0]}x{dims[1]} px" if dims else "")
                problems.append(Problem(path, 1, f"this picture is large ({what}); it makes "
                                        "the kiosk slower and uses memory", "warning",
                                        f"resize it to at most {MAX_IMAGE_PIXELS} px wide and "
                                        f"{most} (PNG or JPEG)"))
    return problems


def _image_refs(page_html: str) -> list[str]:
    out = []
    marker = f'src="{IMAGE_SCHEME}:'
    start = page_html.find(marker)
    while start >= 0:
        end = page_html.find('"', start + len(marker))
        out.append(page_html[start + len(marker):end])
        start = page_html.find(marker, end)
    return out


def language_problems(content: Content) -> list[Problem]:
    problems = []
    default = content.language()
    default_ids = {t.id for t in default.topics}
    for code, language in content.languages.items():
        if code == content.default_language:
            continue
        ids = {t.id for t in language.topics}
        for missing in sorted(default_ids - ids):
            if (language.folder / f"{missing}.md").is_file():
                continue  # it is there but has an error, reported on its own line
            problems.append(Problem(language.folder / f"{missing}.md", 1,
                                    f"the topic '{missing}' is in '{default.code}' but not "
                                    f"in '{code}'; patients reading {language.name} "
                                    "will not see it", "warning",
                                    f"translate {default.code}/{missing}.md into this file"))
        for extra in sorted(ids - default_ids):
            if (default.folder / f"{extra}.md").is_file():
                continue  # its twin is there but has an error, reported on its own line
            topic = language.topic(extra)
            assert topic is not None
            problems.append(Problem(topic.path, 1, f"the topic '{extra}' is not in "
                                    f"'{default.code}'", "warning",
                                    "give it the same file name as its twin in every language"))
    return problems


def direction_problems(content: Content) -> list[Problem]:
    """Invisible direction controls at their file, line and column: marks are fine, isolates
    must be closed on their line, embeddings and overrides are refused (kiosk.bidi)."""
    problems = []
    for language in content.languages.values():
        texts: list[tuple[Path, str, int]] = [(t.path, t.body, t.body_line)
                                              for t in language.topics]
        for name in (FILE_NAME, LABELS_FILE):
            path = language.folder / name
            if path.is_file():
                text, _problem = read_text(path, YAML_MAX_BYTES, content.root)
                texts += [(path, text, 1)] if text else []
        for path, text, first in texts:
            problems += [Problem(path, first + index, f"column {column} {what}", "error", fix)
                         for index, column, what, fix in bidi.control_problems(text)]
    return problems


def digit_problems(content: Content, pages: Pages) -> list[Problem]:
    """A page or self-check that writes numbers in two kinds of digits (50 beside ۵۰): one
    kind, the language's own (``language.digits``), reads as one voice. Phone numbers are
    left aside: they keep the digits a phone's keypad shows."""
    problems = []
    for code, language in content.languages.items():
        kind = language.digits
        word = {"latin": "0-9", "persian": "Persian ۰-۹", "arabic": "Arabic ٠-٩"}[kind]
        fix = (f"write it in {word} like the rest of '{code}' (or set language.digits in "
               f"{code}/labels.yaml)")
        for topic in language.topics:
            page = pages.get((code, topic.id))
            found = bidi.other_digits(plain_text(page.html), kind) if page else None
            if found:
                problems.append(Problem(topic.path, line_of(topic.body, found, topic.body_line),
                                        f"the number {found} is not in the digits this "
                                        f"language uses ({word})", "warning", fix))
        check = language.selfcheck
        path = language.folder / FILE_NAME
        if check is None or not path.is_file():
            continue
        text, _problem = read_text(path, YAML_MAX_BYTES, content.root)
        for number, line in enumerate((text or "").split("\n"), start=1):
            if re.match(r"\s*-?\s*(points|from|to)\s*:", line) or line.lstrip().startswith("#"):
                continue
            found = bidi.other_digits(line.partition(":")[2], kind)
            if found:
                problems.append(Problem(path, number, f"the number {found} is not in the "
                                        f"digits this language uses ({word})", "warning", fix))
    return problems


def font_problems(content: Content) -> list[Problem]:
    """A language whose script no installed font has would show as empty boxes: say so,
    naming the package to install (kiosk.fonts)."""
    problems = []
    for code, language in content.languages.items():
        why = fonts.missing(code)
        if why:
            labels = language.folder / LABELS_FILE
            problems.append(Problem(labels if labels.is_file() else language.folder, 1, why,
                                    "warning", fonts.package_hint(code)))
    return problems


def review_problems(content: Content, months: int = review.DEFAULT_MONTHS,
                    today: date | None = None) -> list[Problem]:
    """A warning for each page a clinician never reviewed, or reviewed over ``months`` ago."""
    today = today or date.today()
    problems = []
    for _code, topic in review.due_for_review(content, months, today):
        if topic.reviewed_on is None:
            problems.append(Problem(
                topic.path, topic.reviewed_line, "no clinician has reviewed this page yet (it "
                "has no valid 'reviewed_by' and 'reviewed_on'), so patients see no reviewer",
                "warning",
                "once a clinician has read it, add  reviewed_by: Dr. Name  and  reviewed_on: "
                f"{today.isoformat()}  to the front matter"))
        else:
            problems.append(Problem(
                topic.path, topic.reviewed_line, f"this page was last reviewed on "
                f"{topic.reviewed_on.isoformat()} by {topic.reviewed_by}, more than {months} "
                "months ago", "warning", "ask a clinician to read it again, then change "
                "'reviewed_on' to that day (and 'reviewed_by' if someone else read it)"))
    return problems


# -- the page's Markdown, line by line: mistakes that render as something else -------------

# Python-Markdown's own admonition pattern (markdown/extensions/admonition.py), one line.
_CALLOUT = re.compile(r'^!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *$')
_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                        "‘": "'", "’": "'", "‚": "'", "‛": "'"})
_CODE_SPAN = re.compile(r"(`+).*?\1")
_HTML_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*?)?)\s*/?>")
_HTML_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_CONTENT_DROPPED = {"script", "style"}  # removed with the words inside them
_SPACED_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\][ \t]+\(([^()\s]+)\)")
_BOX_FIX = "indent the text under a box by four spaces"


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)  # as Python-Markdown reads it
    return len(expanded) - len(expanded.lstrip(" "))


def _looks_like_target(ref: str) -> bool:
    low = ref.lower()
    return low.endswith(".md") or Path(low).suffix in IMAGE_SUFFIXES or \
        low.startswith(("http://", "https://"))


def markdown_problems(topic: Topic) -> list[Problem]:
    """Callout boxes, raw HTML and links written so that the kiosk shows something else."""
    problems: list[Problem] = []
    lines = topic.body.split("\n")

    def add(index: int, message: str, severity: Severity, hint: str) -> None:
        problems.append(Problem(topic.path, topic.body_line + index, message, severity, hint))

    for i, line in enumerate(lines):
        if line.startswith("!!!"):
            _callout_line(lines, i, add)
        text = _CODE_SPAN.sub("", line)
        dropped = [what for m in _HTML_TAG.finditer(text) if (what := _dropped_html(m))]
        if dropped:
            add(i, "raw HTML is removed: " + "; ".join(dropped) + "; only the words show",
                "warning", "use Markdown instead: **bold** for words that matter, and a box "
                "(!!! urgent \"Title\") for a warning")
        for m in _SPACED_LINK.finditer(text):
            bang, words, ref = m.groups()
            if not _looks_like_target(ref):
                continue
            what = "a picture" if bang else "a link"
            add(i, f"'{m.group(0)}' has a space between ] and (, so it is not {what}: "
                "patients see the brackets as text", "warning",
                f"remove the space: {bang}[{words}]({ref})")
    return problems


def _callout_line(lines: list[str], i: int,
                  add: Callable[[int, str, Severity, str], None]) -> None:
    line = lines[i].rstrip()
    match = _CALLOUT.match(line)
    if match is None:
        straight = line.translate(_CURLY)
        if straight != line:
            add(i, "the box title is in curly quotes (“ ”), so there is no box: patients see "
                "this line as text", "error",
                f"use straight quotes \" \": {straight.replace(chr(39), chr(34))}")
        elif "'" in line:
            add(i, "the box title is in single quotes, so there is no box: patients see this "
                "line as text", "error", f"use double quotes: {line.replace(chr(39), chr(34))}")
        else:
            add(i, "this line starts with '!!!' but is not a box, so patients see it as text",
                "error", "write it as  !!! urgent \"Title\"  or  !!! note \"Title\"")
        return
    classes, title = match.group(1).lower().split(), match.group(2)
    if not any(kind in classes for kind in CALLOUT_KINDS):
        add(i, f"'{classes[0]}' is not a kind of box; it shows as a blue note box", "warning",
            "use  urgent  for a red box or  note  for a blue one")
    elif title is None and len(classes) > 1:
        words = " ".join(match.group(1).split()[1:])
        add(i, f"the box title is not in double quotes, so the box is titled just "
            f"'{classes[0].capitalize()}' and the words '{words}' are lost", "error",
            f"put the title in double quotes: !!! {classes[0]} \"{words}\"")
    body = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
    if body is None:
        add(i, "the box has no text under it", "error", _BOX_FIX)
        return
    indent = _indent(lines[body])
    if indent < 4:
        how = f"indented by {indent} space{'s' if indent > 1 else ''}" if indent else \
            "not indented"
        add(body, f"the text under the box is {how}, so the box is empty and the text shows "
            "below it as plain text", "error", _BOX_FIX)
        return
    if "\t" in lines[body][: len(lines[body]) - len(lines[body].lstrip())]:
        add(body, "the text under the box is indented with a tab; it shows in the box here, "
            "but a tab looks different in every editor, so the next change can push the "
            "text out of the box", "warning", _BOX_FIX)
    # The rest of the box: a line indented by 1-3 spaces leaves the box, with what follows.
    for j in range(body + 1, len(lines)):
        if not lines[j].strip():
            continue
        indent = _indent(lines[j])
        if indent >= 4:
            continue
        if indent > 0 or lines[j - 1].strip():
            how = f"indented by {indent} space{'s' if indent > 1 else ''}" if indent else \
                "not indented"
            add(j, f"this line of the box is {how}, so it shows below the box as plain text",
                "error", "indent every line in a box by four spaces (or leave a blank line "
                "before text that should follow the box)")
        return


def _dropped_html(match: re.Match[str]) -> str:
    """What the sanitizer removes from one raw HTML tag, in words ("" if it keeps it all)."""
    tag = match.group(1).lower()
    attrs = [(m.group(1).lower(), m.group(0)) for m in _HTML_ATTR.finditer(match.group(2))]
    if tag not in ALLOWED_TAGS:
        what = f"the <{tag}> tag"
        if tag in _CONTENT_DROPPED:
            return what + " with everything inside it"
        if attrs:
            what += " and its " + " ".join(a for _n, a in attrs)
        return what
    kept = ALLOWED_ATTRIBUTES.get(tag, set()) - {"href", "src"}  # raw links never pass
    lost = [a for name, a in attrs if name not in kept]
    if not lost:
        return ""
    return f"the {' '.join(lost)} on <{tag}>"


# -- pictures that are not what their name says -------------------------------------------

_KIND_OF_SUFFIX = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF",
                   ".webp": "WebP", ".bmp": "BMP", ".svg": "SVG"}


def picture_kind(path: Path, root: Path | None = None) -> str | None:
    """The kind of picture a file really is, from its first bytes ("PNG", "JPEG", "SVG"...),
    or None when it is no picture the kiosk can show. Read only inside ``root`` (default:
    the picture's own folder)."""
    head = _head(root or path.parent, path, 65_536)
    return kind_of(head) if head is not None else None


def _what_it_is(path: Path, root: Path) -> str:
    head = _head(root, path, 2048)
    if head is None:
        return "it cannot be opened"
    if not head:
        return "it is empty"
    if head.startswith(b"%PDF"):
        return "it is a PDF document"
    if head.startswith(b"PK\x03\x04"):
        return "it is a ZIP or Word/Office file"
    if head.lstrip().startswith((b"<!DOCTYPE html", b"<html", b"<!doctype html")):
        return "it is a web page"
    try:
        head.decode("utf-8")
        return "it is a text file"
    except UnicodeDecodeError:
        return "it is some other kind of file"


def picture_problems(content: Content, pages: Pages) -> list[Problem]:
    """Each place that shows a picture file which is not the picture its name says."""
    problems = []
    verdicts: dict[Path, tuple[str, str | None]] = {}

    def verdict(path: Path) -> tuple[str, str | None]:
        if path not in verdicts:
            verdicts[path] = (_KIND_OF_SUFFIX.get(path.suffix.lower(), ""),
                              picture_kind(path, content.root))
        return verdicts[path]

    for language in content.languages.values():
        for topic in language.topics:
            uses: list[tuple[Path, int, str, str]] = []
            if topic.image is not None:
                uses.append((topic.image, _front_line(topic, "image", content.root), "'image'",
                             "the tile shows no picture"))
            for rel in _image_refs(pages[(language.code, topic.id)].html):
                ref = _ref_in_body(topic, rel, content.root)
                uses.append((content.root / rel, line_of(topic.body, ref, topic.body_line),
                             "image", "the page shows nothing there"))
            for path, line, field, effect in uses:
                named, real = verdict(path)
                name = _rel(path, topic.path.parent)
                true = true_spelling(content.root, path)
                if true is not None:
                    true = _rel(content.root / true, topic.path.parent)
                    problems.append(Problem(topic.path, line, f"{field}: '{name}' is spelt "
                                            f"'{true}' in the folder; capital letters differ, so "
                                            "it shows on this computer but not on the kiosk",
                                            "warning", "write the name exactly as the file is "
                                            "named, capital letters too"))
                if real is None:
                    article = "an" if named == "SVG" else "a"
                    problems.append(Problem(topic.path, line, f"{field}: '{name}' is not "
                                            f"{article} {named} picture "
                                            f"({_what_it_is(path, content.root)}); {effect}",
                                            "warning",
                                            "this file is not a picture: open the picture in "
                                            "an image program and save it as PNG or JPEG"))
                elif named and real != named:
                    problems.append(Problem(topic.path, line, f"{field}: '{name}' is a {real} "
                                            f"picture with a {path.suffix} name; some programs "
                                            "will not open it", "warning",
                                            f"rename it to end in .{real.lower()}"))
    return problems


def true_spelling(root: Path, path: Path) -> str | None:
    """How a file inside ``root`` is spelt on disk, when ``path`` differs from that only in
    capital letters (Windows and macOS find it anyway; the kiosk's Linux does not)."""
    try:
        base = root.resolve()
        rel = path.resolve().relative_to(base)
    except (OSError, ValueError):
        return None
    here, spelt = base, []
    for part in rel.parts:
        try:
            names = os.listdir(here)
        except OSError:
            return None
        if part not in names:
            same = [n for n in names if n.casefold() == part.casefold()]
            if not same:
                return None
            part = same[0]
        spelt.append(part)
        here = here / part
    true = "/".join(spelt)
    return true if true != rel.as_posix() else None


def _front_line(topic: Topic, key: str, root: Path) -> int:
    text, _problem = read_text(topic.path, PAGE_MAX_BYTES, root)
    for number, line in enumerate((text or "").split("\n"), 1):
        if number >= topic.body_line:
            break
        if line.startswith(f"{key}:"):
            return number
    return 2


def _ref_in_body(topic: Topic, rel: str, root: Path) -> str:
    """The words the page used for a picture it shows (for its line number)."""
    inside = (root / rel).resolve()
    for m in re.finditer(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)", topic.body):
        try:
            if (topic.path.parent / unquote(m.group(1))).resolve() == inside:
                return m.group(1)
        except OSError:
            continue
    return Path(rel).name


def _rel(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name


# -- language folders that the kiosk skips ------------------------------------------------

_LANGUAGE_NAMES = {
    "english": "en", "inglés": "en", "ingles": "en", "spanish": "es", "español": "es",
    "espanol": "es", "castellano": "es", "french": "fr", "français": "fr", "francais": "fr",
    "portuguese": "pt", "português": "pt", "portugues": "pt", "chinese": "zh",
    "mandarin": "zh", "cantonese": "yue", "korean": "ko", "vietnamese": "vi",
    "armenian": "hy", "russian": "ru", "arabic": "ar", "tagalog": "tl", "german": "de",
    "italian": "it", "japanese": "ja", "hindi": "hi", "farsi": "fa", "persian": "fa",
}
_CODE_LIKE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")


def folder_name_problems(root: Path) -> list[Problem]:
    """Subfolders that hold pages or a self-check but are not named by a language code."""
    problems = []
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return []
    for folder in folders:
        name = folder.name
        if name.startswith((".", "_")) or LANGUAGE_DIR.match(name):
            continue
        if not is_inside(root, folder):  # a link to a folder outside: never listed
            continue
        if not (any(folder.glob("*.md")) or (folder / FILE_NAME).exists()):
            continue
        code = _LANGUAGE_NAMES.get(name.lower())
        if code is None and _CODE_LIKE.match(name):
            first, _sep, region = name.replace("_", "-").partition("-")
            code = first.lower() + (f"-{region.upper()}" if region else "")
        if code:
            problems.append(Problem(folder, 1, f"folders must be named by language code: "
                                    f"{code}, not {name}; the kiosk skips this folder",
                                    "error", f"rename the folder to {code}"))
        else:  # maybe drafts or old pages: say so, but it need not stop the content
            problems.append(Problem(folder, 1, f"folders must be named by language code "
                                    f"(like es or pt-BR), not {name}; the kiosk skips this "
                                    "folder", "warning", "if it holds a language, rename it to "
                                    "the language's code; to keep drafts, start its name with "
                                    "_ (like _drafts)"))
    return problems


# -- the self-check in step across languages ----------------------------------------------

@dataclass
class _FileAnswer:
    points: int
    tier: str  # "" for an ordinary answer, else the red flag's tier
    points_line: int  # the 'points' line (else the answer's first line)
    flag_line: int  # the 'red_flag' line (else the answer's first line)


@dataclass
class _FileQuestion:
    line: int
    answers: list[_FileAnswer]
    signs: int  # how many 'signs' lines it lists (0 if none)
    signs_line: int


@dataclass
class _FileCheck:
    """A self-check as written in its file, in file order, with the line of every value.

    Read again here (after it loaded) because the parsed SelfCheck keeps no lines and
    asks its questions in its own order; staff compare files line by line."""

    questions_line: int
    questions: list[_FileQuestion]
    results_line: int
    bands: list[tuple[int, int, int]]  # (from, to, line)


def _read_check(path: Path, root: Path) -> _FileCheck | None:
    text, problem = read_text(path, YAML_MAX_BYTES, root)
    if text is None or problem is not None:
        return None
    try:
        top = yamlio.Fields.of(yamlio.parse(text), 1, "the self-check")
        questions = []
        for _n, node in top.sequence("questions"):
            q = yamlio.Fields.of(node, 1, "a question")
            answers = []
            for _m, a_node in q.sequence("answers"):
                a = yamlio.Fields.of(a_node, 1, "an answer")
                answers.append(_FileAnswer(a.integer("points", required=False) or 0,
                                           answer_tier(a), a.line_of("points"),
                                           a.line_of("red_flag")))
            signs = q.mapping("signs")
            questions.append(_FileQuestion(
                q.line, answers, len(signs.value) if isinstance(signs, SequenceNode) else 0,
                q.line_of("signs")))
        bands = []
        for _n, node in top.sequence("results"):
            b = yamlio.Fields.of(node, 1, "a result")
            bands.append((b.integer("from") or 0, b.integer("to") or 0, b.line))
    except yamlio.FieldError:
        return None
    return _FileCheck(top.line_of("questions"), questions, top.line_of("results"), bands)


def selfcheck_problems(content: Content) -> list[Problem]:
    """Every language's self-check must have the default language's questions, answers,
    points, red-flag answers and results, by position in the file; each difference is named
    with the line on both sides. Only self-checks that loaded are compared."""
    default = content.language()
    if default.selfcheck is None:
        return []
    base = _read_check(default.selfcheck.path, content.root)
    if base is None:
        return []
    problems: list[Problem] = []
    for code, language in content.languages.items():
        if code != default.code and language.selfcheck is not None:
            other = _read_check(language.selfcheck.path, content.root)
            if other is not None:
                problems += _drift(base, other, language.selfcheck.path, default.code,
                                   language.name)
    return problems


def _flag(tier: str) -> str:
    return f"is a 'red_flag: {tier}' answer" if tier else "is not a red-flag answer"


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _drift(base: _FileCheck, other: _FileCheck, path: Path, base_code: str,
           name: str) -> list[Problem]:
    problems: list[Problem] = []
    fix = (f"make it match {base_code}/{FILE_NAME}: the same questions, answers, points, "
           "red flags and results, in the same order")

    def there(line: int) -> str:
        return f"{base_code}/{FILE_NAME}:{line}"

    def add(line: int, message: str, severity: Severity = "error") -> None:
        problems.append(Problem(path, line, f"{message}; patients reading {name} get a "
                                "different self-check", severity, fix))

    if len(other.questions) != len(base.questions):
        add(other.questions_line, f"this self-check has {len(other.questions)} questions, "
            f"the one in {there(base.questions_line)} has {len(base.questions)}")
    else:
        for number, (q, bq) in enumerate(zip(other.questions, base.questions, strict=True), 1):
            if len(q.answers) != len(bq.answers):
                add(q.line, f"question {number} has {len(q.answers)} answers, question "
                    f"{number} in {there(bq.line)} has {len(bq.answers)}")
                continue
            for k, (a, ba) in enumerate(zip(q.answers, bq.answers, strict=True), 1):
                label = f"question {number}, answer {k}"
                if a.tier != ba.tier:
                    add(a.flag_line, f"{label} {_flag(a.tier)}, but in "
                        f"{there(ba.flag_line)} it {_flag(ba.tier)}")
                if a.points != ba.points:
                    add(a.points_line, f"{label} gives {_points(a.points)}, in "
                        f"{there(ba.points_line)} it gives {_points(ba.points)}")
            if q.signs != bq.signs:
                add(q.signs_line, f"question {number} lists {q.signs} signs, in "
                    f"{there(bq.signs_line)} it lists {bq.signs}", "warning")
    if len(other.bands) != len(base.bands):
        add(other.results_line, f"this self-check has {len(other.bands)} results, the one in "
            f"{there(base.results_line)} has {len(base.bands)}")
    else:
        for number, ((low, high, line), (b_low, b_high, b_line)) in enumerate(
                zip(other.bands, base.bands, strict=True), 1):
            if (low, high) != (b_low, b_high):
                add(line, f"result {number} covers {low}-{high}, in {there(b_line)} it "
                    f"covers {b_low}-{b_high}")
    return problems

def check_folder(root: Path, default_language: str = "en",
                 max_grade: float = DEFAULT_MAX_GRADE,
                 review_months: int | None = review.DEFAULT_MONTHS
                 ) -> tuple[Loaded, list[Problem]]:
    """Load and check a content folder; returns the load result and all problems, sorted."""
    loaded = load_rendered(root, default_language)  # as the kiosk does: bounded pages
    problems = list(loaded.problems) + folder_name_problems(Path(root))
    content = loaded.content
    if content is not None:
        pages = loaded.pages  # rendered once while loading, as the kiosk does
        if any((code, topic.id) not in pages for code, language in content.languages.items()
               for topic in language.topics):
            pages = render_all(content)
        left_out = {p.path for p in loaded.problems if p.is_error and p.path.suffix == ".md"}
        for page in pages.values():
            problems += [p for p in page.refused if not _link_to_left_out(p, left_out)]
        for language in content.languages.values():
            for topic in language.topics:
                problems += markdown_problems(topic)
        problems += language_problems(content)
        problems += direction_problems(content)
        problems += font_problems(content)
        problems += digit_problems(content, pages)
        problems += selfcheck_problems(content)
        problems += picture_problems(content, pages)
        problems += image_problems(content, pages, left_out)
        problems += reading_problems(content, pages, max_grade)
        if review_months is not None:  # None: not for the preview's banner (see below)
            problems += review_problems(content, review_months)
        problems = _without_unused_meant(problems)
        named = {p.path for p in problems if p.path.suffix.lower() in IMAGE_SUFFIXES and
                 not p.message.startswith(_UNUSED)}  # refused when used: not "unused"
        problems = [p for p in problems if not (p.message.startswith(_UNUSED) and
                                                p.path in named)]
    return loaded, sorted(set(problems), key=lambda p: (str(p.path), p.line, p.message))


_MEANT = re.compile(r"does not exist \(did you mean '([^']+)'\?\)")


def _without_unused_meant(problems: list[Problem]) -> list[Problem]:
    """A picture that a misspelt name meant is not "unused": the misspelling is the problem."""
    meant = {(p.path.parent / m.group(1)).resolve() for p in problems
             if (m := _MEANT.search(p.message))}
    return [p for p in problems if not (p.message.startswith(_UNUSED) and
                                        p.path.resolve() in meant)]


_LINK_NOT_A_TOPIC = re.compile(r"^the link '([^']+)' is not a topic in this language")


def _link_to_left_out(problem: Problem, left_out: set[Path]) -> bool:
    """A link to a page that is there but has an error: the error is reported on that page,
    so the link needs no message of its own (the page with the link is right)."""
    match = _LINK_NOT_A_TOPIC.match(problem.message)
    if match is None:
        return False
    name = unquote(match.group(1).split("#")[0])
    return (problem.path.parent / name) in left_out


def topic_counts(content: Content) -> str:
    """Topics per language, the default first: "6 topics in en, 6 in es"."""
    counts = [(code, len(content.languages[code].topics)) for code in content.codes]
    first, *rest = counts
    words = f"{first[1]} topic{'s' if first[1] != 1 else ''} in {first[0]}"
    return ", ".join([words, *(f"{n} in {code}" for code, n in rest)])


def checked_load(root: Path, language: str) -> Loaded:
    """Load as the kiosk does, with every ``kiosk check`` finding as the problems."""
    # Pages due for a clinician's review are not mistakes in the files; the staff panel lists
    # them (kiosk.review.due_for_review) and 'kiosk check' warns about them.
    loaded, problems = check_folder(root, language, review_months=None)
    return Loaded(loaded.content, problems, loaded.pages)  # pages rendered off the GUI thread
