"""Store dashboard (门店看板): are HQ's push-tasks being worked, by whom, and with what result.

For the manager's store: each push-task's progress, each advisor's workload and results, and the
selected task's completion over its life. Every figure comes from the local cache (the domain's
``task_completion``, ``store_completion`` and ``task_history``), read off the UI thread, and is stamped
with the last successful sync, so the dashboard works offline and says how fresh it is. A double-click
on any figure opens the members behind it (``dashboard_drill``); every table exports to CSV or Excel.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from associate_app.domain.actor import Actor
from associate_app.domain.dashboard import AdvisorCompletion, TaskCompletion, store_completion, task_completion
from associate_app.domain.dashboard_history import TaskHistory, task_history
from associate_app.store.database import Store
from associate_app.ui import labels
from associate_app.ui.completion_chart import CompletionChart
from associate_app.ui.dashboard_drill import DrillPage, Scope, read_off_thread
from associate_app.ui.dashboard_tables import AdvisorTable, TaskTable
from associate_app.ui.export import ExportButton
from associate_app.ui.refreshing import RefreshWhenShown
from associate_app.ui.style import MUTED
from associate_app.ui.sync_status import clock_time, last_synced_at

MEASURE_NAMES: dict[str, str] = {
    "total": QT_TRANSLATE_NOOP("DashboardView", "All targets"),
    "open": QT_TRANSLATE_NOOP("DashboardView", "Still open"),
    "closed": QT_TRANSLATE_NOOP("DashboardView", "Finished"),
    "contacted": QT_TRANSLATE_NOOP("DashboardView", "Reached"),
    "members": QT_TRANSLATE_NOOP("DashboardView", "Members"),
    "contacts_this_week": QT_TRANSLATE_NOOP("DashboardView", "Contacts this week"),
    "overdue_follow_ups": QT_TRANSLATE_NOOP("DashboardView", "Overdue follow-ups"),
}


def measure_name(measure: str) -> str:
    """The words for a measure: an outcome is the vocabulary's own term (已成交, 已拒绝…)."""
    source = MEASURE_NAMES.get(measure)
    return QCoreApplication.translate("DashboardView", source) if source else labels.term(measure)


@dataclass(frozen=True)
class Figures:
    tasks: list[TaskCompletion]
    advisors: list[AdvisorCompletion]


def read_figures(store: Store, actor: Actor) -> Figures:
    return Figures(task_completion(store, actor), store_completion(store, actor))


class DashboardView(RefreshWhenShown, QWidget):
    """``refresh()`` re-reads every figure in the background; ``loaded`` is True once they are on screen."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("dashboardView")
        self.figures: Figures | None = None
        self.loaded = False
        self._stale = True
        self._generation = 0
        self._chart_generation = 0
        self._chart_task: int | None = None
        self.tasks = TaskTable("dashboardTasks")
        self.advisors = AdvisorTable("dashboardAdvisors")
        self.chart = CompletionChart()
        self.drill_page = DrillPage(ctx)
        self.stack = QStackedWidget(objectName="dashboardStack")
        self.stack.addWidget(self._overview())
        self.stack.addWidget(self.drill_page)
        self.as_of = QLabel(objectName="dashboardAsOf")
        self.as_of.setToolTip(self.tr("Figures are computed on this computer from the data of the last sync, "
                                      "so the dashboard also works offline."))
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Store dashboard"), objectName="viewTitle"))
        head.addStretch(1)
        head.addWidget(self.as_of)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.stack, 1)
        self.setStyleSheet(
            "#viewTitle { font-size: 16px; font-weight: 600; padding: 2px 0 6px 0; }"
            f"#dashboardAsOf, #drillHint, #drillCount {{ color: {MUTED}; }}"
            "#sectionTitle { font-weight: 600; padding-top: 4px; } #drillTitle { font-size: 15px; font-weight: 600; }"
        )
        self.tasks.drill.connect(self._drill_task)
        self.advisors.drill.connect(self._drill_advisor)
        self.tasks.selectionModel().selectionChanged.connect(lambda *_: self._load_chart())
        self.drill_page.back.connect(lambda: self.stack.setCurrentIndex(0))
        ctx.changed.connect(self._changed)
        ctx.sync_finished.connect(lambda *_: self._stamp())

    def _overview(self) -> QWidget:
        page = QWidget(objectName="dashboardOverview")
        self.task_export = ExportButton(self.ctx, self.tasks.model_, self.tr("Push-tasks"))
        self.advisor_export = ExportButton(self.ctx, self.advisors.model_, self.tr("Advisors"))
        hint = self.tr("Double-click a number to see the members behind it")
        self.tasks.setToolTip(hint)
        self.advisors.setToolTip(hint)
        advisors = QWidget()
        column = QVBoxLayout(advisors)
        column.setContentsMargins(0, 0, 6, 0)
        column.addLayout(self._section(self.tr("Advisors: workload and results"), self.advisor_export))
        column.addWidget(self.advisors)
        column.addStretch(1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(advisors)
        bottom.addWidget(self.chart)
        bottom.setSizes([640, 520])
        bottom.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._section(self.tr("Push-tasks: progress (select one for its chart)"), self.task_export))
        layout.addWidget(self.tasks)
        layout.addWidget(bottom, 1)
        return page

    def _section(self, title: str, export: ExportButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(title, objectName="sectionTitle"), 1)
        row.addWidget(export)
        return row

    # Data ---------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the figures (and the open drill-down list) off the UI thread; the selection stays."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        self.loaded = False
        self._stamp()
        read_off_thread(self.ctx, read_figures, lambda figures: self._show(generation, figures))
        if self.stack.currentWidget() is self.drill_page:
            self.drill_page.refresh()

    def _show(self, generation: int, figures: Figures) -> None:
        if generation != self._generation:
            return
        selected = self.tasks.selected_row()
        self.figures = figures
        self.tasks.set_rows(figures.tasks)
        self.advisors.set_rows(figures.advisors)
        self.tasks.fit_height(8)
        self.advisors.fit_height(12)
        row = next((i for i, t in enumerate(figures.tasks) if selected and t.task_id == selected.task_id), 0)
        self._chart_task = None  # the figures changed: the chart is drawn again
        if figures.tasks:
            self.tasks.selectRow(row)  # also redraws the chart
        else:
            self.chart.clear_history()
        self.loaded = True

    def _stamp(self) -> None:
        when = last_synced_at(self.ctx)
        self.as_of.setText(self.tr("As of last sync {0}").format(clock_time(when)) if when else
                           self.tr("Not synced yet: figures from this computer's data"))

    def _load_chart(self) -> None:
        """Draw the selected task's history, once per task and refresh (selection signals repeat)."""
        task = self.tasks.selected_row()
        if task is None or task.task_id == self._chart_task:
            return
        self._chart_task = task.task_id
        self._chart_generation += 1
        generation, task_id, title = self._chart_generation, task.task_id, task.title
        read_off_thread(self.ctx, lambda store, actor: task_history(store, actor, task_id),
                        lambda history: self._draw(generation, history, title))

    def _draw(self, generation: int, history: TaskHistory, title: str) -> None:
        if generation == self._chart_generation:
            self.chart.show_history(history, title)

    # Drill-down ---------------------------------------------------------------------------------

    def drill(self, scope: Scope) -> None:
        self.drill_page.show_scope(scope)
        self.stack.setCurrentWidget(self.drill_page)

    def _drill_task(self, task: TaskCompletion, measure: str) -> None:
        self.drill(Scope(measure, f"{task.title} · {measure_name(measure)}", task_id=task.task_id))

    def _drill_advisor(self, advisor: AdvisorCompletion, measure: str) -> None:
        self.drill(Scope(measure, f"{advisor.name} · {measure_name(measure)}", advisor_id=advisor.advisor_id))

    # Refreshing ---------------------------------------------------------------------------------

