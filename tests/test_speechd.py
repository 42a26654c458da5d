"""The speech child that speaks speech-dispatcher's own protocol (kiosk/speechd.py), against
a real speech-dispatcher, espeak-ng and PulseAudio (a null sink: words take their real
time): the same JSON lines as the QtTextToSpeech child, no Qt, pause that works, and a
speech-dispatcher with no sound output or none at all reported, never waited on."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk import speechd
from tests.conftest import imported_by, needs_speech_dispatcher

WAIT_S = 60.0  # a busy machine may take long to start Python and speech-dispatcher


class Child:
    """The speech child as the kiosk runs it (``python -S kiosk/speechd.py``), its events
    read line by line (on a thread, so a test can also see that nothing came)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        import os

        self.proc = subprocess.Popen([sys.executable, "-S", speechd.__file__],  # as the kiosk
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, **(env or {})})
        self.events: list[dict[str, Any]] = []
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next = 0

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put("")

    def send(self, **command: Any) -> int:
        self._next += 1
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({**command, "id": self._next}) + "\n")
        self.proc.stdin.flush()
        return self._next

    def next_event(self, timeout: float = WAIT_S) -> dict[str, Any]:
        line = self._lines.get(timeout=timeout)
        assert line, f"the child ended: {self.proc.wait(10)}, {self.proc.stderr.read()!r}"
        event: dict[str, Any] = json.loads(line)
        self.events.append(event)
        return event

    def quiet_for(self, seconds: float) -> bool:
        """Whether the child said nothing for this long."""
        try:
            self.next_event(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def until(self, **wanted: Any) -> int:
        """The index of the first event so far, or to come, with these values."""
        deadline = time.monotonic() + WAIT_S
        index = 0
        while time.monotonic() < deadline:
            while index >= len(self.events):
                self.next_event()
            if all(self.events[index].get(k) == v for k, v in wanted.items()):
                return index
            index += 1
        raise AssertionError(f"no event {wanted} in {self.events}")

    def end(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(WAIT_S)

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self._reader.join(10)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()


@pytest.fixture
def child(speech_dispatcher: dict[str, str]) -> Iterator[Child]:
    with Child() as running:
        yield running


@needs_speech_dispatcher
def test_it_starts_speech_dispatcher_and_lists_its_voices_without_variants(
        child: Child) -> None:
    ready = child.next_event()
    assert ready["event"] == "ready" and ready["engine"] == "speechd"
    voices = {(v["locale"], v["name"]) for v in ready["voices"]}
    for voice in (("en_US", "English (America)"), ("es_419", "Spanish (Latin America)"),
                  ("fa", "Persian")):
        assert voice in voices
    # espeak-ng lists every voice again with each of its ~100 variants: not those.
    assert not any("+" in name for _, name in voices)
    assert 50 < len(voices) < 400
    assert child.end() == 0


@needs_speech_dispatcher
def test_it_says_words_in_the_chosen_voice_and_reports_start_and_end(child: Child) -> None:
    child.until(event="ready")
    said = child.send(cmd="say", text="Hola. Esto es una prueba.", locale="es_419",
                      voice="Spanish (Latin America)")
    ack = child.events[child.until(event="ack", id=said)]
    assert (ack["locale"], ack["voice"]) == ("es_419", "Spanish (Latin America)")
    # espeak-ng began the words, then finished them
    assert child.until(event="state", id=said, state="speaking") < \
        child.until(event="state", id=said, state="ready")
    again = child.send(cmd="say", text="Hello.", locale="en_US", voice="English (America)")
    assert child.events[child.until(event="ack", id=again)]["voice"] == "English (America)"
    child.until(event="state", id=again, state="ready")
    assert child.end() == 0


LONG = " ".join(["This sentence is here to take a while to say."] * 40)  # over a minute
EN = {"locale": "en_US", "voice": "English (America)"}


@needs_speech_dispatcher
def test_stop_ends_long_words_at_once_and_the_next_words_are_said(child: Child) -> None:
    child.until(event="ready")
    said = child.send(cmd="say", text=LONG, **EN)
    child.until(event="state", id=said, state="speaking")
    for command in ({"cmd": "set", "rate": -0.5, "volume": 0.25},
                    {"cmd": "set", "rate": 7, "volume": -3}):  # out of range: clamped
        child.until(event="ack", id=child.send(**command))
    stop = child.send(cmd="stop")
    child.until(event="state", id=stop, state="ready")
    child.until(event="ack", id=stop)
    after = child.send(cmd="say", text="Next.", **EN)
    child.until(event="state", id=after, state="speaking")
    child.until(event="state", id=after, state="ready")  # long before a minute is up
    assert not any(e["event"] == "failed" for e in child.events)
    assert child.end() == 0


@needs_speech_dispatcher
def test_pause_holds_the_words_and_resume_says_the_rest(child: Child) -> None:
    """speech-dispatcher's own PAUSE leaves espeak-ng silent for good (brailcom/speechd#813):
    pausing here must not, and the words go on after it."""
    child.until(event="ready")
    said = child.send(cmd="say", text="One short sentence. Then another one. And a third.", **EN)
    child.until(event="state", id=said, state="speaking")
    child.until(event="ack", id=child.send(cmd="pause"))
    assert child.quiet_for(3.0), f"words went on while paused: {child.events[-1]}"
    child.until(event="ack", id=child.send(cmd="resume"))
    child.until(event="state", id=said, state="ready")  # the rest was said, then "ready"
    assert sum(e.get("state") == "ready" for e in child.events) == 1
    # and speech still works after a pause (it did not with speech-dispatcher's PAUSE)
    again = child.send(cmd="say", text="Still speaking.", **EN)
    child.until(event="state", id=again, state="speaking")
    child.until(event="state", id=again, state="ready")
    # a pause, then new words (the patient moved on) without a resume
    third = child.send(cmd="say", text=LONG, **EN)
    child.until(event="state", id=third, state="speaking")
    child.until(event="ack", id=child.send(cmd="pause"))
    fourth = child.send(cmd="say", text="New page.", **EN)
    child.until(event="state", id=fourth, state="ready")
    assert child.end() == 0


def test_sentences_are_cut_after_their_ends_and_at_line_breaks() -> None:
    assert speechd.sentences("Hola. Esto es... una prueba! ¿Sí?\n\nSin punto\nUn 3.5 %. "
                             "\u0633\u0644\u0627\u0645\u061f \u062e\u0648\u0628") == [
        "Hola.", "Esto es...", "una prueba!", "¿Sí?", "Sin punto", "Un 3.5 %.",
        "\u0633\u0644\u0627\u0645\u061f", "\u062e\u0648\u0628"]
    assert speechd.sentences("  \n ") == []


@needs_speech_dispatcher
def test_words_cannot_end_the_message_early_or_send_a_command(child: Child) -> None:
    """SSIP ends a message with a line holding one dot; a page's text with such a line (or a
    line that looks like a command after it) is still all words, and the connection goes on."""
    child.until(event="ready")
    said = child.send(cmd="say", text="First line.\n.\nQUIT\n..two dots\r\nlast", **EN)
    child.until(event="state", id=said, state="ready")
    after = child.send(cmd="say", text="Still here.", **EN)
    child.until(event="state", id=after, state="ready")
    assert not any(e["event"] == "failed" for e in child.events)
    assert child.end() == 0


def test_the_data_block_doubles_leading_dots_and_ends_with_one() -> None:
    assert speechd.speak_data("a\n.\n..b\r\nc\rd") == b"a\r\n..\r\n...b\r\nc\r\nd\r\n.\r\n"
    assert speechd.speak_data("ñ") == "ñ\r\n.\r\n".encode()


@needs_speech_dispatcher
def test_no_sound_output_is_reported_and_the_child_ends(
        speech_dispatcher: dict[str, str], tmp_path: Path) -> None:
    """speech-dispatcher with no sound server takes words and never finishes them (it used
    to hang QtTextToSpeech); the child finds out with a silent test word and says so."""
    started = time.monotonic()
    with Child({"PULSE_SERVER": f"unix:{tmp_path / 'no-pulse'}"}) as child:
        event = child.next_event()
        assert event["event"] == "failed" and "no sound output" in event["reason"]
        assert "PulseAudio or PipeWire" in event["reason"]
        assert child.proc.wait(WAIT_S) == 1
    assert time.monotonic() - started < speechd.TEST_WORD_S + 30


def test_no_speech_dispatcher_is_reported_at_once(tmp_path: Path) -> None:
    with Child({"PATH": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)}) as child:
        event = child.next_event()
        assert event["event"] == "failed"
        assert "speech-dispatcher is not running and could not be started" in event["reason"]
        assert child.proc.wait(WAIT_S) == 1


def test_a_kiosk_gone_before_the_answer_leaves_no_traceback(tmp_path: Path) -> None:
    """The kiosk died (or was restarted) while its speech child started: the child's words
    go nowhere, and it ends without a traceback in the journal."""
    proc = subprocess.Popen([sys.executable, "-S", speechd.__file__],
                            env={"PATH": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)},
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # nobody reads: the "failed" line meets a closed pipe
    _out, err = proc.communicate(timeout=WAIT_S)
    assert proc.returncode == 1
    assert err == b""


def test_an_inet_address_is_used_as_given_and_never_spawned(tmp_path: Path) -> None:
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed again: nothing listens there
    with Child({"SPEECHD_ADDRESS": f"inet_socket:127.0.0.1:{port}",
                "PATH": str(tmp_path)}) as child:
        event = child.next_event()
        assert event["event"] == "failed" and f"127.0.0.1:{port}" in event["reason"]
        assert child.proc.wait(WAIT_S) == 1


@pytest.mark.parametrize(("env", "expected"), [
    ({"SPEECHD_ADDRESS": "unix_socket:/run/sd.sock"}, ("unix", "/run/sd.sock")),
    ({"SPEECHD_ADDRESS": "inet_socket:10.0.0.2:6561"}, ("inet", ("10.0.0.2", 6561))),
    ({"SPEECHD_ADDRESS": "inet_socket:speech.local"}, ("inet", ("speech.local", 6560))),
    ({"XDG_RUNTIME_DIR": "/run/user/1000"},
     ("unix", "/run/user/1000/speech-dispatcher/speechd.sock")),
    ({"XDG_CACHE_HOME": "/home/k/.cache"},
     ("unix", "/home/k/.cache/speech-dispatcher/speechd.sock")),
    ({"SPEECHD_ADDRESS": "unix_socket", "XDG_RUNTIME_DIR": "/r"},
     ("unix", "/r/speech-dispatcher/speechd.sock")),
])
def test_address_is_found_as_libspeechd_finds_it(env: dict[str, str],
                                                  expected: tuple[str, Any]) -> None:
    assert speechd.address(env) == expected


def test_voices_keep_the_voices_not_their_variants() -> None:
    listed = [("English (America)", "en-US", "none"), ("English (America)+Max", "en-US", "Max"),
              ("Spanish (Latin America)", "es-419", "none")]
    assert speechd.base_voices(listed) == [
        {"locale": "en_US", "name": "English (America)"},
        {"locale": "es_419", "name": "Spanish (Latin America)"}]
    # An engine whose voices all have a variant keeps them all.
    only = [("Mary", "en-US", "female1")]
    assert speechd.base_voices(only) == [{"locale": "en_US", "name": "Mary"}]


def test_the_child_loads_no_qt_and_nothing_it_does_not_use() -> None:
    assert imported_by("import kiosk.speechd", ("PySide6", "PySide6.QtCore", "shiboken6",
                                                "subprocess", "typing")) == []


@pytest.mark.parametrize("line", ["not json", "[]", '"say"', '{"cmd": "say"}',
                                  '{"id": 3}', '{"cmd": "say", "id": "x"}'])
def test_a_line_that_is_not_a_command_is_said_and_skipped(
        line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert speechd.parse_command(line) is None
    assert "not a command" in capsys.readouterr().err
    assert speechd.parse_command('{"cmd": "stop", "id": "7"}') == {"cmd": "stop", "id": 7}
