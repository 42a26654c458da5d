"""Guards against a broken Qt binding release, which would crash a kiosk within seconds."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QFont


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_calls_keep_none_alive() -> None:
    # PySide6-Essentials 6.12.0 took a reference to None away on every call of a method
    # returning void; under Python 3.11 the interpreter aborts after a few thousand calls.
    font = QFont()
    before = sys.getrefcount(None)
    for _ in range(200):
        font.setBold(True)
    assert sys.getrefcount(None) - before > -100
