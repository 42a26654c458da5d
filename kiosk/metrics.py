"""Metrics for Prometheus' node_exporter textfile collector: is the kiosk up, what content it
shows, when it was last touched, content problems, front-desk alerts, read-aloud.

Written in Prometheus' text format by prometheus_client (``generate_latest``), atomically (a
temporary file beside it, then a rename; node_exporter reads only ``*.prom`` files, so it never
sees half a file), without timestamps in samples, and only when something changed: a kiosk
that nobody touches writes nothing, which spares the SD card. The window calls ``write`` at
most once a minute, off the GUI thread. No label identifies a visit and nothing is per answer;
the last touch is rounded down to ``TOUCH_ROUND_S`` so it cannot single out a patient.

Plain Python, no Qt.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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


class TextfileWriter:
    """Writes the metrics file when what it would say changed; thread-safe enough for one
    writer (the window's timer hands it one snapshot at a time)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._last = ""
        self.writes = 0

    def write(self, snapshot: Snapshot) -> bool:
        """Write if changed; True if the file was written. Errors are logged, not raised."""
        body = text(snapshot)
        if body == self._last:
            return False
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(body, "utf-8")
            os.replace(tmp, self.path)  # node_exporter never sees half a file
        except OSError as exc:
            log.warning("cannot write the metrics file %s (%s)", self.path, exc)
            tmp.unlink(missing_ok=True)
            return False
        self._last = body
        self.writes += 1
        return True


def metric_names(body: str) -> Iterable[str]:
    """The metric names in a text-format body (for tests and docs)."""
    return sorted({line.split()[2] for line in body.splitlines()
                   if line.startswith("# TYPE ")})
