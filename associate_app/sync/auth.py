"""Signing in to HQ and the device's own id.

The token HQ returns is handed to the caller (who keeps it in the credential store, never on disk
in the clear); the device id is made once per store database and sent with every sign-in, which is
how HQ knows whose queued work this device may push.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from associate_app.ids import uuid7
from associate_app.store.database import Store
from associate_app.sync.client import HQClient
from associate_app.sync.errors import AuthRequired, ProtocolError, ServerBusy, SyncError
from associate_app.sync.retry import NO_RETRY

DEVICE_ID_KEY = "device_id"


class BadCredentials(SyncError):
    """Wrong store code, staff number or password (HQ does not say which)."""

    code = "bad_credentials"


class TooManyAttempts(ServerBusy):
    """Too many failed sign-ins: HQ blocks this account or address for a while."""

    code = "too_many_attempts"


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: str
    staff: dict[str, Any]  # id, store_code, name, role


def device_id(store: Store) -> str:
    """This device's id for HQ, made once and kept in the store database."""
    existing = store.get_state(DEVICE_ID_KEY)
    if existing:
        return existing
    with store.write():
        existing = store.get_state(DEVICE_ID_KEY)
        if existing:
            return existing
        made = uuid7()
        store.set_state(DEVICE_ID_KEY, made)
    return made


def sign_in(client: HQClient, store_code: str, staff_no: str, password: str, device: str) -> SignedIn:
    """Sign in. A refusal is never retried (a wrong password must not count twice); a lost connection is."""
    body = orjson.dumps({"store_code": store_code, "staff_no": staff_no, "password": password, "device_id": device})
    try:
        answer = client.call("POST", "/v1/auth/login", body=body, auth=False)
    except AuthRequired as exc:
        raise BadCredentials("The store code, staff number or password is wrong.") from exc
    except ServerBusy as exc:
        if exc.details.get("hq_code") == "too_many_attempts":
            raise TooManyAttempts("Too many failed sign-ins: wait before trying again.",
                                  retry_after=exc.retry_after) from exc
        raise
    data = answer.body
    staff = data.get("staff") if isinstance(data, dict) else None
    if not (isinstance(data, dict) and isinstance(data.get("token"), str) and isinstance(staff, dict)
            and isinstance(staff.get("id"), str) and isinstance(staff.get("role"), str)):
        raise ProtocolError("HQ's sign-in answer cannot be read.")
    return SignedIn(token=data["token"], expires_at=str(data.get("expires_at") or ""), staff=staff)


def sign_out(client: HQClient) -> None:
    """Revoke the token on HQ; offline, the caller still forgets it locally."""
    client.call("POST", "/v1/auth/logout", retry=NO_RETRY)
