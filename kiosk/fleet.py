"""Usage counts that leave a kiosk: an export with the kiosk's id, merged across kiosks.

An export is a CSV of per-day counts, one row per (kiosk, day, kind, detail): no time finer
than a day, nothing a patient chose beyond what kiosk/stats.py keeps. Before anything leaves
the kiosk, small counts of self-check results are suppressed (the small-cell rule): a
result (a band, or a danger tier) seen 1 to ``SMALL_CELL`` times at one kiosk on one day is
written as suppressed, with no number, so no export can single out a patient ("the one
person at the lobby kiosk on Tuesday had a danger sign"). Zero is not written at all.

Merging is a plain union keyed by (kiosk, day, kind, detail), keeping the larger count (a
day's counts only grow), so the same export merged twice, or yesterday's and today's export
of one kiosk, count once. Plain Python.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.stats import CountSource

HEADER = ["kiosk", "day", "kind", "detail", "count", "suppressed"]
SMALL_CELL = 10  # results counted 1..10 times at a kiosk on a day are not exported
SENSITIVE_KINDS = frozenset({"check_finished"})  # what a self-check ended at
FINISHED = "check_finished_any"  # a day's finished self-checks, whatever the result


@dataclass(frozen=True)
class Cell:
    kiosk: str
    day: str
    kind: str
    detail: str
    count: int | None  # None: suppressed (between 1 and SMALL_CELL)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kiosk, self.day, self.kind, self.detail)


def cells(kiosk: str, usage: CountSource, since_days: int | None = None) -> list[Cell]:
    """A kiosk's counts as exportable cells, small result counts suppressed."""
    out = []
    finished: dict[str, int] = {}
    for day, kind, detail, count in usage.rows(since_days):
        if count <= 0:
            continue
        small = kind in SENSITIVE_KINDS and count <= SMALL_CELL
        out.append(Cell(kiosk, day, kind, detail, None if small else count))
        if kind == "check_finished":
            finished[day] = finished.get(day, 0) + count
    # How many self-checks were finished each day, whatever they ended at: no result in it,
    # so it is never suppressed, and the report can say how many were finished.
    out += [Cell(kiosk, day, FINISHED, "", n) for day, n in sorted(finished.items())]
    return out


def to_csv(rows: Iterable[Cell]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for c in sorted(rows, key=lambda c: c.key):
        writer.writerow([c.kiosk, c.day, c.kind, c.detail,
                         "" if c.count is None else c.count,
                         f"1-{SMALL_CELL}" if c.count is None else ""])
    return out.getvalue()


class ExportError(Exception):
    """A file that is not a kiosk export, named with its line."""


def read_csv(path: Path) -> list[Cell]:
    text = Path(path).read_text("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != HEADER:
        raise ExportError(f"{path}:1: not a kiosk usage export (its first line should be "
                          f"{','.join(HEADER)})")
    out = []
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(HEADER):
            raise ExportError(f"{path}:{line}: has {len(row)} fields, not {len(HEADER)}")
        kiosk, day, kind, detail, count, suppressed = row
        if len(day) != 10 or day[4] != "-" or day[7] != "-":
            raise ExportError(f"{path}:{line}: '{day}' is not a day (YYYY-MM-DD)")
        try:
            number = None if suppressed else int(count)
        except ValueError:
            raise ExportError(f"{path}:{line}: the count '{count}' is not a whole number") \
                from None
        out.append(Cell(kiosk, day, kind, detail, number))
    return out


def merge(groups: Iterable[Iterable[Cell]]) -> list[Cell]:
    """The union of exports: per (kiosk, day, kind, detail) the larger count; a number wins
    over a suppressed cell only when it is above the small-cell limit."""
    best: dict[tuple[str, str, str, str], Cell] = {}
    for group in groups:
        for cell in group:
            old = best.get(cell.key)
            if old is None or (cell.count or 0) > (old.count or 0):
                best[cell.key] = cell
    return list(best.values())


def totals(merged: Iterable[Cell]) -> dict[tuple[str, str], tuple[int, int]]:
    """Per (kind, detail): the sum of the numbers, and how many cells were suppressed."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for cell in merged:
        total, hidden = out.get((cell.kind, cell.detail), (0, 0))
        out[(cell.kind, cell.detail)] = (total + (cell.count or 0),
                                         hidden + (cell.count is None))
    return out
