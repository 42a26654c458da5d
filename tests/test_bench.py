"""The benchmark tells the truth: a bare floor, whole process trees, missing tools and missed
budgets fail the run. (The benchmark itself is run by hand, never as a gate of this suite.)"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_floor_shows_the_six_titles_a_yaml_parser_reads() -> None:
    floor = load("bare_window")
    pages = sorted((ROOT / "kiosk" / "content" / "en").glob("*.md"))
    expected = [yaml.safe_load(p.read_text(encoding="utf-8").split("---", 2)[1])["title"]
                for p in pages]
    assert len(expected) == 6
    assert floor.titles(floor.PAGES) == expected


def test_the_floor_paints_and_stops_without_markdown_yaml_or_the_kiosk() -> None:
    env = {**os.environ, "KIOSK_REPORT_READY": "quit", "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "bare_window"], cwd=BENCH,
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("KIOSK_READY ")
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "PySide6" in imported  # the lines were read
    assert imported & {"markdown", "yaml", "nh3", "kiosk", "tomllib"} == set()


@pytest.mark.parametrize(("tools", "named"), [((), "Xvfb"), (("Xvfb",), "valgrind"),
                                               (("Xvfb", "valgrind"), "xdotool")])
def test_a_missing_tool_stops_the_bench_with_one_line(tmp_path: Path, tools: tuple[str, ...],
                                                      named: str) -> None:
    for tool in tools:  # found on PATH, never run: the bench stops before it starts anything
        (tmp_path / tool).write_text("#!/bin/sh\nexit 99\n", encoding="ascii")
        (tmp_path / tool).chmod(0o755)
    run = subprocess.run([sys.executable, str(BENCH / "bench.py")], capture_output=True,
                         text=True, env={**os.environ, "PATH": str(tmp_path)}, timeout=60)
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "not installed" in lines[0]


def test_a_missed_budget_fails_the_run_and_an_unmeasured_one_does_not() -> None:
    bench = load("bench")
    measured = {"instructions": {"ratio": 2.18}}  # the README's budget is 1.5x
    budgets = bench.verdicts(measured)
    assert budgets["instructions_ratio"]["met"] is False
    assert budgets["idle_cpu_percent"]["met"] is None  # not measured: neither met nor missed
    assert bench.exit_status(budgets) == 1
    assert bench.exit_status(bench.verdicts({"instructions": {"ratio": 1.4}})) == 0
    skipped = bench.verdicts({"skipped": {"instructions_ratio": "--skip-instructions"}})
    assert skipped["instructions_ratio"] == {"budget": 1.5, "met": None,
                                             "not_measured": "--skip-instructions"}


CHILD_OF_CHILD = textwrap.dedent("""
    import subprocess, sys
    code = '''
    import sys, time
    block = b"x" * (40 << 20)  # 40 MB, every page written
    start = time.process_time()
    while time.process_time() - start < 0.5:
        pass
    print("burnt", flush=True)
    sys.stdin.readline()
    '''
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    print(child.stdout.readline().strip(), flush=True)   # the child burnt its CPU
    sys.stdin.readline()
    child.stdin.close()
    child.wait()                                         # reaped: its time is ours now
    print("reaped", flush=True)
    sys.stdin.readline()
""")


@contextlib.contextmanager
def python(code: str) -> Iterator[subprocess.Popen[str]]:
    """``code`` run in a child Python, its stdin and stdout piped; ended by closing stdin."""
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
        proc.stdout.close()


def test_memory_and_idle_cpu_count_the_whole_process_tree() -> None:
    bench = load("bench")
    with python(CHILD_OF_CHILD) as parent:
        assert parent.stdin is not None and parent.stdout is not None
        assert parent.stdout.readline().strip() == "burnt"
        tree = bench.process_tree(parent.pid)
        assert len(tree) == 2 and tree[0] == parent.pid
        memory = bench.tree_memory(parent.pid)
        own_pss = bench.memory_mb(parent.pid)[1]
        assert memory["processes"] == 2
        assert memory["pss"] - own_pss >= 40  # the child's 40 MB are counted
        assert bench.tree_cpu_seconds(parent.pid) >= 0.5
        assert bench.cpu_seconds(parent.pid) < 0.4  # the parent alone left the child out

        parent.stdin.write("\n")
        parent.stdin.flush()
        assert parent.stdout.readline().strip() == "reaped"
        assert bench.process_tree(parent.pid) == [parent.pid]
        assert bench.tree_cpu_seconds(parent.pid) >= 0.5  # through the parent's children


SLEEPER = """
import sys, threading, time
def tick():
    for _ in range(300):
        time.sleep(0.01)
threading.Thread(target=tick, name="ticker", daemon=True).start()
print("started", flush=True)
sys.stdin.readline()
"""


def test_wake_ups_are_counted_for_every_thread_of_the_tree() -> None:
    """A process whose one thread wakes every 10 ms and whose main thread sleeps on a read:
    the ticker's wakes are counted, and the main thread's few."""
    import time

    bench = load("bench")
    with python(SLEEPER) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "started"
        before = bench.tree_wakes(proc.pid)
        time.sleep(0.5)
        after = bench.tree_wakes(proc.pid)
        # Threads by "kiosk:<name>:<tid>"; the main thread's tid is the process's id.
        main = next(name for name in after if name.endswith(f":{proc.pid}"))
        ticker = next(name for name in after if name != main)
        assert after[ticker] - before[ticker] >= 20
        assert after[main] - before[main] <= 5


def test_the_chromium_anchor_is_said_to_be_missing_when_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench")
    monkeypatch.setattr(bench, "chromium_command", lambda: None)
    anchor = bench.chromium_anchor({}, tmp_path, 1)
    assert anchor == {"not_measured": "chromium is not installed (apt-get install chromium)"}
    start = {"kiosk_ms": 300.0, "bare_ms": 200.0, "kiosk_ms_min": 290.0, "bare_ms_min": 190.0,
             "ratio": 1.5, "kiosk_pss": 60.0, "bare_pss": 45.0, "kiosk_processes": 1,
             "kiosk_main_pss": 60.0, "kiosk_children_pss": 0.0, "pss_ratio": 1.33,
             "kiosk_rss": 70.0, "bare_rss": 58.0, "chromium": anchor}
    run = {"platform": "xcb", "pyside6": "6.11.3", "python": "3.11", "kiosk": "here",
           "load_at_start": 0.0, "load_at_end": 0.0}
    budgets = bench.verdicts({"start": start})
    bench.report({"start": start, "run": run, "runs": 1}, budgets)
    assert "chromium is not installed" in capsys.readouterr().out
    start["chromium"] = {"pss": 300.0, "processes": 9}
    bench.report({"start": start, "run": run, "runs": 1}, budgets)
    out = capsys.readouterr().out
    assert "300.0 / 60.0 MB (9 processes)" in out and "x5.00" in out
