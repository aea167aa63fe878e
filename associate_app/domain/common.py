"""Small checks every operation shares: does the member exist, may this actor touch them."""

from __future__ import annotations

from associate_app.domain.actor import Actor
from associate_app.errors import UnknownMember
from associate_app.store.database import Store


def require_member(store: Store, member_id: int) -> dict:
    """The member's row (id, name, advisor, version, lead id) or UnknownMember; writes nothing."""
    row = store.one(
        "SELECT id, name, advisor_id, store_code, version, lead_uuid, is_lead, phone FROM members WHERE id = ?",
        (member_id,),
    )
    if row is None:
        raise UnknownMember(f"No member with id {member_id} in this store.", member_id=member_id)
    return row


def member_ref(member: dict) -> int | str:
    """How a mutation names a member: HQ's id, or ``lead:<uuid>`` for one HQ has not confirmed yet."""
    if member.get("lead_uuid") and member["id"] < 0:
        return f"lead:{member['lead_uuid']}"
    return member["id"]


def is_own_member(actor: Actor, member: dict) -> bool:
    return member.get("advisor_id") == actor.staff_id
