"""member.enrol: a quasi-member enrolled offline becomes a member on HQ, or merges into the one with its phone.

One person, one member: if the phone already belongs to a living member, the lead is merged into it
(``merged``/``same_phone``) and the device is told the surviving id; otherwise HQ creates the quasi
member with a new id. Either way lead_aliases remembers lead → member, so later mutations naming
``lead:<uuid>`` (sent before the device learnt the real id) resolve to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from associate_app.domain.enrolment import NAME_LIMIT
from associate_app.domain.validation import valid_mobile
from associate_app.errors import AssociateError
from hq.db import Tx
from hq.mutations.base import APPLIED, DUPLICATE, MERGED, Author, Result, invalid
from hq.mutations.common import require_store
from hq.mutations.payload import Fields
from hq.schema import next_id
from hq.timeutil import iso


def _details(tx: Tx, author: Author, fields: Fields) -> tuple[str, str, str | None]:
    """(phone, name, advisor) checked as the device checks them, plus the store and advisor on HQ."""
    try:
        phone = valid_mobile(fields.text("phone", limit=32) or "")
    except AssociateError as exc:
        raise invalid(f"payload.phone: {exc.message}") from None
    name = " ".join((fields.text("name", optional=True, limit=NAME_LIMIT * 4, empty=True) or "").split())
    if len(name) > NAME_LIMIT:
        raise invalid(f"payload.name is longer than {NAME_LIMIT} characters")
    require_store(author, fields.text("store_code", limit=32))
    advisor = fields.text("advisor_id", optional=True, limit=32)
    if advisor is not None and tx.scalar("SELECT store_code FROM staff WHERE id = ?", (advisor,)) != author.store_code:
        raise invalid(f"payload.advisor_id {advisor!r} is not staff of {author.store_code}")
    return phone, name, advisor


def enrol(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    fields = Fields(payload)
    lead, at = fields.ident("lead"), fields.instant("at", now)
    phone, name, advisor = _details(tx, author, fields)
    known = tx.scalar("SELECT member_id FROM lead_aliases WHERE lead_uuid = ?", (lead,))
    if known is not None:
        return Result(DUPLICATE, "HQ already enrolled this lead", member_id=int(known), original_status=APPLIED)
    same = tx.one("SELECT id, store_code FROM members WHERE phone = ? AND merged_into IS NULL"
                  " ORDER BY is_lead, id LIMIT 1", (phone,))
    if same is not None:
        member_id = int(same[0])
        result = Result(MERGED, f"this phone already belongs to member {member_id}; the lead was merged into it",
                        "same_phone", {"member_id": member_id, "store_code": same[1]}, member_id)
    else:
        member_id = next_id(tx, "member_id")
        tx.execute("INSERT INTO members(id, phone, name, store_code, advisor_id, status, is_lead, lead_uuid, join_date,"
                   " version, updated_at) VALUES (?, ?, ?, ?, ?, 'quasi', 1, ?, ?, 1, ?)",
                   (member_id, phone, name, author.store_code, advisor, lead, at[:10], iso(now)))
        tx.touch("member", member_id)
        result = Result(APPLIED, f"enrolled as quasi-member {member_id}", member_id=member_id)
    tx.execute("INSERT INTO lead_aliases(lead_uuid, member_id) VALUES (?, ?)", (lead, member_id))
    return result
