"""correction.propose: field-level against the version the advisor saw, HQ's edits are never overwritten.

If HQ changed the field after ``base_version`` (member_field_versions), HQ's value stays and the
correction is kept as a proposal for review (``merged``/``field_changed_at_hq``, status 'submitted').
Otherwise it is applied at once: the field changes, the member's and the field's versions move on,
and the correction is stored 'accepted'. A child's fields are versioned as ``child:<id>:birthday``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from associate_app.domain.corrections import ADDRESS_LIMIT, CHILD_FIELDS, COLUMNS, CORRECTING_ROLES, VALIDATORS
from associate_app.domain.vocabulary import CorrectionField
from associate_app.errors import AssociateError
from hq.admin.members import bump_fields, field_version
from hq.db import Tx
from hq.mutations.base import APPLIED, MERGED, Author, Result, invalid
from hq.mutations.common import already_there, require_role, resolve_member
from hq.mutations.payload import Fields
from hq.timeutil import iso

_COMPARED = ("member_id", "child_id", "field", "old_value", "new_value", "base_version", "staff_id")


def _field_key(tx: Tx, member_id: int, field: CorrectionField, child_id: int | None) -> tuple[str, str, int]:
    """(version key, table, row id) of the value a correction is about; a child must be this member's."""
    if field not in CHILD_FIELDS:
        if child_id is not None:
            raise invalid(f"a {field} correction is about the member, not a child: payload.child_id must be null")
        return str(field), "members", member_id
    if child_id is None:
        raise invalid(f"a {field} correction needs payload.child_id")
    if tx.scalar("SELECT member_id FROM children WHERE id = ?", (child_id,)) != member_id:
        raise invalid(f"child {child_id} is not a child of member {member_id}")
    return f"child:{child_id}:{COLUMNS[field]}", "children", child_id


def propose(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    require_role(author, CORRECTING_ROLES, "propose a data correction")
    fields = Fields(payload)
    correction_id, field = fields.ident("id"), CorrectionField(fields.choice("field", CorrectionField))
    record: dict[str, Any] = {
        "child_id": fields.integer("child_id", optional=True, low=1), "field": str(field),
        "old_value": fields.text("old_value", optional=True, limit=ADDRESS_LIMIT * 2, empty=True),
        "base_version": fields.integer("base_version", low=0), "staff_id": author.staff_id,
    }
    raw, at = fields.text("new_value", limit=ADDRESS_LIMIT * 2), fields.instant("at", now)
    try:
        record["new_value"] = VALIDATORS[field](raw)
    except AssociateError as exc:
        raise invalid(f"payload.new_value: {exc.message}") from None
    member = resolve_member(tx, author, fields.member())
    record["member_id"] = member.id
    stored = tx.dicts(f"SELECT {', '.join('c.' + c for c in _COMPARED)}, m.store_code FROM corrections c"
                      " JOIN members m ON m.id = c.member_id WHERE c.id = ?", (correction_id,))
    if stored:
        same = all(stored[0][c] == record[c] for c in _COMPARED)
        return already_there(tx, author, "correction", correction_id, same, stored[0]["store_code"], member.id)
    key, table, row_id = _field_key(tx, member.id, field, record["child_id"])
    changed_at = field_version(tx, member.id, key)
    kept = changed_at > 1 and changed_at > record["base_version"]  # 1: never changed since created
    if not kept:
        tx.execute(f"UPDATE {table} SET {COLUMNS[field]} = ? WHERE id = ?", (record["new_value"], row_id))
        bump_fields(tx, member.id, [key])
    columns = ["id", *record, "created_at", "status", "reviewed_at"]
    tx.execute(f"INSERT INTO corrections({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
               [correction_id, *record.values(), at, "submitted" if kept else "accepted", None if kept else iso(now)])
    tx.touch("correction", correction_id)
    if not kept:
        return Result(APPLIED, f"{field} corrected", member_id=member.id)
    value = tx.scalar(f"SELECT {COLUMNS[field]} FROM {table} WHERE id = ?", (row_id,))
    return Result(MERGED, f"HQ changed {field} after the version you saw; your correction waits for HQ's review",
                  "field_changed_at_hq", {"member_id": member.id, "field": key, "value": value, "version": changed_at},
                  member.id)
