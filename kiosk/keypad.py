"""The keypad path: which keys do what, for a patient who cannot see or reach the screen.

The EZ Access key set (Trace Center; on the US Postal Service's kiosks) has Up and Down, a
round action key, Back and Help, and a headphone jack; a $20 USB keypad or any keyboard
does. Each action is a list of key names as Qt spells them (``Down``, ``Tab``, ``Return``,
``F1``, ``VolumeUp``...); a clinic whose keypad sends other codes names them in the config
(``[keypad]``, ``next = "Down, 2"``). Every other key stays locked out. Plain Python; no Qt.
"""

from __future__ import annotations

import re
import string

# What each action does, and its keys unless the config names others.
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "next": ("move to the next control or paragraph", ("Down", "Tab")),
    "previous": ("move to the one before", ("Up", "Backtab")),
    "select": ("press the control in focus (the round action key)",
               ("Return", "Enter", "Space", "Select")),
    "back": ("go back a screen, or close a panel", ("Escape", "Backspace", "Back")),
    "help": ("say where you are and which keys do what", ("F1", "Help", "Question")),
    "repeat": ("say the one in focus again", ("F5", "R")),
    "pause": ("pause or go on speaking", ("MediaTogglePlayPause", "MediaPlay", "Pause", "P")),
    "faster": ("speak faster", ("Plus", "BracketRight")),
    "slower": ("speak slower", ("Minus", "BracketLeft")),
    "louder": ("speak louder", ("VolumeUp", "PageUp")),
    "softer": ("speak softer", ("VolumeDown", "PageDown")),
}

# Key names as Qt's Qt.Key spells them (without "Key_"), those a keypad or keyboard sends.
_NAMED = {
    "Up", "Down", "Left", "Right", "Tab", "Backtab", "Return", "Enter", "Space", "Escape",
    "Backspace", "Delete", "Insert", "Home", "End", "PageUp", "PageDown", "Help", "Back",
    "Forward", "Select", "Yes", "No", "Cancel", "Plus", "Minus", "Asterisk", "Slash",
    "Period", "Comma", "Equal", "Question", "BracketLeft", "BracketRight", "NumberSign",
    "Pause", "Play", "Stop", "VolumeUp", "VolumeDown", "VolumeMute", "MediaPlay", "MediaPause",
    "MediaStop", "MediaNext", "MediaPrevious", "MediaTogglePlayPause", "Menu", "Clear",
}
KEY_NAMES = frozenset(_NAMED | set(string.ascii_uppercase) | set(string.digits)
                      | {f"F{n}" for n in range(1, 36)})


def split(value: str) -> list[str]:
    """``"Down, 2"`` -> ``["Down", "2"]``."""
    return [name.strip() for name in re.split(r"[,\s]+", value) if name.strip()]


def key_problem(value: str) -> str | None:
    """Why a config's list of key names is wrong (words after the option's name), or None."""
    names = split(value)
    if not names:
        return "names no key; write one or more, like \"Down, Tab\""
    wrong = [n for n in names if n not in KEY_NAMES and n.upper() not in KEY_NAMES]
    if wrong:
        import difflib

        guess = difflib.get_close_matches(wrong[0], sorted(KEY_NAMES), n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        return (f"has '{wrong[0]}', which is not a key name{hint}; use Qt's names: Up, Down, "
                "Return, Escape, F1, VolumeUp, a letter or a digit")
    return None


def key_map(chosen: dict[str, str]) -> dict[str, str]:
    """Key name -> action, from the config's choices (an action it leaves out keeps its
    own keys). A key named for two actions does the first in ``ACTIONS``' order."""
    out: dict[str, str] = {}
    for action, (_what, keys) in ACTIONS.items():
        names = split(chosen[action]) if chosen.get(action) else list(keys)
        for name in names:
            name = name.upper() if len(name) == 1 else name
            out.setdefault(name, action)
    return out
