"""The change feed's write side: re-render what a transaction touched and stamp it with new sequences.

Runs inside the write transaction, just before it commits (``Database.before_commit``), so a
change and its feed row are one atomic unit. Writes are serialised (see hq.db), so sequence order
is commit order: a device that has seen sequence N has seen every change up to N in its scope.
"""

from __future__ import annotations

from hq.db import Tx
from hq.render import CHUNK, RENDERERS
from hq.schema import next_id

_UPSERT = (
    "INSERT INTO sync_rows(scope, entity, key, seq, deleted, doc, doc_cashier) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(scope, entity, key) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, "
    "doc = excluded.doc, doc_cashier = excluded.doc_cashier"
)


def publish(tx: Tx) -> int:
    """Write the feed rows for everything ``tx.touch()`` recorded; returns how many rows changed."""
    touched, tx.touched = tx.touched, {}
    written = 0
    for entity, keys in touched.items():
        renderer = RENDERERS[entity]
        ordered = sorted(keys)
        for start in range(0, len(ordered), CHUNK * 10):
            written += _publish_chunk(tx, entity, renderer(tx, ordered[start : start + CHUNK * 10]),
                                      ordered[start : start + CHUNK * 10])
    return written


def _publish_chunk(tx: Tx, entity: str, rendered: dict, keys: list[str]) -> int:
    existing: dict[str, set[str]] = {}
    for i in range(0, len(keys), CHUNK):
        part = keys[i : i + CHUNK]
        for scope, key, deleted in tx.all(
            f"SELECT scope, key, deleted FROM sync_rows WHERE entity = ? AND key IN ({', '.join('?' * len(part))})",
            [entity, *part],
        ):
            if not deleted:
                existing.setdefault(key, set()).add(scope)
    rows: list[list] = []
    for key in keys:
        now = rendered.get(key)
        scope = now[0] if now and now[0] else None
        if scope is not None:
            rows.append([scope, entity, key, 0, 0, now[1], now[2]])
        for old_scope in existing.get(key, set()) - {scope}:
            rows.append([old_scope, entity, key, 0, 1, None, None])  # a tombstone where it was
    if not rows:
        return 0
    first = next_id(tx, "change_seq", len(rows))
    for offset, row in enumerate(rows):
        row[3] = first + offset
    tx.executemany(_UPSERT, rows)
    return len(rows)
