"""interaction.log: contacts are facts, append-only, inserted if their device-made id is absent.

A re-sent log (a new outbox attempt, a restored device) is harmless: the same id with the same content
answers ``duplicate``; the same id with other content is refused (``id_conflict``) rather than
overwriting a fact someone already relies on. Cashiers do not log contacts (notes are confidential).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from associate_app.domain.interactions import LOGGING_ROLES
from associate_app.domain.vocabulary import InteractionType, Outcome
from hq.db import Tx
from hq.mutations.base import APPLIED, Author, Result, invalid
from hq.mutations.common import already_there, content_hash, require_role, resolve_member
from hq.mutations.payload import Fields
from hq.mutations.tasks import store_task
from hq.timeutil import iso


def log_interaction(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    require_role(author, LOGGING_ROLES, "log an interaction")
    fields = Fields(payload)
    interaction_id = fields.ident("id")
    content = {
        "staff_id": fields.text("staff_id", limit=32), "type": fields.choice("type", InteractionType),
        "outcome": fields.choice("outcome", Outcome, optional=True), "note": fields.note("note"),
        "occurred_at": fields.instant("occurred_at", now), "task_id": fields.integer("task_id", optional=True),
        "next_follow_up": fields.day("next_follow_up", optional=True),
    }
    if content["staff_id"] != author.staff_id:
        raise invalid("payload.staff_id must be the mutation's author")
    member = resolve_member(tx, author, fields.member())
    content["member_id"] = member.id
    digest = content_hash(content)
    stored = tx.one("SELECT i.content_hash, m.store_code FROM interactions i JOIN members m ON m.id = i.member_id"
                    " WHERE i.id = ?", (interaction_id,))
    if stored is not None:
        return already_there(tx, author, "interaction", str(interaction_id), stored[0] == digest, stored[1],
                             member.id)
    if content["task_id"] is not None:
        store_task(tx, author, content["task_id"])
    columns = ["id", *content, "created_at", "content_hash"]
    tx.execute(f"INSERT INTO interactions({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
               [interaction_id, *content.values(), iso(now), digest])
    tx.touch("interaction", interaction_id)
    return Result(APPLIED, "interaction logged", member_id=member.id)
