"""The push-task lists: the tasks an advisor works on with their progress, and one task's targets.

Progress is counted with progress.TARGET_COUNTS_SQL in the same query that lists the tasks (one LEFT
JOIN, grouped by task), so the list costs one query however many tasks HQ has pushed. An advisor sees
the tasks assigned to them or the whole store, and the targets they may work: their own and the unassigned
ones (the same set tasks.next_open_target walks and record_outcome accepts); a manager sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.privacy import visible_phone
from associate_app.domain.profile import ChildAge, children_of
from associate_app.domain.progress import LIVE_TASK_STATUSES, TARGET_COUNTS_SQL, TargetCounts, live_task_sql
from associate_app.domain.tasks import TASK_STAFF
from associate_app.domain.validation import whole_number
from associate_app.domain.vocabulary import Role
from associate_app.errors import UnknownTask
from associate_app.store.database import Store


@dataclass(frozen=True)
class TaskSummary:
    id: int
    title: str
    kind: str
    status: str
    priority: int
    start_date: str | None
    due_date: str | None
    overdue: bool
    assignee_id: str | None
    script: str  # 话术 with the store's and the actor's names filled in
    progress: TargetCounts  # of the targets the advisor may work (a manager: all targets)


def task_rows(store: Store, advisor_id: str | None) -> list[dict]:
    """Tasks with target counts: an advisor's tasks and own targets, or (None) every task and target.

    Open tasks come first, by priority then due date.
    """
    mine = "AND (tt.advisor_id = :me OR tt.advisor_id IS NULL)" if advisor_id else ""
    scope = ("WHERE t.assignee_id IS NULL OR t.assignee_id = :me OR EXISTS "
             "(SELECT 1 FROM task_targets x WHERE x.advisor_id = :me AND x.task_id = t.id)") if advisor_id else ""
    rows = store.all(
        "SELECT t.id, t.title, t.kind, t.status, t.priority, t.start_date, t.due_date, t.assignee_id, t.script, "
        f"{TARGET_COUNTS_SQL} FROM tasks t LEFT JOIN task_targets tt ON tt.task_id = t.id {mine} {scope} "
        f"GROUP BY t.id ORDER BY NOT ({live_task_sql()}), t.priority, t.due_date IS NULL, t.due_date, t.id",
        {"me": advisor_id},
    )
    today = clock.today().isoformat()
    for row in rows:
        row["overdue"] = bool(row["due_date"] and row["due_date"] < today and row["status"] in LIVE_TASK_STATUSES)
        row["progress"] = TargetCounts.from_row(row)
    return rows


def my_tasks(store: Store, actor: Actor) -> list[TaskSummary]:
    """The push-tasks the actor works on, with progress over their own targets."""
    actor.require(*TASK_STAFF, action="see push-tasks")
    rows = task_rows(store, actor.staff_id if actor.role == Role.ADVISOR else None)
    store_name = store.get_state("store_name", "") or ""
    staff_name = store.scalar("SELECT name FROM staff WHERE id = ?", (actor.staff_id,)) or ""
    fields = ("id", "title", "kind", "status", "priority", "start_date", "due_date", "overdue", "assignee_id",
              "progress")
    return [
        TaskSummary(**{k: r[k] for k in fields},
                    script=r["script"].replace("{store}", store_name).replace("{advisor}", staff_name))
        for r in rows
    ]


@dataclass(frozen=True)
class TargetRow:
    member_id: int
    name: str
    phone: str | None
    level: str
    is_lead: bool
    advisor_id: str | None
    outcome: str | None
    outcome_at: str | None
    note: str | None
    sort_order: int
    children: tuple[ChildAge, ...]


def task_targets(store: Store, actor: Actor, task_id: int) -> list[TargetRow]:
    """The actor's targets of one task (a manager: all of them) in HQ's order."""
    actor.require(*TASK_STAFF, action="see task targets")
    whole_number(task_id, "task id")
    if store.scalar("SELECT 1 FROM tasks WHERE id = ?", (task_id,)) is None:
        raise UnknownTask(f"No push-task with id {task_id}.", task_id=task_id)
    mine, params = "", [task_id]
    if actor.role == Role.ADVISOR:  # their own targets and the unassigned ones
        mine, params = "AND (tt.advisor_id = ? OR tt.advisor_id IS NULL)", [task_id, actor.staff_id]
    rows = store.all(
        "SELECT tt.member_id, m.name, m.phone, m.level, m.is_lead, tt.advisor_id, tt.outcome, tt.outcome_at, "
        "tt.note, tt.sort_order FROM task_targets tt JOIN members m ON m.id = tt.member_id "
        f"WHERE tt.task_id = ? {mine} ORDER BY tt.sort_order, tt.member_id",
        params,
    )
    children = children_of(store, [r["member_id"] for r in rows], clock.today())
    return [
        TargetRow(**{**r, "phone": visible_phone(actor, r["phone"]), "is_lead": bool(r["is_lead"]),
                     "children": children[r["member_id"]]})
        for r in rows
    ]
