"""Work on a worker thread (kiosk.ui.parts.in_background): its result reaches a window that
is still there, on the GUI thread, and is dropped safely for one that has gone, however the
two race. The races run in a child process, so a crash is a failed test, not a dead run."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from pytestqt.qtbot import QtBot

from kiosk.ui import parts
from kiosk.ui.parts import in_background
from kiosk.ui.window import KioskWindow

ROOT = Path(__file__).resolve().parents[2]


def carriers() -> int:
    """Carriers not yet deleted (each keeps its Python wrapper until Qt deletes it)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return sum(1 for o in gc.get_objects() if isinstance(o, parts._Carrier))


def test_the_result_reaches_a_live_owner_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    got: list[tuple[str, str]] = []
    before = carriers()
    thread = in_background(owner, lambda: threading.current_thread().name,
                           lambda worker: got.append((worker, threading.current_thread().name)))
    thread.join(60)
    assert got == []  # only the GUI thread's event loop delivers it
    qtbot.waitUntil(lambda: got != [], timeout=60000)
    assert got == [("kiosk-background", threading.main_thread().name)]
    assert owner.children() == []  # the receiving end went with its one result
    qtbot.waitUntil(lambda: carriers() == before, timeout=60000)  # and the carrier went


def test_a_result_for_an_owner_deleted_meanwhile_is_dropped(qtbot: QtBot) -> None:
    owner = QObject()
    release = threading.Event()
    got: list[object] = []
    thread = in_background(owner, lambda: release.wait(60), got.append)
    shiboken6.delete(owner)  # the window goes while the work runs
    release.set()
    thread.join(60)
    qtbot.wait(20)
    QCoreApplication.sendPostedEvents()
    assert got == []


def test_a_result_queued_for_an_owner_deleted_before_the_loop_runs_is_dropped(
        qtbot: QtBot) -> None:
    owner = QObject()
    got: list[object] = []
    thread = in_background(owner, lambda: 42, got.append)
    thread.join(60)  # the result is queued now, and the owner goes before it is delivered
    shiboken6.delete(owner)
    qtbot.wait(20)
    QCoreApplication.sendPostedEvents()
    assert got == []


def test_work_that_fails_is_logged_and_delivers_nothing(
        qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    owner = QObject()
    got: list[object] = []

    def fail() -> object:
        raise ValueError("bad folder")

    in_background(owner, fail, got.append).join(60)
    qtbot.waitUntil(lambda: owner.children() == [], timeout=60000)  # its end went all the same
    assert got == []
    assert "background work failed" in caplog.text and "bad folder" in caplog.text


# Many jobs finishing while their owners are created and deleted. The worker emitting on a
# QObject child of the window (as kiosk.ui.parts did before) crashed here with SIGSEGV in
# every run, within a second.
RACE = """
import os, random, sys, threading
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from kiosk.ui import parts

app = QApplication([])
rounds, jobs = int(sys.argv[1]), int(sys.argv[2])
delivered, wrong, threads = [0], [], []

def work():
    n = 0
    for _ in range(random.randrange(0, 4000)):  # finish about when the owner goes
        n += 1
    return n

for r in range(rounds):
    owner = QWidget()
    def then(_result, owner=owner):
        if not shiboken6.isValid(owner):
            wrong.append(r)
        delivered[0] += 1
    threads += [parts.in_background(owner, work, then) for _ in range(jobs)]
    if r % 3 == 0:
        app.processEvents()  # some results reach a live owner
    shiboken6.delete(owner)
    app.processEvents()
for t in threads:
    t.join(60)
app.processEvents()
QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
import gc
left = sum(1 for o in gc.get_objects() if isinstance(o, parts._Carrier))
print("DELIVERED", delivered[0], "WRONG", len(wrong), "CARRIERS LEFT", left, flush=True)
"""


def run_child(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, timeout=600, cwd=ROOT, env=env)


def test_many_jobs_finishing_while_their_owners_are_deleted_never_crash() -> None:
    done = run_child(RACE, "400", "20")
    assert done.returncode == 0, f"the child died (code {done.returncode}): {done.stderr}"
    words = done.stdout.split()
    assert words[0] == "DELIVERED" and int(words[1]) > 0, done.stdout  # some did arrive
    assert words[2:] == ["WRONG", "0", "CARRIERS", "LEFT", "0"], done.stdout
    assert "Traceback" not in done.stderr, done.stderr


# The interpreter exits while work is still running: PySide's teardown deletes every QObject
# Python owns, with the workers running on. They are let go (an atexit handler registered
# after the module, so it runs before the gate closes) and finish during that teardown.
EXIT = """
import atexit, random, threading
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from kiosk.ui import parts

app = QApplication([])
go = threading.Event()

def work():
    go.wait()
    n = 0
    for _ in range(random.randrange(0, 200000)):
        n += 1
    return n

owners = [QObject() for _ in range(100)]
for owner in owners:
    for _ in range(5):
        parts.in_background(owner, work, lambda _result: None)
ballast = [QObject() for _ in range(50000)]  # a teardown that takes a while
atexit.register(go.set)
print("EXITING", flush=True)
"""


def test_work_still_running_when_the_interpreter_exits_never_crashes() -> None:
    done = run_child(EXIT)
    assert done.returncode == 0, f"the child died (code {done.returncode}): {done.stderr}"
    assert done.stdout == "EXITING\n" and done.stderr == "", done.stderr


def test_once_the_interpreter_exits_a_worker_hands_nothing_to_qt(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = parts._Gate()
    gate.close()
    monkeypatch.setattr(parts, "_GATE", gate)
    owner = QObject()
    got: list[object] = []
    in_background(owner, lambda: 42, got.append).join(60)
    qtbot.wait(20)
    QCoreApplication.sendPostedEvents()
    assert got == []
    # The carrier was neither used nor dropped: Qt's teardown deletes it, not the worker.
    assert len(gate.kept) == 1 and shiboken6.isValid(gate.kept[0])
    assert shiboken6.ownedByPython(gate.kept[0])


# The real window: its pages are rendered in the background after its first paint; windows
# are shown and deleted while that work finishes (a fast stand-in for the rendering, so many
# results are in flight at the moment a window goes).
WINDOWS = """
import random, sys
from dataclasses import replace
import shiboken6
from PySide6.QtWidgets import QApplication
import kiosk.pages
from kiosk.config import load_config
from kiosk.model import load_content
from kiosk.ui.app import build_window

app = QApplication([])
config = load_config()
config = replace(config, fullscreen=False, values={**config.values, "watch_content": False,
                                                   "speech": False, "record_usage": False})
loaded = load_content(config.content_dir, config.language)
rendered = kiosk.pages.render_pages(loaded)

def fast(root, language="en"):
    n = 0
    for _ in range(random.randrange(0, 20000)):
        n += 1
    return rendered

kiosk.pages.load_rendered = fast
kiosk.pages.render_pages = lambda loaded, budget=0.0: fast(None)  # what the start loaded
delivered = [0]
for i in range(int(sys.argv[1])):
    window = build_window(config, loaded=loaded)
    real = window._pages_rendered
    def counted(result, real=real):
        delivered[0] += 1
        real(result)
    window._pages_rendered = counted
    window.show()
    while not window.started_up:
        app.processEvents()
    app.processEvents()  # the first paint's work: the rendering starts
    for _ in range(random.randrange(0, 3)):
        app.processEvents()
    window.allow_close()
    window.close()
    shiboken6.delete(window)
print("WINDOWS", sys.argv[1], "DELIVERED", delivered[0], flush=True)
"""


def test_windows_deleted_while_their_pages_render_never_crash() -> None:
    done = run_child(WINDOWS, "60")
    assert done.returncode == 0, f"the child died (code {done.returncode}): {done.stderr}"
    assert done.stdout.split()[:2] == ["WINDOWS", "60"], done.stdout
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr


def test_the_pages_rendered_after_the_first_paint_are_of_what_the_start_loaded(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 24: the background rendering renders the content the start loaded; it does not
    read the folder again (a second copy of it in memory, YAML parsed again)."""
    import kiosk.pages

    read_again: list[Path] = []
    monkeypatch.setattr(kiosk.pages, "load_rendered",
                        lambda root, language="en": read_again.append(root))
    window = open_window()
    content = window.visit.content
    assert content is not None
    every = {(code, topic.id) for code, language in content.languages.items()
             for topic in language.topics}
    qtbot.waitUntil(lambda: every <= set(window.visit._rendered), timeout=120_000)
    assert read_again == []
    assert window.visit.content is content and window.start_loaded is None  # let go
