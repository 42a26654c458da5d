"""Rules that run: the core never imports Qt; ruff and ``mypy --strict`` pass."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = sorted(p for p in (ROOT / "kiosk").glob("*.py"))
FORBIDDEN = ("PySide6", "shiboken6", "kiosk.ui")


def imported(path: Path) -> set[str]:
    """Every module a file imports, at any depth (inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_the_core_never_imports_qt(path: Path) -> None:
    if path.name == "__main__.py":  # the command line starts the UI, lazily, on demand
        return
    bad = sorted(n for n in imported(path) if n.split(".")[0] in ("PySide6", "shiboken6")
                 or n == "kiosk.ui" or n.startswith("kiosk.ui."))
    assert bad == [], f"{path.name} imports {bad}; only kiosk/ui/ may use Qt"


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = [f"kiosk.{p.stem}" for p in CORE if p.stem not in ("__init__", "__main__")]
    code = (f"import sys\nfor m in {modules!r}: __import__(m)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{FORBIDDEN!r} or m.startswith('kiosk.ui'))\nprint(bad)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def _tool(name: str) -> list[str]:
    if shutil.which(name, path=str(Path(sys.executable).parent)) is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return [sys.executable, "-m", name]


def test_ruff_passes() -> None:
    run = subprocess.run([*_tool("ruff"), "check", "kiosk", "tests", "bench"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_strict_passes() -> None:
    run = subprocess.run([*_tool("mypy"), "--strict", "kiosk"], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
