"""Usage counts that protect privacy: which screens were shown, never what anyone answered.

Recorded, each with only the day it happened: a topic was viewed (its id), a self-check was
started, one was finished (the result band reached, or "urgent" or "today" for a danger
tier; never the answers), the call panel was shown, the language was switched (to which), a
session ended (its length in coarse buckets) and whether it ended by the idle reset. No
times of day, no identifiers, nothing typed or chosen.

Stored as counts, not events: one row per (day, kind, detail) holding how many times it
happened that day. Counts gather in memory and are written at most once an ``interval`` (a
minute by default; the kiosk uses the config's ``usage_write_minutes``, 30) and when the kiosk
closes, in one short transaction, so a tap never touches the disk and a busy hour costs at
most 60 small writes, never a rewrite of the file (no VACUUM in normal running;
bench/disk_writes.py measures the bytes, bench/kiosk_writes.py the whole kiosk's). What the
file's bytes can tell, exactly:

- Within a write, the order is gone: a minute's events are summed in memory first.
- Across writes, the order is gone too: the day still open is in a table of its own
  (``open_day``) that every write empties and refills in key order, with ``secure_delete``
  zeroing what it held; a finished day moves, in key order, to ``closed_days`` once. Both are
  WITHOUT ROWID tables (a rowid would number rows as they came) and the rollback journal is
  truncated to nothing after each write. So the same counts leave byte-for-byte the same
  file whatever order the events came in and however they fell into minutes, except for
  SQLite's two header counters of writes made (offsets 24 and 92): the file says how many
  writes it has had, never in what order anything happened (tests/test_stats.py compares the
  raw files). One limit: when a day's counts outgrow one 4 KiB page (about 80 different
  counts in a day, fewer with long topic ids), which page holds which of that day's rows
  can depend on how its events fell into minutes; the rows inside the pages still come in
  key order.
- Blocks the file system freed (an old journal) are beyond the file and this guarantee.

An older database (one row per event, or a single ``counts`` table) is migrated when opened.
``counts`` is a view of both tables, for anyone reading the file.

A power cut loses at most the counts of the last interval and never corrupts the file (rollback
journal, ``synchronous=FULL``). A database that is locked or busy (a backup, the sqlite3
shell, ``kiosk stats``) is waited for and tried again later, the counts kept in memory
meanwhile; only a file SQLite itself reports as corrupt (SQLITE_CORRUPT, SQLITE_NOTADB, or a
failed quick_check) is set aside and a new one started. Recording never stops the kiosk.
No Qt here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import platformdirs

from kiosk.config import APP_NAME

if TYPE_CHECKING:
    import sqlite3  # imported where a file is opened: the kiosk itself never opens one

log = logging.getLogger(__name__)

DB_FILE = "usage.sqlite3"
KINDS = ("topic_view", "check_started", "check_finished", "call_view", "language_switch",
         "session_end", "idle_reset")
SESSION_BUCKETS = ((60, "under 1 min"), (180, "1-3 min"), (600, "3-10 min"),
                   (float("inf"), "over 10 min"))
INTERVAL = 60.0  # seconds: counts are written at most this often (and at close)
WAIT = 5.0  # seconds to wait for a lock another program holds before trying again later
_SIDE_FILES = ("", "-journal", "-wal", "-shm")
# SQLite's result codes (its C API's, fixed): named here so that telling them apart does
# not import sqlite3.
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
_CORRUPT_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB
WRITER_S = 60.0  # a write by the writer process ends within this (beyond its lock wait)
EXIT_NOT_WRITTEN = 75  # the writer's exit status when the counts were kept, not written
_TABLE = ("(day TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '', "
          "count INTEGER NOT NULL, PRIMARY KEY (day, kind, detail)) WITHOUT ROWID")

Key = tuple[str, str, str]
Row = tuple[str, str, str, int]


def default_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / DB_FILE


def session_bucket(seconds: float) -> str:
    for limit, name in SESSION_BUCKETS:
        if seconds < limit:
            return name
    return SESSION_BUCKETS[-1][1]


class CorruptError(Exception):
    """SQLite's quick_check found damage."""


def is_corrupt(exc: BaseException) -> bool:
    """Whether SQLite itself says the file is damaged or not a database (never a lock, a
    full disk or a permission: those pass, and the file is kept)."""
    if isinstance(exc, CorruptError):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _CORRUPT_CODES


def is_busy(exc: BaseException) -> bool:
    """A lock held by another connection (SQLITE_BUSY, SQLITE_LOCKED)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _BUSY_CODES


def _why(exc: BaseException) -> str:
    name = getattr(exc, "sqlite_errorname", None)
    return f"{name}: {exc}" if name else str(exc)


class CountSource(Protocol):
    def rows(self, since_days: int | None = None) -> list[Row]: ...


class UnreadableError(Exception):
    """The usage file cannot be read now; the message names the file and says why."""


class UsageFile:
    """The counts as another program sees them: opened read-only, so reading never changes
    the file, never sets it aside, and never gets in a running kiosk's way for long."""

    def __init__(self, path: Path | None = None, today: Callable[[], dt.date] = dt.date.today,
                 wait: float = WAIT) -> None:
        self.path = Path(path) if path else default_path()
        self.today = today
        self.wait = wait

    def rows(self, since_days: int | None = None) -> list[Row]:
        """(day, kind, detail, count) rows, oldest first; [] when there is no file yet.
        Raises UnreadableError (a lock held past ``wait``, a damaged file)."""
        import sqlite3

        if not self.path.exists():
            return []
        where, args = "", tuple[str, ...]()
        if since_days is not None:
            where = "WHERE day >= ?"
            args = ((self.today() - dt.timedelta(days=since_days)).isoformat(),)
        try:
            db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True,
                                 timeout=self.wait, isolation_level=None)
        except sqlite3.Error as exc:
            raise UnreadableError(self._message(exc)) from exc
        try:
            names = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master")}
            if "counts" in names:  # the view (or an older version's table)
                query = f"SELECT day, kind, detail, count FROM counts {where}"
            elif "events" in names:  # the oldest layout: one row per event
                query = f"SELECT day, kind, detail, COUNT(*) FROM events {where} " \
                        "GROUP BY day, kind, detail"
            else:
                return []
            found = db.execute(f"{query} ORDER BY day, kind, detail", args).fetchall()
        except sqlite3.Error as exc:
            raise UnreadableError(self._message(exc)) from exc
        finally:
            db.close()
        return [(str(day), str(kind), str(detail), int(count))
                for day, kind, detail, count in found]

    def _message(self, exc: BaseException) -> str:
        if is_busy(exc):
            return (f"{self.path}: the usage counts are locked by another program (a backup, "
                    f"the sqlite3 shell?) and were still locked after {self.wait:g} s; nothing "
                    "was changed, try again in a moment")
        if is_corrupt(exc):
            return (f"{self.path}: this file cannot be read as usage counts ({_why(exc)}); "
                    "nothing was changed: the kiosk sets it aside and starts new counts when "
                    "it next opens it")
        return f"{self.path}: the usage counts cannot be read ({_why(exc)})"


class UsageLog:
    """Day counts of screen events; every method is safe to call and never raises.

    ``record`` only adds to counts in memory. A thread of its own writes them at most every
    ``interval`` seconds (and on ``flush`` and ``close``), waiting up to ``wait`` seconds for
    a lock another program holds; if the file stays locked the counts stay in memory and
    the write is tried again an interval later.
    """

    def __init__(self, path: Path | None = None, retention_days: int = 365,
                 today: Callable[[], dt.date] = dt.date.today, *,
                 interval: float = INTERVAL, wait: float = WAIT,
                 in_child: bool = False, thread: bool = True) -> None:
        self.path = Path(path) if path else default_path()
        # Each write by a short-lived ``python -m kiosk.stats`` (the counts on its stdin):
        # the kiosk then never loads SQLite (about 1.8 MB it would hold for good, issue
        # 24). The writer is this same class, writing in its own process.
        self.in_child = in_child
        self.retention_days = retention_days
        self.today = today
        self.interval = interval
        self.wait = wait
        self.writes = 0  # write transactions committed (for tests and the curious)
        self._db: sqlite3.Connection | None = None
        self._wal = False  # an older file still in WAL mode (another program kept it open)
        self._cond = threading.Condition()
        self._pending: Counter[Key] = Counter()
        self._due: float | None = None  # when the pending counts are to be written
        self._prune = False  # on request and when a day closes (and at open, in _run)
        self._asked = self._answered = 0  # flush requests
        self._closing = False
        self._written = True  # the last write attempt wrote everything it had
        self._trouble = ""  # the last failure logged, so a lock held for an hour logs once
        self._thread = threading.Thread(target=self._run, name="usage-counts", daemon=True)
        if thread:  # (not in the writer process: it writes once, on its own thread)
            self._thread.start()

    # -- what the kiosk calls -------------------------------------------------------------
    def record(self, kind: str, detail: str = "") -> None:
        """Count one event on today's date (in memory; written within ``interval``)."""
        if kind not in KINDS:
            raise ValueError(f"unknown usage event {kind!r}")
        key = (self.today().isoformat(), kind, detail[:64])
        with self._cond:
            self._pending[key] += 1
            if self._due is None:
                self._due = time.monotonic() + self.interval
                self._cond.notify_all()

    def flush(self) -> bool:
        """Write every count recorded so far now; True when they are all in the file (False:
        the file was locked or unwritable, and they are kept in memory for a later try)."""
        with self._cond:
            if not self._thread.is_alive():
                return not self._pending
            self._asked += 1
            mine = self._asked
            self._cond.notify_all()
            while self._answered < mine and self._thread.is_alive():
                self._cond.wait(1.0)
            return self._written

    def prune(self) -> None:
        """Forget counts older than the retention limit."""
        with self._cond:
            self._prune = True
        self.flush()

    def close(self) -> None:
        """Write what is pending (waiting for a lock up to ``wait``), then close the file."""
        if not self._thread.is_alive():
            return
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join()
        with self._cond:
            lost = sum(self._pending.values())
        if lost:
            log.error("usage counts: %d events could not be written to %s before closing",
                      lost, self.path)

    def rows(self, since_days: int | None = None) -> list[Row]:
        """(day, kind, detail, count) rows, oldest first, with any not written yet."""
        self.flush()
        try:
            found = UsageFile(self.path, self.today, self.wait).rows(since_days)
        except UnreadableError as exc:
            log.error("%s", exc)
            found = []
        with self._cond:
            pending = Counter(self._pending)
        if not pending:
            return found
        cutoff = ("" if since_days is None
                  else (self.today() - dt.timedelta(days=since_days)).isoformat())
        merged: Counter[Key] = Counter({(d, k, t): c for d, k, t, c in found})
        merged.update({key: n for key, n in pending.items() if key[0] >= cutoff})
        return [(*key, n) for key, n in sorted(merged.items())]

    # -- the writing thread ---------------------------------------------------------------
    def _run(self) -> None:
        opened = self._write(Counter(), prune=True)  # open and check the file now, not on a tap
        with self._cond:
            self._prune |= not opened
            while True:
                while not (self._closing or self._asked > self._answered
                           or (self._due is not None and time.monotonic() >= self._due)):
                    self._cond.wait(None if self._due is None
                                    else max(0.0, self._due - time.monotonic()))
                asked, closing, prune = self._asked, self._closing, self._prune
                batch, self._pending = self._pending, Counter()
                self._due, self._prune = None, False
                self._cond.release()
                try:
                    written = self._write(batch, prune)
                finally:
                    self._cond.acquire()
                if not written:
                    self._pending.update(batch)
                    self._prune |= prune
                    if self._pending and self._due is None and not closing:
                        self._due = time.monotonic() + self.interval
                self._written = written
                self._answered = asked
                self._cond.notify_all()
                if closing:
                    break
        self._disconnect()

    def write_now(self, batch: Counter[Key], prune: bool) -> bool:
        """Write ``batch`` (and prune) on the calling thread, then close the file: the
        writer process's one job. False (logged) if it could not be done now."""
        try:
            return self._write_here(batch, prune)
        finally:
            self._disconnect()

    def _write(self, batch: Counter[Key], prune: bool) -> bool:
        """Commit ``batch`` (and prune); False (logged) if it could not be done now."""
        if self.in_child:
            return self._write_in_child(batch, prune)
        return self._write_here(batch, prune)

    def _write_in_child(self, batch: Counter[Key], prune: bool) -> bool:
        """The write done by ``python -m kiosk.stats``, on this writing thread; it logs its
        own trouble (to stderr: the journal) and says by its exit status whether the
        counts are in the file. Nothing to write and nothing to prune: no process (a
        quit or a flush with no new counts costs nothing)."""
        if not batch and not prune:
            return True
        job = json.dumps({"counts": [[*key, n] for key, n in sorted(batch.items())],
                          "prune": prune})
        command = [sys.executable, "-m", "kiosk.stats", str(self.path),
                   str(self.retention_days), str(self.wait)]
        try:
            done = subprocess.run(command, input=job, text=True, stdout=subprocess.DEVNULL,
                                  timeout=self.wait + WRITER_S, check=False,
                                  creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except (OSError, subprocess.SubprocessError) as exc:
            trouble = f"the usage counts' writer could not run: {exc}"
            if trouble != self._trouble:
                self._trouble = trouble
                log.error("%s; counts kept in memory, trying again in %g s", trouble,
                          self.interval)
            return False
        if done.returncode == 0:
            self.writes += bool(batch)
            self._trouble = ""
            return True
        if done.returncode != EXIT_NOT_WRITTEN:
            log.error("the usage counts' writer ended with exit status %s; counts kept in "
                      "memory", done.returncode)
        return False

    def _write_here(self, batch: Counter[Key], prune: bool) -> bool:
        """Open the file if need be and commit ``batch``; False (logged) if it could not."""
        import sqlite3

        for attempt in (1, 2):
            try:
                if self._db is None:
                    self._db = self._connect()
                if batch or prune:
                    self._commit(self._db, batch, prune)
            except (sqlite3.Error, OSError, CorruptError) as exc:
                self._disconnect()
                if attempt == 1 and is_corrupt(exc):
                    self._set_aside(exc)
                    continue
                self._report(exc, batch)
                return False
            if self._trouble:
                log.warning("usage counts: %s can be written again", self.path)
                self._trouble = ""
            return True
        return False  # pragma: no cover - the loop returns

    def _report(self, exc: BaseException, batch: Counter[Key]) -> None:
        with self._cond:
            kept = sum(batch.values()) + sum(self._pending.values())
        trouble = _why(exc)
        if trouble == self._trouble:
            return
        self._trouble = trouble
        if is_busy(exc):
            log.warning("usage counts: %s is locked by another program (still after %g s); "
                        "%d counts kept in memory, trying again in %g s", self.path, self.wait,
                        kept, self.interval)
        else:
            log.error("usage counts: %s cannot be written (%s); %d counts kept in memory, "
                      "trying again in %g s", self.path, trouble, kept, self.interval)

    # -- the file ---------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        import sqlite3

        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=self.wait, isolation_level=None,
                             check_same_thread=False)
        try:
            db.execute("PRAGMA secure_delete=ON")  # what a write replaces is zeroed
            if str(db.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
                raise CorruptError("quick_check failed")
            self._wal = False
            try:
                # A rollback journal, emptied after each write: a write goes once to the
                # journal (the old pages) and once to the file; no WAL, no shared-memory file.
                mode = str(db.execute("PRAGMA journal_mode=TRUNCATE").fetchone()[0])
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
                mode = "wal"  # an older file in WAL mode, another program has it open
            if mode == "wal":
                self._wal = True
                log.info("usage counts: %s stays in WAL mode until no other program has it "
                         "open", self.path)
            db.execute(f"PRAGMA synchronous={'NORMAL' if self._wal else 'FULL'}")
            self._migrate(db)
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Make the two tables and the view, turning older layouts into them: one row per
        event (dropped once counted), or one ``counts`` table."""
        names = {str(name): str(kind) for name, kind in
                 db.execute("SELECT name, type FROM sqlite_master")}
        if names.get("open_day") == "table" and names.get("counts") == "view":
            return
        with self._transaction(db):
            db.execute(f"CREATE TABLE IF NOT EXISTS open_day {_TABLE}")
            if names.get("counts") == "table":
                db.execute("ALTER TABLE counts RENAME TO closed_days")
                # Its newest day may still be going on: it becomes the open day.
                newest = db.execute("SELECT MAX(day) FROM closed_days").fetchone()[0]
                db.execute("INSERT INTO open_day SELECT * FROM closed_days WHERE day = ?",
                           (newest,))
                db.execute("DELETE FROM closed_days WHERE day = ?", (newest,))
            db.execute(f"CREATE TABLE IF NOT EXISTS closed_days {_TABLE}")
            if names.get("events") == "table":
                db.execute("INSERT INTO closed_days (day, kind, detail, count) SELECT day, "
                           "kind, detail, COUNT(*) FROM events GROUP BY day, kind, detail "
                           "ORDER BY day, kind, detail ON CONFLICT (day, kind, detail) DO "
                           "UPDATE SET count = count + excluded.count")
                db.execute("DROP TABLE events")
                log.info("usage counts: the per-event table in %s was turned into day counts",
                         self.path)
            db.execute("CREATE VIEW IF NOT EXISTS counts AS SELECT day, kind, detail, "
                       "SUM(count) AS count FROM (SELECT * FROM closed_days UNION ALL "
                       "SELECT * FROM open_day) GROUP BY day, kind, detail")

    @contextlib.contextmanager
    def _transaction(self, db: sqlite3.Connection) -> Iterator[None]:
        import sqlite3

        db.execute("BEGIN IMMEDIATE")
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise
        self.writes += 1
        if self._wal:  # leave no earlier version of a page behind in the WAL
            with contextlib.suppress(sqlite3.Error):
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _commit(self, db: sqlite3.Connection, batch: Counter[Key], prune: bool) -> None:
        """One transaction: the open day rewritten whole in key order with ``batch`` added,
        any earlier day moved to ``closed_days``, and old days pruned."""
        cutoff = (self.today() - dt.timedelta(days=self.retention_days)).isoformat()
        if not batch and not db.execute("SELECT 1 FROM closed_days WHERE day < ? UNION ALL "
                                        "SELECT 1 FROM open_day WHERE day < ?",
                                        (cutoff, cutoff)).fetchone():
            return  # nothing to prune: no transaction, nothing written
        with self._transaction(db):
            if batch:
                counts: Counter[Key] = Counter(
                    {(d, k, t): c for d, k, t, c in db.execute("SELECT * FROM open_day")})
                counts.update(batch)
                newest = max(day for day, _kind, _detail in counts)
                closing = sorted(key for key in counts if key[0] < newest)
                if closing:
                    db.executemany("INSERT INTO closed_days VALUES (?, ?, ?, ?) ON CONFLICT "
                                   "(day, kind, detail) DO UPDATE SET count = count + "
                                   "excluded.count", [(*key, counts[key]) for key in closing])
                    prune = True
                db.execute("DELETE FROM open_day")  # emptied whole: its page zeroed
                db.executemany("INSERT INTO open_day VALUES (?, ?, ?, ?)",
                               [(*key, n) for key, n in sorted(counts.items())
                                if key[0] == newest])
            if prune:
                db.execute("DELETE FROM closed_days WHERE day < ?", (cutoff,))
                db.execute("DELETE FROM open_day WHERE day < ?", (cutoff,))

    def _disconnect(self) -> None:
        if self._db is not None:
            import sqlite3

            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _set_aside(self, exc: BaseException) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in _SIDE_FILES:
            old = self.path.with_name(self.path.name + suffix)
            if old.exists():
                try:
                    old.rename(old.with_name(f"{old.name}.bad-{stamp}"))
                except OSError:
                    log.exception("could not set aside %s", old)
        from kiosk.durable import sync_folder

        with contextlib.suppress(OSError):
            sync_folder(self.path.parent)  # the renames survive a power cut
        log.error("the usage database %s is damaged (%s); it was set aside and a new one "
                  "started", self.path, _why(exc))


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


def summarise(usage: CountSource, since_days: int | None = None) -> Summary:
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


def to_csv(usage: CountSource, since_days: int | None = None) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "event", "detail", "count"])
    writer.writerows(usage.rows(since_days))
    return out.getvalue()


def write_main(argv: list[str]) -> int:
    """``python -m kiosk.stats PATH RETENTION_DAYS WAIT_S``: write the counts on stdin
    (``{"counts": [[day, kind, detail, n], ...], "prune": bool}``) with this module's writer,
    waiting for a lock up to WAIT_S; exit 0 once they are in the file, EXIT_NOT_WRITTEN if
    they could not be written (said on stderr), 2 for a call that is not one."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        path, retention, wait = Path(argv[0]), int(argv[1]), float(argv[2])
        job = json.loads(sys.stdin.read())
        batch: Counter[Key] = Counter()
        for day, kind, detail, n in job["counts"]:
            if kind not in KINDS or not isinstance(n, int) or n < 1:
                raise ValueError(f"not a count: {[day, kind, detail, n]!r}")
            batch[(str(day), kind, str(detail)[:64])] += n
        prune = bool(job.get("prune", False))
    except (IndexError, ValueError, TypeError, KeyError) as exc:
        print(f"usage counts' writer: not a job ({exc})", file=sys.stderr)
        return 2
    usage = UsageLog(path, retention, wait=wait, thread=False)
    return 0 if usage.write_now(batch, prune) else EXIT_NOT_WRITTEN


if __name__ == "__main__":
    sys.exit(write_main(sys.argv[1:]))
