"""A silent alert to the front desk when a patient's self-check ends at a danger sign.

Sent over the clinic's own network to one address IT configures (``[alert] url``): an HTTP
POST whose body says only which kiosk, where, which tier, and "please check on the person at
this kiosk now" (no answer, question, page, name or condition: nothing a waiting-room
neighbour could not already see). JSON by default (Home Assistant's webhook trigger reads it
as ``trigger.json``), or plain text with ntfy's ``Title``/``Priority``/``Tags`` headers
(``format = "text"``, ntfy's publish API). An optional bearer token is read from a file only
the kiosk's user may read.

Plain Python, no Qt: ``deliver`` blocks (a worker thread runs it), retrying with backoff for
``retry_minutes``, and reports the outcome; the window shows "The front desk has also been
told" only after a 2xx answer. Nothing here runs, and nothing touches the network, unless an
address is configured. Logged without any patient detail.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

NOW, TODAY, TEST = "now", "today", "test"
TIMEOUT_S = 5.0  # one attempt; a receiver that hangs is given up on, then tried again
FIRST_WAIT_S, LONGEST_WAIT_S = 2.0, 60.0  # backoff between attempts: 2, 4, 8 ... 60 s
_WORDS = {NOW: ("Front desk: please check on the person at {where} now",
                "The self-check there shows a sign that needs care now. Please go to them "
                "now."),
          TODAY: ("Front desk: please check on the person at {where}",
                  "The self-check there shows a sign a doctor or nurse should hear about "
                  "today. Please check on them now."),
          TEST: ("Test alert from {where}",
                 "This is a test of the kiosk's front-desk alert. Nobody needs help.")}


def url_problem(value: object) -> str | None:
    """A config check: an http(s) address with a host, or empty (no alerts)."""
    if not isinstance(value, str) or not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ("must be an http:// or https:// address on the clinic's network, such as "
                "\"http://desk-pc.local:8123/api/webhook/kiosk-alert\"")
    if parts.username or parts.password:
        return "must not hold a user name or password; put a token in 'token_file' instead"
    return None


@dataclass(frozen=True)
class Settings:
    url: str
    kiosk_name: str
    place: str = ""
    token_file: str = ""
    retry_s: float = 600.0
    fmt: str = "json"  # or "text" (ntfy)

    @property
    def where(self) -> str:
        return f"{self.kiosk_name} ({self.place})" if self.place else self.kiosk_name

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    attempts: int
    status: int = 0  # the last HTTP status (0: no answer)
    reason: str = ""  # why the last attempt failed, in words (no patient detail)


def body(settings: Settings, tier: str, alert_id: str) -> tuple[bytes, dict[str, str]]:
    """The request body and headers for one alert."""
    title, text = (w.format(where=settings.where) for w in _WORDS[tier])
    if settings.fmt == "text":
        return text.encode("utf-8"), {
            "Content-Type": "text/plain; charset=utf-8", "Title": title,
            "Priority": "urgent" if tier == NOW else "high" if tier == TODAY else "default",
            "Tags": "rotating_light" if tier != TEST else "white_check_mark"}
    data = {"title": title, "message": text, "tier": tier, "kiosk": settings.kiosk_name,
            "place": settings.place, "test": tier == TEST, "id": alert_id}
    return json.dumps(data).encode("utf-8"), {"Content-Type": "application/json"}


def read_token(path: str) -> str:
    """The bearer token; refused when others than the kiosk's user may read the file."""
    st = os.stat(path)
    if os.name == "posix" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PermissionError(f"{path} may be read by other users; run chmod 600 on it")
    return Path(path).read_text("utf-8").strip()


def attempt(settings: Settings, tier: str, alert_id: str,
            timeout: float = TIMEOUT_S) -> tuple[int, str]:
    """One POST: (HTTP status, "" or why it failed). Never raises."""
    import urllib.error  # on the worker, when an alert is sent: not at the kiosk's start
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None  # a 3xx answer is a failure, never followed

    try:
        data, headers = body(settings, tier, alert_id)
        if settings.token_file:
            headers["Authorization"] = f"Bearer {read_token(settings.token_file)}"
        request = urllib.request.Request(settings.url, data=data, headers=headers,
                                         method="POST")
        # Straight to the configured address: no proxy from the environment, no redirect
        # (either could carry the alert off the clinic's network).
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
        with opener.open(request, timeout=timeout) as answer:
            status = int(answer.status)
        return status, "" if 200 <= status < 300 else f"HTTP {status}"
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # refused, timed out, no route, bad token file
        reason = getattr(exc, "reason", exc)
        return 0, f"{type(exc).__name__}: {reason}"


@dataclass
class Tally:
    """Alerts sent since the kiosk started, for the staff panel and the metrics: today's
    failures (after every retry), and totals by result. Thread-safe."""

    day: date = field(default_factory=date.today)
    failed_today: int = 0
    totals: dict[str, int] = field(default_factory=lambda: {"delivered": 0, "failed": 0,
                                                            "retried": 0})
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, result: str, today: date | None = None) -> None:
        with self._lock:
            today = today or date.today()
            if today != self.day:
                self.day, self.failed_today = today, 0
            self.totals[result] = self.totals.get(result, 0) + 1
            if result == "failed":
                self.failed_today += 1

    def failures_today(self, today: date | None = None) -> int:
        with self._lock:
            return self.failed_today if (today or date.today()) == self.day else 0


def deliver(settings: Settings, tier: str, tally: Tally | None = None,
            clock: Callable[[], float] = time.monotonic,
            sleep: Callable[[float], None] = time.sleep,
            try_once: Callable[[Settings, str, str], tuple[int, str]] = attempt) -> Outcome:
    """Send one alert, retrying with backoff until a 2xx answer or ``retry_s`` has passed.
    Blocks: run it on a worker thread."""
    alert_id = secrets.token_hex(8)  # the same on every retry: a receiver can drop repeats
    start = clock()
    wait = FIRST_WAIT_S
    attempts = 0
    while True:
        attempts += 1
        status, reason = try_once(settings, tier, alert_id)
        if not reason:
            log.info("front-desk alert delivered to %s (attempt %d)", settings.host, attempts,
                     extra={"journal": {"event": "alert_delivered", "host": settings.host}})
            if tally is not None:
                tally.add("delivered")
            return Outcome(True, attempts, status)
        left = settings.retry_s - (clock() - start)
        if left <= 0:
            log.error("front-desk alert to %s could not be delivered after %d attempt(s) "
                      "(%s)", settings.host, attempts, reason,
                      extra={"journal": {"event": "alert_failed", "host": settings.host}})
            if tally is not None:
                tally.add("failed")
            return Outcome(False, attempts, status, reason)
        log.warning("front-desk alert to %s not delivered (%s); trying again in %.0f s",
                    settings.host, reason, min(wait, left))
        if tally is not None:
            tally.add("retried")
        sleep(min(wait, left))
        wait = min(wait * 2, LONGEST_WAIT_S)
