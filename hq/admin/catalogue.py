"""HQ's tag catalogue: groups and tags; a retired tag can no longer be applied, even offline."""

from __future__ import annotations

from hq.db import Database
from hq.errors import NotFound


def retire_tag(db: Database, tag_id: int) -> None:
    with db.write() as tx:
        if tx.scalar("SELECT 1 FROM tags WHERE id = ?", (tag_id,)) is None:
            raise NotFound(f"tag {tag_id} does not exist", code="unknown_tag")
        tx.execute("UPDATE tags SET retired = 1 WHERE id = ?", (tag_id,))
        tx.touch("tag", tag_id)
