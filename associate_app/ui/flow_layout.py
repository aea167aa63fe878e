"""A layout that places its items left to right and starts a new line when the width runs out.

Tag chips come in any number and any length (Chinese names of two to eight characters), so a grid or a
single row would either waste space or clip. Qt has no flowing layout of its own; this is one, with a
height that follows the width so a scroll area or a card around it grows by exactly the lines needed.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Items in reading order, wrapped to the available width; ``spacing`` between items and lines."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6, line_spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    # The QLayout protocol --------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one line: the natural size; narrower, ``heightForWidth`` adds the lines."""
        visible = [item.sizeHint() for item in self._items if not (item.widget() and item.widget().isHidden())]
        margins = self.contentsMargins()
        width = sum(h.width() for h in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((h.height() for h in visible), default=0)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """As wide as the widest item (narrower, nothing can wrap any more), one line high."""
        size = QSize(0, 0)
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins: QMargins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # Placing ----------------------------------------------------------------------------------
    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Walk the items line by line; place them when ``move``; return the height used."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:  # this item starts the next line
                x, y, line_height = area.x(), y + line_height + self._line_spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()

    def clear(self) -> None:
        """Remove and delete every widget in the layout (a view rebuilding its chips)."""
        while self._items:
            item = self._items.pop()
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
