"""Metrics for node_exporter's textfile collector (issue 21): Prometheus' text format checked
by promtool, atomic writes, only what changed, and the real node_exporter serving them."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.metrics import (
    FILE_NAME,
    TOUCH_ROUND_S,
    Snapshot,
    TextfileWriter,
    as_written,
    from_json,
    metric_names,
    text,
    to_json,
)
from tests.conftest import imported_by

SNAPSHOT = Snapshot("0.1.0", "installed", ("en", "es"), 1_764_900_000.6, 1_764_903_333.0,
                    {"warning": 12}, {"delivered": 2, "retried": 1}, True, False)
NAMES = ["clinic_kiosk_alert_configured", "clinic_kiosk_alerts_total", "clinic_kiosk_build_info",
         "clinic_kiosk_content_applied_timestamp_seconds", "clinic_kiosk_content_info",
         "clinic_kiosk_content_problems", "clinic_kiosk_last_touch_timestamp_seconds",
         "clinic_kiosk_speech_available", "clinic_kiosk_up"]


def samples(body: str) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    out = {}
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
            out[f"{s.name}{{{labels}}}" if labels else s.name] = s.value
    return out


def test_the_metrics_say_what_it_asks_and_no_more() -> None:
    body = text(SNAPSHOT)
    assert list(metric_names(body)) == NAMES
    got = samples(body)
    assert got['clinic_kiosk_content_info{languages="en,es",version_id="installed"}'] == 1
    assert got['clinic_kiosk_alerts_total{result="delivered"}'] == 2
    assert got['clinic_kiosk_content_problems{severity="warning"}'] == 12
    assert got["clinic_kiosk_up"] == 1 and got["clinic_kiosk_speech_available"] == 0
    touch = got["clinic_kiosk_last_touch_timestamp_seconds"]
    assert touch % TOUCH_ROUND_S == 0 and 0 <= 1_764_903_333 - touch < TOUCH_ROUND_S
    assert " 17649" not in body.split("clinic_kiosk_up")[-1]  # no timestamps on samples
    for line in body.splitlines():
        if not line.startswith("#"):
            assert len(line.rsplit(" ", 1)) == 2, line  # name{labels} value, nothing after


@pytest.mark.skipif(shutil.which("promtool") is None, reason="needs promtool (prometheus)")
def test_promtool_finds_no_problem() -> None:
    done = subprocess.run(["promtool", "check", "metrics"], input=text(SNAPSHOT),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout + done.stderr == "", done.stdout + done.stderr


def test_only_what_changed_is_written_and_never_half_a_file(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    writer = TextfileWriter(path)
    assert writer.write(SNAPSHOT) and not writer.write(SNAPSHOT)  # the same: not again
    # A touch within the same quarter hour says the same: nothing written.
    assert not writer.write(replace(SNAPSHOT, last_touch=SNAPSHOT.last_touch + 1))
    assert writer.writes == 1
    seen: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(path.read_text("utf-8"))

    reader = threading.Thread(target=read)
    reader.start()
    for n in range(30):  # the kiosk under load: a write after every change
        writer.write(replace(SNAPSHOT, problems={"warning": n}))
    stop.set()
    reader.join()
    assert writer.writes == 31 and len(seen) > 10
    for body in seen:
        assert list(metric_names(body)) == NAMES and body.rstrip().endswith("clinic_kiosk_up 1.0")
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no temporary files left


def test_the_kiosk_itself_never_imports_the_metrics_library(tmp_path: Path) -> None:
    """The file is written by a short-lived process: prometheus_client (and the ssl, HTTP
    server and urllib it imports) never sits in the kiosk's memory."""
    path = tmp_path / FILE_NAME
    code = ("from pathlib import Path\n"
            "from kiosk.metrics import Snapshot, TextfileWriter\n"
            f"w = TextfileWriter(Path({str(path)!r}))\n"
            "assert w.write(Snapshot('1', 'installed', ('en',), 0.0, 0.0))")
    assert imported_by(code, ("prometheus_client", "ssl", "urllib.request", "http.server")) == []
    assert samples(path.read_text("utf-8"))["clinic_kiosk_up"] == 1


def test_a_file_that_cannot_be_written_is_logged_with_its_path(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "gone" / FILE_NAME  # its folder does not exist
    writer = TextfileWriter(path)
    assert not writer.write(SNAPSHOT) and writer.writes == 0
    assert str(path) in caplog.text and "No such file or directory" in caplog.text
    (tmp_path / "gone").mkdir()  # tried again at the next change, and then written
    assert writer.write(SNAPSHOT) and path.exists()


def test_a_writer_that_hangs_is_given_up_after_its_timeout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    hang = tmp_path / "hang.py"
    hang.write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    real_run = subprocess.run

    def hanging(command: list[str], **kwargs: object) -> object:  # the writer never answers
        return real_run([sys.executable, str(hang)], **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", hanging)
    writer = TextfileWriter(tmp_path / FILE_NAME)
    started = time.monotonic()
    assert not writer.write(SNAPSHOT, timeout=1)
    assert time.monotonic() - started < 10
    assert "timed out" in caplog.text and writer.writes == 0


def test_the_writer_process_refuses_what_is_not_a_snapshot(tmp_path: Path) -> None:
    for given in ("", "[]", '{"version": 1}', "{nonsense"):
        done = subprocess.run([sys.executable, "-m", "kiosk.metrics", str(tmp_path / "x.prom")],
                              input=given, capture_output=True, text=True, timeout=60,
                              check=False)
        assert done.returncode == 2 and "not a metrics snapshot" in done.stderr, given
    assert list(tmp_path.iterdir()) == []


def test_a_snapshot_survives_the_trip_to_the_writer() -> None:
    assert from_json(to_json(SNAPSHOT)) == SNAPSHOT
    assert as_written(SNAPSHOT).last_touch == SNAPSHOT.last_touch - SNAPSHOT.last_touch % 900


@pytest.fixture
def node_exporter(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    binary = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
    if binary is None:
        pytest.skip("needs Debian's prometheus-node-exporter")
    folder = tmp_path / "textfile"
    folder.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "--collector.disable-defaults", "--collector.textfile",
                             f"--collector.textfile.directory={folder}",
                             f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url, folder
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_real_node_exporter_serves_them(node_exporter: tuple[str, Path]) -> None:
    url, folder = node_exporter
    TextfileWriter(folder / FILE_NAME).write(replace(SNAPSHOT, content_version="20261205-x"))
    with urllib.request.urlopen(url, timeout=10) as answer:
        served = answer.read().decode("utf-8")
    got = samples("\n".join(line for line in served.splitlines()
                            if "clinic_kiosk" in line or line.startswith("# ")))
    assert got['clinic_kiosk_content_info{languages="en,es",version_id="20261205-x"}'] == 1
    assert got["clinic_kiosk_up"] == 1
    assert "node_textfile_scrape_error 0" in served


RULES = Path(__file__).resolve().parents[1] / "deploy" / "prometheus"


@pytest.mark.skipif(shutil.which("promtool") is None, reason="needs promtool (prometheus)")
def test_the_example_alert_rules_fire_when_they_should() -> None:
    """docs/DEPLOY.md's alert rules: kiosk down, content refused, front-desk alerts failing,
    each checked by promtool's own rule tests (deploy/prometheus/*.test.yml)."""
    for args in (["check", "rules", "clinic-kiosk-rules.yml"],
                 ["test", "rules", "clinic-kiosk-rules.test.yml"]):
        done = subprocess.run(["promtool", *args], cwd=RULES, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    rules = (RULES / "clinic-kiosk-rules.yml").read_text("utf-8")
    for name in NAMES:  # the rules use only metrics the kiosk writes (and node_exporter's)
        rules = rules.replace(name, "")
    assert "clinic_kiosk_" not in rules


def test_the_default_is_debians_folder_only_when_it_exists(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.metrics
    from kiosk.config import load_config

    folder = tmp_path / "node-exporter"
    monkeypatch.delenv("KIOSK_TEXTFILE_FOLDER")
    monkeypatch.setattr(kiosk.metrics, "DEFAULT_FOLDER", folder)
    assert load_config(None).metrics_path() is None  # no node_exporter here: no metrics
    folder.mkdir()
    assert load_config(None).metrics_path() == folder / FILE_NAME
    config = tmp_path / "kiosk.toml"
    config.write_text('metrics_file = "off"\n', "utf-8")
    assert load_config(config).metrics_path() is None
