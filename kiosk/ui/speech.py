"""Read aloud: a thin, careful wrapper over QtTextToSpeech (optional: ``kiosk[speech]``).

If the module, an engine or a voice for the page's language is missing, the kiosk simply
shows no "Listen" button. Nothing here may crash or block the kiosk.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QLocale, QObject, Signal

log = logging.getLogger(__name__)


class Speaker(QObject):
    """Speaks one text at a time in a language, if a voice for it exists."""

    speaking_changed = Signal(bool)

    def __init__(self, engine: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tts: Any = None
        self._speaking = False
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError as exc:
            log.info("read-aloud is off: QtTextToSpeech is not installed (%s)", exc)
            return
        self._states = QTextToSpeech.State
        try:
            engines = QTextToSpeech.availableEngines()
            if engine and engine not in engines:
                log.warning("read-aloud engine %r is not installed (there are: %s); "
                            "read-aloud is off", engine, ", ".join(engines) or "none")
            names = [engine] if engine else [e for e in engines if e != "mock"]
            for name in names:
                if name not in engines:
                    continue
                tts = QTextToSpeech(name, self)
                if tts.state() != QTextToSpeech.State.Error and tts.availableLocales():
                    self.tts = tts
                    break
                log.info("read-aloud engine %r is not usable: %s", name, tts.errorString())
                tts.deleteLater()
        except Exception:
            log.exception("read-aloud could not start; it is off")
            self.tts = None
        if self.tts is not None:
            self.tts.stateChanged.connect(self._on_state)
            log.info("read-aloud engine %r, voices for %s", self.tts.engine(),
                     ", ".join(sorted({loc.name() for loc in self.tts.availableLocales()})))

    def locale_for(self, language: str) -> QLocale | None:
        """A locale the engine has a voice for, in this language (``es`` → ``es_US``...)."""
        if self.tts is None:
            return None
        wanted = QLocale(language).language()
        try:
            for locale in self.tts.availableLocales():
                if locale.language() == wanted:
                    return locale
        except Exception:
            log.exception("read-aloud: could not list the voices")
        return None

    def can_speak(self, language: str) -> bool:
        return self.locale_for(language) is not None

    @property
    def speaking(self) -> bool:
        return self._speaking

    def say(self, text: str, language: str) -> None:
        locale = self.locale_for(language)
        if locale is None or self.tts is None:
            return
        try:
            self.tts.setLocale(locale)
            self.tts.say(text)
            self._set_speaking(True)
        except Exception:
            log.exception("read-aloud failed")
            self._set_speaking(False)

    def stop(self) -> None:
        if self.tts is not None and self._speaking:
            try:
                self.tts.stop()
            except Exception:
                log.exception("read-aloud could not stop")
        self._set_speaking(False)

    def _on_state(self, state: Any) -> None:
        if state in (self._states.Ready, self._states.Error):
            self._set_speaking(False)

    def _set_speaking(self, value: bool) -> None:
        if value != self._speaking:
            self._speaking = value
            self.speaking_changed.emit(value)
