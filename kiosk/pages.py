"""Render every page while the content loads, so no Markdown is ever parsed on the GUI thread.

``load_rendered`` loads a content folder (``kiosk.model.load_content``) and renders each
topic's page once (``kiosk.render.render_topic``), into ``Loaded.pages``. A page nested too
deeply to parse safely, one that takes longer than its time budget, or one whose picture
reaches outside the content folder is left out (its tile too) and named with an error, so
``kiosk check`` reports it and the kiosk never shows a tile that would freeze the screen.
Plain Python; no Qt.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from kiosk.model import Content, Language, Loaded, Topic, load_content
from kiosk.page import Page
from kiosk.problems import Problem

log = logging.getLogger(__name__)

PAGE_BUDGET_S = 2.0  # CPU seconds; an ordinary 17 KB page takes 0.03 s on a PC
WALL_FACTOR = 10  # a page starved of CPU by a busy machine still gives up at 10x, wall time


class _OverBudgetError(Exception):
    """Raised inside a render thread that ran past its budget."""


def _stop(thread: threading.Thread) -> None:
    """Ask a thread to stop: _OverBudgetError is raised in it at its next Python instruction."""
    import ctypes

    ident = thread.ident
    if ident is not None and thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                                   ctypes.py_object(_OverBudgetError))


def _cpu_clock(thread: threading.Thread) -> Callable[[], float] | None:
    """The CPU time a running thread has used, where the platform can tell (Linux, macOS)."""
    try:
        clock = time.pthread_getcpuclockid(thread.ident or 0)
    except (AttributeError, OSError, TypeError, ValueError):
        return None
    return lambda: time.clock_gettime(clock)


Job = tuple[Topic, Language, Path]  # a page to render: its topic, language, content folder
Rendered = tuple[Page | BaseException | None, float]  # page, or what it raised; its seconds


def render_all(jobs: list[Job], budget: float = PAGE_BUDGET_S) -> list[Rendered]:
    """Each job's page (None: stopped past ``budget``; an exception: what rendering raised)
    and its seconds, in order. One thread renders page after page without waiting for the
    caller between them (a thread per page, handed each page, cost a quarter of rendering
    one); the caller watches the page being rendered, stops one past its budget, and a new
    thread goes on from the page after it."""
    results: list[Rendered | None] = [None] * len(jobs)
    start = 0
    while start < len(jobs):
        start = _batch(jobs, start, results, budget)
    return [r if r is not None else (None, 0.0) for r in results]


def _batch(jobs: list[Job], first: int, results: list[Rendered | None], budget: float) -> int:
    """Render ``jobs[first:]`` on a new thread; the index to go on from."""
    done: queue.SimpleQueue[tuple[int, Page | BaseException, float] | None] = (
        queue.SimpleQueue())
    # The page being rendered: (index, its thread's CPU time and the time at its start).
    current: list[tuple[int, float, float]] = []

    def loop() -> None:
        from kiosk import render

        try:
            for index in range(first, len(jobs)):
                wall = time.monotonic()
                current.append((index, time.thread_time(), wall))
                result: Page | BaseException
                try:
                    result = render.render_topic(*jobs[index])
                except _OverBudgetError:
                    raise
                except BaseException as exc:
                    result = exc
                done.put((index, result, time.monotonic() - wall))
            done.put(None)
        except _OverBudgetError:  # stopped: the caller goes on with a new thread
            pass

    def collect() -> bool:
        """Take what the thread finished; True once it finished every page."""
        while True:
            try:
                item = done.get_nowait()
            except queue.Empty:
                return False
            if item is None:
                return True
            results[item[0]] = (item[1], item[2])

    thread = threading.Thread(target=loop, name="render", daemon=True)
    thread.start()
    cpu = _cpu_clock(thread)
    while True:
        # Looked at a few times a second, not at each page: waking for every page would
        # take the interpreter from the rendering thread every millisecond.
        thread.join(min(0.05, budget / 4))
        if collect():
            return len(jobs)
        if not current:
            continue  # not started yet
        index, cpu_at_start, wall = current[-1]
        if results[index] is not None:
            continue  # it finished; the next page is about to start
        elapsed = time.monotonic() - wall
        try:
            used = cpu() - cpu_at_start if cpu is not None else elapsed
        except OSError:  # the thread ended
            used = elapsed
        if used > budget or elapsed > budget * WALL_FACTOR or not thread.is_alive():
            _stop(thread)
            thread.join(1.0)
            collect()  # what it finished before it stopped
            if results[index] is None:
                results[index] = (None, elapsed)
            return index + 1


def render_with_budget(topic: Topic, language: Language, root: Path,
                       budget: float = PAGE_BUDGET_S) -> tuple[Page | None, float]:
    """The rendered page (None if it ran past ``budget``) and the seconds it took.

    The page renders in a short-lived thread of its own (``render_all``); one that uses
    more than ``budget`` seconds of CPU is stopped, so a pathological page costs at most its
    budget. CPU time, not wall time, so a machine busy with something else does not make a
    good page fail; where the platform cannot tell CPU time, and as a backstop, wall time is
    used.
    """
    page, seconds = render_all([(topic, language, root)], budget)[0]
    if isinstance(page, BaseException):
        raise page
    return page, seconds


def failed(topic: Topic, exc: BaseException) -> Problem:
    """The problem to name for a page whose rendering raised ``exc`` (never a traceback):
    too deep a nesting is named at the most deeply nested line."""
    if isinstance(exc, RecursionError):
        from kiosk.render import line_nesting

        lines = topic.body.split("\n")
        line = max(range(len(lines)), key=lambda n: line_nesting(lines[n]))
        return _left_out(topic, "the page is nested too deeply to prepare (lists, quotes, "
                         "callouts or links inside each other)", topic.body_line + line)
    if isinstance(exc, MemoryError):
        return _left_out(topic, "the page is too large to prepare")
    return _left_out(topic, f"the page could not be prepared ({exc})")


def _left_out(topic: Topic, why: str, line: int | None = None) -> Problem:
    return Problem(topic.path, topic.body_line if line is None else line,
                   f"{why}; the page is left out", "error",
                   "simplify the page there, or split it into shorter pages")


def render_pages(loaded: Loaded, budget: float = PAGE_BUDGET_S) -> Loaded:
    """A copy of ``loaded`` with every page rendered into ``pages``; pages that are too
    complex or too slow are left out of the content and named in ``problems``."""
    return render_pages_steady(loaded, budget)[0]


def render_pages_steady(loaded: Loaded, budget: float | None = None) -> tuple[Loaded, bool]:
    """``render_pages``, and whether its result would be the same on every run: False when a
    page was left out for its time (a busy machine may be the reason) or for an error in
    the kiosk's own code, so that such a result is never kept (``kiosk.pagecache``)."""
    budget = PAGE_BUDGET_S if budget is None else budget
    from kiosk.render import too_complex

    content = loaded.content
    if content is None:
        return loaded, True
    problems = list(loaded.problems)
    dropped: set[tuple[str, str]] = set()
    for code, language in content.languages.items():
        for topic in language.topics:
            found = too_complex(topic.body)
            if found is not None:
                offset, why = found
                problems.append(_left_out(topic, why, topic.body_line + offset))
                dropped.add((code, topic.id))
    kept = without(content, dropped)
    if kept is None:
        return Loaded(None, problems), True
    content = kept
    pages: dict[tuple[str, str], Page] = {}
    slow: set[tuple[str, str]] = set()
    steady = True
    order = [(code, language, topic) for code, language in content.languages.items()
             for topic in language.topics]
    rendered = render_all([(topic, language, content.root) for _code, language, topic in order],
                          budget)
    for (code, _language, topic), (page, _seconds) in zip(order, rendered, strict=True):
        if isinstance(page, BaseException):
            if not isinstance(page, Exception):
                raise page
            # a bug must cost one page, never the whole content
            problem = failed(topic, page)
            log.error("left out %s (%s)", problem, type(page).__name__)  # no traceback
            problems.append(problem)
            slow.add((code, topic.id))
            steady = False
            continue
        if page is None:
            log.error("left out %s: it took over %.1f s to lay out", topic.path, budget)
            problems.append(_left_out(topic, f"the page takes too long to prepare (over "
                                      f"{budget:g} s); something in it is nested or "
                                      "repeated too much"))
            slow.add((code, topic.id))
            steady = False
            continue
        # A picture at fault is named at its own file too (kiosk check, the log).
        problems += [p for p in page.refused if p.path != topic.path]
        own = [p for p in page.refused if p.is_error and p.path == topic.path]
        if own:  # e.g. a picture reaching outside the folder
            problems += [p._replace(message=f"{p.message}; the page is left out")
                         for p in own]
            slow.add((code, topic.id))
        else:
            pages[(code, topic.id)] = page
    if slow:
        kept = without(content, slow)
        if kept is None:
            return Loaded(None, problems), steady
        content = kept
        for key, page in list(pages.items()):  # links to a left-out page become plain words
            code, topic_id = key
            still = content.languages.get(code)  # None: the whole language is gone
            topic_left = still.topic(topic_id) if still is not None else None
            if still is None or topic_left is None:
                del pages[key]
            elif any((code, target) in slow for target in page.topic_links):
                language, topic = still, topic_left
                try:
                    again, _seconds = render_with_budget(topic, language, content.root, budget)
                except Exception as exc:  # it rendered a moment ago; keep that page
                    log.error("could not render %s again: %s", topic.path, exc)
                    again = None
                    steady = False
                if again is not None:
                    pages[key] = again
                else:
                    steady = False
    return Loaded(content, problems, pages), steady


def without(content: Content, leave_out: set[tuple[str, str]]) -> Content | None:
    """The content without some (language, topic) pages; None if the default has none left."""
    if not leave_out:
        return content
    languages: dict[str, Language] = {}
    for code, language in content.languages.items():
        topics = tuple(t for t in language.topics if (code, t.id) not in leave_out)
        if topics:
            languages[code] = replace(language, topics=topics)
    if content.default_language not in languages:
        return None
    return replace(content, languages=languages)


def load_rendered(root: Path, language: str = "en", budget: float = PAGE_BUDGET_S) -> Loaded:
    """Load a content folder and render all its pages (call it off the GUI thread)."""
    return render_pages(load_content(root, language), budget)
