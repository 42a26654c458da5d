"""The staff PIN: salted hashes, and the pad that locks after too many wrong tries."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_config, set_value
from kiosk.pin import PinGuard, Verdict, hash_pin, is_valid_hash, verify_pin


def test_hash_is_salted_and_verifies() -> None:
    a, b = hash_pin("2468", iterations=1000), hash_pin("2468", iterations=1000)
    assert a != b and "2468" not in a
    assert is_valid_hash(a)
    assert verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2469", a)
    assert not verify_pin("2468", "2468")


@pytest.mark.parametrize("pin", ["123", "12a4", "", "1234567890123"])
def test_bad_pins_are_refused(pin: str) -> None:
    with pytest.raises(ValueError):
        hash_pin(pin)


def test_guard_locks_after_wrong_tries_and_unlocks_later() -> None:
    now = [1000.0]
    guard = PinGuard(hash_pin("1357", iterations=1000), attempts=3, lockout=60,
                     clock=lambda: now[0])
    assert guard.check("0000") is Verdict.WRONG
    assert guard.check("0000") is Verdict.WRONG
    assert guard.check("0000") is Verdict.LOCKED
    assert guard.check("1357") is Verdict.LOCKED  # even the right PIN, while locked
    assert guard.locked_for() == 60
    now[0] += 61
    assert guard.check("1357") is Verdict.OK


def test_set_value_writes_the_hash_into_an_existing_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# mine\nfullscreen = false\n\n[clinic]\nname = "X"\n', encoding="utf-8")
    stored = hash_pin("8642", iterations=1000)
    set_value(path, "staff_pin_hash", stored)
    set_value(path, "staff_pin_hash", stored)  # twice: replaced, not added
    text = path.read_text(encoding="utf-8")
    assert text.count("staff_pin_hash") == 1 and text.startswith("# mine\n")
    config = load_config(path)
    assert config["staff_pin_hash"] == stored and config.clinic.name == "X"


def test_set_pin_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from kiosk.__main__ import main

    path = tmp_path / "kiosk.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    assert main(["set-pin", "--config", str(path), "--pin-stdin"]) == 0
    assert verify_pin("97531", load_config(path)["staff_pin_hash"])
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["set-pin", "--config", str(path), "--pin-stdin"]) == 1
    assert "4 to 12 digits" in capsys.readouterr().err
