"""Working a push-task target by target: who to contact, what to say, one key for what came of it.

The advisor's hands stay on the keyboard: 1–6 choose the outcome (and put the cursor in the note), Enter
saves, and the panel moves on to the next open target. The target's outcome and the contact it came from
are saved in one transaction (``record_contact``): the task's progress and the member's interaction
history can never disagree, and a refusal (a task HQ cancelled meanwhile) leaves nothing half-saved.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from associate_app import clock
from associate_app.domain.interactions import ContactRecorded, record_contact
from associate_app.domain.profile import member_profile
from associate_app.domain.task_lists import TaskSummary, my_tasks, task_targets
from associate_app.domain.tasks import (
    FINAL_STATUSES,
    OpenTarget,
    next_open_target,
    set_task_status,
)
from associate_app.domain.vocabulary import CLOSING_OUTCOMES, InteractionType, MemberStatus, Outcome, TaskStatus
from associate_app.store.outbox import pending_count
from associate_app.ui import labels
from associate_app.ui.style import DANGER, MUTED

OUTCOME_KEYS: tuple[Outcome, ...] = tuple(Outcome)  # keys 1–6: reached … wrong number, in vocabulary order
KEY_TAGS = 8  # tags shown on the member card; the profile has the rest


class TaskWorkPanel(QWidget):
    """One task's open targets, one after another. ``start(task_id)`` opens it; ``back`` asks to leave."""

    back = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("taskWorkPanel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.task: TaskSummary | None = None
        self.target: OpenTarget | None = None
        self._busy = False
        self._build()

    # Layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        back = QPushButton(self.tr("← Back to the task"), objectName="backToTask")
        back.clicked.connect(self.back)
        self.title = QLabel(objectName="workTitle")
        self.title.setWordWrap(True)
        self.remaining = QLabel(objectName="workRemaining")
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        top.addWidget(self.remaining)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._work_page())
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.setStyleSheet(
            f"#workTitle {{ font-size: 16px; font-weight: 600; }} #workRemaining {{ color: {MUTED}; }}"
            "#memberCard, #workScript { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; }"
            "#memberName { font-size: 20px; font-weight: 600; } #memberPhone { font-size: 18px; }"
            f"#memberMeta, #memberLast {{ color: {MUTED}; }} #workHint {{ color: {DANGER}; }}"
            "#workScript { padding: 10px; background: #f0f7ff; border-color: #bfdbfe; }"
            "QPushButton[outcome=\"true\"]:checked { background: #2563eb; color: #ffffff; border-color: #2563eb; }"
            "#doneText { font-size: 18px; font-weight: 600; }"
        )

    def _work_page(self) -> QWidget:
        page = QWidget()
        card = QFrame(objectName="memberCard")
        grid = QGridLayout(card)
        grid.setHorizontalSpacing(16)
        self.name = QLabel(objectName="memberName")
        self.phone = QLabel(objectName="memberPhone")
        self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel(objectName="memberMeta")
        self.children = QLabel(objectName="memberChildren")
        self.tags = QLabel(objectName="memberTags")
        self.last = QLabel(objectName="memberLast")
        for label in (self.children, self.tags, self.last):
            label.setWordWrap(True)
        profile = QPushButton(self.tr("Open profile"), objectName="openProfile")
        profile.clicked.connect(lambda: self.target and self.ctx.open_member(self.target.member_id))
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.phone, 0, 1)
        grid.addWidget(profile, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.meta, 1, 0, 1, 3)
        grid.addWidget(self.children, 2, 0, 1, 3)
        grid.addWidget(self.tags, 3, 0, 1, 3)
        grid.addWidget(self.last, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)

        self.script = QLabel(objectName="workScript")
        self.script.setWordWrap(True)
        self.script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outcomes = QButtonGroup(self)
        self.outcomes.setExclusive(True)
        buttons = QHBoxLayout()
        for key, outcome in enumerate(OUTCOME_KEYS, start=1):
            button = QPushButton(f"{key}  {labels.term(outcome)}", objectName=f"outcome-{outcome}")
            button.setCheckable(True)
            button.setProperty("outcome", True)
            button.setToolTip(self.tr("Key {0}").format(key))
            self.outcomes.addButton(button, key)
            buttons.addWidget(button)
        self.outcomes.idClicked.connect(lambda key: self.note.setFocus())

        self.kind = QComboBox(objectName="contactType")
        for kind in InteractionType:
            self.kind.addItem(labels.term(kind), str(kind))
        self.follow_up = QCheckBox(self.tr("Follow up on"), objectName="followUpCheck")
        self.follow_up_date = QDateEdit(objectName="followUpDate", calendarPopup=True)
        self.follow_up_date.setDisplayFormat("yyyy-MM-dd")
        self.follow_up_date.setEnabled(False)
        self.follow_up.toggled.connect(self.follow_up_date.setEnabled)
        details = QHBoxLayout()
        details.addWidget(QLabel(self.tr("Contact by")))
        details.addWidget(self.kind)
        details.addSpacing(24)
        details.addWidget(self.follow_up)
        details.addWidget(self.follow_up_date)
        details.addStretch(1)

        self.note = QLineEdit(objectName="outcomeNote")
        self.note.setPlaceholderText(self.tr("Note: what was said, what to do next (Enter saves)"))
        self.note.setMaxLength(2000)
        self.note.returnPressed.connect(self.save)
        self.hint = QLabel(objectName="workHint")
        self.hint.setWordWrap(True)
        skip = QPushButton(self.tr("Skip"), objectName="skipTarget")
        skip.clicked.connect(self.skip)
        self.save_button = QPushButton(self.tr("Save and next"), objectName="saveOutcome")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        actions = QHBoxLayout()
        actions.addWidget(self.hint, 1)
        actions.addWidget(skip)
        actions.addWidget(self.save_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(card)
        layout.addWidget(QLabel(self.tr("Script")))
        layout.addWidget(self.script)
        layout.addWidget(QLabel(self.tr("What came of it? (keys 1–6)")))
        layout.addLayout(buttons)
        layout.addLayout(details)
        layout.addWidget(self.note)
        layout.addLayout(actions)
        layout.addStretch(1)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_text = QLabel(objectName="doneText")
        self.done_text.setWordWrap(True)
        self.done_detail = QLabel(objectName="doneDetail")
        self.done_detail.setWordWrap(True)
        self.finish = QPushButton(self.tr("Mark the task as done"), objectName="finishTask")
        self.finish.clicked.connect(self._finish_task)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 24, 0, 0)
        layout.addWidget(self.done_text)
        layout.addWidget(self.done_detail)
        layout.addWidget(self.finish, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    # Navigation ---------------------------------------------------------------------------------

    def start(self, task_id: int, member_id: int | None = None) -> None:
        """Open the task at ``member_id`` (a target double-clicked) or at its first open target."""
        self.task = self._load_task(task_id)
        target = None
        if self.task is not None and self.task.status not in FINAL_STATUSES:
            target = self._target(member_id) if member_id is not None else None
            target = target or next_open_target(self.ctx.store, self.ctx.actor, task_id)
        self._show(target)
        self.setFocus()

    def refresh(self) -> None:
        """Data changed elsewhere (a sync, another view): same target, fresh facts and task status."""
        if self.task is None or self._busy:
            return
        self.task = self._load_task(self.task.id)
        if self.task is None or self.task.status in FINAL_STATUSES:
            self._show(None)
        elif self.target is not None:
            self._show(self._target(self.target.member_id) or self._next_after(self.target.member_id),
                       keep_input=True)

    def skip(self) -> None:
        if self.target is not None:
            self._show(self._next_after(self.target.member_id), skipped=True)

    def choose(self, outcome: Outcome) -> None:
        """Select an outcome (a key 1–6 or a click) and put the cursor in the note."""
        if self.pages.currentIndex() != 0 or self._busy:
            return
        self.outcomes.button(OUTCOME_KEYS.index(outcome) + 1).setChecked(True)
        self.hint.clear()
        self.note.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys 1–6 (main row or keypad) choose the outcome; they reach here unless a text field took them."""
        key = event.key() - Qt.Key.Key_0
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if 1 <= key <= len(OUTCOME_KEYS) and modifiers == Qt.KeyboardModifier.NoModifier:
            self.choose(OUTCOME_KEYS[key - 1])
            return
        super().keyPressEvent(event)

    def selected_outcome(self) -> Outcome | None:
        key = self.outcomes.checkedId()
        return OUTCOME_KEYS[key - 1] if key > 0 else None

    # Saving -------------------------------------------------------------------------------------

    def save(self) -> None:
        if self.task is None or self.target is None or self._busy:
            return
        outcome = self.selected_outcome()
        if outcome is None:
            self.hint.setText(self.tr("Choose what came of it first: keys 1–6."))
            return
        task_id, member_id, note = self.task.id, self.target.member_id, self.note.text().strip()
        kind = self.kind.currentData()
        follow_up = self.follow_up_date.date().toPython() if self.follow_up.isChecked() else None
        self._set_busy(True)
        self.ctx.write(
            lambda store, actor: record_contact(store, actor, task_id, member_id, outcome, note=note, type=kind,
                                                next_follow_up=follow_up),
            self._saved, what="task", member_id=member_id, on_failure=self._not_saved,
        )

    def _saved(self, result: ContactRecorded) -> None:
        self._set_busy(False)
        waiting = pending_count(self.ctx.store)
        name = self.target.name if self.target else ""
        self.ctx.message.emit(self.tr("Saved: {0} · {1}. {2} changes waiting to upload.").format(
            name, labels.term(result.outcome.outcome), waiting))
        self.task = self._load_task(result.outcome.task_id)
        self._show(self._next_after(result.outcome.member_id))
        self.setFocus()

    def _not_saved(self, error: BaseException) -> None:
        self._set_busy(False)
        self.ctx.refused(error)
        self.refresh()

    def _finish_task(self) -> None:
        if self.task is not None:
            task_id = self.task.id
            self.ctx.write(lambda store, actor: set_task_status(store, actor, task_id, TaskStatus.DONE),
                           lambda _result: self.start(task_id), what="task")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.note.setReadOnly(busy)

    # Reading ------------------------------------------------------------------------------------

    def _load_task(self, task_id: int) -> TaskSummary | None:
        return next((t for t in my_tasks(self.ctx.store, self.ctx.actor) if t.id == task_id), None)

    def _target(self, member_id: int) -> OpenTarget | None:
        """One of the actor's targets of the task, open or not (an outcome may be corrected), or None."""
        rows = task_targets(self.ctx.store, self.ctx.actor, self.task.id)
        row = next((r for r in rows if r.member_id == member_id), None)
        if row is None:
            return None
        still_open = sum(r.outcome not in CLOSING_OUTCOMES for r in rows)
        return OpenTarget(self.task.id, row.member_id, row.name, row.phone,
                          Outcome(row.outcome) if row.outcome else None, row.sort_order, still_open)

    def _next_after(self, member_id: int) -> OpenTarget | None:
        """The next open target; the same one when it is the only one left (a member not reached)."""
        if self.task is None or self.task.status in FINAL_STATUSES:
            return None
        following = next_open_target(self.ctx.store, self.ctx.actor, self.task.id, member_id)
        return following or next_open_target(self.ctx.store, self.ctx.actor, self.task.id)

    def _show(self, target: OpenTarget | None, *, skipped: bool = False, keep_input: bool = False) -> None:
        """Show ``target`` (None: the task is finished or closed); what was typed stays if it is the same one."""
        previous = self.target.member_id if self.target else None
        self.target = target
        task = self.task
        self.title.setText(task.title if task else "")
        if not (keep_input and target is not None and target.member_id == previous):
            self._clear_input()
        if target is None:
            self._show_done(task)
            return
        self.pages.setCurrentIndex(0)
        self.remaining.setText(self.tr("{0} still to contact").format(target.remaining))
        if skipped and target.member_id == previous:
            self.hint.setText(self.tr("This is the only target still open."))
        self._fill_member(target)
        self.script.setText(task.script if task else "")

    def _clear_input(self) -> None:
        self.note.clear()
        self.hint.clear()
        self.follow_up.setChecked(False)
        self.follow_up_date.setMinimumDate(QDate(clock.today()))
        self.follow_up_date.setDate(QDate(clock.today() + dt.timedelta(days=1)))
        checked = self.outcomes.checkedButton()
        if checked is not None:
            self.outcomes.setExclusive(False)
            checked.setChecked(False)
            self.outcomes.setExclusive(True)

    def _fill_member(self, target: OpenTarget) -> None:
        profile = member_profile(self.ctx.store, self.ctx.actor, target.member_id)
        header = profile.header
        self.name.setText(header.name)
        self.phone.setText(header.phone or "")
        meta = [labels.term(header.level)]
        if header.is_lead:
            meta.append(labels.term(MemberStatus.QUASI))
        if header.lifecycle:
            meta.append(labels.term(header.lifecycle))
        if target.outcome is not None:
            meta.append(self.tr("so far: {0}").format(labels.term(target.outcome)))
        self.meta.setText(" · ".join(meta))
        kids = "，".join(" ".join(p for p in (c.name, c.label) if p) for c in profile.children)
        self.children.setText(self.tr("Children: {0}").format(kids) if kids else self.tr("No children recorded"))
        names = [t.name for t in profile.automatic_tags] + [t.name for g in profile.manual_tags for t in g.tags]
        self.tags.setText(self.tr("Tags: {0}").format(" · ".join(names[:KEY_TAGS])) if names else "")
        self.tags.setVisible(bool(names))
        last = profile.timeline[0] if profile.timeline else None
        if last is None:
            self.last.setText(self.tr("No contact logged yet"))
        else:
            self.last.setText(self.tr("Last contact {0}: {1}").format(labels.local_day(last.occurred_at),
                                                                      last.note or labels.term(last.type)))

    def _show_done(self, task: TaskSummary | None) -> None:
        self.pages.setCurrentIndex(1)
        self.remaining.clear()
        self.finish.hide()
        if task is None:
            self.done_text.setText(self.tr("This task is no longer on this device."))
            self.done_detail.clear()
        elif task.status in FINAL_STATUSES:
            self.done_text.setText(self.tr("This task is {0}: nothing more can be recorded on it.").format(
                labels.term(task.status)))
            self.done_detail.clear()
        else:
            p = task.progress
            self.done_text.setText(self.tr("Task complete: every target has been worked through."))
            self.done_detail.setText(self.tr("{0} of {1} targets closed, {2} converted.").format(
                p.closed, p.total, p.converted))
            self.finish.show()
