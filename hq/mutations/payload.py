"""Typed reading of a mutation's payload: every problem becomes a per-mutation ``invalid_payload``.

A device's payload is untrusted JSON; reading it through here means a wrong type, a missing field or
an unreadable timestamp is a clear rejection of that one mutation, never a 500 and never a partial write.
Unknown extra keys are ignored, so a newer app may add fields without breaking older servers.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from associate_app.domain.validation import NOTE_LIMIT, character_count
from hq.mutations.base import invalid
from hq.timeutil import iso, parse_iso

BIG = 2**53  # ids and versions stay well inside both backends' BIGINT (and JSON's exact integers)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # older than any record here: a broken clock
_LEAD = re.compile(r"^lead:[A-Za-z0-9_-]{1,64}$")
_IDENT = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MemberRef = int | str


def storable(text: str) -> bool:
    """Whether both backends can store the text: PostgreSQL refuses NUL, neither takes lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def instant(value: object, what: str, now: dt.datetime | None = None) -> str:
    """An ISO-8601 instant in HQ's form; with ``now``, a future one is clamped to ``now`` (a fast clock)."""
    if not isinstance(value, str) or len(value) > 40:
        raise invalid(f"{what} must be an ISO-8601 instant such as 2026-11-25T06:30:00.000Z")
    try:
        moment = parse_iso(value)
    except ValueError:
        raise invalid(f"{what} is not an ISO-8601 instant with a time zone (…Z)") from None
    if moment < EARLIEST:
        raise invalid(f"{what} is before {EARLIEST.year}: the device's clock is wrong")
    return iso(min(moment, now) if now else moment)


class Fields:
    """``Fields(payload).integer("tag_id")``: the value, or an invalid_payload rejection naming it."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload

    def _get(self, key: str, optional: bool) -> Any:
        value = self.payload.get(key)
        if value is None and not optional:
            raise invalid(f"payload.{key} is missing")
        return value

    def integer(self, key: str, *, optional: bool = False, low: int = -BIG) -> int | None:
        value = self._get(key, optional)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= BIG:
            raise invalid(f"payload.{key} must be a whole number from {low}")
        return value

    def text(self, key: str, *, optional: bool = False, limit: int = 64, empty: bool = False) -> str | None:
        value = self._get(key, optional)
        if value is None:
            return None
        if not isinstance(value, str):
            raise invalid(f"payload.{key} must be text")
        if not storable(value):
            raise invalid(f"payload.{key} is not storable text (NUL or a lone surrogate)")
        if not value.strip() and not empty:
            raise invalid(f"payload.{key} is empty")
        if len(value) > limit:
            raise invalid(f"payload.{key} is longer than {limit} characters")
        return value

    def ident(self, key: str) -> str:
        """An id the device made (a UUID): letters, digits, - and _, so it is safe in "lead:<uuid>" too."""
        value = self._get(key, False)
        if not isinstance(value, str) or not _IDENT.match(value):
            raise invalid(f"payload.{key} must be an id of 1–64 letters, digits, - or _")
        return value

    def note(self, key: str) -> str:
        """Free text counted as people count characters (the device's own limit)."""
        note = (self.text(key, optional=True, limit=NOTE_LIMIT * 8, empty=True) or "").strip()
        if character_count(note) > NOTE_LIMIT:
            raise invalid(f"payload.{key} is longer than {NOTE_LIMIT} characters")
        return note

    def choice(self, key: str, codes: type[StrEnum], *, optional: bool = False) -> str | None:
        value = self._get(key, optional)
        if value is None:
            return None
        if not isinstance(value, str) or value not in {c.value for c in codes}:
            raise invalid(f"payload.{key} must be one of: {', '.join(c.value for c in codes)}")
        return str(value)

    def instant(self, key: str, now: dt.datetime) -> str:
        return instant(self._get(key, False), f"payload.{key}", now)

    def day(self, key: str, *, optional: bool = False) -> str | None:
        value = self._get(key, optional)
        if value is None or (optional and value == ""):
            return None
        try:
            if not isinstance(value, str) or not _DATE.match(value):
                raise ValueError
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise invalid(f"payload.{key} must be a date (YYYY-MM-DD)") from None

    def member(self, key: str = "member") -> MemberRef:
        """HQ's member id, or ``lead:<uuid>`` for a quasi-member enrolled offline."""
        value = self._get(key, False)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= BIG:
            return value
        if isinstance(value, str) and _LEAD.match(value):
            return value
        raise invalid(f"payload.{key} must be a member id or \"lead:<uuid>\"")
