"""Clinical review dates: which pages a clinician has not read lately, and how to say when.

A topic's front matter may carry ``reviewed_by`` (who) and ``reviewed_on`` (a date). A page
never reviewed, or reviewed more than ``months`` months ago, is due. Plain Python; no Qt.
"""

from __future__ import annotations

import calendar
from datetime import date

from kiosk import labels as labels_mod
from kiosk.model import Content, Language, Topic

DEFAULT_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_reviewed(topic: Topic) -> bool:
    """True when the page names both its reviewer and the day of the review."""
    return bool(topic.reviewed_by) and topic.reviewed_on is not None


def is_due(topic: Topic, months: int, today: date) -> bool:
    """Never reviewed, or reviewed longer ago than ``months`` months."""
    if not is_reviewed(topic):
        return True
    assert topic.reviewed_on is not None
    return add_months(topic.reviewed_on, months) < today


def due_for_review(content: Content, months: int, today: date) -> list[tuple[str, Topic]]:
    """(language code, topic) for every page due for a clinician's review, in menu order,
    the default language first."""
    return [(code, topic) for code in content.codes
            for topic in content.language(code).topics if is_due(topic, months, today)]


def month_year(day: date, language: Language) -> str:
    """"November 2026" in the language's own words (labels ``date.months``, ``date.month_year``)."""
    names = [n.strip() for n in language.labels["date.months"].split(",")]
    if len(names) != 12 or not all(names):
        names = [n.strip() for n in labels_mod.DEFAULTS["date.months"].split(",")]
    return labels_mod.say(language.labels, "date.month_year", month=names[day.month - 1],
                          year=day.year)  # the year in the language's digits


def reviewed_line(topic: Topic, language: Language) -> str:
    """The small print at the end of a reviewed page ("" when it was never reviewed)."""
    if not is_reviewed(topic):
        return ""
    assert topic.reviewed_on is not None
    return labels_mod.fill(language.labels["page.reviewed"], name=topic.reviewed_by,
                           date=month_year(topic.reviewed_on, language))
