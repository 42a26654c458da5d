"""Read aloud: the engine runs in a child process (Qt's mock engine here); it speaks the
page, stops on navigation and reset, is absent where there is no voice, and a child that
hangs never reaches the screen: it is killed after the time limit and "Listen" goes away."""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QPointingDevice
from pytestqt.qtbot import QtBot

from kiosk.ui.speech import Speaker, pick_voice, speaks_ssip
from kiosk.ui.window import KioskWindow
from tests.conftest import needs_speech_dispatcher, sleep_clock
from tests.ui.conftest import (
    background_done,
    configured,
    find_button,
    tap,
    touch_at,
    visible_buttons,
)


def _speech_missing() -> str:
    """Why Qt's speech module cannot load here, or "" if it can."""
    if importlib.util.find_spec("PySide6.QtTextToSpeech") is None:
        return "needs PySide6-Addons (pip install -e '.[test]')"
    try:
        import PySide6.QtTextToSpeech  # noqa: F401 - only: does it load?
    except ImportError as exc:
        if "libpulse" in str(exc):
            return ("needs libpulse0, which QtTextToSpeech links to "
                    f"(apt-get install libpulse0): {exc}")
        return f"QtTextToSpeech does not load: {exc}"
    return ""


needs_addons = pytest.mark.skipif(bool(_speech_missing()), reason=_speech_missing() or "-")

JAW = "Your jaw joint (TMJ) and headaches"
PATIENT_MS = 120_000  # how long a test waits for a child that should answer: a busy
# machine may take many seconds to start Python and Qt, and waiting costs nothing when not


@pytest.fixture(autouse=True)
def _patient_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The speaker's own time limits are not what these tests time, except where a test
    sets them (the hang tests): a slow start on a busy machine must not end read-aloud."""
    monkeypatch.setattr(Speaker, "START_TIMEOUT_MS", PATIENT_MS)
    monkeypatch.setattr(Speaker, "REPLY_TIMEOUT_MS", PATIENT_MS)


def spoken(window: KioskWindow) -> list[dict[str, Any]]:
    """Record every command the window's speaker sends to its child."""
    assert window.speaker is not None
    sent: list[dict[str, Any]] = []
    original = window.speaker._send

    def send(command: dict[str, Any]) -> int:
        sent.append(dict(command))
        return original(command)

    window.speaker._send = send  # type: ignore[method-assign]  # a spy on the pipe
    return sent


def ready(qtbot: QtBot, window: KioskWindow) -> Speaker:
    """The window's speaker, started (as the first touch or key starts it) and answered."""
    speaker = window.speaker
    assert speaker is not None
    speaker.wake()
    qtbot.waitUntil(lambda: speaker.available or bool(speaker.failed), timeout=PATIENT_MS)
    return speaker


def has_button(window: KioskWindow, text: str) -> bool:
    return any(b.text() == text for b in visible_buttons(window))


@needs_addons
def test_listen_reads_the_page_and_stops_when_the_patient_moves_on(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(speech=True, speech_engine="mock"))
    speaker = ready(qtbot, window)
    assert speaker.available and speaker.engine == "mock"
    said = spoken(window)
    tap(qtbot, window, JAW)
    tap(qtbot, window, "Listen")
    assert said[0]["cmd"] == "say" and said[0]["text"].startswith(f"{JAW}.")
    assert "trigeminal" in said[0]["text"]
    # The engine really used the voice picked for English, the same at every start.
    qtbot.waitUntil(lambda: speaker.last_voice is not None, timeout=PATIENT_MS)
    assert speaker.last_voice == ("en_US", "Charly")
    qtbot.waitUntil(lambda: has_button(window, "Stop"), timeout=PATIENT_MS)
    assert speaker.speaking
    tap(qtbot, window, "Home")
    assert not speaker.speaking and said[-1]["cmd"] == "stop"
    tap(qtbot, window, JAW)
    tap(qtbot, window, "Listen")
    assert speaker.speaking
    window.reset()
    assert not speaker.speaking
    qtbot.waitUntil(lambda: not speaker._waiting, timeout=PATIENT_MS)  # every command
    assert not speaker.failed  # acknowledged, nothing timed out


@needs_addons
def test_the_engine_starts_at_the_first_touch_and_not_before(
        qtbot: QtBot, open_window: Callable[..., KioskWindow], finger: QPointingDevice) -> None:
    """Issue 24: a kiosk nobody has touched holds no speech engine in memory."""
    window = open_window(configured(speech=True, speech_engine="mock"))
    speaker = window.speaker
    assert speaker is not None
    qtbot.wait(300)
    assert speaker._process is None and speaker.coming and not speaker.available
    assert not speaker.failed
    touch_at(window, finger, QPoint(3, window.height() // 2))  # a touch on no button
    qtbot.waitUntil(lambda: speaker.available, timeout=PATIENT_MS)
    process = speaker._process
    tap(qtbot, window, JAW)
    assert window.topic_screen.listen_button.isVisible()
    window.reset()
    touch_at(window, finger, QPoint(3, window.height() // 2))
    assert speaker._process is process  # one child for the kiosk's life, not one a touch


@needs_addons
def test_a_voice_per_language_from_the_config(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(speech=True, speech_engine="mock",
                                    speech_voice={"en": "en_GB"}))
    speaker = ready(qtbot, window)
    assert speaker.voice_for("en") == ("en_GB", "Anne")
    tap(qtbot, window, JAW)
    tap(qtbot, window, "Listen")
    qtbot.waitUntil(lambda: speaker.last_voice == ("en_GB", "Anne"), timeout=PATIENT_MS)


@needs_addons
def test_no_listen_button_without_a_voice_for_the_language(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    # The mock engine has English voices but no Spanish one.
    window = open_window(configured(speech=True, speech_engine="mock"))
    ready(qtbot, window)
    tap(qtbot, window, "Español")
    tap(qtbot, window, "Su mandíbula y el dolor de cabeza")
    assert not window.topic_screen.listen_button.isVisible()


def test_no_engine_means_no_button_and_no_crash(
        qtbot: QtBot, open_window: Callable[..., KioskWindow]) -> None:
    window = open_window(configured(speech=True, speech_engine="no-such-engine"))
    speaker = ready(qtbot, window)
    assert speaker.failed and not speaker.available
    tap(qtbot, window, JAW)
    assert not window.topic_screen.listen_button.isVisible()
    window.toggle_listen()  # does nothing, raises nothing
    off = open_window(configured(speech=False))
    assert off.speaker is None


@needs_speech_dispatcher
def test_read_aloud_through_speech_dispatcher_in_every_language(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        speech_dispatcher: dict[str, str]) -> None:
    """The engine a Linux kiosk has: a real speech-dispatcher and espeak-ng (sound to a
    null sink), reached by the Qt-free child (kiosk.speechd) the config's default picks."""
    window = open_window(configured(speech=True))
    speaker = ready(qtbot, window)
    assert not speaker.failed, speaker.failed
    assert speaker.engine == "speechd"
    assert speaker.voice_for("en") == ("en_US", "English (America)")
    assert speaker.voice_for("es") == ("es_419", "Spanish (Latin America)")
    assert speaker.voice_for("fa") == ("fa", "Persian")
    said = spoken(window)
    tap(qtbot, window, JAW)
    tap(qtbot, window, "Listen")
    assert said[0]["cmd"] == "say" and said[0]["text"].startswith(f"{JAW}.")
    qtbot.waitUntil(lambda: speaker.last_voice == ("en_US", "English (America)"),
                    timeout=PATIENT_MS)
    qtbot.waitUntil(lambda: has_button(window, "Stop"), timeout=PATIENT_MS)
    tap(qtbot, window, "Home")  # the patient moves on: the words stop
    assert not speaker.speaking and said[-1]["cmd"] == "stop"
    tap(qtbot, window, "Español")
    tap(qtbot, window, "Su mandíbula y el dolor de cabeza")
    tap(qtbot, window, "Escuchar")
    qtbot.waitUntil(lambda: speaker.last_voice == ("es_419", "Spanish (Latin America)"),
                    timeout=PATIENT_MS)
    window.reset()
    qtbot.waitUntil(lambda: not speaker._waiting, timeout=PATIENT_MS)  # every command
    assert not speaker.failed  # acknowledged, nothing timed out


def test_speech_dispatcher_is_spoken_to_without_qt_where_it_is(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 24: the Qt-free child for speech-dispatcher; QtTextToSpeech for the others."""
    monkeypatch.setattr(sys, "platform", "linux")
    assert speaks_ssip("speechd") and not speaks_ssip("mock") and not speaks_ssip("flite")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert not speaks_ssip("", {})  # no speech-dispatcher here: Qt's engines are tried
    assert speaks_ssip("", {"SPEECHD_ADDRESS": "unix_socket:/run/sd.sock"})
    monkeypatch.setattr(sys, "platform", "win32")
    assert not speaks_ssip("", {"SPEECHD_ADDRESS": "unix_socket:/run/sd.sock"})
    assert speaks_ssip("speechd")  # named: always


def test_voices_are_picked_the_same_way_every_time() -> None:
    voices = [{"locale": loc, "name": name} for loc, name in [
        ("es_ES", "Lucia"), ("en_GB", "Bob"), ("es_419", "Diego"), ("en_US", "Mary"),
        ("en_US", "Charly"), ("es_MX", "Paulina")]]
    for order in (voices, voices[::-1]):
        assert pick_voice(order, "en") == ("en_US", "Charly")
        assert pick_voice(order, "es") == ("es_MX", "Paulina")
    assert pick_voice(voices, "es", "es_ES") == ("es_ES", "Lucia")
    assert pick_voice(voices, "es", "es-419") == ("es_419", "Diego")
    assert pick_voice(voices, "en", "bob") == ("en_GB", "Bob")
    assert pick_voice(voices, "en", "Lucia") == ("en_US", "Charly")  # not English: default
    assert pick_voice(voices, "ko") is None


# -- a speech engine that hangs ------------------------------------------------------------

HANG_AT_START = "import time\ntime.sleep(120)\n"
HANG_AT_STOP = """\
import json, sys, time
def out(event):
    print(json.dumps(event), flush=True)
out({"event": "ready", "engine": "fake",
     "voices": [{"locale": "en_US", "name": "Mary"}, {"locale": "es_MX", "name": "Juan"}]})
for line in sys.stdin:
    command = json.loads(line)
    if command["cmd"] == "stop":
        time.sleep(120)  # what speech-dispatcher does with no sound server
    out({"event": "ack", "id": command["id"], "locale": command.get("locale", ""),
         "voice": command.get("voice", "")})
    out({"event": "state", "id": command["id"], "state": "speaking"})
"""


@pytest.fixture
def fake_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str],
                                                                                        None]]:
    def use(source: str) -> None:
        script = tmp_path / "fake_speech_server.py"
        script.write_text(source)
        monkeypatch.setattr(Speaker, "server_command", [sys.executable, str(script)])
        monkeypatch.setattr(Speaker, "START_TIMEOUT_MS", 1500)
        monkeypatch.setattr(Speaker, "REPLY_TIMEOUT_MS", 1000)

    yield use


class Ticker:
    """A 20 ms timer on the GUI thread, noting the thread's sleep clock at each turn: the
    longest sleep between two turns is the longest the screen was blocked (a blocking call
    sleeps; an idle loop sleeps only until the next turn). Time spent waiting for a CPU on
    a busy machine is not sleep, so a busy machine does not fail this."""

    def __init__(self, window: KioskWindow) -> None:
        self.stamps: list[float] = []
        self.timer = QTimer(window)  # goes with the window (a parentless one, kept alive by
        # its own connection, would tick on through every later test)
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.stamps.append(sleep_clock()))
        self.timer.start()

    def longest_sleep(self) -> float:
        return max(b - a for a, b in zip(self.stamps, self.stamps[1:], strict=False))


def test_an_engine_that_hangs_at_start_is_killed_and_listen_never_shows(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        fake_server: Callable[[str], None], caplog: pytest.LogCaptureFixture) -> None:
    fake_server(HANG_AT_START)
    window = open_window(configured(speech=True))
    background_done(qtbot)
    ticker = Ticker(window)
    speaker = window.speaker
    assert speaker is not None
    tap(qtbot, window, JAW)  # the first touch starts the child, which then does not answer
    assert speaker._process is not None
    assert not window.topic_screen.listen_button.isVisible()
    with caplog.at_level(logging.WARNING, "kiosk.ui.speech"):
        qtbot.waitUntil(lambda: bool(speaker.failed), timeout=PATIENT_MS)
    assert "did not start within 1.5 s" in speaker.failed
    assert "speech-dispatcher" in caplog.text and "PulseAudio or PipeWire" in caplog.text
    qtbot.waitUntil(lambda: speaker._process is not None
                    and speaker._process.state().name == "NotRunning",
                    timeout=PATIENT_MS)  # killed
    assert ticker.longest_sleep() < 0.5, "the screen stopped answering while speech started"
    assert not window.topic_screen.listen_button.isVisible()
    tap(qtbot, window, "Home")


def test_an_engine_that_hangs_on_stop_never_freezes_the_screen(
        qtbot: QtBot, open_window: Callable[..., KioskWindow],
        fake_server: Callable[[str], None], monkeypatch: pytest.MonkeyPatch) -> None:
    fake_server(HANG_AT_STOP)
    monkeypatch.setattr(Speaker, "START_TIMEOUT_MS", PATIENT_MS)  # it starts: not timed
    monkeypatch.setattr(Speaker, "REPLY_TIMEOUT_MS", PATIENT_MS)  # nor are its first replies
    window = open_window(configured(speech=True))
    speaker = ready(qtbot, window)
    background_done(qtbot)
    assert speaker.available and not speaker.failed
    tap(qtbot, window, "Español")
    tap(qtbot, window, "Su mandíbula y el dolor de cabeza")
    tap(qtbot, window, "Escuchar")
    qtbot.waitUntil(lambda: speaker.last_voice == ("es_MX", "Juan"), timeout=PATIENT_MS)
    monkeypatch.setattr(Speaker, "REPLY_TIMEOUT_MS", 1000)  # the reply that never comes
    ticker = Ticker(window)
    slept = sleep_clock()
    tap(qtbot, window, "Parar")  # the child now hangs in stop()
    assert sleep_clock() - slept < 0.3  # the tap did not wait for the child
    assert not speaker.speaking
    tap(qtbot, window, "Inicio")  # the screen still answers at once
    assert find_button(window, "English")
    qtbot.waitUntil(lambda: bool(speaker.failed), timeout=PATIENT_MS)
    assert "did not answer within 1 s" in speaker.failed
    assert not window.can_listen()
    tap(qtbot, window, "Su mandíbula y el dolor de cabeza")
    assert not window.topic_screen.listen_button.isVisible()
    assert ticker.longest_sleep() < 0.5, "the screen stopped answering while speech hung"
