"""Problems found in staff files, each naming the file and line: ``path:line: message``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
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
