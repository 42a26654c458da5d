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


def _over_budget(thread: threading.Thread, cpu: Callable[[], float] | None,
                 cpu_at_start: float, started: float, budget: float) -> tuple[bool, float]:
    """Whether the page a render thread began at ``started`` (its CPU clock then at
    ``cpu_at_start``) is past its budget, and the seconds since it began."""
    elapsed = time.monotonic() - started
    try:
        used = cpu() - cpu_at_start if cpu is not None else elapsed
    except OSError:  # the thread ended
        used = elapsed
    return used > budget or elapsed > budget * WALL_FACTOR or not thread.is_alive(), elapsed


class Renderer:
    """A render thread used for page after page: starting a thread per page cost a quarter
    of rendering one. A page that runs past its budget is stopped with its thread, and the
    next page gets a new one. One caller at a time; ``close`` when done."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._jobs: queue.SimpleQueue[tuple[Topic, Language, Path] | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[Page | BaseException] = queue.SimpleQueue()

    def _start(self) -> threading.Thread:
        # A stopped thread's queues go with it: nothing of its page reaches the next one.
        jobs: queue.SimpleQueue[tuple[Topic, Language, Path] | None] = queue.SimpleQueue()
        done: queue.SimpleQueue[Page | BaseException] = queue.SimpleQueue()
        self._jobs, self._done = jobs, done

        def loop() -> None:
            from kiosk import render

            try:
                while (job := jobs.get()) is not None:
                    try:
                        done.put(render.render_topic(*job))
                    except BaseException as exc:
                        done.put(exc)
            except _OverBudgetError:  # stopped between two pages: this thread is done
                pass

        thread = threading.Thread(target=loop, name="render", daemon=True)
        thread.start()
        self._thread = thread
        return thread

    def render(self, topic: Topic, language: Language, root: Path,
               budget: float = PAGE_BUDGET_S) -> tuple[Page | None, float]:
        """``render_with_budget``, on this renderer's thread."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            thread = self._start()
        cpu = _cpu_clock(thread)
        try:
            cpu_at_start = cpu() if cpu is not None else 0.0
        except OSError:
            cpu, cpu_at_start = None, 0.0
        started = time.monotonic()
        self._jobs.put((topic, language, root))
        while True:
            try:
                result = self._done.get(timeout=min(0.05, budget / 4))
                break
            except queue.Empty:
                pass
            over, elapsed = _over_budget(thread, cpu, cpu_at_start, started, budget)
            if over:
                _stop(thread)
                self._jobs.put(None)  # if the page caught it, the thread ends after it
                thread.join(1.0)
                self._thread = None
                return None, elapsed
        elapsed = time.monotonic() - started
        if isinstance(result, _OverBudgetError):  # a stop that came as it finished
            self.close()
            return None, elapsed
        if isinstance(result, BaseException):
            raise result
        return result, elapsed

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
        self._thread = None

    def render_all(self, jobs: list[tuple[Topic, Language, Path]], budget: float = PAGE_BUDGET_S
                   ) -> list[tuple[Page | BaseException | None, float]]:
        """Each job's page (None: stopped past ``budget``; an exception: what rendering
        raised) and its seconds, in order. One thread renders page after page without
        waiting for the caller between them; the caller watches the page being rendered
        and stops a page past its budget, and a new thread goes on from the page after it."""
        results: list[tuple[Page | BaseException | None, float] | None] = [None] * len(jobs)
        start = 0
        while start < len(jobs):
            start = self._batch(jobs, start, results, budget)
        return [r if r is not None else (None, 0.0) for r in results]

    def _batch(self, jobs: list[tuple[Topic, Language, Path]], first: int,
               results: list[tuple[Page | BaseException | None, float] | None],
               budget: float) -> int:
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

        thread = threading.Thread(target=loop, name="render", daemon=True)
        thread.start()
        cpu = _cpu_clock(thread)
        while True:
            # Looked at a few times a second, not at each page: waking for every page would
            # take the interpreter from the rendering thread every millisecond.
            thread.join(min(0.05, budget / 4))
            while True:
                try:
                    item = done.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    return len(jobs)
                results[item[0]] = (item[1], item[2])
            if not current:
                continue  # not started yet
            index, cpu_at_start, wall = current[-1]
            if results[index] is not None:
                continue  # it finished; the next page is about to start
            over, elapsed = _over_budget(thread, cpu, cpu_at_start, wall, budget)
            if over:
                _stop(thread)
                thread.join(1.0)
                while True:  # what it finished before it stopped
                    try:
                        item = done.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        results[item[0]] = (item[1], item[2])
                if results[index] is None:
                    results[index] = (None, elapsed)
                return index + 1


def render_with_budget(topic: Topic, language: Language, root: Path,
                       budget: float = PAGE_BUDGET_S,
                       renderer: Renderer | None = None) -> tuple[Page | None, float]:
    """The rendered page (None if it ran past ``budget``) and the seconds it took.

    The page renders on a thread of its own (``renderer``'s, or a short-lived one); one that
    uses more than ``budget`` seconds of CPU is stopped, so a pathological page costs at
    most its budget. CPU time, not wall time, so a machine busy with something else does not
    make a good page fail; where the platform cannot tell CPU time, and as a backstop, wall
    time is used.
    """
    if renderer is not None:
        return renderer.render(topic, language, root, budget)
    alone = Renderer()
    try:
        return alone.render(topic, language, root, budget)
    finally:
        alone.close()


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
    renderer = Renderer()
    try:
        return _render_all(content, problems, budget, renderer)
    finally:
        renderer.close()


def _render_all(content: Content, problems: list[Problem], budget: float,
                renderer: Renderer) -> tuple[Loaded, bool]:
    pages: dict[tuple[str, str], Page] = {}
    slow: set[tuple[str, str]] = set()
    unsteady = False
    order = [(code, language, topic) for code, language in content.languages.items()
             for topic in language.topics]
    rendered = renderer.render_all([(topic, language, content.root)
                                    for _code, language, topic in order], budget)
    for (code, _language, topic), (result, _seconds) in zip(order, rendered, strict=True):
        try:
            if isinstance(result, BaseException):
                raise result
            page = result
        except Exception as exc:  # a bug must cost one page, never the whole content
            problem = failed(topic, exc)
            log.error("left out %s (%s)", problem, type(exc).__name__)  # no traceback
            problems.append(problem)
            slow.add((code, topic.id))
            unsteady = True
            continue
        if page is None:
            log.error("left out %s: it took over %.1f s to lay out", topic.path, budget)
            problems.append(_left_out(topic, f"the page takes too long to prepare (over "
                                      f"{budget:g} s); something in it is nested or "
                                      "repeated too much"))
            slow.add((code, topic.id))
            unsteady = True
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
    steady = not unsteady
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
                    again, _seconds = render_with_budget(topic, language, content.root, budget,
                                                         renderer)
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
