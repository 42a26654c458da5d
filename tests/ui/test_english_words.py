"""The kiosk starting in Spanish shows English screens in English words only."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml
from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured
from tests.ui.test_access import visible_words, walk_all


def test_english_screens_show_no_spanish_button_words_when_the_kiosk_starts_in_spanish(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], tmp_path: Path) -> None:
    """With the English labels file holding one key, as it once did: the rest are the
    built-in English words, not the Spanish of the language the kiosk starts in."""
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    (root / "en" / "labels.yaml").write_text("attract.line: Touch to learn more\n", "utf-8")
    spanish = yaml.safe_load((root / "es" / "labels.yaml").read_text("utf-8"))
    english = yaml.safe_load((bundled_content() / "en" / "labels.yaml").read_text("utf-8"))
    # Words only Spanish has ("Normal" is both), except the language button itself.
    only_spanish = {v for k, v in spanish.items() if k != "language.name"} - set(
        english.values())
    window = open_window(replace(configured(), language="es"), size=(800, 480), content=root)
    assert window.content is not None and window.content.default_language == "es"
    leftovers: list[str] = []
    english_screens = 0
    for name in walk_all(window, 2, True):
        if not name.startswith("en-"):
            continue
        english_screens += 1
        words = visible_words(window)
        leftovers += [f"{name}: {w!r}" for w in words if w in only_spanish]
        if name in ("en-call", "en-result-urgent"):
            assert "Back" in words and "Home" in words, (name, words)
        if name == "en-result-urgent":
            assert "I will tell the front desk now" in words
        if name == "en-call":
            assert "With Dr. Hyun Bae" in words
    assert english_screens > 15
    assert leftovers == []
