"""Dynamic member codes (会员码): HQ signs them with the key only it holds; stores check them offline.

The private key lives in hq_meta ``member_code_private_key`` (made by hq.service.open_hq); devices get the
public key by pull (setting ``member_code_public_key``). What a member's mini-program would display.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from associate_app.lookup.member_code import issue_code
from hq.admin.checks import Invalid, require_member
from hq.db import Database
from hq.errors import HQError
from hq.schema import get_meta
from hq.timeutil import iso, now_utc

DEFAULT_TTL = 60
MAX_TTL = 86_400  # a day: a code is meant to be shown now, not printed


def issue_member_code(db: Database, member_id: int, ttl_seconds: int = DEFAULT_TTL) -> dict[str, Any]:
    """A signed code for a member, valid for ``ttl_seconds``."""
    if not 1 <= ttl_seconds <= MAX_TTL:
        raise Invalid(f"ttl_seconds must be from 1 to {MAX_TTL}", code="invalid_ttl")
    with db.read() as tx:
        require_member(tx, member_id)
        private_pem = get_meta(tx, "member_code_private_key")
    if private_pem is None:
        raise HQError("this HQ has no member-code signing key: open it with hq.service.open_hq",
                      code="no_signing_key", status=503)
    expires = now_utc().replace(microsecond=0) + dt.timedelta(seconds=ttl_seconds)
    code = issue_code(private_pem.encode("ascii"), member_id, expires)
    return {"member_id": member_id, "code": code, "expires_at": iso(expires)}
