"""A proof a clinician can read and sign on paper: one PDF of everything patients read.

Every page in every language as the kiosk renders it (the same sanitized HTML and the same
checked pictures), each with its reading level, whether it changed since an earlier version,
and a signature block; then the whole self-check: each question in the order patients meet
it, each answer with its points or its danger tier, each result band and each tier's message.
Written with Qt's own PDF writer (QPdfWriter, in PySide6-Essentials): no browser.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from kiosk import fonts, readability
from kiosk.model import Content, Language, Topic, find_picture
from kiosk.page import IMAGE_SCHEME, plain_text
from kiosk.render import render_topic, stylesheet
from kiosk.selfcheck import NOW, TODAY, SelfCheck
from kiosk.theme import LIGHT
from kiosk.transfer import content_files, sha256_of

PICTURE_PX = 420  # a picture's width on the printed page (of about 700 across)
TIER_WORDS = {NOW: "DANGER SIGN, emergency: tell the front desk now",
              TODAY: "DANGER SIGN, same day: tell a doctor or nurse today"}


@dataclass(frozen=True)
class ProofInfo:
    clinic: str
    version: str  # which content this is ("version 20261205-…", or the folder)
    since: str = ""  # what "changed" is measured against, in words ("" : nothing to compare)


def changed_files(content: Path, earlier: Path | None) -> set[str] | None:
    """Relative paths that differ from ``earlier`` (added or changed); None: no comparison."""
    if earlier is None or not earlier.is_dir():
        return None
    old = {rel.as_posix(): sha256_of(earlier / rel) for rel in content_files(earlier)}
    return {rel.as_posix() for rel in content_files(content)
            if old.get(rel.as_posix()) != sha256_of(content / rel)}


def write_proof(content: Content, out: Path, info: ProofInfo,
                changed: set[str] | None = None) -> int:
    """Write the proof PDF; returns its number of pages."""
    doc = QTextDocument()
    doc.setDefaultStyleSheet(stylesheet(LIGHT, 11) + _PROOF_CSS)
    parts = [_cover(content, info, changed)]
    for code in content.codes:
        language = content.language(code)
        for topic in language.topics:
            parts.append(_topic(doc, content, language, topic, changed))
        if language.selfcheck is not None:
            parts.append(_selfcheck(language, language.selfcheck, changed))
    doc.setHtml("".join(parts))
    writer = QPdfWriter(str(out))
    writer.setTitle(f"Content proof: {info.clinic}")
    writer.setCreator("clinic-kiosk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    writer.setResolution(96)
    layout = writer.pageLayout()
    rect = layout.paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    return doc.pageCount()


_PROOF_CSS = """
h1.proof { font-size: 20pt; }
p.meta { color: #424a53; }
p.changed { color: #a4161a; font-weight: bold; }
table.sign { margin-top: 18px; }
table.sign td { padding: 6px; }
td.line { border-bottom: 1px solid #000000; }
table.check td { padding: 4px; border: 1px solid #8c959f; }
"""


def _break() -> str:
    return '<div style="page-break-before: always"></div>'


def _sign(what: str) -> str:
    return (f'<p class="meta">Reviewed for patients: {html.escape(what)}</p>'
            '<table class="sign" width="100%"><tr>'
            '<td width="18%">Reviewed by</td><td class="line" width="40%">&nbsp;</td>'
            '<td width="10%">Date</td><td class="line" width="32%">&nbsp;</td></tr>'
            '<tr><td>Signature</td><td class="line" colspan="3">&nbsp;</td></tr></table>')


def _cover(content: Content, info: ProofInfo, changed: set[str] | None) -> str:
    rows = []
    for code in content.codes:
        language = content.language(code)
        for topic in language.topics:
            rows.append(f"<li>{html.escape(language.name)}: {html.escape(topic.title)}"
                        + (" (changed)" if _is_changed(content, topic.path, changed) else "")
                        + "</li>")
        if language.selfcheck is not None:
            rows.append(f"<li>{html.escape(language.name)}: the self-check"
                        + (" (changed)" if _is_changed(content, language.selfcheck.path,
                                                       changed) else "") + "</li>")
    since = (f"<p>Pages marked <b>changed</b> differ from {html.escape(info.since)}.</p>"
             if changed is not None else
             "<p>No earlier version to compare with: every page is shown.</p>")
    return (f'<h1 class="proof">Content proof: {html.escape(info.clinic)}</h1>'
            f'<p class="meta">{html.escape(info.version)}. Made '
            f'{dt.date.today().isoformat()} by kiosk proof. Each page below is what patients '
            "read on the kiosk, with its reading level and a place to sign. After signing, "
            "staff write the reviewer and the date in the page's front matter "
            "(reviewed_by, reviewed_on).</p>" + since + "<ul>" + "".join(rows) + "</ul>")


def _is_changed(content: Content, path: Path, changed: set[str] | None) -> bool:
    if changed is None:
        return False
    try:
        return Path(path).relative_to(content.root).as_posix() in changed
    except ValueError:
        return False


def _topic(doc: QTextDocument, content: Content, language: Language, topic: Topic,
           changed: set[str] | None) -> str:
    page = render_topic(topic, language, content.root)
    for rel in page.pictures:
        picture, _why = find_picture(content.root, content.root, rel, data=True)
        if picture is not None and picture.kind is not None:
            from kiosk.ui.widgets import draw_picture

            image = draw_picture(picture, PICTURE_PX, 0, 1.0, grow=picture.kind == "SVG")
            if not image.isNull():
                doc.addResource(QTextDocument.ResourceType.ImageResource,
                                QUrl(f"{IMAGE_SCHEME}:{rel}"), image)
    reading = readability.analyse(plain_text(page.html), language.code)
    level = ("Reading level: " + readability.described(reading) if reading is not None
             else "Reading level: too little text to judge")
    rel = Path(topic.path).relative_to(content.root).as_posix()
    note = ('<p class="changed">CHANGED since the earlier version</p>'
            if _is_changed(content, topic.path, changed) else "")
    reviewed = (f"Last reviewed by {topic.reviewed_by} on {topic.reviewed_on.isoformat()}"
                if topic.reviewed_by and topic.reviewed_on else "Not yet reviewed")
    return (_break() + f"<h1>{html.escape(topic.title)}</h1>"
            f'<p class="meta">{html.escape(language.name)} · {html.escape(rel)} · '
            f"{html.escape(level)} · {html.escape(reviewed)}</p>{note}"
            + _aside(language, html.escape(topic.summary)) + page.html
            + _sign(f"{language.name}, {topic.title} ({rel})"))


def _aside(language: Language, words: str) -> str:
    """A line set apart: in italics, but upright for a language in its own script (its type
    has no italics, and DejaVu Sans Oblique has no Arabic letters: they would be empty
    boxes)."""
    if language.rtl:
        return f'<p dir="rtl" class="aside">{words}</p>'
    if fonts.script_of(language.code) is not None:  # Korean, Armenian...: no italics either
        return f"<p>{words}</p>"
    return f"<p><i>{words}</i></p>"


def _selfcheck(language: Language, check: SelfCheck, changed: set[str] | None) -> str:
    rel = check.path.name
    out = [_break(), f"<h1>{html.escape(check.title)}</h1>",
           f'<p class="meta">{html.escape(language.name)} · {language.code}/{rel} · the '
           "questions in the order patients meet them (danger signs first)</p>"]
    if changed is not None and f"{language.code}/{rel}" in changed:
        out.append('<p class="changed">CHANGED since the earlier version</p>')
    if check.intro:
        out.append(f"<p>{html.escape(check.intro)}</p>")
    for number, question in enumerate(check.questions, start=1):
        out.append(f"<h3>Question {number} of {len(check.questions)}: "
                   f"{html.escape(question.text)}</h3>")
        if question.signs:
            out.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in question.signs)
                       + "</ul>")
        rows = "".join(
            f"<tr><td>{html.escape(a.text)}</td><td>"
            + (html.escape(TIER_WORDS[a.tier]) if a.tier else f"{a.points} point(s)")
            + "</td></tr>" for a in question.answers)
        out.append(f'<table class="check" width="100%">{rows}</table>')
    out.append("<h2>Results</h2>")
    rows = "".join(f"<tr><td>Total {b.low} to {b.high}</td><td><b>{html.escape(b.title)}</b>"
                   f"<br>{html.escape(b.message)}</td></tr>" for b in check.bands)
    for tier in (NOW, TODAY):
        said = check.tiers.get(tier)
        if said is not None:
            rows += (f"<tr><td>{html.escape(TIER_WORDS[tier])}</td><td><b>"
                     f"{html.escape(said.title)}</b><br>{html.escape(said.message)}</td></tr>")
    out.append(f'<table class="check" width="100%">{rows}</table>')
    out.append(_aside(language, f"Under every result: {html.escape(check.not_diagnosis)}"))
    out.append(_sign(f"{language.name}, the self-check ({language.code}/{rel})"))
    return "".join(out)
