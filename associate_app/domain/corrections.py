"""Data corrections (资料修正): staff propose, HQ decides.

The member row is never changed here: HQ owns member data and may have changed it meanwhile, so a
correction records the value the advisor saw (``old_value``) and the row version it was based on,
and HQ accepts or rejects it. Until then the profile shows it as waiting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.common import member_ref, require_member
from associate_app.domain.validation import parse_choice, valid_date, valid_mobile
from associate_app.domain.vocabulary import CorrectionField, CorrectionStatus, MutationKind, Role
from associate_app.errors import InvalidInput
from associate_app.ids import uuid7
from associate_app.store.database import Store
from associate_app.store.outbox import enqueue

CORRECTING_ROLES = (Role.ADVISOR, Role.MANAGER)
ADDRESS_LIMIT = 200
ADULT_AGE, OLDEST_AGE = 18, 100
DUE_DATE_PAST_DAYS, DUE_DATE_AHEAD_DAYS = 30, 300  # a due date just passed may not be updated yet
CHILD_FIELDS = frozenset({CorrectionField.CHILD_BIRTHDAY, CorrectionField.CHILD_DUE_DATE})
UNSETTLED = (CorrectionStatus.PENDING, CorrectionStatus.SUBMITTED)


@dataclass(frozen=True)
class CorrectionProposed:
    id: str
    member_id: int
    field: CorrectionField
    child_id: int | None
    old_value: str | None
    new_value: str
    base_version: int
    status: CorrectionStatus
    at: str
    mutation_id: str


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _as_date_input(value: object) -> dt.date | str:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else str(value or "")


def _birthday(value: object) -> str:
    today = clock.today()
    return valid_date(_as_date_input(value), field="birthday", earliest=_years_before(today, OLDEST_AGE),
                      latest=_years_before(today, ADULT_AGE))


def _child_birthday(value: object) -> str:
    return valid_date(_as_date_input(value), field="child_birthday", latest=clock.today())


def _child_due_date(value: object) -> str:
    today = clock.today()
    return valid_date(_as_date_input(value), field="child_due_date",
                      earliest=today - dt.timedelta(days=DUE_DATE_PAST_DAYS),
                      latest=today + dt.timedelta(days=DUE_DATE_AHEAD_DAYS))


def _address(value: object) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise InvalidInput("The address is empty.", field="address")
    if len(text) > ADDRESS_LIMIT:
        raise InvalidInput(f"The address has {len(text)} characters; at most {ADDRESS_LIMIT} fit.",
                           field="address", length=len(text))
    return text


VALIDATORS: dict[CorrectionField, Callable[[object], str]] = {
    CorrectionField.PHONE: lambda value: valid_mobile(str(value or "")),
    CorrectionField.BIRTHDAY: _birthday,
    CorrectionField.ADDRESS: _address,
    CorrectionField.CHILD_BIRTHDAY: _child_birthday,
    CorrectionField.CHILD_DUE_DATE: _child_due_date,
}
# The column holding each field's current value (in members, or in children for CHILD_FIELDS).
COLUMNS = {
    CorrectionField.PHONE: "phone",
    CorrectionField.BIRTHDAY: "birthday",
    CorrectionField.ADDRESS: "address",
    CorrectionField.CHILD_BIRTHDAY: "birthday",
    CorrectionField.CHILD_DUE_DATE: "due_date",
}


def _current_value(store: Store, member_id: int, field: CorrectionField, child_id: int | None) -> str | None:
    """The value the member's profile shows now; a child must be this member's own."""
    column = COLUMNS[field]
    if field not in CHILD_FIELDS:
        if child_id is not None:
            raise InvalidInput(f"A {field} correction is about the member, not a child.", field=str(field))
        return store.scalar(f"SELECT {column} FROM members WHERE id = ?", (member_id,))
    if child_id is None:
        raise InvalidInput(f"A {field} correction needs the child it is about.", field=str(field))
    child = store.one(f"SELECT member_id, {column} AS value FROM children WHERE id = ?", (child_id,))
    if child is None or child["member_id"] != member_id:
        raise InvalidInput(f"Child {child_id} is not a child of member {member_id}.", field=str(field),
                           child_id=child_id, member_id=member_id)
    return child["value"]


def propose_correction(store: Store, actor: Actor, member_id: int, field: CorrectionField | str, value: object, *,
                       child_id: int | None = None) -> CorrectionProposed:
    """Propose a new value for one field of a member (or of one of their children) for HQ to review."""
    actor.require(*CORRECTING_ROLES, action="propose a data correction")
    which = parse_choice(CorrectionField, field, field="correction field")
    new_value = VALIDATORS[which](value)
    member = require_member(store, member_id)
    old_value = _current_value(store, member_id, which, child_id)
    if new_value == old_value:
        raise InvalidInput("The member's data already has this value: nothing to correct.", field=str(which))
    waiting = store.scalar(
        "SELECT id FROM corrections WHERE member_id = ? AND field = ? AND child_id IS ? AND new_value = ? "
        "AND status IN (?, ?)",
        (member_id, str(which), child_id, new_value, *map(str, UNSETTLED)),
    )
    if waiting:
        raise InvalidInput("This correction has already been proposed and is waiting for HQ.", field=str(which),
                           correction_id=waiting)
    correction = {
        "id": uuid7(), "member_id": member_id, "child_id": child_id, "field": str(which), "old_value": old_value,
        "new_value": new_value, "base_version": member["version"], "staff_id": actor.staff_id,
        "created_at": clock.utc_now_iso(), "status": str(CorrectionStatus.PENDING),
    }
    with store.write():
        store.conn.execute(
            f"INSERT INTO corrections({', '.join(correction)}) VALUES ({', '.join('?' * len(correction))})",
            tuple(correction.values()),
        )
        mutation_id = enqueue(
            store, MutationKind.CORRECTION_PROPOSE,
            {"id": correction["id"], "member": member_ref(member), "field": str(which), "child_id": child_id,
             "old_value": old_value, "new_value": new_value, "base_version": member["version"],
             "at": correction["created_at"]},
            actor.staff_id,
        )
    return CorrectionProposed(
        id=correction["id"], member_id=member_id, field=which, child_id=child_id, old_value=old_value,
        new_value=new_value, base_version=member["version"], status=CorrectionStatus.PENDING,
        at=correction["created_at"], mutation_id=mutation_id,
    )


def pending_corrections(store: Store, member_id: int, *, include_rejected: bool = False) -> list[dict]:
    """Corrections HQ has not settled yet (waiting to upload or under review), newest first.

    ``include_rejected`` adds those HQ rejected, with its reason, so the profile can say why.
    """
    statuses = [*map(str, UNSETTLED)] + ([str(CorrectionStatus.REJECTED)] if include_rejected else [])
    return store.all(
        "SELECT c.id, c.member_id, c.child_id, c.field, c.old_value, c.new_value, c.base_version, c.staff_id, "
        "coalesce(s.name, c.staff_id) AS staff_name, c.created_at, c.status, c.hq_reason "
        "FROM corrections c LEFT JOIN staff s ON s.id = c.staff_id "
        f"WHERE c.member_id = ? AND c.status IN ({', '.join('?' * len(statuses))}) "
        "ORDER BY c.created_at DESC, c.id DESC",
        (member_id, *statuses),
    )
