"""The kiosk's building blocks: buttons a finger can hit, labels, and pictures."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QRect,
    QRectF,
    QSize,
    QTimer,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QEnterEvent,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStylePainter,
    QWidget,
)

from kiosk import bidi
from kiosk.theme import LIGHT, Metrics, Theme
from kiosk.ui.offthread import weak, worker
from kiosk.ui.qtvalues import (
    ALIGN_LEFT,
    ALIGN_TOP,
    NO_FOCUS,
    NO_TEXT_INTERACTION,
    PLAIN_TEXT,
    TEXT_WORD_WRAP,
    set_props,
)
from kiosk.ui.style import font

if TYPE_CHECKING:  # pictures are checked and read after the first paint (and QImage's
    # Python type, with its enums, is made then too: about 1.2 M instructions an enum)
    from PySide6.QtGui import QImage

    from kiosk.pictures import Picture

log = logging.getLogger(__name__)


IMAGE_IO = threading.Lock()
"""Held by Python code that reads or writes an image (QImageReader, QImageWriter, QImage or
QPixmap load and save), on any thread. Qt makes image handlers under a lock of its own, and a
handler reading a buffer made in Python calls back into Python (PySide looks for a Python
override), which needs the GIL: the GUI thread holding the GIL in ``QPixmap.save`` while the
picture worker held Qt's lock waiting for the GIL froze both for good (seen in a test run).
Whoever takes this lock first does its image I/O; the other waits holding neither."""


def fit(natural: tuple[float, float], width: float, height: float = 0,
        grow: bool = True) -> tuple[float, float]:
    """A picture's size in px, keeping its shape: ``width`` wide, smaller if it would be taller
    than ``height`` (0: any height); never larger than ``natural`` unless ``grow``."""
    nw, nh = natural
    scale = max(1.0, width) / nw
    if height > 0:
        scale = min(scale, height / nh)
    if not grow:
        scale = min(scale, 1.0)
    return max(1.0, nw * scale), max(1.0, nh * scale)


def draw_picture(picture: Picture, width: float, height: float = 0, ratio: float = 1.0,
                 grow: bool = True) -> QImage:
    """A checked picture (``kiosk.pictures``) drawn to ``fit`` ``width`` x ``height`` px,
    sharp at the screen's pixel ratio; a null image if it cannot be drawn.

    Qt is given the picture's bytes and their kind, never a file and never a guess from the
    content: an SVG is drawn at the final size (vector, so sharp) by Qt's SVG image plugin
    (the PySide6 QtSvg module is not needed). Safe off the GUI thread."""
    from PySide6.QtGui import QImage

    from kiosk.pictures import QT_FORMAT

    form = QT_FORMAT.get(picture.kind or "")
    if form is None or not picture.data:
        return QImage()
    with IMAGE_IO:
        return _read(picture, form, width, height, ratio, grow)


def _read(picture: Picture, form: str, width: float, height: float, ratio: float,
          grow: bool) -> QImage:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QImageReader

    data = QByteArray(picture.data)
    device = QBuffer(data)
    device.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(device, form.encode())
    reader.setAutoDetectImageFormat(False)
    reader.setDecideFormatFromContent(False)
    natural = picture.size
    if natural is None:
        size = reader.size()
        if not size.isValid() or size.width() <= 0 or size.height() <= 0:
            return QImage()
        natural = (float(size.width()), float(size.height()))
    w, h = fit(natural, width, height, grow)
    reader.setScaledSize(QSize(max(1, round(w * ratio)), max(1, round(h * ratio))))
    image = reader.read()
    device.close()
    if image.isNull():
        return QImage()
    image.setDevicePixelRatio(ratio)
    return image


def draw_file(root: Path, path: Path, width: float, height: float = 0, ratio: float = 1.0,
              grow: bool = True) -> QImage:
    """A picture file inside ``root``, checked and drawn (``draw_picture``); null if it is
    refused or no picture. Reads the file: call it off the GUI thread."""
    from PySide6.QtGui import QImage

    from kiosk.pictures import Refusal, check  # not before the first paint

    found = check(root, path, data=True)
    if isinstance(found, Refusal):
        log.warning("%s: not shown: it %s", path, found)
        return QImage()
    return draw_picture(found, width, height, ratio, grow)


def button(text: str, primary: bool = False, parent: QWidget | None = None) -> QPushButton:
    """A push button whose accessible name is its visible text."""
    # QPushButton(text, parent) is told apart from QPushButton(icon, text) by asking whether
    # the text could be an icon, which makes QIcon's Python type and its 151 theme icons'
    # enum (about 10 M instructions at start); given the text alone, PySide6 does not ask.
    b = QPushButton(text)
    if parent is not None:
        b.setParent(parent)
    b.setAccessibleName(text)
    b.setProperty("role", "primary" if primary else "secondary")
    set_props(b, focusPolicy=NO_FOCUS)  # (the first screen never names Qt: kiosk.ui.qtvalues)
    b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    return b


def own_viewport(area: QAbstractScrollArea) -> QWidget:
    """Give a scroll area a viewport made in Python, before anything asks for its own.

    Qt's own viewport is an object Python has never seen: the first ``area.viewport()``
    makes PySide6 work out its class, which creates the Python type (and enums) of every
    widget class QtWidgets has: QWizard, QMessageBox, QStyle's 566 enum members... about
    2.2 MB that stay for the process's life (issue 24; ``tests/ui/test_start_cost.py``).
    A viewport made here comes back as itself. Set up as Qt sets up its own."""
    view = QWidget()
    view.setObjectName("qt_scrollarea_viewport")
    view.setBackgroundRole(QPalette.ColorRole.Base)
    view.setAutoFillBackground(True)
    area.setViewport(view)
    return view


def scroll_area() -> QScrollArea:
    """The kiosk's scroll area: frameless, its one widget as wide as it is, and its viewport
    made in Python (``own_viewport``), so no scroll area can forget that."""
    area = QScrollArea()
    own_viewport(area)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def needed_width(b: QAbstractButton, m: Metrics) -> int:
    """Width a one-line push button needs for its words (0 for wrapping buttons)."""
    if not isinstance(b, QPushButton):
        return 0
    if b.objectName() == "More":
        return QFontMetrics(font(m.small, True)).horizontalAdvance(b.text()) + 2 * 12 + 8
    urgent = b.property("role") == "urgent"
    fm = QFontMetrics(font(m.heading if urgent else m.body, True))
    return fm.horizontalAdvance(b.text()) + 2 * max(16, m.button // 3) + 12


class Words(QLabel):
    """A plain-text label that reads in its screen's direction. Qt gives a plain label the
    direction of its first letter, so in a right-to-left language a label that starts with
    "MRI", an English clinic name or a phone number would sit on the left and read left to
    right; this one shows it as a right-to-left paragraph (``text()`` is then the shown
    words, with the mark; ``words()`` as given)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words = ""

    def words(self) -> str:
        return self._words

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._words = text
        super().setText(self._shown())

    def _shown(self) -> str:
        if self.isRightToLeft():
            return bidi.rtl_paragraph(self._words)
        return self._words

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LayoutDirectionChange and self.text() != self._shown():
            super().setText(self._shown())
        super().changeEvent(event)


def label(text: str = "", name: str = "", wrap: bool = True,
          parent: QWidget | None = None) -> QLabel:
    """A plain-text label (never rich text: staff words are shown as written)."""
    lab = Words(parent)
    set_props(lab, textFormat=PLAIN_TEXT)
    lab.setText(text)
    lab.setWordWrap(wrap)
    set_props(lab, textInteractionFlags=NO_TEXT_INTERACTION)
    if name:
        lab.setObjectName(name)
    return lab


def mirrored(rtl: bool, whole: QRect, r: QRect) -> QRect:
    """``r`` as a right-to-left layout places it in ``whole`` if ``rtl`` (what
    QStyle.visualRect does; QStyle itself is not touched, as making its Python type costs
    about 50 M CPU instructions, a twelfth of the kiosk's whole start)."""
    if not rtl:
        return QRect(r)
    return r.translated(2 * (whole.right() - r.right()) + r.width() - whole.width(), 0)


# The palette roles a tile's words are drawn in (BigButton._set_colours fills them).
TITLE_ROLE = QPalette.ColorRole.ButtonText  # its title
DETAIL_ROLE = QPalette.ColorRole.PlaceholderText  # its line under the title


def solid(color: str) -> QBrush:
    """A solid brush of ``color``, without QBrush(QColor), whose overloads name Qt (a
    palette's brush is one: kiosk.ui.qtvalues)."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(color))
    return palette.window()


class BigButton(QAbstractButton):
    """A large button with a wrapped title and an optional line under it (topic tiles, answers).

    Its text is the title; its accessible name is the same text.
    """

    def __init__(self, text: str, detail: str = "", image: Path | None = None,
                 parent: QWidget | None = None, root: Path | None = None) -> None:
        """``image``: a picture file inside the content folder ``root`` (default: the
        picture's own folder, so an SVG may use only files beside it)."""
        super().__init__(parent)
        self.detail = detail
        self.image_path = image
        self.image_root = root if root is not None else image.parent if image else None
        # Known now, drawn later: the words are painted first and the picture is drawn on a
        # worker thread, so a screen of tiles appears without waiting for its pictures and
        # a picture slow to draw never holds the screen up.
        self.has_picture = image is not None and image.is_file()
        self._picture: QPixmap | None = None
        self._picture_due = False
        self._drawn: tuple[int, float, QPixmap] | None = None  # drawn at its tile size
        self._asked: tuple[int, float] | None = None  # the size being drawn now
        self.theme: Theme = LIGHT
        self.metrics = Metrics.for_size(800, 480)
        self._set_colours()
        self.setText(text)
        self.setAccessibleName(text)
        if detail:
            self.setAccessibleDescription(detail)
        set_props(self, focusPolicy=NO_FOCUS)
        self._hand = False  # the pointing-hand cursor: set at the mouse's first visit
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    @property
    def picture(self) -> QPixmap:
        """The picture file drawn now, on this thread, at its own size (an SVG 256 px wide);
        null without one. For tools and tests: the tile draws its own off the GUI thread."""
        from kiosk.pictures import Picture, check

        if self._picture is None:
            self._picture = QPixmap()
            if self.image_path is not None and self.image_root is not None:
                found = check(self.image_root, self.image_path, data=True)
                if isinstance(found, Picture) and found.kind is not None:
                    side = 256.0 if found.kind == "SVG" or found.size is None else \
                        found.size[0]
                    self._picture = QPixmap.fromImage(draw_picture(found, side, 0, 1.0))
            if self._picture.isNull():
                self.has_picture = False
        return self._picture

    def set_style(self, theme: Theme, metrics: Metrics) -> None:
        self.theme, self.metrics = theme, metrics
        self._set_colours()
        self.updateGeometry()
        self.update()

    @property
    def locked(self) -> bool:
        return bool(self.property("locked"))

    def set_locked(self, why: str) -> None:
        """Locked (``why`` non-empty): drawn greyed with a dashed edge, and ``why`` said to a
        screen reader (the screen shows it in its cue); the screen decides what a tap on it
        does. Unlocked (``why`` empty): an ordinary answer again."""
        self.setProperty("locked", bool(why))
        self.setAccessibleDescription(why or self.detail)
        self._set_colours()
        self.update()

    # -- geometry -----------------------------------------------------------
    def _pad(self) -> int:
        return max(14, self.metrics.button // 4)

    def _fonts(self) -> tuple[int, int]:
        m = self.metrics
        if self.detail:  # a tile: title between body and heading size, detail at body size
            return max(m.body + 1, round((m.body + m.heading) / 2) - 2), m.body
        return m.body, m.small

    def picture_side(self, width: int | None = None) -> int:
        """The tile picture's square, px (0 without a picture): big enough to see at 800x480,
        never more than a third of the tile's width."""
        if not self.has_picture:
            return 0
        width = self.width() if width is None else width
        side = min(140, max(64, round(self.metrics.button * 1.15)))
        return max(0, min(side, (width - 2 * self._pad()) // 3))

    def _picture_width(self, width: int) -> int:
        """Room kept on the left of the title for the picture: only on a button without a
        detail line. A tile's picture sits beside its detail, so the title keeps the whole
        width and a picture never adds a line to it."""
        side = self.picture_side(width)
        return side + self.metrics.gap if side and not self.detail else 0

    def _detail_inset(self, width: int) -> int:
        side = self.picture_side(width)
        return side + self.metrics.gap if side and self.detail else 0

    def text_height(self, width: int) -> int:
        """Height the wrapped title and detail (and the picture beside it) need at this width."""
        inner = max(10, width - 2 * self._pad() - self._picture_width(width))
        title_px, detail_px = self._fonts()
        from PySide6.QtGui import QFontMetrics

        h = QFontMetrics(font(title_px, True)).boundingRect(
            QRect(0, 0, inner, 10_000), TEXT_WORD_WRAP, self.text()).height()
        if self.detail:
            beside = max(10, inner - self._detail_inset(width))
            detail_h = QFontMetrics(font(detail_px)).boundingRect(
                QRect(0, 0, beside, 10_000), TEXT_WORD_WRAP, self.detail).height()
            h += self.metrics.gap // 2 + max(detail_h, self.picture_side(width))
        elif self._picture_width(width):
            h = max(h, self.picture_side(width))
        return h

    def _tile_picture(self, side: int) -> QPixmap:
        """The picture at ``side`` px, as drawn so far (null until it first arrives). It is
        drawn on the picture worker, afresh for each size, so an SVG stays sharp."""
        ratio = self.devicePixelRatioF()
        if self.image_path is None or self.image_root is None:
            return QPixmap()
        if (self._drawn is None or self._drawn[:2] != (side, ratio)) and \
                self._asked != (side, ratio):
            self._asked = (side, ratio)
            root, path = self.image_root, self.image_path
            worker("pictures").submit(
                ("tile", id(self)), lambda: (side, ratio, draw_file(root, path, side, side, ratio)),
                weak(self, BigButton._picture_drawn))
        return self._drawn[2] if self._drawn is not None else QPixmap()

    def _picture_drawn(self, result: tuple[int, float, QImage]) -> None:
        side, ratio, image = result
        if self._asked == (side, ratio):
            self._asked = None
        if image.isNull():
            self.has_picture = False  # refused, or no picture: the tile keeps its words
            self.updateGeometry()
        else:
            self._drawn = (side, ratio, QPixmap.fromImage(image))
        self.update()

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 - Qt API
        # A pointing hand under a mouse (staff, a preview); set here, on the first visit
        # after the window's first paint, as naming the cursor names Qt, which the first
        # screen never does (a pointer resting on a tile as the window appears: the next).
        if not self._hand and getattr(self.window(), "past_first_paint", True):
            from PySide6.QtCore import Qt

            self._hand = True
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        super().enterEvent(event)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return max(self.metrics.button, self.text_height(width) + 2 * self._pad())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        width = max(self.metrics.button * 3, 240)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.metrics.button, self.metrics.button)

    # -- painting -----------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        # Drawn without QPainter.setPen or setBrush, or QBrush(QColor): to tell their
        # overloads apart PySide6 names Qt.PenStyle or Qt.BrushStyle, which builds every enum
        # of the Qt namespace (kiosk.ui.qtvalues), and the first screen is these tiles. The
        # edge is a stroked path and the fill a palette's brush; the words are drawn by
        # QStylePainter.drawItemText, which sets the pen in C++ from a palette colour
        # (set_style puts the title's and the detail's there). Nothing here may change the
        # widget (its palette, its roles): that schedules another paint, for ever.
        t = self.theme
        rtl = self.isRightToLeft()
        p = QStylePainter(self)
        if rtl:  # the words' own direction (a left-to-right first screen never names Qt)
            from PySide6.QtCore import Qt

            p.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        locked = self.locked
        selected = (self.isDown() or self.isChecked()) and not locked
        edge = QPainterPath()
        radius = max(8, self.metrics.button // 6)
        edge.addRoundedRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5), radius, radius)
        p.fillPath(edge, solid(t.background if locked else t.note_bg if selected
                               else t.surface))
        pen = QPen()
        pen.setColor(QColor(t.muted if locked else t.accent))
        pen.setWidth(3 if selected or locked else 2)
        if locked:  # not yet an answer: a dashed edge, as the "More below" cue has
            from PySide6.QtCore import Qt

            pen.setStyle(Qt.PenStyle.DashLine)
        p.strokePath(edge, pen)
        pad = self._pad()
        inner = self.rect().adjusted(pad, pad, -pad, -pad)
        # Laid out as if left to right, then mirrored for a right-to-left language: the
        # picture on the reading side, the words after it (text alignment mirrors itself).
        whole = self.rect()

        def mirror(r: QRect) -> QRect:
            return mirrored(rtl, whole, r)

        room = self._picture_width(self.width())
        side = self.picture_side()
        picture = QPixmap()
        if side and (self._drawn is not None or self._picture_due):
            picture = self._tile_picture(side)
        elif side:  # the words now; the picture on the next turn (its room is kept)
            self._picture_due = True
            QTimer.singleShot(0, self.update)
        if room and not picture.isNull():
            ratio = picture.devicePixelRatio() or 1.0
            w, h = round(picture.width() / ratio), round(picture.height() / ratio)
            p.drawPixmap(mirror(QRect(inner.left() + (side - w) // 2,
                                      inner.center().y() - h // 2, w, h)), picture)
            inner.setLeft(inner.left() + room)
        title_px, detail_px = self._fonts()
        # The text block sits in the middle of the button, however tall the button is.
        spare = inner.height() - self.text_height(self.width())
        if spare > 0:
            inner.adjust(0, spare // 2, 0, 0)
        p.setFont(font(title_px, True))
        # Flags as QPainter's ints; left means the reading side, as the painter mirrors.
        flags = ALIGN_LEFT | ALIGN_TOP | TEXT_WORD_WRAP
        palette = self.palette()
        used = p.boundingRect(mirror(inner), flags, self.text())
        p.drawItemText(mirror(inner), flags, palette, True, self.text(), TITLE_ROLE)
        if self.detail:
            below = inner.adjusted(0, used.height() + self.metrics.gap // 2, 0, 0)
            inset = self._detail_inset(self.width())
            if inset and not picture.isNull():
                ratio = picture.devicePixelRatio() or 1.0
                w, h = round(picture.width() / ratio), round(picture.height() / ratio)
                p.drawPixmap(mirror(QRect(below.left() + (side - w) // 2,
                                          below.top() + (side - h) // 2, w, h)), picture)
                below.setLeft(below.left() + inset)
            p.setFont(font(detail_px))
            p.drawItemText(mirror(below), flags, palette, True, self.detail, DETAIL_ROLE)
        p.end()

    def _set_colours(self) -> None:
        """The title's and the detail's colours, in the palette roles paintEvent draws
        them with (set here, never while painting)."""
        t = self.theme
        palette = self.palette()  # a copy (QPalette(palette) would name Qt, as above)
        palette.setColor(TITLE_ROLE, QColor(t.muted if self.locked else t.heading))
        palette.setColor(DETAIL_ROLE, QColor(t.muted))
        self.setPalette(palette)
