"""The keypad path: every control and every paragraph reachable with a few keys, one at a
time in reading order, with a large focus ring that shows in both themes.

The first keypad key switches the mode on (it does nothing else, so a patient who cannot see
the screen cannot press something by chance); the visit's end switches it off for the next
patient. Up/Down (and Tab) move, the round action key presses, Back goes back or closes a
panel. Touch keeps working alongside. Which keys do what: kiosk.keypad and the config's
``[keypad]``. Every other key stays locked out (kiosk.ui.lockdown).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

if TYPE_CHECKING:
    from kiosk.ui.overlays import Overlay
    from kiosk.ui.window import KioskWindow

log = logging.getLogger(__name__)
SELECT_GUARD_S = 0.5  # the action key again on the same stop within this: a double strike
_LETTER = re.compile(r"\w")


@dataclass(frozen=True)
class Item:
    """One stop of the focus: a control or a label, or one block of a page."""

    widget: QWidget
    block: int = -1  # the page's block number, when ``widget`` is the page
    text: str = ""  # what it says (a picture: its description)
    link: str = ""  # a page block's first link, pressed by the action key
    # A page block's rectangle in the page, found when the stops are collected (every key
    # press), so following a scroll does not walk the whole page again.
    area: QRect | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[int, int]:
        return id(self.widget), self.block


class FocusRing(QWidget):
    """A thick ring, white, magenta, white: it stands out on the light theme and on the
    high-contrast one alike (magenta is in neither: not the blue of buttons, the red of a
    danger box or the yellow of high contrast), and its width, not only its colour, marks
    the focus."""

    BAND = 4  # px: each of the three bands

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setObjectName("FocusRing")
        self.hide()

    def around(self, rect: QRect) -> None:
        pad = 3 * self.BAND + 3
        parent = self.parentWidget()
        room = parent.rect() if parent is not None else rect
        self.setGeometry(rect.adjusted(-pad, -pad, pad, pad).intersected(room))
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        b = self.BAND
        ring = QRectF(self.rect())
        for n, colour in enumerate(("#ffffff", "#d6007a", "#d6007a", "#ffffff")):
            p.setPen(QPen(QColor(colour), b))
            inset = b / 2 + n * b * 0.75
            p.drawRoundedRect(ring.adjusted(inset, inset, -inset, -inset), 12, 12)
        p.end()


class Keypad(QObject):
    """Moves a focus through the patient's screen by keys, and presses what it is on."""

    def __init__(self, window: KioskWindow, keys: dict[str, str]) -> None:
        super().__init__(window)
        self.window = window
        self.keys = keys
        self.active = False
        self.items: list[Item] = []
        self.index = -1
        self._place: tuple[int, ...] = ()  # which screen the items were collected on
        self.ring = FocusRing(window)
        self.moved: list[Callable[[Item | None], None]] = []  # told of every focus change
        self._scrolled: QScrollArea | None = None
        # The speech mode's: the patient's pace (-1 .. 1) and loudness (0 .. 1), and a pause.
        self.rate, self.volume, self.paused = 0.0, 1.0, False
        self.silenced = False  # headphones pulled out: nothing more is said aloud
        self._greet = False
        self._unsaid = ""  # said once the read-aloud child is ready (it starts at a key)
        self._logged: set[str] = set()  # key names said in the log once
        # When the action key was last pressed, and on which stop (a double strike).
        self._selected: tuple[float, tuple[int, int] | None] = (-SELECT_GUARD_S, None)

    # -- keys ------------------------------------------------------------------------------
    def action_of(self, event: QKeyEvent) -> str | None:
        held = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier \
            | Qt.KeyboardModifier.MetaModifier
        if event.modifiers() & held:
            return None  # Alt+Tab, Ctrl+W...: a keyboard's commands, never a keypad's keys
        try:
            name = Qt.Key(event.key()).name.removeprefix("Key_")
        except ValueError:
            return None
        return self.keys.get(name)

    def key(self, event: QEvent) -> bool:
        """A key press; True when it was the keypad's (and is used up)."""
        if not isinstance(event, QKeyEvent):
            return False
        action = self.action_of(event)
        if action is None:
            if event.type() == QEvent.Type.KeyPress:
                self._unknown(event)
            return False
        if event.type() != QEvent.Type.KeyPress:
            return True  # its release, or its shortcut check: used up too
        if event.isAutoRepeat():
            return True  # a key held down does it once (a shaky hand must not run on)
        if action == "select" and self.active:
            now, item = time.monotonic(), self.current()
            target = item.key if item is not None else None
            if target == self._selected[1] and now - self._selected[0] < SELECT_GUARD_S:
                return True  # the action key struck twice on one stop: once is meant
            self._selected = (now, target)
        self.do(action)
        return True

    def _unknown(self, event: QKeyEvent) -> None:
        """Name a key that is not the keypad's, once, in the log: how IT learns what their
        keypad's keys send (deploy/README.md, 7b). A key's name says nothing of a patient."""
        try:
            name = Qt.Key(event.key()).name.removeprefix("Key_")
        except ValueError:
            name = f"code {event.key()}"
        if name not in self._logged:
            self._logged.add(name)
            log.info("key %s is not one of the keypad path's keys, so it does nothing; to "
                     "use it, name it in the config's [keypad] (deploy/README.md, 7b)", name)

    def do(self, action: str) -> None:
        w = self.window
        from kiosk.session import Screen

        if w.visit.screen is Screen.ATTRACT:
            self.active = True
            self._greet = True  # said when the woken screen is up (the window's refresh)
            w.wake()  # any key starts, as a touch anywhere does
            return
        from kiosk.ui.overlays import StillThere

        overlay = self._overlay()
        if isinstance(overlay, StillThere):  # any key gives more time, as a touch does
            self.active = True
            overlay.dismiss_by_key()
            return
        if not self.active:  # the first key only switches the mode on
            self.active = True
            self.follow(restart=True, greet=True)
            return
        if action in ("next", "previous"):
            self.move(1 if action == "next" else -1)
        elif action == "select":
            self.press()
        elif action == "back":
            self.back()
        elif action == "help":
            self.say(self.words("speech.help", screen=w.screen_name()))
        elif action == "repeat":
            self.speak_focus()
        elif action == "pause":
            self.paused = not self.paused
            speaker = w.speaker
            if speaker is not None and self.speech_on():
                speaker.pause(self.paused)
        else:  # faster, slower, louder, softer: then the item again, at the new pace
            if action in ("faster", "slower"):
                self.rate = max(-1.0, min(1.0, self.rate + (0.25 if action == "faster"
                                                            else -0.25)))
            else:
                self.volume = max(0.1, min(1.0, self.volume + (0.15 if action == "louder"
                                                               else -0.15)))
            if w.speaker is not None and self.speech_on():
                w.speaker.set_voice(self.rate, self.volume)
            self.speak_focus()

    def headphones(self, plugged: bool) -> None:
        """Headphones went in: speech on, as the first key switches it on (EN 301 549 5.2:
        no sight needed), and the patient hears where they are. Out: speech stops at once
        and stays off until they are back, so what a patient chose is never said to the
        room through the kiosk's speaker; the ring and the keys keep working."""
        speaker = self.window.speaker
        if not plugged:
            self.silenced = True
            if speaker is not None:
                speaker.stop()
            return
        self.silenced = False
        # As the Help key: it wakes the attract screen, answers "Are you still there?",
        # or switches the mode on and says where the patient is; once on, says the keys.
        self.do("help")

    # -- focus ---------------------------------------------------------------------------
    def follow(self, restart: bool = False, greet: bool = False) -> None:
        """Collect the screen's stops again (after a change); stay on the same one if it is
        still there, else start at the screen's first, and say what the new screen is."""
        if not self.active:
            return
        if self._greet:
            restart, greet, self._greet = True, True, False
        current = self.current()
        place = self._where()
        self.items = self.collect()
        keys = [item.key for item in self.items]
        arrived = restart or place != self._place or current is None or \
            current.key not in keys
        if arrived or current is None:
            self.index = 0 if self.items else -1
        else:
            self.index = keys.index(current.key)
        self._place = place
        self.show_focus(speak=False)
        if arrived:
            opening = self.arrival()
            self.say(f"{self.words('speech.on')} {opening}" if greet else opening)

    def move(self, step: int) -> None:
        if self._where() != self._place:  # the screen changed since: start on the new one
            self.follow(restart=True)
            return
        self.items = self.collect()
        if not self.items:
            self.follow(restart=True)
            return
        current = self.current()
        keys = [item.key for item in self.items]
        at = keys.index(current.key) if current is not None and current.key in keys else -step
        self.index = (at + step) % len(self.items)
        self.show_focus()

    def current(self) -> Item | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def press(self) -> None:
        item = self.current()
        if item is None:
            return
        if isinstance(item.widget, QAbstractButton):
            if item.widget.isEnabled():
                item.widget.click()
        elif item.link:
            from kiosk.ui.pageview import PageView

            if isinstance(item.widget, PageView):
                item.widget.anchorClicked.emit(QUrl(item.link))
        QTimer.singleShot(0, self.follow)

    def back(self) -> None:
        w = self.window
        overlay = self._overlay()
        if overlay is not None:
            overlay.dismiss_by_key()
        elif w.bar.isVisible() and w.bar.back.isVisible():
            w.bar.back.click()
        QTimer.singleShot(0, self.follow)

    def reset(self) -> None:
        """The visit ended: the next patient starts by touch, with no ring."""
        self.active = False
        self.silenced = False
        self._unsaid = ""
        self._selected = (-SELECT_GUARD_S, None)
        self.rate, self.volume, self.paused = 0.0, 1.0, False
        if self.window.speaker is not None:
            self.window.speaker.set_voice(0.0, 1.0)
        self.items, self.index, self._place = [], -1, ()
        self.ring.hide()
        self._watch_scroll(None)

    # -- what is on screen -------------------------------------------------------------------
    def _overlay(self) -> Overlay | None:
        from kiosk.ui.overlays import Overlay

        # Annotated: PySide6 6.8's stubs do not say what findChildren returns.
        overlays: list[Overlay] = list(self.window.findChildren(Overlay))
        shown = [o for o in overlays if o.isVisible()]
        return shown[-1] if shown else None

    def _where(self) -> tuple[int, ...]:
        w = self.window
        overlay = self._overlay()
        screen = w.current_screen
        area = getattr(screen, "area", None)
        body = area.widget() if isinstance(area, QScrollArea) else None
        return id(overlay), id(screen), id(body)

    def collect(self) -> list[Item]:
        """The stops of the top layer, in reading order: a panel's when one is open; else
        the screen's words and controls, its actions, then the header."""
        from kiosk.ui.screens.base import BaseScreen

        w = self.window
        overlay = self._overlay()
        if overlay is not None:
            if not getattr(overlay, "for_patients", True):
                return []  # the staff's panels are touch only
            return self._in(overlay.card)
        screen = w.current_screen
        items: list[Item] = []
        if isinstance(screen, BaseScreen):
            body = screen.area.widget()
            if body is not None:
                items += self._in(body)
            items += [i for i in self._in(screen.action_bar) if i.widget is not screen.more]
        if w.bar.isVisible():
            items += self._in(w.bar)
        return items

    def _in(self, root: QWidget) -> list[Item]:
        from kiosk.ui.pageview import PageView

        w = self.window
        rtl = w.layoutDirection() == Qt.LayoutDirection.RightToLeft
        found: list[tuple[int, int, Item]] = []
        children: list[QWidget] = list(root.findChildren(QWidget))  # (as above)
        for child in children:
            if not child.isVisibleTo(w) or _inside_button(child, root):
                continue
            top_left = child.mapTo(root, QPoint(0, 0))
            x = -(top_left.x() + child.width()) if rtl else top_left.x()
            if isinstance(child, PageView):
                for item in _blocks(child):
                    assert item.area is not None
                    found.append((child.mapTo(root, item.area.topLeft()).y(), x, item))
            elif isinstance(child, QAbstractButton):
                found.append((top_left.y(), x, Item(child, text=child.text())))
            elif isinstance(child, QLabel) and _LETTER.search(child.text()):
                found.append((top_left.y(), x, Item(child, text=child.text())))
        # Rows first (a few pixels apart still count as one row), then the reading side.
        found.sort(key=lambda f: (f[0] // 12, f[1]))
        return [item for _y, _x, item in found]

    def rect_of(self, item: Item) -> QRect:
        """Where an item is, in the window's pixels."""
        w = self.window
        if item.area is not None:  # a block of the page
            return QRect(item.widget.mapTo(w, item.area.topLeft()), item.area.size())
        return QRect(item.widget.mapTo(w, QPoint(0, 0)), item.widget.size())

    def show_focus(self, speak: bool = True) -> None:
        item = self.current()
        if item is None:
            self.ring.hide()
            self._tell(None)
            return
        self._scroll_to(item)
        self._place_ring()
        self._tell(item)
        if speak:
            self.speak_focus()

    # -- speech ------------------------------------------------------------------------------
    def speech_on(self) -> bool:
        """The keypad is on and a voice speaks the patient's language."""
        session = self.window.visit.session
        speaker = self.window.speaker
        return (self.active and not self.silenced and session is not None
                and speaker is not None and speaker.can_speak(session.language_code))

    def say(self, text: str) -> None:
        """Say ``text`` now, in the patient's language (what was being said stops); never
        waits: the speech child answers on its own time."""
        from kiosk.bidi import strip_controls

        session = self.window.visit.session
        speaker = self.window.speaker
        if not text or session is None or speaker is None:
            return
        if speaker.coming and self.active and not self.silenced:
            speaker.wake()  # headphones in start it, as a key does
            self._unsaid = text  # the latest words wait for the voice (speech_ready)
            return
        if not self.speech_on():
            return
        speaker.stop()
        self.paused = False
        speaker.say(strip_controls(text), session.language_code)

    def speech_ready(self) -> None:
        """The read-aloud child is ready (or gave up): say what was waiting for it."""
        text, self._unsaid = self._unsaid, ""
        if text:
            self.say(text)

    def words(self, key: str, **values: object) -> str:
        session = self.window.visit.session
        if session is None:
            return ""
        return session.say(key, **values)

    def speak_focus(self) -> None:
        item = self.current()
        if item is not None:
            self.say(self.spoken(item))

    def arrival(self) -> str:
        """What a screen says when it opens: its first stop; for a question, the question
        and every one of its signs, before any answer; for "Are you still there?", the
        question, the time left and how to get more."""
        from kiosk.ui.overlays import StillThere
        from kiosk.ui.screens.selfcheck import SelfCheckScreen

        overlay = self._overlay()
        if isinstance(overlay, StillThere):
            return self.words("speech.still_there", heading=overlay.heading.text(),
                              countdown=overlay.countdown.text())
        screen = self.window.current_screen
        first = self.current()
        if overlay is None and isinstance(screen, SelfCheckScreen) and screen.sign_labels:
            parts = [self.spoken(i) for i in self.items
                     if isinstance(i.widget, QLabel) and i.widget not in screen.sign_labels
                     and i.widget.objectName() != "BarTitle"][:2]
            total = len(screen.sign_labels)
            parts += [self.words("speech.sign", number=n, total=total, text=lab.text())
                      for n, lab in enumerate(screen.sign_labels, start=1)]
            return " ".join(parts)
        return self.spoken(first) if first is not None else ""

    def spoken(self, item: Item) -> str:
        """An item's words with what it is: "Take the self-check. Button.", "Sign 3 of 4:
        ...", "Yes. Answer 1 of 2, chosen."; a page's heading, picture or link says so."""
        from kiosk.ui.pageview import PageView
        from kiosk.ui.screens.selfcheck import SelfCheckScreen

        screen = self.window.current_screen
        widget = item.widget
        if isinstance(screen, SelfCheckScreen) and self._overlay() is None:
            if widget in screen.answers:
                n, total = screen.answers.index(widget) + 1, len(screen.answers)
                button = screen.answers[n - 1]
                key = ("speech.locked" if button.locked else "speech.chosen"
                       if button.isChecked() else "speech.answer")
                return self.words(key, text=item.text, number=n, total=total)
            if widget in screen.sign_labels:
                return self.words("speech.sign", number=screen.sign_labels.index(widget) + 1,
                                  total=len(screen.sign_labels), text=item.text)
        if isinstance(widget, QAbstractButton):
            chosen = widget.isCheckable() and widget.isChecked()  # the text size in use...
            return self.words("speech.selected" if chosen else "speech.button", text=item.text)
        if isinstance(widget, PageView) and item.block >= 0:
            block = widget.document().findBlockByNumber(item.block)
            if block.blockFormat().headingLevel() > 0:
                return self.words("speech.heading", text=item.text)
            if "\ufffc" in block.text() and not block.text().replace("\ufffc", "").strip():
                return self.words("speech.picture", text=item.text)
            if item.link:
                return self.words("speech.link", text=item.text)
            return item.text
        if isinstance(widget, QLabel) and widget.objectName() in ("Title", "Heading",
                                                                    "UrgentTitle"):
            return self.words("speech.heading", text=item.text)
        return item.text

    def _tell(self, item: Item | None) -> None:
        for listener in self.moved:
            listener(item)

    def _scroll_to(self, item: Item) -> None:
        if not _on(item.widget, self.window):
            return
        area = _area_of(item.widget)
        self._watch_scroll(area)
        if area is None or area.widget() is None:
            return
        body = area.widget()
        assert body is not None
        rect = self.rect_of(item)
        top = body.mapFrom(self.window, rect.topLeft()).y()
        bar = area.verticalScrollBar()
        view = area.viewport().height()
        margin = min(view // 6, 48)
        if top - margin < bar.value():
            bar.setValue(max(0, top - margin))
        elif top + rect.height() + margin > bar.value() + view:
            bar.setValue(min(top - margin, top + rect.height() + margin - view))

    def _watch_scroll(self, area: QScrollArea | None) -> None:
        if area is self._scrolled:
            return
        if self._scrolled is not None:
            try:
                self._scrolled.verticalScrollBar().valueChanged.disconnect(self._place_ring)
            except (RuntimeError, TypeError):
                pass
        self._scrolled = area
        if area is not None:
            area.verticalScrollBar().valueChanged.connect(self._place_ring)

    def _place_ring(self, *_args: int) -> None:
        item = self.current()
        if item is None or not self.active or not _on(item.widget, self.window):
            self.ring.hide()
            return
        rect = self.rect_of(item)
        area = _area_of(item.widget)
        if area is not None:  # only the part in view
            view = QRect(area.viewport().mapTo(self.window, QPoint(0, 0)),
                         area.viewport().size())
            rect = rect.intersected(view) if rect.intersects(view) else QRect()
        if rect.isEmpty():
            self.ring.hide()
        else:
            self.ring.around(rect)


def _on(widget: QWidget, window: QWidget) -> bool:
    """Whether a widget is still part of the window (a screen's old body is not)."""
    try:
        return widget.window() is window
    except RuntimeError:  # already deleted
        return False


def _inside_button(child: QWidget, root: QWidget) -> bool:
    parent = child.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractButton):
            return True
        parent = parent.parentWidget()
    return False


def _area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _blocks(page: QWidget) -> list[Item]:
    """A page's blocks with words (or a picture), each with its rectangle in the page."""
    from kiosk.ui.pageview import PageView

    assert isinstance(page, PageView)
    doc = page.document()
    layout = doc.documentLayout()
    offset = page.viewport().mapTo(page, QPoint(0, 0))
    alts = iter(page.picture_words())
    out = []
    block = doc.begin()
    while block.isValid():
        text = block.text().replace("\u2028", " ").strip()
        words = text.replace("\ufffc", "").strip()
        if "\ufffc" in text and not words:
            words = next(alts, "")
        elif "\ufffc" in text:
            next(alts, "")
        if words:
            link = ""
            it = block.begin()
            while not it.atEnd():
                fmt = it.fragment().charFormat()
                if fmt.isAnchor() and fmt.anchorHref():
                    link = fmt.anchorHref()
                    break
                it += 1
            r = layout.blockBoundingRect(block).toAlignedRect()
            out.append(Item(page, block.blockNumber(), words, link, r.translated(offset)))
        block = block.next()
    return out
