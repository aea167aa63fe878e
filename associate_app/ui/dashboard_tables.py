"""The dashboard's tables: one small model for any list of rows, and the three tables built on it.

Why one model: the task table, the advisor table and the drill-down list differ only in their columns,
and export must write exactly what each shows. A ``Column`` says how to read a value from a row (typed,
for Excel), how to show it, and which measure a double-click on it opens (``members_behind``). The
figures come from the domain (``TargetCounts``, ``AdvisorCompletion``), never recomputed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from associate_app.domain.dashboard import AdvisorCompletion, TaskCompletion
from associate_app.domain.dashboard_members import BehindRow
from associate_app.domain.vocabulary import MemberStatus
from associate_app.ui import labels
from associate_app.ui.style import DANGER
from associate_app.ui.tasks_view import percent

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]  # the typed value (int, float rate, str): what Excel receives
    measure: str | None = None  # the members_behind measure a double-click on this cell lists
    rate: bool = False  # a 0–1 share, shown as a percentage
    tooltip: str = ""
    colour: Callable[[Any], str | None] | None = None

    def text(self, row: Any) -> str:
        value = self.value(row)
        if self.rate:
            return percent(value)  # type: ignore[arg-type]
        return "" if value is None else str(value)


class RowsModel(QAbstractTableModel):
    """Rows of any type under fixed columns; ``set_rows`` replaces them all (the lists are small)."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def table(self) -> tuple[list[str], list[list[object]], set[int]]:
        """(headers, typed values per row, rate columns): what an export writes."""
        values = [[c.value(r) for c in self.columns] for r in self.rows]
        return [c.header for c in self.columns], values, {i for i, c in enumerate(self.columns) if c.rate}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tooltip or None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column, row = self.columns[index.column()], self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.measure is not None:
            return int(RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            colour = column.colour(row)
            return QBrush(QColor(colour)) if colour else None
        return None


class FigureTable(QTableView):
    """A read-only table of figures; double-click (or Enter) on a figure emits ``drill(row, measure)``."""

    drill = Signal(object, str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model_ = RowsModel(self.columns(), self)
        self.setModel(self.model_)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name column takes the room left
        self.activated.connect(self._activated)

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.model_.set_rows(rows)

    def fit_height(self, most: int) -> None:
        """As tall as its rows (up to ``most`` of them), so the space below goes to what follows; with room
        for the horizontal scroll bar when the columns are wider than the table (English headers are)."""
        self._fit_rows = most
        self.resizeRowsToContents()
        shown = sum(self.rowHeight(r) for r in range(min(self.model_.rowCount(), most)))
        bar = self.horizontalScrollBar().sizeHint().height() \
            if self.horizontalHeader().length() > self.viewport().width() else 0
        self.setMaximumHeight(self.horizontalHeader().sizeHint().height() + max(shown, self.rowHeight(0) or 30)
                              + bar + 2 * self.frameWidth() + 2)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "_fit_rows", None):
            self.fit_height(self._fit_rows)

    def selected_row(self) -> Any | None:
        rows = self.selectionModel().selectedRows()
        return self.model_.rows[rows[0].row()] if rows else None

    def measure_at(self, column: int) -> str:
        """What a cell of ``column`` stands for; text columns stand for the row's whole list."""
        return self.model_.columns[column].measure or "total"

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.drill.emit(self.model_.rows[index.row()], self.measure_at(index.column()))


class TaskTable(FigureTable):
    """Each push-task with its targets' progress; an overdue task's status and due date in red."""

    def columns(self) -> list[Column]:
        def late(t: TaskCompletion) -> str | None:
            return DANGER if t.overdue else None

        return [
            Column(self.tr("Push-task"), lambda t: t.title),
            Column(self.tr("Status"), lambda t: self.tr("Overdue") if t.overdue else labels.term(t.status),
                   colour=late),
            Column(self.tr("Due"), lambda t: t.due_date or "", colour=late),
            Column(self.tr("Targets"), lambda t: t.targets.total, "total"),
            Column(self.tr("Reached"), lambda t: t.targets.contacted, "contacted",
                   tooltip=self.tr("Spoken to: reached, interested, converted or declined")),
            Column(self.tr("Converted"), lambda t: t.targets.converted, "converted"),
            Column(self.tr("Declined"), lambda t: t.targets.declined, "declined"),
            Column(self.tr("Still open"), lambda t: t.targets.open, "open",
                   tooltip=self.tr("Not contacted yet, or not reachable: to try again")),
            Column(self.tr("Completion"), lambda t: t.targets.completion_rate, "closed", rate=True,
                   tooltip=self.tr("Share of targets finished (double-click: the finished ones)")),
            Column(self.tr("Conversion rate"), lambda t: t.targets.conversion_rate, "converted", rate=True,
                   tooltip=self.tr("Converted share of all targets")),
        ]


class AdvisorTable(FigureTable):
    """Each advisor's workload and results: members, this week's contacts, overdue follow-ups, targets."""

    def columns(self) -> list[Column]:
        def overdue(a: AdvisorCompletion) -> str | None:
            return DANGER if a.overdue_follow_ups else None

        return [
            Column(self.tr("Advisor"), lambda a: a.name if a.active else self.tr("{0} (left)").format(a.name)),
            Column(self.tr("Members"), lambda a: a.members, "members"),
            Column(self.tr("Contacts this week"), lambda a: a.contacts_this_week, "contacts_this_week",
                   tooltip=self.tr("Contacts logged since Monday 00:00")),
            Column(self.tr("Overdue follow-ups"), lambda a: a.overdue_follow_ups, "overdue_follow_ups",
                   colour=overdue),
            Column(self.tr("Targets"), lambda a: a.targets.total, "total",
                   tooltip=self.tr("Task targets assigned to the advisor (cancelled tasks left out)")),
            Column(self.tr("Still open"), lambda a: a.targets.open, "open"),
            Column(self.tr("Converted"), lambda a: a.targets.converted, "converted"),
            Column(self.tr("Completion"), lambda a: a.completion_rate, "closed", rate=True),
            Column(self.tr("Conversion rate"), lambda a: a.conversion_rate, "converted", rate=True),
        ]

    def measure_at(self, column: int) -> str:
        return self.model_.columns[column].measure or "members"


class BehindTable(FigureTable):
    """The members behind one figure; several can be selected to reassign them together."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # the note
        self.setToolTip(self.tr("Double-click opens the member; select several to reassign them"))

    def columns(self) -> list[Column]:
        def name(r: BehindRow) -> str:
            return f"{r.name} · {labels.term(MemberStatus.QUASI)}" if r.is_lead else r.name

        return [
            Column(self.tr("Name"), name),
            Column(self.tr("Phone"), lambda r: r.phone or ""),
            Column(self.tr("Level"), lambda r: labels.term(r.level)),
            Column(self.tr("Advisor"), lambda r: r.advisor_name),
            Column(self.tr("Result"), lambda r: labels.term(r.detail) if r.detail else ""),
            Column(self.tr("Date"), lambda r: r.when if r.when and len(r.when) == 10 else labels.local_day(r.when)),
            Column(self.tr("Note"), lambda r: r.note or ""),
        ]

    def selected_rows(self) -> list[BehindRow]:
        return [self.model_.rows[i.row()] for i in sorted(self.selectionModel().selectedRows(), key=lambda i: i.row())]

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.drill.emit(self.model_.rows[index.row()], "member")
