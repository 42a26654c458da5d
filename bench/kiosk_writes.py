"""Bytes the whole kiosk writes to disk: at start, per idle minute, per patient visit, and
so per busy hour and per day, read from the kernel's count for the process.

Run by hand (not part of the test suite; about 2 minutes):

    .venv/bin/python bench/kiosk_writes.py
    .venv/bin/python bench/kiosk_writes.py --idle 600 --visits 40    # longer

A child process runs the real kiosk (``kiosk.ui.app.build_window`` with the default config:
usage counts on, the log file on, the content store and its index) on Qt's offscreen
platform, in private folders on this disk (not tmpfs), and reads ``write_bytes`` from its
own ``/proc/self/io`` (bytes it caused to be sent towards storage; its threads included)
around each phase:

- start: from before the window is built to 5 s after its first paint (the usage database
  made, the content index written, the log file opened);
- idle: ``--idle`` seconds on the home screen with nobody there (the idle reset to the
  attract screen happens inside it);
- visits: ``--visits`` patients, each waking the kiosk, reading a topic, taking the whole
  self-check (no danger sign), seeing the result and the call panel, and leaving;
- a write of the usage counts those visits made (``flush``, as the kiosk's timer does every
  ``usage_write_minutes``).

A busy hour is 20 visits (a patient every 3 minutes), 60 idle minutes, and the usage writes
the kiosk makes in an hour (60 / usage_write_minutes, at most one a visit); a busy day is 10
busy hours and 14 idle ones; an idle day 1,440 idle minutes. ``--write-minutes`` gives the
figure for another setting (1: the kiosk before issue 24). Exits 1 when a busy day is over
BUDGET_DAY_BYTES (1 MB, issue 24), 2 when the disk does not count writes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_DAY_BYTES = 1_000_000


def written() -> int:
    with open("/proc/self/io", encoding="ascii") as f:
        for line in f:
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    raise OSError("no write_bytes in /proc/self/io")


def child(idle_s: float, visits: int) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from kiosk.config import bundled_content, load_config
    from kiosk.logsetup import open_log_file, setup_logging
    from kiosk.ui.app import build_window

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            time.sleep(0.01)

    folder = Path(os.environ["KIOSK_WRITES_DIR"])
    content = folder / "content"
    shutil.copytree(bundled_content(), content)
    config_file = folder / "kiosk.toml"
    config_file.write_text(f'fullscreen = false\nspeech = false\ncontent = "{content}"\n',
                           encoding="utf-8")
    app = QApplication([sys.argv[0]])
    before = written()
    setup_logging(later=True)
    window = build_window(load_config(config_file))
    window.resize(800, 480)
    window.show()
    pump(1.0)
    open_log_file()
    pump(5.0)
    start = written() - before

    window.go_home()
    pump(1.0)
    before = written()
    pump(idle_s)
    idle = written() - before

    before = written()
    for _ in range(visits):
        window.wake()
        pump(0.2)
        session = window.session
        assert session is not None
        window.open_topic(session.language.topics[0].id)
        pump(0.2)
        window.go_home()
        window.visit.answer_guard = 0.0
        window.start_selfcheck()
        pump(0.2)
        check = window.session.selfcheck if window.session else None
        assert check is not None
        for step, question in enumerate(check.questions):
            window.saw_signs(step)
            window.answer(step, len(question.answers) - 1)
            pump(0.05)
        window.open_call()
        pump(0.2)
        window.reset()
        pump(0.2)
    pump(1.0)
    per_visit = (written() - before) / max(1, visits)
    before = written()
    usage = window.visit.usage
    assert usage is not None and usage.flush()
    per_write = written() - before
    print(json.dumps({"start_bytes": start, "idle_s": idle_s, "idle_bytes": idle,
                      "idle_bytes_per_min": idle * 60 / idle_s, "visits": visits,
                      "bytes_per_visit": per_visit, "bytes_per_usage_write": per_write}))
    window.allow_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--idle", type=float, default=60.0, help="idle seconds (default 60)")
    parser.add_argument("--visits", type=int, default=20, help="patients (default 20)")
    parser.add_argument("--write-minutes", type=int, help="usage_write_minutes to reckon "
                        "with (default: the config's default)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.idle, args.visits)
        return 0
    home = Path(tempfile.mkdtemp(prefix="kiosk-writes-", dir=str(ROOT / "bench")))
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_WRITES_DIR": str(home),
               "XDG_DATA_HOME": str(home / "data"), "XDG_STATE_HOME": str(home / "state"),
               "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}
        run = subprocess.run([sys.executable, __file__, "--child", "--idle", str(args.idle),
                              "--visits", str(args.visits)], env=env, capture_output=True,
                             text=True, timeout=args.idle + 60 * args.visits + 300)
        if run.returncode:
            print(run.stderr[-2000:], file=sys.stderr)
            return 2
        r = json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if r["start_bytes"] == 0 and r["bytes_per_usage_write"] == 0:
        print("this disk counts no writes (tmpfs?); run it on a real disk", file=sys.stderr)
        return 2
    from kiosk.config import Options

    minutes = args.write_minutes or Options.usage_write_minutes.default
    writes = min(20, math.ceil(60 / minutes))
    busy_hour = (20 * r["bytes_per_visit"] + writes * r["bytes_per_usage_write"]
                 + 60 * r["idle_bytes_per_min"])
    idle_hour = 60 * r["idle_bytes_per_min"]
    busy_day = 10 * busy_hour + 14 * idle_hour
    idle_day = 24 * idle_hour
    r.update(busy_hour_bytes=busy_hour, busy_day_bytes=busy_day, idle_day_bytes=idle_day)
    print(f"start (index, usage database, log):  {r['start_bytes'] / 1024:8.1f} KiB")
    idle_min = r["idle_bytes_per_min"] / 1024
    print(f"idle, per minute ({r['idle_s']:.0f} s measured): {idle_min:8.1f} KiB")
    print(f"per patient visit ({r['visits']} measured): {r['bytes_per_visit'] / 1024:8.1f} KiB")
    print(f"per write of the usage counts:       {r['bytes_per_usage_write'] / 1024:8.1f} KiB")
    print(f"busy hour (20 visits, {writes} writes):     {busy_hour / 1024:8.1f} KiB  "
          f"(usage_write_minutes = {minutes})")
    print(f"busy day (10 busy h, 14 idle h):     {busy_day / 1024:8.1f} KiB  "
          f"(budget {BUDGET_DAY_BYTES / 1e6:g} MB)")
    print(f"idle day:                            {idle_day / 1024:8.1f} KiB")
    print(json.dumps(r))
    return 0 if busy_day <= BUDGET_DAY_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
