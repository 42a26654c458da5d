"""A rendered topic page, as tall as its text, that opens nothing but other topics.

Its own module: only the topic screen needs it, so it is loaded with the first page.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl, Signal
from PySide6.QtGui import (
    QImage,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QTextBrowser,
    QWidget,
)

from kiosk.model import resolve_inside
from kiosk.page import IMAGE_SCHEME, QR_SCHEME, TOPIC_SCHEME
from kiosk.ui.style import font
from kiosk.ui.widgets import draw_svg, is_svg

_BOX = "kiosk_picture_width"  # a document property: the width its SVG pictures were drawn at


def _picture_names(doc: QTextDocument) -> list[str]:
    """The kiosk-image names of a document's SVG pictures."""
    names = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                name = fmt.toImageFormat().name()
                if name.startswith(f"{IMAGE_SCHEME}:") and name.lower().endswith(".svg"):
                    names.append(name)
            it += 1
        block = block.next()
    return names


def _tight_picture_lines(doc: QTextDocument) -> None:
    """A paragraph that is only a picture: centred, with single line height. The page's
    145% line height would otherwise add half the picture's height as a blank gap below it."""
    cursor = QTextCursor(doc)
    block = doc.begin()
    while block.isValid():
        if block.text().strip() == "\ufffc":  # the object replacement character: a picture
            fmt = block.blockFormat()
            fmt.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(fmt)
        block = block.next()


class PageView(QTextBrowser):
    """A rendered topic page, as tall as its text, that follows only links to other topics.

    QTextBrowser's own link opening is off; images load only from inside the content folder.
    """

    topic_clicked = Signal(str)
    web_link_clicked = Signal(int)  # index into the page's web links: show its QR code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content_root: Path | None = None
        self.refused_resources: list[str] = []
        self._docs: OrderedDict[tuple[str, str, int, str], QTextDocument] = OrderedDict()
        self._blank: QTextDocument | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptDrops(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        self.anchorClicked.connect(self._on_anchor)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    CACHED_PAGES = 12  # laid-out pages kept, so opening one again costs almost nothing

    def show_page(self, html: str, css: str, root: Path, body_px: int) -> None:
        self.content_root = root
        self.refused_resources = []
        key = (html, css, body_px, str(root))
        doc = self._docs.pop(key, None)
        if doc is None:
            doc = QTextDocument(self)  # a child, so it asks this view for its pictures
            doc.setDefaultFont(font(body_px))
            doc.setDefaultStyleSheet(css)  # before setHtml, or it is not used
            doc.setHtml(html)
            _tight_picture_lines(doc)
        self._docs[key] = doc
        while len(self._docs) > self.CACHED_PAGES:
            _key, old = self._docs.popitem(last=False)
            if old is not doc:
                old.deleteLater()
        if self.document() is not doc:
            self.setDocument(doc)
            doc.documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def clear(self) -> None:
        """Show nothing, and forget every laid-out page."""
        if self._blank is None:
            self._blank = QTextDocument(self)
        self.setDocument(self._blank)
        for doc in self._docs.values():
            doc.deleteLater()
        self._docs.clear()

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == TOPIC_SCHEME:
            self.topic_clicked.emit(url.path())
        elif url.scheme() == QR_SCHEME and url.path().isdigit():
            self.web_link_clicked.emit(int(url.path()))
        # Anything else does nothing at all: no browser, no file view.

    def setSource(self, url: QUrl | str,  # noqa: N802 - Qt's name
                  type: QTextDocument.ResourceType  # noqa: A002 - Qt's name
                  = QTextDocument.ResourceType.UnknownResource) -> None:
        """Never navigate the view itself (a second line of defence after setOpenLinks)."""

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802 - Qt API
        url = QUrl(url) if isinstance(url, str) else url
        if kind == QTextDocument.ResourceType.ImageResource.value or kind == \
                QTextDocument.ResourceType.ImageResource:
            image = self._image(url)
            if image is not None:
                return image
            self.refused_resources.append(url.toString())
            blank = QImage(1, 1, QImage.Format.Format_ARGB32)
            blank.fill(Qt.GlobalColor.transparent)
            return blank
        self.refused_resources.append(url.toString())
        return QByteArray()

    def _image(self, url: QUrl) -> QImage | None:
        if url.scheme() != IMAGE_SCHEME or self.content_root is None:
            return None
        path, _why = resolve_inside(self.content_root, self.content_root, url.path())
        if path is None:
            return None
        if is_svg(path):
            width = self.picture_width()
            self.document().setProperty(_BOX, f"{width:g}")
            image = draw_svg(path, width, 0, self.devicePixelRatioF())
            return None if image.isNull() else image
        image = QImage(str(path))
        if image.isNull():
            return None
        widest = max(200, self.viewport().width())
        if image.width() > widest:
            image = image.scaledToWidth(widest, Qt.TransformationMode.SmoothTransformation)
        return image

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def picture_width(self) -> float:
        """Room for an SVG picture: the whole reading column, so its words stay large enough
        to read even on an 800x480 screen (a tall picture scrolls like the text does)."""
        return max(200.0, self.viewport().width() - 2 * self.document().documentMargin() - 2)

    def _refresh_pictures(self) -> None:
        """Draw the page's SVG pictures again when the room for them changed (another screen
        size or text size): a picture drawn for the old width would leave a gap or overflow."""
        doc = self.document()
        drawn = doc.property(_BOX)
        if not drawn or self.content_root is None:
            return
        width = self.picture_width()
        if drawn == f"{width:g}":
            return
        doc.setProperty(_BOX, f"{width:g}")
        kind = QTextDocument.ResourceType.ImageResource.value
        for name in _picture_names(doc):
            url = QUrl(name)
            image = self._image(url)
            if image is not None:
                doc.addResource(kind, url, image)
        doc.markContentsDirty(0, doc.characterCount())

    def _fit(self) -> None:
        doc = self.document()
        width = self.viewport().width()
        if doc.textWidth() != width:
            doc.setTextWidth(width)
        self._refresh_pictures()
        height = math.ceil(doc.size().height()) + 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(height)
