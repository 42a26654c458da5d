"""Usage counts: what is recorded (screens), what never is (answers), and a bad file."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.stats import UsageLog, report, session_bucket, summarise, to_csv


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


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_bad_database_is_set_aside_and_recording_goes_on(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "u.sqlite3"
    first = UsageLog(path)
    for _ in range(200):
        first.record("topic_view", "jaw-and-tmj")
    first.close()
    data = path.read_bytes()
    path.write_bytes(b"this is not a database" * 50 if damage == "garbage"
                     else data[: len(data) // 3])
    usage = UsageLog(path)
    usage.record("call_view")
    assert summarise(usage).counts.get("call_view") == 1
    assert list(tmp_path.glob("u.sqlite3.bad-*"))


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
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# Two visits on one day: a red-flag visit, then an ordinary one.
RED_FLAG_VISIT = [("topic_view", "spinal-fluid-leaks"), ("check_started", ""),
                  ("check_finished", "urgent"), ("call_view", ""), ("idle_reset", ""),
                  ("session_end", "1-3 min")]
SECOND_VISIT = [("language_switch", "es"), ("topic_view", "jaw-and-tmj"),
                ("check_started", ""), ("check_finished", "band 1"),
                ("session_end", "under 1 min")]


def _raw_after(tmp_path: Path, name: str, events: list[tuple[str, str]]) -> dict[str, bytes]:
    """The bytes of every file the usage log leaves, while it is still open."""
    path = tmp_path / name / "usage.sqlite3"
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26))
    for kind, detail in events:
        usage.record(kind, detail)
    usage.flush()
    files = {p.name: p.read_bytes() for p in path.parent.iterdir()
             if not p.name.endswith("-shm")}  # the WAL index: page numbers, no row data
    usage.close()
    return files


def test_the_raw_database_cannot_tell_one_visit_from_another(tmp_path: Path) -> None:
    as_they_came = _raw_after(tmp_path, "a", RED_FLAG_VISIT + SECOND_VISIT)
    # The same events with the visits swapped, and with every event in reverse order:
    swapped = _raw_after(tmp_path, "b", SECOND_VISIT + RED_FLAG_VISIT)
    reversed_ = _raw_after(tmp_path, "c", list(reversed(RED_FLAG_VISIT + SECOND_VISIT)))
    # Interleaved: the urgent result beside the other visit's events.
    mixed = [e for pair in zip(RED_FLAG_VISIT, SECOND_VISIT, strict=False) for e in pair]
    mixed += RED_FLAG_VISIT[len(SECOND_VISIT):]
    interleaved = _raw_after(tmp_path, "d", mixed)
    assert as_they_came["usage.sqlite3"]
    # The database and its WAL are byte for byte the same whatever order the events came
    # in: nothing in them can give an order or group events into a visit.
    assert swapped == as_they_came
    assert reversed_ == as_they_came
    assert interleaved == as_they_came
    assert as_they_came.get("usage.sqlite3-wal", b"") == b""


def test_the_file_holds_counts_per_day_not_events(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite3"
    usage = UsageLog(path, today=lambda: dt.date(2026, 11, 26))
    for kind, detail in RED_FLAG_VISIT + SECOND_VISIT:
        usage.record(kind, detail)
    usage.close()
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rows = db.execute("SELECT day, kind, detail, count FROM counts").fetchall()
    assert tables == {"counts"}
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
    assert tables == {"counts"}
    raw = path.read_bytes() + (tmp_path / "usage.sqlite3-wal").read_bytes() \
        if (tmp_path / "usage.sqlite3-wal").exists() else path.read_bytes()
    assert raw.count(b"SECRET-ORDER-MARK") == 1  # one count row; the old event rows are gone
    assert b"events_day" not in raw
