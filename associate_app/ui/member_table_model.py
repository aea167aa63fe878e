"""The "my members" table as a windowed model: 200,000 rows, only the pages on screen ever read.

Why: a manager's store holds up to 200,000 members; reading them all (or asking Qt to size every row)
would freeze the window. A new query shows its first page and its count at once; the query's ordered
member ids (``my_member_ids``: the same filter, sort and scope rules as everywhere else; 200,000 ints are
under 2 MB) are read on the runner's reader thread meanwhile, since sorting a whole store takes a tenth of
a second or more. From then on rows are read a page of ids at a time (``members_by_ids``) into a small
LRU cache, so scrolling anywhere, even a jump to the last row, reads only the pages the viewport touches.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from associate_app.domain.queries import (
    MemberFilter,
    MemberRow,
    count_my_members,
    members_by_ids,
    my_member_ids,
    my_members,
)
from associate_app.domain.vocabulary import MemberStatus
from associate_app.ui import labels

PAGE = 100
CACHED_PAGES = 12
Index = QModelIndex | QPersistentModelIndex
# column -> the ORDER_BY key it sorts by (None: not sortable)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("name", "name"), ("phone", None), ("level", "level"), ("points", "points"), ("children", None),
    ("lifecycle", "lifecycle"), ("rfm", None), ("next_follow_up", "next_follow_up"),
    ("last_purchase", "last_purchase_at"),
)
FIRST_DESCENDING = {"points", "last_purchase_at", "level"}  # the most valuable / most recent first
DISPLAY, ALIGN, TOOLTIP = (int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
                                            Qt.ItemDataRole.ToolTipRole))
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
POINTS = next(i for i, (name, _) in enumerate(COLUMNS) if name == "points")


class MemberTableModel(QAbstractTableModel):
    """Rows of ``my_members`` under one filter and sort; ``refresh()`` re-reads after a change."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = MemberFilter()
        self.order_by = "name"
        self.descending = False
        self._ids: list[int] = []  # the first page's until the whole list is read
        self._count = 0
        self._asked = self._answered = 0  # id lists asked for and received; an older answer is stale
        self._pages: OrderedDict[int, list[MemberRow]] = OrderedDict()
        self.pages_read = 0  # for tests and the benchmark: how many pages came from the database
        self._headers = (self.tr("Name"), self.tr("Phone"), self.tr("Level"), self.tr("Points"),
                         self.tr("Children"), self.tr("Lifecycle"), self.tr("RFM"), self.tr("Next follow-up"),
                         self.tr("Last purchase"))

    # Query --------------------------------------------------------------------------------------

    def set_query(self, flt: MemberFilter, order_by: str, descending: bool) -> None:
        """A new filter or sort: a new row set (the view goes back to the top)."""
        self.beginResetModel()
        self.filter, self.order_by, self.descending = flt, order_by, descending
        self._pages.clear()
        first = my_members(self.ctx.store, self.ctx.actor, flt, order_by=order_by, descending=descending,
                           limit=PAGE)
        self.pages_read += 1
        self._pages[0] = first
        self._ids = [m.id for m in first]
        whole = len(first) < PAGE
        self._count = len(first) if whole else count_my_members(self.ctx.store, self.ctx.actor, flt)
        self.endResetModel()
        self._asked += 1
        if whole:
            self._answered = self._asked
        else:
            self._read_ids()

    def refresh(self) -> None:
        """The data changed under the same query: re-read what is on screen; rows stay where they are."""
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))
        self._asked += 1
        self._read_ids()  # members may have come or gone

    @property
    def ready(self) -> bool:
        """Every row's id is known (tests and the benchmark wait for it)."""
        return self._answered == self._asked

    def _read_ids(self) -> None:
        asked, actor, flt, order_by, descending = self._asked, self.ctx.actor, self.filter, self.order_by, \
            self.descending
        self.ctx.runner.read(lambda store: my_member_ids(store, actor, flt, order_by=order_by, descending=descending),
                             lambda ids: self._ids_read(asked, ids))

    def _ids_read(self, asked: int, ids: list[int]) -> None:
        if asked != self._asked:
            return
        self._answered = asked
        if len(ids) != self._count:
            self.beginResetModel()
            self._ids, self._count = ids, len(ids)
            self._pages.clear()
            self.endResetModel()
        elif ids != self._ids:
            self._ids = ids
            self._pages.clear()
            if ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(COLUMNS) - 1))

    def sort_key(self, column: int) -> str | None:
        return COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None

    def column_of(self, order_by: str) -> int:
        return next(i for i, (_, key) in enumerate(COLUMNS) if key == order_by)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.sort_key(column)
        if key is not None:
            self.set_query(self.filter, key, order == Qt.SortOrder.DescendingOrder)

    # Rows ---------------------------------------------------------------------------------------

    def row_at(self, row: int) -> MemberRow | None:
        if not 0 <= row < len(self._ids):
            return None  # not a row, or its id is still being read
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = members_by_ids(self.ctx.store, self.ctx.actor, self._ids[number * PAGE:(number + 1) * PAGE])
            self.pages_read += 1
            self._pages[number] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        wanted = self._ids[row]
        offset = row - number * PAGE
        if offset < len(page) and page[offset].id == wanted:
            return page[offset]
        return next((m for m in page if m.id == wanted), None)  # a member deleted since the ids were read

    def member_id(self, row: int) -> int | None:
        member = self.row_at(row)
        return member.id if member else None

    # Qt -----------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = DISPLAY):
        """Called for every role of every visible cell on each paint: answers the unused roles first."""
        role = int(role)
        if role == ALIGN:
            return RIGHT if index.column() == POINTS else None
        if role != DISPLAY and role != TOOLTIP:
            return None
        member = self.row_at(index.row())
        if member is None:
            return None
        name = COLUMNS[index.column()][0]
        if role == TOOLTIP:
            return self._text(member, name) if name == "children" and member.children else None
        return self._text(member, name)

    def _text(self, m: MemberRow, name: str) -> str:
        if name == "name":
            return f"{m.name} · {labels.term(MemberStatus.QUASI)}" if m.is_lead else m.name
        if name == "points":
            return f"{m.points:,}"
        if name == "children":
            return "、".join(c.label for c in m.children if c.label)
        if name in ("level", "lifecycle"):
            return labels.term(getattr(m, name))
        value = {"phone": m.phone, "rfm": m.rfm_segment, "next_follow_up": m.next_follow_up,
                 "last_purchase": m.last_purchase_at}[name]
        return (value or "")[:10] if name in ("next_follow_up", "last_purchase") else (value or "")
