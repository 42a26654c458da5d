"""Which fonts show a language's script, and which Debian package brings one.

The kiosk's words are drawn in the first family of a list (kiosk.ui.style) that has each
letter. For a language whose script the usual families lack (Persian, Korean, Armenian...)
the list gets that script's own families first, in the order below, among those fontconfig
says are installed. A language with no installed font for its script would show empty
boxes; ``kiosk check`` warns about it and names the package to install (``missing``).
Plain Python: the kiosk asks Qt's font database (fontconfig underneath); the checker asks
fontconfig's ``fc-list``. No Qt here.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple


class Script(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    name: str  # as people call it ("Arabic script")
    writing_system: str  # Qt's QFontDatabase.WritingSystem member
    families: tuple[str, ...]  # preferred families, best first
    packages: str  # what to install on Debian / Raspberry Pi OS
    sample: str  # a few letters every font for the script has


_ARABIC = Script("Arabic script", "Arabic",
                 # UI faces first: Noto Sans Arabic's tall lines would double a page's
                 # line spacing (its UI cut, and DejaVu, keep the lines as Latin text's)
                 ("Vazirmatn", "Noto Sans Arabic UI", "DejaVu Sans", "Noto Sans Arabic",
                  "Noto Naskh Arabic"),
                 "fonts-noto-core", "\u0633\u0644\u0627\u0645 \u06cc\u06a9 \u067e")
SCRIPTS: dict[str, Script] = {
    "fa": _ARABIC, "prs": _ARABIC, "ar": _ARABIC, "ur": _ARABIC, "ps": _ARABIC,
    "ckb": _ARABIC, "sd": _ARABIC, "ug": _ARABIC,
    "he": Script("Hebrew script", "Hebrew", ("Noto Sans Hebrew", "DejaVu Sans"),
                 "fonts-noto-core", "\u05e9\u05dc\u05d5\u05dd"),
    "yi": Script("Hebrew script", "Hebrew", ("Noto Sans Hebrew", "DejaVu Sans"),
                 "fonts-noto-core", "\u05e9\u05dc\u05d5\u05dd"),
    "hy": Script("Armenian script", "Armenian", ("Noto Sans Armenian", "DejaVu Sans"),
                 "fonts-noto-core", "\u0532\u0561\u0580\u0565\u0582"),
    "ka": Script("Georgian script", "Georgian", ("Noto Sans Georgian", "DejaVu Sans"),
                 "fonts-noto-core", "\u10d2\u10d0\u10db\u10d0\u10e0\u10ef\u10dd\u10d1\u10d0"),
    "ko": Script("Korean (Hangul)", "Korean",
                 ("Noto Sans CJK KR", "Noto Sans KR", "NanumBarunGothic", "NanumGothic"),
                 "fonts-noto-cjk (or the smaller fonts-nanum)", "\uc548\ub155\ud558\uc138\uc694"),
    "ja": Script("Japanese", "Japanese", ("Noto Sans CJK JP",), "fonts-noto-cjk",
                 "\u3053\u3093\u306b\u3061\u306f"),
    "zh": Script("Chinese", "SimplifiedChinese", ("Noto Sans CJK SC", "Noto Sans CJK TC"),
                 "fonts-noto-cjk", "\u4f60\u597d"),
    "hi": Script("Devanagari script", "Devanagari", ("Noto Sans Devanagari",),
                 "fonts-noto-core", "\u0928\u092e\u0938\u094d\u0924\u0947"),
    "pa": Script("Gurmukhi script", "Gurmukhi", ("Noto Sans Gurmukhi",), "fonts-noto-core",
                 "\u0a38\u0a24\u0a3f"),
    "th": Script("Thai script", "Thai", ("Noto Sans Thai",), "fonts-noto-core",
                 "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35"),
    "km": Script("Khmer script", "Khmer", ("Noto Sans Khmer",), "fonts-noto-core",
                 "\u179f\u17bd\u179f\u17d2\u178f\u17b8"),
    "am": Script("Ethiopic script", "Ethiopic", ("Noto Sans Ethiopic",), "fonts-noto-core",
                 "\u1230\u120b\u121d"),
    "ti": Script("Ethiopic script", "Ethiopic", ("Noto Sans Ethiopic",), "fonts-noto-core",
                 "\u1230\u120b\u121d"),
    "ta": Script("Tamil script", "Tamil", ("Noto Sans Tamil",), "fonts-noto-core",
                 "\u0bb5\u0ba3\u0b95\u0bcd\u0b95\u0bae\u0bcd"),
    "bn": Script("Bengali script", "Bengali", ("Noto Sans Bengali",), "fonts-noto-core",
                 "\u09a8\u09ae\u09b8\u09cd\u0995\u09be\u09b0"),
    "my": Script("Myanmar script", "Myanmar", ("Noto Sans Myanmar",), "fonts-noto-core",
                 "\u1019\u1004\u103a\u1039\u1002\u101c\u102c"),
}


def script_of(code: str) -> Script | None:
    """The script a language needs its own fonts for; None for Latin, Greek and Cyrillic,
    which the kiosk's usual families (Noto Sans, DejaVu Sans) already have."""
    return SCRIPTS.get(code.lower().split("-")[0])


@cache
def installed_for(code: str) -> tuple[str, ...] | None:
    """Installed families that fontconfig says cover a language (``fc-list :lang=fa``);
    None when fontconfig's tools are not there to ask."""
    import shutil  # here, not at start: fc-list is asked only by the checker
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, f":lang={code.lower()}", "family"], capture_output=True,
                             text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = {name.split(",")[0].strip() for name in out.splitlines() if name.strip()}
    return tuple(sorted(families))


def missing(code: str) -> str | None:
    """Why a language would show as empty boxes on this machine, with the package that
    fixes it; None when a font covers it (or it needs none, or fontconfig cannot say)."""
    script = script_of(code)
    if script is None:
        return None
    found = installed_for(code)
    if found is None or found:
        return None
    return (f"no font on this machine has the letters of {script.name}, so patients reading "
            f"'{code}' would see empty boxes instead of words")


def package_hint(code: str) -> str:
    script = script_of(code)
    package = script.packages if script else "fonts-noto-core"
    return (f"install a font for it (on Debian or Raspberry Pi OS: sudo apt-get install "
            f"{package}), then restart the kiosk")
