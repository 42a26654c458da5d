"""The top bar: Back and Home on the left, the clinic's name centred, Text size on the right.

Every button keeps one place and one width on every screen and in every language (the
widest of its labels in all languages), so nothing jumps; the left and right sides are
the same width, so the title is truly centred. Hidden buttons keep their room.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from kiosk.theme import Metrics
from kiosk.ui.qtvalues import ALIGN_CENTER, set_props
from kiosk.ui.style import fitting_px, font
from kiosk.ui.widgets import button, label

KEYS = ("nav.back", "nav.home", "nav.text")


class TopBar(QFrame):
    """A QFrame, which draws its style-sheet background by itself (a plain QWidget subclass
    needs the WA_StyledBackground attribute, and naming it names Qt: kiosk.ui.qtvalues)."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("TopBar")
        self.back = button("Back")
        self.home = button("Home")
        self.text = button("Text size")
        for b in (self.back, self.home, self.text):
            policy = b.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            policy.setHorizontalPolicy(QSizePolicy.Policy.Fixed)
            b.setSizePolicy(policy)
        self.title = label(title, "BarTitle")
        set_props(self.title, alignment=ALIGN_CENTER)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.left = QWidget()
        self.right = QWidget()
        left = QHBoxLayout(self.left)
        right = QHBoxLayout(self.right)
        for side in (left, right):
            side.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.back)
        left.addWidget(self.home)
        left.addStretch(1)
        right.addStretch(1)
        right.addWidget(self.text)
        row = QHBoxLayout(self)
        row.addWidget(self.left)
        row.addWidget(self.title, 1)
        row.addWidget(self.right)

    def lay_out(self, m: Metrics, all_words: Iterable[Mapping[str, str]], title: str) -> None:
        """Sizes for these metrics, wide enough for every language's words."""
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(m.margin // 2 + 4, m.gap // 2 + 2, m.margin // 2 + 4,
                                  m.gap // 2 + 2)
        layout.setSpacing(m.gap)
        left = self.left.layout()
        if left is not None:  # (typed Optional by newer PySide6 stubs only)
            left.setSpacing(m.gap)
        fm = QFontMetrics(font(m.body, True))
        pad = 2 * max(16, m.button // 3) + 8
        words = list(all_words)
        widths = {}
        for key, b in zip(KEYS, (self.back, self.home, self.text), strict=True):
            widest = max((fm.horizontalAdvance(w[key]) for w in words), default=0)
            widths[key] = max(m.button, widest + pad)
            b.setFixedWidth(widths[key])
        side = max(widths["nav.back"] + widths["nav.home"] + m.gap, widths["nav.text"])
        self.left.setFixedWidth(side)
        self.right.setFixedWidth(side)
        # The clinic's name: smaller type before any word is cut; two lines at most.
        room = max(80, m.width - 2 * side - 2 * m.margin - 2 * m.gap)
        longest = max(title.split(), key=len, default="")
        px = fitting_px(title, room, m.heading, m.small, bold=True)
        if QFontMetrics(font(px, True)).horizontalAdvance(title) > room:
            px = fitting_px(longest, room, m.heading, m.small, bold=True)
        self.title.setStyleSheet(f"font-size: {px}px;")
        self.title.setText(title)
        # Too narrow for the name's longest word even in small type (the largest text on a
        # small screen, with long button words in some language): no name rather than a
        # cut one. The attract screen and the call panel still show it in full.
        inside = m.width - 2 * (m.margin // 2 + 4) - 2 * side - 2 * m.gap  # its real width
        fits = QFontMetrics(font(px, True)).horizontalAdvance(longest) <= min(room, inside)
        policy = self.title.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.title.setSizePolicy(policy)
        self.title.setVisible(fits)

    def show_for(self, words: Mapping[str, str], at_home: bool) -> None:
        for b, key in ((self.back, "nav.back"), (self.home, "nav.home"),
                       (self.text, "nav.text")):
            text = words[key]
            b.setText(text)
            b.setAccessibleName(text)
            b.setVisible(not at_home or b is self.text)

    def buttons(self) -> tuple[QPushButton, QPushButton, QPushButton]:
        return self.back, self.home, self.text
