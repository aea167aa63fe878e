"""HQ's review of member corrections that could not be applied at once (HQ had changed the field since).

Accepting applies the proposed value through hq.admin.members, so the member's version and the field's
version move on like any HQ edit; rejecting keeps HQ's value and records why. Either way the correction
document (status, hq_reason) and the member are re-published, so the advisor's device learns the verdict.
"""

from __future__ import annotations

from typing import Any

from hq.admin import checks
from hq.admin.members import require_phone_free, update_child_tx, update_member_tx
from hq.db import Database, Tx
from hq.errors import Conflict, NotFound
from hq.timeutil import iso, now_utc

MEMBER_FIELDS = {"phone": checks.phone, "birthday": checks.date, "address": checks.text}
CHILD_FIELDS = {"child_birthday": ("birthday", checks.date), "child_due_date": ("due_date", checks.any_date)}
_SQL = ("SELECT c.id, c.member_id, c.child_id, c.field, c.old_value, c.new_value, c.base_version, c.staff_id,"
        " c.created_at, c.status, c.hq_reason, c.reviewed_by, c.reviewed_at, m.name AS member_name, m.store_code"
        " FROM corrections c JOIN members m ON m.id = c.member_id")


def _current_value(tx: Tx, row: dict[str, Any]) -> Any:
    """HQ's value of the corrected field now, for the reviewer to compare."""
    if row["field"] in MEMBER_FIELDS:
        return tx.scalar(f"SELECT {row['field']} FROM members WHERE id = ?", (row["member_id"],))
    if row["field"] in CHILD_FIELDS:
        return tx.scalar(f"SELECT {CHILD_FIELDS[row['field']][0]} FROM children WHERE id = ?", (row["child_id"],))
    return None


def list_corrections(db: Database, status: str = "submitted", store_code: str | None = None) -> list[dict[str, Any]]:
    """Corrections by status (default: waiting for review), oldest first, with HQ's current value."""
    sql, params = f"{_SQL} WHERE c.status = ?", [status]
    if store_code is not None:
        sql, params = sql + " AND m.store_code = ?", [*params, store_code]
    with db.read() as tx:
        rows = tx.dicts(sql + " ORDER BY c.created_at, c.id", params)
        return [{**r, "current_value": _current_value(tx, r)} for r in rows]


def _submitted(tx: Tx, correction_id: str) -> dict[str, Any]:
    rows = tx.dicts(f"{_SQL} WHERE c.id = ?", (correction_id,))
    if not rows:
        raise NotFound(f"correction {correction_id} does not exist", code="unknown_correction")
    if rows[0]["status"] != "submitted":
        raise Conflict(f"correction {correction_id} is already {rows[0]['status']}", code="already_reviewed")
    return rows[0]


def _apply(tx: Tx, row: dict[str, Any]) -> None:
    field, member_id = row["field"], row["member_id"]
    check = MEMBER_FIELDS.get(field) or CHILD_FIELDS.get(field, (None, None))[1]
    if check is None:
        raise checks.Invalid(f"corrections of {field} cannot be applied here", code="invalid_field")
    try:
        value = check(row["new_value"])
    except ValueError as exc:
        raise checks.Invalid(f"the proposed {field} is not valid: {exc}", code="invalid_value") from None
    if field in MEMBER_FIELDS:
        if field == "phone":
            require_phone_free(tx, value, member_id)
        update_member_tx(tx, member_id, {field: value})
    else:
        update_child_tx(tx, member_id, row["child_id"], CHILD_FIELDS[field][0], value)


def _decide(db: Database, correction_id: str, by: str, status: str, reason: str | None) -> dict[str, Any]:
    with db.write() as tx:
        row = _submitted(tx, correction_id)
        if status == "accepted":
            _apply(tx, row)
        tx.execute("UPDATE corrections SET status = ?, hq_reason = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                   (status, reason, by, iso(now_utc()), correction_id))
        tx.touch("correction", correction_id)
        tx.touch("member", row["member_id"])
        return tx.dicts(f"{_SQL} WHERE c.id = ?", (correction_id,))[0]


def accept_correction(db: Database, correction_id: str, by: str) -> dict[str, Any]:
    """Apply the proposed value (it becomes HQ's) and mark the correction accepted."""
    return _decide(db, correction_id, by, "accepted", None)


def reject_correction(db: Database, correction_id: str, by: str, reason: str) -> dict[str, Any]:
    """Keep HQ's value; the advisor sees the reason on the correction."""
    if not reason.strip():
        raise checks.Invalid("say why the correction is rejected", code="reason_required")
    return _decide(db, correction_id, by, "rejected", reason)
