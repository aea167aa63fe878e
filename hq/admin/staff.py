"""Staff accounts: HQ opens them, resets passwords and closes them (someone left, a device was lost).

Closing an account or resetting its password ends the person's sessions at once: their next call to
HQ answers 401 and the device asks them to sign in again.
"""

from __future__ import annotations

from typing import Any

from hq.admin.checks import Invalid, require_store
from hq.auth import revoke_staff_sessions
from hq.db import Database, Tx
from hq.errors import Conflict, NotFound
from hq.passwords import MIN_LENGTH, hash_password
from hq.timeutil import iso, now_utc

_STAFF_SQL = "SELECT id, store_code, name, role, active, created_at FROM staff"


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "active": bool(row["active"])}


def _person(tx: Tx, staff_id: str) -> dict[str, Any]:
    rows = tx.dicts(f"{_STAFF_SQL} WHERE id = ?", (staff_id,))
    if not rows:
        raise NotFound(f"staff {staff_id} does not exist", code="unknown_staff")
    return _shape(rows[0])


def _check_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise Invalid(f"a password needs at least {MIN_LENGTH} characters", code="weak_password")
    return hash_password(password)


def list_staff(db: Database, store_code: str | None = None) -> list[dict[str, Any]]:
    """Everyone (HQ admins first), or one store's staff."""
    with db.read() as tx:
        if store_code is None:
            rows = tx.dicts(f"{_STAFF_SQL} ORDER BY store_code IS NOT NULL, store_code, id")
        else:
            rows = tx.dicts(f"{_STAFF_SQL} WHERE store_code = ? ORDER BY id", (store_code,))
    return [_shape(r) for r in rows]


def create_staff(db: Database, fields: dict[str, Any]) -> dict[str, Any]:
    """A new account: id (unique ignoring case, as sign-in ignores it), store_code, name, role, password."""
    staff_id, store = fields["id"], fields.get("store_code")
    if (fields["role"] == "hq_admin") != (store is None):
        raise Invalid("store staff need a store_code; HQ admins have none", code="invalid_store")
    hashed = _check_password(fields["password"])
    with db.write() as tx:
        if store is not None:
            require_store(tx, store)
        taken = tx.scalar("SELECT id FROM staff WHERE upper(id) = ?", (staff_id.upper(),))
        if taken is not None:
            raise Conflict(f"staff number {taken} already exists", code="id_taken")
        tx.execute("INSERT INTO staff(id, store_code, name, role, password_hash, active, created_at)"
                   " VALUES (?, ?, ?, ?, ?, 1, ?)", (staff_id, store, fields["name"], fields["role"], hashed,
                                                    iso(now_utc())))
        tx.touch("staff", staff_id)
        return _person(tx, staff_id)


def deactivate_staff(db: Database, staff_id: str) -> dict[str, Any]:
    """Close an account and end its sessions; says how many members still name the person as advisor."""
    with db.write() as tx:
        person = _person(tx, staff_id)
        if person["role"] == "hq_admin" and not tx.scalar(
                "SELECT count(*) FROM staff WHERE role = 'hq_admin' AND active = 1 AND id <> ?", (staff_id,)):
            raise Conflict("this is the last active HQ admin account: open another one first", code="last_admin")
        tx.execute("UPDATE staff SET active = 0 WHERE id = ?", (staff_id,))
        revoked = revoke_staff_sessions(tx, staff_id)
        tx.touch("staff", staff_id)
        members = tx.scalar("SELECT count(*) FROM members WHERE advisor_id = ? AND merged_into IS NULL", (staff_id,))
        return {**_person(tx, staff_id), "sessions_revoked": revoked, "members_still_assigned": int(members)}


def reset_password(db: Database, staff_id: str, password: str) -> dict[str, Any]:
    """A new password; sessions opened with the old one end and the account's sign-in lock is lifted."""
    hashed = _check_password(password)
    with db.write() as tx:
        person = _person(tx, staff_id)
        tx.execute("UPDATE staff SET password_hash = ? WHERE id = ?", (hashed, staff_id))
        account = f"staff:{(person['store_code'] or 'HQ').upper()}/{staff_id.upper()}"  # as hq.auth counts failures
        tx.execute("DELETE FROM login_failures WHERE subject = ?", (account,))
        revoked = revoke_staff_sessions(tx, staff_id)
        return {**_person(tx, staff_id), "sessions_revoked": revoked}
