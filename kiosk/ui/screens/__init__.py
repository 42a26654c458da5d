"""The screens a patient sees, one module each; each shows a state and sends taps on.

Only the base is loaded here: each screen's module is loaded the first time the window
shows that screen (``load``), so the first paint waits for nothing it does not show.
"""

from __future__ import annotations

import importlib

from kiosk.session import Screen
from kiosk.ui.screens.base import BaseScreen, Controller, Look, State

MODULES: dict[Screen, tuple[str, str]] = {
    Screen.ATTRACT: ("attract", "AttractScreen"), Screen.HOME: ("home", "HomeScreen"),
    Screen.TOPIC: ("topic", "TopicScreen"), Screen.SELFCHECK: ("selfcheck", "SelfCheckScreen"),
    Screen.RESULT: ("result", "ResultScreen"), Screen.CALL: ("call", "CallScreen"),
}


def load(which: Screen) -> type[BaseScreen]:
    """The class of a screen, its module loaded on first use."""
    module, name = MODULES[which]
    cls = getattr(importlib.import_module(f"kiosk.ui.screens.{module}"), name)
    assert isinstance(cls, type) and issubclass(cls, BaseScreen)
    return cls


__all__ = ["BaseScreen", "Controller", "Look", "MODULES", "State", "load"]
