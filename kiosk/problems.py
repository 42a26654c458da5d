"""Problems found in staff files, each naming the file and line: ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a content file, in words a non-programmer can act on."""

    path: Path
    line: int
    message: str
    severity: Severity = "error"
    hint: str = ""  # one line on how to fix it

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        fix = f" (fix: {self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}{fix}"

    def as_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "line": self.line, "severity": self.severity,
                "message": self.message, "hint": self.hint}

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
