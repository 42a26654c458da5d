"""``kiosk check``: every problem in a content folder, as ``path:line: message`` lines.

Loads the folder as the kiosk would, renders every page through the link and image
policy, compares languages, and teaches: reading level, long sentences, rare words,
oversized or unused pictures. Plain Python; no Qt.
"""

from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

from kiosk import readability, review
from kiosk.model import Content, Loaded, load_content
from kiosk.problems import Problem
from kiosk.render import IMAGE_SCHEME, Page, line_of, plain_text, render_topic

DEFAULT_MAX_GRADE = 8.0
MAX_IMAGE_PIXELS = 2000  # widest side, px: larger only costs memory and time on a small board
MAX_IMAGE_BYTES = 1_000_000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp"}


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG file, read from its header (no Qt)."""
    try:
        with path.open("rb") as f:
            head = f.read(32)
            if head[:8] == b"\x89PNG\r\n\x1a\n":
                w, h = struct.unpack(">II", head[16:24])
                return int(w), int(h)
            if head[:6] in (b"GIF87a", b"GIF89a"):
                w, h = struct.unpack("<HH", head[6:10])
                return int(w), int(h)
            if head[:2] == b"\xff\xd8":
                f.seek(2)
                while True:
                    marker = f.read(2)
                    if len(marker) < 2 or marker[0] != 0xFF:
                        return None
                    length = struct.unpack(">H", f.read(2))[0]
                    if marker[1] in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA,
                                     0xCB, 0xCD, 0xCE, 0xCF):
                        h, w = struct.unpack(">xHH", f.read(5))
                        return int(w), int(h)
                    f.seek(length - 2, 1)
    except (OSError, struct.error):
        return None
    return None


Pages = dict[tuple[str, str], Page]  # (language, topic id) -> rendered page


def render_all(content: Content) -> Pages:
    """Every page rendered once, for all the checks that read pages."""
    return {(code, topic.id): render_topic(topic, language, content.root)
            for code, language in content.languages.items() for topic in language.topics}


def reading_problems(content: Content, pages: Pages, max_grade: float) -> list[Problem]:
    problems = []
    for language in content.languages.values():
        for topic in language.topics:
            page = pages[(language.code, topic.id)]
            reading = readability.analyse(plain_text(page.html), language.code)
            if reading is None or not readability.too_hard(reading, max_grade):
                continue
            scores = "; ".join(f"{k} {v:g}" + (f", {reading.bands[k]}" if k in reading.bands
                                                else "") for k, v in reading.scores.items())
            aim = f"grade {max_grade:g} or lower"
            if reading.bands:
                aim += f" and {readability.INFLESZ_NORMAL:g} (normal) or more on INFLESZ"
            parts = []
            if reading.long_sentences:
                first = reading.long_sentences[0]
                parts.append(f"longest sentence ({len(readability.words_of(first))} words, "
                             f"line {line_of(topic.body, first.strip()[:40], topic.body_line)}): "
                             f"\"{first[:90]}{'…' if len(first) > 90 else ''}\"")
            if reading.rare_words:
                parts.append("rare long words: " + ", ".join(reading.rare_words))
            problems.append(Problem(
                topic.path, topic.body_line,
                f"reads at about grade {reading.grade:g} ({scores}); aim for {aim}. "
                + "; ".join(parts), "warning",
                "split long sentences, one idea each, and use everyday words "
                "(see docs/AUTHORING.md, plain-language rules)"))
    return problems


def image_problems(content: Content, pages: Pages) -> list[Problem]:
    problems = []
    used: set[Path] = set()
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
            if path.resolve() not in used:
                problems.append(Problem(path, 1, "this picture is not used by any page or "
                                        "tile", "warning", "delete it, or use it with "
                                        f"![what it shows]({path.relative_to(folder).as_posix()})"))
            size = path.stat().st_size
            dims = image_size(path)
            if size > MAX_IMAGE_BYTES or (dims and max(dims) > MAX_IMAGE_PIXELS):
                what = f"{size / 1e6:.1f} MB" + (f", {dims[0]}x{dims[1]} px" if dims else "")
                problems.append(Problem(path, 1, f"this picture is large ({what}); it makes "
                                        "the kiosk slower and uses memory", "warning",
                                        f"resize it to at most {MAX_IMAGE_PIXELS} px wide and "
                                        f"{MAX_IMAGE_BYTES // 1_000_000} MB (PNG or JPEG)"))
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
            problems.append(Problem(language.folder / f"{missing}.md", 1,
                                    f"the topic '{missing}' is in '{default.code}' but not "
                                    f"in '{code}'; patients reading {language.name} "
                                    "will not see it", "warning",
                                    f"translate {default.code}/{missing}.md into this file"))
        for extra in sorted(ids - default_ids):
            topic = language.topic(extra)
            assert topic is not None
            problems.append(Problem(topic.path, 1, f"the topic '{extra}' is not in "
                                    f"'{default.code}'", "warning",
                                    "give it the same file name as its twin in every language"))
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


def check_folder(root: Path, default_language: str = "en",
                 max_grade: float = DEFAULT_MAX_GRADE,
                 review_months: int = review.DEFAULT_MONTHS) -> tuple[Loaded, list[Problem]]:
    """Load and check a content folder; returns the load result and all problems, sorted."""
    loaded = load_content(root, default_language)
    problems = list(loaded.problems)
    content = loaded.content
    if content is not None:
        pages = render_all(content)
        for page in pages.values():
            problems += page.refused
        problems += language_problems(content)
        problems += image_problems(content, pages)
        problems += reading_problems(content, pages, max_grade)
        problems += review_problems(content, review_months)
    return loaded, sorted(set(problems), key=lambda p: (str(p.path), p.line, p.message))


def checked_load(root: Path, language: str) -> Loaded:
    """Load as the kiosk does, with every ``kiosk check`` finding as the problems."""
    loaded, problems = check_folder(root, language)
    return Loaded(loaded.content, problems)
