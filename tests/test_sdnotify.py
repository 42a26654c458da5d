"""The plain NOTIFY_SOCKET protocol: datagrams systemd would read, and nothing without it."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.sdnotify import Notifier


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = str(tmp_path / "notify")
    sock.bind(path)
    sock.settimeout(2)
    yield sock, path
    sock.close()


def test_ready_watchdog_and_stopping_arrive_as_systemd_reads_them(
        listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    notifier = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000000"})
    assert notifier.enabled and notifier.watchdog_usec == 20_000_000
    assert notifier.ready("showing the kiosk")
    assert sock.recv(4096) == b"READY=1\nSTATUS=showing the kiosk"
    assert notifier.watchdog()
    assert sock.recv(4096) == b"WATCHDOG=1"
    assert notifier.stopping()
    assert sock.recv(4096) == b"STOPPING=1"
    notifier.close()


def test_an_abstract_socket_name_starts_with_at() -> None:
    name = f"kiosk-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    notifier = Notifier({"NOTIFY_SOCKET": "@" + name})
    try:
        assert notifier.watchdog()
        assert sock.recv(100) == b"WATCHDOG=1"
    finally:
        notifier.close()
        sock.close()


def test_without_notify_socket_nothing_is_sent_or_opened() -> None:
    notifier = Notifier({})
    assert not notifier.enabled and notifier.watchdog_usec == 0
    assert not notifier.ready() and not notifier.watchdog() and not notifier.stopping()
    assert notifier._socket is None  # no socket was even created


def test_a_socket_that_is_gone_is_reported_not_raised(tmp_path: Path) -> None:
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "nobody-listens"),
                         "WATCHDOG_USEC": "not a number"})
    assert notifier.watchdog_usec == 0
    assert not notifier.ready()
    assert "nobody-listens" in notifier.error
    notifier.close()
