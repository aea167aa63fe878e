"""My tasks (我的任务): the push-tasks HQ sent, how far each has got, and the way into working one.

Left, the tasks as cards (priority, status, due date, progress); right, the selected task's script,
its figures (progress.py's definitions, never recomputed here) and its targets, or the work panel while
the advisor goes through them. The view re-reads on ``ctx.changed`` when visible, else when next shown.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from associate_app.domain.task_lists import TaskSummary, my_tasks, task_targets
from associate_app.domain.tasks import FINAL_STATUSES
from associate_app.domain.vocabulary import MemberStatus
from associate_app.ui import labels
from associate_app.ui.refreshing import RefreshWhenShown
from associate_app.ui.style import DANGER, MUTED, PRIMARY
from associate_app.ui.task_work_panel import TaskWorkPanel

ID_ROLE = Qt.ItemDataRole.UserRole
PRIORITY_COLOURS = {1: DANGER, 2: "#d97706", 3: MUTED}
PRIORITIES = {1: QT_TRANSLATE_NOOP("TasksView", "High"), 2: QT_TRANSLATE_NOOP("TasksView", "Normal"),
              3: QT_TRANSLATE_NOOP("TasksView", "Low")}  # HQ's 1 high, 2 normal, 3 low


def percent(rate: float | None) -> str:
    """A rate as a whole percentage; "—" when there was nothing to divide by."""
    return "—" if rate is None else f"{rate:.0%}"


def priority_text(priority: int) -> str:
    """高/中/低 for HQ's priority number (anything outside 1–3 clamped)."""
    return QCoreApplication.translate("TasksView", PRIORITIES[min(max(priority, 1), 3)])


class TaskCard(QFrame):
    """One task in the list: title, priority, status, due date, progress and converted count."""

    def __init__(self, task: TaskSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskCard")
        p = task.progress
        title = QLabel(task.title, objectName="cardTitle")
        title.setWordWrap(True)
        priority = QLabel(priority_text(task.priority), objectName="cardPriority")
        priority.setStyleSheet(f"background: {PRIORITY_COLOURS.get(min(max(task.priority, 1), 3))};")
        due = QLabel(self.tr("Overdue {0}").format(task.due_date) if task.overdue
                     else self.tr("Due {0}").format(task.due_date) if task.due_date else "", objectName="cardDue")
        if task.overdue:
            due.setStyleSheet(f"color: {DANGER}; font-weight: 600;")
        bar = QProgressBar(objectName="cardProgress")
        bar.setRange(0, max(p.total, 1))
        bar.setValue(p.closed)
        bar.setFormat(f"{p.closed}/{p.total}")
        bar.setFixedHeight(16)
        converted = QLabel(self.tr("{0} converted").format(p.converted), objectName="cardConverted")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setVerticalSpacing(4)
        grid.addWidget(priority, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(title, 0, 1, 1, 2)
        grid.addWidget(QLabel(labels.term(task.status), objectName="cardStatus"), 1, 1)
        grid.addWidget(due, 1, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(bar, 2, 1)
        grid.addWidget(converted, 2, 2, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(1, 1)


class TasksView(RefreshWhenShown, QWidget):
    """The advisor's push-tasks; ``start_work()`` goes through the selected task's open targets."""

    TARGET_COLUMNS = 6

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("tasksView")
        self.tasks: list[TaskSummary] = []
        self._cards: list[TaskCard] = []  # PySide: keep the item widgets alive
        self._stale = True
        self._build()
        ctx.changed.connect(self._changed)

    # Layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.list = QListWidget(objectName="taskList")
        self.list.setSpacing(3)
        self.list.currentItemChanged.connect(lambda item, _old: self._select(item))
        self.empty = QLabel(self.tr("HQ has not sent you any push-tasks yet."), objectName="tasksEmpty")
        self.empty.setWordWrap(True)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(QLabel(self.tr("My tasks"), objectName="viewTitle"))
        column.addWidget(self.list, 1)
        column.addWidget(self.empty)

        self.work = TaskWorkPanel(self.ctx)
        self.work.back.connect(self._back_from_work)
        self.right = QStackedWidget()
        self.right.addWidget(self._detail_page())
        self.right.addWidget(self.work)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 800])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setStyleSheet(
            "#viewTitle { font-size: 16px; font-weight: 600; padding: 2px 0 6px 0; }"
            "#taskCard { background: transparent; } #cardTitle { font-weight: 600; }"
            "#cardPriority { color: #ffffff; border-radius: 4px; padding: 1px 6px; font-size: 12px; }"
            f"#cardStatus, #cardConverted, #cardDue {{ color: {MUTED}; font-size: 13px; }}"
            f"#taskList::item:selected {{ background: #eff6ff; border-left: 3px solid {PRIMARY}; }}"
            "#taskList::item { border-bottom: 1px solid #f0f0f0; }"
            "#cardProgress { border: 1px solid #d1d5db; border-radius: 4px; background: #f3f4f6; text-align: center;"
            " font-size: 11px; color: #111827; } #cardProgress::chunk { background: #93c5fd; border-radius: 3px; }"
            "#detailTitle { font-size: 18px; font-weight: 600; }"
            f"#detailMeta {{ color: {MUTED}; }}"
            "#taskScript { background: #f0f7ff; border: 1px solid #bfdbfe; border-radius: 8px; padding: 10px; }"
            "#statTile { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; }"
            f"#statValue {{ font-size: 18px; font-weight: 600; color: {PRIMARY}; }}"
            f"#statCaption {{ color: {MUTED}; font-size: 12px; }}"
        )

    def _detail_page(self) -> QWidget:
        page = QWidget(objectName="taskDetail")
        self.title = QLabel(objectName="detailTitle")
        self.title.setWordWrap(True)
        self.meta = QLabel(objectName="detailMeta")
        self.work_button = QPushButton(objectName="workTask")
        self.work_button.setProperty("primary", True)
        self.work_button.clicked.connect(lambda: self.start_work())
        head = QGridLayout()
        head.addWidget(self.title, 0, 0)
        head.addWidget(self.work_button, 0, 1, 2, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.meta, 1, 0)
        head.setColumnStretch(0, 1)
        self.script = QLabel(objectName="taskScript")
        self.script.setWordWrap(True)
        self.script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stats: dict[str, QLabel] = {}
        tiles = QHBoxLayout()
        for key, caption in (("completion", self.tr("Completed")), ("contact", self.tr("Contact rate")),
                             ("conversion", self.tr("Conversion rate")), ("converted", self.tr("Converted")),
                             ("open", self.tr("Still to contact"))):
            tiles.addWidget(self._tile(key, caption))
        self.targets = QTableWidget(0, self.TARGET_COLUMNS, objectName="targetTable")
        self.targets.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Phone"), self.tr("Level"),
                                                self.tr("Children"), self.tr("Outcome"), self.tr("Note")])
        self.targets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.targets.verticalHeader().hide()
        self.targets.setAlternatingRowColors(True)
        header = self.targets.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.targets.activated.connect(self._target_activated)
        self.targets.setToolTip(self.tr("Double-click a member to contact them now"))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(QLabel(self.tr("Script")))
        layout.addWidget(self.script)
        layout.addLayout(tiles)
        layout.addWidget(QLabel(self.tr("Targets (double-click to contact)")))
        layout.addWidget(self.targets, 1)
        return page

    def _tile(self, key: str, caption: str) -> QFrame:
        tile = QFrame(objectName="statTile")
        box = QVBoxLayout(tile)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(0)
        self.stats[key] = QLabel(objectName="statValue")
        box.addWidget(self.stats[key])
        box.addWidget(QLabel(caption, objectName="statCaption"))
        return tile

    # Data ---------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the tasks (one query) keeping the selection; the work panel keeps its target."""
        self._stale = False
        current = self.selected_task()
        self.tasks = my_tasks(self.ctx.store, self.ctx.actor)
        self.list.blockSignals(True)
        self.list.clear()
        self._cards = []
        row = 0
        for index, task in enumerate(self.tasks):
            item = QListWidgetItem()
            item.setData(ID_ROLE, task.id)
            card = TaskCard(task)
            item.setSizeHint(card.sizeHint())
            self.list.addItem(item)
            self.list.setItemWidget(item, card)
            self._cards.append(card)
            if current is not None and task.id == current.id:
                row = index
        if self.tasks:
            self.list.setCurrentRow(row)
        self.list.blockSignals(False)  # re-selecting is no user choice: the work panel stays open
        self.empty.setVisible(not self.tasks)
        self.right.setVisible(bool(self.tasks))
        if self.tasks:
            self._show_detail(self.tasks[row])
        if self.right.currentWidget() is self.work:
            self.work.refresh()

    def selected_task(self) -> TaskSummary | None:
        item = self.list.currentItem()
        task_id = item.data(ID_ROLE) if item is not None else None
        return next((t for t in self.tasks if t.id == task_id), None)

    def start_work(self, member_id: int | None = None) -> None:
        """Go through the selected task's targets (from ``member_id`` when given)."""
        if self._stale:
            self.refresh()
        task = self.selected_task()
        if task is None:
            return
        self.right.setCurrentWidget(self.work)
        self.work.start(task.id, member_id)

    def _select(self, item: QListWidgetItem | None) -> None:
        task = self.selected_task() if item is not None else None
        if task is not None:
            self.right.setCurrentIndex(0)
            self._show_detail(task)

    def _show_detail(self, task: TaskSummary) -> None:
        p = task.progress
        self.title.setText(task.title)
        due = self.tr("due {0}").format(task.due_date) if task.due_date else self.tr("no due date")
        if task.overdue:
            overdue = self.tr("overdue since {0}").format(task.due_date)
            due = f"<span style='color:{DANGER}'>{overdue}</span>"
        self.meta.setText(" · ".join((priority_text(task.priority),
                                      labels.term(task.status), due)))
        self.script.setText(task.script or self.tr("HQ gave no script for this task."))
        self.stats["completion"].setText(f"{p.closed}/{p.total} · {percent(p.completion_rate)}")
        self.stats["contact"].setText(percent(p.contact_rate))
        self.stats["conversion"].setText(percent(p.conversion_rate))
        self.stats["converted"].setText(str(p.converted))
        self.stats["open"].setText(str(p.open))
        workable = task.status not in FINAL_STATUSES and p.open > 0
        self.work_button.setEnabled(workable)
        self.work_button.setText(self.tr("Continue") if p.closed or p.not_reachable else self.tr("Start"))
        self._fill_targets(task.id)

    def _fill_targets(self, task_id: int) -> None:
        rows = task_targets(self.ctx.store, self.ctx.actor, task_id)
        self.targets.setRowCount(len(rows))
        for r, target in enumerate(rows):
            level = labels.term(target.level)
            if target.is_lead:
                level += " · " + labels.term(MemberStatus.QUASI)
            kids = "，".join(c.label for c in target.children)
            values = (target.name, target.phone or "", level, kids,
                      labels.term(target.outcome) if target.outcome else self.tr("Open"), target.note or "")
            for c, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, target.member_id)
                if c == 4 and not target.outcome:
                    cell.setForeground(QBrush(QColor(MUTED)))
                self.targets.setItem(r, c, cell)

    def _target_activated(self, index) -> None:
        member_id = index.data(ID_ROLE)
        if member_id is not None:
            self.start_work(int(member_id))

    def _back_from_work(self) -> None:
        self.right.setCurrentIndex(0)
        task = self.selected_task()
        if task is not None:
            self._show_detail(task)

    # Refreshing ---------------------------------------------------------------------------------

