"""The advisor's working lists: "my members" (filtered, sorted, paged), follow-ups due, push-tasks, targets.

Why it is written this way: a big store holds 200,000 members and 1.6 million member-tag rows, and the
UI pages through the list. Every filter is an EXISTS probe on an index (member_tags, children,
task_targets), never a join that multiplies rows, and the default order (name) walks an index so the
first page costs the same on any store. Scope is by role: an advisor sees their own members, a manager
the whole store (the local cache holds one store), a cashier none of these lists. Sort keys come from
a whitelist; nothing a user types is ever put into SQL text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.privacy import visible_phone
from associate_app.domain.profile import (
    LIVE_TASK_SQL,
    LIVE_TASK_STATUSES,
    OPEN_TARGET_SQL,
    ChildAge,
    children_of,
    months_before,
    sql_list,
)
from associate_app.domain.vocabulary import CLOSING_OUTCOMES, ChildAgeBand, Level, Lifecycle, Outcome, Role
from associate_app.errors import InvalidInput, UnknownTag, UnknownTask
from associate_app.store.database import Store

MAX_PAGE = 500
_LEVEL_RANK = "CASE m.level " + " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(Level)) + " END"
_LIFECYCLE_RANK = "CASE m.lifecycle " + " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(Lifecycle)) + " END"
# sort key -> (SQL expression, may be NULL); levels and stages sort in their business order, not alphabetically
ORDER_BY: dict[str, tuple[str, bool]] = {
    "name": ("m.name", False),
    "level": (_LEVEL_RANK, False),
    "points": ("m.points", False),
    "last_purchase_at": ("m.last_purchase_at", True),
    "next_follow_up": ("m.next_follow_up", True),
    "lifecycle": (_LIFECYCLE_RANK, True),
    "join_date": ("m.join_date", True),
}
# band -> (min months, max months); a child is in it when min <= age in months < max
_BANDS: dict[ChildAgeBand, tuple[int, int | None]] = {
    ChildAgeBand.M0_6: (0, 6), ChildAgeBand.M6_12: (6, 12), ChildAgeBand.Y1_3: (12, 36),
    ChildAgeBand.Y3_6: (36, 72), ChildAgeBand.Y6_PLUS: (72, None),
}
_REACHED = CLOSING_OUTCOMES - {Outcome.WRONG_NUMBER}
# Aggregates over task_targets ``tt`` (NULL-extended rows of a LEFT JOIN count as nothing).
TARGET_COUNTS_SQL = (
    "count(tt.member_id) AS total, "
    f"coalesce(sum(tt.outcome IN {sql_list(CLOSING_OUTCOMES)}), 0) AS closed, "
    f"coalesce(sum(tt.outcome IN {sql_list(_REACHED)}), 0) AS reached, "
    f"coalesce(sum(tt.outcome = '{Outcome.CONVERTED}'), 0) AS converted, "
    f"coalesce(sum(tt.outcome = '{Outcome.DECLINED}'), 0) AS declined"
)


def _enum(kind: type, value: object, what: str) -> object:
    try:
        return None if value is None else kind(value)
    except ValueError:
        raise InvalidInput(f"“{value}” is not a {what}.", field=what, value=str(value)) from None


@dataclass(frozen=True)
class MemberFilter:
    """What narrows "my members"; every criterion given must hold (tags: all of them)."""

    tag_ids: tuple[int, ...] = ()
    level: Level | None = None
    lifecycle: Lifecycle | None = None
    child_age_band: ChildAgeBand | None = None
    has_open_task: bool = False
    follow_up_due: bool = False
    text: str | None = None  # searched by the lookup, not here

    def __post_init__(self) -> None:
        ids = tuple(self.tag_ids)
        if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
            raise InvalidInput("Tag ids are whole numbers.", value=repr(self.tag_ids))
        object.__setattr__(self, "tag_ids", tuple(sorted(set(ids))))
        object.__setattr__(self, "level", _enum(Level, self.level, "level"))
        object.__setattr__(self, "lifecycle", _enum(Lifecycle, self.lifecycle, "lifecycle"))
        object.__setattr__(self, "child_age_band", _enum(ChildAgeBand, self.child_age_band, "child age band"))


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    phone: str | None
    level: str
    points: int
    lifecycle: str | None
    rfm_segment: str | None
    next_follow_up: str | None
    last_purchase_at: str | None
    is_lead: bool
    children: tuple[ChildAge, ...]


def _require_reader(actor: Actor, action: str) -> None:
    actor.require(Role.ADVISOR, Role.MANAGER, action=action)


def _whole_number(value: object, what: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` if it is an int within [low, high], else InvalidInput (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low) \
            or (high is not None and value > high):
        raise InvalidInput(f"{what} must be a whole number in [{low}, {high}], not {value!r}.", field=what,
                           value=repr(value))
    return value


_TAG_EXISTS = "EXISTS (SELECT 1 FROM member_tags mt WHERE mt.member_id = m.id AND mt.tag_id = ?)"
_TAG_IN = "m.id IN (SELECT mt.member_id FROM member_tags mt WHERE mt.tag_id = ?)"


def _member_where(store: Store, actor: Actor, flt: MemberFilter, *, count: bool = False) -> tuple[str, list]:
    """The WHERE clause of the actor's members under ``flt``; refuses unknown tags (a typo, not an empty list).

    Filters are EXISTS probes so a page walks the name index and stops after ``limit`` rows. Counting the
    whole store is the exception: with no indexed member column to start from, the first tag (or the
    child band) is written as an IN list so SQLite reads it from member_tags(tag_id) / children(birthday)
    instead of probing all 200,000 members.
    """
    if not isinstance(flt, MemberFilter):
        raise InvalidInput("The filter must be a MemberFilter.", value=type(flt).__name__)
    drive = count and actor.role == Role.MANAGER and not (flt.level or flt.lifecycle or flt.follow_up_due)
    where, params = ["1"], []
    if actor.role == Role.ADVISOR:
        where.append("m.advisor_id = ?")
        params.append(actor.staff_id)
    if flt.tag_ids:
        known = store.scalar(f"SELECT count(*) FROM tags WHERE id IN ({', '.join('?' * len(flt.tag_ids))})",
                             flt.tag_ids)
        if known != len(flt.tag_ids):
            raise UnknownTag("One of the filter's tags does not exist.", tag_ids=list(flt.tag_ids))
    for n, tag_id in enumerate(flt.tag_ids):
        where.append(_TAG_IN if drive and n == 0 else _TAG_EXISTS)
        params.append(tag_id)
    for column, value in (("level", flt.level), ("lifecycle", flt.lifecycle)):
        if value:
            where.append(f"m.{column} = ?")
            params.append(str(value))
    today = clock.today()
    if flt.child_age_band:
        if flt.child_age_band == ChildAgeBand.PREGNANT:
            child = "c.due_date IS NOT NULL AND c.birthday IS NULL"
        else:
            low, high = _BANDS[flt.child_age_band]
            child = "c.birthday <= ?" + (" AND c.birthday > ?" if high is not None else "")
            params += [months_before(today, months).isoformat() for months in (low, high) if months is not None]
        where.append(f"m.id IN (SELECT c.member_id FROM children c WHERE {child})" if drive and not flt.tag_ids
                     else f"EXISTS (SELECT 1 FROM children c WHERE c.member_id = m.id AND {child})")
    if flt.has_open_task:
        where.append("EXISTS (SELECT 1 FROM task_targets tt JOIN tasks t ON t.id = tt.task_id "
                     f"WHERE tt.member_id = m.id AND {OPEN_TARGET_SQL} AND {LIVE_TASK_SQL})")
    if flt.follow_up_due:
        where.append("m.next_follow_up <= ?")
        params.append(today.isoformat())
    return " AND ".join(where), params


def my_members(store: Store, actor: Actor, flt: MemberFilter | None = None, *, order_by: str = "name",
               descending: bool = False, limit: int = 100, offset: int = 0) -> list[MemberRow]:
    """One page of the actor's members; pages of one sort never overlap (ties break on the member id)."""
    _require_reader(actor, "list members")
    if order_by not in ORDER_BY:
        raise InvalidInput(f"Cannot sort members by “{order_by}”.", field="order_by", value=str(order_by),
                           allowed=sorted(ORDER_BY))
    _whole_number(limit, "limit", 1, MAX_PAGE)
    _whole_number(offset, "offset", 0)
    where, params = _member_where(store, actor, flt or MemberFilter())
    key, nullable = ORDER_BY[order_by]
    direction = "DESC" if descending else "ASC"
    order = (f"{key} IS NULL, " if nullable else "") + f"{key} {direction}, m.id {direction}"  # NULLs last
    rows = store.all(
        "SELECT m.id, m.name, m.phone, m.level, m.points, m.lifecycle, m.rfm_segment, m.next_follow_up, "
        f"m.last_purchase_at, m.is_lead FROM members m WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    children = children_of(store, [r["id"] for r in rows], clock.today())
    return [
        MemberRow(**{**r, "phone": visible_phone(actor, r["phone"]), "is_lead": bool(r["is_lead"]),
                     "children": children[r["id"]]})
        for r in rows
    ]


def count_my_members(store: Store, actor: Actor, flt: MemberFilter | None = None) -> int:
    """How many members ``my_members`` would page through (the table's row count)."""
    _require_reader(actor, "count members")
    where, params = _member_where(store, actor, flt or MemberFilter(), count=True)
    return int(store.scalar(f"SELECT count(*) FROM members m WHERE {where}", params))


# ------------------------------------------------------------------------------------------ follow-ups
@dataclass(frozen=True)
class FollowUpRow:
    member_id: int
    name: str
    phone: str | None
    level: str
    due: str
    days_overdue: int
    last_contact_at: str | None
    last_note: str | None  # what the last contact was about


@dataclass(frozen=True)
class FollowUps:
    today: list[FollowUpRow]
    overdue: list[FollowUpRow]  # most overdue first


def follow_ups(store: Store, actor: Actor) -> FollowUps:
    """Members whose follow-up date is today or already past (walks the partial index members_follow_up)."""
    _require_reader(actor, "see follow-ups")
    today = clock.today()
    scope, params = ("m.advisor_id = ? AND ", [actor.staff_id]) if actor.role == Role.ADVISOR else ("", [])
    rows = store.all(
        "SELECT m.id, m.name, m.phone, m.level, m.next_follow_up, m.last_contact_at, "
        "(SELECT i.note FROM interactions i WHERE i.member_id = m.id ORDER BY i.occurred_at DESC LIMIT 1) AS note "
        f"FROM members m WHERE {scope}m.next_follow_up IS NOT NULL AND m.next_follow_up <= ? "
        "ORDER BY m.next_follow_up, m.name, m.id",
        [*params, today.isoformat()],
    )
    result = FollowUps(today=[], overdue=[])
    for r in rows:
        late = (today - dt.date.fromisoformat(r["next_follow_up"])).days
        row = FollowUpRow(r["id"], r["name"], visible_phone(actor, r["phone"]), r["level"], r["next_follow_up"],
                          late, r["last_contact_at"], r["note"])
        (result.overdue if late > 0 else result.today).append(row)
    return result


# ------------------------------------------------------------------------------------------- push-tasks
@dataclass(frozen=True)
class TargetCounts:
    """Targets by state: open = not yet contacted or not reachable; closed = finished with any outcome."""

    total: int
    closed: int
    reached: int  # actually spoke to the member (closed, except wrong numbers)
    converted: int
    declined: int

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def completion_rate(self) -> float | None:
        return self.closed / self.total if self.total else None

    @property
    def conversion_rate(self) -> float | None:
        """Converted share of all targets (the campaign's 转化率), None when there are none."""
        return self.converted / self.total if self.total else None

    @classmethod
    def from_row(cls, row: dict) -> TargetCounts:
        return cls(*(int(row[k]) for k in ("total", "closed", "reached", "converted", "declined")))


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
    progress: TargetCounts  # of the advisor's own targets (a manager: all targets)


def task_rows(store: Store, advisor_id: str | None) -> list[dict]:
    """Tasks with target counts: an advisor's tasks and own targets, or (None) every task and target.

    Open tasks come first, by priority then due date.
    """
    mine = "AND tt.advisor_id = :me" if advisor_id else ""
    scope = ("WHERE t.assignee_id IS NULL OR t.assignee_id = :me OR EXISTS "
             "(SELECT 1 FROM task_targets x WHERE x.advisor_id = :me AND x.task_id = t.id)") if advisor_id else ""
    rows = store.all(
        "SELECT t.id, t.title, t.kind, t.status, t.priority, t.start_date, t.due_date, t.assignee_id, t.script, "
        f"{TARGET_COUNTS_SQL} FROM tasks t LEFT JOIN task_targets tt ON tt.task_id = t.id {mine} {scope} "
        f"GROUP BY t.id ORDER BY NOT ({LIVE_TASK_SQL}), t.priority, t.due_date IS NULL, t.due_date, t.id",
        {"me": advisor_id},
    )
    today = clock.today().isoformat()
    for row in rows:
        row["overdue"] = bool(row["due_date"] and row["due_date"] < today and row["status"] in LIVE_TASK_STATUSES)
        row["progress"] = TargetCounts.from_row(row)
    return rows


def my_tasks(store: Store, actor: Actor) -> list[TaskSummary]:
    """The push-tasks the actor works on, with progress over their own targets."""
    _require_reader(actor, "see push-tasks")
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
    _require_reader(actor, "see task targets")
    _whole_number(task_id, "task id")
    if store.scalar("SELECT 1 FROM tasks WHERE id = ?", (task_id,)) is None:
        raise UnknownTask(f"No push-task with id {task_id}.", task_id=task_id)
    mine, params = ("AND tt.advisor_id = ?", [task_id, actor.staff_id]) if actor.role == Role.ADVISOR \
        else ("", [task_id])
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
