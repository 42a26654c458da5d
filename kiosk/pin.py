"""The staff PIN: stored only as a salted hash, checked in constant time, locked after misses.

Plain Python, so the lock-out rules are tested without Qt or real waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
MIN_LENGTH, MAX_LENGTH = 4, 12


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$ITERATIONS$SALT$HASH`` for a PIN of 4 to 12 digits."""
    if not (pin.isdigit() and MIN_LENGTH <= len(pin) <= MAX_LENGTH):
        raise ValueError(f"a PIN is {MIN_LENGTH} to {MAX_LENGTH} digits")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def is_valid_hash(stored: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isdigit():
        return False
    try:
        bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
    except ValueError:
        return False
    return True


def verify_pin(pin: str, stored: str) -> bool:
    if not is_valid_hash(stored):
        return False
    _alg, iterations, salt, expected = stored.split("$")
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(digest.hex(), expected)


class Verdict(Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass
class PinGuard:
    """Counts wrong PINs; after ``attempts`` in a row the pad is locked for ``lockout`` s."""

    stored_hash: str
    attempts: int = 5
    lockout: float = 300.0
    clock: Callable[[], float] = time.monotonic
    misses: int = 0
    locked_until: float = 0.0

    def locked_for(self) -> float:
        """Seconds left before the pad takes PINs again (0 when it does)."""
        return max(0.0, self.locked_until - self.clock())

    def check(self, pin: str) -> Verdict:
        if self.locked_for() > 0:
            return Verdict.LOCKED
        if verify_pin(pin, self.stored_hash):
            self.misses = 0
            return Verdict.OK
        self.misses += 1
        if self.misses >= self.attempts:
            self.misses = 0
            self.locked_until = self.clock() + self.lockout
            return Verdict.LOCKED
        return Verdict.WRONG
