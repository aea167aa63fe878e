"""The 360° member profile (会员画像): everything an advisor needs on one screen before a conversation.

Seven indexed look-ups, each keyed by the member id, so opening a profile stays instant on a 200,000
member store. A cashier gets the till's view: masked phone, no address, no contact history, no data
corrections and only the simple tag groups cashiers may pick. Children's ages are computed here, from
the birthday and the store's today, because HQ sends dates and the shop floor speaks in months.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor, may_apply_group
from associate_app.domain.common import is_own_member
from associate_app.domain.privacy import visible_phone
from associate_app.domain.progress import live_task_sql, open_target_sql
from associate_app.domain.validation import whole_number
from associate_app.domain.vocabulary import CorrectionStatus, Role, TagKind
from associate_app.errors import UnknownMember
from associate_app.store.database import Store

TIMELINE_LENGTH = 20


# ----------------------------------------------------------------------------------------------- ages
def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier, clamped to the month's end (31 Aug − 6 months = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_first = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_first - dt.timedelta(days=1)).day))


def age_months(birthday: dt.date, today: dt.date) -> int:
    """Completed months of age: the number the shop floor uses (宝宝月龄); never negative."""
    months = (today.year - birthday.year) * 12 + today.month - birthday.month - (today.day < birthday.day)
    return max(0, months)


def age_label(birthday: dt.date, today: dt.date) -> str:
    """Days in the first month, months until two, then years and months: 12天, 5个月, 2岁3个月."""
    months = age_months(birthday, today)
    if months == 0:
        return f"{max(0, (today - birthday).days)}天"
    if months < 24:
        return f"{months}个月"
    years, rest = divmod(months, 12)
    return f"{years}岁{rest}个月" if rest else f"{years}岁"


@dataclass(frozen=True)
class ChildAge:
    """A child as the UI shows it; ``months`` is None for an expected baby (then ``label`` is 预产期 …)."""

    child_id: int
    name: str | None
    gender: str | None
    birthday: str | None
    due_date: str | None
    months: int | None
    label: str


def child_age(row: dict, today: dt.date) -> ChildAge:
    months, label = None, ""
    try:
        if row["birthday"]:
            born = dt.date.fromisoformat(row["birthday"])
            months, label = age_months(born, today), age_label(born, today)
        elif row["due_date"]:
            label = f"预产期 {dt.date.fromisoformat(row['due_date']).isoformat()}"
    except ValueError:  # a malformed date from HQ shows as it is rather than breaking the screen
        label = row["birthday"] or row["due_date"] or ""
    return ChildAge(row["id"], row["name"], row["gender"], row["birthday"], row["due_date"], months, label)


def children_of(store: Store, member_ids: Iterable[int], today: dt.date) -> dict[int, tuple[ChildAge, ...]]:
    """Children of several members in one indexed query, youngest first (expected babies before born ones)."""
    ids = list(member_ids)
    found: dict[int, list[ChildAge]] = {}
    for start in range(0, len(ids), 500):  # well under SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        rows = store.all(
            f"SELECT id, member_id, name, gender, birthday, due_date FROM children "
            f"WHERE member_id IN ({', '.join('?' * len(chunk))}) "
            "ORDER BY member_id, birthday IS NOT NULL, birthday DESC, due_date, id",
            chunk,
        )
        for row in rows:
            found.setdefault(row["member_id"], []).append(child_age(row, today))
    return {member_id: tuple(found.get(member_id, ())) for member_id in ids}


# -------------------------------------------------------------------------------------------- profile
@dataclass(frozen=True)
class MemberHeader:
    id: int
    name: str
    level: str
    points: int
    phone: str | None
    gender: str | None
    birthday: str | None
    status: str
    is_lead: bool
    card_no: str | None
    join_date: str | None
    lifecycle: str | None
    rfm_segment: str | None
    address: str | None  # None for a cashier
    advisor_id: str | None
    advisor_name: str | None
    last_purchase_at: str | None
    last_contact_at: str | None
    next_follow_up: str | None


@dataclass(frozen=True)
class AppliedTag:
    tag_id: int
    name: str
    applied_by: str | None
    applied_at: str | None


@dataclass(frozen=True)
class AutomaticTag:
    group_name: str
    tag_id: int
    name: str


@dataclass(frozen=True)
class ManualTagGroup:
    """One manual tag group with the tags this member has in it; ``editable`` if the actor may change it."""

    group_id: int
    name: str
    choice: str
    color: str | None
    editable: bool
    tags: tuple[AppliedTag, ...]


@dataclass(frozen=True)
class PurchaseSummary:
    orders_12m: int | None
    total_12m: float | None
    avg_basket: float | None
    top_categories: tuple[str, ...]
    last_order: str | None


@dataclass(frozen=True)
class TimelineEntry:
    id: str
    type: str
    outcome: str | None
    note: str
    occurred_at: str
    staff_id: str
    staff_name: str | None
    task_id: int | None
    next_follow_up: str | None


@dataclass(frozen=True)
class OpenTarget:
    task_id: int
    title: str
    priority: int
    due_date: str | None
    status: str
    outcome: str | None
    advisor_id: str | None


@dataclass(frozen=True)
class PendingCorrection:
    id: str
    field: str
    child_id: int | None
    old_value: str | None
    new_value: str
    status: str
    staff_id: str
    created_at: str


@dataclass(frozen=True)
class MemberProfile:
    header: MemberHeader
    children: tuple[ChildAge, ...]
    automatic_tags: tuple[AutomaticTag, ...]
    manual_tags: tuple[ManualTagGroup, ...]
    purchase: PurchaseSummary | None
    timeline: tuple[TimelineEntry, ...]
    open_targets: tuple[OpenTarget, ...]
    corrections: tuple[PendingCorrection, ...]
    is_own: bool
    reduced: bool  # the cashier's view


def member_profile(store: Store, actor: Actor, member_id: int) -> MemberProfile:
    """The member's profile as ``actor`` may see it, or UnknownMember."""
    whole_number(member_id, "member_id")
    row = store.one(
        "SELECT m.*, s.name AS advisor_name FROM members m LEFT JOIN staff s ON s.id = m.advisor_id WHERE m.id = ?",
        (member_id,),
    )
    if row is None:
        raise UnknownMember(f"No member with id {member_id} in this store.", member_id=member_id)
    reduced = actor.role == Role.CASHIER
    automatic, manual = _tags(store, actor, member_id)
    return MemberProfile(
        header=_header(row, actor, reduced),
        children=children_of(store, [member_id], clock.today())[member_id],
        automatic_tags=() if reduced else automatic,
        manual_tags=manual,
        purchase=_purchase(row["purchase_summary"]),
        timeline=() if reduced else _timeline(store, member_id),
        open_targets=_open_targets(store, member_id),
        corrections=() if reduced else _corrections(store, member_id),
        is_own=is_own_member(actor, row),
        reduced=reduced,
    )


def _header(row: dict, actor: Actor, reduced: bool) -> MemberHeader:
    return MemberHeader(
        id=row["id"], name=row["name"], level=row["level"], points=row["points"],
        phone=visible_phone(actor, row["phone"]), gender=row["gender"], birthday=row["birthday"],
        status=row["status"], is_lead=bool(row["is_lead"]), card_no=row["card_no"], join_date=row["join_date"],
        lifecycle=row["lifecycle"], rfm_segment=row["rfm_segment"], address=None if reduced else row["address"],
        advisor_id=row["advisor_id"], advisor_name=row["advisor_name"], last_purchase_at=row["last_purchase_at"],
        last_contact_at=row["last_contact_at"], next_follow_up=row["next_follow_up"],
    )


def _tags(store: Store, actor: Actor, member_id: int) -> tuple[tuple[AutomaticTag, ...], tuple[ManualTagGroup, ...]]:
    """Automatic tags flat; manual tags under every group the actor may see (empty groups too, to add to)."""
    groups = store.all("SELECT id, name, kind, choice, roles, color, retired FROM tag_groups ORDER BY sort_order, id")
    applied = store.all(
        "SELECT mt.tag_id, mt.applied_by, mt.applied_at, t.name, t.group_id FROM member_tags mt "
        "JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? ORDER BY t.group_id, t.sort_order, t.id",
        (member_id,),
    )
    by_group: dict[int, list[dict]] = {}
    for tag in applied:
        by_group.setdefault(tag["group_id"], []).append(tag)
    automatic: list[AutomaticTag] = []
    manual: list[ManualTagGroup] = []
    for group in groups:
        tags = by_group.get(group["id"], [])
        if group["kind"] == TagKind.AUTOMATIC:
            automatic += [AutomaticTag(group["name"], t["tag_id"], t["name"]) for t in tags]
            continue
        editable = may_apply_group(actor.role, json.loads(group["roles"] or "[]"))
        if (actor.role == Role.CASHIER and not editable) or (group["retired"] and not tags):
            continue
        manual.append(ManualTagGroup(
            group["id"], group["name"], group["choice"], group["color"], editable and not group["retired"],
            tuple(AppliedTag(t["tag_id"], t["name"], t["applied_by"], t["applied_at"]) for t in tags),
        ))
    return tuple(automatic), tuple(manual)


def _purchase(raw: str | None) -> PurchaseSummary | None:
    """HQ's purchase JSON, tolerant of missing keys; unreadable JSON shows as no summary, not a crash."""
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return PurchaseSummary(
        orders_12m=data.get("orders_12m"), total_12m=data.get("total_12m"), avg_basket=data.get("avg_basket"),
        top_categories=tuple(data.get("top_categories") or ()), last_order=data.get("last_order"),
    )


def _timeline(store: Store, member_id: int) -> tuple[TimelineEntry, ...]:
    rows = store.all(
        "SELECT i.id, i.type, i.outcome, i.note, i.occurred_at, i.staff_id, s.name AS staff_name, i.task_id, "
        "i.next_follow_up FROM interactions i LEFT JOIN staff s ON s.id = i.staff_id "
        "WHERE i.member_id = ? ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?",
        (member_id, TIMELINE_LENGTH),
    )
    return tuple(TimelineEntry(**r) for r in rows)


def _open_targets(store: Store, member_id: int) -> tuple[OpenTarget, ...]:
    rows = store.all(
        "SELECT tt.task_id, t.title, t.priority, t.due_date, t.status, tt.outcome, tt.advisor_id "
        f"FROM task_targets tt JOIN tasks t ON t.id = tt.task_id WHERE tt.member_id = ? AND {open_target_sql()} "
        f"AND {live_task_sql()} ORDER BY t.priority, t.due_date IS NULL, t.due_date, t.id",
        (member_id,),
    )
    return tuple(OpenTarget(**r) for r in rows)


def _corrections(store: Store, member_id: int) -> tuple[PendingCorrection, ...]:
    rows = store.all(
        "SELECT id, field, child_id, old_value, new_value, status, staff_id, created_at FROM corrections "
        "WHERE member_id = ? AND status IN (?, ?) ORDER BY created_at, id",
        (member_id, CorrectionStatus.PENDING, CorrectionStatus.SUBMITTED),
    )
    return tuple(PendingCorrection(**r) for r in rows)
