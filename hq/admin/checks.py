"""What the admin operations check before writing: values as the CRM types them, and who works where.

The value checks raise ``ValueError`` with a readable sentence, so the same function serves a pydantic
model (the API and the CLI) and a CSV cell (the member import). The lookups raise HQ errors.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from associate_app.domain.validation import valid_date, valid_mobile
from associate_app.domain.vocabulary import Level, Lifecycle, MemberStatus
from associate_app.errors import AssociateError
from hq.db import Tx
from hq.errors import HQError, NotFound

MAX_ID = 2**62  # fits BIGINT with room: a larger id is refused as input, never reaches the database
STAFF_ROLES = ("advisor", "cashier", "manager")  # the roles a tag group may allow
EARLIEST = dt.date(1900, 1, 1)


class Invalid(HQError):
    """Input that is well-formed JSON but not acceptable (a bad phone, an advisor of another store…)."""

    status = 422
    code = "invalid_request"


def marks(n: int) -> str:
    return ", ".join("?" * n)


def text(value: str) -> str:
    """Trimmed text without control characters (PostgreSQL refuses NUL; nobody means a tab in a name)."""
    value = unicodedata.normalize("NFC", value).strip()
    if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in value):
        raise ValueError("must not contain control characters")
    return value


def line(value: str) -> str:
    """A name or title: one line, not blank."""
    value = text(value)
    if not value or "\n" in value or "\r" in value:
        raise ValueError("must be one line of text, not blank")
    return value


def phone(value: str) -> str:
    try:
        return valid_mobile(value)
    except AssociateError as exc:
        raise ValueError(exc.message) from None


def date(value: str, *, future: bool = False) -> str:
    """A YYYY-MM-DD date after 1900; ``future`` allows dates after today (due dates, not birthdays)."""
    try:
        return valid_date(value, earliest=EARLIEST, latest=None if future else dt.date.today())
    except AssociateError as exc:
        raise ValueError(exc.message) from None


def any_date(value: str) -> str:
    return date(value, future=True)


def _code(kind: type, what: str) -> Any:
    def check(value: str) -> str:
        try:
            return kind(value.strip()).value
        except ValueError:
            raise ValueError(f"“{value}” is not a {what} (one of: {', '.join(k.value for k in kind)})") from None

    return check


level = _code(Level, "member level")
lifecycle = _code(Lifecycle, "lifecycle stage")
status = _code(MemberStatus, "member status")


def gender(value: str) -> str:
    if value.strip().upper() not in ("F", "M"):
        raise ValueError(f"“{value}” is not a gender (F or M)")
    return value.strip().upper()


def require_store(tx: Tx, code: str) -> None:
    if tx.scalar("SELECT 1 FROM stores WHERE code = ? AND active = 1", (code,)) is None:
        raise NotFound(f"store {code} does not exist", code="unknown_store")


def require_staff(tx: Tx, staff_id: str, *, store: str | None = None,
                  roles: Sequence[str] = ("advisor",)) -> dict[str, Any]:
    """An active staff member with one of ``roles`` (in ``store`` when given), else a clear refusal."""
    rows = tx.dicts("SELECT id, store_code, name, role, active FROM staff WHERE id = ?", (staff_id,))
    if not rows:
        raise NotFound(f"staff {staff_id} does not exist", code="unknown_staff")
    person = rows[0]
    if not person["active"]:
        raise Invalid(f"staff {staff_id} is deactivated", code="staff_inactive")
    if person["role"] not in roles:
        raise Invalid(f"staff {staff_id} is a {person['role']}, not a {' or '.join(roles)}", code="wrong_role")
    if store is not None and person["store_code"] != store:
        raise Invalid(f"staff {staff_id} works in {person['store_code']}, not in {store}", code="other_store")
    return person


def require_members(tx: Tx, member_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The members (not merged away) by id; NotFound naming every id that does not exist."""
    wanted = sorted(set(member_ids))
    found: dict[int, dict[str, Any]] = {}
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        for row in tx.dicts(
            "SELECT id, name, phone, store_code, advisor_id, status, is_lead, lead_uuid FROM members"
            f" WHERE id IN ({marks(len(part))}) AND merged_into IS NULL", part,
        ):
            found[row["id"]] = row
    missing = [m for m in wanted if m not in found]
    if missing:
        what = f"member {missing[0]} does not exist" if len(missing) == 1 else f"no such members: {ids_listed(missing)}"
        raise NotFound(what, code="unknown_member", member_ids=missing[:100])
    return found


def require_member(tx: Tx, member_id: int) -> dict[str, Any]:
    return require_members(tx, [member_id])[member_id]


def ids_listed(ids: Sequence[int], limit: int = 10) -> str:
    return ", ".join(map(str, ids[:limit])) + (" …" if len(ids) > limit else "")
