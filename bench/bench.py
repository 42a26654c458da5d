"""Speed and memory of the kiosk, each figure beside its floor, measured in the same run.

Run by hand (not part of the test suite):

    .venv/bin/python bench/bench.py            # full run, about 4 minutes
    .venv/bin/python bench/bench.py --quick    # fewer repeats, 10 s idle windows

Prints a readable table, then one JSON object on the last line. Uses Xvfb when it is
installed (a real X server, as a kiosk has), else Qt's offscreen platform.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "kiosk" / "content"
BUDGETS = {
    "cold_start_ratio": 1.3,  # kiosk start / bare window start (to the first paint)
    "instructions_ratio": 1.5,  # CPU instructions to the first paint, kiosk / bare (callgrind)
    "page_open_p95_ms": 16.0,  # bundled pages, one frame at 60 Hz
    "pss_ratio": 1.5,  # kiosk PSS / bare window PSS
    "growth_mb": 5.0,  # after 10,000 navigations
    "idle_cpu_percent": 0.1,  # of one core, home and attract
    "load_1000_s": 1.0,  # load 1,000 topics
}


# -- helpers -----------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def memory_mb(pid: int | str = "self") -> tuple[float, float]:
    """Resident and proportional set size, in MB, from /proc."""
    rss = pss = 0.0
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
        for line in f:
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    return rss, pss


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def start_display() -> tuple[subprocess.Popen[bytes] | None, dict[str, str]]:
    env = dict(os.environ)
    if shutil.which("Xvfb"):
        read, write = os.pipe()
        server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                                   "1920x1080x24", "-nolisten", "tcp"], pass_fds=(write,),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            env["DISPLAY"] = ":" + pipe.readline().strip()
        env["QT_QPA_PLATFORM"] = "xcb"
        return server, env
    env["QT_QPA_PLATFORM"] = "offscreen"
    return None, env


def write_config(folder: Path, **values: Any) -> Path:
    lines = [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    path = folder / f"bench-{random.randrange(10**9)}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def started(cmd: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], float]:
    """Start a process; return it and the ms until it said it was ready."""
    t0 = time.monotonic_ns()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("KIOSK_READY"):
            return proc, (int(line.split()[1]) - t0) / 1e6
    raise RuntimeError(f"{cmd} ended without becoming ready")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- measurements ------------------------------------------------------------------------
def cold_starts(env: dict[str, str], tmp: Path, runs: int) -> dict[str, Any]:
    config = write_config(tmp, fullscreen=False, watch_content=True, record_usage=False)
    kiosk = [sys.executable, "-m", "kiosk", "--config", str(config)]
    bare = [sys.executable, str(ROOT / "bench" / "bare_window.py"),
            str(BUNDLED / "en" / "migraines-and-back-pain.md")]
    env = {**env, "KIOSK_REPORT_READY": "1"}
    result: dict[str, list[float]] = {"kiosk_ms": [], "bare_ms": [], "kiosk_rss": [],
                                      "kiosk_pss": [], "bare_rss": [], "bare_pss": []}
    for _ in range(runs):
        for name, cmd in (("bare", bare), ("kiosk", kiosk)):  # interleaved: same conditions
            proc, ms = started(cmd, env)
            time.sleep(0.5)
            rss, pss = memory_mb(proc.pid)
            stop(proc)
            result[f"{name}_ms"].append(ms)
            result[f"{name}_rss"].append(rss)
            result[f"{name}_pss"].append(pss)
    med = {k: statistics.median(v) for k, v in result.items()}
    med["ratio"] = med["kiosk_ms"] / med["bare_ms"]
    med["pss_ratio"] = med["kiosk_pss"] / med["bare_pss"]
    return med


def compile_bytecode() -> None:
    """Both programs start from compiled bytecode, as after 'pip install .' (an editable
    install under PYTHONDONTWRITEBYTECODE would compile every module at every start)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kiosk"),
                    str(ROOT / "bench")], check=True)


def instructions(env: dict[str, str], tmp: Path) -> dict[str, Any]:
    """CPU instructions from process start to the first paint, counted by valgrind's
    callgrind: deterministic, so comparable across runs and machines (unlike milliseconds).
    Each program quits at its first paint (KIOSK_REPORT_READY=quit)."""
    if shutil.which("valgrind") is None:
        return {"skipped": "valgrind is not installed (apt-get install valgrind)"}
    config = write_config(tmp, fullscreen=False, watch_content=True, record_usage=False)
    programs = {
        "kiosk": [sys.executable, "-m", "kiosk", "--config", str(config)],
        "bare": [sys.executable, str(ROOT / "bench" / "bare_window.py"),
                 str(BUNDLED / "en" / "migraines-and-back-pain.md")],
    }
    out: dict[str, Any] = {}
    for name, cmd in programs.items():
        log = tmp / f"callgrind-{name}.txt"
        subprocess.run(["valgrind", "--tool=callgrind", f"--log-file={log}",
                        f"--callgrind-out-file={tmp / f'callgrind-{name}.out'}", *cmd],
                       env={**env, "KIOSK_REPORT_READY": "quit"}, check=True,
                       stdout=subprocess.DEVNULL, timeout=600)
        collected = [line for line in log.read_text().splitlines() if "Collected :" in line]
        out[f"{name}_instructions"] = int(collected[-1].split(":")[-1].strip())
    out["ratio"] = out["kiosk_instructions"] / out["bare_instructions"]
    return out


def idle_cpu(env: dict[str, str], tmp: Path, seconds: float) -> dict[str, float]:
    out = {}
    for screen, idle in (("home", 86400), ("attract", 1)):
        config = write_config(tmp, fullscreen=False, idle_timeout=idle, record_usage=False)
        proc, _ms = started([sys.executable, "-m", "kiosk", "--config", str(config)],
                            {**env, "KIOSK_REPORT_READY": "1"})
        # Settle: the idle reset (attract), the background page rendering, and the speech
        # engine's start, which may take its full 15 s to be given up without a sound server.
        time.sleep(20)
        before = cpu_seconds(proc.pid)
        time.sleep(seconds)
        used = cpu_seconds(proc.pid) - before
        stop(proc)
        out[f"{screen}_cpu_s"] = used
        out[f"{screen}_percent"] = 100 * used / seconds
    return out


def in_process(env: dict[str, str], navigations: int, repeats: int) -> dict[str, Any]:
    """Page open, self-check step, language switch and the leak check, in a child process."""
    proc = subprocess.run([sys.executable, __file__, "--child", str(navigations),
                           str(repeats)], env=env, capture_output=True, text=True, timeout=1800)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def long_page(folder: Path) -> None:
    """A generated 5,000-word page with tables and ten pictures."""
    import struct
    import zlib

    def png(w: int, h: int) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
        rows = b"".join(b"\x00" + bytes([40, 90, 160]) * w for _ in range(h))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0,
                                                                  0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

    (folder / "en" / "images").mkdir(parents=True, exist_ok=True)
    words = ("your back and neck can hurt when the jaw is tight so ask the doctor "
             "about care that helps").split()
    parts = ["---", "title: A very long page", "summary: Five thousand words", "order: 99",
             "---", ""]
    rng = random.Random(1)
    for section in range(10):
        parts.append(f"## Part {section + 1}\n")
        for _ in range(5):
            parts.append(" ".join(rng.choice(words) for _ in range(100)).capitalize() + ".\n")
        parts.append("| Column | Another |\n|---|---|\n" + "".join(
            f"| row {r} | value {r * section} |\n" for r in range(6)))
        (folder / "en" / "images" / f"p{section}.png").write_bytes(png(640, 360))
        parts.append(f"![picture {section}](images/p{section}.png)\n")
    (folder / "en" / "long-page.md").write_text("\n".join(parts), encoding="utf-8")


def child(navigations: int, repeats: int) -> None:
    import gc

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from kiosk.config import load_config
    from kiosk.ui.app import build_window

    app = QApplication([sys.argv[0]])
    tmp = Path(tempfile.mkdtemp())
    content = tmp / "content"
    shutil.copytree(BUNDLED, content)
    long_page(content)
    config = load_config(write_config(tmp, fullscreen=False, watch_content=False,
                                      record_usage=False, speech=False,
                                      content=str(content)))
    window = build_window(config)
    window.resize(1920, 1080)
    window.show()

    def settle() -> None:
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def timed(action: Callable[[], None]) -> float:
        t0 = time.perf_counter()
        action()
        settle()
        return (time.perf_counter() - t0) * 1000

    for _ in range(5):
        settle()
    session = window.session
    assert session is not None
    bundled = [t.id for t in session.language.topics if t.id != "long-page"]
    first = {tid: timed(lambda t=tid: window.open_topic(t)) for tid in bundled}
    window.go_home()
    settle()
    warm: list[float] = []
    long: list[float] = []
    check: list[float] = []
    lang: list[float] = []
    for _ in range(repeats):
        for tid in bundled:
            warm.append(timed(lambda t=tid: window.open_topic(t)))
            window.go_home()
        long.append(timed(lambda: window.open_topic("long-page")))
        window.go_home()
        window.visit.answer_guard = 0.0  # a script answers faster than any finger
        window.start_selfcheck()
        settle()
        for step, question in enumerate(session.selfcheck.questions):
            last = len(question.answers) - 1  # "No" / "No, none of these": no red flag
            check.append(timed(lambda s=step, a=last: window.answer(s, a)))
        lang.append(timed(lambda: window.set_language("es")))
        lang.append(timed(lambda: window.set_language("en")))
        window.go_home()
        session = window.session

    from kiosk.ui.shots import tour

    tour(window, 500)  # warm every cache first
    gc.collect()
    settle()
    rss0, pss0 = memory_mb()
    tour(window, navigations)
    gc.collect()
    settle()
    rss1, pss1 = memory_mb()
    print(json.dumps({
        "page_first_ms": {k: round(v, 2) for k, v in first.items()},
        "page_p50_ms": percentile(warm, 50), "page_p95_ms": percentile(warm, 95),
        "long_p50_ms": percentile(long, 50), "long_p95_ms": percentile(long, 95),
        "check_step_p50_ms": percentile(check, 50), "check_step_p95_ms": percentile(check, 95),
        "language_p50_ms": percentile(lang, 50), "language_p95_ms": percentile(lang, 95),
        "rss_before_mb": rss0, "pss_before_mb": pss0, "rss_after_mb": rss1,
        "pss_after_mb": pss1, "growth_mb": rss1 - rss0, "navigations": navigations,
    }))
    window.allow_close()


def scale(tmp: Path) -> dict[str, Any]:
    from kiosk.checker import check_folder
    from kiosk.model import load_content

    out: dict[str, Any] = {}
    body = ("Your back and your head can be linked. Pain in one can make the other worse. "
            "A doctor can help you find out why. ") * 12
    for n in (10, 100, 1000):
        folder = tmp / f"scale-{n}" / "en"
        folder.mkdir(parents=True)
        for i in range(n):
            (folder / f"topic-{i:04d}.md").write_text(
                f"---\ntitle: Topic {i}\nsummary: About topic {i}.\norder: {i}\n---\n\n{body}\n",
                encoding="utf-8")
        t0 = time.perf_counter()
        loaded = load_content(folder.parent)
        t1 = time.perf_counter()
        check_folder(folder.parent)
        t2 = time.perf_counter()
        assert loaded.content is not None
        out[str(n)] = {"load_s": round(t1 - t0, 3), "check_s": round(t2 - t1, 3)}
    return out


def live_reload(env: dict[str, str], repeats: int) -> dict[str, float]:
    proc = subprocess.run([sys.executable, __file__, "--child-reload", str(repeats)], env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def child_reload(repeats: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.live import DEBOUNCE_MS, ContentWatcher

    app = QApplication([sys.argv[0]])
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(BUNDLED, tmp / "content")
    watcher = ContentWatcher(tmp / "content", "en")
    times = []
    for i in range(repeats):
        loop = QEventLoop()
        watcher.loaded.connect(loop.quit)
        QTimer.singleShot(20_000, loop.quit)
        t0 = time.perf_counter()
        (tmp / "content" / "en" / "jaw-and-tmj.md").write_text(
            f"---\ntitle: Jaw {i}\nsummary: s\norder: 2\n---\nBody {i}\n", encoding="utf-8")
        loop.exec()
        times.append((time.perf_counter() - t0) * 1000)
        watcher.loaded.disconnect(loop.quit)
    print(json.dumps({"p50_ms": statistics.median(times), "max_ms": max(times),
                      "debounce_ms": DEBOUNCE_MS}))
    del app


# -- report ------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, short idle")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-reload", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if args.child_reload:
        child_reload(args.child_reload)
        return 0

    runs, idle_s, navs, repeats = (3, 10.0, 2000, 5) if args.quick else (7, 60.0, 10_000, 20)
    compile_bytecode()
    server, env = start_display()
    tmp = Path(tempfile.mkdtemp())
    try:
        results: dict[str, Any] = {"platform": env["QT_QPA_PLATFORM"], "runs": runs}
        results["start"] = cold_starts(env, tmp, runs)
        results["instructions"] = instructions(env, tmp)
        results["pages"] = in_process(env, navs, repeats)
        results["idle"] = idle_cpu(env, tmp, idle_s)
        results["scale"] = scale(tmp)
        results["reload"] = live_reload(env, 5)
    finally:
        if server is not None:
            server.terminate()
        shutil.rmtree(tmp, ignore_errors=True)

    s, p, i = results["start"], results["pages"], results["idle"]
    checks = {
        "cold_start_ratio": s["ratio"] <= BUDGETS["cold_start_ratio"],
        "page_open_p95_ms": p["page_p95_ms"] <= BUDGETS["page_open_p95_ms"],
        "pss_ratio": s["pss_ratio"] <= BUDGETS["pss_ratio"],
        "growth_mb": p["growth_mb"] <= BUDGETS["growth_mb"],
        "idle_cpu_percent": max(i["home_percent"], i["attract_percent"])
        <= BUDGETS["idle_cpu_percent"],
        "load_1000_s": results["scale"]["1000"]["load_s"] <= BUDGETS["load_1000_s"],
    }
    ins = results["instructions"]
    if "ratio" in ins:
        checks["instructions_ratio"] = ins["ratio"] <= BUDGETS["instructions_ratio"]
    results["budgets"] = {k: {"budget": BUDGETS[k], "met": v} for k, v in checks.items()}
    rows = [
        ("cold start, kiosk / bare window", f"{s['kiosk_ms']:.0f} / {s['bare_ms']:.0f} ms",
         f"x{s['ratio']:.2f}", "cold_start_ratio"),
        ("instructions to first paint, kiosk / bare",
         f"{ins['kiosk_instructions'] / 1e9:.2f} / {ins['bare_instructions'] / 1e9:.2f} G"
         if "ratio" in ins else ins.get("skipped", ""),
         f"x{ins['ratio']:.2f}" if "ratio" in ins else "",
         "instructions_ratio" if "ratio" in ins else None),
        ("memory PSS, kiosk / bare window", f"{s['kiosk_pss']:.1f} / {s['bare_pss']:.1f} MB",
         f"x{s['pss_ratio']:.2f}", "pss_ratio"),
        ("memory RSS, kiosk / bare window", f"{s['kiosk_rss']:.1f} / {s['bare_rss']:.1f} MB",
         "", None),
        ("page open (bundled, warm) p50/p95", f"{p['page_p50_ms']:.1f} / "
         f"{p['page_p95_ms']:.1f} ms", "", "page_open_p95_ms"),
        ("page open, first time (render)", f"{max(p['page_first_ms'].values()):.1f} ms max",
         "", None),
        ("page open, 5,000-word page p50/p95", f"{p['long_p50_ms']:.1f} / "
         f"{p['long_p95_ms']:.1f} ms", "", None),
        ("self-check step p50/p95", f"{p['check_step_p50_ms']:.1f} / "
         f"{p['check_step_p95_ms']:.1f} ms", "", None),
        ("language switch p50/p95", f"{p['language_p50_ms']:.1f} / "
         f"{p['language_p95_ms']:.1f} ms", "", None),
        (f"growth after {p['navigations']:,} navigations", f"{p['growth_mb']:+.2f} MB RSS",
         "", "growth_mb"),
        ("idle CPU, home / attract", f"{i['home_percent']:.3f}% / {i['attract_percent']:.3f}%"
         " of a core", "", "idle_cpu_percent"),
        ("load 10 / 100 / 1,000 topics", " / ".join(
            f"{results['scale'][n]['load_s']:.3f}" for n in ("10", "100", "1000")) + " s", "",
         "load_1000_s"),
        ("check 10 / 100 / 1,000 topics", " / ".join(
            f"{results['scale'][n]['check_s']:.2f}" for n in ("10", "100", "1000")) + " s", "",
         None),
        ("live reload, save to ready p50", f"{results['reload']['p50_ms']:.0f} ms "
         f"({results['reload']['debounce_ms']} ms of it is the settle wait)", "", None),
    ]
    print(f"Kiosk benchmark ({results['platform']}, medians of {runs} starts)")
    for name, value, ratio, budget in rows:
        verdict = ""
        if budget:
            verdict = f"budget {BUDGETS[budget]:g}: " + ("met" if checks[budget] else "MISSED")
        print(f"  {name:<38} {value:<30} {ratio:<7} {verdict}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
