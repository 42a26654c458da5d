"""Read aloud that can never block the screen: the engine runs in a child process.

The engine is a child: ``kiosk.speechd`` (speech-dispatcher's own protocol, no Qt) on Linux
with speech-dispatcher, else QTextToSpeech in ``kiosk.ui.speech_server``. Either is started
with QProcess at the first touch or key (not at start: a kiosk nobody has used holds no
engine) and spoken to over a pipe in the same JSON lines; this side only writes and reads
asynchronously. If the child does not say it is
ready within ``START_TIMEOUT_MS`` or does not answer a command within ``REPLY_TIMEOUT_MS``
(speech-dispatcher deadlocks when there is no sound server), it is killed, read-aloud turns
off ("Listen" is no longer offered) and the log says what to install. If PySide6-Addons
(the ``[speech]`` extra), an engine or a voice for the page's language is missing, there is
simply no "Listen" button.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import sys
from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QTimer, Signal

log = logging.getLogger(__name__)

SSIP_ENGINE = "speechd"  # kiosk.speechd.ENGINE (not imported: the kiosk needs no socket)

WHAT_TO_INSTALL = ("for read-aloud on Debian, Ubuntu or Raspberry Pi OS install "
                   "speech-dispatcher, speech-dispatcher-espeak-ng and libpulse0, and run "
                   "PulseAudio or PipeWire for the kiosk user")

# Voices picked when the config names none: the first of these the engine has, so the voice
# does not change between starts. Any other locale of the language comes after, by name.
PREFERRED_LOCALES: Mapping[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB"),
    "es": ("es_US", "es_MX", "es_419", "es_ES"),
}


def language_of(locale: str) -> str:
    """``es_419`` -> ``es``."""
    return locale.replace("-", "_").split("_")[0].lower()


def pick_voice(voices: list[dict[str, str]], language: str,
               wanted: str = "") -> tuple[str, str] | None:
    """(locale, voice name) to speak ``language`` with, the same at every start.

    ``wanted`` (the config's ``speech_voice``) is a voice name (``Mary``) or a locale
    (``es_MX``); if the engine has no such voice of this language, the default is used.
    """
    mine = [v for v in voices if language_of(v["locale"]) == language.lower()]
    if not mine:
        return None
    if wanted:
        want = wanted.lower().replace("-", "_")
        chosen = [v for v in mine if v["name"].lower() == want] \
            or [v for v in mine if v["locale"].lower() == want]
        if chosen:
            best = min(chosen, key=lambda v: (v["locale"], v["name"]))
            return best["locale"], best["name"]
        log.warning("read-aloud: no voice %r for %r; there are: %s", wanted, language,
                    ", ".join(f"{v['name']} ({v['locale']})" for v in mine))
    order = PREFERRED_LOCALES.get(language.lower(), ())

    def rank(v: dict[str, str]) -> tuple[int, str, str]:
        where = order.index(v["locale"]) if v["locale"] in order else len(order)
        return where, v["locale"], v["name"]

    best = min(mine, key=rank)
    return best["locale"], best["name"]


def speaks_ssip(engine: str, env: Mapping[str, str] = os.environ) -> bool:
    """Whether read-aloud goes to speech-dispatcher through its own protocol
    (``kiosk.speechd``, a child with no Qt: a fifth of the memory of a QtTextToSpeech
    child, issue 24): the config names ``speechd``, or names no engine on Linux where
    speech-dispatcher is installed or its address is given. Anything else is a
    QtTextToSpeech engine (``kiosk.ui.speech_server``)."""
    if engine:
        return engine == SSIP_ENGINE
    return sys.platform.startswith("linux") and (
        bool(env.get("SPEECHD_ADDRESS")) or shutil.which("speech-dispatcher") is not None)


def ssip_command() -> list[str]:
    """How the speech-dispatcher child is started: kiosk/speechd.py run as a script, with
    no site-packages (``-S``; it imports only the standard library: 2 MB less)."""
    return [sys.executable, "-S", os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "speechd.py")]


class Speaker(QObject):
    """Speaks one text at a time in a language, if a voice for it exists.

    The child starts at ``wake()``. ``available_changed`` tells when voices arrive (a moment
    after that) or read-aloud turns off after a hang, so the screen can show or hide
    "Listen".
    """

    speaking_changed = Signal(bool)
    available_changed = Signal(bool)

    # Generous: a Raspberry Pi takes seconds to import Qt and to start speech-dispatcher,
    # and waiting longer costs the screen nothing.
    START_TIMEOUT_MS: ClassVar[int] = 15000
    REPLY_TIMEOUT_MS: ClassVar[int] = 5000
    # The child's command line; tests put a fake server here.
    server_command: ClassVar[list[str] | None] = None

    def __init__(self, engine: str = "", parent: QObject | None = None,
                 voices: Mapping[str, str] | str | None = None) -> None:
        super().__init__(parent)
        self._speaking = False
        self._voices: list[dict[str, str]] = []
        self.engine = ""
        self.last_voice: tuple[str, str] | None = None  # (locale, name) the engine used
        # The config's speech_voice: one voice for every language, or one per language.
        self._wanted: Mapping[str, str] | str = voices or ""
        self._next_id = 0
        self._say_id = 0  # state reports older than the latest "say" are stale
        self._waiting: set[int] = set()
        self._buffer = b""
        self._process: QProcess | None = None
        self.failed = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._command: list[str] = []
        command = self.server_command
        if command is None and speaks_ssip(engine):
            command = ssip_command()
        if command is None:
            if importlib.util.find_spec("PySide6.QtTextToSpeech") is None:
                log.info("read-aloud is off: QtTextToSpeech is not installed (install the "
                         "speech extra from the kiosk's folder: %s -m pip install "
                         "'.[speech]')", sys.executable)
                self.failed = "not installed"
                return
            command = [sys.executable, "-m", "kiosk.ui.speech_server", engine]
        self._command = list(command)

    def wake(self) -> None:
        """Start the child, if it has not been started: the window does so at the first
        touch or key, so a kiosk nobody has used yet holds no speech engine in memory."""
        if self._process is not None or self.failed or not self._command:
            return
        command = self._command
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        # Ended with the window, before Qt deletes it (a running QProcess must not be).
        self.destroyed.connect(lambda: _end(process))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)
        self._timer.start(self.START_TIMEOUT_MS)
        process.start(command[0], command[1:])

    @property
    def coming(self) -> bool:
        """Not started yet, or started and not ready yet: words said now would be lost."""
        return not self.failed and not self._voices and bool(self._command)

    # -- what the window asks --------------------------------------------------
    @property
    def available(self) -> bool:
        """The engine answered and has not failed since."""
        return bool(self._voices) and not self.failed

    def voice_for(self, language: str) -> tuple[str, str] | None:
        """(locale, voice name) for this language, or None if read-aloud cannot speak it."""
        if not self.available:
            return None
        wanted = self._wanted if isinstance(self._wanted, str) else \
            self._wanted.get(language, "")
        return pick_voice(self._voices, language, wanted)

    def can_speak(self, language: str) -> bool:
        return self.voice_for(language) is not None

    @property
    def speaking(self) -> bool:
        return self._speaking

    def say(self, text: str, language: str) -> None:
        voice = self.voice_for(language)
        if voice is None:
            return
        self._say_id = self._send({"cmd": "say", "text": text, "locale": voice[0],
                                   "voice": voice[1]})
        self._set_speaking(True)

    def stop(self) -> None:
        if self._speaking and self.available:
            self._send({"cmd": "stop"})
        self._set_speaking(False)

    def pause(self, paused: bool) -> None:
        """Pause the words being said, or go on with them."""
        if self.available:
            self._send({"cmd": "pause" if paused else "resume"})

    def set_voice(self, rate: float, volume: float) -> None:
        """Pace (-1 slowest .. 1 fastest, 0 the voice's own) and loudness (0 .. 1)."""
        if self.available:
            self._send({"cmd": "set", "rate": rate, "volume": volume})

    def close(self) -> None:
        """End the child (the kiosk is quitting)."""
        self._timer.stop()
        self.failed = self.failed or "closed"  # and never started after this
        if self._process is not None:
            _end(self._process)

    # -- the child -------------------------------------------------------------
    def _send(self, command: dict[str, Any]) -> int:
        self._next_id += 1
        command["id"] = self._next_id
        assert self._process is not None
        self._process.write((json.dumps(command) + "\n").encode())
        self._waiting.add(self._next_id)
        if not self._timer.isActive():
            self._timer.start(self.REPLY_TIMEOUT_MS)
        return self._next_id

    def _read(self) -> None:
        assert self._process is not None
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                log.warning("read-aloud: the speech server said %r", line[:200])
                continue
            if isinstance(event, dict):
                self._on_event(event)

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "ready" and not self._voices:
            self._timer.stop()
            voices = [v for v in event.get("voices", []) if isinstance(v, dict)]
            self._voices = [{"locale": str(v.get("locale", "")), "name": str(v.get("name", ""))}
                            for v in voices]
            self.engine = str(event.get("engine", ""))
            if not self._voices:
                self._give_up("the speech engine has no voices")
                return
            log.info("read-aloud engine %r; voices: %s", self.engine, "; ".join(
                f"{code}: {v[1]} ({v[0]})" for code in ("en", "es")
                if (v := self.voice_for(code)) is not None) or "none for en or es")
            self.available_changed.emit(True)
        elif kind == "failed":
            self._give_up(str(event.get("reason", "the speech engine failed")))
        elif kind == "ack":
            self._waiting.discard(int(event.get("id", 0)))
            if event.get("locale") is not None:
                self.last_voice = (str(event.get("locale")), str(event.get("voice", "")))
            self._timer.stop()
            if self._waiting:
                self._timer.start(self.REPLY_TIMEOUT_MS)
        elif kind == "state":
            if int(event.get("id", 0)) >= self._say_id and event.get("state") != "speaking":
                if event.get("state") == "error":
                    log.warning("read-aloud error: %s", event.get("error", ""))
                self._set_speaking(False)

    def _on_timeout(self) -> None:
        if not self._voices:
            self._give_up(f"the speech engine did not start within "
                          f"{self.START_TIMEOUT_MS / 1000:g} s")
        else:
            self._give_up(f"the speech engine did not answer within "
                          f"{self.REPLY_TIMEOUT_MS / 1000:g} s (speech-dispatcher hangs "
                          "when no sound server runs)")

    def _on_finished(self, code: int, _status: Any) -> None:
        if not self.failed:
            self._give_up(f"the speech server stopped (exit code {code})")

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self.failed:
            self._give_up("the speech server could not be started")

    def _give_up(self, reason: str) -> None:
        was_available = self.available
        self.failed = reason
        self._timer.stop()
        log.warning("read-aloud is off: %s; %s", reason, WHAT_TO_INSTALL)
        if self._process is not None and \
                self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()  # reaped when it has gone; never waited for here
        self._set_speaking(False)
        if was_available:
            self.available_changed.emit(False)

    def _set_speaking(self, value: bool) -> None:
        if value != self._speaking:
            self._speaking = value
            self.speaking_changed.emit(value)


def _end(process: QProcess) -> None:
    """Kill the child and reap it: SIGKILL ends even a hung engine at once."""
    if process.state() != QProcess.ProcessState.NotRunning:
        process.blockSignals(True)  # its owner may be half destroyed: tell nobody
        process.kill()
        process.waitForFinished(1000)
