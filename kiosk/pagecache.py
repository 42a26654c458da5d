"""Rendered pages kept beside the content index, so that a start whose content has not
changed never imports Markdown or the HTML sanitizer (issue 24). Plain Python; no Qt.

After the first paint the kiosk renders every page (``kiosk.pages``). What that gave is
written here once, under a key made of the content folder's key (``kiosk.contentcache``:
every file's name, size, times and inode), the rendering code's own files, the files of the
Markdown and nh3 libraries and Python's version (its HTML parser and ElementTree); the next
start with the same key reads the pages back instead of rendering them: the same pages, the
same problems, the same pages left out, without Markdown, ElementTree and nh3 in memory
(7.7 MB PSS with what rendering leaves in Python's heap) or their CPU time.

A result that could differ from run to run is never kept: a page left out because it ran
past its time budget (a busy machine can be why) or because the kiosk's own code failed on
it. A file that is missing, truncated, under another key, not what this module writes, or
naming a page the content does not have is not used: the pages are rendered as usual. The
file holds only what the content folder holds, nothing of patients; it is written off the
GUI thread, synced and renamed into place (``kiosk.durable``), only when the key changed.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from kiosk import contentcache, pages
from kiosk.model import Loaded
from kiosk.page import Page
from kiosk.problems import Problem

log = logging.getLogger(__name__)

FORMAT = 1
FILE_NAME = contentcache.PAGES_FILE_NAME
MAX_BYTES = 32_000_000
# The rendering code: pages written by another version of these are not used.
_CODE = ("render.py", "page.py", "pages.py", "pagecache.py", "fonts.py", "theme.py",
         "pictures.py", "bidi.py", "review.py", "labels.py", "names.py")
_LIBRARIES = ("markdown", "nh3")


def _library_lines(name: str) -> list[str]:
    """A line per file of an installed library (found, not imported): an upgrade changes
    them."""
    from importlib.util import find_spec

    spec = find_spec(name)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if not folders:
        raise OSError(f"{name} is not installed as a package")
    lines = []
    pending = [Path(folders[0])]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(Path(entry.path))
                else:
                    lines.append(contentcache._stat_line(entry.path, entry.stat()))
    return lines


def key(content_key: str) -> str | None:
    """The key rendered pages are kept under for content with ``content_key``; None when
    the code or libraries cannot be looked at."""
    parts = [f"pages {FORMAT}", content_key, sys.version]  # Python: html.parser, ElementTree
    try:
        for name in _CODE:
            parts.append(contentcache._stat_line(name, os.stat(contentcache.CODE_DIR / name)))
        for library in _LIBRARIES:
            parts += _library_lines(library)
    except (OSError, ImportError, ValueError):
        return None
    return contentcache.digest_of(parts)


def _topics(loaded: Loaded) -> set[tuple[str, str]]:
    content = loaded.content
    if content is None:
        return set()
    return {(code, t.id) for code, language in content.languages.items() for t in language.topics}


def encode(start: Loaded, rendered: Loaded, kept_key: str) -> str:
    """What ``rendered`` (``pages.render_pages(start)``) adds to ``start``, as text."""
    if rendered.problems[:len(start.problems)] != start.problems:
        raise contentcache.UnkeptError("the rendered problems do not extend the loaded ones")
    dropped = sorted(_topics(start) - _topics(rendered))
    return json.dumps({
        "format": FORMAT, "key": kept_key, "none": rendered.content is None,
        "dropped": [list(pair) for pair in dropped],
        "problems": contentcache._encode(rendered.problems[len(start.problems):]),
        "pages": [[code, topic_id, contentcache._encode(page)]
                  for (code, topic_id), page in sorted(rendered.pages.items())],
    }, ensure_ascii=True, separators=(",", ":"))


def decode(text: str, start: Loaded, kept_key: str) -> Loaded | None:
    """``pages.render_pages(start)`` as kept in ``text`` under ``kept_key``; None if it was
    kept under another key or is not what ``encode`` writes."""
    content = start.content
    if content is None:
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT or (
                data.get("key") != kept_key):
            return None
        topics = _topics(start)
        dropped = {(code, topic_id) for code, topic_id in data["dropped"]}
        added = contentcache._decode(data["problems"])
        kept: dict[tuple[str, str], Page] = {}
        for code, topic_id, page in data["pages"]:
            page = contentcache._decode(page)
            if not (isinstance(page, Page) and isinstance(page.html, str)):
                return None
            kept[(code, topic_id)] = page
        if not (dropped <= topics and isinstance(added, list)
                and all(isinstance(p, Problem) for p in added)):
            return None
        problems = [*start.problems, *added]
        if data["none"] is True:
            return Loaded(None, problems)
        left = pages.without(content, dropped)
        if left is None or data["none"] is not False:
            return None
        rendered = Loaded(left, problems, kept)
        if not set(kept) <= _topics(rendered):
            return None
        return rendered
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def load(start: Loaded, kept_key: str, path: Path) -> Loaded | None:
    """The pages kept at ``path`` for ``start`` under ``kept_key``, or None (render them)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    rendered = decode(text, start, kept_key)
    if rendered is not None:
        log.debug("pages from %s", path)
    return rendered


def save(start: Loaded, rendered: Loaded, kept_key: str, path: Path) -> bool:
    """Keep ``rendered`` at ``path`` (on any thread); False, with the reason in the log, if
    it could not be (the next start renders the pages as usual)."""
    from kiosk.durable import write_private

    try:
        write_private(path, encode(start, rendered, kept_key), 0o644)
        return True
    except (OSError, contentcache.UnkeptError, RecursionError) as e:
        log.warning("the rendered pages could not be kept in %s (%s); the next start renders "
                    "them again", path, e)
        return False


def rendered(start: Loaded, content_key: str | None, path: Path | None) -> Loaded:
    """``pages.render_pages(start)``: read back from ``path`` when kept there for this
    content, code and libraries; else rendered, and kept there when the result is steady."""
    kept_key = key(content_key) if content_key is not None and path is not None else None
    if kept_key is not None and path is not None:
        found = load(start, kept_key, path)
        if found is not None:
            return found
    result, steady = pages.render_pages_steady(start)
    if steady and kept_key is not None and path is not None and start.content is not None:
        save(start, result, kept_key, path)
    return result
