"""The content index (kiosk.contentcache): a start from it gives exactly what loading the
folder gives, and anything it cannot vouch for (a changed, added or removed file, a link
moved, another folder, a newer loader, a damaged or foreign index) is loaded as usual."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import contentcache
from kiosk.config import bundled_content
from kiosk.model import load_content


def _kept(root: Path, index: Path, language: str = "en") -> bool:
    """Load through the index (writing it when it was not current); whether it was used."""
    loaded, write = contentcache.load(root, language, index)
    assert loaded == load_content(root, language)  # the same, either way
    if write is not None:
        key = contentcache.fingerprint(root, language)
        assert key is not None and contentcache.save(loaded, key, index)
    return write is None


def test_the_bundled_content_comes_back_exactly(tmp_path: Path) -> None:
    root = bundled_content()
    loaded = load_content(root)
    key = contentcache.fingerprint(root, "en")
    assert key is not None
    again = contentcache.decode(contentcache.encode(loaded, key), key)
    assert again == loaded and again is not loaded
    assert again.content is not None
    fa = again.content.language("fa")
    assert fa.rtl and fa.selfcheck is not None and len(fa.selfcheck.questions) == 9
    assert contentcache.decode(contentcache.encode(loaded, key), "another key") is None


def test_problems_are_kept_with_their_file_and_line(
        tmp_path: Path, make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: x\n---\n\nB.\n"})
    index = tmp_path / "index.json"
    assert not _kept(root, index)
    assert _kept(root, index)
    loaded, _ = contentcache.load(root, "en", index)
    assert any(p.path == root / "en" / "jaw.md" and p.line == 4 for p in loaded.problems)


@pytest.mark.parametrize("change", [
    "edit", "add", "remove", "rename", "touch", "link", "language", "folder", "code"])
def test_anything_changed_is_loaded_again(
        tmp_path: Path, make_content: Callable[..., Path], change: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_content(**{"en/pictures/back.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    index = tmp_path / "index.json"
    assert not _kept(root, index) and _kept(root, index)
    jaw = root / "en" / "jaw.md"
    language = "en"
    if change == "edit":  # the same size, the same second: still another file
        text = jaw.read_text(encoding="utf-8")
        stamp = jaw.stat()
        jaw.write_text(text.replace("Your jaw", "Your jow"), encoding="utf-8")
        os.utime(jaw, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    elif change == "add":
        (root / "en" / "neck.md").write_text(
            "---\ntitle: Neck\nsummary: s\norder: 3\n---\n\nB.\n", encoding="utf-8")
    elif change == "remove":
        jaw.unlink()
    elif change == "rename":
        jaw.rename(root / "en" / "jaw2.md")
    elif change == "touch":
        os.utime(jaw, ns=(1, 1))
    elif change == "link":
        (root / "en" / "more.md").symlink_to(jaw)
    elif change == "language":
        language = "es"
    elif change == "folder":  # a picture deep in a folder
        (root / "en" / "pictures" / "back.svg").write_text("<svg/>", encoding="utf-8")
    elif change == "code":  # the kiosk was updated: its loader may read files differently
        code = tmp_path / "code"
        code.mkdir()
        for name in contentcache._CODE:
            (code / name).write_bytes((contentcache.CODE_DIR / name).read_bytes())
        monkeypatch.setattr(contentcache, "CODE_DIR", code)
        assert not _kept(root, index) and _kept(root, index)
        (code / "model.py").write_bytes((code / "model.py").read_bytes() + b"\n")
    assert not _kept(root, index, language)


@pytest.mark.parametrize("damage", [
    "truncated", "not json", "a list", "other format", "unknown class", "bad field",
    "wrong types", "empty", "huge", "binary"])
def test_a_damaged_or_foreign_index_is_never_used_and_never_an_error(
        tmp_path: Path, make_content: Callable[..., Path], damage: str) -> None:
    root = make_content()
    index = tmp_path / "index.json"
    _kept(root, index)
    text = index.read_text(encoding="utf-8")
    data = json.loads(text)
    if damage == "truncated":  # a power cut would not do this (the file is renamed into
        text = text[: len(text) // 2]  # place), but a full card might
    elif damage == "not json":
        text = "{" + text
    elif damage == "a list":
        text = "[]"
    elif damage == "other format":
        text = json.dumps({**data, "format": contentcache.FORMAT + 1})
    elif damage == "unknown class":
        text = text.replace('"$c":"Topic"', '"$c":"Popen"', 1)
    elif damage == "bad field":
        text = text.replace('"title":', '"titel":', 1)
    elif damage == "wrong types":
        text = json.dumps({**data, "content": {"$p": "/etc"}})
    elif damage == "empty":
        text = ""
    elif damage == "huge":
        text = " " * (contentcache.MAX_INDEX_BYTES + 1)
    if damage == "binary":
        index.write_bytes(b"\xff\xfe\x00" * 100)
    else:
        index.write_text(text, encoding="utf-8")
    loaded, write = contentcache.load(root, "en", index)
    assert write is not None  # loaded the usual way, and the index is written again
    assert loaded == load_content(root, "en")


def test_a_folder_too_big_to_fingerprint_is_simply_loaded(
        tmp_path: Path, make_content: Callable[..., Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_content()
    monkeypatch.setattr(contentcache, "MAX_ENTRIES", 3)
    assert contentcache.fingerprint(root, "en") is None
    loaded, write = contentcache.load(root, "en", tmp_path / "index.json")
    assert write is None and loaded == load_content(root, "en")


def test_the_index_is_written_off_the_calling_thread_and_whole(
        tmp_path: Path, make_content: Callable[..., Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_content()
    index = tmp_path / "state" / "index.json"
    writers: list[str] = []
    real_save = contentcache.save

    def save(*args: object) -> bool:
        writers.append(threading.current_thread().name)
        return real_save(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(contentcache, "save", save)
    _loaded, write = contentcache.load(root, "en", index)
    assert write is not None
    write()
    for thread in threading.enumerate():
        if thread.name == "content-index":
            thread.join(10)
    assert writers == ["content-index"]
    assert sorted(p.name for p in index.parent.iterdir()) == ["index.json"]  # no temporary
    assert contentcache.load(root, "en", index)[1] is None


def test_an_index_that_cannot_be_written_is_said_in_the_log(
        tmp_path: Path, make_content: Callable[..., Path],
        caplog: pytest.LogCaptureFixture) -> None:
    root = make_content()
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    loaded = load_content(root)
    assert not contentcache.save(loaded, "key", blocked / "index.json")
    assert "could not be written" in caplog.text
