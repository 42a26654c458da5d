"""The kiosk's building blocks: buttons a finger can hit, labels, and pictures."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QImage,
    QImageReader,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from kiosk.theme import LIGHT, Metrics, Theme
from kiosk.ui.style import font

_WRAP = Qt.TextFlag.TextWordWrap


def is_svg(path: Path) -> bool:
    return path.suffix.lower() == ".svg"


def draw_svg(path: Path, width: float, max_height: float = 0, ratio: float = 1.0) -> QImage:
    """An SVG drawn ``width`` px wide (keeping its shape; smaller if it would be taller than
    ``max_height``), sharp at the screen's pixel ratio. A null image if it cannot be read.

    Drawn by Qt's own SVG image plugin at the final size (vector, so sharp): the PySide6
    QtSvg module is not needed, and not loading it keeps the start near the floor."""
    reader = QImageReader(str(path))
    size = reader.size()
    if not size.isValid() or size.width() <= 0 or size.height() <= 0:
        return QImage()
    w = max(1.0, width)
    h = w * size.height() / size.width()
    if max_height > 0 and h > max_height:
        w, h = w * max_height / h, max_height
    reader.setScaledSize(QSize(max(1, round(w * ratio)), max(1, round(h * ratio))))
    image = reader.read()
    if image.isNull():
        return QImage()
    image.setDevicePixelRatio(ratio)
    return image


def load_picture(path: Path, side: int = 256, ratio: float = 1.0) -> QPixmap:
    """A picture file for a tile: an SVG drawn to fit a ``side`` px square, else the file."""
    if is_svg(path):
        return QPixmap.fromImage(draw_svg(path, side, side, ratio))
    return QPixmap(str(path))


def button(text: str, primary: bool = False, parent: QWidget | None = None) -> QPushButton:
    """A push button whose accessible name is its visible text."""
    b = QPushButton(text, parent)
    b.setAccessibleName(text)
    b.setProperty("role", "primary" if primary else "secondary")
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    return b


def needed_width(b: QAbstractButton, m: Metrics) -> int:
    """Width a one-line push button needs for its words (0 for wrapping buttons)."""
    if not isinstance(b, QPushButton):
        return 0
    if b.objectName() == "More":
        return QFontMetrics(font(m.small, True)).horizontalAdvance(b.text()) + 2 * 12 + 8
    urgent = b.property("role") == "urgent"
    fm = QFontMetrics(font(m.heading if urgent else m.body, True))
    return fm.horizontalAdvance(b.text()) + 2 * max(16, m.button // 3) + 12


def label(text: str = "", name: str = "", wrap: bool = True,
          parent: QWidget | None = None) -> QLabel:
    """A plain-text label (never rich text: staff words are shown as written)."""
    lab = QLabel(parent)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setText(text)
    lab.setWordWrap(wrap)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if name:
        lab.setObjectName(name)
    return lab


class BigButton(QAbstractButton):
    """A large button with a wrapped title and an optional line under it (topic tiles, answers).

    Its text is the title; its accessible name is the same text.
    """

    def __init__(self, text: str, detail: str = "", image: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        self.image_path = image
        # Known now, drawn later: the words are painted first and the picture on the next
        # turn of the event loop, so a screen of tiles appears without waiting for them.
        self.has_picture = image is not None and image.is_file()
        self._picture: QPixmap | None = None
        self._picture_due = False
        self._drawn: tuple[int, float, QPixmap] | None = None  # an SVG drawn at its tile size
        self.theme: Theme = LIGHT
        self.metrics = Metrics.for_size(800, 480)
        self.setText(text)
        self.setAccessibleName(text)
        if detail:
            self.setAccessibleDescription(detail)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    @property
    def picture(self) -> QPixmap:
        """The picture file as it is (loaded on first use); null without one."""
        if self._picture is None:
            self._picture = load_picture(self.image_path) if self.image_path else QPixmap()
            if self._picture.isNull():
                self.has_picture = False
        return self._picture

    def set_style(self, theme: Theme, metrics: Metrics) -> None:
        self.theme, self.metrics = theme, metrics
        self.updateGeometry()
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
            QRect(0, 0, inner, 10_000), _WRAP, self.text()).height()
        if self.detail:
            beside = max(10, inner - self._detail_inset(width))
            detail_h = QFontMetrics(font(detail_px)).boundingRect(
                QRect(0, 0, beside, 10_000), _WRAP, self.detail).height()
            h += self.metrics.gap // 2 + max(detail_h, self.picture_side(width))
        elif self._picture_width(width):
            h = max(h, self.picture_side(width))
        return h

    def _tile_picture(self, side: int) -> QPixmap:
        """The picture at ``side`` px: an SVG is drawn afresh at that size, so it stays sharp."""
        ratio = self.devicePixelRatioF()
        if self.image_path is None or not is_svg(self.image_path):
            return self.picture.scaled(round(side * ratio), round(side * ratio),
                                       Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
        if self._drawn is None or self._drawn[:2] != (side, ratio):
            self._drawn = (side, ratio, load_picture(self.image_path, side, ratio))
        return self._drawn[2]

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
        t = self.theme
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        radius = max(8, self.metrics.button // 6)
        selected = self.isDown() or self.isChecked()
        p.setPen(QPen(QColor(t.accent), 3 if selected else 2))
        p.setBrush(QColor(t.note_bg if selected else t.surface))
        p.drawRoundedRect(rect, radius, radius)
        pad = self._pad()
        inner = self.rect().adjusted(pad, pad, -pad, -pad)
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
            p.drawPixmap(QRect(inner.left() + (side - w) // 2, inner.center().y() - h // 2, w, h),
                         picture)
            inner.setLeft(inner.left() + room)
        title_px, detail_px = self._fonts()
        # The text block sits in the middle of the button, however tall the button is.
        spare = inner.height() - self.text_height(self.width())
        if spare > 0:
            inner.adjust(0, spare // 2, 0, 0)
        p.setPen(QColor(t.heading))
        p.setFont(font(title_px, True))
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        used = p.boundingRect(inner, int(align) | int(_WRAP), self.text())
        p.drawText(inner, int(align) | int(_WRAP), self.text())
        if self.detail:
            p.setPen(QColor(t.muted))
            p.setFont(font(detail_px))
            below = inner.adjusted(0, used.height() + self.metrics.gap // 2, 0, 0)
            inset = self._detail_inset(self.width())
            if inset and not picture.isNull():
                ratio = picture.devicePixelRatio() or 1.0
                w, h = round(picture.width() / ratio), round(picture.height() / ratio)
                p.drawPixmap(QRect(below.left() + (side - w) // 2, below.top() + (side - h) // 2,
                                   w, h), picture)
                below.setLeft(below.left() + inset)
            p.drawText(below, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                       | int(_WRAP), self.detail)
        p.end()
