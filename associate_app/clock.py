"""Time in one place, so tests can pin "now" and every timestamp has the same form.

Instants are UTC ISO-8601 with a ``Z``; calendar dates (birthdays, due dates, follow-ups) are the
store's local ``YYYY-MM-DD``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return _frozen if _frozen is not None else dt.datetime.now(dt.UTC)


def utc_now_iso() -> str:
    return to_iso(now())


def to_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def local_date(instant: str) -> dt.date:
    """The store's calendar day of a stored UTC instant (``...Z``): a contact at 01:00 Z is 09:00 in Shanghai."""
    return dt.datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone().date()


def today() -> dt.date:
    """The local calendar date (the store's day, not UTC's)."""
    if _frozen is not None:
        return _frozen.astimezone().date()
    return dt.date.today()


@contextlib.contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Pin now() for the duration (tests and benchmarks)."""
    global _frozen
    previous, _frozen = _frozen, moment.astimezone(dt.UTC)
    try:
        yield
    finally:
        _frozen = previous
