"""Bytes the usage counts write to disk per 1,000 events, read from outside the process.

Run by hand (not part of the test suite; about 10 s):

    .venv/bin/python bench/disk_writes.py
    .venv/bin/python bench/disk_writes.py --kiosk /path/to/an/older/checkout   # compare

Each case runs in a child process that opens the real ``kiosk.stats.UsageLog``, records
1,000 events (a realistic mix of topics, self-checks, call panel, languages and visit ends)
and shuts it down. The parent reads ``write_bytes`` from the child's ``/proc/PID/io`` (bytes
the child sent towards the storage, counted by the kernel) just after the database was
opened and again after it was closed: the difference is what 1,000 events cost, shutdown
included. Cases: a fresh database and one already holding a year of counts (365 days, 40
rows a day), each with the events written in

- one batch (1,000 events within a minute, then shutdown),
- 60 batches (a busy hour: 1,000 events over 60 minutes, one write a minute),
- 1,000 batches (the worst case: every event in a minute of its own).

Batches are made by ``flush()``, which writes now what would otherwise wait for the minute.
Exits 1 if a case is over its budget (BUDGET_PER_WRITE_KIB for each write it makes, and
BUDGET_DAY_CLOSED_KIB once when it closes a day), 2 if the folder's file system does not
count writes (tmpfs): use --dir on a disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 1000
TODAY = dt.date(2026, 11, 26)
# The budget: 32 KiB per write (a write is one small transaction: a few pages, each once in
# the rollback journal and once in the file), whatever the file already holds, and 32 KiB more
# when a write closes a day (its counts move to the closed days once: the year case's first
# write closes the day before). So 32 KiB for 1,000 events within a minute, 1,920 for a busy
# hour.
BUDGET_PER_WRITE_KIB = 32
BUDGET_DAY_CLOSED_KIB = 32
TOPICS = ["jaw-and-tmj", "spine-injuries", "spinal-fluid-leaks", "muscle-spasms",
          "migraine-basics", "neck-pain", "sleep-and-pain", "nerve-pain", "back-surgery",
          "headache-diary", "medication-overuse", "physical-therapy"]


def events(count: int, seed: int = 17) -> list[tuple[str, str]]:
    """What ``count`` taps on a busy day count, in visits of a few events each."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    while len(out) < count:
        if rng.random() < 0.2:
            out.append(("language_switch", rng.choice(["es", "en"])))
        for _ in range(rng.randint(1, 3)):
            out.append(("topic_view", rng.choice(TOPICS)))
        if rng.random() < 0.5:
            out.append(("check_started", ""))
            if rng.random() < 0.7:
                out.append(("check_finished", rng.choice(["band 1", "band 2", "band 3",
                                                          "urgent"])))
        if rng.random() < 0.3:
            out.append(("call_view", ""))
        if rng.random() < 0.4:
            out.append(("idle_reset", ""))
        out.append(("session_end", rng.choice(["under 1 min", "1-3 min", "3-10 min",
                                               "over 10 min"])))
    return out[:count]


def year_of_counts(path: Path) -> None:
    """A database as a kiosk leaves it after a year: 365 days before TODAY, 40 rows each
    (the layout every version reads: a ``counts`` table keyed by day, kind and detail)."""
    rng = random.Random(365)
    rows = []
    for back in range(365, 0, -1):
        day = (TODAY - dt.timedelta(days=back)).isoformat()
        keys = {(kind, detail) for kind, detail in events(400, seed=back)}
        for kind, detail in sorted(keys)[:40]:
            rows.append((day, kind, detail, rng.randint(1, 60)))
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE counts (day TEXT NOT NULL, kind TEXT NOT NULL, "
                   "detail TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL, "
                   "PRIMARY KEY (day, kind, detail)) WITHOUT ROWID")
        db.executemany("INSERT INTO counts VALUES (?, ?, ?, ?)", rows)
    db.close()


def write_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/io", encoding="ascii") as f:
        for line in f:
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/io has no write_bytes")


def child(path: Path, batches: int) -> None:
    """Runs in the measured process: open, wait, record and shut down, wait."""
    from kiosk.stats import UsageLog

    usage = UsageLog(path, today=lambda: TODAY)
    usage.flush()  # opened (the file checked, an older layout brought up to date)
    print("opened", flush=True)
    sys.stdin.readline()
    todo = events(EVENTS)
    for n, (kind, detail) in enumerate(todo, 1):
        usage.record(kind, detail)
        if batches > 1 and n * batches // len(todo) != (n - 1) * batches // len(todo) \
                and n < len(todo):
            usage.flush()  # a minute has passed
    usage.close()
    print("closed", flush=True)
    sys.stdin.readline()


def measure(folder: Path, kiosk: Path, database: str, batches: int) -> tuple[int, int]:
    """(bytes written opening the database, bytes written by 1,000 events and shutdown)."""
    case = folder / f"{database}-{batches}"
    case.mkdir()
    path = case / "usage.sqlite3"
    if database == "year":
        year_of_counts(path)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(kiosk))
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(path), str(batches)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        if proc.stdout.readline().strip() != "opened":
            raise RuntimeError("the measured process did not start")
        opened = write_bytes(proc.pid)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        if proc.stdout.readline().strip() != "closed":
            raise RuntimeError("the measured process did not finish")
        closed = write_bytes(proc.pid)
        proc.stdin.write("exit\n")
        proc.stdin.flush()
    finally:
        if proc.wait(timeout=600) != 0:
            raise RuntimeError(f"the measured process failed ({proc.returncode})")
    return opened, closed - opened


def counts_writes(folder: Path) -> bool:
    """Does this folder's file system count writes in /proc/PID/io? (tmpfs does not.)"""
    probe = folder / "probe"
    code = (f"import os; f = os.open({str(probe)!r}, os.O_WRONLY | os.O_CREAT); "
            "os.write(f, bytes(65536)); os.fsync(f); print(open('/proc/self/io').read())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    probe.unlink()
    return any(line.startswith("write_bytes:") and int(line.split()[1]) >= 65536
               for line in out.splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosk", type=Path, default=ROOT,
                        help="folder holding the kiosk package to measure (default: this one)")
    parser.add_argument("--dir", type=Path, help="where to make the databases (on a disk; "
                        "default: a temporary folder)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(Path(args.child[0]), int(args.child[1]))
        return 0
    with tempfile.TemporaryDirectory(prefix="usage-writes-", dir=args.dir) as tmp:
        folder = Path(tmp)
        if not counts_writes(folder):
            print(f"{folder}: this file system does not count writes (tmpfs?); use --dir "
                  "with a folder on a disk", file=sys.stderr)
            return 2
        print(f"usage counts: bytes written per {EVENTS:,} events ({args.kiosk})")
        print(f"{'database':<10}{'batches':>8}{'opening KiB':>13}{'events KiB':>12}"
              f"{'per event':>11}{'budget KiB':>12}")
        over = []
        for database in ("fresh", "year"):
            for batches in (1, 60, 1000):
                opened, used = measure(folder, args.kiosk, database, batches)
                budget = BUDGET_PER_WRITE_KIB * batches \
                    + (BUDGET_DAY_CLOSED_KIB if database == "year" else 0)
                mark = "" if used <= budget * 1024 else "  OVER"
                if mark:
                    over.append(f"{database}/{batches}")
                print(f"{database:<10}{batches:>8}{opened / 1024:>13.0f}{used / 1024:>12.0f}"
                      f"{used / EVENTS:>9.0f} B{budget:>12}{mark}")
    if over:
        print(f"over budget: {', '.join(over)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
