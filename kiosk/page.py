"""A rendered page and the link schemes inside it: the light part of kiosk.render.

Screens, the visit and the window need these before any page is rendered; importing them
must not load Markdown and the HTML sanitizer (the first screen shows no page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kiosk import bidi
from kiosk.problems import Problem

TOPIC_SCHEME = "topic"
IMAGE_SCHEME = "kiosk-image"
QR_SCHEME = "kiosk-qr"  # a web link: tapping it shows a QR code to scan, never a browser


@dataclass
class Page:
    """A rendered page: its HTML and what the policy refused, for ``kiosk check``."""

    html: str
    refused: list[Problem] = field(default_factory=list)
    topic_links: set[str] = field(default_factory=set)
    web_links: list[str] = field(default_factory=list)  # kiosk-qr:N is web_links[N]
    # kiosk-image path -> (kind, natural width, height): each picture's box is laid out
    # before the picture is drawn (off the GUI thread), so the page never jumps
    pictures: dict[str, tuple[str | None, float, float]] = field(default_factory=dict)


_TAG = re.compile(r"<[^>]+>")


_BLOCK_END = re.compile(r"</(p|li|h[1-6]|td|th|tr|blockquote)>", re.IGNORECASE)


def plain_text(page_html: str) -> str:
    """The words of a rendered page, one block (paragraph, item, heading) per paragraph."""
    import html  # (not at import: its table of 2,200 entities costs 11 M instructions)

    return bidi.strip_controls(html.unescape(_TAG.sub(" ", _BLOCK_END.sub("\n\n", page_html))))
