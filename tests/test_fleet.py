"""Usage counts across kiosks (issue 21): exports with each kiosk's id, small self-check
counts suppressed before anything leaves a kiosk, a merge that counts a repeated export once,
and no time finer than a day."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from kiosk import fleet
from kiosk.__main__ import main
from kiosk.stats import UsageFile, UsageLog

DAY1, DAY2 = dt.date(2026, 12, 1), dt.date(2026, 12, 2)


def kiosk_db(path: Path, days: dict[dt.date, list[tuple[str, str, int]]]) -> Path:
    """A kiosk's usage database, filled as the kiosk fills it."""
    for day, events in days.items():
        log = UsageLog(path, today=lambda d=day: d, interval=3600)
        for kind, detail, times in events:
            for _ in range(times):
                log.record(kind, detail)
        log.close()
    return path


@pytest.fixture
def three_kiosks(tmp_path: Path) -> list[Path]:
    return [
        kiosk_db(tmp_path / "lobby.sqlite3", {
            DAY1: [("topic_view", "jaw-and-tmj", 30), ("check_finished", "band 1", 14),
                   ("check_finished", "urgent", 2)],
            DAY2: [("topic_view", "jaw-and-tmj", 5), ("check_finished", "band 1", 11)]}),
        kiosk_db(tmp_path / "east.sqlite3", {
            DAY1: [("topic_view", "jaw-and-tmj", 12), ("check_finished", "today", 12),
                   ("check_finished", "band 2", 3)]}),
        kiosk_db(tmp_path / "west.sqlite3", {
            DAY2: [("topic_view", "muscle-spasms", 7), ("language_switch", "es", 4)]}),
    ]


def export(tmp_path: Path, db: Path, kiosk: str) -> Path:
    config = tmp_path / f"{kiosk}.toml"
    config.write_text(f'kiosk_id = "{kiosk}"\n', "utf-8")
    out = tmp_path / f"{kiosk}.csv"
    assert main(["stats", "--database", str(db), "--export", str(out),
                 "--config", str(config)]) == 0
    return out


def test_three_kiosks_merge_to_the_right_totals_and_a_repeat_counts_once(
        tmp_path: Path, three_kiosks: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    files = [export(tmp_path, db, name) for db, name in zip(three_kiosks,
                                                            ["lobby", "east", "west"],
                                                            strict=True)]
    merged_file = tmp_path / "all.csv"
    # The lobby's export fetched twice, as a playbook run twice does.
    assert main(["stats", "--merge", *map(str, files), str(files[0]), "-o",
                 str(merged_file)]) == 0
    assert "merged 4 export(s): 3 kiosk(s)" in capsys.readouterr().err
    merged = fleet.read_csv(merged_file)
    totals = fleet.totals(merged)
    assert totals[("topic_view", "jaw-and-tmj")] == (47, 0)
    assert totals[("topic_view", "muscle-spasms")] == (7, 0)
    assert totals[("check_finished", "band 1")] == (25, 0)  # 14 and 11: above the limit
    assert totals[("check_finished_any", "")] == (42, 0)  # 16 + 11 + 15, whatever the result
    assert totals[("check_finished", "today")] == (12, 0)
    # 2 danger results at the lobby and 3 band-2 results in the east: never a number.
    assert totals[("check_finished", "urgent")] == (0, 1)
    assert totals[("check_finished", "band 2")] == (0, 1)
    assert {c.kiosk for c in merged} == {"lobby", "east", "west"}


def test_what_leaves_a_kiosk_has_days_only_and_no_small_result_counts(
        tmp_path: Path, three_kiosks: list[Path]) -> None:
    out = export(tmp_path, three_kiosks[0], "lobby")
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0] == fleet.HEADER
    for kiosk, day, kind, _detail, count, suppressed in rows[1:]:
        assert kiosk == "lobby"
        assert dt.date.fromisoformat(day) in (DAY1, DAY2) and len(day) == 10  # a day, no time
        if kind == "check_finished" and suppressed:
            assert count == "" and suppressed == "1-10"
        else:
            assert int(count) > 0 and not (kind == "check_finished" and int(count) <= 10)
    assert ["lobby", "2026-12-01", "check_finished", "urgent", "", "1-10"] in rows


def test_a_later_export_of_the_same_day_replaces_the_earlier_count(tmp_path: Path) -> None:
    db = tmp_path / "k.sqlite3"
    kiosk_db(db, {DAY1: [("topic_view", "jaw-and-tmj", 3)]})
    early = fleet.cells("k", UsageFile(db))
    kiosk_db(db, {DAY1: [("topic_view", "jaw-and-tmj", 2)]})  # the day went on
    late = fleet.cells("k", UsageFile(db))
    assert fleet.totals(fleet.merge([early, late, early]))[("topic_view", "jaw-and-tmj")] \
        == (5, 0)


def test_a_file_that_is_not_an_export_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("day,event,detail,count\n2026-12-01,topic_view,x,3\n", "utf-8")
    with pytest.raises(fleet.ExportError, match=f"{bad}:1: not a kiosk usage export"):
        fleet.read_csv(bad)
    bad.write_text(",".join(fleet.HEADER) + "\nk,2026-12-01 10:31,topic_view,x,3,\n", "utf-8")
    with pytest.raises(fleet.ExportError, match=f"{bad}:2: '2026-12-01 10:31' is not a day"):
        fleet.read_csv(bad)
