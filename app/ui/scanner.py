"""A barcode scanner is a keyboard that types very fast: recognise its bursts wherever focus is.

A scanner (a USB or Bluetooth "keyboard wedge") types each character a few milliseconds after the last and ends
with Enter; a person rarely types two keys under 50 ms apart, never a whole code. So printable keys without
Ctrl/Alt are held for a moment: if the next comes within `gap`, they are a burst; a burst of at least
`min_length` characters closed by Enter is a scan, emitted as `scanned(code)` and never delivered to any
widget (the crop view does not see its digits, the line edit does not get them). Keys that turn out to be a
person's are handed to the widget they were meant for, in order, a moment later.

With a Chinese input method active, letters go into its composition and arrive as one committed string (often
full-width): a commit that completes faster than a person could type it counts as a scan too. Full-width
digits and letters are normalised (NFKC).

The clock is injectable, so tests drive bursts without real waits (`tick()` stands in for the timer).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent

# What a scanned code may be made of once normalised: 学号 ([0-9A-Za-z_-]), 身份证号 (digits and X) and the
# codes GradPhoto prints on sign-in cards (the 学号).
_CODE = re.compile(r"[0-9A-Za-z_-]+")
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


def normalise_code(text: str) -> str:
    """Full-width digits and letters (from an input method in full-width mode) to ASCII; spaces dropped."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class _Held:
    receiver: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at: float


class ScannerFilter(QObject):
    """Install on the QApplication: `app.installEventFilter(ScannerFilter(app))`."""

    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
        gap: float = 0.05,
        min_length: int = 4,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.gap = gap  # longest pause between two keys of a burst, Enter included
        self.min_length = min_length
        self.enabled = True  # tests that type as a person would switch it off
        self._held: list[_Held] = []
        self._replaying = False
        self._composing_since: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.tick)

    # -- the filter ------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.enabled or self._replaying or not obj.isWidgetType():  # a QWindow hands keys to a widget
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            return self._key(obj, event)
        if kind == QEvent.Type.InputMethod:
            return self._input_method(event)
        return False

    def _key(self, obj: QObject, event: QKeyEvent) -> bool:
        now = self.clock()
        if event.key() in _ENTER:
            return self._enter(now)
        text = event.text()
        if event.modifiers() & _MODIFIERS or not text or not text.isprintable() or event.isAutoRepeat():
            self.flush()
            return False
        if self._held and now - self._held[-1].at > self.gap:
            self.flush()  # too slow to belong to what was held: a person's keys
        self._held.append(_Held(obj, event.key(), event.modifiers(), text, now))
        self._timer.start(max(1, int(self.gap * 1000) + 10))
        return True

    def _enter(self, now: float) -> bool:
        code = normalise_code("".join(h.text for h in self._held))
        if (
            self._held
            and now - self._held[-1].at <= self.gap
            and len(code) >= self.min_length
            and _CODE.fullmatch(code)
        ):
            self._held.clear()
            self._timer.stop()
            self.scanned.emit(code)
            return True
        self.flush()
        return False

    def _input_method(self, event: QInputMethodEvent) -> bool:
        now = self.clock()
        if event.preeditString() and self._composing_since is None:
            self._composing_since = now
        commit = event.commitString()
        if not commit:
            return False
        started, self._composing_since = self._composing_since, None
        code = normalise_code(commit)
        fast = started is not None and now - started <= self.gap * max(len(code), 1)
        if fast and len(code) >= self.min_length and _CODE.fullmatch(code):
            self.scanned.emit(code)
            return True  # the committed text never lands in the widget
        return False

    # -- held keys ---------------------------------------------------------------------------------------
    def tick(self) -> None:
        """The timer: keys held longer than a scanner's pause were a person's; hand them on."""
        if self._held and self.clock() - self._held[-1].at > self.gap:
            self.flush()
        elif self._held:
            self._timer.start(max(1, int(self.gap * 1000)))

    def flush(self) -> None:
        held, self._held = self._held, []
        self._timer.stop()
        self._replaying = True
        try:
            for h in held:
                try:
                    QCoreApplication.sendEvent(
                        h.receiver, QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text)
                    )
                except RuntimeError:  # the widget went away meanwhile
                    continue
        finally:
            self._replaying = False

    @property
    def holding(self) -> str:
        return "".join(h.text for h in self._held)
