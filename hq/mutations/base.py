"""What every mutation handler shares: who acts, what came of it, and how a refusal is raised.

A handler either returns an :class:`Result` (applied, merged, or an insert-if-absent duplicate) or
raises :class:`Rejected` *before* it writes anything; the push loop also rolls back the mutation's
savepoint on a rejection, so a refusal can never leave half a change behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from hq.db import Tx

APPLIED, MERGED, REJECTED, DUPLICATE = "applied", "merged", "rejected", "duplicate"


@dataclass(frozen=True)
class Author:
    """The staff member who made the change on the device (checked against device_staff)."""

    staff_id: str
    role: str
    store_code: str


@dataclass(frozen=True)
class Result:
    """One mutation's answer, as stored in applied_mutations and sent back to the device."""

    status: str
    message: str
    reason: str | None = None
    current: Any = None
    member_id: int | None = None
    original_status: str | None = None  # only for duplicates

    def stored(self) -> dict[str, Any]:
        return asdict(self)


class Rejected(Exception):
    """Refuse a mutation: nothing of it is applied; ``current`` is HQ's state of the thing, for the UI."""

    def __init__(self, reason: str, message: str, *, current: Any = None, member_id: int | None = None) -> None:
        super().__init__(message)
        self.result = Result(REJECTED, message, reason, current, member_id)


def invalid(message: str) -> Rejected:
    return Rejected("invalid_payload", message)


Handler = Callable[[Tx, Author, dict[str, Any], dt.datetime], Result]
