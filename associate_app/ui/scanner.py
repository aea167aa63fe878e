"""A barcode scanner recognised wherever the focus is: a burst of keys far faster than typing, then Enter.

A USB scanner is a keyboard: it "types" the card number or member code in a few milliseconds and presses
Enter. Installed on the QApplication, this filter holds back printable key presses while they might be
a scan, and decides at the first of: Enter (a scan if at least ``min_length`` characters came with no gap
over ``max_gap_ms``), a slower key, any other key, or ``max_gap_ms`` of silence. A scan is emitted as
``scanned(text)`` and none of its keys reach the focused widget; anything else is replayed to the widget
it was typed into, in order, so typing is only delayed by ``max_gap_ms`` at most and never lost. In the
member search field itself keys pass untouched: the field does its own lookup, and Enter opens the hit.

The hold learns the scanner: after each scan the gap allowed becomes three times the slowest gap seen in
the last scans, between ``min_gap_ms`` and ``max_gap_ms``. A USB scanner types a character every few
milliseconds, so at the till a tag key waits 15 ms instead of 35 before it is taken as a key; a slower
(Bluetooth) scanner keeps the longer hold its own scans need.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import pairwise

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

SEARCH_FIELD = "memberSearch"  # the SearchBox's edit: it handles scans itself
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


class ScannerListener(QObject):
    """Application-wide event filter; ``clock`` (seconds) is injectable so tests are deterministic."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, clock: Callable[[], float] = time.monotonic,
                 min_length: int = 6, max_gap_ms: float = 35.0, min_gap_ms: float = 15.0) -> None:
        super().__init__(parent)
        self.clock = clock
        self.min_length = min_length
        self.ceiling, self.floor = max_gap_ms / 1000, min_gap_ms / 1000
        self.max_gap = self.ceiling  # until a scan has been seen
        self._scan_gaps: list[float] = []  # the slowest gap of each recent scan
        self._keys: list[QKeyEvent] = []
        self._times: list[float] = []
        self._target: QWidget | None = None
        self._last = 0.0
        self._replaying = False
        self._timer = QTimer(self, singleShot=True, interval=int(max_gap_ms) + 1)
        self._timer.timeout.connect(self.flush)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or self._replaying or not isinstance(watched, QWidget):
            return False
        if watched.objectName() == SEARCH_FIELD:
            self.flush()
            return False
        now = self.clock()
        fast = bool(self._keys) and now - self._last <= self.max_gap and self._target_is(watched)
        if event.key() in _ENTER and fast and len(self._keys) >= self.min_length:
            text = "".join(k.text() for k in self._keys)
            self._learn([*self._times, now])
            self._reset()
            self.scanned.emit(text)
            return True
        if not self._scannable(event):
            self.flush()
            return False
        if self._keys and not fast:
            self.flush()
        if not self._keys:
            self._target = watched
        self._keys.append(QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(),
                                    event.isAutoRepeat(), event.count()))
        self._times.append(now)
        self._last = now
        self._timer.start()
        return True

    def flush(self) -> None:
        """Not a scan after all: hand the held keys to the widget they were typed into."""
        keys, target = self._keys, self._target
        self._reset()
        if target is None or not shiboken6.isValid(target):  # typed into a widget since closed
            return
        self._replaying = True
        try:
            for key in keys:
                QApplication.sendEvent(target, key)
        finally:
            self._replaying = False

    def _reset(self) -> None:
        self._timer.stop()
        self._keys, self._times, self._target = [], [], None

    def _learn(self, times: list[float]) -> None:
        """Fit the hold to this scanner: 3× the slowest gap of the last 20 scans, within floor and ceiling."""
        slowest = max(b - a for a, b in pairwise(times))
        self._scan_gaps = [*self._scan_gaps[-19:], slowest]
        self.max_gap = min(self.ceiling, max(self.floor, 3 * max(self._scan_gaps)))
        self._timer.setInterval(int(self.max_gap * 1000) + 1)

    def _target_is(self, widget: QWidget) -> bool:
        return self._target is widget

    @staticmethod
    def _scannable(event: QKeyEvent) -> bool:
        text = event.text()
        return (len(text) == 1 and text.isprintable() and not event.isAutoRepeat()
                and not event.modifiers() & _COMMAND_MODIFIERS)
