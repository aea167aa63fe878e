"""Checks several kinds share: which member a payload names, store scope, roles, HQ's current documents.

Scope is enforced here, on HQ, whatever the device did: a member of another store is refused
(``not_your_store``) without showing anything of them, and role rules use the author's role.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from hq.db import Tx
from hq.mutations.base import DUPLICATE, Author, Rejected, Result
from hq.mutations.payload import MemberRef
from hq.render import RENDERERS

MAX_MERGE_HOPS = 8  # a lead merged into a lead merged into …: HQ never builds chains this long


@dataclass(frozen=True)
class Member:
    id: int
    store_code: str | None
    advisor_id: str | None
    version: int


def resolve_member(tx: Tx, author: Author, ref: MemberRef) -> Member:
    """The living member a payload names (a lead via lead_aliases, a merged-away id via its survivor)."""
    member_id: int | None
    if isinstance(ref, str):
        member_id = tx.scalar("SELECT member_id FROM lead_aliases WHERE lead_uuid = ?", (ref.removeprefix("lead:"),))
        if member_id is None:
            raise Rejected("unknown_member", f"HQ has no enrolment for {ref}: the member.enrol did not reach HQ")
    else:
        member_id = ref
    for _ in range(MAX_MERGE_HOPS):
        row = tx.one("SELECT id, store_code, advisor_id, version, merged_into FROM members WHERE id = ?",
                     (member_id,))
        if row is None:
            break
        if row[4] is None:
            member = Member(int(row[0]), row[1], row[2], int(row[3]))
            require_store(author, member.store_code, member.id)
            return member
        member_id = row[4]
    raise Rejected("unknown_member", f"HQ has no member {ref}")


def require_store(author: Author, store_code: str | None, member_id: int | None = None) -> None:
    if store_code != author.store_code:
        raise Rejected("not_your_store", f"this belongs to another store; {author.store_code} staff cannot change it",
                       member_id=member_id)


def require_role(author: Author, roles: Iterable[str], action: str) -> None:
    """Role rules, checked against the author's role on HQ (a device's own check is not enough)."""
    if author.role not in {str(r) for r in roles}:
        raise Rejected("role_not_allowed", f"a {author.role} may not {action}")


def document(tx: Tx, entity: str, key: object) -> dict[str, Any] | None:
    """HQ's current document of an entity, exactly as a pull delivers it (for ``current``)."""
    rendered = RENDERERS[entity](tx, [str(key)]).get(str(key))
    return orjson.loads(rendered[1]) if rendered else None


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def already_there(tx: Tx, author: Author, entity: str, key: str, same: bool, stored_store: str | None,
                  member_id: int) -> Result:
    """Insert-if-absent by a device-made id: the same content again is a duplicate, other content a conflict.

    ``current`` shows the stored record only to its own store (ids are the devices' own, but never trust that).
    """
    current = document(tx, entity, key) if stored_store == author.store_code else None
    if not same:
        raise Rejected("id_conflict", f"HQ already has {entity} {key} with different content", current=current,
                       member_id=member_id)
    return Result(DUPLICATE, f"HQ already has this {entity}", current=current, member_id=member_id,
                  original_status="applied")
