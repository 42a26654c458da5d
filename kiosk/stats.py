"""Usage counts that protect privacy: which screens were shown, never what anyone answered.

Recorded, each with only the day it happened: a topic was viewed (its id), a self-check was
started, one was finished (the result band reached, or "urgent"; never the answers), the
call panel was shown, the language was switched (to which), a session ended (its length in
coarse buckets) and whether it ended by the idle reset. No times of day, no identifiers,
nothing typed or chosen.

SQLite in WAL mode, one short transaction per event: a power cut loses at most the last
events and never corrupts the file. A database that cannot be read is set aside and a new
one started; recording never stops the kiosk. No Qt here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from kiosk.config import APP_NAME

log = logging.getLogger(__name__)

DB_FILE = "usage.sqlite3"
KINDS = ("topic_view", "check_started", "check_finished", "call_view", "language_switch",
         "session_end", "idle_reset")
SESSION_BUCKETS = ((60, "under 1 min"), (180, "1-3 min"), (600, "3-10 min"),
                   (float("inf"), "over 10 min"))


def default_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / DB_FILE


def session_bucket(seconds: float) -> str:
    for limit, name in SESSION_BUCKETS:
        if seconds < limit:
            return name
    return SESSION_BUCKETS[-1][1]


class UsageLog:
    """Append-only counts of screen events; every method is safe to call and never raises."""

    def __init__(self, path: Path | None = None, retention_days: int = 365,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.path = Path(path) if path else default_path()
        self.retention_days = retention_days
        self.today = today
        self.db: sqlite3.Connection | None = None
        self._open()

    # -- opening, and recovering from a bad file --------------------------------
    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            db.close()
            raise sqlite3.DatabaseError("quick_check failed")
        db.execute("CREATE TABLE IF NOT EXISTS events (day TEXT NOT NULL, kind TEXT NOT NULL,"
                   " detail TEXT NOT NULL DEFAULT '')")
        db.execute("CREATE INDEX IF NOT EXISTS events_day ON events (day)")
        return db

    def _open(self) -> None:
        try:
            self.db = self._connect()
        except (sqlite3.Error, OSError) as exc:
            self._set_aside(exc)
            try:
                self.db = self._connect()
            except (sqlite3.Error, OSError):
                log.exception("usage counts are off: %s cannot be opened", self.path)
                self.db = None
                return
        self.prune()

    def _set_aside(self, exc: BaseException) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            old = self.path.with_name(self.path.name + suffix)
            if old.exists():
                try:
                    old.rename(old.with_name(f"{old.name}.bad-{stamp}"))
                except OSError:
                    log.exception("could not set aside %s", old)
        log.error("the usage database %s could not be read (%s); it was set aside and a "
                  "new one started", self.path, exc)

    # -- writing ----------------------------------------------------------------------
    def record(self, kind: str, detail: str = "") -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown usage event {kind!r}")
        if self.db is None:
            return
        try:
            self.db.execute("INSERT INTO events (day, kind, detail) VALUES (?, ?, ?)",
                            (self.today().isoformat(), kind, detail[:64]))
        except sqlite3.DatabaseError as exc:
            self._recover(exc)
        except sqlite3.Error:
            log.exception("could not record a usage count")

    def _recover(self, exc: BaseException) -> None:
        try:
            if self.db is not None:
                self.db.close()
        except sqlite3.Error:
            pass
        self.db = None
        self._set_aside(exc)
        self._open()

    def prune(self) -> None:
        """Forget counts older than the retention limit."""
        if self.db is None:
            return
        cutoff = (self.today() - dt.timedelta(days=self.retention_days)).isoformat()
        try:
            self.db.execute("DELETE FROM events WHERE day < ?", (cutoff,))
        except sqlite3.Error:
            log.exception("could not prune old usage counts")

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None

    # -- reading ----------------------------------------------------------------------
    def rows(self, since_days: int | None = None) -> list[tuple[str, str, str, int]]:
        """(day, kind, detail, count) rows, oldest first."""
        if self.db is None:
            return []
        where, args = "", ()
        if since_days is not None:
            where = "WHERE day >= ?"
            args = ((self.today() - dt.timedelta(days=since_days)).isoformat(),)  # type: ignore[assignment]
        return [tuple(r) for r in self.db.execute(  # type: ignore[misc]
            f"SELECT day, kind, detail, COUNT(*) FROM events {where} "
            "GROUP BY day, kind, detail ORDER BY day, kind, detail", args)]


@dataclass
class Summary:
    days: int | None
    counts: dict[str, int] = field(default_factory=dict)
    topics: list[tuple[str, int]] = field(default_factory=list)
    results: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)
    sessions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def completion(self) -> float | None:
        started = self.counts.get("check_started", 0)
        return self.counts.get("check_finished", 0) / started if started else None

    @property
    def call_rate(self) -> float | None:
        sessions = self.counts.get("session_end", 0)
        return self.counts.get("call_view", 0) / sessions if sessions else None


def summarise(usage: UsageLog, since_days: int | None = None) -> Summary:
    summary = Summary(since_days)
    per: dict[str, dict[str, int]] = {}
    for _day, kind, detail, count in usage.rows(since_days):
        summary.counts[kind] = summary.counts.get(kind, 0) + count
        per.setdefault(kind, {})
        per[kind][detail] = per[kind].get(detail, 0) + count

    def ranked(kind: str) -> list[tuple[str, int]]:
        return sorted(per.get(kind, {}).items(), key=lambda kv: (-kv[1], kv[0]))

    summary.topics = ranked("topic_view")
    summary.results = ranked("check_finished")
    summary.languages = ranked("language_switch")
    order = [name for _limit, name in SESSION_BUCKETS]
    summary.sessions = sorted(per.get("session_end", {}).items(),
                              key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    return summary


def report(summary: Summary) -> str:
    """A table a clinic manager can read."""
    span = f"the last {summary.days} days" if summary.days else "all recorded days"
    c = summary.counts
    lines = [f"Kiosk use over {span}", ""]

    def pct(value: float | None) -> str:
        return f"{value * 100:.0f}%" if value is not None else "-"

    lines += [
        f"  Visits (sessions)            {c.get('session_end', 0):>6}",
        f"  Ended by the idle reset      {c.get('idle_reset', 0):>6}",
        f"  Topic pages read             {c.get('topic_view', 0):>6}",
        f"  Self-checks started          {c.get('check_started', 0):>6}",
        f"  Self-checks finished         {c.get('check_finished', 0):>6}"
        f"   ({pct(summary.completion)} of those started)",
        f"  Call panel shown             {c.get('call_view', 0):>6}"
        f"   ({pct(summary.call_rate)} of visits)",
        "",
    ]
    for title, rows in (("Most-read topics", summary.topics),
                        ("Self-check results (band reached)", summary.results),
                        ("Language switches", summary.languages),
                        ("Visit length", summary.sessions)):
        lines.append(title)
        lines += [f"  {name or '-':<30} {count:>6}" for name, count in rows] or ["  (none)"]
        lines.append("")
    return "\n".join(lines)


def to_csv(usage: UsageLog, since_days: int | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "event", "detail", "count"])
    writer.writerows(usage.rows(since_days))
    return out.getvalue()
