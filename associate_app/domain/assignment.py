"""The store manager's reassignment: a member, or one task target, to another advisor of the store.

Why: the manager sees on the dashboard who is overloaded or away and moves the work; the advisors'
devices learn it by sync, and HQ checks it again (manager only, an active advisor of the member's
store, last writer wins by ``at``). A member's *open* targets of *live* tasks follow them, as they do
when HQ reassigns (hq/admin/members.py), so the new advisor also has the calls to make; finished
targets keep who worked them, which is why a closed target cannot be reassigned on its own either.

``move_member`` and ``move_target`` are the local effect alone (no checks, no outbox): the sync
engine lays still-queued reassignments back on top of pulled data with the very same statements.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from associate_app.clock import utc_now_iso
from associate_app.domain.actor import Actor
from associate_app.domain.common import member_ref, require_member
from associate_app.domain.progress import live_task_sql, open_target_sql
from associate_app.domain.tasks import FINAL_STATUSES, require_target, require_task
from associate_app.domain.validation import whole_number
from associate_app.domain.vocabulary import CLOSING_OUTCOMES, MutationKind, Role, TaskStatus
from associate_app.errors import NotAnAdvisor, TargetClosed, TaskClosed
from associate_app.store.database import Store
from associate_app.store.outbox import enqueue

_ACTION = "reassign members or task targets"
_ADVISORS_SQL = (
    "SELECT s.id, s.name, (SELECT count(*) FROM members m WHERE m.advisor_id = s.id) AS members "
    "FROM staff s WHERE s.role = ? AND s.active = 1 AND s.store_code = ?"
)


@dataclass(frozen=True)
class StoreAdvisor:
    """An advisor a manager may hand work to, with how many members they hold now."""

    id: str
    name: str
    members: int


@dataclass(frozen=True)
class Reassignment:
    """What one reassignment did; ``changed`` is False (nothing written or queued) when the member or
    target already had that advisor."""

    member_id: int
    task_id: int | None  # None: the member themselves; else the one target (task_id, member_id)
    previous_advisor_id: str | None
    advisor_id: str
    changed: bool
    targets_moved: tuple[int, ...] = ()  # tasks whose open target followed the member
    at: str | None = None
    mutation_id: str | None = None


def store_advisors(store: Store, actor: Actor) -> list[StoreAdvisor]:
    """The store's active advisors by staff number: whom a member or target may be given to."""
    actor.require(Role.MANAGER, action=_ACTION)
    rows = store.all(_ADVISORS_SQL + " ORDER BY s.id", (str(Role.ADVISOR), actor.store_code))
    return [StoreAdvisor(r["id"], r["name"], r["members"]) for r in rows]


def reassign_member(store: Store, actor: Actor, member_id: int, advisor_id: str) -> Reassignment:
    """Give the member (and their open targets of live tasks) to ``advisor_id``, queued for HQ."""
    actor.require(Role.MANAGER, action=_ACTION)
    whole_number(member_id, "member_id")
    with store.write():  # read under the write lock: a sync may move or deactivate people meanwhile
        member = require_member(store, member_id)
        _require_advisor(store, actor, advisor_id)
        previous = member["advisor_id"]
        if previous == advisor_id:
            return Reassignment(member["id"], None, previous, advisor_id, changed=False)
        at = utc_now_iso()
        moved = move_member(store.conn, member["id"], advisor_id)
        mutation_id = enqueue(store, MutationKind.MEMBER_REASSIGN,
                              {"member": member_ref(member), "advisor_id": advisor_id, "at": at}, actor.staff_id)
    return Reassignment(member["id"], None, previous, advisor_id, True, moved, at, mutation_id)


def reassign_target(store: Store, actor: Actor, task_id: int, member_id: int, advisor_id: str) -> Reassignment:
    """Give one open target of a live task to ``advisor_id`` (the member's own advisor stays), queued for HQ."""
    actor.require(Role.MANAGER, action=_ACTION)
    whole_number(task_id, "task_id")
    whole_number(member_id, "member_id")
    with store.write():
        task = require_task(store, task_id)
        status = TaskStatus(task["status"])
        if status in FINAL_STATUSES:
            raise TaskClosed(f"Task {task_id} is {status}: its targets can no longer be reassigned.",
                             task_id=task_id, status=str(status))
        target = require_target(store, task_id, member_id)
        if target["outcome"] in CLOSING_OUTCOMES:
            raise TargetClosed(f"Member {member_id} of task {task_id} was already worked ({target['outcome']}).",
                               task_id=task_id, member_id=member_id, outcome=target["outcome"])
        member = require_member(store, member_id)
        _require_advisor(store, actor, advisor_id)
        previous = target["advisor_id"]
        if previous == advisor_id:
            return Reassignment(member_id, task_id, previous, advisor_id, changed=False)
        at = utc_now_iso()
        move_target(store.conn, task_id, member_id, advisor_id)
        mutation_id = enqueue(store, MutationKind.TARGET_REASSIGN,
                              {"task_id": task_id, "member": member_ref(member), "advisor_id": advisor_id, "at": at},
                              actor.staff_id)
    return Reassignment(member_id, task_id, previous, advisor_id, True, (), at, mutation_id)


def _require_advisor(store: Store, actor: Actor, advisor_id: str) -> None:
    """NotAnAdvisor unless ``advisor_id`` is an active advisor of the actor's store (writes nothing)."""
    if not isinstance(advisor_id, str) or store.one(_ADVISORS_SQL + " AND s.id = ?",
                                                    (str(Role.ADVISOR), actor.store_code, advisor_id)) is None:
        raise NotAnAdvisor(f"{advisor_id!r} is not an active advisor of store {actor.store_code}.",
                           advisor_id=advisor_id, store_code=actor.store_code)


def move_member(conn: sqlite3.Connection, member_id: int, advisor_id: str) -> tuple[int, ...]:
    """The member, and their open targets of live tasks, to ``advisor_id``; returns the tasks moved."""
    conn.execute("UPDATE members SET advisor_id = ? WHERE id = ?", (advisor_id, member_id))
    tasks = tuple(r[0] for r in conn.execute(
        "SELECT tt.task_id FROM task_targets tt JOIN tasks t ON t.id = tt.task_id WHERE tt.member_id = ? "
        f"AND tt.advisor_id IS NOT ? AND {live_task_sql()} AND {open_target_sql()} ORDER BY tt.task_id",
        (member_id, advisor_id)))
    conn.executemany("UPDATE task_targets SET advisor_id = ? WHERE task_id = ? AND member_id = ?",
                     [(advisor_id, task, member_id) for task in tasks])
    return tasks


def move_target(conn: sqlite3.Connection, task_id: int, member_id: int, advisor_id: str) -> None:
    """One target to ``advisor_id``."""
    conn.execute("UPDATE task_targets SET advisor_id = ? WHERE task_id = ? AND member_id = ?",
                 (advisor_id, task_id, member_id))
