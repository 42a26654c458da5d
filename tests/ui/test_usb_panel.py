"""The staff panel's USB stick, driven with touch as staff would (issue 19): copy the content
to a stick, update from it with a preview of what changes and the changed pages, apply with
the PIN, and undo. The stick is a folder where udisks2 would mount it (``usb_folders``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.config import bundled_content
from kiosk.pin import hash_pin
from kiosk.store import Store
from kiosk.transfer import EXPORT_NAME
from kiosk.ui.window import KioskWindow
from tests.ui.conftest import configured, touch

LONG_MS = 60_000  # waits that end when their event comes
NEW_LINE = "\nUna línea nueva para la prueba.\n"
PIN = "2468"




def enter_pin(window: KioskWindow, finger: QPointingDevice) -> None:
    pad = window.staff.pin_pad
    assert pad.isVisible()
    for digit in PIN + "K":
        touch(window, finger, pad.keys["OK" if digit == "K" else digit])


@pytest.fixture
def kiosk(open_window: Callable[..., KioskWindow], tmp_path: Path) -> tuple[KioskWindow, Path,
                                                                             Store, Path]:
    installed = tmp_path / "installed"
    shutil.copytree(bundled_content(), installed)
    media = tmp_path / "media"
    (media / "KIOSKSTICK").mkdir(parents=True)
    store = Store(tmp_path / "store")
    config = replace(configured(watch_content=True, content_store=str(store.root),
                                usb_folders=str(media),
                                staff_pin_hash=hash_pin(PIN, iterations=1)),
                     content_dir=installed)
    return open_window(config, size=(1280, 720)), installed, store, media / "KIOSKSTICK"


def test_staff_copy_edit_preview_apply_and_undo_with_touch(
        qtbot: QtBot, kiosk: tuple[KioskWindow, Path, Store, Path],
        finger: QPointingDevice) -> None:
    window, installed, store, stick = kiosk
    window.staff.gesture()
    enter_pin(window, finger)
    panel = window.staff.panel
    assert panel.isVisible()
    assert panel.version.text() == f"Content: as installed ({installed})"
    assert not panel.undo_button.isVisible()
    # Copy the content to the stick.
    touch(window, finger, panel.export_button)
    usb = window.usb().panel
    qtbot.waitUntil(lambda: "You can remove the stick now" in usb.status.text(),
                    timeout=LONG_MS)
    assert (stick / EXPORT_NAME / "SHA256SUMS").is_file()
    touch(window, finger, usb.close_button)
    # Edited on a PC...
    page = stick / EXPORT_NAME / "es" / "jaw-and-tmj.md"
    page.write_text(page.read_text("utf-8") + NEW_LINE, "utf-8")
    # ...and brought back: the preview says what changes, and shows the page.
    touch(window, finger, panel.update_button)
    qtbot.waitUntil(lambda: "until you apply it" in usb.status.text(), timeout=LONG_MS)
    assert "es: 1 changed" in usb.status.text()
    assert "changed: es/jaw-and-tmj.md (edited since it was copied to the stick)" in \
        usb.details.text()
    assert store.state().current is None  # nothing applied yet
    touch(window, finger, usb.pages_button)
    qtbot.waitUntil(lambda: usb.page.isVisible(), timeout=LONG_MS)
    assert "Una línea nueva para la prueba." in usb.page.toPlainText()
    assert usb.page_title.text().startswith("es/jaw-and-tmj.md (1 of 1)")
    # Apply: the PIN again, then the kiosk shows it at the next home screen.
    touch(window, finger, usb.apply_button)
    enter_pin(window, finger)
    qtbot.waitUntil(lambda: usb.status.text().startswith("Updated: version"),
                    timeout=LONG_MS)
    assert "You can remove the stick now" in usb.status.text()
    current = store.current()
    assert current is not None and current.summary == "es: 1 changed"
    touch(window, finger, usb.close_button)
    qtbot.waitUntil(lambda: window.visit.has_pending or window.visit.content.root
                    == store.live(installed), timeout=LONG_MS)
    window.staff.close()
    window.go_home()
    assert window.visit.content.root == store.live(installed) != installed
    # Undo, from the staff panel: back to the installed content.
    window.staff.gesture()
    enter_pin(window, finger)
    assert panel.version.text().startswith(f"Content: version {current.id}")
    touch(window, finger, panel.undo_button)
    enter_pin(window, finger)
    qtbot.waitUntil(lambda: usb.status.text().startswith("Undone."), timeout=LONG_MS)
    touch(window, finger, usb.close_button)
    window.staff.close()
    qtbot.waitUntil(lambda: window.visit.content.root == installed, timeout=LONG_MS)


def test_a_stick_with_an_error_is_shown_and_cannot_be_applied(
        qtbot: QtBot, kiosk: tuple[KioskWindow, Path, Store, Path],
        finger: QPointingDevice) -> None:
    window, installed, store, stick = kiosk
    shutil.copytree(installed, stick / EXPORT_NAME)
    page = stick / EXPORT_NAME / "es" / "jaw-and-tmj.md"
    page.write_bytes(page.read_text("utf-8").encode("utf-16"))
    window.staff.gesture()
    enter_pin(window, finger)
    touch(window, finger, window.staff.panel.update_button)
    usb = window.usb().panel
    qtbot.waitUntil(lambda: "error(s) on the stick" in usb.status.text(), timeout=LONG_MS)
    assert f"{page}:1: is saved as UTF-16" in usb.details.text()
    assert not usb.apply_button.isVisible()
    touch(window, finger, usb.close_button)
    assert store.state().current is None and not (store.root / "staging").exists() or \
        list((store.root / "staging").iterdir()) == []


def test_no_stick_or_a_cancelled_pin_changes_nothing(
        qtbot: QtBot, kiosk: tuple[KioskWindow, Path, Store, Path],
        finger: QPointingDevice) -> None:
    window, installed, store, stick = kiosk
    stick.rmdir()
    window.staff.gesture()
    enter_pin(window, finger)
    touch(window, finger, window.staff.panel.update_button)
    usb = window.usb().panel
    qtbot.waitUntil(lambda: "No USB stick was found" in usb.status.text(), timeout=LONG_MS)
    touch(window, finger, usb.close_button)
    # A stick appears; staff start to apply, then cancel the PIN: nothing is applied, and
    # the next PIN only opens the panel.
    stick.mkdir()
    shutil.copytree(installed, stick / EXPORT_NAME)
    page = stick / EXPORT_NAME / "en" / "jaw-and-tmj.md"
    page.write_text(page.read_text("utf-8") + "\nA new line.\n", "utf-8")
    touch(window, finger, window.staff.panel.update_button)
    qtbot.waitUntil(lambda: usb.apply_button.isVisible(), timeout=LONG_MS)
    touch(window, finger, usb.apply_button)
    cancel = next(b for b in window.staff.pin_pad.findChildren(QAbstractButton)
                  if b.text() == "Cancel")
    touch(window, finger, cancel)
    assert store.state().current is None
    window.staff.close()
    window.staff.gesture()
    enter_pin(window, finger)
    assert window.staff.panel.isVisible() and store.state().current is None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_the_proof_to_sign_is_written_to_the_stick(
        qtbot: QtBot, kiosk: tuple[KioskWindow, Path, Store, Path],
        finger: QPointingDevice) -> None:
    import subprocess

    window, _installed, _store, stick = kiosk
    window.staff.gesture()
    enter_pin(window, finger)
    touch(window, finger, window.staff.panel.proof_button)
    usb = window.usb().panel
    qtbot.waitUntil(lambda: "You can remove the stick now" in usb.status.text()
                    or "could not" in usb.status.text(), timeout=LONG_MS * 2)
    assert usb.status.text().startswith(f"Wrote {stick / 'clinic-kiosk-proof.pdf'}")
    text = subprocess.run(["pdftotext", str(stick / "clinic-kiosk-proof.pdf"), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    assert "Content proof: The Spine Institute" in text and text.count("Signature") == 21
