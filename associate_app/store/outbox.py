"""The transactional outbox: what this device still owes HQ.

``enqueue`` must be called inside the same ``Store.write()`` transaction as the change it
describes, which is what makes "saved locally" and "queued for HQ" one and the same event.
"""

from __future__ import annotations

import json
from typing import Any

from associate_app.clock import utc_now_iso
from associate_app.domain.vocabulary import MutationKind
from associate_app.ids import uuid7
from associate_app.store.database import Store


def enqueue(store: Store, kind: MutationKind, payload: dict[str, Any], staff_id: str) -> str:
    """Queue one mutation for HQ and return its id. Refuses to run outside a transaction."""
    if not store.conn.in_transaction:
        raise RuntimeError("outbox.enqueue must run inside Store.write() with the change it describes")
    mutation_id = uuid7()
    store.conn.execute(
        "INSERT INTO outbox(mutation_id, kind, payload, staff_id, created_at) VALUES (?, ?, ?, ?, ?)",
        (mutation_id, str(kind), json.dumps(payload, ensure_ascii=False, sort_keys=True), staff_id, utc_now_iso()),
    )
    return mutation_id


def pending(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Queued mutations in device-sequence order, payloads decoded."""
    sql = "SELECT seq, mutation_id, kind, payload, staff_id, created_at, attempts FROM outbox ORDER BY seq"
    rows = store.all(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
    for row in rows:
        row["payload"] = json.loads(row["payload"])
    return rows


def pending_count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM outbox"))
