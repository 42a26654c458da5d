"""Metrics for Prometheus' node_exporter textfile collector: is the kiosk up, what content it
shows, when it was last touched, content problems, front-desk alerts, read-aloud.

Written in Prometheus' text format by prometheus_client (``generate_latest``), atomically (a
temporary file beside it, then a rename; node_exporter reads only ``*.prom`` files, so it never
sees half a file), without timestamps in samples, and only when something changed: a kiosk
that nobody touches writes nothing, which spares the SD card. The window calls ``write`` at
most once a minute, off the GUI thread. No label identifies a visit and nothing is per answer;
the last touch is rounded down to ``TOUCH_ROUND_S`` so it cannot single out a patient.

The file is written by a short-lived process, ``python -m kiosk.metrics PATH`` with the
snapshot as JSON on its standard input, not by the kiosk itself: importing prometheus_client
imports its HTTP server, urllib and ssl (OpenSSL) too, about 6.5 MB that a kiosk would
otherwise hold for months to write a dozen lines a few times an hour (issue 24).

Plain Python, no Qt.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_FOLDER = Path("/var/lib/prometheus/node-exporter")  # Debian's textfile folder
FILE_NAME = "clinic_kiosk.prom"
TOUCH_ROUND_S = 900  # the last touch, to the quarter hour


@dataclass(frozen=True)
class Snapshot:
    """What the metrics say at one moment."""

    version: str  # the kiosk application's
    content_version: str  # an imported version's id, or "installed"
    languages: tuple[str, ...]
    content_applied: float  # Unix time the content showing now was applied (0: unknown)
    last_touch: float  # Unix time of the last touch (0: none since start)
    problems: Mapping[str, int] = field(default_factory=dict)  # by severity
    alerts: Mapping[str, int] = field(default_factory=dict)  # delivered, failed, retried
    alert_configured: bool = False
    speech: bool = False
    up: bool = True


def default_path() -> Path | None:
    """Debian's node_exporter textfile folder (or the one ``KIOSK_TEXTFILE_FOLDER`` names),
    when it exists here; else no metrics."""
    folder = Path(os.environ.get("KIOSK_TEXTFILE_FOLDER") or DEFAULT_FOLDER)
    return folder / FILE_NAME if folder.is_dir() else None


class _Collector:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[object]:
        from prometheus_client.core import (
            CounterMetricFamily,
            GaugeMetricFamily,
            InfoMetricFamily,
        )

        s = self.snapshot
        yield InfoMetricFamily("clinic_kiosk_build", "The kiosk application's version.",
                               value={"version": s.version})
        yield InfoMetricFamily("clinic_kiosk_content", "The content patients see: an imported "
                               "version's id (\"installed\": the installed folder) and its "
                               "languages.", value={"version_id": s.content_version,
                                                    "languages": ",".join(s.languages)})
        yield GaugeMetricFamily("clinic_kiosk_content_applied_timestamp_seconds",
                                "When the content patients see now was applied (Unix time).",
                                value=round(s.content_applied))
        yield GaugeMetricFamily("clinic_kiosk_last_touch_timestamp_seconds",
                                "The last touch on the screen (Unix time), rounded down to "
                                f"{TOUCH_ROUND_S // 60} minutes; 0 if none since the start.",
                                value=s.last_touch - s.last_touch % TOUCH_ROUND_S)
        problems = GaugeMetricFamily("clinic_kiosk_content_problems", "Problems 'kiosk check' "
                                     "would name in the content folder, by severity.",
                                     labels=["severity"])
        for severity in ("error", "warning"):
            problems.add_metric([severity], s.problems.get(severity, 0))
        yield problems
        alerts = CounterMetricFamily("clinic_kiosk_alerts", "Front-desk alerts since the kiosk "
                                     "started, by result (a retry counts each time).",
                                     labels=["result"])
        for result in ("delivered", "failed", "retried"):
            alerts.add_metric([result], s.alerts.get(result, 0))
        yield alerts
        yield GaugeMetricFamily("clinic_kiosk_alert_configured", "1 if a front-desk alert "
                                "address is configured.", value=int(s.alert_configured))
        yield GaugeMetricFamily("clinic_kiosk_speech_available", "1 if read-aloud works.",
                                value=int(s.speech))
        yield GaugeMetricFamily("clinic_kiosk_up", "1 while the kiosk runs; 0 once it has "
                                "stopped cleanly.", value=int(s.up))


def text(snapshot: Snapshot) -> str:
    """The metrics in Prometheus' text format."""
    from prometheus_client import CollectorRegistry, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(snapshot))  # type: ignore[arg-type]
    return generate_latest(registry).decode("utf-8")


def as_written(snapshot: Snapshot) -> Snapshot:
    """The snapshot as the file says it: the last touch rounded down to the quarter hour
    (two snapshots that round the same write the same file)."""
    rounded = snapshot.last_touch - snapshot.last_touch % TOUCH_ROUND_S
    return snapshot if rounded == snapshot.last_touch else replace(snapshot, last_touch=rounded)


def write_file(path: Path, snapshot: Snapshot) -> None:
    """Write the metrics file now, in this process; OSError if it cannot be written."""
    body = text(snapshot)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(body, "utf-8")
        os.replace(tmp, path)  # node_exporter never sees half a file
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def to_json(snapshot: Snapshot) -> str:
    return json.dumps({f.name: getattr(snapshot, f.name) for f in fields(snapshot)})


def from_json(data: str) -> Snapshot:
    """A snapshot back from ``to_json``; ValueError, KeyError or TypeError if it is not one."""
    values = json.loads(data)
    snapshot = Snapshot(**{**values, "languages": tuple(values["languages"])})
    if not (all(isinstance(code, str) for code in snapshot.languages)
            and isinstance(snapshot.version, str) and isinstance(snapshot.content_version, str)):
        raise TypeError("not a metrics snapshot")
    return snapshot


class TextfileWriter:
    """Writes the metrics file when what it would say changed, through a short-lived
    ``python -m kiosk.metrics`` (see the module's doc); call ``write`` from one worker
    thread at a time (the window's timer hands it one snapshot at a time). A write waits
    for that process (under a second on a Pi), so never call it on the GUI thread."""

    TIMEOUT_S = 60

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._last: Snapshot | None = None
        self.writes = 0

    def write(self, snapshot: Snapshot, timeout: float | None = None) -> bool:
        """Write if changed; True if the file was written. Errors are logged, not raised.
        ``timeout``: seconds to wait for the writer (default ``TIMEOUT_S``; the kiosk gives
        less when it is stopping, so that systemd's stop timeout is never the one to end it)."""
        import subprocess

        wanted = as_written(snapshot)
        if wanted == self._last:
            return False
        command = [sys.executable, "-m", "kiosk.metrics", str(self.path)]
        try:
            done = subprocess.run(command, input=to_json(wanted), capture_output=True,
                                  text=True, timeout=timeout or self.TIMEOUT_S, check=False,
                                  # Windows: no console window flashes over the kiosk
                                  creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("cannot write the metrics file %s (%s)", self.path, exc)
            return False
        if done.returncode != 0:
            why = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            log.warning("cannot write the metrics file %s (%s)", self.path, why[0])
            return False
        self._last = wanted
        self.writes += 1
        return True


def metric_names(body: str) -> Iterable[str]:
    """The metric names in a text-format body (for tests and docs)."""
    return sorted({line.split()[2] for line in body.splitlines()
                   if line.startswith("# TYPE ")})


def main(argv: list[str]) -> int:
    """``python -m kiosk.metrics PATH``: write the snapshot given as JSON on standard input
    to PATH (the kiosk's metrics writer; not a command for people)."""
    if len(argv) != 1:
        print("usage: python -m kiosk.metrics PATH < snapshot.json", file=sys.stderr)
        return 2
    try:
        snapshot = from_json(sys.stdin.read())
    except (ValueError, KeyError, TypeError) as exc:
        print(f"not a metrics snapshot: {exc}", file=sys.stderr)
        return 2
    try:
        write_file(Path(argv[0]), snapshot)
    except OSError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
