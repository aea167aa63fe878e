"""Follow-ups (跟进): the members an advisor promised to contact today, and those already overdue.

Overdue comes first and in red, most overdue at the top (as ``queries.follow_ups`` orders them); the
last note says what the promise was about. Double-click or Enter opens the member's profile, where the
contact is logged (which settles the follow-up). Re-read on ``ctx.changed`` when visible.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from associate_app.domain.queries import FollowUpRow, follow_ups
from associate_app.ui import labels
from associate_app.ui.refreshing import RefreshWhenShown
from associate_app.ui.style import DANGER, MUTED

ID_ROLE = Qt.ItemDataRole.UserRole



class FollowUpTable(QTableWidget):
    """One section's rows; the overdue section adds a red "days overdue" column."""

    def __init__(self, ctx, *, overdue: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.overdue = overdue
        headers = [self.tr("Name"), self.tr("Phone"), self.tr("Level"), self.tr("Follow up on")]
        if overdue:
            headers.append(self.tr("Days overdue"))
        headers += [self.tr("Last contact"), self.tr("Last note")]
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setToolTip(self.tr("Double-click or Enter opens the member"))
        self.activated.connect(self._open)

    def fill(self, rows: list[FollowUpRow]) -> None:
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [row.name, row.phone or "", labels.term(row.level), row.due]
            if self.overdue:
                values.append(self.tr("{0} days").format(row.days_overdue))
            values += [labels.local_day(row.last_contact_at), row.last_note or ""]
            for c, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, row.member_id)
                if self.overdue and c in (3, 4):
                    cell.setForeground(QBrush(QColor(DANGER)))
                if c == len(values) - 1:
                    cell.setToolTip(text)
                self.setItem(r, c, cell)
        self.resizeRowsToContents()
        rows_height = sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setMaximumHeight(self.horizontalHeader().sizeHint().height() + rows_height + 2 * self.frameWidth() + 2)

    def member_ids(self) -> list[int]:
        return [self.item(r, 0).data(ID_ROLE) for r in range(self.rowCount())]

    def _open(self, index) -> None:
        member_id = index.data(ID_ROLE)
        if member_id is not None:
            self.ctx.open_member(int(member_id))


class FollowUpsView(RefreshWhenShown, QWidget):
    """Today's and overdue follow-ups of the signed-in advisor (a manager: the whole store's)."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("followUpsView")
        self._stale = True
        self.overdue_title = QLabel(objectName="overdueTitle")
        self.overdue = FollowUpTable(ctx, overdue=True)
        self.overdue.setObjectName("followUpsOverdue")
        self.today_title = QLabel(objectName="todayTitle")
        self.today = FollowUpTable(ctx, overdue=False)
        self.today.setObjectName("followUpsToday")
        self.empty = QLabel(self.tr("No follow-ups due: nobody is waiting for your call today."),
                            objectName="followUpsEmpty")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Follow-ups"), objectName="viewTitle"))
        layout.addWidget(self.empty)
        layout.addWidget(self.overdue_title)
        layout.addWidget(self.overdue, 100)
        layout.addWidget(self.today_title)
        layout.addWidget(self.today, 100)
        layout.addStretch(1)
        self.setStyleSheet(
            "#viewTitle { font-size: 16px; font-weight: 600; padding: 2px 0 6px 0; }"
            f"#overdueTitle {{ color: {DANGER}; font-weight: 600; padding-top: 4px; }}"
            "#todayTitle { font-weight: 600; padding-top: 8px; }"
            f"#followUpsEmpty {{ color: {MUTED}; padding: 24px 0; }}"
        )
        ctx.changed.connect(self._changed)

    def refresh(self) -> None:
        """Re-read both sections (one indexed query)."""
        self._stale = False
        due = follow_ups(self.ctx.store, self.ctx.actor)
        self.overdue_title.setText(self.tr("Overdue ({0})").format(len(due.overdue)))
        self.today_title.setText(self.tr("Today ({0})").format(len(due.today)))
        self.overdue.fill(due.overdue)
        self.today.fill(due.today)
        for widget, rows in ((self.overdue_title, due.overdue), (self.overdue, due.overdue),
                             (self.today_title, due.today), (self.today, due.today)):
            widget.setVisible(bool(rows))
        self.empty.setVisible(not (due.overdue or due.today))

