"""The command line as staff and IT use it: ``kiosk check`` and ``kiosk shots``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.__main__ import main
from kiosk.config import load_config
from kiosk.ui.shots import take_shots


def test_check_passes_on_the_bundled_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    # The only findings: no clinician has reviewed the bundled pages yet (issue 14).
    assert [line for line in out.splitlines() if "no clinician has reviewed" not in line] == []
    assert "6 topics in en, 6 in es;" in err and "0 error(s)" in err


def test_check_fails_with_path_and_line(make_content: Callable[..., Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: x\n---\nBody\n"})
    assert main(["check", str(root)]) == 1
    out, _ = capsys.readouterr()
    assert f"{root}/en/jaw.md:4: 'order' must be a whole number like 3, not 'x'" in out


def test_check_warnings_alone_exit_zero(make_content: Callable[..., Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: 2\n---\n"
                                        "[mail us](mailto:desk@example.com)\n"})
    assert main(["check", str(root)]) == 0
    out, _ = capsys.readouterr()
    assert f"{root}/en/jaw.md:6: warning: the link 'mailto:desk@example.com' goes outside" in out


def test_check_runs_as_a_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "kiosk", "check", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{tmp_path}:1: no topic files" in result.stdout


def test_bad_config_is_a_message_not_a_traceback(config_file: Callable[[str], Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file("fullscreen = 1\n")
    assert main(["--config", str(path), "--windowed"]) == 2
    _, err = capsys.readouterr()
    assert f"{path}:1: 'fullscreen' must be true or false" in err
    assert "Traceback" not in err


def test_shots_cover_every_screen(qtbot: QtBot, tmp_path: Path) -> None:
    written = take_shots(load_config(), tmp_path, (800, 480))
    names = {p.stem for p in written}
    for name in ("home", "topic-jaw-and-tmj", "check-1", "check-6", "result-urgent", "call",
                 "resting", "es-home", "es-call"):
        assert name in names
    assert sum(n.startswith("result-") and n != "result-urgent" for n in names) == 3
    image = QImage(str(tmp_path / "home.png"))
    assert (image.width(), image.height()) == (800, 480)
