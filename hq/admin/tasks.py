"""HQ's push-tasks: creating them with their targets, changing the targets, cancelling and expiring.

Cancelling or expiring is HQ's decision and wins over any device finishing the task offline (the push
side refuses later outcomes). A target's advisor defaults to the member's own advisor.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from associate_app.domain.progress import live_task_sql, open_target_sql
from hq.admin.checks import Invalid, ids_listed, marks, require_members, require_staff, require_store
from hq.db import Database, Tx
from hq.errors import Conflict, NotFound
from hq.schema import next_id
from hq.timeutil import iso, now_utc

_COLUMNS = ("id", "store_code", "title", "kind", "priority", "script", "start_date", "due_date", "assignee_id",
            "status", "created_at", "updated_at")
_TASK_SQL = f"SELECT {', '.join(_COLUMNS)} FROM tasks"
FINAL = ("done", "cancelled", "expired")


def _task(tx: Tx, task_id: int) -> dict[str, Any]:
    rows = tx.dicts(f"{_TASK_SQL} WHERE id = ?", (task_id,))
    if not rows:
        raise NotFound(f"task {task_id} does not exist", code="unknown_task")
    task = rows[0]
    task["targets"] = tx.scalar("SELECT count(*) FROM task_targets WHERE task_id = ?", (task_id,))
    return task


def _live_task(tx: Tx, task_id: int) -> dict[str, Any]:
    task = _task(tx, task_id)
    if task["status"] in FINAL:
        raise Conflict(f"task {task_id} is already {task['status']}", code="task_closed", status_now=task["status"])
    return task


def list_tasks(db: Database, store_code: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Tasks (newest first) with how many targets each has and how many are still open."""
    where, params = [], []
    for column, value in (("t.store_code", store_code), ("t.status", status)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    columns = ", ".join(f"t.{c}" for c in _COLUMNS)
    with db.read() as tx:
        return tx.dicts(
            f"SELECT {columns}, count(tt.member_id) AS targets,"
            f" coalesce(sum(CASE WHEN tt.member_id IS NOT NULL AND {open_target_sql()} THEN 1 ELSE 0 END), 0) AS open"
            " FROM tasks t LEFT JOIN task_targets tt ON tt.task_id = t.id"
            f"{' WHERE ' + ' AND '.join(where) if where else ''} GROUP BY t.id ORDER BY t.id DESC", params,
        )


def _target_rows(tx: Tx, task_id: int, store_code: str, targets: list[dict[str, Any]],
                 start: int) -> list[tuple[Any, ...]]:
    """Checked rows for new targets: members of the task's store, advisors of that store, no repeats."""
    ids = [t["member_id"] for t in targets]
    repeated = sorted(m for m, n in Counter(ids).items() if n > 1)
    if repeated:
        raise Invalid(f"members listed twice: {ids_listed(repeated)}", code="duplicate_target")
    members = require_members(tx, ids)
    elsewhere = sorted(m for m in ids if members[m]["store_code"] != store_code)
    if elsewhere:
        raise Invalid(f"these members are not in store {store_code}: {ids_listed(elsewhere)}",
                      code="other_store", member_ids=elsewhere[:100])
    for advisor in sorted({t["advisor_id"] for t in targets if t.get("advisor_id")}):
        require_staff(tx, advisor, store=store_code)
    return [(task_id, t["member_id"], t.get("advisor_id") or members[t["member_id"]]["advisor_id"], start + n)
            for n, t in enumerate(targets)]


def _insert_targets(tx: Tx, rows: list[tuple[Any, ...]]) -> None:
    tx.executemany("INSERT INTO task_targets(task_id, member_id, advisor_id, sort_order) VALUES (?, ?, ?, ?)", rows)
    tx.touch("task_target", *(f"{r[0]}:{r[1]}" for r in rows))


def create_task(db: Database, fields: dict[str, Any]) -> dict[str, Any]:
    """A pending task for one store with its targets (``targets``: [{member_id, advisor_id?}, …])."""
    with db.write() as tx:
        store = fields["store_code"]
        require_store(tx, store)
        if fields.get("assignee_id"):
            require_staff(tx, fields["assignee_id"], store=store, roles=("advisor", "manager"))
        task_id = next_id(tx, "task_id")
        rows = _target_rows(tx, task_id, store, fields["targets"], 0)
        now = iso(now_utc())
        tx.execute(
            "INSERT INTO tasks(id, store_code, title, kind, priority, script, start_date, due_date, assignee_id,"
            " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
            (task_id, store, fields["title"], fields.get("kind", "general"), fields.get("priority", 2),
             fields.get("script", ""), fields.get("start_date"), fields.get("due_date"), fields.get("assignee_id"),
             now, now),
        )
        _insert_targets(tx, rows)
        tx.touch("task", task_id)
        return _task(tx, task_id)


def add_targets(db: Database, task_id: int, targets: list[dict[str, Any]]) -> dict[str, Any]:
    """More members for a live task; members that already are targets are left as they are."""
    with db.write() as tx:
        task = _live_task(tx, task_id)
        present = {r[0] for r in tx.all("SELECT member_id FROM task_targets WHERE task_id = ?", (task_id,))}
        new = [t for t in targets if t["member_id"] not in present]
        start = (tx.scalar("SELECT max(sort_order) FROM task_targets WHERE task_id = ?", (task_id,)) or 0) + 1
        _insert_targets(tx, _target_rows(tx, task_id, task["store_code"], new, start) if new else [])
        return {"task_id": task_id, "added": [t["member_id"] for t in new],
                "already_targets": sorted({t["member_id"] for t in targets} & present)}


def remove_targets(db: Database, task_id: int, member_ids: list[int]) -> dict[str, Any]:
    """Take members off a live task; a target someone already worked on (has an outcome) stays."""
    wanted = sorted(set(member_ids))
    with db.write() as tx:
        _live_task(tx, task_id)
        outcomes: dict[int, str | None] = dict(tx.all(
            f"SELECT member_id, outcome FROM task_targets WHERE task_id = ? AND member_id IN ({marks(len(wanted))})",
            [task_id, *wanted]))
        missing = [m for m in wanted if m not in outcomes]
        if missing:
            raise NotFound(f"not targets of task {task_id}: {ids_listed(missing)}", code="unknown_target")
        worked = [m for m in wanted if outcomes[m]]
        if worked:
            raise Conflict(f"these targets already have an outcome and stay: {ids_listed(worked)}",
                           code="target_worked", member_ids=worked[:100])
        tx.execute(f"DELETE FROM task_targets WHERE task_id = ? AND member_id IN ({marks(len(wanted))})",
                   [task_id, *wanted])
        tx.touch("task_target", *(f"{task_id}:{m}" for m in wanted))
        return {"task_id": task_id, "removed": wanted}


def _close(tx: Tx, task_ids: list[int], status: str) -> None:
    tx.executemany("UPDATE tasks SET status = ?, updated_at = ? WHERE id = ?",
                   [(status, iso(now_utc()), t) for t in task_ids])
    tx.touch("task", *task_ids)


def cancel_task(db: Database, task_id: int) -> dict[str, Any]:
    with db.write() as tx:
        _live_task(tx, task_id)
        _close(tx, [task_id], "cancelled")
        return _task(tx, task_id)


def expire_overdue(db: Database, today: str | None = None) -> dict[str, Any]:
    """Expire every live task whose due date is before ``today`` (YYYY-MM-DD, default: the server's today)."""
    day = today or dt.date.today().isoformat()
    with db.write() as tx:
        ids = [r[0] for r in tx.all(
            f"SELECT id FROM tasks t WHERE {live_task_sql()} AND due_date IS NOT NULL AND due_date < ? ORDER BY id",
            (day,))]
        _close(tx, ids, "expired")
        return {"today": day, "expired": ids}
