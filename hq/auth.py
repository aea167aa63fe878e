"""Sign-in, bearer tokens and the rate limit on failed sign-ins.

A token is 32 random bytes shown to the device once; HQ stores only its SHA-256, so a leaked
database does not leak sessions. Tokens expire (one shift by default) and can be revoked one by one
(sign-out) or all at once for a person (HQ admin). Failed sign-ins are counted in the database, per
staff account and per client address, so the limit holds across several server processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from hq.db import Database, Tx
from hq.errors import TooManyAttempts, Unauthorized
from hq.passwords import hash_password, needs_rehash, verify_password
from hq.timeutil import iso, now_utc

TOKEN_HOURS = 12
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 30


@dataclass(frozen=True)
class Principal:
    """Who is calling: the staff member behind a valid token, and the device they signed in on."""

    staff_id: str
    store_code: str | None
    role: str
    name: str
    device_id: str
    token_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == "hq_admin"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _check_rate(tx: Tx, subjects: list[tuple[str, int]], now: dt.datetime) -> None:
    since = iso(now - FAILURE_WINDOW)
    for subject, limit in subjects:
        count, oldest = tx.one(
            "SELECT count(*), min(at) FROM login_failures WHERE subject = ? AND at > ?", (subject, since)
        )
        if count >= limit:
            retry = dt.datetime.fromisoformat(oldest.replace("Z", "+00:00")) + FAILURE_WINDOW - now
            seconds = max(1, int(retry.total_seconds()) + 1)
            raise TooManyAttempts(
                f"too many failed sign-ins; try again in {seconds // 60 + 1} minutes",
                headers={"Retry-After": str(seconds)}, retry_after=seconds,
            )


def login(db: Database, store_code: str, staff_no: str, password: str, device_id: str,
          address: str = "") -> dict:
    """Check the credentials and open a session; raises Unauthorized or TooManyAttempts."""
    now = now_utc()
    account = f"staff:{store_code.strip().upper()}/{staff_no.strip().upper()}"
    subjects = [(account, MAX_FAILURES_PER_ACCOUNT), (f"ip:{address}", MAX_FAILURES_PER_ADDRESS)]
    with db.read() as tx:
        _check_rate(tx, subjects, now)
        row = tx.one(
            "SELECT id, store_code, name, role, password_hash, active FROM staff WHERE upper(id) = ?"
            " AND (upper(store_code) = ? OR (store_code IS NULL AND ? = 'HQ'))",
            (staff_no.strip().upper(), store_code.strip().upper(), store_code.strip().upper()),
        )
    ok = verify_password(row[4] if row else None, password) and bool(row and row[5])
    if not ok:
        with db.write() as tx:
            tx.executemany("INSERT INTO login_failures(subject, at) VALUES (?, ?)",
                           [(s, iso(now)) for s, _ in subjects])
            tx.execute("DELETE FROM login_failures WHERE at < ?", (iso(now - FAILURE_WINDOW * 4),))
        raise Unauthorized("store code, staff number or password is wrong", code="bad_credentials")
    staff_id, staff_store, name, role, stored, _ = row
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=TOKEN_HOURS)
    with db.write() as tx:
        tx.execute("DELETE FROM login_failures WHERE subject = ?", (account,))
        tx.execute(
            "INSERT INTO sessions(token_hash, staff_id, device_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (token_digest(token), staff_id, device_id, iso(now), iso(expires)),
        )
        tx.execute(
            "INSERT INTO device_staff(device_id, staff_id, first_seen) VALUES (?, ?, ?)"
            " ON CONFLICT(device_id, staff_id) DO NOTHING",
            (device_id, staff_id, iso(now)),
        )
        if needs_rehash(stored):
            tx.execute("UPDATE staff SET password_hash = ? WHERE id = ?", (hash_password(password), staff_id))
    with db.read() as tx:
        store_row = tx.one("SELECT name FROM stores WHERE code = ?", (staff_store,)) if staff_store else None
    return {
        "token": token,
        "expires_at": iso(expires),
        "staff": {"id": staff_id, "store_code": staff_store, "name": name, "role": role,
                  "store_name": store_row[0] if store_row else None},
    }


def authenticate(db: Database, token: str | None) -> Principal:
    """The caller behind a bearer token, or Unauthorized (the device should ask to sign in again)."""
    if not token:
        raise Unauthorized("sign in first: this call needs a bearer token", code="token_missing")
    digest = token_digest(token)
    with db.read() as tx:
        row = tx.one(
            "SELECT s.staff_id, f.store_code, f.role, f.name, s.device_id, s.expires_at, s.revoked_at, f.active"
            " FROM sessions s JOIN staff f ON f.id = s.staff_id WHERE s.token_hash = ?",
            (digest,),
        )
    if row is None:
        raise Unauthorized("the session is not known to HQ: sign in again", code="token_invalid")
    staff_id, store_code, role, name, device_id, expires_at, revoked_at, active = row
    if revoked_at is not None or not active:
        raise Unauthorized("the session was ended: sign in again", code="token_revoked")
    if expires_at <= iso(now_utc()):
        raise Unauthorized("the session has expired: sign in again", code="token_expired")
    return Principal(staff_id, store_code, role, name, device_id, digest)


def logout(db: Database, principal: Principal) -> None:
    with db.write() as tx:
        tx.execute("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                   (iso(now_utc()), principal.token_hash))


def revoke_staff_sessions(tx: Tx, staff_id: str) -> int:
    """End every session of a person (a lost device, someone who left): their next call gets 401."""
    cur = tx.execute("UPDATE sessions SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL",
                     (iso(now_utc()), staff_id))
    return cur.rowcount or 0
