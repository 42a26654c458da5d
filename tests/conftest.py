"""Shared fixtures: headless Qt, small content folders written on the fly, a kiosk window."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Headless by default (pytest-qt's own tox.ini does the same); must be set before Qt starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

@contextlib.contextmanager
def xvfb(screen: str = "1280x800x24") -> Iterator[str]:
    """A private Xvfb server for one test; yields its DISPLAY (":N")."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", screen,
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def sleep_clock() -> float:
    """A clock, in seconds, that advances only while the calling thread sleeps: blocked in a
    call (a wait on a pipe, a sleep, an idle event loop), not running and not waiting for a
    CPU. A busy machine makes a thread wait longer for a CPU, which this leaves out, so a
    bound on it holds however loaded the machine is. Only differences mean anything.

    Linux's per-thread scheduler counters (/proc/thread-self/schedstat: time on a CPU, time
    waiting for one); elsewhere wall time less the thread's CPU time, which also counts the
    wait for a CPU."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as f:
            on_cpu, waiting, _slices = f.read().split()
    except OSError:
        return time.monotonic() - time.thread_time()
    return time.monotonic() - (int(on_cpu) + int(waiting)) / 1e9


def children_cpu() -> float:
    """CPU seconds used by this process's finished (waited-for) children: a bound on it
    holds however busy the machine is, unlike one on the wall-clock time they took."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class FakeSystemd:
    """A NOTIFY_SOCKET as systemd makes one (writable by any user, for a kiosk run as
    another), stamping every datagram with the time it arrived."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        path.chmod(0o777)
        self.sock.settimeout(0.1)
        self.got: list[tuple[float, str]] = []
        self._run = True
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while self._run:
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.got.append((time.monotonic(), data.decode()))

    @property
    def messages(self) -> list[str]:
        return [m for _t, m in self.got]

    def times(self, message: str) -> list[float]:
        return [t for t, m in self.got if m.split("\n")[0] == message]

    def mark(self, name: str, timeout: float = 60.0) -> int:
        """Send a datagram of our own and wait until it has been read: every message sent
        before it is then in ``got``. Its index there: a point in the order of messages that
        needs no clock. Blocks the calling thread (the GUI's too, if it is called there)."""
        sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            sender.sendto(name.encode(), self.path)
        finally:
            sender.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, (_t, message) in enumerate(list(self.got)):
                if message == name:
                    return i
            time.sleep(0.005)
        raise AssertionError(f"the marker {name!r} was never read")

    def close(self) -> None:
        self._run = False
        self._thread.join()
        self.sock.close()


TOPIC = """\
---
title: {title}
summary: {summary}
order: {order}
---

{body}
"""

SELF_CHECK = """\
title: Quick check
intro: Three questions.
questions:
  - text: Does your back hurt most days?
    answers:
      - text: Yes
        points: 2
      - text: No
        points: 0
  - text: Do headaches stop you from working?
    answers:
      - text: Yes
        points: 1
      - text: No
        points: 0
  - text: Do you have any of these now?
    answers:
      - text: A sudden, very bad headache
        red_flag: true
      - text: None of these
        points: 0
results:
  - from: 0
    to: 1
    title: Few signs
    message: Few of your answers point to a link.
  - from: 2
    to: 3
    title: Some signs
    message: Talk with your doctor about these answers.
urgent:
  title: Tell the front desk now
  message: Please tell the front desk now. If this is an emergency, call 911.
not_diagnosis: This is not a diagnosis.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def imported_by(code: str, watched: tuple[str, ...]) -> list[str]:
    """Run ``code`` in a fresh Python (it must succeed); which of ``watched`` it imported."""
    import json
    import sys

    script = (f"{code}\nimport json, sys\n"
              f"print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def topic_text(title: str = "Back pain", summary: str = "About back pain.", order: int | str = 1,
               body: str = "Some **plain** words.") -> str:
    return TOPIC.format(title=title, summary=summary, order=order, body=body)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config, data or log folders, nor the
    machine's node_exporter textfile folder (a test that wants metrics names its file)."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    # Child processes (the kiosk run for real) inherit it.
    monkeypatch.setenv("KIOSK_TEXTFILE_FOLDER", str(home / "no-node-exporter"))


def _end_speech_dispatcher(runtime: Path) -> None:
    """Kill a speech-dispatcher started for this runtime folder (its pid file is there)."""
    for pid_file in runtime.glob("speech-dispatcher/pid/*.pid"):
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(pid_file.read_text().split()[0]), 9)


@pytest.fixture(autouse=True)
def _private_runtime_folder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test its own XDG_RUNTIME_DIR (short: a Unix socket's path has 107 bytes at
    most), so a speech-dispatcher a test's kiosk starts is its own, and ended after it."""
    import tempfile

    runtime = Path(tempfile.mkdtemp(prefix="kiosk-rt-", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.delenv("SPEECHD_ADDRESS", raising=False)
    yield runtime
    _end_speech_dispatcher(runtime)
    shutil.rmtree(runtime, ignore_errors=True)


ESPEAK_MODULE = Path("/usr/lib/speech-dispatcher-modules/sd_espeak-ng")
needs_speech_dispatcher = pytest.mark.skipif(
    shutil.which("speech-dispatcher") is None or not ESPEAK_MODULE.exists(),
    reason="needs speech-dispatcher and speech-dispatcher-espeak-ng (apt)")


@pytest.fixture(scope="session")
def sound_server() -> Iterator[str]:
    """A real PulseAudio server, as a kiosk user's session has one (or PipeWire's), whose
    one sink is a null sink: it plays in real time, to nothing. Its address, for
    PULSE_SERVER; anyone may connect (no cookie: the clients have their own homes)."""
    import tempfile

    if shutil.which("pulseaudio") is None:
        pytest.skip("needs pulseaudio (apt)")
    folder = Path(tempfile.mkdtemp(prefix="kiosk-pa-", dir="/tmp"))
    address = folder / "native"
    env = {**os.environ, "HOME": str(folder), "XDG_RUNTIME_DIR": str(folder),
           "XDG_CONFIG_HOME": str(folder / "config")}
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes",
         "--use-pid-file=no", "--load=module-null-sink sink_name=earbuds",
         f"--load=module-native-protocol-unix auth-anonymous=1 socket={address}"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not address.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"pulseaudio did not start (exit {server.poll()})")
            time.sleep(0.05)
        yield f"unix:{address}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def speech_dispatcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sound_server: str,
                      _private_runtime_folder: Path) -> dict[str, str]:
    """A real speech-dispatcher with its own configuration as installed (espeak-ng, sound
    through PulseAudio), started by the first client as on a kiosk, its sound to the null
    sink of ``sound_server``: its words take their real time. The environment variables
    it needs are set for this test and its children, and returned."""
    home = tmp_path / "speech-home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_RUNTIME_DIR": str(_private_runtime_folder), "PULSE_SERVER": sound_server}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """A test that runs ``kiosk.__main__.main`` in this process (logging.basicConfig) or the
    kiosk's log set-up leaves a handler on the root logger writing to that test's captured
    stream, which pytest closes: a later test's log line then printed "--- Logging error ---"
    with a traceback. Each test gets the root logger back as it found it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def make_content(tmp_path: Path) -> Callable[..., Path]:
    """Write a small, valid content folder; keyword arguments replace or add files."""

    def make(**files: str | None) -> Path:
        root = tmp_path / "content"
        defaults: dict[str, str | None] = {
            "en/back-pain.md": topic_text("Back pain", "About back pain.", 1,
                                          "Read about [the jaw](jaw.md).\n\nMore words."),
            "en/jaw.md": topic_text("Your jaw", "About the jaw.", 2, "The jaw and **you**."),
            "en/self-check.yaml": SELF_CHECK,
        }
        defaults.update(files)
        for name, text in defaults.items():
            if text is not None:
                write(root / name, text)
        return root

    return make


@pytest.fixture
def config_file(tmp_path: Path) -> Callable[..., Path]:
    def make(text: str) -> Path:
        return write(tmp_path / "config.toml", text)

    return make


def import_edit(installed: Path, store_root: Path, work: Path,
                page: str = "en/jaw-and-tmj.md", line: str = "\nA new line.\n") -> Any:
    """What staff do with a stick, in one step: export ``installed`` to a folder under
    ``work``, add ``line`` to ``page`` there, import and apply it into the store at
    ``store_root``. Returns the new version (kiosk.store.Version)."""
    from kiosk.store import Store
    from kiosk.transfer import EXPORT_NAME, export, stage

    stick = work / "stick"
    stick.mkdir(exist_ok=True)
    export(installed, stick)
    path = stick / EXPORT_NAME / page
    path.write_text(path.read_text("utf-8") + line, "utf-8")
    store = Store(store_root)
    with store.staging() as folder:
        staged = stage(stick, folder, installed)
        assert staged.can_apply, [str(p) for p in staged.errors]
        return store.commit(folder, staged.changes.summary(), str(stick))
