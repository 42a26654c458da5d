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
