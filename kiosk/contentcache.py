"""A compact index of a content folder, so that a start need not parse YAML or Markdown
front matter before the first paint (issue 24). Plain Python; no Qt.

What is kept: what ``kiosk.model.load_content`` made of the folder (topics, self-checks,
labels, and every problem found), as JSON, beside the content store. It is used only while
its key matches: a fingerprint of every file and folder in the content folder (name, kind,
size, modification and change times, inode, and where a link points), of the default
language, and of the loader's own code (so a kiosk update never reads an index an older
loader wrote). Anything the index cannot vouch for is loaded the usual way: a changed,
added or removed file, a folder too big to fingerprint cheaply, an index that is missing,
truncated, from another folder, or not what this module writes. It can make a start faster,
never different; a bad index is never an error, only a slower start.

The index is written only when the key changes (a new content version, a kiosk update), off
the GUI thread, to a temporary file that is synced and renamed over the old one
(kiosk.durable). It holds nothing of patients: only what the content folder holds.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import stat
import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from kiosk import model, selfcheck
from kiosk.page import Page
from kiosk.problems import Problem

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what is written changes shape
FILE_NAME = "content-index.json"
PAGES_FILE_NAME = "content-pages.json"  # kiosk.pagecache's, beside it
MAX_ENTRIES = 4000  # files and folders fingerprinted; a bigger folder is loaded as usual
MAX_DEPTH = 6
MAX_INDEX_BYTES = 8_000_000
# The loader's code: an index written by another version of these is not used.
_CODE = ("model.py", "selfcheck.py", "labels.py", "pictures.py", "yamlio.py", "bidi.py",
         "names.py", "problems.py", "sizes.py", "folder.py", "contentcache.py",
         "readability.py", "review.py")
CODE_DIR = Path(__file__).resolve().parent
_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    model.Topic, model.Language, model.Content, selfcheck.SelfCheck, selfcheck.Question,
    selfcheck.Answer, selfcheck.Band, selfcheck.Message, Problem, Page)}


class UnkeptError(Exception):
    """Something the index cannot hold (it is then not written)."""


def _stat_line(path: str, entry: os.stat_result) -> str:
    return (f"{path}\0{stat.S_IFMT(entry.st_mode)}\0{entry.st_size}\0{entry.st_mtime_ns}\0"
            f"{entry.st_ctime_ns}\0{entry.st_ino}")


def fingerprint(root: Path, default_language: str) -> str | None:
    """The key of ``root`` as it is now; None when it is too big to fingerprint cheaply or
    cannot be read."""
    parts = [f"{FORMAT}", default_language, os.fsdecode(os.path.abspath(root))]
    try:
        for name in _CODE:
            parts.append(_stat_line(name, os.stat(CODE_DIR / name)))
        count = 0
        pending: list[tuple[str, int]] = [(os.fspath(root), 0)]
        while pending:
            folder, depth = pending.pop()
            with os.scandir(folder) as entries:
                found = sorted(entries, key=lambda e: e.name)
            for entry in found:
                count += 1
                if count > MAX_ENTRIES:
                    return None
                info = entry.stat(follow_symlinks=False)
                parts.append(_stat_line(entry.path, info))
                if stat.S_ISLNK(info.st_mode):
                    parts.append(os.readlink(entry.path))
                    try:
                        parts.append(_stat_line("->", os.stat(entry.path)))
                    except OSError:
                        parts.append("-> missing")
                elif stat.S_ISDIR(info.st_mode):
                    if depth >= MAX_DEPTH:
                        return None
                    pending.append((entry.path, depth + 1))
    except (OSError, ValueError):
        return None
    return digest_of(parts)


def digest_of(parts: list[str]) -> str:
    """A key made of ``parts`` (each a line)."""
    from kiosk.digests import blake2b

    digest = blake2b(digest_size=20)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\n")
    return digest.hexdigest()


# -- to and from JSON ----------------------------------------------------------------------
def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Path):
        return {"$p": os.fspath(value)}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    cls = type(value)
    if _CLASSES.get(cls.__name__) is cls:  # a kept class: a dataclass or a NamedTuple
        names = getattr(cls, "_fields", None) or [f.name for f in dataclasses.fields(cls)]
        return {"$c": cls.__name__, "f": {name: _encode(getattr(value, name)) for name in names}}
    if isinstance(value, tuple):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"$s": sorted((_encode(v) for v in value), key=repr)}
    if isinstance(value, Mapping):
        return {"$m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise UnkeptError(f"cannot keep a {cls.__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$p" in value:
        return Path(value["$p"])
    if "$d" in value:
        return date.fromisoformat(value["$d"])
    if "$t" in value:
        return tuple(_decode(v) for v in value["$t"])
    if "$s" in value:
        return {_decode(v) for v in value["$s"]}
    if "$m" in value:
        return {_decode(k): _decode(v) for k, v in value["$m"]}
    cls = _CLASSES[value["$c"]]  # KeyError: not a class this index holds
    return cls(**{name: _decode(v) for name, v in value["f"].items()})


def encode(loaded: model.Loaded, key: str) -> str:
    return json.dumps({"format": FORMAT, "key": key, "content": _encode(loaded.content),
                       "problems": _encode(loaded.problems)}, ensure_ascii=True,
                      separators=(",", ":"))


def decode(text: str, key: str) -> model.Loaded | None:
    """The Loaded kept in ``text`` if it was kept under ``key``; None otherwise."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        content = _decode(data["content"])
        problems = _decode(data["problems"])
        if not (content is None or isinstance(content, model.Content)) or not (
                isinstance(problems, list) and all(isinstance(p, Problem) for p in problems)):
            return None
        return model.Loaded(content, problems)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


# -- loading -------------------------------------------------------------------------------
def load(root: Path, default_language: str, index: Path | None
         ) -> tuple[model.Loaded, Callable[[], None] | None]:
    """What ``model.load_content(root, default_language)`` gives, from the index at
    ``index`` when it is current; and, when it was not, a function that writes it (call it
    when there is time: it starts a thread and returns at once), else None."""
    start = load_keyed(root, default_language, index)
    return start.loaded, start.write


class Start(NamedTuple):
    """What a start loaded, the function that writes its index (None: nothing to write),
    and the key the folder had when it was read (None: no index here, or too big a folder;
    ``kiosk.pagecache`` keeps rendered pages under it)."""

    loaded: model.Loaded
    write: Callable[[], None] | None
    key: str | None


def load_keyed(root: Path, default_language: str, index: Path | None) -> Start:
    """``load``, with the folder's key."""
    key = fingerprint(root, default_language) if index is not None else None
    if key is not None and index is not None:
        try:
            if index.stat().st_size <= MAX_INDEX_BYTES:
                kept = decode(index.read_text(encoding="utf-8"), key)
                if kept is not None:
                    log.debug("content from its index %s", index)
                    return Start(kept, None, key)
        except (OSError, UnicodeDecodeError):
            pass
    loaded = model.load_content(root, default_language)
    if key is None or index is None:
        return Start(loaded, None, key)
    where: Path = index

    def write() -> None:
        threading.Thread(target=save, args=(loaded, key, where), name="content-index",
                         daemon=True).start()

    return Start(loaded, write, key)


def save(loaded: model.Loaded, key: str, index: Path) -> bool:
    """Write the index (on any thread); False, with the reason in the log, if it could not
    be (the kiosk then just loads the usual way next time)."""
    from kiosk.durable import write_private

    try:
        write_private(index, encode(loaded, key), 0o644)  # synced, renamed into place
        return True
    except (OSError, UnkeptError, RecursionError) as e:
        log.warning("the content index %s could not be written (%s); the next start loads "
                    "the content the usual way", index, e)
        return False
