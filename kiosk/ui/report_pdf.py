"""The usage report as PDF: the same charts (kiosk/report.py's SVG), drawn by Qt's SVG
renderer into pictures on the page, written by QPdfWriter. No browser."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from kiosk.fleet import Cell
from kiosk.report import charts, html_report, svg


def _picture(markup: str) -> QImage:
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(markup.encode("utf-8")))
    size = renderer.defaultSize()
    # Twice the size, shown at its own size on the page (img width and height): sharp print.
    image = QImage(size.width() * 2, size.height() * 2, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def write_pdf(cells: Iterable[Cell], out: Path, title: str = "Kiosk usage") -> int:
    """Write the report as PDF; returns its number of pages."""
    cells = list(cells)
    doc = QTextDocument()
    page = html_report(cells, title)
    # Each inline chart becomes a picture Qt draws from the same SVG.
    n = 0
    while "<svg" in page:
        start = page.index("<svg")
        end = page.index("</svg>", start) + len("</svg>")
        url = f"chart:{n}"
        image = _picture(page[start:end])
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
        page = (page[:start] + f'<img src="{html.escape(url)}" width="{image.width() // 2}" '
                f'height="{image.height() // 2}">' + page[end:])
        n += 1
    doc.setHtml(page)
    writer = QPdfWriter(str(out))
    writer.setTitle(title)
    writer.setCreator("clinic-kiosk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 16, 16, 16), QPageLayout.Unit.Millimeter))
    writer.setResolution(96)
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    return doc.pageCount()


__all__ = ["charts", "svg", "write_pdf"]
