"""The content folder's edge: whether a path, every symlink followed, lies inside it.

The one test every reader of staff files uses (the loader, the picture check, ``kiosk
check`` and the preview), so nothing outside the folder is ever opened through a link.
"""

from __future__ import annotations

from pathlib import Path


def is_inside(root: Path, path: Path) -> bool:
    """Whether ``path``, with every symlink followed, is inside the folder ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False
