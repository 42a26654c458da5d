"""SHA-256 and BLAKE2b without ``hashlib``'s start-up cost. Plain Python; no Qt.

``import hashlib`` loads and initialises OpenSSL's libcrypto, about 11 M CPU instructions of
the kiosk's start (issue 24, bench/bench.py), for the two digests a start needs: the content
index's key (kiosk.contentcache) and the store folder's name (kiosk.config). CPython's own
built-in implementations give the same digests; ``hashlib`` is used when a Python was built
without them.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol


class Hash(Protocol):
    """What the kiosk uses of a hash object."""

    digest_size: int

    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...
    def hexdigest(self) -> str: ...


def _maker(algorithm: str, modules: tuple[str, ...]) -> Any:
    for name in modules:
        try:
            return getattr(importlib.import_module(name), algorithm)
        except (ImportError, AttributeError):
            continue
    import hashlib

    return getattr(hashlib, algorithm)


def sha256(data: bytes = b"") -> Hash:
    """A SHA-256 hash object, as ``hashlib.sha256(data)``."""
    made: Hash = _maker("sha256", ("_sha2", "_sha256"))(data)  # Python 3.12+, 3.11
    return made


def blake2b(digest_size: int = 64) -> Hash:
    """A BLAKE2b hash object, as ``hashlib.blake2b(digest_size=digest_size)``."""
    made: Hash = _maker("blake2b", ("_blake2",))(digest_size=digest_size)
    return made
