"""Call to schedule: the clinic, the doctor, the phone number in very large type, and a
QR code that dials it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk import labels
from kiosk.qr import tel_uri
from kiosk.ui.qrwidget import QrCode
from kiosk.ui.screens.base import BaseScreen, State
from kiosk.ui.style import fitting_px, font
from kiosk.ui.widgets import button, label


class CallScreen(BaseScreen):
    def show_state(self, state: State) -> None:
        session, clinic, m = state.session, state.clinic, state.look.metrics
        body, col = self.column(state.look)
        col.addWidget(label(session.label("call.heading"), "Heading"))
        name = label(clinic.name, "Title")
        col.addWidget(name)
        if clinic.doctor:
            col.addWidget(label(labels.doctor_line(session.language.labels, clinic.doctor),
                                "Heading"))
        # In the order it is dialled, also in a right-to-left language (never "7757-828-310").
        self.phone = label(session.ltr(clinic.phone), "Phone", wrap=False)
        self.phone.setAccessibleName(clinic.phone)
        # Very large, but never wider than the column (a long number gets smaller type).
        room = min(m.column, m.width - 2 * m.margin) - 8
        px = fitting_px(clinic.phone, room, m.phone, m.title, bold=True)
        self.phone.setStyleSheet(f"font-size: {px}px;")
        col.addWidget(self.phone)
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight if m.width >= 700
                         else QBoxLayout.Direction.TopToBottom)
        row.setSpacing(m.gap * 2)
        left = QVBoxLayout()
        left.setSpacing(m.gap)
        hours = clinic.hours_for(session.language_code, session.content.default_language)
        left.addWidget(label(hours or session.label("call.hours_default")))
        left.addWidget(label(session.label("call.ask_desk")))
        left.addStretch(1)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        right.setSpacing(m.gap // 2)
        self.qr = QrCode(tel_uri(clinic))
        side = max(140, min(300, m.height // 4))
        self.qr.set_side(side)
        scan = label(session.label("call.scan"), "Muted")
        fm = QFontMetrics(font(m.small))
        scan.setFixedWidth(max(side + 2 * m.gap, min(fm.horizontalAdvance(scan.text()) + 8,
                                                     side * 2)))
        scan.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addWidget(scan, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addStretch(1)
        row.addLayout(right)
        col.addLayout(row)
        col.addStretch(1)
        self.swap(body)
        done = button(session.label("call.done"), primary=True)
        done.clicked.connect(self.controller.go_home)
        self.set_actions(state, [done])
