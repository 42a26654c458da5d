"""Read-aloud through speech-dispatcher's own protocol (SSIP), with no Qt: the speech child.

On Linux the kiosk's read-aloud engine is speech-dispatcher. QtTextToSpeech reaches it
through libspeechd, which needs a second Qt process (QtCore, QtGui, QtMultimedia,
QtNetwork: about 22 MB of memory, issue 24). This child speaks SSIP itself, plain text
lines over speech-dispatcher's Unix socket, so it holds Python and a socket and nothing
else. The kiosk starts it as ``python -S .../kiosk/speechd.py`` (no site-packages: it
needs none; ``kiosk.ui.speech.Speaker``) and talks to it exactly as to
``kiosk.ui.speech_server``: JSON lines, the same commands and events (see there). Being a
process of its own, a speech-dispatcher that stops answering hangs only this child, which
the kiosk kills after its time limit.

speech-dispatcher with no sound server accepts words and never finishes saying them, so
the child says one silent test word before it reports ready; if that word does not end
within ``TEST_WORD_S``, it reports ``failed`` and the kiosk turns read-aloud off with the
log line saying what to install, as before.

Where speech-dispatcher listens: ``SPEECHD_ADDRESS`` (``unix_socket:PATH`` or
``inet_socket:HOST:PORT``) as libspeechd reads it, else
``$XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock`` (the cache folder without a runtime
folder, as GLib does).
If nothing listens on a Unix socket, the child starts speech-dispatcher as libspeechd does
(``speech-dispatcher --spawn``), which ends by itself a while after its last client.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import sys
import time

TYPE_CHECKING = False  # (typing.TYPE_CHECKING, without importing typing)
if TYPE_CHECKING:  # (this process imports only what it runs: it is kept small, issue 24)
    from collections.abc import Callable, Iterator
    from typing import Any

    Event = Callable[[int, int, str], None]  # (code, message id, name) of a notification

ENGINE = "speechd"  # the name QtTextToSpeech gives the same engine
CLIENT_NAME = "kiosk:kiosk:read-aloud"
REPLY_S = 10.0  # a reply slower than this is a hang (the kiosk gives up after 5 s anyway)
SPAWN_S = 10.0  # speech-dispatcher --spawn returns once the daemon listens
CONNECT_S = 5.0  # after a spawn: keep trying to connect this long
TEST_WORD_S = 5.0  # a silent test word must end within this (no sound server: never)
NO_SOUND = ("speech-dispatcher began a silent test word and did not finish it within "
            f"{TEST_WORD_S:g} s: it has no sound output (is PulseAudio or PipeWire running "
            "for the kiosk user?)")



class SSIPError(Exception):
    """speech-dispatcher cannot be reached, did not answer, or refused a command."""


def address(env: os._Environ[str] | dict[str, str] = os.environ) -> tuple[str, Any]:
    """``("unix", path)`` or ``("inet", (host, port))``, where speech-dispatcher listens."""
    given = env.get("SPEECHD_ADDRESS", "").strip()
    method, _, rest = given.partition(":")
    if method == "inet_socket":
        host, _, port = rest.rpartition(":")
        if not port.isdigit():
            host, port = rest or "127.0.0.1", "6560"
        return "inet", (host or "127.0.0.1", int(port))
    if method == "unix_socket" and rest:
        return "unix", os.path.expanduser(rest)
    # GLib's user runtime folder, as libspeechd and speech-dispatcher find it.
    base = env.get("XDG_RUNTIME_DIR") or env.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return "unix", os.path.join(base, "speech-dispatcher", "speechd.sock")


def connect(env: os._Environ[str] | dict[str, str] = os.environ) -> socket.socket:
    """A connected socket; speech-dispatcher is started first if it is not running."""
    kind, where = address(env)
    try:
        return _connect(kind, where)
    except OSError as exc:
        if kind != "unix":
            raise SSIPError(f"speech-dispatcher at {where[0]}:{where[1]}: {exc}") from None
    try:
        spawn(["speech-dispatcher", "--spawn", "--communication-method", "unix_socket",
               "--socket-path", where], dict(env))
    except OSError as exc:
        raise SSIPError(f"speech-dispatcher is not running and could not be started: "
                        f"{exc}") from None
    deadline = time.monotonic() + CONNECT_S
    while True:
        try:
            return _connect(kind, where)
        except OSError as exc:
            if time.monotonic() > deadline:
                raise SSIPError(f"speech-dispatcher did not start listening on {where}: "
                                f"{exc}") from None
            time.sleep(0.1)


def spawn(argv: list[str], env: dict[str, str]) -> None:
    """Run ``argv`` (found on PATH) to its end, ``SPAWN_S`` at most, its output discarded
    (os.posix_spawnp: subprocess would double this process's imports)."""
    null = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=null)
    deadline = time.monotonic() + SPAWN_S
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise TimeoutError(f"{argv[0]} did not return within {SPAWN_S:g} s")
        time.sleep(0.02)


def _connect(kind: str, where: Any) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX if kind == "unix" else socket.AF_INET)
    try:
        sock.settimeout(REPLY_S)
        sock.connect(where)
    except OSError:
        sock.close()
        raise
    return sock


def speak_data(text: str) -> bytes:
    """The words as SSIP's data block: CRLF lines, a line starting with a dot gets a second
    one (so no text can end the block early or smuggle in a command), then ``.``."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = "\r\n".join("." + line if line.startswith(".") else line for line in lines)
    return (body + "\r\n.\r\n").encode("utf-8", "replace")


_SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u2026])\s+|\s*\n\s*")


def sentences(text: str) -> list[str]:
    """The words cut after each sentence (and at each line break), blanks left out."""
    return [part for part in (p.strip() for p in _SENTENCE_END.split(text)) if part]


def locale_of(language: str) -> str:
    """SSIP's ``es-419`` -> Qt's spelling ``es_419``, as the kiosk's voices are named."""
    return language.replace("-", "_")


def base_voices(listed: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    """The kiosk's voice list from ``LIST SYNTHESIS_VOICES`` (name, language, variant):
    espeak-ng lists each of its ~130 voices again with each of ~100 variants ("Spanish
    (Latin America)+Andrea"); only the voices themselves are kept."""
    plain = [v for v in listed if v[2] in ("none", "")] or listed
    return [{"locale": locale_of(lang), "name": name} for name, lang, _variant in plain]


def _not_a_variant(line: str) -> bool:
    """A line of ``LIST SYNTHESIS_VOICES`` that is not espeak-ng's voice+variant."""
    name, _, rest = line.partition("\t")
    return "+" not in name or rest.endswith(("\tnone", "\t"))


class Connection:
    """One SSIP connection: commands and their replies, and the notifications (7xx) that
    arrive between them."""

    def __init__(self, sock: socket.socket, on_event: Event) -> None:
        self.sock = sock
        self.on_event = on_event
        self._buffer = bytearray()
        self._at = 0  # where the next line starts in _buffer
        self._event: list[str] = []  # the 7xx- lines of a notification not yet ended

    def command(self, line: str, data: bytes | None = None,
                keep: Callable[[str], bool] | None = None) -> tuple[int, list[str]]:
        """Send one command (and its data block) and return the reply's code and text
        lines (only those ``keep`` takes, and the last, if given: a voice list is 13,000
        lines); a 3xx/4xx/5xx reply raises SSIPError."""
        self.sock.sendall(line.encode("utf-8") + b"\r\n")
        if data is not None:
            code, _ = self._reply()
            if code != 230:
                raise SSIPError(f"{line}: speech-dispatcher did not take the words ({code})")
            self.sock.sendall(data)
        code, lines = self._reply(keep)
        self._drain()  # notifications that came in the same read as the reply
        if code >= 300:
            raise SSIPError(f"{line}: {code} {lines[-1] if lines else ''}")
        return code, lines

    def _reply(self, keep: Callable[[str], bool] | None = None) -> tuple[int, list[str]]:
        lines: list[str] = []
        for line in self._lines(block=True):
            if len(line) < 4 or not line[:3].isdigit():
                raise SSIPError(f"speech-dispatcher said {line[:80]!r}")
            if line[3] == " ":
                lines.append(line[4:])
                return int(line[:3]), lines
            if keep is None or keep(line[4:]):
                lines.append(line[4:])
        raise SSIPError("speech-dispatcher closed the connection")  # pragma: no cover

    def pump(self) -> bool:
        """Read what has arrived (notifications only, between commands); False once
        speech-dispatcher has closed the connection."""
        try:
            chunk = self.sock.recv(65536, socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return True
        if not chunk:
            return False
        self._buffer += chunk
        self._drain()
        return True

    def _drain(self) -> None:
        for line in self._lines(block=False):
            raise SSIPError(f"speech-dispatcher said {line[:80]!r} unasked")

    def _lines(self, block: bool) -> Iterator[str]:
        """Lines that are not part of a notification; notifications are handed on."""
        while True:
            end = self._buffer.find(b"\r\n", self._at)
            if end < 0:
                del self._buffer[:self._at]  # the lines read so far (one copy per read)
                self._at = 0
                if not block:
                    return
                try:
                    chunk = self.sock.recv(65536)
                except TimeoutError:
                    raise SSIPError(f"speech-dispatcher did not answer within "
                                    f"{REPLY_S:g} s") from None
                if not chunk:
                    raise SSIPError("speech-dispatcher closed the connection")
                self._buffer += chunk
                continue
            line = self._buffer[self._at:end].decode("utf-8", "replace")
            self._at = end + 2
            if line.startswith("7") and len(line) >= 4:
                self._notification(line)
                continue
            yield line

    def _notification(self, line: str) -> None:
        if line[3] == "-":
            self._event.append(line[4:])
            return
        parts, self._event = self._event, []
        message = int(parts[0]) if parts and parts[0].isdigit() else 0
        self.on_event(int(line[:3]), message, line[4:].strip())


class Server:
    """Carries out the kiosk's commands on one SSIP connection and reports every state,
    the same JSON lines as kiosk.ui.speech_server."""

    def __init__(self, emit: Callable[[dict[str, Any]], None]) -> None:
        self.emit = emit
        self.conn: Connection | None = None
        self.ended: set[int] = set()  # messages ended (for the test word)
        # What is being said: the kiosk's "say" id, its sentences, which of them are
        # queued (speech-dispatcher's message id -> sentence), the one being said.
        self.current: int | None = None
        self.sentences: list[str] = []
        self.queued: dict[int, int] = {}
        self.at = 0
        self.begun = False  # "speaking" reported for the current words
        self.paused = False
        self.locale = ""
        self.voice = ""

    def start(self, env: os._Environ[str] | dict[str, str] = os.environ) -> list[dict[str, str]]:
        """Connect, list the voices, say the silent test word; the voices."""
        self.conn = Connection(connect(env), self._on_event)
        self.conn.command(f"SET self CLIENT_NAME {CLIENT_NAME}")
        self.conn.command("SET self NOTIFICATION ALL on")
        _, lines = self.conn.command("LIST SYNTHESIS_VOICES", keep=_not_a_variant)
        listed = [(p[0], p[1], p[2] if len(p) > 2 else "")
                  for p in (line.split("\t") for line in lines[:-1]) if len(p) >= 2]
        voices = base_voices(listed)
        if not voices:
            raise SSIPError("speech-dispatcher has no voices (install "
                            "speech-dispatcher-espeak-ng)")
        self._test_word()
        return voices

    def _test_word(self) -> None:
        assert self.conn is not None
        self.conn.command("SET self VOLUME -100")
        self.conn.command("SET self RATE 100")  # short: the first key's words wait for it
        message = self._speak("ok")
        deadline = time.monotonic() + TEST_WORD_S
        while message not in self.ended:
            left = deadline - time.monotonic()
            if left <= 0:
                self.conn.command("CANCEL self")
                raise SSIPError(NO_SOUND)
            if _readable([self.conn.sock.fileno()], left) and not self.conn.pump():
                raise SSIPError("speech-dispatcher closed the connection")
        self.conn.command("SET self RATE 0")
        self.conn.command("SET self VOLUME 100")

    def _speak(self, text: str) -> int:
        assert self.conn is not None
        _, lines = self.conn.command("SPEAK", speak_data(text))
        return int(lines[0]) if lines and lines[0].isdigit() else 0

    def _on_event(self, code: int, message: int, name: str) -> None:
        if code in (702, 703):  # END, CANCEL
            self.ended.add(message)
        index = self.queued.get(message)
        if index is None:
            return
        if code == 701:  # BEGIN
            self.at = index
            if not self.begun:
                self.begun = True
                self.emit({"event": "state", "id": self.current, "state": "speaking"})
        elif code in (702, 703):
            del self.queued[message]
            self.at = index + 1 if code == 702 else self.at
            if not self.queued and not self.paused:  # the last sentence ended
                self.emit({"event": "state", "id": self.current, "state": "ready"})
                self.current = None

    def _queue(self, start: int) -> None:
        """Each sentence from ``start`` its own message: speech-dispatcher says them in turn
        and tells where it is (for pause)."""
        for index in range(start, len(self.sentences)):
            self.queued[self._speak(self.sentences[index])] = index

    def _cancel(self) -> None:
        """Stop everything said or waiting. speech-dispatcher tells of a cancelled message
        only if it had begun: ours are forgotten first, so no report comes of them."""
        assert self.conn is not None
        self.queued.clear()
        self.conn.command("CANCEL self")

    def handle(self, raw: str) -> None:
        assert self.conn is not None
        command = parse_command(raw)
        if command is None:
            return
        kind, ident = command["cmd"], command["id"]
        if kind == "say":  # one thing said at a time, as Qt's engines do
            self._cancel()
            locale, voice = str(command.get("locale", "")), str(command.get("voice", ""))
            if locale and locale != self.locale:
                self.conn.command(f"SET self LANGUAGE {locale.replace('_', '-')}")
                self.locale, self.voice = locale, ""
            if voice and voice != self.voice:
                self.conn.command(f"SET self SYNTHESIS_VOICE {voice}")
                self.voice = voice
            self.current, self.begun, self.paused, self.at = ident, False, False, 0
            self.sentences = sentences(str(command.get("text", "")))
            self._queue(0)
            if not self.queued:  # nothing to say
                self.emit({"event": "state", "id": ident, "state": "ready"})
        elif kind == "stop":  # stopped now (QTextToSpeech says "ready" at once too)
            self._cancel()
            self.current, self.paused = None, False
            self.emit({"event": "state", "id": ident, "state": "ready"})
        elif kind == "pause" and self.current is not None and not self.paused:
            # speech-dispatcher's own PAUSE leaves espeak-ng silent until it is restarted
            # (brailcom/speechd#813, seen here with 0.11.4): the words are cancelled
            # instead, and "resume" says them again from the sentence they were in.
            self.paused = True
            self._cancel()
        elif kind == "resume" and self.current is not None and self.paused:
            self.paused = False
            self._queue(self.at)
            if not self.queued:
                self.emit({"event": "state", "id": self.current, "state": "ready"})
                self.current = None
        elif kind == "set":  # the patient's pace and loudness (the keypad's keys)
            if "rate" in command:  # -1 .. 1 -> SSIP's -100 .. 100
                rate = max(-1.0, min(1.0, float(command["rate"])))
                self.conn.command(f"SET self RATE {round(rate * 100)}")
            if "volume" in command:  # 0 .. 1 -> SSIP's -100 .. 100
                volume = max(0.0, min(1.0, float(command["volume"])))
                self.conn.command(f"SET self VOLUME {round(volume * 200 - 100)}")
        self.emit({"event": "ack", "id": ident, "locale": self.locale, "voice": self.voice})

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.sock.settimeout(1.0)  # a goodbye is not worth waiting for
                self.conn.command("QUIT")
            except (OSError, SSIPError):
                pass
            self.conn.sock.close()


def _readable(fds: list[int], timeout: float | None) -> list[int]:
    """Which of ``fds`` can be read, waiting up to ``timeout`` seconds (None: for ever)."""
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)
    return [fd for fd, _ in poller.poll(None if timeout is None else timeout * 1000)]


def parse_command(raw: str) -> dict[str, Any] | None:
    """One line from the kiosk as a command (``cmd`` and an int ``id``), or None (said on
    stderr): the protocol both speech children share (kiosk.ui.speech_server too)."""
    try:
        command = json.loads(raw)
        command["id"] = int(command["id"])
        str(command["cmd"])
    except (ValueError, KeyError, TypeError):
        sys.stderr.write(f"speech child: not a command: {raw[:200]!r}\n")
        return None
    return command if isinstance(command, dict) else None


def emit(event: dict[str, Any]) -> None:
    """One line to the kiosk."""
    sys.stdout.write(json.dumps(event, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def serve(server: Server, stdin_fd: int) -> int:
    """Until the kiosk closes our stdin: its commands in, notifications out."""
    assert server.conn is not None
    pending = b""
    speech = server.conn.sock.fileno()
    while True:
        for fd in _readable([stdin_fd, speech], None):
            if fd == speech:
                if not server.conn.pump():
                    emit({"event": "failed", "reason": "speech-dispatcher ended"})
                    return 1
                continue
            chunk = os.read(stdin_fd, 65536)
            if not chunk:
                return 0
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line.strip():
                    server.handle(line.decode("utf-8", "replace"))


def main(argv: list[str]) -> int:
    server = Server(emit)
    try:
        voices = server.start()
    except (OSError, SSIPError) as exc:
        emit({"event": "failed", "reason": str(exc) or type(exc).__name__})
        server.close()
        return 1
    emit({"event": "ready", "engine": ENGINE, "voices": voices})
    try:
        return serve(server, sys.stdin.fileno())
    except (OSError, SSIPError) as exc:
        emit({"event": "failed", "reason": str(exc) or type(exc).__name__})
        return 1
    finally:
        server.close()


def run(argv: list[str]) -> int:
    """``main``, ended quietly when the kiosk is gone (a closed pipe: nobody to tell, and a
    traceback in the journal for every kiosk restart would only be noise)."""
    try:
        return main(argv)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # (Python's own flush at exit would fail too)
        return 1


if __name__ == "__main__":
    sys.exit(run(sys.argv))
