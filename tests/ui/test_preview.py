"""``kiosk preview``: staff see their content as patients will, updated on every save."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content, load_config
from kiosk.ui.app import build_window
from kiosk.ui.offthread import wait_all
from tests.conftest import topic_text
from tests.ui.conftest import tap


def test_preview_shows_problems_and_picks_up_a_saved_edit(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    config = replace(load_config(), content_dir=root, fullscreen=False)
    window = build_window(config, preview=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.banner.isVisible()
    # The bundled pages are clean but for warnings that no clinician has reviewed them yet.
    shown = window.banner.text().splitlines()
    assert shown == ["No problems found. Save a file and this preview updates."] or all(
        ": warning: " in line or line.startswith("…") for line in shown), shown
    tap(qtbot, window, "Your jaw joint (TMJ) and headaches")

    jaw = root / "en" / "jaw-and-tmj.md"
    jaw.write_text(topic_text("Your jaw, edited", "s", 2, "A new first line.\n\n"
                              "[A broken link](nowhere.md)\n"), encoding="utf-8")
    qtbot.waitUntil(lambda: window.topic_screen.title.text() == "Your jaw, edited",
                    timeout=5000)
    assert "A new first line." in window.topic_screen.page.toPlainText()
    assert f"{jaw}:9: warning: the link 'nowhere.md'" in window.banner.text()

    (root / "en" / "muscle-spasms.md").write_text("---\ntitle: x\norder: two\n---\n",
                                                  encoding="utf-8")
    qtbot.waitUntil(lambda: "muscle-spasms.md:2: the field 'summary' is missing"
                    in window.banner.text(), timeout=5000)
    assert window.current_screen is window.topic_screen  # the staff member stays put
    assert window.close()  # a normal window: it closes


def test_preview_has_no_lockdown(qtbot: QtBot) -> None:
    """A staff preview is an ordinary desktop window: keys reach it, it closes, no idle."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    window = build_window(replace(load_config(), fullscreen=False), preview=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.idle.seconds is None and window.visit.idle_seconds() is None
    typed = QLineEdit(window)  # the kiosk's lockdown would swallow every key on its way here
    typed.show()
    typed.setFocus()
    qtbot.keyClicks(typed, "ok")
    assert typed.text() == "ok"
    assert window.close()  # the kiosk refuses a close request; a preview does not


def test_preview_reads_nothing_outside_the_folder_through_links(
        qtbot: QtBot, tmp_path: Path, make_content: Callable[..., Path]) -> None:
    """Issue 17: a page or picture that is a link to a file outside the content folder is
    named in the banner, and never read: not while loading, checking or showing."""
    from tests.test_checker import files_opened, linked_outside

    root, outside = linked_outside(make_content, tmp_path)
    config = replace(load_config(), content_dir=root, fullscreen=False)
    with files_opened() as opened:
        window = build_window(config, preview=True)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        tap(qtbot, window, "Back pain")
        wait_all()
        qtbot.wait(10)
    assert root / "en" / "back-pain.md" in opened  # what is inside is read (and seen)
    assert [p for p in opened if p.resolve().is_relative_to(outside)] == []
    banner = window.banner.text()
    assert f"{root / 'en' / 'leak.md'}:1:" in banner
    assert f"{root / 'en' / 'jaw.md'}:5:" in banner
    assert window.close()
