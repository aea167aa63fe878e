"""POST /v1/push: apply a device's batch of mutations exactly once, each with its own outcome.

The batch is one write transaction; each mutation runs in its own savepoint together with the row
that records its outcome (applied_mutations), so a mutation and "HQ has seen it" commit or vanish as
one. A crash before commit leaves nothing and the device retries for real outcomes; after commit, a
retry is answered ``duplicate`` with the stored outcome. A rejected mutation is rolled back alone and
never blocks the ones after it. See docs/sync-protocol.md, "Push".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import orjson

from hq.auth import Principal
from hq.db import Database, IntegrityError, Tx
from hq.errors import Forbidden
from hq.mutations import HANDLERS
from hq.mutations.base import DUPLICATE, REJECTED, Author, Rejected, Result
from hq.mutations.payload import instant
from hq.timeutil import iso, now_utc

_RECORD = ("INSERT INTO applied_mutations(mutation_id, device_id, device_seq, staff_id, kind, payload_hash, result,"
           " applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_DEVICE = (
    "INSERT INTO devices(device_id, store_code, last_seq, last_seen) VALUES (?, ?, ?, ?)"
    " ON CONFLICT(device_id) DO UPDATE SET store_code = excluded.store_code, last_seen = excluded.last_seen,"
    " last_seq = CASE WHEN excluded.last_seq > devices.last_seq THEN excluded.last_seq ELSE devices.last_seq END"
)


def payload_hash(mutation: dict[str, Any]) -> str:
    """What makes two sends "the same mutation": its kind, author and payload (keys in any order).

    ``json`` with ASCII escapes, not orjson: a hash must exist even for text the database cannot store.
    """
    content = [mutation["kind"], mutation["staff_id"], mutation["payload"]]
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


class _Authors:
    """The authors of a batch, each checked once: own store, and signed in on this very device."""

    def __init__(self, tx: Tx, caller: Principal) -> None:
        self.tx, self.caller = tx, caller
        self.known: dict[str, Author | None] = {}

    def __call__(self, staff_id: str) -> Author:
        if staff_id not in self.known:
            row = self.tx.one("SELECT s.role, s.store_code FROM staff s JOIN device_staff d ON d.staff_id = s.id"
                              " WHERE s.id = ? AND d.device_id = ?", (staff_id, self.caller.device_id))
            ok = row is not None and row[1] == self.caller.store_code
            self.known[staff_id] = Author(staff_id, row[0], row[1]) if ok else None
        author = self.known[staff_id]
        if author is None:
            raise Rejected("author_not_on_device",
                           f"{staff_id} has never signed in on this device for {self.caller.store_code}")
        return author


def _decide(tx: Tx, authors: _Authors, mutation: dict[str, Any], now: dt.datetime) -> Result:
    handler = HANDLERS.get(mutation["kind"])
    if handler is None:
        raise Rejected("unknown_kind", f"HQ does not know the mutation kind {mutation['kind']!r}")
    instant(mutation["created_at"], "created_at")
    return handler(tx, authors(mutation["staff_id"]), mutation["payload"], now)


def _answer(mutation_id: str, result: Result) -> dict[str, Any]:
    body = {"mutation_id": mutation_id, **result.stored()}
    if body["original_status"] is None:
        del body["original_status"]
    return body


def _seen_before(tx: Tx, mutation: dict[str, Any], digest: str) -> Result | None:
    row = tx.one("SELECT payload_hash, result, applied_at FROM applied_mutations WHERE mutation_id = ?",
                 (mutation["mutation_id"],))
    if row is None:
        return None
    if row[0] != digest:
        return Result(REJECTED, "this mutation_id was already used for a different change; make a new id",
                      "mutation_id_reused")
    stored = orjson.loads(row[1])
    return Result(DUPLICATE, f"HQ received this change before ({row[2]}): {stored['message']}", stored["reason"],
                  stored["current"], stored["member_id"], original_status=stored["status"])


def _apply_one(tx: Tx, caller: Principal, authors: _Authors, mutation: dict[str, Any], now: dt.datetime) -> Result:
    digest = payload_hash(mutation)
    earlier = _seen_before(tx, mutation, digest)
    if earlier is not None:
        return earlier
    touched = {entity: set(keys) for entity, keys in tx.touched.items()}

    def record(result: Result) -> None:
        tx.execute(_RECORD, (mutation["mutation_id"], caller.device_id, mutation["device_seq"], mutation["staff_id"],
                             mutation["kind"], digest, orjson.dumps(result.stored()).decode(), iso(now)))

    try:
        with tx.savepoint():
            result = _decide(tx, authors, mutation, now)
            record(result)
        return result
    except (Rejected, *IntegrityError) as exc:
        tx.touched = touched  # the savepoint undid the change; its feed documents need no refresh
        result = exc.result if isinstance(exc, Rejected) else Result(
            REJECTED, "the change does not fit HQ's data (a reference to something missing)", "invalid_payload")
    with tx.savepoint():
        record(result)
    return result


def push(db: Database, caller: Principal, mutations: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply a batch (already shape-checked: see hq.push_api); returns ``{"results", "high_water"}``."""
    if not caller.store_code:
        raise Forbidden("HQ accounts have no store to push for; use the admin API", code="no_store_scope")
    now = now_utc()
    with db.write() as tx:
        authors = _Authors(tx, caller)
        results = [_answer(m["mutation_id"], _apply_one(tx, caller, authors, m, now)) for m in mutations]
        if mutations:
            tx.execute(_DEVICE, (caller.device_id, caller.store_code, max(m["device_seq"] for m in mutations),
                                 iso(now)))
    with db.read() as tx:  # at least every change above: a pull that reaches it has seen this push's effects
        high_water = int(tx.scalar("SELECT value FROM counters WHERE name = 'change_seq'"))
    return {"results": results, "high_water": high_water}
