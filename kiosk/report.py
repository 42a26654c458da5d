"""A usage report people would rather look at than read: charts with their numbers beside
them, as one self-contained HTML file (no network, no script: inline SVG drawn here), and as
PDF (kiosk/ui/report_pdf.py draws the same charts with Qt).

Made from usage counts (kiosk/fleet.py cells: a kiosk's own database, or merged exports of
many), per kiosk and in total: topics read per week, self-checks started and finished per
week, results by band and danger tier, languages, visits by length. Suppressed cells (small
self-check counts) are said as such, never guessed. Plain Python; the SVG writer is ~40 lines
because a charting library would add megabytes to a kiosk for a few bars.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kiosk.fleet import Cell

BAR = "#0b5cad"
MUTED = "#424a53"


@dataclass(frozen=True)
class Chart:
    title: str
    rows: Sequence[tuple[str, int]]  # label, value
    note: str = ""  # what the numbers leave out (suppressed cells)


def week_of(day: str) -> str:
    """The Monday of a day's week, as "2026-11-30"."""
    date = dt.date.fromisoformat(day)
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def charts(cells: Iterable[Cell]) -> list[Chart]:
    """The report's charts, from count cells (any number of kiosks)."""
    cells = list(cells)

    def summed(kind: str, key: str = "detail") -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for c in cells:
            if c.kind == kind and c.count is not None:
                out[week_of(c.day) if key == "week" else c.detail or "(none)"] += c.count
        return dict(out)

    def hidden(kind: str) -> int:
        return sum(c.kind == kind and c.count is None for c in cells)

    out = [Chart("Topics read, by topic", sorted(summed("topic_view").items(),
                                                 key=lambda kv: (-kv[1], kv[0]))),
           Chart("Topics read, by week (week starting)", sorted(summed("topic_view",
                                                                       "week").items())),
           Chart("Self-checks started, by week", sorted(summed("check_started",
                                                               "week").items()))]
    from kiosk.fleet import FINISHED

    note = (f"{hidden('check_finished')} small count(s) of 1 to 10 at a kiosk on a day are "
            "not shown (suppressed so no patient can be singled out)"
            if hidden("check_finished") else "")
    out.append(Chart("Self-checks finished, by week", sorted(summed(FINISHED, "week").items())))
    results = summed("check_finished")
    named = {"urgent": "danger sign: front desk now", "today": "danger sign: doctor today"}
    out.append(Chart("Self-check results", sorted(
        ((named.get(k, k), v) for k, v in results.items()), key=lambda kv: kv[0]), note))
    out.append(Chart("Language chosen", sorted(summed("language_switch").items())))
    order = ["under 1 min", "1-3 min", "3-10 min", "over 10 min"]
    lengths = summed("session_end")
    out.append(Chart("Visits by length", [(k, lengths.get(k, 0)) for k in order]))
    return out


def svg(chart: Chart, width: int = 640) -> str:
    """A horizontal bar chart with each number beside its bar, as inline SVG."""
    rows = list(chart.rows) or [("(no data)", 0)]
    line, label_w, num_w = 26, 230, 60
    height = line * len(rows) + 8
    most = max((v for _l, v in rows), default=0) or 1
    room = width - label_w - num_w
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(chart.title)}" '
             'font-family="DejaVu Sans, Arial, sans-serif" font-size="13">']
    for i, (name, value) in enumerate(rows):
        y = 4 + i * line
        w = round(room * value / most)
        shown = name if len(name) <= 32 else name[:31] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" '
                     f'fill="{MUTED}">{html.escape(shown)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{line - 8}" '
                     f'fill="{BAR}"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 17}" fill="#1f2328">{value:,}'
                     "</text>")
    parts.append("</svg>")
    return "".join(parts)


def html_report(cells: Iterable[Cell], title: str = "Kiosk usage") -> str:
    """The whole report: totals, then each kiosk, each chart with its numbers."""
    cells = list(cells)
    kiosks = sorted({c.kiosk for c in cells})
    days = sorted({c.day for c in cells})
    span = f"{days[0]} to {days[-1]}" if days else "no days yet"
    sections = [("All kiosks" if len(kiosks) != 1 else f"Kiosk {kiosks[0]}", cells)]
    if len(kiosks) > 1:
        sections += [(f"Kiosk {k}", [c for c in cells if c.kiosk == k]) for k in kiosks]
    body = []
    for heading, group in sections:
        body.append(f"<h2>{html.escape(heading)}</h2>")
        for chart in charts(group):
            body.append(f"<h3>{html.escape(chart.title)}</h3>{svg(chart)}")
            # The same numbers as text: for a screen reader, a search, a copy into a letter.
            body.append('<p class="numbers">' + html.escape(" · ".join(
                f"{name} {value:,}" for name, value in chart.rows) or "no data") + "</p>")
            if chart.note:
                body.append(f'<p class="note">{html.escape(chart.note)}</p>')
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>"
            "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:760px;margin:24px auto;"
            "color:#1f2328}h1{color:#0b3a63}h2{color:#0b3a63;border-bottom:1px solid #d0d7de;"
            "padding-bottom:4px;margin-top:32px}h3{font-size:15px;margin:18px 0 4px}"
            ".note,.meta,.numbers{color:#424a53;font-size:12px}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p class=\"meta\">{len(kiosks)} kiosk(s), {span}. "
            "Counts of screens shown, never anything a patient answered; days only, no times."
            "</p>" + "".join(body) + "</body></html>")
