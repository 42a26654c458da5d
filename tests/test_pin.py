"""The staff PIN: salted hashes, and the pad that locks after too many wrong tries."""

from __future__ import annotations

import os
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


def _modes_while_writing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The mode of every file os.open creates, as it is created."""
    import os

    seen: list[int] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        fd = real_open(path, flags, mode)
        if flags & os.O_CREAT:
            seen.append(os.fstat(fd).st_mode & 0o777)
        return fd

    monkeypatch.setattr(os, "open", spy)
    return seen


@pytest.mark.parametrize(("before", "after"), [(None, 0o640), (0o644, 0o640), (0o666, 0o640),
                                               (0o600, 0o600), (0o640, 0o640)])
def test_set_pin_writes_the_file_with_its_final_mode_from_the_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: int | None, after: int) -> None:
    import io
    import os

    from kiosk.__main__ import main

    path = tmp_path / "config.toml"
    if before is not None:
        path.write_text('fullscreen = false\n', encoding="utf-8")
        path.chmod(before)
    old_umask = os.umask(0o022)
    try:
        seen = _modes_while_writing(monkeypatch)
        monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
        assert main(["set-pin", "--config", str(path), "--pin-stdin"]) == 0
    finally:
        os.umask(old_umask)
    assert seen and all(mode & 0o007 == 0 for mode in seen), [oct(m) for m in seen]
    assert path.stat().st_mode & 0o777 == after
    assert not [p for p in tmp_path.iterdir() if p.name != "config.toml"]  # no temp file left


def test_set_pin_on_a_file_that_is_not_utf8_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from kiosk.__main__ import main

    path = tmp_path / "config.toml"
    path.write_bytes(b'[clinic]\nname = "Cl\xe9nica"\n')
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    assert main(["set-pin", "--config", str(path), "--pin-stdin"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:2: not UTF-8 text") and "Traceback" not in err


def _guard(state: Path, now: list[float], wall: list[float]) -> PinGuard:
    return PinGuard(hash_pin("1357", iterations=1000), attempts=3, lockout=60,
                    clock=lambda: now[0], state_path=state, wall=lambda: wall[0])


def test_the_lockout_survives_a_restart_and_doubles_each_time(tmp_path: Path) -> None:
    import json

    state = tmp_path / "state" / "pin-lockout.json"
    now, wall = [100.0], [1_800_000_000.0]
    guard = _guard(state, now, wall)
    guard.check("0000")
    guard.check("0000")
    # A restart between misses does not start the count again.
    now[0] = 5.0  # a new process: its monotonic clock means nothing to the last one
    guard = _guard(state, now, wall)
    assert guard.check("0000") is Verdict.LOCKED
    assert guard.locked_for() == 60
    # Restarting while locked keeps the pad locked for the time left.
    wall[0] += 20
    now[0] = 7.0
    guard = _guard(state, now, wall)
    assert guard.check("1357") is Verdict.LOCKED
    assert guard.locked_for() == pytest.approx(40, abs=0.2)
    # The next lockout is twice as long, and the one after that twice again.
    for lockout in (120, 240):
        now[0] += 1000
        wall[0] += 1000
        for _ in range(3):
            verdict = guard.check("0000")
        assert verdict is Verdict.LOCKED and guard.locked_for() == lockout
    # The file holds only counts and a time: no PIN, no hash.
    data = json.loads(state.read_text(encoding="utf-8"))
    assert set(data) == {"misses", "lockouts", "unlock_at"}
    assert "1357" not in state.read_text() and "pbkdf2" not in state.read_text()
    assert state.stat().st_mode & 0o777 == 0o600
    # The right PIN, once unlocked, starts the lockouts from the beginning.
    now[0] += 1000
    wall[0] += 1000
    assert guard.check("1357") is Verdict.OK
    assert guard.next_lockout() == 60
    assert json.loads(state.read_text())["lockouts"] == 0


def test_lockouts_stop_growing_at_a_day_and_a_clock_set_back_cannot_lengthen_one(
        tmp_path: Path) -> None:
    import json

    from kiosk.pin import MAX_LOCKOUT

    state = tmp_path / "pin-lockout.json"
    now, wall = [0.0], [1_800_000_000.0]
    guard = _guard(state, now, wall)
    guard.lockouts = 40
    assert guard.next_lockout() == MAX_LOCKOUT
    state.write_text(json.dumps({"misses": 0, "lockouts": 1, "unlock_at": wall[0] + 10**9}))
    guard = _guard(state, now, wall)
    assert guard.locked_for() == 60  # at most as long as the last lockout was


@pytest.mark.parametrize("damage", ["not json", '{"misses": "x"}', "[]"])
def test_a_damaged_state_file_is_not_a_crash(tmp_path: Path, damage: str) -> None:
    state = tmp_path / "pin-lockout.json"
    state.write_text(damage)
    guard = _guard(state, [0.0], [1.0])
    assert guard.check("1357") is Verdict.OK


def test_without_a_state_path_nothing_is_written(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    guard = PinGuard(hash_pin("1357", iterations=1000), attempts=1, lockout=60)
    assert guard.check("0000") is Verdict.LOCKED
    assert list(tmp_path.iterdir()) == []


def test_the_default_state_path_is_in_the_platforms_state_folder() -> None:
    from kiosk.pin import default_state_path

    path = default_state_path()
    assert path.name == "pin-lockout.json" and "clinic-kiosk" in str(path)


def _syncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What reaches the disk, in order: a file synced, a rename, a folder synced."""
    import os
    import stat

    seen: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        seen.append("sync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "sync file")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        seen.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return seen


@pytest.mark.skipif(os.name != "posix", reason="only POSIX can sync a folder")
def test_the_lockout_file_survives_a_power_cut(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "pin-lockout.json"
    guard = _guard(state, [0.0], [1.0])
    seen = _syncs(monkeypatch)
    assert guard.check("0000") is Verdict.WRONG
    # The new file's bytes on disk before it takes the old one's place, then the rename.
    assert seen == ["sync file", "replace", "sync folder"]


@pytest.mark.skipif(os.name != "posix", reason="only POSIX can sync a folder")
def test_set_pin_survives_a_power_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from kiosk.__main__ import main

    path = tmp_path / "config.toml"
    path.write_text("fullscreen = false\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    seen = _syncs(monkeypatch)
    assert main(["set-pin", "--config", str(path), "--pin-stdin"]) == 0
    assert seen == ["sync file", "replace", "sync folder"]
    assert verify_pin("97531", load_config(path)["staff_pin_hash"])
