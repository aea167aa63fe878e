"""Log a contact (互动记录) in a few keystrokes, right beside the member's profile.

The advisor is usually on the phone while typing, so everything has a default (a call, no outcome, no
follow-up), the note takes the focus, Ctrl+Enter saves and quick buttons set the next follow-up. A
refusal (a follow-up in the past, a note that is too long) keeps everything typed so nothing is lost.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from associate_app import clock
from associate_app.domain.interactions import InteractionLogged, log_interaction
from associate_app.domain.profile import OpenTarget
from associate_app.domain.validation import NOTE_LIMIT, character_count
from associate_app.domain.vocabulary import InteractionType, Outcome
from associate_app.errors import InvalidDate
from associate_app.ui import labels
from associate_app.ui.context import AppContext

NO_DATE = QDate(2000, 1, 1)  # the date edit's "none" position (shown as its special text)


class FollowUpEdit(QDateEdit):
    """A date or none: the minimum date stands for "no follow-up" and reads as such."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(self.tr("None"))
        self.setDate(NO_DATE)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> dt.date | None:
        return None if self.date() == NO_DATE else self.date().toPython()

    def set_value(self, day: dt.date | None) -> None:
        self.setDate(NO_DATE if day is None else QDate(day.year, day.month, day.day))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Open the calendar on today, not on the year 2000 the "none" state is stored as."""
        if event.type() == QEvent.Type.Show and self.value() is None:
            today = clock.today()
            self.calendarWidget().setCurrentPage(today.year, today.month)
        return super().eventFilter(watched, event)


class InteractionForm(QFrame):
    """Type, outcome, note, next follow-up, task; ``saved(InteractionLogged)`` after the write."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("interactionForm")
        self._member_id: int | None = None
        self._saving = False

        self.types = QButtonGroup(self)
        type_row = QHBoxLayout()
        type_row.setSpacing(4)
        title = QLabel(self.tr("Log a contact"), self)
        title.setObjectName("cardTitle")
        type_row.addWidget(title)
        type_row.addSpacing(8)
        for number, kind in enumerate(InteractionType, start=1):
            button = QPushButton(labels.term(kind), self)
            button.setObjectName(f"type-{kind}")
            button.setCheckable(True)
            button.setToolTip(self.tr("Alt+{0}").format(number))
            button.setProperty("kind", str(kind))
            self.types.addButton(button, number)
            type_row.addWidget(button)
            QShortcut(QKeySequence(f"Alt+{number}"), self, button.click,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        type_row.addStretch(1)
        self.count = QLabel(self)
        self.count.setObjectName("noteCount")
        type_row.addWidget(self.count)

        self.outcome = QComboBox(self)
        self.outcome.setObjectName("outcome")
        self.outcome.addItem(self.tr("No outcome"), None)
        for outcome in Outcome:
            self.outcome.addItem(labels.term(outcome), str(outcome))
        self.task = QComboBox(self)
        self.task.setObjectName("task")

        self.note = QPlainTextEdit(self)
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("What was said? Ctrl+Enter saves."))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 16)
        self.note.textChanged.connect(self._count)

        self.follow_up = FollowUpEdit(self)
        self.follow_up.setObjectName("followUp")
        quick = QHBoxLayout()
        quick.setSpacing(4)
        quick.addWidget(self.follow_up)
        for text, days in ((self.tr("Clear"), None), (self.tr("Tomorrow"), 1), (self.tr("+3 days"), 3),
                           (self.tr("+1 week"), 7), (self.tr("+1 month"), 30)):
            button = QPushButton(text, self)
            button.setObjectName("quickFollowUp")
            button.clicked.connect(lambda _checked=False, d=days: self._quick(d))
            quick.addWidget(button)
        quick.addStretch(1)
        self.save = QPushButton(self.tr("Save"), self)
        self.save.setObjectName("saveInteraction")
        self.save.setProperty("primary", True)
        self.save.setToolTip(self.tr("Ctrl+Enter"))
        self.save.clicked.connect(self.submit)
        quick.addWidget(self.save)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        grid.addWidget(self._caption(self.tr("Outcome")), 0, 0)
        grid.addWidget(self.outcome, 0, 1)
        grid.addWidget(self._caption(self.tr("Task")), 0, 2)
        grid.addWidget(self.task, 0, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addLayout(type_row)
        layout.addLayout(grid)
        layout.addWidget(self.note)
        follow = QHBoxLayout()
        follow.addWidget(self._caption(self.tr("Next follow-up")))
        follow.addLayout(quick, 1)
        layout.addLayout(follow)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.clear()

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("fieldCaption")
        return label

    # Public ----------------------------------------------------------------------------------
    def set_member(self, member_id: int, targets: tuple[OpenTarget, ...]) -> None:
        """Show the form for a member: a new member starts a blank form; the same one keeps what is typed."""
        chosen = self.task.currentData() if member_id == self._member_id else None
        if member_id != self._member_id:
            self._member_id = member_id
            self.clear()
        self.task.clear()
        self.task.addItem(self.tr("No task"), None)
        for target in targets:
            due = self.tr(" (due {0})").format(target.due_date) if target.due_date else ""
            self.task.addItem(target.title + due, target.task_id)
        self.preselect_task(chosen)

    def preselect_task(self, task_id: int | None) -> None:
        index = self.task.findData(task_id) if task_id is not None else 0
        self.task.setCurrentIndex(max(index, 0))

    def clear(self) -> None:
        self.types.button(1).setChecked(True)
        self.outcome.setCurrentIndex(0)
        self.note.clear()
        self.follow_up.set_value(None)
        if self.task.count():
            self.task.setCurrentIndex(0)
        self._count()

    def focus_note(self) -> None:
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        """Save through the writer thread; the form clears only once the database has the contact."""
        if self._member_id is None or self._saving:
            return
        member_id, kind = self._member_id, self.types.checkedButton().property("kind")
        outcome, task_id = self.outcome.currentData(), self.task.currentData()
        note, follow_up = self.note.toPlainText(), self.follow_up.value()
        self._busy(True)
        self.ctx.write(
            lambda store, actor: log_interaction(store, actor, member_id, kind, outcome=outcome, note=note,
                                                 task_id=task_id, next_follow_up=follow_up),
            self._saved, what="interaction", member_id=member_id, on_failure=self._refused,
        )

    # Private ---------------------------------------------------------------------------------
    def _saved(self, result: InteractionLogged) -> None:
        self._busy(False)
        if result.member_id == self._member_id:
            self.clear()
        self.ctx.message.emit(self.tr("Contact saved."))
        self.saved.emit(result)

    def _refused(self, error: BaseException) -> None:
        self._busy(False)
        if isinstance(error, InvalidDate) and error.details.get("field") == "next_follow_up":
            QMessageBox.warning(self, self.tr("Not saved"), self.tr("The next follow-up must be today or later."))
            self.follow_up.setFocus()
            return
        self.ctx.refused(error)

    def _busy(self, busy: bool) -> None:
        self._saving = busy
        self.save.setEnabled(not busy)

    def _quick(self, days: int | None) -> None:
        self.follow_up.set_value(None if days is None else clock.today() + dt.timedelta(days=days))

    def _count(self) -> None:
        length = character_count(self.note.toPlainText().strip())
        self.count.setText(self.tr("{0}/{1}").format(length, NOTE_LIMIT))
        self.count.setStyleSheet("color: #dc2626;" if length > NOTE_LIMIT else "color: #9ca3af;")
