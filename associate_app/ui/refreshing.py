"""Views that follow ``ctx.changed``: a visible view re-reads at once, a hidden one when next shown.

Why: a sync or an edit elsewhere emits ``changed`` often; re-reading views nobody looks at would spend
database time for nothing, yet a view must never show stale data once it is on screen again.
"""

from __future__ import annotations


class RefreshWhenShown:
    """Mixin for a QWidget with ``refresh()`` that sets ``self._stale = False``; put it before QWidget."""

    _stale = True

    def refresh(self) -> None:  # pragma: no cover - every view defines its own
        raise NotImplementedError

    def _changed(self, _what: str, _member_id: object) -> None:
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self.refresh()

