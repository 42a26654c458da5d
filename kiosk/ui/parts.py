"""Small Qt parts of the window: the tap guard, work on a worker thread, screens made on
first use."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from kiosk.session import Screen
from kiosk.ui import screens
from kiosk.ui.scrolling import Kinetic

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


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


class Background(QObject):
    """Runs one function on a worker thread; ``done`` brings its result to the GUI thread."""

    done = Signal(object)

    def __init__(self, parent: QObject, work: Callable[[], object]) -> None:
        super().__init__(parent)
        self._work = work
        threading.Thread(target=self._run, name="kiosk-background", daemon=True).start()

    def _run(self) -> None:
        try:
            result = self._work()
        except Exception:
            log.exception("background work failed")
            return
        try:
            self.done.emit(result)
        except RuntimeError:  # the window went away meanwhile: nobody is waiting
            pass


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
