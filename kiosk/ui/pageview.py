"""A rendered topic page, as tall as its text, that opens nothing but other topics.

Its own module: only the topic screen needs it, so it is loaded with the first page.
"""

from __future__ import annotations

import math
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from html import unescape
from pathlib import Path

import shiboken6
from PySide6.QtCore import SIGNAL, QByteArray, QObject, Qt, QUrl, Signal
from PySide6.QtGui import (
    QImage,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QTextBrowser,
    QWidget,
)

from kiosk.model import find_picture, locate_picture
from kiosk.page import IMAGE_SCHEME, QR_SCHEME, TOPIC_SCHEME
from kiosk.ui.offthread import weak, worker
from kiosk.ui.style import font
from kiosk.ui.widgets import draw_picture, fit, own_viewport

_BOX = "kiosk_picture_width"  # a document property: the width its pictures were drawn for
IMAGE = QTextDocument.ResourceType.ImageResource
Shape = tuple[str | None, float, float]  # a picture's kind, natural width and height


def _picture_spans(doc: QTextDocument) -> list[tuple[int, int]]:
    """Where each kiosk-image picture of a document is: its position and length. A walk
    over every fragment of the page, so done once per document (``PageView._spans``): only
    the pictures' formats change after that, never where they are."""
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name().startswith(
                    f"{IMAGE_SCHEME}:"):
                found.append((fragment.position(), fragment.length()))
            it += 1
        block = block.next()
    return found


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


_ALT = re.compile(r'<img\b[^>]*\balt="([^"]*)"')


class PageView(QTextBrowser):
    """A rendered topic page, as tall as its text, that follows only links to other topics.

    QTextBrowser's own link opening is off; images load only from inside the content folder,
    each checked and drawn on the picture worker (never on the GUI thread) into a box laid
    out at once from its natural size, so the page neither waits nor jumps.
    """

    topic_clicked = Signal(str)
    web_link_clicked = Signal(int)  # index into the page's web links: show its QR code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content_root: Path | None = None
        self.refused_resources: list[str] = []
        self._shapes: dict[str, Shape] = {}  # the page's pictures, by kiosk-image path
        self._asked: set[tuple[str, int, int, str]] = set()  # pictures being drawn
        self._docs: OrderedDict[tuple[str, str, int, str], QTextDocument] = OrderedDict()
        self._blank: QTextDocument | None = None
        # Where each laid-out page's pictures are (found once per page: see _picture_spans).
        self._spans: weakref.WeakKeyDictionary[QTextDocument, list[tuple[int, int]]] = (
            weakref.WeakKeyDictionary())
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
        view = own_viewport(self)
        view.setMouseTracking(True)  # as QTextBrowser's own (links' hover)
        # QTextEdit lays its first document out for its first viewport's screen, which is
        # gone now: it would lay it out on a deleted widget (a crash, seen).
        self.document().documentLayout().setPaintDevice(view)
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        self.anchorClicked.connect(self._on_anchor)
        self._follow_size(self.document())

    CACHED_PAGES = 12  # laid-out pages kept, so opening one again costs almost nothing

    def show_page(self, html: str, css: str, root: Path, body_px: int,
                  pictures: Mapping[str, Shape] | None = None) -> None:
        """Show a rendered page; ``pictures``: its pictures' kinds and natural sizes, by
        kiosk-image path (``Page.pictures``), so their boxes are laid out at once."""
        self.content_root = root
        self.refused_resources = []
        self._shapes = dict(pictures or {})
        # Each picture's description, in page order: the keypad path reads it out.
        self._picture_words = [unescape(alt) for alt in _ALT.findall(html)]
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
            self._follow_size(doc)
        self._fit()

    def _follow_size(self, doc: QTextDocument) -> None:
        """Lay the view out again when the page's size changes (its pictures arrive).

        Connected by the signal's signature: connected as ``layout.documentSizeChanged
        .connect(...)``, PySide6 6.8.0.2 (the Raspberry Pi's) kept the Python wrapper of the
        layout Qt made for each page after the page was deleted: one more object for every
        page laid out, for the process's life (tests/ui/test_leak.py; 6.11 does not)."""
        # (Typed loosely: PySide6 6.8.0.2's stubs declare the signature as bytes and 6.11's
        # as str; both take the str SIGNAL gives at run time.)
        connect: Callable[..., object] = QObject.connect
        connect(doc.documentLayout(), SIGNAL("documentSizeChanged(QSizeF)"), self._fit)

    def picture_words(self) -> list[str]:
        """The page's pictures' descriptions (their alt text), in page order."""
        return list(getattr(self, "_picture_words", []))

    def clear(self) -> None:
        """Show nothing, and forget every laid-out page."""
        if self._blank is None:
            self._blank = QTextDocument(self)
        self.setDocument(self._blank)
        for doc in self._docs.values():
            doc.deleteLater()
        self._docs.clear()
        for key in self._asked:  # nobody will see them: the worker is free for others
            worker("pictures").cancel(key)
        self._asked.clear()

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
        if kind == IMAGE.value or kind == IMAGE:
            image = self._image(url)
            if image is not None:
                return image
            self.refused_resources.append(url.toString())
            return _blank(1, 1, 1.0)
        self.refused_resources.append(url.toString())
        return QByteArray()

    def _image(self, url: QUrl) -> QImage | None:
        """A transparent stand-in the size of the picture's box (the picture itself is drawn
        on the worker and put in its place); None when it is refused outright."""
        if url.scheme() != IMAGE_SCHEME or self.content_root is None:
            return None
        path, _why = locate_picture(self.content_root, self.content_root, url.path())
        if path is None:
            return None
        width = self.picture_width()
        self.document().setProperty(_BOX, f"{width:g}")
        self._draw(self.document(), url.path(), width)
        box = self._box(url.path(), width)
        ratio = self.devicePixelRatioF()
        return _blank(*box, ratio) if box else _blank(1, 1, 1.0)

    def _box(self, rel: str, width: float) -> tuple[float, float] | None:
        """A picture's box on the page: an SVG as wide as the reading column, any other
        picture at its own size, narrowed to the column; None when its size is unknown."""
        shape = self._shapes.get(rel)
        if shape is None:
            return None
        kind, w, h = shape
        if kind == "SVG":
            return fit((w, h), width)
        return fit((w, h), max(200.0, self.viewport().width()), grow=False)

    def _draw(self, doc: QTextDocument, rel: str, width: float) -> None:
        """Draw one picture of ``doc`` on the worker, for the column ``width``."""
        root = self.content_root
        if root is None:
            return
        ratio = self.devicePixelRatioF()
        widest = max(200.0, self.viewport().width())
        doc_ref = weakref.ref(doc)

        def work() -> tuple[weakref.ref[QTextDocument], str, float, QImage, str]:
            picture, why = find_picture(root, root, rel, data=True)
            if picture is None or picture.kind is None:
                return doc_ref, rel, width, QImage(), why or "it is not a picture"
            if picture.kind == "SVG":
                image = draw_picture(picture, width, 0, ratio)
            else:
                image = draw_picture(picture, widest, 0, ratio, grow=False)
            return doc_ref, rel, width, image, ""

        key = ("page", id(self), id(doc), rel)
        self._asked.add(key)
        worker("pictures").submit(key, work, weak(self, PageView._drawn))

    def _drawn(self, result: tuple[weakref.ref[QTextDocument], str, float, QImage, str]
               ) -> None:
        """A picture drawn on the worker: put in its place, its box fitted to it."""
        doc_ref, rel, width, image, why = result
        doc = doc_ref()
        self._asked.discard(("page", id(self), id(doc), rel))
        if doc is None or not shiboken6.isValid(doc) or doc.property(_BOX) != f"{width:g}":
            return  # that page is gone, or it was drawn for another width since
        url = QUrl(f"{IMAGE_SCHEME}:{rel}")
        if image.isNull():
            self.refused_resources.append(url.toString())
            image = _blank(1, 1, 1.0)
        doc.addResource(IMAGE.value, url, image)
        ratio = image.devicePixelRatio() or 1.0
        self._set_boxes(doc, {rel: (image.width() / ratio, image.height() / ratio)})
        doc.markContentsDirty(0, doc.characterCount())
        self.viewport().update()

    def _pictures(self, doc: QTextDocument) -> list[tuple[int, int, QTextImageFormat]]:
        """Each kiosk-image picture of a document: its position, length and format now."""
        spans = self._spans.get(doc)
        if spans is None:
            spans = self._spans[doc] = _picture_spans(doc)
        cursor = QTextCursor(doc)
        found = []
        for position, length in spans:
            cursor.setPosition(position + 1)  # the format of the character before it
            found.append((position, length, cursor.charFormat().toImageFormat()))
        return found

    def _set_boxes(self, doc: QTextDocument, boxes: Mapping[str, tuple[float, float]]) -> bool:
        """Give pictures of ``doc`` their boxes (by kiosk-image path); True if any changed."""
        if not boxes:
            return False
        cursor = QTextCursor(doc)
        changed = False
        for position, length, fmt in self._pictures(doc):
            box = boxes.get(fmt.name().removeprefix(f"{IMAGE_SCHEME}:"))
            if box is None or (round(fmt.width()), round(fmt.height())) == \
                    (round(box[0]), round(box[1])):
                continue
            fmt.setWidth(box[0])
            fmt.setHeight(box[1])
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(QTextCharFormat(fmt))
            changed = True
        return changed

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def picture_width(self) -> float:
        """Room for an SVG picture: the whole reading column, so its words stay large enough
        to read even on an 800x480 screen (a tall picture scrolls like the text does)."""
        return max(200.0, self.viewport().width() - 2 * self.document().documentMargin() - 2)

    def _refresh_pictures(self) -> None:
        """Lay the page's pictures out for the room there is now (another screen size or
        text size), and draw them again for it: a picture drawn for the old width would
        leave a gap or overflow."""
        doc = self.document()
        width = self.picture_width()
        boxes = {rel: box for rel in self._shapes if (box := self._box(rel, width))}
        self._set_boxes(doc, boxes)
        drawn = doc.property(_BOX)
        if not drawn or self.content_root is None or drawn == f"{width:g}":
            return
        doc.setProperty(_BOX, f"{width:g}")
        for rel in {fmt.name().removeprefix(f"{IMAGE_SCHEME}:") for _p, _n, fmt in
                    self._pictures(doc)}:
            self._draw(doc, rel, width)

    def _fit(self) -> None:
        doc = self.document()
        width = self.viewport().width()
        if doc.textWidth() != width:
            doc.setTextWidth(width)
        self._refresh_pictures()
        height = math.ceil(doc.size().height()) + 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(height)


def _blank(width: float, height: float, ratio: float) -> QImage:
    """A transparent picture of that size in px: what stands in a picture's place."""
    image = QImage(max(1, round(width * ratio)), max(1, round(height * ratio)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(ratio)
    return image
