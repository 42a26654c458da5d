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

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
