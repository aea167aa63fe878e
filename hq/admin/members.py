"""HQ edits to member records, with field-level versions for the correction conflict rule."""

from __future__ import annotations

from typing import Any

from hq.db import Database, Tx
from hq.errors import HQError, NotFound
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
    return bump_fields(tx, member_id, columns)


def update_member(db: Database, member_id: int, changes: dict[str, Any]) -> int:
    """HQ changes member fields (CRM edit); returns the member's new version."""
    with db.write() as tx:
        return update_member_tx(tx, member_id, changes)
