"""kiosk.digests gives hashlib's digests (the store folder's name and the content index's
key must not change), with or without CPython's built-in implementations."""

from __future__ import annotations

import hashlib
import importlib
import os
import subprocess
import sys

import pytest

from kiosk import digests


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 1000, 100_000])
def test_the_same_digests_as_hashlib(size: int) -> None:
    data = os.urandom(size)
    assert digests.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    ours, theirs = digests.blake2b(digest_size=20), hashlib.blake2b(digest_size=20)
    ours.update(data)
    theirs.update(data)
    assert ours.hexdigest() == theirs.hexdigest()


def test_without_the_built_in_ones_hashlib_gives_them(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def missing(name: str, package: str | None = None) -> object:
        if name in ("_sha2", "_sha256", "_blake2"):
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", missing)
    assert digests.sha256(b"kiosk").hexdigest() == hashlib.sha256(b"kiosk").hexdigest()
    assert digests.blake2b(8).digest_size == 8


def test_a_start_needs_no_openssl() -> None:
    code = ("import sys; from kiosk import digests; digests.sha256(b'x'); digests.blake2b(20); "
            "print('_hashlib' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert run.stdout.strip() == "False"
