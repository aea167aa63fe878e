"""task.status / task_target.outcome: HQ runs the same state machine as the console (domain/tasks.py).

HQ's decisions win: a task HQ cancelled or that expired refuses whatever a device did offline
(``task_cancelled`` / ``task_expired``), store staff may make only the STAFF_TRANSITIONS, and an
advisor works only their own (or unassigned) tasks and targets. Two outcomes for one target: the
later ``at`` wins, the earlier is answered ``merged``/``superseded``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from associate_app.domain.tasks import STAFF_TRANSITIONS, TASK_STAFF, is_legal_transition
from associate_app.domain.vocabulary import Outcome, Role, TaskStatus
from hq.db import Tx
from hq.mutations.base import APPLIED, MERGED, Author, Rejected, Result
from hq.mutations.common import document, require_role, require_store, resolve_member
from hq.mutations.payload import Fields
from hq.timeutil import iso

_CLOSED = {
    TaskStatus.CANCELLED: ("task_cancelled", "HQ cancelled this task"),
    TaskStatus.EXPIRED: ("task_expired", "this task has expired"),
    TaskStatus.DONE: ("task_done", "this task is already done"),
}


def store_task(tx: Tx, author: Author, task_id: int) -> dict[str, Any]:
    """The task (id, store, status, assignee) if it is the author's store's; else unknown or not yours."""
    rows = tx.dicts("SELECT id, store_code, status, assignee_id FROM tasks WHERE id = ?", (task_id,))
    if not rows:
        raise Rejected("unknown_task", f"HQ has no task {task_id}")
    require_store(author, rows[0]["store_code"])
    return rows[0]


def refuse_closed(task: dict[str, Any], current: Any, *, done_too: bool) -> None:
    status = TaskStatus(task["status"])
    if status in _CLOSED and (done_too or status != TaskStatus.DONE):
        reason, message = _CLOSED[status]
        raise Rejected(reason, message, current=current)


def _require_assignee(author: Author, assignee: str | None, what: str, current: Any) -> None:
    if author.role == Role.ADVISOR and assignee not in (None, author.staff_id):
        raise Rejected("not_assignee", f"this {what} is assigned to advisor {assignee}", current=current)


def set_status(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    require_role(author, TASK_STAFF, "change a task's status")
    fields = Fields(payload)
    task_id, wanted = fields.integer("task_id"), TaskStatus(fields.choice("status", TaskStatus))
    fields.instant("at", now)
    task = store_task(tx, author, task_id)
    current, doc = TaskStatus(task["status"]), document(tx, "task", task_id)
    refuse_closed(task, doc, done_too=False)
    if wanted == current:
        return Result(APPLIED, f"the task was already {current}")
    if not is_legal_transition(current, wanted):
        raise Rejected("illegal_transition", f"a {current} task cannot become {wanted}", current=doc)
    if (current, wanted) not in STAFF_TRANSITIONS:
        raise Rejected("not_permitted", f"only HQ can make a task {wanted}", current=doc)
    _require_assignee(author, task["assignee_id"], "task", doc)
    tx.execute("UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?", (str(wanted), iso(now), task_id))
    tx.touch("task", task_id)
    return Result(APPLIED, f"the task is now {wanted}")


def target_on_open_task(tx: Tx, author: Author, task_id: int, member_ref: Any, columns: str
                        ) -> tuple[dict[str, Any], Any, str, Callable[[], dict[str, Any]], tuple]:
    """A member's target on a task of the author's store that is not cancelled, expired or done:
    (task, member, feed key, HQ's current state for an answer, the target's ``columns``). Refuses
    ``unknown_task``, ``not_your_store``, a closed task and ``not_a_target``, as every target kind must."""
    member = resolve_member(tx, author, member_ref)
    task = store_task(tx, author, task_id)
    key = f"{task_id}:{member.id}"

    def current() -> dict[str, Any]:
        return {"task": document(tx, "task", task_id), "target": document(tx, "task_target", key)}

    refuse_closed(task, current(), done_too=True)
    target = tx.one(f"SELECT {columns} FROM task_targets WHERE task_id = ? AND member_id = ?", (task_id, member.id))
    if target is None:
        raise Rejected("not_a_target", f"member {member.id} is not a target of task {task_id}", member_id=member.id)
    return task, member, key, current, target


def record_outcome(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    require_role(author, TASK_STAFF, "record a task outcome")
    fields = Fields(payload)
    task_id, result = fields.integer("task_id"), fields.choice("outcome", Outcome)
    note, at = (None if payload.get("note") is None else fields.note("note")), fields.instant("at", now)
    task, member, key, current, target = target_on_open_task(tx, author, task_id, fields.member(),
                                                              "advisor_id, outcome_at")
    _require_assignee(author, target[0], "target", current())
    if target[1] is not None and target[1] > at:
        return Result(MERGED, "a later outcome for this member is already on HQ; kept it", "superseded",
                      current(), member.id)
    tx.execute("UPDATE task_targets SET outcome = ?, outcome_at = ?, outcome_by = ?, note = coalesce(?, note)"
               " WHERE task_id = ? AND member_id = ?", (result, at, author.staff_id, note, task_id, member.id))
    if task["status"] == TaskStatus.PENDING:  # the first outcome starts the task, as on the device
        tx.execute("UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?",
                   (str(TaskStatus.IN_PROGRESS), iso(now), task_id))
        tx.touch("task", task_id)
    tx.touch("task_target", key)
    return Result(APPLIED, f"outcome {result} recorded", member_id=member.id)
