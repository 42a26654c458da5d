"""The staff PIN: stored only as a salted hash, checked in constant time, locked after misses.

Each lockout lasts twice as long as the one before (up to a day) until the right PIN is
entered. With a state file the misses and the lockout survive a restart: the file holds only
counts and the wall-clock time the pad unlocks, never a PIN or its hash. Plain Python, so the
lock-out rules are tested without Qt or real waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import platformdirs

from kiosk.config import APP_NAME
from kiosk.durable import write_private

log = logging.getLogger(__name__)

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
MIN_LENGTH, MAX_LENGTH = 4, 12
MAX_LOCKOUT = 24 * 3600.0  # seconds: the longest a lockout grows to
STATE_FILE = "pin-lockout.json"


def default_state_path() -> Path:
    """Where the lockout state is kept: the platform's state folder (no PIN in it)."""
    return platformdirs.user_state_path(APP_NAME, appauthor=False) / STATE_FILE


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
    """Counts wrong PINs; after ``attempts`` in a row the pad is locked for ``lockout`` s, and
    each further lockout lasts twice as long as the one before (up to ``MAX_LOCKOUT``).

    ``state_path``: a small file that keeps the misses and the lockout across restarts (None:
    in memory only). ``wall`` is the wall clock used for that file; ``clock`` times the lock.
    """

    stored_hash: str
    attempts: int = 5
    lockout: float = 300.0
    clock: Callable[[], float] = time.monotonic
    misses: int = 0
    locked_until: float = 0.0
    state_path: Path | None = None
    wall: Callable[[], float] = field(default=time.time, repr=False)
    lockouts: int = 0  # lockouts since the last right PIN

    def __post_init__(self) -> None:
        if self.state_path is not None:
            self._load()

    def locked_for(self) -> float:
        """Seconds left before the pad takes PINs again (0 when it does)."""
        return max(0.0, self.locked_until - self.clock())

    def next_lockout(self) -> float:
        """How long the next lockout will last, in seconds."""
        return min(MAX_LOCKOUT, float(self.lockout) * 2.0 ** min(self.lockouts, 32))

    def check(self, pin: str) -> Verdict:
        if self.locked_for() > 0:
            return Verdict.LOCKED
        if verify_pin(pin, self.stored_hash):
            if self.misses or self.lockouts:
                self.misses = self.lockouts = 0
                self._save()
            return Verdict.OK
        self.misses += 1
        if self.misses >= self.attempts:
            self.misses = 0
            self.locked_until = self.clock() + self.next_lockout()
            self.lockouts += 1
            self._save()
            return Verdict.LOCKED
        self._save()
        return Verdict.WRONG

    # -- the state file -----------------------------------------------------------------
    def _load(self) -> None:
        assert self.state_path is not None
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            misses = int(data["misses"])
            lockouts = int(data["lockouts"])
            unlock_at = float(data["unlock_at"])
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Someone who can damage this file can also delete it; start counting again.
            log.warning("the PIN lockout state %s cannot be read (%s); starting afresh",
                        self.state_path, exc)
            return
        self.misses = max(0, min(misses, self.attempts - 1))
        self.lockouts = max(0, min(lockouts, 64))
        left = unlock_at - self.wall()
        # A clock set back cannot make a lockout longer than the longest one.
        left = min(left, MAX_LOCKOUT,
                   float(self.lockout) * 2.0 ** max(0, min(self.lockouts - 1, 32)))
        if left > 0:
            self.locked_until = self.clock() + left

    def _save(self) -> None:
        if self.state_path is None:
            return
        left = self.locked_for()
        data = {"misses": self.misses, "lockouts": self.lockouts,
                "unlock_at": round(self.wall() + left, 1) if left > 0 else 0}
        try:
            write_private(self.state_path, json.dumps(data) + "\n", 0o600)
        except OSError as exc:
            log.error("the PIN lockout state %s cannot be written: %s", self.state_path, exc)

