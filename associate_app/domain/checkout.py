"""What the till shows of a member: who it is (masked phone for cashiers) and HQ's quick tags for checkout.

Why a separate read: the checkout screen needs far less than the 360° profile (no purchases, tasks or
history), and it must be the same for every role that switches to it. Its buttons are the manual groups
HQ opened to cashiers (the simple, observable ones) that the actor may also apply; advisor-only groups and
HQ's automatic tags never appear there. One indexed read of the member plus one of their tags: cheap on a
200,000-member store, so the UI can call it after every tap.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from associate_app.domain.actor import Actor
from associate_app.domain.privacy import visible_phone
from associate_app.domain.tags import TagGroupState, member_tag_state
from associate_app.domain.validation import whole_number
from associate_app.domain.vocabulary import Role, TagKind
from associate_app.errors import UnknownMember
from associate_app.store.database import Store


@dataclass(frozen=True)
class CheckoutMember:
    """The member as the till shows it; ``lead_uuid`` follows a quasi-member once HQ confirms it."""

    id: int
    name: str
    level: str
    phone: str | None  # as the actor may see it: masked for cashiers
    card_no: str | None
    is_lead: bool
    lead_uuid: str | None
    groups: tuple[TagGroupState, ...]  # the quick-tag groups, in HQ's order, with what the member holds


def checkout_groups(store: Store) -> set[int]:
    """Ids of the live manual groups HQ opened to cashiers."""
    rows = store.all("SELECT id, roles FROM tag_groups WHERE kind = ? AND retired = 0", (str(TagKind.MANUAL),))
    return {r["id"] for r in rows if str(Role.CASHIER) in json.loads(r["roles"] or "[]")}


def checkout_member(store: Store, actor: Actor, member_id: int) -> CheckoutMember:
    """The member and their quick tags; UnknownMember if the member is not (or no longer) here."""
    whole_number(member_id, "member_id")
    row = store.one("SELECT id, name, level, phone, card_no, is_lead, lead_uuid FROM members WHERE id = ?",
                    (member_id,))
    if row is None:
        raise UnknownMember(f"No member with id {member_id} in this store.", member_id=member_id)
    allowed = checkout_groups(store)
    groups = tuple(g for g in member_tag_state(store, actor, row["id"]) if g.editable and g.id in allowed)
    return CheckoutMember(id=row["id"], name=row["name"], level=row["level"], phone=visible_phone(actor, row["phone"]),
                          card_no=row["card_no"], is_lead=bool(row["is_lead"]), lead_uuid=row["lead_uuid"],
                          groups=groups)


def confirmed_id(store: Store, lead_uuid: str | None) -> int | None:
    """The id HQ gave a quasi-member enrolled here (after sync replaced the provisional one), if any."""
    if not lead_uuid:
        return None
    return store.scalar("SELECT member_id FROM lead_ids WHERE lead_uuid = ?", (lead_uuid,))
