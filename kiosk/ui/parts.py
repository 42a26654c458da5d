"""Small Qt parts of the window: the tap guard, work on a worker thread, screens made on
first use."""

from __future__ import annotations

import atexit
import functools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QStackedWidget

from kiosk.session import Screen
from kiosk.ui import screens
from kiosk.ui.scrolling import Kinetic

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class _Recovers(Protocol):
    def recover(self) -> None: ...


def guarded(method: F) -> F:
    """A tap handler that must never take the kiosk down: log, then go home."""

    @functools.wraps(method)
    def wrapper(self: _Recovers, *args: Any) -> Any:
        try:
            return method(self, *args)
        except Exception:
            log.exception("error while handling a tap; going back to the home screen")
            self.recover()
            return None

    return wrapper  # type: ignore[return-value]


class _Gate:
    """Whether workers may still hand results to Qt. At exit PySide deletes every QObject
    Python owns (a job's carrier too) while other threads run on, so this closes first:
    atexit runs handlers in reverse order, and QtCore registered its teardown when it was
    imported, before this module. Once it is closed no worker touches Qt, nor drops a
    carrier (which would delete it on the worker's thread, beside that teardown)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = True
        self.kept: list[QObject] = []  # carriers left for Qt's teardown to delete

    def close(self) -> None:
        with self._lock:  # waits for a worker that is handing its result over now
            self._open = False

    @contextmanager
    def passing(self) -> Iterator[bool]:
        """Held while a worker hands its result over: True unless the interpreter exits."""
        with self._lock:
            yield self._open


_GATE = _Gate()  # one per process, as the exit it guards against is
atexit.register(_GATE.close)


class _Carrier(QObject):
    """One job's way back to the GUI thread. It belongs to the job, never to the window: the
    worker emits on it and then hands it to the GUI thread to delete, so the object it emits
    on is one that nothing else can delete meanwhile."""

    done = Signal(object)


class _Receiver(QObject):
    """The job's GUI-side end, a child of its owner. Qt deletes it with the owner, and with
    it the connection and any result still queued for it: a result for a window that has
    gone is dropped by Qt itself, with nothing left to check (or race) in Python."""

    def __init__(self, owner: QObject, then: Callable[[Any], object]) -> None:
        super().__init__(owner)
        self._then: Callable[[Any], object] | None = then

    @Slot(object)
    def deliver(self, outcome: tuple[bool, object]) -> None:
        then, self._then = self._then, None
        self.setParent(None)  # one result, once; then this end goes too
        self.deleteLater()
        ok, result = outcome
        if ok and then is not None:
            then(result)


def in_background(owner: QObject, work: Callable[[], T],
                  then: Callable[[T], object]) -> threading.Thread:
    """Run ``work`` on a worker thread, then ``then(result)`` on the GUI thread, unless
    ``owner`` has been deleted by then: the result is then dropped, safely.

    The worker touches no object the GUI thread owns. It emits on its own ``_Carrier`` (made
    here, parentless, referenced only by the worker) over a queued connection to a
    ``_Receiver`` child of ``owner``; Qt's queued connections are thread-safe and end with
    their receiver. A ``work`` that raises is logged and ``then`` is not called.
    """
    from PySide6.QtCore import Qt  # (not at import: the first screen never names Qt)

    receiver = _Receiver(owner, then)
    carrier = _Carrier()
    carrier.done.connect(receiver.deliver, Qt.ConnectionType.QueuedConnection)
    thread = threading.Thread(target=_run, args=(work, carrier), name="kiosk-background",
                              daemon=True)
    thread.start()
    return thread


def _run(work: Callable[[], object], carrier: _Carrier) -> None:
    try:
        outcome: tuple[bool, object] = (True, work())
    except Exception:
        log.exception("background work failed")
        outcome = (False, None)
    gate = _GATE
    with gate.passing() as still_running:
        if still_running:
            carrier.done.emit(outcome)
            # Deleted on its own (the GUI) thread once the loop gets to it: deleteLater
            # hands it to Qt, so the last Python reference going here does not delete it.
            carrier.deleteLater()
        else:  # the interpreter is exiting and Qt is being taken down: hands off
            gate.kept.append(carrier)


class LazyScreens(dict[Screen, screens.BaseScreen]):
    """The window's screens, each made (and added to the stack) when first asked for."""

    def __init__(self, controller: screens.Controller, kinetic: Kinetic,
                 stack: QStackedWidget) -> None:
        super().__init__()
        self.controller, self.kinetic, self.stack = controller, kinetic, stack

    def __missing__(self, which: Screen) -> screens.BaseScreen:
        screen = screens.load(which)(self.controller, self.kinetic)
        self.stack.addWidget(screen)
        self[which] = screen
        return screen
