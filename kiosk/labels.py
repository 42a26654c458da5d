"""The words of the user interface: one declared table of every label, in English.

A language folder may hold ``labels.yaml`` with its own words for any of these keys.
A key it leaves out falls back to the default language, then to this table.
Placeholders such as ``{number}`` must be kept in every translation.
"""

from __future__ import annotations

import string

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
    "result.heading": "Your result",
    "result.call": "Call to schedule",
    "result.home": "Back to topics",
    "result.desk": "I will tell the front desk now",
    "home.call": "Call {phone}",
    "call.heading": "Call to schedule",
    "call.with": "With {doctor}",
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
    "date.month_year": "{month} {year}",
    "date.months": "January, February, March, April, May, June, July, August, September, "
                   "October, November, December",
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
