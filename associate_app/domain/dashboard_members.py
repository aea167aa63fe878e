"""The members behind a dashboard figure: every number the manager sees opens on the rows it counts.

Each measure is the same definition the figure was counted with (progress.py's open/closed/spoken-to
rules, dashboard.py's week and overdue rules), so a drill-down always lists exactly as many rows as the
number said. A task's figure counts all its targets; an advisor's target figures leave out cancelled
tasks, as ``store_completion`` does. "Contacts this week" counts contacts, so it lists one row per
contact (a member called twice shows twice).
"""

from __future__ import annotations

from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.dashboard import week_start
from associate_app.domain.privacy import visible_phone
from associate_app.domain.progress import SPOKEN_TO_OUTCOMES, open_target_sql, sql_list
from associate_app.domain.validation import whole_number
from associate_app.domain.vocabulary import Outcome, Role, TaskStatus
from associate_app.errors import InvalidInput
from associate_app.store.database import Store

# measure -> which task targets it counts (over task_targets ``tt``)
TARGET_MEASURES: dict[str, str] = {
    "total": "1",
    "open": open_target_sql(),
    "closed": f"NOT {open_target_sql()}",
    "contacted": f"tt.outcome IN {sql_list(SPOKEN_TO_OUTCOMES)}",
    **{str(o): f"tt.outcome = '{o}'" for o in Outcome},
}
# measures of an advisor's own members and contacts (not of task targets)
MEMBER_MEASURES = frozenset({"members", "contacts_this_week", "overdue_follow_ups"})
MEASURES = frozenset(TARGET_MEASURES) | MEMBER_MEASURES

_COLUMNS = ("m.id AS member_id, m.name, m.phone, m.level, m.is_lead, "
            "coalesce(s.name, '') AS advisor_name")


@dataclass(frozen=True)
class BehindRow:
    """One member (or one contact) behind a figure."""

    member_id: int
    name: str
    phone: str | None
    level: str
    is_lead: bool
    advisor_id: str | None  # who has it: the target's advisor for a target, else the member's advisor
    advisor_name: str
    task_id: int | None  # set for a task target (reassigning it moves the target), else None (the member)
    detail: str | None  # the target's outcome code, or the contact's type code
    when: str | None  # outcome_at, the contact's time, the follow-up date, or the last contact
    note: str | None


def members_behind(store: Store, actor: Actor, measure: str, *, task_id: int | None = None,
                   advisor_id: str | None = None) -> list[BehindRow]:
    """The rows one dashboard figure counts: a task's or an advisor's (or one advisor's share of a task)."""
    actor.require(Role.MANAGER, action="see the store's completion figures")
    if measure not in MEASURES:
        raise InvalidInput(f"Unknown dashboard measure {measure!r}.", field="measure")
    if task_id is not None:
        whole_number(task_id, "task id")
    if measure in MEMBER_MEASURES:
        if advisor_id is None:
            raise InvalidInput(f"The measure {measure!r} belongs to an advisor.", field="advisor_id")
        return _member_rows(store, actor, measure, advisor_id)
    if task_id is None and advisor_id is None:
        raise InvalidInput("A target measure needs a task or an advisor.", field="task_id")
    return _target_rows(store, actor, measure, task_id, advisor_id)


def _target_rows(store: Store, actor: Actor, measure: str, task_id: int | None,
                 advisor_id: str | None) -> list[BehindRow]:
    where, params = [TARGET_MEASURES[measure]], {"task": task_id, "advisor": advisor_id,
                                                 "cancelled": str(TaskStatus.CANCELLED)}
    if task_id is not None:
        where.append("tt.task_id = :task")
    else:
        where.append("t.status <> :cancelled")  # an advisor's figures leave cancelled tasks out
    if advisor_id is not None:
        where.append("tt.advisor_id = :advisor")
    rows = store.all(
        f"SELECT {_COLUMNS}, tt.advisor_id, tt.task_id, tt.outcome AS detail, tt.outcome_at AS \"when\", tt.note "
        "FROM task_targets tt JOIN tasks t ON t.id = tt.task_id JOIN members m ON m.id = tt.member_id "
        "LEFT JOIN staff s ON s.id = tt.advisor_id "
        f"WHERE {' AND '.join(where)} ORDER BY t.id, tt.sort_order, tt.member_id", params)
    return [_row(actor, r) for r in rows]


def _member_rows(store: Store, actor: Actor, measure: str, advisor_id: str) -> list[BehindRow]:
    params = {"advisor": advisor_id, "today": clock.today().isoformat(), "monday": week_start(clock.today())}
    plain = f"SELECT {_COLUMNS}, m.advisor_id, NULL AS task_id, NULL AS note, "
    joined = "FROM members m LEFT JOIN staff s ON s.id = m.advisor_id "
    if measure == "members":
        sql = (plain + "NULL AS detail, m.last_contact_at AS \"when\" " + joined
               + "WHERE m.advisor_id = :advisor ORDER BY m.name_sort, m.id")
    elif measure == "overdue_follow_ups":
        sql = (plain + "NULL AS detail, m.next_follow_up AS \"when\" " + joined
               + "WHERE m.advisor_id = :advisor AND m.next_follow_up < :today ORDER BY m.next_follow_up, m.id")
    else:  # contacts_this_week: one row per contact the advisor logged since Monday 00:00
        sql = (f"SELECT {_COLUMNS}, m.advisor_id, NULL AS task_id, i.type AS detail, i.occurred_at AS \"when\", "
               "i.note FROM interactions i JOIN members m ON m.id = i.member_id "
               "LEFT JOIN staff s ON s.id = m.advisor_id "
               "WHERE i.staff_id = :advisor AND i.occurred_at >= :monday ORDER BY i.occurred_at DESC, i.id")
    return [_row(actor, r) for r in store.all(sql, params)]


def _row(actor: Actor, r: dict) -> BehindRow:
    return BehindRow(member_id=r["member_id"], name=r["name"], phone=visible_phone(actor, r["phone"]),
                     level=r["level"], is_lead=bool(r["is_lead"]), advisor_id=r["advisor_id"],
                     advisor_name=r["advisor_name"], task_id=r["task_id"], detail=r["detail"], when=r["when"],
                     note=r["note"] or None)
