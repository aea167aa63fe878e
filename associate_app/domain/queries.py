"""The advisor's member lists: "my members" (filtered, sorted, paged) and follow-ups due.

Why it is written this way: a big store holds 200,000 members and 1.6 million member-tag rows, and the
UI pages through the list. Every filter is an EXISTS probe on an index (member_tags, children,
task_targets), never a join that multiplies rows, and the default order (name) walks an index so the
first page costs the same on any store. Scope is by role: an advisor sees their own members, a manager
the whole store (the local cache holds one store), a cashier none of these lists. Sort keys come from
a whitelist; nothing a user types is ever put into SQL text. The push-task lists are in task_lists.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.corrections import DUE_DATE_PAST_DAYS
from associate_app.domain.privacy import visible_phone
from associate_app.domain.profile import ChildAge, children_of, months_before
from associate_app.domain.progress import live_task_sql, open_target_sql
from associate_app.domain.validation import parse_choice, whole_number
from associate_app.domain.vocabulary import ChildAgeBand, Level, Lifecycle, Role
from associate_app.errors import InvalidInput, UnknownTag
from associate_app.store.database import Store

MAX_PAGE = 500
_LEVEL_RANK = "CASE m.level " + " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(Level)) + " END"
_LIFECYCLE_RANK = "CASE m.lifecycle " + " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(Lifecycle)) + " END"
# sort key -> (SQL expression, may be NULL); levels and stages sort in their business order, not alphabetically,
# and names by pinyin (members.name_sort, indexed with and without advisor_id) as Chinese lists do
ORDER_BY: dict[str, tuple[str, bool]] = {
    "name": ("m.name_sort", False),
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
        for name, vocabulary in (("level", Level), ("lifecycle", Lifecycle), ("child_age_band", ChildAgeBand)):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, parse_choice(vocabulary, value, field=name.replace("_", " ")))


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
        if flt.child_age_band == ChildAgeBand.PREGNANT:  # a due date long past is a birth HQ never heard of
            child = "c.due_date >= ? AND c.birthday IS NULL"
            params.append((today - dt.timedelta(days=DUE_DATE_PAST_DAYS)).isoformat())
        else:
            low, high = _BANDS[flt.child_age_band]
            child = "c.birthday <= ?" + (" AND c.birthday > ?" if high is not None else "")
            params += [months_before(today, months).isoformat() for months in (low, high) if months is not None]
        where.append(f"m.id IN (SELECT c.member_id FROM children c WHERE {child})" if drive and not flt.tag_ids
                     else f"EXISTS (SELECT 1 FROM children c WHERE c.member_id = m.id AND {child})")
    if flt.has_open_task:
        where.append("EXISTS (SELECT 1 FROM task_targets tt JOIN tasks t ON t.id = tt.task_id "
                     f"WHERE tt.member_id = m.id AND {open_target_sql()} AND {live_task_sql()})")
    if flt.follow_up_due:
        where.append("m.next_follow_up <= ?")
        params.append(today.isoformat())
    return " AND ".join(where), params


def _order_clause(order_by: str, descending: bool) -> str:
    if order_by not in ORDER_BY:
        raise InvalidInput(f"Cannot sort members by “{order_by}”.", field="order_by", value=str(order_by),
                           allowed=sorted(ORDER_BY))
    key, nullable = ORDER_BY[order_by]
    direction = "DESC" if descending else "ASC"
    return (f"{key} IS NULL, " if nullable else "") + f"{key} {direction}, m.id {direction}"  # NULLs last


_ROW_COLUMNS = ("m.id, m.name, m.phone, m.level, m.points, m.lifecycle, m.rfm_segment, m.next_follow_up, "
                "m.last_purchase_at, m.is_lead")


def _member_rows(store: Store, actor: Actor, rows: list[dict]) -> list[MemberRow]:
    children = children_of(store, [r["id"] for r in rows], clock.today())
    return [
        MemberRow(**{**r, "phone": visible_phone(actor, r["phone"]), "is_lead": bool(r["is_lead"]),
                     "children": children[r["id"]]})
        for r in rows
    ]


def my_members(store: Store, actor: Actor, flt: MemberFilter | None = None, *, order_by: str = "name",
               descending: bool = False, limit: int = 100, offset: int = 0) -> list[MemberRow]:
    """One page of the actor's members; pages of one sort never overlap (ties break on the member id)."""
    _require_reader(actor, "list members")
    order = _order_clause(order_by, descending)
    whole_number(limit, "limit", 1, MAX_PAGE)
    whole_number(offset, "offset", 0)
    where, params = _member_where(store, actor, flt or MemberFilter())
    rows = store.all(f"SELECT {_ROW_COLUMNS} FROM members m WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                     [*params, limit, offset])
    return _member_rows(store, actor, rows)


def my_member_ids(store: Store, actor: Actor, flt: MemberFilter | None = None, *, order_by: str = "name",
                  descending: bool = False) -> list[int]:
    """Every member id ``my_members`` pages through, in its order: a windowed table keeps this list and
    reads any page by id, so a jump to row 150,000 costs one page, not an OFFSET walk of 150,000 rows."""
    _require_reader(actor, "list members")
    order = _order_clause(order_by, descending)
    where, params = _member_where(store, actor, flt or MemberFilter())
    return [row[0] for row in store.conn.execute(f"SELECT m.id FROM members m WHERE {where} ORDER BY {order}",
                                                 params)]


def members_by_ids(store: Store, actor: Actor, ids: list[int]) -> list[MemberRow]:
    """The rows of these members in the order given (ones deleted since are left out), scope enforced."""
    _require_reader(actor, "list members")
    if not ids:
        return []
    whole_number(len(ids), "ids", 1, MAX_PAGE)
    where, params = _member_where(store, actor, MemberFilter())
    rows = store.all(f"SELECT {_ROW_COLUMNS} FROM members m WHERE m.id IN ({', '.join('?' * len(ids))}) "
                     f"AND {where}", [*ids, *params])
    by_id = {r["id"]: r for r in rows}
    return _member_rows(store, actor, [by_id[i] for i in ids if i in by_id])


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
