"""File names compared as people type them: in Unicode NFC, whatever the disk holds.

macOS (and files copied from it) writes "é" decomposed (NFD: "e" and a combining accent);
a keyboard types it composed (NFC). Linux compares names byte by byte, so the two never
match there. Here both sides are compared in NFC, and the file is found by its real name.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path


def nfc(text: str) -> str:
    """``text`` in Unicode's composed form (NFC)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def on_disk(root: Path, base: Path, ref: str) -> str:
    """``ref`` (relative to ``base``, with '/' between folders) spelt as the files on disk
    are, when only Unicode normalization differs; else ``ref`` unchanged. Only folders inside
    ``root`` are listed."""
    if ref.isascii() or (base / ref).exists():
        return ref
    try:
        inside = root.resolve()
        here = base.resolve()
    except (OSError, RuntimeError):
        return ref
    spelt = []
    for part in ref.split("/"):
        if part in ("", "."):
            spelt.append(part)
            continue
        if not (here / part).exists():
            if not here.is_relative_to(inside):
                return ref
            wanted = nfc(part)
            try:
                same = sorted(name for name in os.listdir(here) if nfc(name) == wanted)
            except OSError:
                return ref
            if not same:
                return ref
            part = same[0]
        spelt.append(part)
        try:
            here = (here / part).resolve()
        except (OSError, RuntimeError):
            return ref
    return "/".join(spelt)
