"""Content carried on a USB stick: export the live content, import an edited copy safely.

Export writes one top folder, ``clinic-kiosk-content/``, synced to the stick, with a
``SHA256SUMS`` manifest in ``sha256sum`` format written last: an export that did not finish
is still named ``clinic-kiosk-content.incomplete/`` and has no manifest. IT can check an
untouched export with ``sha256sum -c SHA256SUMS`` inside the folder.

Import never touches the live content until it is applied (kiosk/store.py): the stick's
folder is copied into a staging folder on the kiosk's own disk, each file read once, hashed,
and checked that it did not change while it was read; what looks damaged rather than edited
is named (empty files, NUL bytes, text that is not UTF-8, front matter that never ends); the
staged copy gets the full content check; and what changes against the live content is listed,
with which files were edited since the export (from the manifest). Only then can it be
applied, and only without errors. Plain Python, no Qt: the staff panel shows what this finds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.durable import sync_folder
from kiosk.problems import Problem
from kiosk.sizes import over_limit

EXPORT_NAME = "clinic-kiosk-content"
INCOMPLETE = EXPORT_NAME + ".incomplete"
MANIFEST = "SHA256SUMS"
MAX_FILES = 2_000  # far more than any clinic's pages and pictures
MAX_BYTES = 200_000_000  # the whole folder
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".txt"}
# What Windows and macOS put on a stick by themselves: never content, never copied.
JUNK = {".DS_Store", "System Volume Information", "__MACOSX", "Thumbs.db", "desktop.ini",
        "$RECYCLE.BIN", ".Trashes", ".Spotlight-V100", ".fseventsd", ".TemporaryItems",
        MANIFEST}

Progress = Callable[[int, int], None]  # (files done, files in all)


def is_junk(name: str) -> bool:
    return name in JUNK or name.startswith(".") or name.startswith("~$")


def content_files(root: Path) -> Iterator[Path]:
    """Every file of a content folder (relative paths, sorted), junk and hidden names left
    out; symbolic links are never followed (a stick's link could point anywhere)."""
    for dirpath, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not is_junk(d))
        base = Path(dirpath)
        for name in sorted(names):
            path = base / name
            if not is_junk(name) and not path.is_symlink() and path.is_file():
                yield path.relative_to(root)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


# -- where sticks appear ----------------------------------------------------------------------

def default_stick_roots() -> list[Path]:
    """Where the system mounts a USB stick for the kiosk's user: udisks2's /media/USER and
    /run/media/USER (a stick is a folder in there)."""
    import getpass

    user = getpass.getuser()
    return [Path("/media") / user, Path("/run/media") / user]


def sticks(roots: list[Path]) -> list[Path]:
    """The sticks (mounted folders) under ``roots``, and any root that is itself a content
    source (a folder IT names, such as a network share), sorted; nothing is read inside."""
    found: list[Path] = []
    for root in roots:
        if (root / EXPORT_NAME).is_dir() or (root / INCOMPLETE).is_dir():
            found.append(root)
            continue
        try:
            found += sorted(p for p in root.iterdir() if p.is_dir() and not is_junk(p.name))
        except OSError:
            continue
    return found


def with_content(found: list[Path]) -> list[Path]:
    """Those of ``found`` that hold an export (finished or not)."""
    return [p for p in found if (p / EXPORT_NAME).is_dir() or (p / INCOMPLETE).is_dir()]


# -- export ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Exported:
    folder: Path
    files: int
    size: int


def export(live: Path, destination: Path, progress: Progress | None = None) -> Exported:
    """Copy the live content into ``destination/clinic-kiosk-content/`` with its manifest.

    Written as ``clinic-kiosk-content.incomplete/`` first, every file synced, the manifest
    last, then renamed; an older export of the same name is replaced only then."""
    destination = Path(destination)
    if not destination.is_dir():
        raise OSError(f"{destination} is not a folder that can be written to")
    partial = destination / INCOMPLETE
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    files = list(content_files(live))
    lines, size = [], 0
    for done, rel in enumerate(files, start=1):
        target = partial / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with open(live / rel, "rb") as src, open(target, "wb") as out:
            while block := src.read(1 << 16):
                digest.update(block)
                out.write(block)
                size += len(block)
            out.flush()
            os.fsync(out.fileno())
        lines.append(f"{digest.hexdigest()}  {rel.as_posix()}\n")
        if progress is not None:
            progress(done, len(files))
    for dirpath, _dirs, _names in os.walk(partial):
        sync_folder(Path(dirpath))
    with open(partial / MANIFEST, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
        f.flush()
        os.fsync(f.fileno())
    sync_folder(partial)
    final = destination / EXPORT_NAME
    if final.exists():
        old = destination / (EXPORT_NAME + ".old")
        if old.exists():
            shutil.rmtree(old)
        os.replace(final, old)
        os.replace(partial, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(partial, final)
    sync_folder(destination)
    return Exported(final, len(files), size)


# -- import ---------------------------------------------------------------------------------

@dataclass
class Changes:
    """What an import changes against the live content, by relative path."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        """One line for people: "es: 2 changed, 1 added; en: 1 removed"."""
        per: dict[str, dict[str, int]] = {}
        for kind, paths in (("added", self.added), ("changed", self.changed),
                            ("removed", self.removed)):
            for rel in paths:
                top = rel.split("/", 1)[0] if "/" in rel else "(top folder)"
                per.setdefault(top, {}).setdefault(kind, 0)
                per[top][kind] += 1
        if not per:
            return "no changes"
        return "; ".join(f"{top}: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
                         for top, kinds in sorted(per.items()))


@dataclass
class Staged:
    """A stick's folder copied to the kiosk's disk and checked, ready to apply or not."""

    source: Path  # the folder on the stick
    folder: Path  # the staged copy
    problems: list[Problem]  # at the stick's files and lines
    changes: Changes
    edited: list[str]  # files that differ from the export's manifest (or all, without one)
    has_manifest: bool
    files: int
    size: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def worth_showing(self) -> list[Problem]:
        """Every error, and the warnings about files this import adds or changes (the
        others are the live content's own, listed by ``kiosk check``)."""
        top = find_top(self.source)
        touched = {top / rel for rel in self.changes.added + self.changes.changed}
        return [p for p in self.problems
                if p.is_error or Path(p.path) in touched or not Path(p.path).is_file()]

    @property
    def can_apply(self) -> bool:
        return not self.errors and bool(self.changes)


def find_top(source: Path) -> Path:
    """The content folder on a stick: its ``clinic-kiosk-content`` folder if it has one,
    else the folder itself (a folder IT names, such as a network share)."""
    source = Path(source)
    inner = source / EXPORT_NAME
    return inner if inner.is_dir() else source


def stage(source: Path, into: Path, live: Path, language: str = "en",
          progress: Progress | None = None) -> Staged:
    """Copy ``source`` (a stick, or its ``clinic-kiosk-content`` folder) into the empty folder
    ``into``, verify the copy, and check it; nothing live changes."""
    from kiosk.checker import check_folder  # the content check, as `kiosk check` runs it

    top = find_top(source)
    problems: list[Problem] = []
    if not top.is_dir():
        raise OSError(f"{source} is not a folder the kiosk can read")
    if (source / INCOMPLETE).is_dir() and top == source:
        problems.append(Problem(source / INCOMPLETE, 1, "this export did not finish (the stick "
                                "was removed, or the kiosk stopped, while it was written)",
                                "error", "copy the content to the stick again from the staff "
                                "panel"))
        return Staged(source, into, problems, Changes(), [], False, 0, 0)
    files = list(content_files(top))
    sizes = {}
    for rel in files:
        try:
            sizes[rel] = (top / rel).stat().st_size
        except OSError as exc:
            problems.append(Problem(top / rel, 1, f"cannot be read ({exc.strerror})"))
    total = sum(sizes.values())
    if len(files) > MAX_FILES:
        problems.append(Problem(top, 1, f"holds {len(files):,} files; the limit is "
                                f"{MAX_FILES:,}, so nothing was copied", "error",
                                "copy only the content folder to the stick"))
    if total > MAX_BYTES:
        problems.append(Problem(top, 1, f"holds {over_limit(total, MAX_BYTES)}, so nothing "
                                "was copied", "error", "make the pictures smaller, or copy "
                                "only the content folder to the stick"))
    if any(p.is_error for p in problems):
        return Staged(source, into, problems, Changes(), [], False, len(files), total)

    hashes: dict[str, str] = {}
    for done, rel in enumerate(files, start=1):
        problem = _copy_one(top / rel, into / rel, hashes, rel.as_posix())
        if problem is not None:
            problems.append(problem)
        if progress is not None:
            progress(done, len(files))
    if any(p.is_error for p in problems):  # a copy that is not whole is not checked further
        return Staged(source, into, problems, Changes(), [], False, len(files), total)
    for rel in files:
        problems += damage(into / rel, top / rel)
    manifest, problem = _manifest(top)
    if problem is not None:
        problems.append(problem)
    edited = sorted(r for r, h in hashes.items() if manifest is None or manifest.get(r) != h)
    if not any(p.is_error for p in problems):
        _loaded, found = check_folder(into, language)
        problems += [_on_stick(p, into, top) for p in found]
    return Staged(source, into, problems, diff(live, hashes), edited, manifest is not None,
                  len(files), total)


def _copy_one(src: Path, dst: Path, hashes: dict[str, str], rel: str) -> Problem | None:
    """Copy one file, hashing what was read; the copy is read back and compared."""
    try:
        before = src.stat()
        dst.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with open(src, "rb") as f, open(dst, "wb") as out:
            while block := f.read(1 << 16):
                digest.update(block)
                out.write(block)
        after = src.stat()
    except FileNotFoundError:
        return Problem(src, 1, "disappeared while it was copied (was the stick removed?); "
                       "nothing was changed on the kiosk", "error", "put the stick back in "
                       "and start the import again")
    except OSError as exc:
        return Problem(src, 1, f"cannot be read ({exc.strerror or exc}); nothing was changed "
                       "on the kiosk", "error", "put the stick back in, or copy the file to "
                       "it again")
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        return Problem(src, 1, "changed while it was copied; nothing was changed on the kiosk",
                       "error", "close the file on the computer that edits it, then import "
                       "again")
    if sha256_of(dst) != digest.hexdigest():
        return Problem(src, 1, "the copy on the kiosk does not match the file; nothing was "
                       "changed on the kiosk", "error", "try again; if it happens again, the "
                       "stick may be failing")
    hashes[rel] = digest.hexdigest()
    return None


def damage(path: Path, shown: Path) -> list[Problem]:
    """Signs that a text file was damaged (a stick pulled before it finished writing, or a
    program that saves in another encoding) rather than edited; named at ``shown``."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return []
    data = path.read_bytes()
    if not data:
        return [Problem(shown, 1, "is empty (0 bytes): it may have been damaged when the "
                        "stick was removed", "error", "copy the file to the stick again")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [Problem(shown, 1, "is saved as UTF-16 (\"Unicode\" in Notepad); the kiosk "
                        "reads UTF-8 only", "error", "open it, choose Save As, and pick the "
                        "encoding UTF-8")]
    if b"\x00" in data:
        cut = data.find(b"\x00")
        line = data.count(b"\n", 0, cut) + 1
        return [Problem(shown, line, "has empty (zero) bytes from here on: the file was cut "
                        "short, as when a stick is removed before it finished writing",
                        "error", "copy the file to the stick again, and use \"Eject\" before "
                        "removing the stick")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [Problem(shown, line, "is not saved as UTF-8 (it looks like Windows-1252, "
                        "\"ANSI\" in Notepad): accented letters such as á, é, ñ would show "
                        "wrong", "error", "open it, choose Save As, and pick the encoding "
                        "UTF-8")]
    if path.suffix.lower() == ".md" and text.lstrip("\ufeff").startswith("---"):
        lines = text.lstrip("\ufeff").splitlines()
        if not any(line.strip() == "---" for line in lines[1:]):
            return [Problem(shown, len(lines), "the front matter (the lines at the top "
                            "between ---) never ends: the file may have been cut short",
                            "error", "make sure the front matter ends with a line of three "
                            "dashes, ---, before the page text")]
    return []


def _manifest(top: Path) -> tuple[dict[str, str] | None, Problem | None]:
    path = top / MANIFEST
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None, Problem(top, 1, f"has no {MANIFEST} list, so it is not a finished export "
                             "from a kiosk (or it was made by hand): every file is shown as "
                             "edited", "warning", "to be sure nothing is missing, copy the "
                             "content to the stick from the staff panel, then edit it there")
    except (OSError, UnicodeDecodeError) as exc:
        return None, Problem(path, 1, f"cannot be read ({exc}): every file is shown as edited",
                             "warning")
    out = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) == 64 and name:
            out[name.lstrip("*")] = digest
    return out, None


def diff(live: Path, hashes: dict[str, str]) -> Changes:
    """What the staged files (``hashes``: relative path to SHA-256) change in ``live``."""
    changes = Changes()
    old = {rel.as_posix(): live / rel for rel in content_files(live)}
    for rel, digest in sorted(hashes.items()):
        if rel not in old:
            changes.added.append(rel)
        elif sha256_of(old[rel]) != digest:
            changes.changed.append(rel)
    changes.removed = sorted(set(old) - set(hashes))
    return changes


def _on_stick(problem: Problem, staged: Path, top: Path) -> Problem:
    """A problem found in the staged copy, named at the stick's file."""
    try:
        rel = Path(problem.path).relative_to(staged)
    except ValueError:
        return problem
    return Problem(top / rel, problem.line, problem.message, problem.severity, problem.hint)
