"""Interactions (互动记录): each call, chat or visit an advisor logs against a member.

Interactions are facts and append-only; the schema's trigger derives the member's next follow-up and
last contact from them, so this module never writes those columns itself. HQ inserts each one if its
id is absent, which makes a re-sent upload harmless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.common import member_ref, require_member
from associate_app.domain.tasks import TargetOutcomeRecorded, record_outcome, require_target, require_task
from associate_app.domain.validation import parse_choice, valid_date, valid_note
from associate_app.domain.vocabulary import InteractionType, MutationKind, Outcome, Role
from associate_app.errors import InvalidDate, InvalidInput
from associate_app.ids import uuid7
from associate_app.store.database import Store
from associate_app.store.outbox import enqueue

LOGGING_ROLES = (Role.ADVISOR, Role.MANAGER)
CLOCK_SKEW = dt.timedelta(minutes=5)  # a device clock a little ahead of this one is not "the future"
TIMELINE_MAX = 500


@dataclass(frozen=True)
class InteractionLogged:
    id: str
    member_id: int
    staff_id: str
    type: InteractionType
    outcome: Outcome | None
    note: str
    occurred_at: str
    task_id: int | None
    next_follow_up: str | None
    mutation_id: str
    # False when a newer contact with the member was already logged: the follow-up belongs to the latest
    # contact, so this back-dated one neither sets nor settles it (the UI says so).
    is_latest_contact: bool = True


def _occurred_at(value: dt.datetime | None) -> str:
    """When it happened as a UTC instant; not in the future beyond clock skew (naive = local time)."""
    if value is None:
        return clock.utc_now_iso()
    if not isinstance(value, dt.datetime):
        raise InvalidInput("occurred_at must be a date and time.", field="occurred_at", value=str(value))
    moment = value if value.tzinfo else value.astimezone()
    if moment > clock.now() + CLOCK_SKEW:
        raise InvalidDate(f"The interaction cannot have happened in the future ({clock.to_iso(moment)}).",
                          field="occurred_at", value=clock.to_iso(moment))
    return clock.to_iso(moment)


def _follow_up(value: dt.date | str | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return valid_date(value, field="next_follow_up", earliest=clock.today())


def log_interaction(
    store: Store,
    actor: Actor,
    member_id: int,
    type: InteractionType | str,
    *,
    outcome: Outcome | str | None = None,
    note: str = "",
    occurred_at: dt.datetime | None = None,
    task_id: int | None = None,
    next_follow_up: dt.date | str | None = None,
) -> InteractionLogged:
    """Log one contact with a member (optionally as part of a task) and queue it for HQ."""
    actor.require(*LOGGING_ROLES, action="log an interaction")
    kind = parse_choice(InteractionType, type, field="interaction type")
    result = None if outcome is None or outcome == "" else parse_choice(Outcome, outcome, field="outcome")
    text = valid_note(note)
    when = _occurred_at(occurred_at)
    follow_up = _follow_up(next_follow_up)
    interaction = {
        "id": uuid7(), "member_id": member_id, "staff_id": actor.staff_id, "type": str(kind),
        "outcome": None if result is None else str(result), "note": text, "occurred_at": when,
        "task_id": task_id, "next_follow_up": follow_up, "created_at": clock.utc_now_iso(),
    }
    with store.write():  # looked up under the write lock: HQ confirming a lead renumbers it by sync meanwhile
        member = require_member(store, member_id)
        if task_id is not None:
            require_task(store, task_id)
            require_target(store, task_id, member_id)
        store.conn.execute(
            f"INSERT INTO interactions({', '.join(interaction)}) VALUES ({', '.join('?' * len(interaction))})",
            tuple(interaction.values()),
        )
        payload = {k: v for k, v in interaction.items() if k not in ("member_id", "created_at")}
        mutation_id = enqueue(store, MutationKind.INTERACTION_LOG, {**payload, "member": member_ref(member)},
                              actor.staff_id)
        latest = store.scalar("SELECT last_contact_at FROM members WHERE id = ?", (member_id,)) == when
    return InteractionLogged(
        id=interaction["id"], member_id=member_id, staff_id=actor.staff_id, type=kind, outcome=result, note=text,
        occurred_at=when, task_id=task_id, next_follow_up=follow_up, mutation_id=mutation_id,
        is_latest_contact=latest,
    )


def timeline(store: Store, actor: Actor, member_id: int, limit: int = 50) -> list[dict]:
    """A member's interactions, newest first, with who logged them and the task they belonged to.

    Cashiers are refused: notes hold what families confide to their advisor (a child's allergy, a
    worry), which the till has no need to see.
    """
    actor.require(*LOGGING_ROLES, action="read a member's interactions")
    if not isinstance(limit, int) or not 1 <= limit <= TIMELINE_MAX:
        raise InvalidInput(f"limit must be between 1 and {TIMELINE_MAX}.", field="limit", value=str(limit))
    require_member(store, member_id)
    rows = store.all(
        "SELECT i.id, i.member_id, i.staff_id, coalesce(s.name, i.staff_id) AS staff_name, i.type, i.outcome, "
        "i.note, i.occurred_at, i.task_id, t.title AS task_title, i.next_follow_up, "
        "i.staff_id = ? AS mine "
        "FROM interactions i LEFT JOIN staff s ON s.id = i.staff_id LEFT JOIN tasks t ON t.id = i.task_id "
        "WHERE i.member_id = ? ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?",
        (actor.staff_id, member_id, limit),
    )
    return [{**row, "mine": bool(row["mine"])} for row in rows]


@dataclass(frozen=True)
class ContactRecorded:
    outcome: TargetOutcomeRecorded
    interaction: InteractionLogged


def record_contact(store: Store, actor: Actor, task_id: int, member_id: int, outcome: Outcome | str, *,
                   note: str = "", type: InteractionType | str = InteractionType.CALL,
                   next_follow_up: dt.date | str | None = None) -> ContactRecorded:
    """A task target's outcome and the contact it came from, in one transaction: both or neither.

    So a task's progress and the member's history never disagree. An empty note keeps the note the target
    already had (HQ's or an earlier one).
    """
    with store.write():  # record_outcome and log_interaction nest as savepoints
        recorded = record_outcome(store, actor, task_id, member_id, outcome, note=note or None)
        logged = log_interaction(store, actor, member_id, type, outcome=outcome, note=note, task_id=task_id,
                                 next_follow_up=next_follow_up)
    return ContactRecorded(recorded, logged)
