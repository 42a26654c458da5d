"""The front-desk alert (issue 20), against a real HTTP server on localhost: what it sends
(nothing a neighbour could not see), retries, failures counted, no proxy, no redirect."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kiosk.alert import NOW, TEST, TODAY, Settings, Tally, deliver, url_problem
from kiosk.config import ConfigError, bundled_content, load_config
from kiosk.model import load_content


class Receiver:
    """A tiny desk-side receiver: records every request; answers with ``codes`` in turn."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.codes: list[int] = []
        self.location = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.path, dict(self.headers), data))
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/webhook/kiosk"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def settings(url: str, **changes: object) -> Settings:
    return replace(Settings(url, "Lobby kiosk", "Waiting room, by the window", retry_s=5),
                   **changes)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def patient_words() -> set[str]:
    """Every question, sign, answer and result of the bundled self-checks, and page titles."""
    content = load_content(bundled_content()).content
    assert content is not None
    words: set[str] = set()
    for code in content.codes:
        language = content.language(code)
        words |= {t.title for t in language.topics}
        check = language.selfcheck
        assert check is not None
        for q in check.questions:
            words |= {q.text, *q.signs, *(a.text for a in q.answers)}
        words |= {b.title for b in check.bands} | {t.title for t in check.tiers.values()}
    return {w for w in words if len(w) > 3}


@pytest.mark.parametrize("tier", [NOW, TODAY])
def test_an_alert_says_where_and_how_urgent_and_nothing_about_the_patient(
        receiver: Receiver, tier: str) -> None:
    tally = Tally()
    outcome = deliver(settings(receiver.url), tier, tally)
    assert outcome.delivered and outcome.attempts == 1 and outcome.status == 200
    [(path, headers, data)] = receiver.requests
    assert path == "/api/webhook/kiosk" and headers["Content-Type"] == "application/json"
    sent = json.loads(data)
    assert sent["tier"] == tier and sent["kiosk"] == "Lobby kiosk" and not sent["test"]
    assert sent["place"] == "Waiting room, by the window"
    assert "please" in sent["title"].lower() and "Lobby kiosk" in sent["title"]
    text = data.decode("utf-8")
    leaked = [w for w in patient_words() if w.lower() in text.lower()]
    assert leaked == []
    assert tally.totals["delivered"] == 1 and tally.failures_today() == 0


def test_the_text_format_is_ntfys_publish_api_with_a_bearer_token(
        receiver: Receiver, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("s3cret-token\n", "utf-8")
    token.chmod(0o600)
    outcome = deliver(settings(receiver.url, fmt="text", token_file=str(token)), NOW)
    assert outcome.delivered
    [(_path, headers, data)] = receiver.requests
    assert headers["Authorization"] == "Bearer s3cret-token"
    assert headers["Priority"] == "urgent" and headers["Tags"] == "rotating_light"
    assert headers["Title"].startswith("Front desk: please check on the person at Lobby kiosk")
    assert data.decode("utf-8").startswith("The self-check there shows a sign")


def test_a_token_file_others_can_read_is_refused(receiver: Receiver, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("s3cret-token\n", "utf-8")
    token.chmod(0o644)
    outcome = deliver(settings(receiver.url, token_file=str(token), retry_s=0), NOW)
    assert not outcome.delivered and "chmod 600" in outcome.reason
    assert receiver.requests == []  # nothing sent without its token


def test_retries_with_growing_waits_until_the_desk_answers(receiver: Receiver) -> None:
    receiver.codes = [503, 500, 200]
    clock, tally = Clock(), Tally()
    outcome = deliver(settings(receiver.url, retry_s=600), NOW, tally, clock, clock.sleep)
    assert outcome.delivered and outcome.attempts == 3
    assert clock.waits == [2.0, 4.0]
    ids = {json.loads(data)["id"] for _p, _h, data in receiver.requests}
    assert len(ids) == 1  # the same alert each time: a receiver can drop repeats
    assert tally.totals == {"delivered": 1, "failed": 0, "retried": 2}


def test_a_desk_that_never_answers_counts_one_failure_after_the_retry_time(
        receiver: Receiver) -> None:
    url = receiver.url
    receiver.close()  # nobody listens there now
    clock, tally = Clock(), Tally()
    outcome = deliver(settings(url, retry_s=600), TODAY, tally, clock, clock.sleep)
    assert not outcome.delivered and outcome.status == 0
    assert clock.now == 600 and outcome.attempts == len(clock.waits) + 1
    assert max(clock.waits) == 60.0  # the waits grow, to a minute at most
    assert tally.failures_today() == 1 and tally.totals["failed"] == 1


def test_no_proxy_and_no_redirect_can_carry_an_alert_off_the_network(
        receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = Receiver()
    try:
        monkeypatch.setenv("http_proxy", elsewhere.url.rsplit("/api", 1)[0])
        monkeypatch.setenv("HTTP_PROXY", elsewhere.url.rsplit("/api", 1)[0])
        assert deliver(settings(receiver.url), TEST).delivered
        assert len(receiver.requests) == 1 and elsewhere.requests == []
        receiver.codes, receiver.location = [307], elsewhere.url
        outcome = deliver(settings(receiver.url, retry_s=0), NOW)
        assert not outcome.delivered and outcome.reason == "HTTP 307"
        assert elsewhere.requests == []
    finally:
        elsewhere.close()


def test_the_alert_address_is_checked_with_the_config(tmp_path: Path) -> None:
    assert url_problem("") is None and url_problem("http://desk.local:8123/x") is None
    config = tmp_path / "kiosk.toml"
    config.write_text('[alert]\nkiosk_name = "Lobby"\nurl = "ftp://desk.local/x"\n'
                      'format = "xml"\n', "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    problems = raised.value.problems
    assert any(p.startswith(f"{config}:3: 'alert.url' must be an http:// or https://")
               for p in problems), problems
    assert any(p.startswith(f"{config}:4: 'alert.format' must be \"json\" or \"text\"")
               for p in problems), problems
    config.write_text('[alert]\nurl = "http://user:pw@desk.local/x"\n', "utf-8")
    with pytest.raises(ConfigError, match="must not hold a user name or password"):
        load_config(config)


def test_no_address_no_alert_and_no_network(tmp_path: Path) -> None:
    assert load_config(None).alert_settings() is None
    config = tmp_path / "kiosk.toml"
    config.write_text('[alert]\nurl = "http://desk.local/hook"\ntoken_file = "token"\n',
                      "utf-8")
    found = load_config(config).alert_settings()
    assert found is not None and found.token_file == str(tmp_path / "token")
    assert found.kiosk_name == os.uname().nodename and found.retry_s == 600


def test_kiosk_alert_test_command(receiver: Receiver, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.__main__ import main

    config = tmp_path / "kiosk.toml"
    config.write_text(f'[alert]\nurl = "{receiver.url}"\nkiosk_name = "Lobby"\n', "utf-8")
    assert main(["alert", "--test", "--config", str(config)]) == 0
    assert "test alert delivered" in capsys.readouterr().out
    assert json.loads(receiver.requests[0][2])["test"] is True
    receiver.codes = [500]
    assert main(["alert", "--test", "--config", str(config)]) == 1
    assert "NOT delivered" in capsys.readouterr().err
    empty = tmp_path / "none.toml"
    empty.write_text("", "utf-8")
    assert main(["alert", "--test", "--config", str(empty)]) == 2
