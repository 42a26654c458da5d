"""Shown when no content can be loaded: calm words, no buttons, no error details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import labels
from kiosk.ui.widgets import label


class RestingScreen(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.heading = label(labels.DEFAULTS["resting.heading"], "Title")
        self.message = label(labels.DEFAULTS["resting.message"], "Heading")
        for lab in (self.heading, self.message):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addStretch(1)
