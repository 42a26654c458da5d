"""The kiosk's log file rolls over by size and keeps a fixed number of old files."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.logsetup import RotatingFile


def test_the_log_rolls_over_and_keeps_only_its_backups(tmp_path: Path) -> None:
    handler = RotatingFile(tmp_path / "kiosk.log", max_bytes=200, backups=2)
    log = logging.getLogger("test-rotation")
    log.propagate = False
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        for i in range(40):
            log.info("line %02d %s", i, "x" * 30)
    finally:
        log.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]
    assert all(p.stat().st_size <= 200 + 60 for p in tmp_path.iterdir())
    assert "line 39" in (tmp_path / "kiosk.log").read_text(encoding="utf-8")
    assert "line 00" not in "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
