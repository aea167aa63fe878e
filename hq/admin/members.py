"""HQ edits to member records, with field-level versions for the correction conflict rule."""

from __future__ import annotations

from typing import Any

from associate_app.domain.progress import live_task_sql, open_target_sql
from hq.admin.checks import Invalid, ids_listed, marks, require_member, require_members, require_staff
from hq.db import Database, Tx
from hq.errors import Conflict, HQError, NotFound
from hq.timeutil import iso, now_utc

# Fields HQ's CRM may edit here; each edit bumps the member's version and that field's version.
EDITABLE = ("phone", "name", "gender", "birthday", "level", "points", "address", "lifecycle", "rfm_segment",
            "status", "advisor_id")


def field_version(tx: Tx, member_id: int, field: str) -> int:
    """The member version at which ``field`` last changed (1: unchanged since the member was created)."""
    value = tx.scalar("SELECT version FROM member_field_versions WHERE member_id = ? AND field = ?",
                      (member_id, field))
    return int(value) if value is not None else 1


def bump_fields(tx: Tx, member_id: int, fields: list[str]) -> int:
    """Give the member a new version and record it as the version of each changed field."""
    version = tx.scalar(
        "UPDATE members SET version = version + 1, updated_at = ? WHERE id = ? RETURNING version",
        (iso(now_utc()), member_id),
    )
    if version is None:
        raise NotFound(f"member {member_id} does not exist", code="unknown_member")
    tx.executemany(
        "INSERT INTO member_field_versions(member_id, field, version) VALUES (?, ?, ?)"
        " ON CONFLICT(member_id, field) DO UPDATE SET version = excluded.version",
        [(member_id, f, version) for f in fields],
    )
    tx.touch("member", member_id)
    return int(version)


def update_member_tx(tx: Tx, member_id: int, changes: dict[str, Any]) -> int:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise HQError(f"these member fields cannot be edited: {', '.join(sorted(unknown))}", code="invalid_field")
    if not changes:
        raise HQError("nothing to change", code="invalid_request")
    exists = tx.scalar("SELECT 1 FROM members WHERE id = ? AND merged_into IS NULL", (member_id,))
    if not exists:
        raise NotFound(f"member {member_id} does not exist", code="unknown_member")
    columns = list(changes)
    tx.execute(f"UPDATE members SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
               [changes[c] for c in columns] + [member_id])
    if "advisor_id" in changes:
        stamp_assignments(tx, [(member_id, 0)])
    return bump_fields(tx, member_id, columns)


def update_member(db: Database, member_id: int, changes: dict[str, Any]) -> int:
    """HQ changes member fields (CRM edit); returns the member's new version."""
    with db.write() as tx:
        return update_member_tx(tx, member_id, changes)


def update_child_tx(tx: Tx, member_id: int, child_id: int, column: str, value: str | None) -> int:
    """Set a child's birthday or due date; the field version is ``child:<id>:<column>`` (corrections)."""
    if column not in ("birthday", "due_date"):
        raise HQError(f"a child's {column} cannot be edited", code="invalid_field")
    owner = tx.scalar("SELECT member_id FROM children WHERE id = ?", (child_id,))
    if owner != member_id:
        raise NotFound(f"member {member_id} has no child {child_id}", code="unknown_child")
    tx.execute(f"UPDATE children SET {column} = ? WHERE id = ?", (value, child_id))
    return bump_fields(tx, member_id, [f"child:{child_id}:{column}"])


def member_summary(tx: Tx, member_id: int) -> dict[str, Any]:
    """What the admin tools answer after changing a member."""
    rows = tx.dicts("SELECT id, card_no, phone, name, gender, birthday, level, points, store_code, advisor_id, status,"
                    " is_lead, address, lifecycle, rfm_segment, version FROM members WHERE id = ?", (member_id,))
    if not rows:
        raise NotFound(f"member {member_id} does not exist", code="unknown_member")
    return {**rows[0], "is_lead": bool(rows[0]["is_lead"])}


def edit_member(db: Database, member_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """HQ's checked CRM edit (PATCH /v1/admin/members/{id}): a phone stays unique, a new advisor works in the
    member's store and takes over the member's open task targets."""
    with db.write() as tx:
        member = require_member(tx, member_id)
        if changes.get("phone"):
            require_phone_free(tx, changes["phone"], member_id)
        if changes.get("advisor_id"):
            require_staff(tx, changes["advisor_id"], store=member["store_code"])
        update_member_tx(tx, member_id, changes)
        if "advisor_id" in changes:
            move_open_targets(tx, [member_id], changes["advisor_id"])
        return member_summary(tx, member_id)


def require_phone_free(tx: Tx, phone: str, member_id: int | None) -> None:
    owner = tx.scalar("SELECT id FROM members WHERE phone = ? AND merged_into IS NULL AND id <> ?",
                      (phone, member_id or 0))
    if owner is not None:
        raise Conflict(f"phone {phone} already belongs to member {owner}", code="phone_taken", member_id=owner)


def open_targets(tx: Tx, member_ids: list[int]) -> list[tuple[int, int, str | None, str | None]]:
    """(task, member, advisor, reassigned at) of the members' open targets of live tasks."""
    rows: list[tuple[int, int, str | None, str | None]] = []
    for i in range(0, len(member_ids), 500):
        part = member_ids[i : i + 500]
        rows += tx.all(
            "SELECT tt.task_id, tt.member_id, tt.advisor_id, a.at FROM task_targets tt"
            " JOIN tasks t ON t.id = tt.task_id"
            " LEFT JOIN assignments a ON a.member_id = tt.member_id AND a.task_id = tt.task_id"
            f" WHERE tt.member_id IN ({marks(len(part))}) AND {live_task_sql()} AND {open_target_sql()}", part,
        )
    return rows


def move_open_targets(tx: Tx, member_ids: list[int], advisor_id: str | None, *, at: str | None = None,
                      by: str | None = None) -> int:
    """Open targets of live tasks follow their member to the new advisor; finished ones keep who did them, and
    so does a target reassigned later than ``at`` (default: now), since the last reassignment wins."""
    at = at or iso(now_utc())
    rows = [(task, member) for task, member, current, stamp in open_targets(tx, member_ids)
            if current != advisor_id and (stamp is None or stamp <= at)]
    tx.executemany("UPDATE task_targets SET advisor_id = ? WHERE task_id = ? AND member_id = ?",
                   [(advisor_id, task, member) for task, member in rows])
    tx.touch("task_target", *(f"{task}:{member}" for task, member in rows))
    stamp_assignments(tx, [(member, task) for task, member in rows], at, by)
    return len(rows)


def stamp_assignments(tx: Tx, pairs: list[tuple[int, int]], at: str | None = None, by: str | None = None) -> None:
    """Record when (and by whom) advisors were set: (member, 0) for a member, (member, task) for a target,
    so an older reassignment arriving later from an offline device loses (hq/mutations/assignment.py)."""
    at = at or iso(now_utc())
    tx.executemany(
        "INSERT INTO assignments(member_id, task_id, at, by_staff) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(member_id, task_id) DO UPDATE SET at = excluded.at, by_staff = excluded.by_staff",
        [(member, task, at, by) for member, task in pairs],
    )


def reassign_members(db: Database, to_advisor: str, member_ids: list[int] | None = None,
                     from_advisor: str | None = None) -> dict[str, Any]:
    """Give members (listed, or all of ``from_advisor``'s) to another advisor of their store."""
    with db.write() as tx:
        target = require_staff(tx, to_advisor)
        if from_advisor is not None:
            if from_advisor == to_advisor:
                raise Invalid("from_advisor and to_advisor are the same person", code="same_advisor")
            if tx.scalar("SELECT 1 FROM staff WHERE id = ?", (from_advisor,)) is None:
                raise NotFound(f"staff {from_advisor} does not exist", code="unknown_staff")
            member_ids = [r[0] for r in tx.all(
                "SELECT id FROM members WHERE advisor_id = ? AND merged_into IS NULL ORDER BY id", (from_advisor,))]
        members = require_members(tx, member_ids or [])
        elsewhere = sorted(m for m, row in members.items() if row["store_code"] != target["store_code"])
        if elsewhere:
            raise Invalid(f"{to_advisor} works in {target['store_code']}; these members belong to other stores: "
                          f"{ids_listed(elsewhere)}", code="other_store", member_ids=elsewhere[:100])
        moving = sorted(m for m, row in members.items() if row["advisor_id"] != to_advisor)
        for member_id in moving:
            update_member_tx(tx, member_id, {"advisor_id": to_advisor})
        targets = move_open_targets(tx, moving, to_advisor)
    return {"to_advisor": to_advisor, "moved": len(moving), "unchanged": len(members) - len(moving),
            "targets_moved": targets, "member_ids": moving}
