"""Enrolling a quasi-member (准会员) from a phone number, at the till or on the shop floor.

Any contact is a chance to connect, so every role may enrol. The device cannot wait for HQ: the lead
gets a provisional negative id and a client uuid at once, is findable and taggable straight away,
and HQ later confirms it (or merges it into an existing member) and sends the real id.
"""

from __future__ import annotations

from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.privacy import visible_phone
from associate_app.domain.validation import valid_mobile
from associate_app.domain.vocabulary import MemberStatus, MutationKind, Role
from associate_app.errors import AlreadyMember, InvalidInput
from associate_app.ids import uuid7
from associate_app.store import hq_data
from associate_app.store.database import Store
from associate_app.store.outbox import enqueue

NAME_LIMIT = 20


@dataclass(frozen=True)
class Enrolled:
    member_id: int  # provisional (negative) until HQ confirms the lead
    lead_uuid: str
    phone: str | None  # as the actor may see it (masked for a cashier)
    name: str
    status: MemberStatus
    store_code: str
    advisor_id: str | None
    join_date: str
    mutation_id: str


def _lead_name(name: str | None) -> str:
    text = " ".join((name or "").split())
    if len(text) > NAME_LIMIT:
        raise InvalidInput(f"The name has {len(text)} characters; at most {NAME_LIMIT} fit.", field="name",
                           length=len(text))
    return text


def enrol_lead(store: Store, actor: Actor, phone: str, name: str | None = None) -> Enrolled:
    """Start a quasi-member record for a phone number; AlreadyMember if the number is known here."""
    number = valid_mobile(phone)
    lead_name = _lead_name(name)
    advisor_id = actor.staff_id if actor.role == Role.ADVISOR else None
    record = {
        "lead_uuid": uuid7(), "phone": number, "name": lead_name, "status": str(MemberStatus.QUASI), "is_lead": 1,
        "store_code": actor.store_code, "advisor_id": advisor_id, "join_date": clock.today().isoformat(),
        "version": 0, "updated_at": clock.utc_now_iso(),
    }
    with store.write():  # checked inside the write lock so a sync pulling the same number cannot slip in between
        existing = store.one("SELECT id, name FROM members WHERE phone = ? ORDER BY id DESC LIMIT 1", (number,))
        if existing is not None:
            raise AlreadyMember("This phone number already belongs to a member.", member_id=existing["id"],
                                name=existing["name"])
        record["id"] = store.scalar("SELECT min(coalesce(min(id), 0), 0) - 1 FROM members")
        hq_data.upsert_members(store, [record])
        mutation_id = enqueue(
            store, MutationKind.MEMBER_ENROL,
            {"lead": record["lead_uuid"], "phone": number, "name": lead_name, "store_code": actor.store_code,
             "advisor_id": advisor_id, "at": record["updated_at"]},
            actor.staff_id,
        )
    return Enrolled(
        member_id=record["id"], lead_uuid=record["lead_uuid"], phone=visible_phone(actor, number), name=lead_name,
        status=MemberStatus.QUASI, store_code=actor.store_code, advisor_id=advisor_id,
        join_date=record["join_date"], mutation_id=mutation_id,
    )
