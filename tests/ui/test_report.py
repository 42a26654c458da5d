"""The usage report (issue 21): one self-contained HTML file and a PDF, charts with their
numbers beside them, per kiosk and in total, from merged exports."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import fleet
from kiosk.__main__ import main
from kiosk.report import charts


def cells() -> list[fleet.Cell]:
    rows = [("lobby", "2026-11-30", "topic_view", "jaw-and-tmj", 31),
            ("lobby", "2026-12-01", "topic_view", "jaw-and-tmj", 12),
            ("east", "2026-12-02", "topic_view", "muscle-spasms", 7),
            ("lobby", "2026-12-01", "check_started", "", 15),
            ("lobby", "2026-12-01", "check_finished", "band 1", 12),
            ("lobby", "2026-12-01", "check_finished", "urgent", None),
            ("lobby", "2026-12-01", "check_finished_any", "", 14),
            ("east", "2026-12-02", "language_switch", "es", 9),
            ("east", "2026-12-02", "session_end", "1-3 min", 20)]
    return [fleet.Cell(*row) for row in rows]


def test_the_charts_add_up_by_week_and_say_what_was_suppressed() -> None:
    got = {c.title: (dict(c.rows), c.note) for c in charts(cells())}
    assert got["Topics read, by topic"][0] == {"jaw-and-tmj": 43, "muscle-spasms": 7}
    assert got["Topics read, by week (week starting)"][0] == {"2026-11-30": 50}
    assert got["Self-checks finished, by week"][0] == {"2026-11-30": 14}
    results, note = got["Self-check results"]
    assert results == {"band 1": 12} and note.startswith("1 small count(s) of 1 to 10")
    assert got["Visits by length"][0]["1-3 min"] == 20


def test_html_is_one_file_that_needs_no_network(tmp_path: Path) -> None:
    export = tmp_path / "all.csv"
    export.write_text(fleet.to_csv(cells()), "utf-8")
    out = tmp_path / "report.html"
    assert main(["report", str(export), "-o", str(out)]) == 0
    page = out.read_text("utf-8")
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * \
        page.count("<svg")
    for text in ("All kiosks", "Kiosk east", "Kiosk lobby", ">43<", ">14<", "2 kiosk(s)"):
        assert text in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_the_pdf_holds_the_same_charts_and_numbers(qtbot: QtBot, tmp_path: Path) -> None:
    export = tmp_path / "all.csv"
    export.write_text(fleet.to_csv(cells()), "utf-8")
    out = tmp_path / "report.pdf"
    assert main(["report", str(export), "-o", str(out)]) == 0
    text = unicodedata.normalize("NFKC", subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True,
        timeout=60).stdout)  # "ﬁ" is "fi"
    for words in ("Kiosk usage", "Topics read, by topic", "jaw-and-tmj 43 · muscle-spasms 7",
                  "Self-checks finished, by week", "Kiosk east", "Visits by length"):
        assert words in text, words


def test_the_staff_panel_shows_the_last_30_days(qtbot: QtBot, open_window) -> None:
    from tests.ui.conftest import configured

    window = open_window(configured(record_usage=True), size=(800, 480))
    qtbot.waitUntil(lambda: window.visit.usage is not None, timeout=60_000)
    for topic in ("jaw-and-tmj", "muscle-spasms", "jaw-and-tmj"):
        window.open_topic(topic)
        window.go_home()
    window.start_selfcheck()
    window.open_staff_panel()
    chart = window.staff.panel.chart
    assert chart.isVisible()  # its room is kept at once; the counts come from a worker
    qtbot.waitUntil(lambda: bool(chart.accessibleName()), timeout=60_000)
    assert chart.accessibleName() == ("The last 30 days: Topics read 3, Self-checks started 1, "
                                      "Self-checks finished 0, Visits 0")
    assert not chart.pixmap().isNull()
    assert chart.pixmap().width() / chart.pixmap().devicePixelRatio() <= 800
