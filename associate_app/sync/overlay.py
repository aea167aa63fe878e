"""Laying this device's unsent changes back on top of what HQ just sent.

A pulled member document carries the member's tags as HQ has them; a task document its status.
Changes still in the outbox (made offline, or while this very sync ran) are not in them yet, so
after a page is written they are re-applied from the outbox, in the order they were made, for the
members and tasks the page touched. The user never sees an edit vanish and come back.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from associate_app.domain.assignment import move_member, move_target
from associate_app.sync.leads import resolve_member
from associate_app.sync.replica import Touched

log = logging.getLogger(__name__)

Overlay = Callable[[sqlite3.Connection, int | None, dict[str, Any], dict[str, Any]], None]


def pending(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT kind, payload, staff_id, created_at FROM outbox ORDER BY seq").fetchall()
    return [{"kind": k, "payload": json.loads(p), "staff_id": s, "created_at": c} for k, p, s, c in rows]


def reapply(conn: sqlite3.Connection, touched: Touched | None) -> int:
    """Re-apply pending changes touching ``touched`` (None: all of them). Returns how many applied."""
    if touched is not None and not (touched.members or touched.tasks):
        return 0
    if conn.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is None:
        return 0
    return replay(conn, pending(conn), touched)


def replay(conn: sqlite3.Connection, rows: list[dict[str, Any]], touched: Touched | None = None) -> int:
    """Apply the local effect of ``rows`` (outbox rows: kind, payload, staff_id, created_at) in order,
    those touching ``touched`` only (None: all). Returns how many applied."""
    count = 0
    for row in rows:
        payload = row["payload"]
        member = resolve_member(conn, payload.get("member")) if "member" in payload else None
        task = payload.get("task_id")
        if touched is not None and member not in touched.members and task not in touched.tasks:
            continue
        handler = _HANDLERS.get(row["kind"])
        if handler is not None and (member is not None or "member" not in payload):
            try:
                handler(conn, member, payload, row)
            except (KeyError, TypeError, ValueError, sqlite3.IntegrityError):  # a malformed row: HQ will say so
                log.warning("could not lay a queued %s back on top; left to HQ's answer", row["kind"])
                continue
            count += 1
    return count


def _tag_apply(conn: sqlite3.Connection, member: int | None, p: dict[str, Any], row: dict[str, Any]) -> None:
    tag = conn.execute("SELECT t.group_id, g.choice FROM tags t JOIN tag_groups g ON g.id = t.group_id "
                       "WHERE t.id = ?", (p["tag_id"],)).fetchone()
    if tag is None:
        return
    if tag[1] == "single":
        conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id != ? AND tag_id IN "
                     "(SELECT id FROM tags WHERE group_id = ?)", (member, p["tag_id"], tag[0]))
    conn.execute("INSERT OR REPLACE INTO member_tags(member_id, tag_id, applied_by, applied_at) VALUES (?, ?, ?, ?)",
                 (member, p["tag_id"], row["staff_id"], p.get("at")))


def _tag_remove(conn: sqlite3.Connection, member: int | None, p: dict[str, Any], row: dict[str, Any]) -> None:
    conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?", (member, p["tag_id"]))


def _interaction(conn: sqlite3.Connection, member: int | None, p: dict[str, Any], row: dict[str, Any]) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO interactions(id, member_id, staff_id, type, outcome, note, occurred_at, task_id, "
        "next_follow_up, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (p["id"], member, p.get("staff_id") or row["staff_id"], p["type"], p.get("outcome"), p.get("note") or "",
         p["occurred_at"], p.get("task_id"), p.get("next_follow_up"), row["created_at"]),
    )


def _outcome(conn: sqlite3.Connection, member: int | None, p: dict[str, Any], row: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE task_targets SET outcome = ?, outcome_at = ?, outcome_by = ?, note = coalesce(?, note) "
        "WHERE task_id = ? AND member_id = ? AND (outcome_at IS NULL OR outcome_at <= ?)",
        (p["outcome"], p["at"], row["staff_id"], p.get("note"), p["task_id"], member, p["at"]),
    )
    conn.execute("UPDATE tasks SET status = 'in_progress' WHERE id = ? AND status = 'pending'", (p["task_id"],))


def _task_status(conn: sqlite3.Connection, member: int | None, p: dict[str, Any], row: dict[str, Any]) -> None:
    conn.execute("UPDATE tasks SET status = ? WHERE id = ? AND status IN ('pending', 'in_progress')",
                 (p["status"], p["task_id"]))


def _correction(conn: sqlite3.Connection, member: int | None, p: dict[str, Any], row: dict[str, Any]) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO corrections(id, member_id, child_id, field, old_value, new_value, base_version, "
        "staff_id, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
        (p["id"], member, p.get("child_id"), p["field"], p.get("old_value"), p["new_value"], p["base_version"],
         row["staff_id"], p.get("at") or row["created_at"]),
    )


def _member_reassign(conn: sqlite3.Connection, member: int | None, p: dict[str, Any], row: dict[str, Any]) -> None:
    move_member(conn, member, _advisor(p))


def _target_reassign(conn: sqlite3.Connection, member: int | None, p: dict[str, Any], row: dict[str, Any]) -> None:
    move_target(conn, p["task_id"], member, _advisor(p))


def _advisor(p: dict[str, Any]) -> str:
    if not isinstance(p["advisor_id"], str):
        raise TypeError("advisor_id must be a staff number")
    return p["advisor_id"]


_HANDLERS: dict[str, Overlay] = {
    "tag.apply": _tag_apply, "tag.remove": _tag_remove, "interaction.log": _interaction,
    "task_target.outcome": _outcome, "task.status": _task_status, "correction.propose": _correction,
    "member.reassign": _member_reassign, "task_target.reassign": _target_reassign,
}
