"""The change feed's read side: one keyset page of a device's scope, assembled from pre-encoded bytes.

A cursor is ``<epoch>.<store>.<variant>.<seq>``: opaque to devices, checked strictly here. A page is
read in one snapshot (a WAL read transaction on SQLite, REPEATABLE READ on PostgreSQL), so the
high-water mark and the rows agree; because sequences are allocated in commit order, the cursor
handed back never passes a change the device has not received.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import orjson

from hq.auth import Principal
from hq.db import Database, Tx
from hq.errors import Forbidden, HQError, ResetRequired
from hq.protocol import PROTOCOL_MAX
from hq.render import CATALOGUE_SCOPE

# Never shown to cashiers, so never worth a delete either (a cashier's cursor was never given them).
CASHIER_NEVER = ("task", "task_target", "interaction", "correction")
_CURSOR = re.compile(r"^([0-9a-f]{8})\.([A-Za-z0-9_-]{1,32})\.([fc])\.(\d{1,18})(?:\.(\d{1,18}))?$")


@dataclass(frozen=True)
class Scope:
    """What a device may receive: its store, and the full or the cashier's variant of documents."""

    store_code: str
    variant: str  # "f" full (advisors, managers) or "c" cashier

    @classmethod
    def of(cls, principal: Principal) -> Scope:
        if not principal.store_code:
            raise Forbidden("HQ accounts have no store to sync; use the admin API", code="no_store_scope")
        return cls(principal.store_code, "c" if principal.role == "cashier" else "f")


@dataclass(frozen=True)
class FeedState:
    """Where HQ's feed stands, read once per pull inside the page's snapshot."""

    epoch: str
    high_water: int
    purged_through: int

    @classmethod
    def read(cls, tx: Tx) -> FeedState:
        meta = dict(tx.all("SELECT key, value FROM hq_meta WHERE key IN ('epoch', 'purged_through')"))
        high = tx.scalar("SELECT value FROM counters WHERE name = 'change_seq'")
        return cls(meta["epoch"], int(high), int(meta.get("purged_through") or 0))


def _start(feed: FeedState, scope: Scope, cursor: str | None) -> tuple[int, int]:
    """The sequence after which this page starts, and since when the device needs tombstones (a download
    from nothing needs none older than its start); ResetRequired when the cursor cannot continue."""
    if not cursor:
        return 0, feed.high_water
    match = _CURSOR.match(cursor)
    if not match:
        raise HQError("the cursor is not one this server issued", code="cursor_invalid")
    epoch, store, variant, seq = match.group(1), match.group(2), match.group(3), int(match.group(4))
    since = max(seq, int(match.group(5) or 0))
    if epoch != feed.epoch:
        raise ResetRequired("HQ's data was restored or replaced: download everything again",
                            reason="server_restored")
    if store != scope.store_code or variant != scope.variant:
        raise ResetRequired("this device now syncs for another store or role: download again",
                            reason="scope_changed")
    if since > feed.high_water:
        raise ResetRequired("HQ is behind this device (restored from a backup): download again",
                            reason="server_restored")
    if since < feed.purged_through:
        raise ResetRequired("this device was away too long: download again", reason="cursor_too_old")
    return seq, since


def pull_page(db: Database, principal: Principal, cursor: str | None, limit: int, *,
              with_remaining: bool = False) -> bytes:
    """The next page for this device as JSON bytes (see docs/sync-protocol.md, "Pull").

    ``with_remaining`` adds how many documents follow this page, for a progress bar: one indexed
    count, so a device asks for it once per download rather than on every page.
    """
    scope = Scope.of(principal)
    column = "doc_cashier" if scope.variant == "c" else "doc"
    with db.read() as tx:
        feed = FeedState.read(tx)
        after, since = _start(feed, scope, cursor)
        high, epoch = feed.high_water, feed.epoch
        initial = after == 0
        where = f"AND deleted = 0 AND {column} IS NOT NULL" if initial else ""
        if scope.variant == "c":
            where += f" AND entity NOT IN ({', '.join(repr(e) for e in CASHIER_NEVER)})"
        rows: list[tuple] = []
        for feed_scope in (scope.store_code, CATALOGUE_SCOPE):
            rows += tx.all(
                f"SELECT seq, entity, key, deleted, {column} FROM sync_rows"
                f" WHERE scope = ? AND seq > ? {where} ORDER BY seq LIMIT ?",
                (feed_scope, after, limit + 1),
            )
        rows.sort(key=lambda r: r[0])
        has_more = len(rows) > limit
        rows = rows[:limit]
        remaining = None
        if with_remaining:
            remaining = 0 if not has_more else sum(
                tx.scalar(f"SELECT count(*) FROM sync_rows WHERE scope = ? AND seq > ? {where}",
                          (feed_scope, rows[-1][0]))
                for feed_scope in (scope.store_code, CATALOGUE_SCOPE))
    # With nothing more to send, everything up to the high-water mark is known to this device.
    last = rows[-1][0] if has_more else high
    # Mid-way through a download from nothing the cursor also carries when it began: tombstones older than
    # that concern rows this device never had, so purging them must not send it back to the start.
    position = f"{last}.{since}" if has_more and since > last else str(last)
    upserts: dict[str, list[bytes]] = {}
    deletes: dict[str, list[str]] = {}
    for _seq, entity, key, deleted, doc in rows:
        if deleted or doc is None:  # a cashier's view hides some entities: to the device, deleted
            deletes.setdefault(entity, []).append(key)
        else:
            upserts.setdefault(entity, []).append(bytes(doc))
    body = b"".join((
        b'{"protocol":', str(PROTOCOL_MAX).encode(),
        b',"cursor":', orjson.dumps(f"{epoch}.{scope.store_code}.{scope.variant}.{position}"),
        b',"has_more":', b"true" if has_more else b"false",
        b',"high_water":', str(high).encode(),
        b',"count":', str(len(rows)).encode(),
        b',"upserts":{',
        b",".join(orjson.dumps(entity) + b":[" + b",".join(docs) + b"]" for entity, docs in upserts.items()),
        b'},"deletes":', orjson.dumps(deletes),
        b"" if remaining is None else b',"remaining":' + str(remaining).encode(), b"}",
    ))
    return body
