"""Operator tasks on the change feed: after restoring a backup, and to drop old tombstones.

Both make some devices download everything again (their unsent changes are kept): that is the
safe answer whenever HQ can no longer prove a device's cursor points into the history it has.
"""

from __future__ import annotations

import secrets

from hq.db import Database
from hq.schema import get_meta, set_meta


def rotate_epoch(db: Database) -> str:
    """Start a new feed history. Run after restoring HQ from a backup: every device's cursor from
    before the restore may point past changes HQ no longer has, so each one is told to reset."""
    with db.write() as tx:
        old = get_meta(tx, "epoch")
        new = secrets.token_hex(4)
        while new == old:
            new = secrets.token_hex(4)
        set_meta(tx, "epoch", new)
    return new


def purge_tombstones(db: Database) -> tuple[int, int]:
    """Delete every tombstone up to now; devices whose cursor is older must reset.

    Returns (tombstones deleted, the sequence below which cursors are now too old).
    """
    with db.write() as tx:
        high = int(tx.scalar("SELECT value FROM counters WHERE name = 'change_seq'"))
        deleted = tx.execute("DELETE FROM sync_rows WHERE deleted = 1 AND seq <= ?", (high,)).rowcount or 0
        set_meta(tx, "purged_through", str(high))
    return deleted, high
