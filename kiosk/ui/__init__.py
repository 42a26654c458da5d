"""Qt widgets over the core: a thin layer that shows the session and turns taps into calls.

Importing PySide6 makes every later import in the process pay a toll: PySide6's
``__feature__`` support asks, of each newly imported module, whether its source mentions
"PySide6", and asks it through ``inspect.getsource``, which tokenises the whole file. The
kiosk never selects a feature (no ``from __feature__ import snake_case``), so the answer
matters to nobody; it is still kept, but found by reading the file's bytes, which gives the
same answer for a fraction of the cost (about 44 M of the start's CPU instructions, measured
by bench/bench.py's callgrind count). PySide6 versions without that hook are left alone.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - installs the hook this module lightens


def _lighten_feature_hook() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "lightened", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    uses_pyside.lightened = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]


_lighten_feature_hook()
