"""My members (我的会员): the advisor's members (a manager: the store's), filtered, sorted, any size.

Filters sit above the table and apply at once; a header click sorts by that column where the domain has
a sort for it (name, level, points, lifecycle, follow-up, last purchase), the first click putting the
most useful end first. The table is a windowed model (``member_table_model``), so a 200,000-member
store scrolls as smoothly as a small one. Double-click or Enter opens the profile. A change anywhere
(``ctx.changed``) re-reads the visible rows in place; a hidden view only marks itself stale.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from associate_app.domain.queries import MemberFilter
from associate_app.domain.vocabulary import ChildAgeBand, Level, Lifecycle
from associate_app.ui import labels
from associate_app.ui.member_table_model import COLUMNS, FIRST_DESCENDING, MemberTableModel
from associate_app.ui.refreshing import RefreshWhenShown
from associate_app.ui.style import MUTED

WIDTHS = {"name": 150, "phone": 120, "level": 80, "points": 80, "children": 200, "lifecycle": 90, "rfm": 90,
          "next_follow_up": 110, "last_purchase": 110}


class MembersView(RefreshWhenShown, QWidget):
    """``refresh()`` re-reads; ``model`` and ``table`` are public for the main window and tests."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("membersView")
        self._stale = True
        self._loaded = False
        self.model = MemberTableModel(ctx, self)
        self.model.modelReset.connect(self._show_count)  # the count can change when the ids come back later
        self.table = QTableView(objectName="membersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setToolTip(self.tr("Double-click or Enter opens the member"))
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measure 200,000 rows
        rows.setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        for column, (name, _key) in enumerate(COLUMNS):
            header.resizeSection(column, WIDTHS[name])
        header.setSectionResizeMode(COLUMNS.index(("children", None)), QHeaderView.ResizeMode.Stretch)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self._sort_clicked)
        self.table.activated.connect(self._open)

        self.tag = self._combo("filterTag", self.tr("All tags"))
        self._fill_tags()
        self.level = self._combo("filterLevel", self.tr("All levels"), list(Level))
        self.lifecycle = self._combo("filterLifecycle", self.tr("All stages"), list(Lifecycle))
        self.age_band = self._combo("filterAgeBand", self.tr("Children of any age"), list(ChildAgeBand))
        self.open_task = QCheckBox(self.tr("Has an open task"), objectName="filterOpenTask")
        self.follow_up_due = QCheckBox(self.tr("Follow-up due"), objectName="filterFollowUpDue")
        for box in (self.open_task, self.follow_up_due):
            box.toggled.connect(self._filter_changed)
        self.count = QLabel(objectName="memberCount")

        filters = QHBoxLayout()
        filters.setSpacing(8)
        for widget in (self.tag, self.level, self.lifecycle, self.age_band, self.open_task, self.follow_up_due):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("My members"), objectName="viewTitle")
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        # on the labels only: a style sheet on the view would make the table paint through it, twice as slow
        title.setStyleSheet("font-size: 16px; font-weight: 600; padding: 2px 0 6px 0;")
        self.count.setStyleSheet(f"color: {MUTED};")
        ctx.changed.connect(self._changed)

    # Building -----------------------------------------------------------------------------------

    def _combo(self, name: str, everything: str, codes: list[str] | None = None) -> QComboBox:
        combo = QComboBox(objectName=name)
        combo.addItem(everything, None)
        for code in codes or []:
            combo.addItem(labels.term(code), str(code))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(self._filter_changed)
        return combo

    def _fill_tags(self) -> None:
        """HQ's catalogue, manual groups first: each group a heading (not selectable), its tags under it."""
        rows = self.ctx.store.all(
            "SELECT g.id AS gid, g.name AS gname, g.kind, t.id, t.name FROM tag_groups g "
            "JOIN tags t ON t.group_id = g.id WHERE g.retired = 0 AND t.retired = 0 "
            "ORDER BY g.kind = 'automatic', g.sort_order, g.id, t.sort_order, t.id")
        model: QStandardItemModel = self.tag.model()
        group = None
        bold = QFont(self.font())
        bold.setBold(True)
        for row in rows:
            if row["gid"] != group:
                group = row["gid"]
                title = row["gname"] if row["kind"] == "manual" else self.tr("{0} (automatic)").format(row["gname"])
                heading = QStandardItem(title)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                heading.setFont(bold)
                model.appendRow(heading)
            self.tag.addItem("    " + row["name"], row["id"])

    # Reading ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the count and the visible rows; the scroll position and selection stay."""
        self._stale = False
        bar = self.table.verticalScrollBar()
        position = bar.value()
        if not self._loaded:
            self._loaded = True
            self.model.set_query(self.current_filter(), self.model.order_by, self.model.descending)
        else:
            self.model.refresh()
        bar.setValue(position)
        self._show_count()

    def current_filter(self) -> MemberFilter:
        tag = self.tag.currentData()
        return MemberFilter(tag_ids=(tag,) if tag is not None else (), level=self.level.currentData(),
                            lifecycle=self.lifecycle.currentData(), child_age_band=self.age_band.currentData(),
                            has_open_task=self.open_task.isChecked(), follow_up_due=self.follow_up_due.isChecked())

    def _filter_changed(self, *_args) -> None:
        self._stale, self._loaded = False, True
        self.model.set_query(self.current_filter(), self.model.order_by, self.model.descending)
        self._show_count()

    def _sort_clicked(self, column: int) -> None:
        key = self.model.sort_key(column)
        header = self.table.horizontalHeader()
        if key is None:  # not sortable: keep showing the sort in force
            header.setSortIndicator(self.model.column_of(self.model.order_by),
                                    Qt.SortOrder.DescendingOrder if self.model.descending
                                    else Qt.SortOrder.AscendingOrder)
            return
        descending = not self.model.descending if key == self.model.order_by else key in FIRST_DESCENDING
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)
        self.model.sort(column, order)

    def _show_count(self) -> None:
        self.count.setText(self.tr("{0} members").format(f"{self.model.rowCount():,}"))

    def _open(self, index) -> None:
        member_id = self.model.member_id(index.row())
        if member_id is not None:
            self.ctx.open_member(member_id)

