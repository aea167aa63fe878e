"""Push-tasks from HQ: their status, the outcome recorded for each target, and derived progress.

HQ creates tasks and may cancel or expire them (those arrive by sync); store staff start them, finish
them and record what happened with each target member. Progress is counted as progress.py defines it, from the
targets at the moment of asking.
"""

from __future__ import annotations

from dataclasses import dataclass

from associate_app.clock import utc_now_iso
from associate_app.domain.actor import Actor
from associate_app.domain.common import member_ref, require_member
from associate_app.domain.privacy import visible_phone
from associate_app.domain.progress import LIVE_TASK_STATUSES, TARGET_COUNTS_SQL, TargetCounts, open_target_sql
from associate_app.domain.validation import parse_choice, valid_note
from associate_app.domain.vocabulary import MutationKind, Outcome, Role, TaskStatus
from associate_app.errors import IllegalTransition, InvalidInput, NotPermitted, TaskClosed, UnknownTask
from associate_app.store.database import Store
from associate_app.store.outbox import enqueue

FINAL_STATUSES = frozenset(TaskStatus) - LIVE_TASK_STATUSES  # done, cancelled, expired
# The state machine every task follows, whoever moves it.
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.PENDING: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.EXPIRED}),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.EXPIRED}),
    **{status: frozenset() for status in FINAL_STATUSES},
}
# What store staff may do themselves; cancelling and expiring are HQ's decisions and arrive by sync.
STAFF_TRANSITIONS = frozenset({
    (TaskStatus.PENDING, TaskStatus.IN_PROGRESS),
    (TaskStatus.PENDING, TaskStatus.DONE),
    (TaskStatus.IN_PROGRESS, TaskStatus.DONE),
})
TASK_STAFF = (Role.ADVISOR, Role.MANAGER)
_CLOSED_WHY = {
    TaskStatus.DONE: "task is already done",
    TaskStatus.CANCELLED: "task was cancelled by HQ",
    TaskStatus.EXPIRED: "task has expired",
}


def is_legal_transition(current: TaskStatus | str, target: TaskStatus | str) -> bool:
    """Whether the state machine allows current → target at all (HQ's moves included)."""
    return TaskStatus(target) in TRANSITIONS[TaskStatus(current)]


@dataclass(frozen=True)
class TaskStatusChanged:
    task_id: int
    old_status: TaskStatus
    status: TaskStatus
    changed: bool  # False: the task already had this status and nothing was written
    at: str | None
    mutation_id: str | None


@dataclass(frozen=True)
class TargetOutcomeRecorded:
    task_id: int
    member_id: int
    outcome: Outcome
    previous_outcome: Outcome | None
    note: str | None
    at: str
    task_status: TaskStatus
    progress: TargetCounts  # of the whole task, after this outcome
    mutation_id: str


@dataclass(frozen=True)
class OpenTarget:
    """The member to contact next, with what the list screen shows and how many are still open."""

    task_id: int
    member_id: int
    name: str
    phone: str | None
    outcome: Outcome | None
    sort_order: int
    remaining: int


def require_task(store: Store, task_id: int) -> dict:
    task = store.one("SELECT id, title, status, assignee_id FROM tasks WHERE id = ?", (task_id,))
    if task is None:
        raise UnknownTask(f"No task with id {task_id} on this device.", task_id=task_id)
    return task


def require_target(store: Store, task_id: int, member_id: int) -> dict:
    """The (task, member) target row; UnknownMember or InvalidInput when the member is not a target."""
    target = store.one(
        "SELECT task_id, member_id, advisor_id, outcome, note, sort_order FROM task_targets "
        "WHERE task_id = ? AND member_id = ?",
        (task_id, member_id),
    )
    if target is None:
        require_member(store, member_id)
        raise InvalidInput(f"Member {member_id} is not a target of task {task_id}.", task_id=task_id,
                           member_id=member_id)
    return target


def _require_open(task: dict) -> None:
    status = TaskStatus(task["status"])
    if status in FINAL_STATUSES:
        raise TaskClosed(f"The {_CLOSED_WHY[status]}.", task_id=task["id"], status=str(status))


def set_task_status(store: Store, actor: Actor, task_id: int, status: TaskStatus | str) -> TaskStatusChanged:
    """Start or finish a task; the same status again is a no-op that writes nothing."""
    actor.require(*TASK_STAFF, action="change a task's status")
    target = parse_choice(TaskStatus, status, field="task status")
    with store.write():  # the status is checked under the write lock: HQ may cancel or expire it by sync meanwhile
        task = require_task(store, task_id)
        current = TaskStatus(task["status"])
        if target == current:
            return TaskStatusChanged(task_id, current, target, changed=False, at=None, mutation_id=None)
        _require_staff_move(actor, task, current, target)
        at = utc_now_iso()
        store.conn.execute("UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?", (str(target), at, task_id))
        mutation_id = enqueue(store, MutationKind.TASK_STATUS,
                              {"task_id": task_id, "status": str(target), "at": at}, actor.staff_id)
    return TaskStatusChanged(task_id, current, target, changed=True, at=at, mutation_id=mutation_id)


def _require_staff_move(actor: Actor, task: dict, current: TaskStatus, target: TaskStatus) -> None:
    """Refuse a move the state machine forbids, one only HQ may make, or one on another advisor's task."""
    task_id = task["id"]
    if not is_legal_transition(current, target):
        if current in FINAL_STATUSES:
            _require_open(task)
        raise IllegalTransition(f"A {current} task cannot become {target}.", task_id=task_id,
                                current=str(current), requested=str(target))
    if (current, target) not in STAFF_TRANSITIONS:
        raise NotPermitted(f"Only HQ can make a task {target}.", task_id=task_id, requested=str(target))
    if actor.role == Role.ADVISOR and task["assignee_id"] not in (None, actor.staff_id):
        raise NotPermitted("This task is assigned to another advisor.", task_id=task_id)


def record_outcome(store: Store, actor: Actor, task_id: int, member_id: int, outcome: Outcome | str, *,
                   note: str | None = None) -> TargetOutcomeRecorded:
    """Record (or change) what came of contacting one target; ``note=None`` keeps the target's note.

    The first outcome on a pending task starts it, in the same transaction (HQ does the same on its side).
    """
    actor.require(*TASK_STAFF, action="record a task outcome")
    result = parse_choice(Outcome, outcome, field="outcome")
    new_note = None if note is None else valid_note(note)
    with store.write():  # checked under the write lock: HQ may cancel or expire the task by sync meanwhile
        task = require_task(store, task_id)
        _require_open(task)
        target = require_target(store, task_id, member_id)
        if actor.role == Role.ADVISOR and target["advisor_id"] not in (None, actor.staff_id):
            raise NotPermitted("This target is assigned to another advisor.", task_id=task_id, member_id=member_id,
                               advisor_id=target["advisor_id"])
        member = require_member(store, member_id)
        kept_note = target["note"] if new_note is None else new_note
        at = utc_now_iso()
        status = TaskStatus(task["status"])
        store.conn.execute(
            "UPDATE task_targets SET outcome = ?, outcome_at = ?, outcome_by = ?, note = ? "
            "WHERE task_id = ? AND member_id = ?",
            (str(result), at, actor.staff_id, kept_note, task_id, member_id),
        )
        if status == TaskStatus.PENDING:
            status = TaskStatus.IN_PROGRESS
            store.conn.execute("UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?", (str(status), at, task_id))
        mutation_id = enqueue(
            store, MutationKind.TARGET_OUTCOME,
            {"task_id": task_id, "member": member_ref(member), "outcome": str(result), "note": kept_note, "at": at},
            actor.staff_id,
        )
        progress = task_progress(store, task_id)  # as this transaction left it, whatever a sync commits next
    previous = Outcome(target["outcome"]) if target["outcome"] else None
    return TargetOutcomeRecorded(task_id, member_id, result, previous, kept_note, at, status, progress, mutation_id)


_PROGRESS_SQL = f"SELECT tt.advisor_id, {TARGET_COUNTS_SQL} FROM task_targets tt WHERE tt.task_id = ?"


def task_progress(store: Store, task_id: int, *, advisor_id: str | None = None) -> TargetCounts:
    """The task's progress, over all targets or one advisor's."""
    require_task(store, task_id)
    sql, params = _PROGRESS_SQL, (task_id,)
    if advisor_id is not None:
        sql, params = sql + " AND tt.advisor_id = ?", (task_id, advisor_id)
    return TargetCounts.from_row(store.one(sql, params))


def progress_by_advisor(store: Store, task_id: int) -> dict[str | None, TargetCounts]:
    """Each advisor's progress on one task (the manager's view), in one query."""
    require_task(store, task_id)
    rows = store.all(_PROGRESS_SQL + " GROUP BY tt.advisor_id ORDER BY tt.advisor_id", (task_id,))
    return {row["advisor_id"]: TargetCounts.from_row(row) for row in rows}


def next_open_target(store: Store, actor: Actor, task_id: int, after_member_id: int | None = None) -> OpenTarget | None:
    """The actor's next open target in list order after ``after_member_id``, wrapping to the start.

    An advisor works their own targets and the unassigned ones; a manager sees all. None when nothing
    is left to do (or the task is closed).
    """
    actor.require(*TASK_STAFF, action="work on a task")
    task = require_task(store, task_id)
    if TaskStatus(task["status"]) in FINAL_STATUSES:
        return None
    mine, params = "", [task_id]
    if actor.role == Role.ADVISOR:
        mine, params = " AND (t.advisor_id = ? OR t.advisor_id IS NULL)", [task_id, actor.staff_id]
    open_sql = (f"FROM task_targets t JOIN members m ON m.id = t.member_id "
                f"WHERE t.task_id = ?{mine} AND {open_target_sql('t.outcome')}")
    select = f"SELECT t.member_id, m.name, m.phone, t.outcome, t.sort_order {open_sql}"
    order = " ORDER BY t.sort_order, t.member_id LIMIT 1"
    if after_member_id is None:
        row = store.one(select + order, params)
    else:
        current = require_target(store, task_id, after_member_id)
        row = store.one(select + " AND (t.sort_order, t.member_id) > (?, ?)" + order,
                        [*params, current["sort_order"], after_member_id])
        if row is None:  # wrap around to targets skipped earlier
            row = store.one(select + " AND t.member_id <> ?" + order, [*params, after_member_id])
    if row is None:
        return None
    remaining = store.scalar(f"SELECT count(*) {open_sql}", params)
    return OpenTarget(task_id=task_id, member_id=row["member_id"], name=row["name"],
                      phone=visible_phone(actor, row["phone"]),
                      outcome=Outcome(row["outcome"]) if row["outcome"] else None,
                      sort_order=row["sort_order"], remaining=remaining)
