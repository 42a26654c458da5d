"""Usage counts: what is recorded (screens), what never is (answers), and a bad file."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.stats import UsageLog, report, session_bucket, summarise, to_csv
from tests.conftest import imported_by


def test_counts_summary_and_csv(tmp_path: Path) -> None:
    day = [dt.date(2026, 11, 1)]
    usage = UsageLog(tmp_path / "u.sqlite3", today=lambda: day[0])
    for kind, detail in [("topic_view", "jaw-and-tmj"), ("topic_view", "jaw-and-tmj"),
                         ("topic_view", "spine-injuries"), ("check_started", ""),
                         ("check_started", ""), ("check_finished", "band 2"),
                         ("call_view", ""), ("session_end", "1-3 min"),
                         ("session_end", "under 1 min"), ("language_switch", "es")]:
        usage.record(kind, detail)
    summary = summarise(usage)
    assert summary.topics == [("jaw-and-tmj", 2), ("spine-injuries", 1)]
    assert summary.completion == 0.5 and summary.call_rate == 0.5
    text = report(summary)
    assert "Self-checks finished              1   (50% of those started)" in text
    assert "jaw-and-tmj" in text and "band 2" in text
    csv_text = to_csv(usage)
    assert csv_text.splitlines()[0] == "day,event,detail,count"
    assert "2026-11-01,topic_view,jaw-and-tmj,2" in csv_text
    with pytest.raises(ValueError):
        usage.record("answer", "Yes")


def test_retention_and_since(tmp_path: Path) -> None:
    day = [dt.date(2025, 1, 1)]
    usage = UsageLog(tmp_path / "u.sqlite3", retention_days=30, today=lambda: day[0])
    usage.record("call_view")
    day[0] = dt.date(2025, 3, 1)
    usage.record("call_view")
    assert summarise(usage, since_days=7).counts == {"call_view": 1}
    usage.prune()
    assert len(usage.rows()) == 1


def _damaged(data: bytes, damage: str) -> bytes:
    if damage == "garbage":  # SQLITE_NOTADB
        return b"this is not a database" * 50
    if damage == "truncated":  # SQLITE_CORRUPT
        return data[: len(data) // 3]
    # Two cells of a leaf page made to overlap: the file opens and reads without an error,
    # only quick_check finds it ("Multiple uses for byte ...").
    for at in range(4096, len(data), 4096):
        if data[at] == 10 and int.from_bytes(data[at + 3:at + 5], "big") >= 2:
            return data[:at + 10] + data[at + 8:at + 10] + data[at + 12:]
    raise AssertionError("no leaf page with two cells")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "quick_check"])
def test_a_bad_database_is_set_aside_and_recording_goes_on(
        tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "u.sqlite3"
    first = UsageLog(path)
    for n in range(200):
        first.record("topic_view", f"topic-{n}")
    first.close()
    path.write_bytes(_damaged(path.read_bytes(), damage))
    usage = UsageLog(path)
    usage.record("call_view")
    assert summarise(usage).counts == {"call_view": 1}
    usage.close()
    assert list(tmp_path.glob("u.sqlite3.bad-*"))
    assert {"garbage": "SQLITE_NOTADB", "truncated": "SQLITE_CORRUPT",
            "quick_check": "quick_check failed"}[damage] in caplog.text


def _changes(path: Path) -> int:
    """SQLite's file change counter, read from the file's header: one more for every write
    transaction committed (in rollback-journal mode)."""
    with path.open("rb") as f:
        return int.from_bytes(f.read(28)[24:28], "big")


def _file_rows(path: Path) -> list[tuple[str, str, str, int]]:
    """The counts in the file, read by SQLite directly (not through the code under test)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return sorted(db.execute("SELECT day, kind, detail, count FROM counts"))


def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for something another thread does (polled; the limit is only a safety net)."""
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.01)


HISTORY = [("2026-11-23", "topic_view", "jaw-and-tmj", 4), ("2026-11-24", "call_view", "", 2),
           ("2026-11-25", "check_finished", "urgent", 1)]


def _with_history(path: Path) -> None:
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 23))
    for day, kind, detail, count in HISTORY:
        usage.today = lambda day=day: dt.date.fromisoformat(day)
        for _ in range(count):
            usage.record(kind, detail)
        assert usage.flush()
    usage.close()
    assert _file_rows(path) == HISTORY


def _held(path: Path) -> sqlite3.Connection:
    """Another program (a backup, the sqlite3 shell) holding the file's lock."""
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    return locker


def test_a_lock_released_while_waiting_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite3"
    _with_history(path)
    locker = _held(path)
    # Opened while the lock is held: the check of the file waits for it.
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26), interval=3600, wait=120)
    usage.record("call_view")
    flushed: list[bool] = []
    flushing = threading.Thread(target=lambda: flushed.append(usage.flush()))
    flushing.start()
    flushing.join(0.3)
    assert flushing.is_alive()  # waiting for the lock, not giving up on the file
    locker.execute("ROLLBACK")
    locker.close()
    flushing.join()
    assert flushed == [True]
    usage.close()
    assert _file_rows(path) == [*HISTORY, ("2026-11-26", "call_view", "", 1)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u.sqlite3", "u.sqlite3-journal"]


@pytest.mark.parametrize("locked", ["at open", "while running"])
def test_a_lock_held_past_the_wait_sets_nothing_aside_and_keeps_the_counts(
        tmp_path: Path, locked: str, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "u.sqlite3"
    _with_history(path)
    today = lambda: dt.date(2026, 11, 26)  # noqa: E731
    # Tried again every 0.05 s on its own, and at each flush.
    if locked == "at open":
        locker = _held(path)
        usage = UsageLog(path, today=today, interval=0.05, wait=0.05)
    else:
        usage = UsageLog(path, today=today, interval=0.05, wait=0.05)
        assert usage.flush()
        locker = _held(path)
    before = path.read_bytes()
    usage.record("call_view")
    usage.record("topic_view", "jaw-and-tmj")
    assert usage.flush() is False  # still locked after the wait: kept in memory
    assert usage.flush() is False  # and again
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bad-*"))
    assert "is locked by another program" in caplog.text
    assert caplog.text.count("is locked by another program") == 1  # said once, not each try
    locker.execute("ROLLBACK")
    locker.close()
    changes = _changes(path)
    # Tried again on its own: no flush, no new event.
    _until(lambda: _changes(path) > changes, "the counts kept in memory to be written")
    usage.close()
    assert _file_rows(path) == sorted([*HISTORY, ("2026-11-26", "call_view", "", 1),
                                       ("2026-11-26", "topic_view", "jaw-and-tmj", 1)])
    assert not list(tmp_path.glob("*.bad-*"))


def test_events_wait_in_memory_and_go_in_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite3"
    _with_history(path)
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26), interval=3600)
    assert usage.flush()  # opened; nothing to write
    changes = _changes(path)
    for n in range(500):
        usage.record("topic_view", f"topic-{n % 7}")
        if n % 50 == 0:
            time.sleep(0.01)  # time for a writer that does not wait for the minute to write
    usage.record("call_view")
    assert _changes(path) == changes  # nothing written yet (the minute has not passed)
    assert usage.flush()
    assert _changes(path) == changes + 1  # 501 events, one transaction
    usage.close()
    assert _changes(path) == changes + 1  # nothing left to write at close
    assert sum(n for _d, _k, _t, n in _file_rows(path)) == 501 + sum(r[3] for r in HISTORY)


def test_counts_are_written_within_the_interval_on_their_own(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite3"
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26), interval=0.05)
    assert usage.flush()
    changes = _changes(path)
    usage.record("call_view")
    _until(lambda: _changes(path) > changes, "the interval's write")
    assert _file_rows(path) == [("2026-11-26", "call_view", "", 1)]
    usage.close()


def test_closing_writes_what_is_pending(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite3"
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26), interval=3600)
    usage.record("topic_view", "jaw-and-tmj")
    usage.record("session_end", "under 1 min")
    usage.close()
    assert _file_rows(path) == [("2026-11-26", "session_end", "under 1 min", 1),
                                ("2026-11-26", "topic_view", "jaw-and-tmj", 1)]


def test_kiosk_stats_on_a_locked_live_file_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "u.sqlite3"
    kiosk = UsageLog(path, interval=3600)  # the running kiosk
    kiosk.record("topic_view", "spinal-fluid-leaks")
    assert kiosk.flush()
    locker = _held(path)
    names = sorted(p.name for p in tmp_path.iterdir())
    before = path.read_bytes()
    assert main(["stats", "--database", str(path), "--wait", "0.05"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: the usage counts are locked by another program")
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert path.read_bytes() == before
    locker.execute("ROLLBACK")
    locker.close()
    assert main(["stats", "--database", str(path)]) == 0
    assert "spinal-fluid-leaks" in capsys.readouterr().out
    kiosk.record("call_view")  # and the kiosk carries on with its file
    assert kiosk.flush()
    kiosk.close()
    assert ("call_view", 1) in [(k, n) for _d, k, _t, n in _file_rows(path)]


def test_kiosk_stats_on_a_damaged_file_says_so_and_leaves_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "u.sqlite3"
    path.write_bytes(b"this is not a database" * 50)
    assert main(["stats", "--database", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: this file cannot be read as usage counts (SQLITE_NOTADB")
    assert [p.name for p in tmp_path.iterdir()] == ["u.sqlite3"]
    assert main(["stats", "--database", str(tmp_path / "none.sqlite3")]) == 0  # none yet
    assert "Topic pages read                  0" in capsys.readouterr().out
    assert not (tmp_path / "none.sqlite3").exists()


def test_session_buckets() -> None:
    assert session_bucket(5) == "under 1 min"
    assert session_bucket(200) == "3-10 min"
    assert session_bucket(5000) == "over 10 min"


def test_stats_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "u.sqlite3"
    usage = UsageLog(path)
    usage.record("topic_view", "spinal-fluid-leaks")
    usage.close()
    assert main(["stats", "--database", str(path)]) == 0
    assert "spinal-fluid-leaks" in capsys.readouterr().out
    assert main(["stats", "--database", str(path), "--csv", "--since", "30"]) == 0
    assert "topic_view,spinal-fluid-leaks,1" in capsys.readouterr().out
    # A rollback journal, emptied after each write (no WAL keeping older pages, no -shm file).
    assert not path.with_name("u.sqlite3-wal").exists()
    assert path.with_name("u.sqlite3-journal").stat().st_size == 0


# Two visits on one day: a red-flag visit, then an ordinary one.
RED_FLAG_VISIT = [("topic_view", "spinal-fluid-leaks"), ("check_started", ""),
                  ("check_finished", "urgent"), ("call_view", ""), ("idle_reset", ""),
                  ("session_end", "1-3 min")]
SECOND_VISIT = [("language_switch", "es"), ("topic_view", "jaw-and-tmj"),
                ("check_started", ""), ("check_finished", "band 1"),
                ("session_end", "under 1 min")]


Minute = list[tuple[str, str]]
ALL = RED_FLAG_VISIT + SECOND_VISIT
# Interleaved: the urgent result beside the other visit's events.
MIXED = [e for pair in zip(RED_FLAG_VISIT, SECOND_VISIT, strict=False) for e in pair] \
    + RED_FLAG_VISIT[len(SECOND_VISIT):]
YESTERDAY, TODAY = dt.date(2026, 11, 25), dt.date(2026, 11, 26)


def _raw_after(tmp_path: Path, name: str,
               days: list[tuple[dt.date, list[Minute]]]) -> dict[str, bytes]:
    """The bytes of every file the usage log leaves (while it is still open) after each
    day's events, written minute by minute."""
    path = tmp_path / name / "usage.sqlite3"
    day = [YESTERDAY]
    usage = UsageLog(path, today=lambda: day[0], interval=3600)
    for date, minutes in days:
        day[0] = date
        for minute in minutes:
            for kind, detail in minute:
                usage.record(kind, detail)
            assert usage.flush()  # the minute's write
    files = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    usage.close()
    return files


def test_the_raw_database_cannot_tell_one_visit_from_another(tmp_path: Path) -> None:
    # Yesterday and today, two visits each, each visit in a minute of its own:
    as_they_came = _raw_after(tmp_path, "a", [(YESTERDAY, [RED_FLAG_VISIT, SECOND_VISIT]),
                                              (TODAY, [RED_FLAG_VISIT, SECOND_VISIT])])
    # The visits swapped; every event in reverse order, split into minutes elsewhere;
    # the two visits interleaved: the same counts, the same number of writes.
    swapped = _raw_after(tmp_path, "b", [(YESTERDAY, [SECOND_VISIT, RED_FLAG_VISIT]),
                                         (TODAY, [SECOND_VISIT, RED_FLAG_VISIT])])
    backwards = ALL[::-1]
    reversed_ = _raw_after(tmp_path, "c", [(YESTERDAY, [backwards[:3], backwards[3:]]),
                                           (TODAY, [backwards[:8], backwards[8:]])])
    interleaved = _raw_after(tmp_path, "d", [(YESTERDAY, [MIXED[:1], MIXED[1:]]),
                                             (TODAY, [MIXED[:6], MIXED[6:]])])
    assert set(as_they_came) == {"usage.sqlite3", "usage.sqlite3-journal"}
    assert as_they_came["usage.sqlite3-journal"] == b""  # emptied after each write
    # Byte for byte the same, whatever the order and however the events fell into
    # minutes: nothing in the file gives an order or groups events into a visit.
    assert swapped == as_they_came
    assert reversed_ == as_they_came
    assert interleaved == as_they_came
    # More writes (every event in a minute of its own) change only SQLite's two header
    # counters of writes made (offsets 24 and 92), nothing that holds a count.
    one_by_one = _raw_after(tmp_path, "e", [(YESTERDAY, [[e] for e in ALL]),
                                            (TODAY, [[e] for e in ALL])])
    a, b = as_they_came["usage.sqlite3"], one_by_one["usage.sqlite3"]
    assert len(a) == len(b)
    differ = {at for at in range(len(a)) if a[at] != b[at]}
    assert differ and differ <= {*range(24, 28), *range(92, 96)}


def test_the_file_holds_counts_per_day_not_events(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite3"
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26))
    for kind, detail in RED_FLAG_VISIT + SECOND_VISIT:
        usage.record(kind, detail)
    usage.close()
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rows = db.execute("SELECT day, kind, detail, count FROM counts").fetchall()
        views = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='view'")}
    assert tables == {"closed_days", "open_day"} and views == {"counts"}
    assert ("2026-11-26", "check_started", "", 2) in rows
    assert len(rows) == len(set(RED_FLAG_VISIT + SECOND_VISIT))  # check_started: one row
    # No event's text appears twice in the file: it is one count, not a row per event.
    assert path.read_bytes().count(b"check_started") == 1


def test_an_old_per_event_database_is_migrated_to_day_counts(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE events (day TEXT NOT NULL, kind TEXT NOT NULL, "
                   "detail TEXT NOT NULL DEFAULT '')")
        db.execute("CREATE INDEX events_day ON events (day)")
        db.executemany("INSERT INTO events VALUES ('2026-11-25', ?, ?)",
                       RED_FLAG_VISIT + SECOND_VISIT + [("session_end", "SECRET-ORDER-MARK")])
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26))
    usage.record("topic_view", "jaw-and-tmj")
    assert ("2026-11-25", "check_started", "", 2) in usage.rows()
    assert ("2026-11-26", "topic_view", "jaw-and-tmj", 1) in usage.rows()
    assert summarise(usage).counts["session_end"] == 3
    usage.close()
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"closed_days", "open_day"}
    raw = path.read_bytes() + (tmp_path / "usage.sqlite3-wal").read_bytes() \
        if (tmp_path / "usage.sqlite3-wal").exists() else path.read_bytes()
    assert raw.count(b"SECRET-ORDER-MARK") == 1  # one count row; the old event rows are gone
    assert b"events_day" not in raw


def test_a_counts_table_in_wal_mode_as_older_kiosks_kept_it_is_taken_over(
        tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite3"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE counts (day TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT "
                   "NOT NULL DEFAULT '', count INTEGER NOT NULL, PRIMARY KEY (day, kind, "
                   "detail)) WITHOUT ROWID")
        db.executemany("INSERT INTO counts VALUES (?, ?, ?, ?)",
                       [("2026-11-25", "call_view", "", 3), ("2026-11-26", "call_view", "", 2),
                        ("2026-11-26", "topic_view", "jaw-and-tmj", 1)])
    assert main(["stats", "--database", str(path), "--csv"]) == 0  # read as it is
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26))
    usage.record("call_view")
    usage.close()
    assert _file_rows(path) == [("2026-11-25", "call_view", "", 3),
                                ("2026-11-26", "call_view", "", 3),
                                ("2026-11-26", "topic_view", "jaw-and-tmj", 1)]
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
        open_day = db.execute("SELECT day, count FROM open_day WHERE kind = 'call_view'")
        assert open_day.fetchall() == [("2026-11-26", 3)]  # today's counts in one place
    assert not path.with_name("usage.sqlite3-wal").exists()


# -- the kiosk's way: each write made by a short-lived writer process (issue 24) -----------

def test_the_kiosk_writes_through_a_writer_process_and_never_loads_sqlite(
        tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite3"
    code = (f"from kiosk.stats import UsageLog\n"
            f"usage = UsageLog({str(path)!r}, interval=3600, in_child=True)\n"
            f"usage.record('topic_view', 'jaw-and-tmj')\n"
            f"usage.record('topic_view', 'jaw-and-tmj')\n"
            f"usage.record('call_view')\n"
            f"assert usage.flush()\n"
            f"usage.record('session_end', 'under 1 min')\n"
            f"usage.close()\n")
    assert imported_by(code, ("sqlite3", "_sqlite3", "csv")) == []
    today = dt.date.today().isoformat()
    assert _file_rows(path) == [(today, "call_view", "", 1),
                                (today, "session_end", "under 1 min", 1),
                                (today, "topic_view", "jaw-and-tmj", 2)]


def test_a_lock_held_past_the_wait_keeps_the_counts_with_a_writer_process(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "u.sqlite3"
    _with_history(path)
    today = lambda: dt.date(2026, 11, 26)  # noqa: E731
    usage = UsageLog(path, today=today, interval=3600, wait=0.05, in_child=True)
    assert usage.flush()
    # Read before the lock is taken: closing any file of the database in the process that
    # holds its POSIX lock drops the lock (SQLite's own connections know; read_bytes not).
    before = path.read_bytes()
    locker = _held(path)
    usage.record("call_view")
    usage.record("topic_view", "jaw-and-tmj")
    assert usage.flush() is False  # the writer waited for the lock, and said so
    assert "is locked by another program" in capfd.readouterr().err
    locker.execute("ROLLBACK")
    locker.close()
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bad-*"))
    assert usage.flush()  # kept in memory, written now: nothing lost, nothing twice
    usage.close()
    assert _file_rows(path) == sorted([*HISTORY, ("2026-11-26", "call_view", "", 1),
                                       ("2026-11-26", "topic_view", "jaw-and-tmj", 1)])


def test_a_damaged_file_is_set_aside_by_the_writer_process(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "u.sqlite3"
    _with_history(path)
    path.write_bytes(_damaged(path.read_bytes(), "truncated"))
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26), interval=3600, in_child=True)
    usage.record("call_view")
    assert usage.flush()
    usage.close()
    assert list(tmp_path.glob("u.sqlite3.bad-*"))
    assert "SQLITE_CORRUPT" in capfd.readouterr().err
    assert _file_rows(path) == [("2026-11-26", "call_view", "", 1)]


@pytest.mark.parametrize("job", ["not json", '{"counts": [["2026-11-26", "answer", "Yes", 1]]}',
                                 '{"counts": [["2026-11-26", "call_view", "", -3]]}', "{}"])
def test_the_writer_process_refuses_what_is_not_a_count(tmp_path: Path, job: str) -> None:
    """Only the screens' counts can reach the file, whatever is sent to the writer."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "kiosk.stats", str(tmp_path / "u.sqlite3"),
                           "365", "5"], input=job, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2 and "not a job" in done.stderr
    assert not (tmp_path / "u.sqlite3").exists()
