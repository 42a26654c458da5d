"""The start on a Raspberry Pi-class machine, emulated: the kiosk and the floor
(bench/bare_window.py) on arm64 Python 3.11 with PySide6-Essentials 6.8.0.2's aarch64
wheels (what Raspberry Pi OS gets), run under qemu-aarch64 user emulation on this machine.

Counted, as bench.py counts on the host: guest (arm64) instructions from process start to
the first paint (KIOSK_REPORT_READY=quit), by bench/arm64/icount.c, a qemu plugin; exact
and repeatable, and the ratio holds across machines better than any time. Also the wall
time to the first paint under emulation, which is not a Pi's time: emulation slows code
unevenly.

    sh bench/arm64/setup.sh [DIR]                 (once, as root: the arm64 root, wheels,
                                                   and the counter)
    .venv/bin/python bench/arm64/count.py [DIR] [--runs N] [--idle SECONDS]

With ``--idle``, also the idle measures of bench.py, emulated: the kiosk left on home and
on the attract screen, its process tree's CPU time and wake-ups read from outside over the
window given (after it settled: its pages read or rendered, the attract screen reached).
The process measured is qemu running the kiosk, so its CPU time is the emulated kiosk's
plus the emulator's own, and its threads are the emulator's too.

The kiosk measured is this checkout's ``kiosk`` package, copied and compiled by the arm64
Python, with its content index written first, as bench.py does; DEPLOYED settings.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import bench as host  # noqa: E402 - bench/bench.py: the same config, display and stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", default="/tmp/kiosk-arm64", type=Path,
                        help="what bench/arm64/setup.sh made")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=0,
                        help="also measure idle CPU over this many seconds per screen")
    parser.add_argument("--settle", type=float, default=60,
                        help="seconds to let the emulated kiosk settle before --idle")
    args = parser.parse_args()
    a: Path = args.dir.resolve()
    root, plugin = a / "root", a / "libicount.so"
    for needed in (root / "usr/bin/python3.11", plugin, a / "site"):
        if not needed.exists():
            print(f"missing {needed}: run bench/arm64/setup.sh {a} first", file=sys.stderr)
            return 2
    server, env = host.start_display(offscreen=False)
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-arm64-") as t:
            out = measure(a, Path(t), env, args.runs)
            if args.idle:
                out["idle"] = idle(a, Path(t), env, args.idle, args.settle)
            print(json.dumps(out, indent=2))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    return 0


def measure(a: Path, tmp: Path, env: dict[str, str], runs: int) -> dict[str, object]:
    root = a / "root"
    python = [str(root / "usr/bin/python3.11")]
    proj = tmp / "proj"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "results*.json")
    shutil.copytree(ROOT / "kiosk", proj / "kiosk", ignore=skip)
    shutil.copytree(BENCH, proj / "bench", ignore=skip)
    shutil.copytree(proj / "kiosk" / "content", tmp / "content")
    env = host.isolated_env({**env, "QEMU_LD_PREFIX": str(root),
                             "PYTHONPATH": f"{a / 'site'}:{proj}"}, tmp)
    emulated = ["qemu-aarch64-static", "-L", str(root)]
    subprocess.run([*emulated, *python, "-m", "compileall", "-q", str(proj)], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    config = host.write_config(tmp, **{**host.DEPLOYED, "content": str(tmp / "content")})
    programs = {"bare": ["-m", "bare_window", str(tmp / "content" / "en")],
                "kiosk": ["-m", "kiosk", "--config", str(config)]}
    warm(emulated + python + programs["kiosk"], env, tmp, proj)
    counts: dict[str, list[int]] = {"bare": [], "kiosk": []}
    times: dict[str, list[float]] = {"bare": [], "kiosk": []}
    for _ in range(runs):
        for name, program in programs.items():  # interleaved: the same conditions
            log = tmp / f"count-{name}.txt"
            log.unlink(missing_ok=True)
            counted = ["qemu-aarch64", "-L", str(root), "-plugin",
                       f"{a / 'libicount.so'},out={log}", *python, *program]
            ready(counted, env, proj)
            mains = [line for line in log.read_text().splitlines() if line.startswith("main ")]
            counts[name].append(int(mains[0].split()[1]))
            times[name].append(ready(emulated + python + program, env, proj))
    bare, kiosk = (statistics.median(counts[n]) for n in ("bare", "kiosk"))
    bare_ms, kiosk_ms = (statistics.median(times[n]) for n in ("bare", "kiosk"))
    return {"arch": "aarch64 under qemu-aarch64 user emulation (not a device)",
            "pyside6": "6.8.0.2", "bare_instructions": counts["bare"],
            "kiosk_instructions": counts["kiosk"], "ratio": round(kiosk / bare, 3),
            "bare_ms": times["bare"], "kiosk_ms": times["kiosk"],
            "time_ratio": round(kiosk_ms / bare_ms, 3)}


def idle(a: Path, tmp: Path, env: dict[str, str], seconds: float,
         settle: float) -> dict[str, object]:
    """bench.py's idle measure, on the emulated kiosk that ``measure`` set up in ``tmp``."""
    root, proj = a / "root", tmp / "proj"
    env = host.isolated_env({**env, "QEMU_LD_PREFIX": str(root),
                             "PYTHONPATH": f"{a / 'site'}:{proj}"}, tmp)
    out: dict[str, object] = {"window_s": seconds, "settle_s": settle}
    for screen, after in (("home", 86400), ("attract", 1)):
        config = host.write_config(tmp, **{**host.DEPLOYED, "content": str(tmp / "content"),
                                           "idle_timeout": after})
        cmd = ["qemu-aarch64-static", "-L", str(root), str(root / "usr/bin/python3.11"),
               "-m", "kiosk", "--config", str(config)]
        proc = subprocess.Popen(cmd, env={**env, "KIOSK_REPORT_READY": "1"},
                                cwd=proj / "bench", stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("KIOSK_READY"):
                    break
            time.sleep(settle)
            wakes0 = host.tree_wakes(proc.pid)
            cpu0, t0 = host.tree_cpu_seconds(proc.pid), time.monotonic()
            time.sleep(seconds)
            cpu1, t1 = host.tree_cpu_seconds(proc.pid), time.monotonic()
            wakes1 = host.tree_wakes(proc.pid)
        finally:
            host.stop(proc)
        woke = {name: wakes1[name] - wakes0[name] for name in wakes1
                if name in wakes0 and wakes1[name] > wakes0[name]}
        out[f"{screen}_percent"] = round(100 * (cpu1 - cpu0) / (t1 - t0), 4)
        out[f"{screen}_wakes_per_min"] = round(sum(woke.values()) * 60 / (t1 - t0), 2)
        out[f"{screen}_wakes_by_thread"] = {name.rsplit(":", 1)[0]: n for name, n in
                                            sorted(woke.items(), key=lambda kv: -kv[1])}
    return out


def ready(cmd: list[str], env: dict[str, str], proj: Path) -> float:
    """Run to the first paint (the program quits there); the ms it took."""
    t0 = time.monotonic_ns()
    run = subprocess.run(cmd, env={**env, "KIOSK_REPORT_READY": "quit", "PYTHONHASHSEED": "0"},
                         cwd=proj / "bench", capture_output=True, text=True, timeout=600)
    lines = [line for line in run.stdout.splitlines() if line.startswith("KIOSK_READY")]
    if not lines:
        raise host.MeasureError(f"{' '.join(cmd[-3:])} ended (exit {run.returncode}) before "
                                f"its first paint: {run.stderr.strip()[-400:]}")
    return (int(lines[0].split()[1]) - t0) / 1e6


def warm(cmd: list[str], env: dict[str, str], tmp: Path, proj: Path) -> None:
    """One start that writes the content index and the rendered pages, as every start after
    the first finds them (the pages: a kiosk from before kiosk.pagecache writes none)."""
    proc = subprocess.Popen(cmd, env={**env, "KIOSK_REPORT_READY": "1"}, cwd=proj / "bench",
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 300
        while not any((tmp / "data").rglob("content-index.json")):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise host.MeasureError("the emulated kiosk wrote no content index")
            time.sleep(0.5)
        pages_by = min(deadline, time.monotonic() + 120)
        while time.monotonic() < pages_by and not any((tmp / "data").rglob("content-pages.json")):
            time.sleep(0.5)
    finally:
        host.stop(proc)  # its read-aloud child too


if __name__ == "__main__":
    sys.exit(main())
