"""Usage counts that protect privacy: which screens were shown, never what anyone answered.

Recorded, each with only the day it happened: a topic was viewed (its id), a self-check was
started, one was finished (the result band reached, or "urgent"; never the answers), the
call panel was shown, the language was switched (to which), a session ended (its length in
coarse buckets) and whether it ended by the idle reset. No times of day, no identifiers,
nothing typed or chosen.

Stored as counts, not events: one row per (day, kind, detail) holding how many times it
happened that day, so nothing in the file gives an order or groups events into a visit. After
each event the file is rebuilt in key order (VACUUM) and the WAL emptied, so its bytes are the
same whatever order the day's events came in (tests/test_stats.py checks the raw bytes). An
older database of one row per event is migrated to day counts and its events are dropped.

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
from concurrent.futures import ThreadPoolExecutor
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
    """Day counts of screen events; every method is safe to call and never raises.

    The file is written on a thread of its own (rebuilding it takes a few ms on a PC, more
    on an SD card), so ``record`` never holds up a tap; reading waits for pending writes.
    """

    def __init__(self, path: Path | None = None, retention_days: int = 365,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.path = Path(path) if path else default_path()
        self.retention_days = retention_days
        self.today = today
        self.db: sqlite3.Connection | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="usage-counts")
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
        db.execute("PRAGMA secure_delete=ON")  # freed space is zeroed, not left readable
        # WITHOUT ROWID: rows live in key order; a rowid would number them as they came.
        db.execute("CREATE TABLE IF NOT EXISTS counts (day TEXT NOT NULL, kind TEXT NOT NULL, "
                   "detail TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL, "
                   "PRIMARY KEY (day, kind, detail)) WITHOUT ROWID")
        self._migrate(db)
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        """An older database kept one row per event, in the order they happened: turn it into
        day counts and drop it, leaving no trace of the order in the file."""
        old = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'")
        if old.fetchone() is None:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("INSERT INTO counts (day, kind, detail, count) SELECT day, kind, detail, "
                       "COUNT(*) FROM events GROUP BY day, kind, detail ORDER BY day, kind, "
                       "detail ON CONFLICT (day, kind, detail) DO UPDATE SET "
                       "count = count + excluded.count")
            db.execute("DROP TABLE events")
            db.execute("COMMIT")
        except sqlite3.Error:
            db.execute("ROLLBACK")
            raise
        log.info("usage counts: the per-event table in %s was turned into day counts", self.path)
        self._settle(db)

    @staticmethod
    def _settle(db: sqlite3.Connection) -> None:
        """Rebuild the file in key order and empty the WAL: what is on disk then depends only
        on the counts, never on the order of the writes that made them."""
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

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
        self._prune()

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
        """Count one event on today's date (written in the background)."""
        if kind not in KINDS:
            raise ValueError(f"unknown usage event {kind!r}")
        try:
            self._writer.submit(self._write, self.today().isoformat(), kind, detail[:64])
        except RuntimeError:  # closed
            pass

    def flush(self) -> None:
        """Wait until every event recorded so far is in the file."""
        try:
            self._writer.submit(lambda: None).result()
        except RuntimeError:  # closed: nothing is pending
            pass

    def _write(self, day: str, kind: str, detail: str) -> None:
        if self.db is None:
            return
        try:
            self.db.execute("INSERT INTO counts (day, kind, detail, count) VALUES (?, ?, ?, 1) "
                            "ON CONFLICT (day, kind, detail) DO UPDATE SET count = count + 1",
                            (day, kind, detail))
            self._settle(self.db)
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
        try:
            self._writer.submit(self._prune).result()
        except RuntimeError:  # closed
            pass

    def _prune(self) -> None:
        if self.db is None:
            return
        cutoff = (self.today() - dt.timedelta(days=self.retention_days)).isoformat()
        try:
            if self.db.execute("DELETE FROM counts WHERE day < ?", (cutoff,)).rowcount:
                self._settle(self.db)
        except sqlite3.Error:
            log.exception("could not prune old usage counts")

    def close(self) -> None:
        """Write what is pending, then close the file."""
        self.flush()
        self._writer.shutdown(wait=True)
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None

    # -- reading ----------------------------------------------------------------------
    def rows(self, since_days: int | None = None) -> list[tuple[str, str, str, int]]:
        """(day, kind, detail, count) rows, oldest first."""
        self.flush()
        if self.db is None:
            return []
        where: str = ""
        args: tuple[str, ...] = ()
        if since_days is not None:
            where = "WHERE day >= ?"
            args = ((self.today() - dt.timedelta(days=since_days)).isoformat(),)
        try:
            found = self.db.execute(f"SELECT day, kind, detail, count FROM counts {where} "
                                    "ORDER BY day, kind, detail", args).fetchall()
        except sqlite3.Error:
            log.exception("could not read the usage counts")
            return []
        return [(str(day), str(kind), str(detail), int(count))
                for day, kind, detail, count in found]


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
