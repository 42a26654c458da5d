"""A QR code drawn module by module: sharp at every size, with its quiet zone."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk import qr

QUIET = 4  # modules of white around the code, as the standard asks


class QrCode(QWidget):
    def __init__(self, data: str = "", side: int = 160, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = ""
        self.modules: list[list[bool]] = []
        self.side = side
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_data(data)

    def set_data(self, data: str) -> None:
        self.data = data
        self.modules = qr.matrix(data) if data else []
        self.setAccessibleName(data)
        self.update()

    def set_side(self, side: int) -> None:
        self.side = side
        self.setFixedSize(side, side)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.side, self.side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        # Always dark on white, whatever the theme: that is what phone cameras read best.
        p.fillRect(self.rect(), QColor("#ffffff"))
        if self.modules:
            count = len(self.modules) + 2 * QUIET
            cell = min(self.width(), self.height()) / count
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#000000"))
            for y, row in enumerate(self.modules):
                for x, dark in enumerate(row):
                    if dark:
                        p.drawRect(QRectF((x + QUIET) * cell, (y + QUIET) * cell,
                                          cell + 0.02, cell + 0.02))
        p.end()
