"""The words of the user interface: one declared table of every label, in English.

A language folder may hold ``labels.yaml`` with its own words for any of these keys.
A key it leaves out gets this table's English words, never another language's (whichever
language the kiosk starts in); for a language that is not English, ``kiosk check`` names
the keys it leaves out. Placeholders such as ``{number}`` must be kept in every translation.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from kiosk import bidi

DEFAULTS: dict[str, str] = {
    "language.name": "English",
    "home.heading": "Tap a topic to learn more",
    "nav.back": "Back",
    "nav.home": "Home",
    "nav.text": "Text size",
    "display.heading": "Text size and colors",
    "display.normal": "Normal",
    "display.larger": "Larger",
    "display.largest": "Largest",
    "display.standard": "Standard colors",
    "display.contrast": "High contrast",
    "display.done": "Done",
    "topic.more": "More below",
    "topic.scan": "Scan to read more at home",
    "topic.listen": "Listen",
    "topic.stop": "Stop",
    "qr.close": "Close",
    "call.scan": "Scan to call from your phone",
    "topic.take_check": "Take the self-check",
    "topic.call": "Call to schedule",
    "check.progress": "Question {number} of {total}",
    "check.start": "Start the self-check",
    "check.see_all": "See every sign first",
    "result.heading": "Your result",
    "result.call": "Call to schedule",
    "result.home": "Back to topics",
    "result.desk": "I will tell the front desk now",
    "result.today": "I will ask to be seen today",
    "result.desk_told": "The front desk has also been told.",
    "home.call": "Call {phone}",
    "call.heading": "Call to schedule",
    "call.doctor_title": "Dr.",
    "call.with": "With {title} {doctor}",
    "call.hours_default": "Call during office hours.",
    "call.ask_desk": "Or ask the front desk. We are glad to help.",
    "call.done": "Back to start",
    "attract.line": "Touch the screen to learn more",
    "attract.touch": "Touch anywhere to start",
    "idle.heading": "Are you still there?",
    "idle.countdown": "The screen will start over for the next person in {seconds} seconds.",
    "idle.stay": "I'm still here",
    "resting.heading": "This screen is resting",
    "resting.message": "Please ask the front desk for help.",
    "page.reviewed": "Reviewed by {name} · {date}",
    "speech.on": "Speech is on. Press Down for the next item and Up for the one before. "
                 "Press the round key to choose. Press Back to go back. Press Help to hear "
                 "this again.",
    "speech.help": "{screen}. Press Down for the next item and Up for the one before. Press "
                   "the round key to choose. Press Back to go back. Press any key to stop the "
                   "screen from starting over.",
    "speech.button": "{text}. Button.",
    "speech.selected": "{text}. Button, selected.",
    "speech.answer": "{text}. Answer {number} of {total}.",
    "speech.chosen": "{text}. Answer {number} of {total}, chosen.",
    "speech.locked": "{text}. Answer {number} of {total}. Hear every sign first.",
    "speech.sign": "Sign {number} of {total}: {text}.",
    "speech.heading": "{text}. Heading.",
    "speech.picture": "Picture: {text}.",
    "speech.link": "{text}. Link.",
    "speech.still_there": "{heading} {countdown} Press any key for more time.",
    "speech.reset": "The screen is starting over for the next person.",
    "date.month_year": "{month} {year}",
    "date.months": "January, February, March, April, May, June, July, August, September, "
                   "October, November, December",
}


# Settings a labels.yaml may hold beside the words, with the values each may take. They are
# not words to translate, so a language that leaves them out is not told it misses them.
SETTINGS: dict[str, tuple[str, ...]] = {
    "language.direction": bidi.DIRECTIONS,
    "language.digits": tuple(bidi.DIGITS),
}


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders in a label."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def fill(template: str, **values: object) -> str:
    """Fill a label's placeholders; a broken template shows as written instead of failing."""
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def say(words: Mapping[str, str], key: str, **values: object) -> str:
    """A label of one language with its placeholders filled as that language shows them:
    the kiosk's own numbers in the language's digits, and in a right-to-left language a
    phone number or a web address kept in the order it is dialled or typed."""
    kind = words.get("language.digits", "latin")
    rtl = words.get("language.direction") == "rtl"
    shown: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool):
            value = bidi.digits(str(value), kind)
        elif isinstance(value, str) and rtl and name in ("phone", "address"):
            value = bidi.ltr_run(value)
        shown[name] = value
    return fill(words[key], **shown)


# A language's own name, for a language whose labels.yaml does not give 'language.name'.
NAMES = {"en": "English", "es": "Español", "fa": "فارسی", "ar": "العربية", "he": "עברית",
         "ko": "한국어", "hy": "Հայերեն", "zh": "中文", "vi": "Tiếng Việt", "tl": "Tagalog",
         "ru": "Русский"}


def is_english(code: str) -> bool:
    """Whether a language code is English (``en``, ``en-GB``...): the built-in words'."""
    return code.split("-")[0].lower() == "en"


def words_for(code: str, own: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Every label of one language: its own words (from its ``labels.yaml``), and for a key it
    leaves out the built-in English words, never another language's. Also the keys a language
    other than English leaves out, in table order, for ``kiosk check`` to name."""
    words = dict(DEFAULTS)
    words["language.name"] = NAMES.get(code, code)
    words["language.direction"] = bidi.default_direction(code)
    words["language.digits"] = bidi.default_digits(code)
    words.update((key, value) for key, value in own.items()
                 if key in DEFAULTS or key in SETTINGS)
    if is_english(code):
        return words, []
    missing = [key for key in DEFAULTS if key not in own
               and not (key == "language.name" and code in NAMES)]
    return words, missing


# A title written before the name in the config ("Dr. Hyun Bae"): the label gives it instead.
_TITLE = re.compile(r"^(?:dr|dra|doctor|doctora)\.?\s+", re.IGNORECASE)


def doctor_line(words: Mapping[str, str], name: str) -> str:
    """The call panel's line naming the doctor ("With Dr. Hyun Bae"), the title in the
    language's own words (label ``call.doctor_title``: "Dr.", or "Dra." for a woman doctor in
    Spanish). A title already written before the name in the config is left out, so it is
    neither said twice nor in the wrong language."""
    bare = _TITLE.sub("", name.strip(), count=1)
    return " ".join(fill(words["call.with"], title=words["call.doctor_title"],
                         doctor=bare).split())
