"""The drill-down page: the members behind one dashboard figure, opened on a profile, reassigned, exported.

Lists are read on the runner's reader thread (an advisor of a big store holds thousands of members),
and a late answer for a figure the manager has already left is dropped. After a reassignment the page
re-reads like every view (``ctx.changed``), so a moved member leaves "their" list at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from associate_app.domain.actor import Actor
from associate_app.domain.assignment import store_advisors
from associate_app.domain.dashboard_members import BehindRow, members_behind
from associate_app.store.database import Store
from associate_app.ui import labels
from associate_app.ui.dashboard_tables import BehindTable
from associate_app.ui.export import ExportButton
from associate_app.ui.reassign_dialog import ReassignDialog, Reassigned, reassign_rows

T = TypeVar("T")


def read_off_thread(ctx, read: Callable[[Store, Actor], T], on_success: Callable[[T], None]) -> None:
    """``read(store, actor)`` on the runner's reader thread (its own connection); the answer on the UI thread."""
    actor = ctx.actor  # taken here: the session may change while the query waits its turn
    ctx.runner.read(lambda store: read(store, actor), on_success, ctx.refused)


@dataclass(frozen=True)
class Scope:
    """Which figure was opened: a measure of a task, of an advisor, or of an advisor's share of a task."""

    measure: str
    title: str  # what the manager clicked, in words: 「新品上市…」 · 已成交
    task_id: int | None = None
    advisor_id: str | None = None


class DrillPage(QWidget):
    back = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("dashboardDrill")
        self.scope: Scope | None = None
        self._generation = 0
        self.loaded = False  # the rows on screen belong to ``scope``
        back = QPushButton(self.tr("← Back to the dashboard"), objectName="drillBack")
        back.clicked.connect(self.back)
        self.title = QLabel(objectName="drillTitle")
        self.count = QLabel(objectName="drillCount")
        self.table = BehindTable("drillTable")
        self.table.drill.connect(lambda row, _measure: self.ctx.open_member(row.member_id))
        self.open_button = QPushButton(self.tr("Open profile"), objectName="drillOpen")
        self.open_button.clicked.connect(self.open_selected)
        self.reassign_button = QPushButton(self.tr("Reassign to…"), objectName="drillReassign")
        self.reassign_button.setProperty("primary", True)
        self.reassign_button.clicked.connect(lambda: self.reassign_selected())
        self.export = ExportButton(ctx, self.table.model_, "")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        top.addWidget(self.count)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Select one or more rows (Ctrl or Shift for several)."),
                                 objectName="drillHint"), 1)
        actions.addWidget(self.open_button)
        actions.addWidget(self.reassign_button)
        actions.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        self._enable()

    def show_scope(self, scope: Scope) -> None:
        """List the rows behind ``scope`` (read in the background)."""
        self.scope = scope
        self.title.setText(scope.title)
        self.export.title = scope.title
        self.refresh()

    def refresh(self) -> None:
        if self.scope is None:
            return
        self._generation += 1
        generation, scope = self._generation, self.scope
        self.loaded = False
        read_off_thread(self.ctx, lambda store, actor: members_behind(
            store, actor, scope.measure, task_id=scope.task_id, advisor_id=scope.advisor_id),
            lambda rows: self._show(generation, rows))

    def _show(self, generation: int, rows: list[BehindRow]) -> None:
        if generation != self._generation:
            return  # the manager has opened another figure, or the data changed again since
        self.table.set_rows(rows)
        self.count.setText(self.tr("{0} rows").format(len(rows)))
        self.loaded = True
        self._enable()

    # Actions ------------------------------------------------------------------------------------

    def open_selected(self) -> None:
        rows = self.table.selected_rows()
        if rows:
            self.ctx.open_member(rows[0].member_id)

    def reassign_selected(self) -> ReassignDialog | None:
        """Ask for the advisor (non-modal to the event loop), then reassign the selected rows."""
        rows = self.table.selected_rows()
        if not rows:
            return None
        targets = all(r.task_id is not None for r in rows)
        dialog = ReassignDialog(store_advisors(self.ctx.store, self.ctx.actor), len(rows), targets=targets,
                                parent=self)
        dialog.accepted.connect(lambda: self._reassign(rows, dialog.advisor_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _reassign(self, rows: list[BehindRow], advisor_id: str | None) -> None:
        if advisor_id is None:
            return
        self.ctx.write(lambda store, actor: reassign_rows(store, actor, rows, advisor_id), self._reassigned,
                       what="assignment")

    def _reassigned(self, done: Reassigned) -> None:
        if done.refused:
            reasons = sorted({labels.error_message(error) for _row, error in done.refused})
            names = "、".join(row.name for row, _error in done.refused[:5])
            QMessageBox.warning(self.window(), self.tr("Not all reassigned"),
                                self.tr("{0} reassigned; {1} could not be ({2}): {3}").format(
                                    done.changed, len(done.refused), names, " ".join(reasons)))
        else:
            self.ctx.message.emit(self.tr("{0} reassigned. HQ receives the change at the next sync.")
                                  .format(done.changed))

    def _enable(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.open_button.setEnabled(chosen)
        self.reassign_button.setEnabled(chosen)
