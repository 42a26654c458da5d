"""Read-aloud engine in its own process: QTextToSpeech behind a JSON-lines pipe.

The kiosk starts this with ``python -m kiosk.ui.speech_server ENGINE`` (see
``kiosk.ui.speech.Speaker``). A speech engine that hangs (speech-dispatcher deadlocks when
no sound server runs) then hangs only this process, which the kiosk kills after a time
limit; the screen keeps answering taps.

Protocol, one JSON object per line. In (stdin)::

    {"cmd": "say", "id": 3, "text": "...", "locale": "en_US", "voice": "Mary"}
    {"cmd": "stop", "id": 4}

Out (stdout)::

    {"event": "ready", "engine": "speechd", "voices": [{"locale": "en_US", "name": "Mary"}]}
    {"event": "failed", "reason": "..."}                    then it exits with 1
    {"event": "ack", "id": 3, "locale": "en_US", "voice": "Mary"}   the call returned
    {"event": "state", "id": 3, "state": "speaking" | "ready" | "error", "error": "..."}

End of stdin ends the process.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal

from kiosk.speechd import emit, parse_command


class _Lines(QObject):
    """Reads stdin on a plain thread and hands each line to the Qt thread."""

    line = Signal(str)
    closed = Signal()

    def start(self) -> None:
        threading.Thread(target=self._read, name="stdin", daemon=True).start()

    def _read(self) -> None:
        for raw in sys.stdin:
            self.line.emit(raw)
        self.closed.emit()


def pick_engine(wanted: str) -> Any:
    """The first engine that works and has voices: ``wanted``, or any but Qt's mock one."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    engines = QTextToSpeech.availableEngines()
    if wanted and wanted not in engines:
        raise RuntimeError(f"the speech engine {wanted!r} is not installed "
                           f"(there are: {', '.join(engines) or 'none'})")
    problems = []
    for name in [wanted] if wanted else [e for e in engines if e != "mock"]:
        tts = QTextToSpeech(name)
        if tts.state() != QTextToSpeech.State.Error and tts.availableLocales():
            return tts
        problems.append(f"{name}: {tts.errorString() or 'no voices'}")
        tts.deleteLater()
    raise RuntimeError("no speech engine works (" + ("; ".join(problems) or "none installed")
                       + ")")


def voices_of(tts: Any) -> list[dict[str, str]]:
    """Every voice of the engine with its locale name, e.g. ``en_US``."""
    voices = []
    for locale in tts.availableLocales():
        tts.setLocale(locale)
        for voice in tts.availableVoices():
            voices.append({"locale": voice.locale().name(), "name": voice.name()})
        if not tts.availableVoices():
            voices.append({"locale": locale.name(), "name": ""})
    return voices


class Server(QObject):
    """Carries out the kiosk's commands on one QTextToSpeech, reporting every state."""

    def __init__(self, tts: Any) -> None:
        super().__init__()
        from PySide6.QtTextToSpeech import QTextToSpeech

        self.tts = tts
        self.last_id = 0
        self._names = {QTextToSpeech.State.Speaking: "speaking",
                       QTextToSpeech.State.Ready: "ready",
                       QTextToSpeech.State.Error: "error"}
        tts.stateChanged.connect(self._on_state)

    def _on_state(self, state: Any) -> None:
        name = self._names.get(state)
        if name is not None:
            event = {"event": "state", "id": self.last_id, "state": name}
            if name == "error":
                event["error"] = self.tts.errorString()
            emit(event)

    def handle(self, raw: str) -> None:
        command = parse_command(raw)
        if command is None:
            return
        kind, ident = command["cmd"], command["id"]
        self.last_id = ident
        if kind == "say":
            self._choose(str(command.get("locale", "")), str(command.get("voice", "")))
            self.tts.say(str(command.get("text", "")))
        elif kind == "stop":
            self.tts.stop()
        elif kind == "pause":
            self.tts.pause()
        elif kind == "resume":
            self.tts.resume()
        elif kind == "set":  # the patient's pace and loudness (the keypad's keys)
            if "rate" in command:
                self.tts.setRate(max(-1.0, min(1.0, float(command["rate"]))))
            if "volume" in command:
                self.tts.setVolume(max(0.0, min(1.0, float(command["volume"]))))
        emit({"event": "ack", "id": ident, "locale": self.tts.locale().name(),
              "voice": self.tts.voice().name()})

    def _choose(self, locale: str, voice: str) -> None:
        if locale and self.tts.locale().name() != locale:
            self.tts.setLocale(QLocale(locale))
        if voice and self.tts.voice().name() != voice:
            for candidate in self.tts.availableVoices():
                if candidate.name() == voice:
                    self.tts.setVoice(candidate)
                    break


def main(argv: list[str]) -> int:
    app = QCoreApplication(argv[:1])
    try:
        tts = pick_engine(argv[1] if len(argv) > 1 else "")
        voices = voices_of(tts)
    except Exception as exc:  # any engine failure is reported, never a traceback only
        emit({"event": "failed", "reason": str(exc) or type(exc).__name__})
        return 1
    server = Server(tts)
    lines = _Lines()
    lines.line.connect(server.handle)
    lines.closed.connect(app.quit)
    lines.start()
    emit({"event": "ready", "engine": tts.engine(), "voices": voices})
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
