"""HQ's push-tasks: cancelling one wins over any device finishing it offline."""

from __future__ import annotations

from hq.db import Database
from hq.errors import Conflict, NotFound
from hq.timeutil import iso, now_utc


def cancel_task(db: Database, task_id: int) -> None:
    with db.write() as tx:
        status = tx.scalar("SELECT status FROM tasks WHERE id = ?", (task_id,))
        if status is None:
            raise NotFound(f"task {task_id} does not exist", code="unknown_task")
        if status in ("done", "cancelled", "expired"):
            raise Conflict(f"task {task_id} is already {status}", code="task_closed")
        tx.execute("UPDATE tasks SET status = 'cancelled', updated_at = ? WHERE id = ?", (iso(now_utc()), task_id))
        tx.touch("task", task_id)
