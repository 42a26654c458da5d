"""Load a content folder into a validated, read-only model, collecting every problem.

Layout: one subfolder per language (``en/``, ``es/`` ...), each holding one Markdown file per
topic (YAML front matter, then the page), ``self-check.yaml`` and optionally ``labels.yaml``
and an ``images/`` folder. A folder with topic files directly in it is read as one language.

A broken topic is left out and reported; the rest still loads. Nothing here imports Qt.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import bidi, selfcheck
from kiosk import labels as labels_mod
from kiosk.folder import is_inside as is_inside  # re-exported: the loader's own boundary
from kiosk.names import nfc, on_disk
from kiosk.problems import Problem
from kiosk.sizes import over_limit

if TYPE_CHECKING:  # kiosk.render imports this module
    from kiosk import yamlio
    from kiosk.pictures import Picture
    from kiosk.render import Page

log = logging.getLogger(__name__)

LABELS_FILE = "labels.yaml"
TITLE_MAX, SUMMARY_MAX = 50, 80
_LANGUAGE_DIR = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Size limits: far above any real page, far below what could slow or fill the kiosk.
PAGE_MAX_BYTES = 200_000  # a topic file, front matter included
FRONT_MATTER_MAX_BYTES = 20_000
YAML_MAX_BYTES = 64_000  # self-check.yaml, labels.yaml


@dataclass(frozen=True)
class Topic:
    """One topic page: its front matter and Markdown body, as read from its file."""

    id: str
    language: str
    title: str
    summary: str
    order: int
    body: str
    path: Path
    body_line: int  # file line where the Markdown body starts
    image: Path | None = None
    more_info: str | None = None  # a web page, shown as a QR code to scan
    reviewed_by: str | None = None  # the clinician who last read the page (kiosk.review)
    reviewed_on: date | None = None  # ...and when
    reviewed_line: int = 2  # file line of 'reviewed_on' (else the front matter's first)


@dataclass(frozen=True)
class Language:
    """One language's topics, labels and self-check."""

    code: str
    folder: Path
    topics: tuple[Topic, ...]
    selfcheck: selfcheck.SelfCheck | None
    labels: Mapping[str, str]

    @property
    def name(self) -> str:
        return self.labels["language.name"]

    @property
    def rtl(self) -> bool:
        """Whether this language is written right to left (its labels' setting)."""
        return self.labels.get("language.direction") == "rtl"

    @property
    def digits(self) -> str:
        """Which digits the kiosk writes its own numbers in: latin, persian or arabic."""
        return self.labels.get("language.digits", "latin")

    def topic(self, topic_id: str) -> Topic | None:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        return None


@dataclass(frozen=True)
class Content:
    """A whole content folder, every language of it."""

    root: Path
    languages: Mapping[str, Language]
    default_language: str

    def language(self, code: str | None = None) -> Language:
        return self.languages.get(code or self.default_language) or self.languages[
            self.default_language
        ]

    @property
    def codes(self) -> list[str]:
        """Language codes, the default first."""
        return [self.default_language] + sorted(c for c in self.languages if c !=
                                                self.default_language)


@dataclass
class Loaded:
    """The result of loading: the content (None if nothing usable) and all problems."""

    content: Content | None
    problems: list[Problem] = field(default_factory=list)
    # (language code, topic id) -> rendered page; filled by kiosk.pages.load_rendered
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def locate_picture(root: Path, base: Path, ref: str) -> tuple[Path | None, str]:
    """Where the picture file a page or tile names is (``ref``, relative to ``base``), every
    symlink followed: never outside ``root``. Reads no file (``find_picture`` does). Returns
    the path, or None and the reason in plain words (an ``Escape`` when a file in the folder
    is a link to a file outside it)."""
    from kiosk.pictures import Escape  # pictures are checked when read, not at every start

    ref = ref.strip()
    if not ref:
        return None, "the file name is empty"
    if _SCHEME.match(ref) or ref.startswith("//"):
        return None, f"'{ref}' is not a file in the content folder; only files in it are shown"
    if ref.startswith(("/", "\\")) or any(part == ".." for part in re.split(r"[/\\]", ref)):
        return None, f"'{ref}' points outside the topic's folder; keep images next to the page"
    path = (base / on_disk(root, base, ref)).resolve()  # an accent typed finds a Mac's
    if not path.is_relative_to(root.resolve()):
        return None, Escape(f"'{ref}' is a link to a file outside the content folder; copy "
                            "the file into the folder instead")
    if not path.is_file():
        guess = _guess_file(base, ref)
        return None, f"the file '{ref}' does not exist" + (f" (did you mean '{guess}'?)"
                                                            if guess else "")
    return path, ""


def find_picture(root: Path, base: Path, ref: str,
                 data: bool = False) -> tuple[Picture | None, str]:
    """The picture a page or tile names (``ref``, relative to ``base``), never outside ``root``.

    Symlinks are followed before the check (``locate_picture``), and the file is read by
    what it is, not by its name (``kiosk.pictures``): an SVG that loads anything outside the
    folder, or that cannot be checked or is too complex to draw, is refused. ``data``: also
    the bytes Qt may draw. Returns the picture (its kind None when the file is no picture at
    all), or None and the reason in plain words: an ``Escape`` when a file in the folder
    reaches outside it, a ``Refusal`` naming the picture file at fault, else a slip.
    """
    from kiosk import pictures

    path, why = locate_picture(root, base, ref)
    if path is None:
        return None, why
    found = pictures.check(root, path, data=data)
    if isinstance(found, pictures.Refusal):
        return None, found.saying(f"the picture '{ref.strip()}' {found}")
    return found, ""


def resolve_inside(root: Path, base: Path, ref: str) -> tuple[Path | None, str]:
    """``find_picture``'s path alone: the picture file, or None and why not."""
    picture, why = find_picture(root, base, ref)
    return (picture.path if picture is not None else None), why


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate a misspelt file name most likely meant: the same name in other capitals
    first, then the closest spelling; None when nothing is close."""
    pool = [c for c in candidates if c != name]
    folded = {c.casefold(): c for c in pool}
    if name.casefold() in folded:
        return folded[name.casefold()]
    import difflib  # only when there is a mistake to suggest a fix for

    close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.8)
    return folded[close[0]] if close else None


def _guess_file(base: Path, ref: str) -> str | None:
    """A file that a missing reference probably meant: a close name in the same folder, or
    the same path in other capitals (a folder name too)."""
    wanted = Path(ref.replace("\\", "/"))
    folder = base / wanted.parent
    try:
        names = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
        guess = did_you_mean(wanted.name, names)
        if guess:
            return (wanted.parent / guess).as_posix()
        files = [p.relative_to(base).as_posix() for _i, p in
                 zip(range(2000), base.rglob("*"), strict=False) if p.is_file()]
    except OSError:
        return None
    same = [f for f in files if f.casefold() == wanted.as_posix().casefold()]
    return same[0] if same else None

def read_text(path: Path, max_bytes: int | None = None,
              root: Path | None = None) -> tuple[str | None, Problem | None]:
    """Read a staff file as UTF-8 text, or say where it is not.

    ``max_bytes``: a larger file is refused unread. ``root``: a file (or a symlink to a
    file) outside that folder is refused unread.
    """
    if root is not None and not is_inside(root, path):
        return None, Problem(path, 1, "this file is a link to a file outside the content "
                             "folder; the kiosk does not read it", "error",
                             "copy the file into the content folder instead of linking to it")
    if path.exists() and not path.is_file():  # a pipe or a device would never end
        return None, Problem(path, 1, "this is not an ordinary file, so the kiosk does not "
                             "read it", "error", "replace it with a text file")
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if max_bytes is not None and size > max_bytes:
                return None, _too_big(path, size, max_bytes)
            data = f.read(max_bytes + 1 if max_bytes is not None else -1)
    except OSError as exc:
        return None, Problem(path, 1, f"the file cannot be opened: {exc.strerror or exc}")
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we read it
        return None, _too_big(path, len(data), max_bytes)
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(path, line, "this line has characters that are not UTF-8 text; "
                             "save the file as UTF-8 in your editor")


def _too_big(path: Path, size: int, max_bytes: int) -> Problem:
    return Problem(path, 1, f"this file is too large ({over_limit(size, max_bytes)}), so the "
                   "kiosk does not read it", "error",
                   "split it into several shorter files")


_JOINERS = {"\u200c", "\u200d"}  # needed inside words in Persian, Indic scripts, emoji


def invisible_character(text: str) -> tuple[int, str] | None:
    """The first invisible format character (Unicode Cf: direction overrides, zero-width
    spaces...) in ``text``: its index and its name. A joiner between two letters of a script
    that needs it is allowed, and so are direction marks and closed isolates (kiosk.bidi)."""
    direction = bidi.control_problem(text)  # an override, or an isolate left open
    if direction is not None:
        i = direction[0] - 1
        return i, f"U+{ord(text[i]):04X} {unicodedata.name(text[i], 'FORMAT CHARACTER')}"
    for i, ch in enumerate(text):
        if unicodedata.category(ch) != "Cf" or ch in bidi.MARKS or ch in bidi.ISOLATES:
            continue  # marks, and isolates closed in the same line, keep the words in order
        if ch in _JOINERS and 0 < i < len(text) - 1 and not text[i - 1].isascii() and \
                not text[i + 1].isascii() and unicodedata.category(text[i - 1]) != "Cf" \
                and unicodedata.category(text[i + 1]) != "Cf":
            continue
        return i, f"U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')}"
    return None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---`` front matter from the body: (yaml, body, body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _review_fields(fields: yamlio.Fields, path: Path,
                   today: date | None = None) -> tuple[str | None, date | None, int, list[Problem]]:
    """``reviewed_by`` and ``reviewed_on`` from the front matter. A mistake is a warning and
    the page counts as not reviewed: a typo in a date must not hide a page from patients."""
    from kiosk import yamlio  # (not at import: a start from the index reads no YAML)

    line = fields.line_of("reviewed_on") if fields.has("reviewed_on") else 2
    try:
        by = fields.text("reviewed_by", required=False) or None
        on_text = fields.text("reviewed_on", required=False) or None
    except yamlio.FieldError as exc:
        return None, None, line, [Problem(path, exc.line, f"{exc.message}; the page counts "
                                          "as not reviewed", "warning")]
    if by is None and on_text is None:
        return None, None, line, []
    fix = "write both lines, like  reviewed_by: Dr. Hyun Bae  and  reviewed_on: 2026-11-26"
    if on_text is None:
        return None, None, line, [Problem(path, fields.line_of("reviewed_by"), "'reviewed_by' "
                                          "has no 'reviewed_on' date; the page counts as not "
                                          "reviewed", "warning", fix)]
    if by is None:
        return None, None, line, [Problem(path, line, "'reviewed_on' has no 'reviewed_by' "
                                          "name; the page counts as not reviewed", "warning",
                                          fix)]
    match = _DATE.match(on_text)
    on = None
    if match:
        try:
            on = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            on = None
    if on is None:
        return None, None, line, [Problem(path, line, f"'reviewed_on' must be a real date "
                                          f"written year-month-day, like 2026-11-26, not "
                                          f"'{on_text}'; the page counts as not reviewed",
                                          "warning")]
    if on > (today or date.today()):
        return None, None, line, [Problem(path, line, f"'reviewed_on' {on_text} is in the "
                                          "future; the page counts as not reviewed", "warning",
                                          "write the day the clinician read the page")]
    return by, on, line, []


def parse_topic(path: Path, language: str, root: Path) -> tuple[Topic | None, list[Problem]]:
    """Read one topic file: front matter fields, then the Markdown body."""
    from kiosk import yamlio  # (not at import: a start from the index reads no YAML)

    text, problem = read_text(path, PAGE_MAX_BYTES, root)
    if problem or text is None:
        return None, [problem] if problem else []
    parts = split_front_matter(text)
    if parts is None:
        return None, [Problem(path, 1, "the file must start with a line '---', then the "
                              "title, summary and order, then another line '---'")]
    front, body, body_line = parts
    if len(front.encode()) > FRONT_MATTER_MAX_BYTES:
        return None, [Problem(path, 2, f"the front matter (between the '---' lines) is too "
                              f"long ({over_limit(len(front.encode()), FRONT_MATTER_MAX_BYTES)})",
                              "error", "keep only title, summary, order, image and "
                              "more_info there, and move the rest into the page")]
    problems: list[Problem] = []
    try:
        fields = yamlio.Fields.of(yamlio.parse(front, 2), 2, "the front matter")
        title = fields.text("title", max_len=TITLE_MAX) or ""
        summary = fields.text("summary", max_len=SUMMARY_MAX) or ""
        order = fields.integer("order")
        image_ref = fields.text("image", required=False)
        more_info = fields.text("more_info", required=False)
        if more_info and not re.match(r"^https?://[^\s/$.?#][^\s]*$", more_info):
            raise yamlio.FieldError(fields.line_of("more_info"), "'more_info' must be a web "
                                    f"address starting with https:// or http://, not "
                                    f"'{more_info}'")
    except yamlio.FieldError as exc:
        return None, [Problem(path, exc.line, exc.message)]
    for key, value in (("title", title), ("summary", summary)):
        hidden = invisible_character(value)
        if hidden:
            return None, [Problem(path, fields.line_of(key), f"'{key}' contains an invisible "
                                  f"character ({hidden[1]}, character {hidden[0] + 1}); it can "
                                  "make the words show differently from what the file says",
                                  "error", f"delete the '{key}' line and type it again "
                                  "without copying and pasting")]
    reviewed_by, reviewed_on, reviewed_line, found = _review_fields(fields, path)
    problems += found
    problems += [Problem(path, p.line, p.message, "warning") for p in fields.unknown()]
    for number, line in enumerate(front.split("\n"), start=2):
        value = line.partition(":")[2]
        if " #" in value and not value.strip().startswith(("'", '"')):
            problems.append(Problem(path, number, "the words after ' #' are a comment and are "
                                    "not shown", "warning", "put the whole value in quotes, "
                                    "like  title: \"Back pain #1\""))
    image = None
    if image_ref:
        from kiosk.pictures import Escape, Refusal

        image, why = resolve_inside(root, path.parent, image_ref)
        own = why.problem() if isinstance(why, Refusal) else None  # at the picture's file
        if isinstance(why, Escape):
            return None, [Problem(path, fields.line_of("image"), f"'image': {why}; the page "
                                  "is left out"), *([own] if own else [])]
        if image is None:
            problems.append(Problem(path, fields.line_of("image"),
                                    f"'image': {why}; the tile shows no picture", "warning"))
            problems += [own] if own else []
    if not body.strip():
        problems.append(Problem(path, body_line, "the page has no text after the front matter",
                                "warning"))
    return Topic(nfc(path.stem), language, title, summary, order or 0, body, path, body_line,
                 image, more_info or None, reviewed_by, reviewed_on, reviewed_line), problems


def parse_labels(path: Path, root: Path | None = None) -> tuple[dict[str, str], list[Problem]]:
    """Read a language's ``labels.yaml``: interface words, by key."""
    from kiosk import yamlio  # (not at import: a start from the index reads no YAML)

    text, problem = read_text(path, YAML_MAX_BYTES, root)
    if problem or text is None:
        return {}, [problem] if problem else []
    try:
        fields = yamlio.Fields.of(yamlio.parse(text), 1, "the labels file")
    except yamlio.FieldError as exc:
        return {}, [Problem(path, exc.line, exc.message)]
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for key in labels_mod.DEFAULTS:
        if not fields.has(key):
            continue
        try:
            value = fields.text(key) or ""
        except yamlio.FieldError as exc:
            problems.append(Problem(path, exc.line, exc.message))
            continue
        want = labels_mod.placeholders(labels_mod.DEFAULTS[key])
        if labels_mod.placeholders(value) != want:
            names = ", ".join("{" + n + "}" for n in sorted(want)) or "no {...} placeholders"
            problems.append(Problem(path, fields.line_of(key),
                                    f"'{key}' must contain {names}; the built-in English "
                                    "words are used",
                                    "warning"))
            continue
        out[key] = value
    for key, allowed in labels_mod.SETTINGS.items():
        if not fields.has(key):
            continue
        try:
            value = (fields.text(key) or "").strip().lower()
        except yamlio.FieldError as exc:
            problems.append(Problem(path, exc.line, exc.message))
            continue
        if value not in allowed:
            problems.append(Problem(path, fields.line_of(key), f"'{key}' must be "
                                    + " or ".join(allowed) + f", not '{value}'", "error",
                                    f"write  {key}: {allowed[-1]}  or leave the line out"))
            continue
        out[key] = value
    problems += [Problem(path, p.line, p.message, "warning") for p in fields.unknown()]
    return out, problems


def _language_folders(root: Path, default_language: str) -> dict[str, Path]:
    folders = {
        p.name: p
        for p in sorted(root.iterdir())
        if p.is_dir() and _LANGUAGE_DIR.match(p.name)
        and (any(p.glob("*.md")) or (p / selfcheck.FILE_NAME).exists())
    }
    if not folders and any(root.glob("*.md")):
        folders[default_language] = root
    return folders


def _topic_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.glob("*.md")
        if p.is_file() and not p.name.startswith((".", "_", "~")) and p.stem.upper() != "README"
    )


def load_language(code: str, folder: Path, root: Path) -> tuple[Language, list[Problem]]:
    problems: list[Problem] = []
    topics: list[Topic] = []
    for path in _topic_files(folder):
        topic, found = parse_topic(path, code, root)
        problems += found
        if topic is None:
            # Debug only: the problems themselves are reported once, by whoever shows them.
            log.debug("left out %s: %s", path, "; ".join(p.message for p in found))
        else:
            topics.append(topic)
    named: dict[str, Topic] = {}  # ids are NFC: two files may differ in their bytes alone
    for topic in list(topics):
        if named.setdefault(topic.id, topic) is not topic:
            topics.remove(topic)
            problems.append(Problem(topic.path, 1, f"this file has the same name as "
                                    f"{named[topic.id].path.name} (its accents are stored "
                                    "differently, as a Mac does); it is left out", "error",
                                    "delete one of the two files"))
    topics.sort(key=lambda t: (t.order, t.title))
    seen: dict[int, Topic] = {}
    for topic in topics:
        if topic.order in seen:
            problems.append(Problem(topic.path, 2, f"'order' {topic.order} is also used by "
                                    f"{seen[topic.order].path.name}; give each topic its own "
                                    "number", "warning"))
        seen.setdefault(topic.order, topic)

    check = None
    check_path = folder / selfcheck.FILE_NAME
    if check_path.exists():
        text, problem = read_text(check_path, YAML_MAX_BYTES, root)
        if problem:
            problems.append(problem)
        elif text is not None:
            check, found = selfcheck.parse(text, check_path)
            problems += found
    else:
        problems.append(Problem(check_path, 1, "there is no self-check file; the 'Take the "
                                "self-check' button is hidden", "warning"))

    labels_path = folder / LABELS_FILE
    own: dict[str, str] = {}
    unreadable = False  # its error says every label falls back; no second message for it
    if labels_path.exists():
        own, found = parse_labels(labels_path, root)
        problems += found
        unreadable = not own and any(p.is_error for p in found)
    words, missing = labels_mod.words_for(code, own)  # never another language's words
    if missing and not unreadable:
        problems.append(Problem(labels_path, 1, f"{len(missing)} interface label(s) are not "
                                f"in '{code}', so patients see the built-in English words "
                                f"for them: {', '.join(missing)}", "warning"))
    return Language(code, folder, tuple(topics), check, words), problems


def load_content(root: Path, default_language: str = "en") -> Loaded:
    """Load a whole content folder. Never raises for bad content: it reports it."""
    root = Path(root)
    if not root.is_dir():
        return Loaded(None, [Problem(root, 1, "the content folder does not exist")])
    folders = _language_folders(root, default_language)
    if not folders:
        return Loaded(None, [Problem(root, 1, "no topic files (*.md) were found in the content "
                                     "folder or in a language folder such as 'en/'")])
    problems: list[Problem] = []
    for code, folder in list(folders.items()):
        if not is_inside(root, folder):
            del folders[code]
            problems.append(Problem(folder, 1, "this language folder is a link to a folder "
                                    "outside the content folder; it is left out", "error",
                                    "copy the folder into the content folder instead of "
                                    "linking to it"))
    if not folders:
        return Loaded(None, problems)
    if default_language not in folders:
        first = sorted(folders)[0]
        problems.append(Problem(root, 1, f"there is no '{default_language}' folder for the "
                                f"default language; '{first}' is used instead", "warning"))
        default_language = first

    languages: dict[str, Language] = {}
    for code in [default_language, *(c for c in folders if c != default_language)]:
        lang, found = load_language(code, folders[code], root)
        problems += found
        languages[code] = lang
    usable = {code: lang for code, lang in languages.items() if lang.topics}
    if default_language not in usable:
        if usable:
            problems.append(Problem(folders[default_language], 1, "no topic in the default "
                                    "language could be read", "error"))
        return Loaded(None, problems)
    return Loaded(Content(root, usable, default_language), problems)
