"""Structured journal fields (issue 21): under systemd the kiosk logs over the journal's
native socket, with CLINIC_KIOSK_EVENT and friends for IT to filter on, and no patient
detail. The socket here is the test's own, read as journald reads it."""

from __future__ import annotations

import logging
import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.journal import JournalHandler
from kiosk.logsetup import setup_logging


def parse(data: bytes) -> dict[str, str]:
    """The native protocol, as journald reads it (both the KEY=VALUE and the sized form)."""
    out, i = {}, 0
    while i < len(data):
        end = data.index(b"\n", i)
        line = data[i:end]
        if b"=" in line:
            key, _, value = line.partition(b"=")
            out[key.decode()] = value.decode()
            i = end + 1
        else:
            size = struct.unpack("<Q", data[end + 1:end + 9])[0]
            out[line.decode()] = data[end + 9:end + 9 + size].decode()
            i = end + 9 + size + 1
    return out


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    path = tmp_path / "journal.socket"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    monkeypatch.setenv("KIOSK_JOURNAL_SOCKET", str(path))
    monkeypatch.setenv("JOURNAL_STREAM", "8:1234")
    yield sock
    sock.close()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, JournalHandler):
            root.removeHandler(handler)
            handler.close()


def test_events_reach_the_journal_with_fields_to_filter_on(
        journal: socket.socket) -> None:
    setup_logging(to_file=False)
    assert any(isinstance(h, JournalHandler) for h in logging.getLogger().handlers)
    from kiosk.alert import Settings, deliver

    deliver(Settings("http://127.0.0.1:9/x", "Lobby", retry_s=0), "now")
    fields = parse(journal.recv(65536))
    assert fields["CLINIC_KIOSK_EVENT"] == "alert_failed"
    assert fields["CLINIC_KIOSK_HOST"] == "127.0.0.1"
    assert fields["PRIORITY"] == "3" and fields["SYSLOG_IDENTIFIER"] == "clinic-kiosk"
    assert fields["MESSAGE"].startswith("kiosk.alert: front-desk alert to 127.0.0.1 could")
    assert "now" not in fields["MESSAGE"].split("(")[0]  # the tier is not in the log
    logging.getLogger("kiosk.x").warning("two\nlines")
    assert parse(journal.recv(65536))["MESSAGE"] == "kiosk.x: two\nlines"


def test_an_import_and_an_undo_are_events(journal: socket.socket, tmp_path: Path) -> None:
    import shutil

    from kiosk.config import bundled_content
    from kiosk.store import Store
    from tests.conftest import import_edit

    setup_logging(to_file=False)
    installed = tmp_path / "installed"
    shutil.copytree(bundled_content(), installed)
    version = import_edit(installed, tmp_path / "store", tmp_path)
    events = {}
    while len(events) < 1:
        fields = parse(journal.recv(65536))
        if "CLINIC_KIOSK_EVENT" in fields:
            events[fields["CLINIC_KIOSK_EVENT"]] = fields
    assert events["content_imported"]["CLINIC_KIOSK_VERSION"] == version.id
    Store(tmp_path / "store").undo()
    fields = parse(journal.recv(65536))
    assert fields["CLINIC_KIOSK_EVENT"] == "content_undone"
