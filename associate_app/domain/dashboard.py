"""The store manager's view: did the store's people actually reach the members HQ asked them to?

Everything is derived from the local tables at the moment of asking (members, task_targets, tasks,
interactions), so the figures always agree with what advisors see in their own lists. Only managers
may look: an advisor's numbers are a management matter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.progress import NO_TARGETS, TARGET_COUNTS_SQL, TargetCounts
from associate_app.domain.task_lists import task_rows
from associate_app.domain.vocabulary import Role, TaskStatus
from associate_app.store.database import Store


@dataclass(frozen=True)
class AdvisorCompletion:
    advisor_id: str
    name: str
    active: bool
    members: int  # members assigned to the advisor
    targets: TargetCounts  # over tasks that were not cancelled
    contacts_this_week: int  # interactions logged since Monday 00:00 (store time)
    overdue_follow_ups: int  # own members whose follow-up date has passed

    @property
    def completion_rate(self) -> float | None:
        return self.targets.completion_rate

    @property
    def conversion_rate(self) -> float | None:
        return self.targets.conversion_rate


@dataclass(frozen=True)
class TaskCompletion:
    task_id: int
    title: str
    kind: str
    status: str
    priority: int
    due_date: str | None
    overdue: bool
    targets: TargetCounts  # open, contacted, converted, declined…


def week_start(today: dt.date) -> str:
    """Monday 00:00 of ``today``'s week in store time, as the UTC instant interactions are stamped with."""
    monday = today - dt.timedelta(days=today.weekday())
    return clock.to_iso(dt.datetime.combine(monday, dt.time()).astimezone())


def store_completion(store: Store, actor: Actor) -> list[AdvisorCompletion]:
    """One row per advisor of the store, by staff number; every figure is an indexed count."""
    actor.require(Role.MANAGER, action="see the store's completion figures")
    today = clock.today()
    advisors = store.all(
        "SELECT s.id, s.name, s.active, "
        "(SELECT count(*) FROM members m WHERE m.advisor_id = s.id) AS members, "
        "(SELECT count(*) FROM interactions i WHERE i.staff_id = s.id AND i.occurred_at >= :monday) AS contacts, "
        "(SELECT count(*) FROM members m WHERE m.advisor_id = s.id AND m.next_follow_up < :today) AS overdue "
        "FROM staff s WHERE s.role = :role ORDER BY s.id",
        {"monday": week_start(today), "today": today.isoformat(), "role": str(Role.ADVISOR)},
    )
    targets = {
        row["advisor_id"]: TargetCounts.from_row(row)
        for row in store.all(
            f"SELECT tt.advisor_id, {TARGET_COUNTS_SQL} FROM task_targets tt JOIN tasks t ON t.id = tt.task_id "
            "WHERE t.status <> ? GROUP BY tt.advisor_id",
            (str(TaskStatus.CANCELLED),),
        )
    }
    return [
        AdvisorCompletion(a["id"], a["name"], bool(a["active"]), a["members"], targets.get(a["id"], NO_TARGETS),
                          a["contacts"], a["overdue"])
        for a in advisors
    ]


def task_completion(store: Store, actor: Actor) -> list[TaskCompletion]:
    """Every push-task with its targets' progress, open tasks first by priority then due date."""
    actor.require(Role.MANAGER, action="see the store's completion figures")
    return [
        TaskCompletion(r["id"], r["title"], r["kind"], r["status"], r["priority"], r["due_date"], r["overdue"],
                       r["progress"])
        for r in task_rows(store, None)
    ]
