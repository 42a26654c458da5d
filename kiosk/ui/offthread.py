"""Work kept off the GUI thread: pictures drawn, and a page opened before the background
rendering reached it, so no picture and no page can hold the screen (or the watchdog) up.

A ``Worker`` is one daemon thread running its jobs in turn. Each result is handed to its
callback on the GUI thread by a queued signal of an object that lives as long as the
program, so a result never reaches an object that is gone: callbacks hold their widgets
weakly, and a widget deleted meanwhile simply gets nothing.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.model import Language, Topic
from kiosk.page import Page

log = logging.getLogger(__name__)

Job = tuple[int, Callable[[], object]]
T = TypeVar("T")


class Worker(QObject):
    """One thread running jobs in turn; ``submit`` is called on the GUI thread, and each
    job's ``done`` runs there too, with the job's result."""

    _finished = Signal(int, object)

    def __init__(self, name: str) -> None:
        super().__init__()  # no parent: it lives until the program ends
        self.name = name
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._lock = threading.Condition()
        self._live: set[int] = set()  # jobs still wanted (the worker reads it, under lock)
        self._pending = 0  # jobs submitted and not finished
        self._closed = False
        self._done: dict[int, Callable[[Any], None]] = {}  # GUI thread only
        self._by_key: dict[Hashable, int] = {}
        self._key_of: dict[int, Hashable] = {}
        self._next = 0
        self._thread: threading.Thread | None = None
        self._finished.connect(self._deliver)

    def submit(self, key: Hashable, work: Callable[[], object],
               done: Callable[[Any], None]) -> None:
        """Run ``work`` on the worker, then ``done(result)`` on the GUI thread. A job
        submitted again under the same ``key`` replaces one not yet finished."""
        self.cancel(key)
        self._next += 1
        job = self._next
        with self._lock:
            if self._closed:
                return
            self._live.add(job)
            self._pending += 1
        self._done[job] = done
        self._by_key[key] = job
        self._key_of[job] = key
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"kiosk-{self.name}",
                                            daemon=True)
            self._thread.start()
        self._jobs.put((job, work))

    def cancel(self, key: Hashable) -> None:
        """Forget the job submitted under ``key``, if it has not finished."""
        job = self._by_key.pop(key, None)
        if job is None:
            return
        self._key_of.pop(job, None)
        self._done.pop(job, None)
        with self._lock:
            self._live.discard(job)

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until every job submitted has finished (for tools and tests: results are
        delivered by the event loop afterwards). False if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def close(self, wait: float = 0.0) -> None:
        """No more results are delivered; the thread ends after its current job (waited for
        up to ``wait`` seconds: at exit, so Qt is not torn down under a picture being drawn).
        """
        with self._lock:
            self._closed = True
            self._live.clear()
            self._lock.notify_all()
        self._jobs.put(None)
        if wait and self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(wait)

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            job, work = item
            with self._lock:
                wanted = job in self._live
            result: object = None
            if wanted:
                try:
                    result = work()
                except Exception as exc:  # a job must never take the worker down
                    log.error("%s: a job failed: %s: %s", self.name, type(exc).__name__, exc)
            with self._lock:
                self._pending -= 1
                if wanted and job in self._live and not self._closed:
                    self._finished.emit(job, result)  # queued: runs on the GUI thread
                self._lock.notify_all()

    @Slot(int, object)
    def _deliver(self, job: int, result: object) -> None:
        with self._lock:
            self._live.discard(job)
        key = self._key_of.pop(job, None)
        if key is not None and self._by_key.get(key) == job:
            del self._by_key[key]
        done = self._done.pop(job, None)
        if done is None:
            return
        try:
            done(result)
        except RuntimeError:  # its widget was deleted meanwhile: nobody is waiting
            log.debug("%s: a result arrived for a widget that is gone", self.name)
        except Exception as exc:
            log.error("%s: handling a result failed: %s: %s", self.name, type(exc).__name__,
                      exc)


_workers: dict[str, Worker] = {}


def worker(name: str) -> Worker:
    """The program's worker of that name ("pictures", "pages"), made on first use (on the
    GUI thread)."""
    if name not in _workers:
        _workers[name] = Worker(name)
    return _workers[name]


def wait_all(timeout: float = 30.0) -> bool:
    """Block until every worker is idle (for tools and tests)."""
    return all(w.wait(timeout) for w in list(_workers.values()))


@atexit.register
def _close_all() -> None:
    for w in list(_workers.values()):
        w.close(wait=5.0)


def weak(owner: T, method: Callable[[T, Any], None]) -> Callable[[Any], None]:
    """``method(owner, result)``, called only while ``owner`` is still there (a callback
    must not keep a widget alive)."""
    ref = weakref.ref(owner)

    def call(result: Any) -> None:
        target = ref()
        if target is not None:
            method(target, result)

    return call


# -- a page opened before the background rendering reached it -------------------------------

class EarlyPages:
    """The kiosk's page renderer for a page opened before the background rendering reached
    it: rendered on a worker within its budget (``kiosk.pages.render_with_budget``). The GUI
    thread waits at most ``WAIT_S``, by which time an ordinary page is ready; a page not
    ready by then shows its summary and "…", and the whole page as soon as it is ready
    (``on_ready`` is told which topic, on the GUI thread). The render budget cannot stop C
    code, but here it no longer runs on the GUI thread: the screen never waits longer."""

    WAIT_S = 0.25

    def __init__(self) -> None:
        self.on_ready: Callable[[str], None] | None = None

    def __call__(self, topic: Topic, language: Language, root: Path) -> Page:
        from kiosk.pages import render_with_budget

        box: list[Page | None] = []
        ready = threading.Event()

        def work() -> Page | None:
            try:
                page, _seconds = render_with_budget(topic, language, root)
            except Exception as exc:  # kiosk.pages names it for kiosk check
                log.error("%s: the page could not be prepared: %s", topic.path, exc)
                page = None
            box.append(page)
            ready.set()
            return page

        shown = Page(f"<p>{escape(topic.summary)}</p><p>…</p>")  # until it is ready

        def done(page: Page | None) -> None:
            page = page if page is not None else self._unavailable(topic, language)
            shown.html, shown.refused = page.html, page.refused
            shown.topic_links, shown.web_links = page.topic_links, page.web_links
            if self.on_ready is not None:
                self.on_ready(topic.id)

        key = ("early", language.code, topic.id, id(shown))
        worker("pages").submit(key, work, done)
        if ready.wait(self.WAIT_S):  # the usual case: the page is ready at once
            worker("pages").cancel(key)
            page = box[0]
            return page if page is not None else self._unavailable(topic, language)
        log.info("%s: not ready yet; shown when it is", topic.path)
        return shown

    @staticmethod
    def _unavailable(topic: Topic, language: Language) -> Page:
        log.error("%s: the page took too long to prepare and is not shown", topic.path)
        return Page(f"<p>{escape(language.labels.get('resting.message', ''))}</p>")


def escape(text: str) -> str:
    """``html.escape``, without importing ``html`` before the first paint: it loads a table
    of 2,200 named characters (about 11 M CPU instructions) that escaping never uses."""
    from html import escape as real

    return real(text)
