"""Settling HQ's answers to a pushed batch, in one local transaction.

Every answered mutation leaves the outbox (whatever the answer: a rejection never blocks the ones
after it). Where HQ did not do what the device did locally (``merged`` or ``rejected``), its answer
is kept in ``sync_rejections`` for the user, and the local data is put back to HQ's state from the
answer's ``current``, since no pull would otherwise bring it (HQ changed nothing). A lead gets the id
HQ gave it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from associate_app.clock import utc_now_iso
from associate_app.store import hq_data
from associate_app.store.database import Store
from associate_app.sync import overlay
from associate_app.sync.leads import adopt_lead, resolve_member
from associate_app.sync.replica import Touched, without_nulls
from associate_app.sync.validate import SPECS, ProtocolError, check_doc

CORRECTION_STATUS = {"applied": "accepted", "merged": "submitted", "rejected": "rejected"}


@dataclass
class Settled:
    applied: int = 0
    merged: int = 0
    rejected: int = 0
    touched: Touched = field(default_factory=Touched)


def settle(store: Store, sent: list[dict[str, Any]], results: list[dict[str, Any]]) -> Settled:
    """Apply HQ's checked ``results`` for the outbox rows ``sent`` (call inside ``store.write()``)."""
    conn, settled, now = store.conn, Settled(), utc_now_iso()
    put_back = Touched()  # what a non-applied answer reset to HQ's state at that point of the batch
    later: list[dict[str, Any]] = []  # changes HQ applied after such a reset: laid back on top below
    for row, result in zip(sent, results, strict=True):
        kind, payload, status = row["kind"], row["payload"], result["effective"]
        member = _member_of(conn, row, result)
        if member is not None:
            settled.touched.members.add(member)
        if isinstance(payload.get("task_id"), int):
            settled.touched.tasks.add(payload["task_id"])
        if kind == "member.enrol" and status != "rejected" and isinstance(result.get("member_id"), int):
            adopt_lead(conn, payload["lead"], result["member_id"])
            settled.touched.members.add(result["member_id"])
        elif kind == "correction.propose":
            conn.execute("UPDATE corrections SET status = ?, hq_reason = ? WHERE id = ?",
                         (CORRECTION_STATUS[status], result.get("reason") if status == "rejected" else None,
                          payload.get("id")))
        if status != "applied":
            _keep_answer(conn, row, result, status, now, member)
            _restore(store, kind, payload, member, result.get("current"), status)
            put_back.members.update(() if member is None else (member,))
            put_back.tasks.update((payload["task_id"],) if isinstance(payload.get("task_id"), int) else ())
        elif member in put_back.members or payload.get("task_id") in put_back.tasks:
            later.append(row)
        setattr(settled, status, getattr(settled, status) + 1)
        conn.execute("DELETE FROM outbox WHERE mutation_id = ?", (row["mutation_id"],))
    overlay.replay(conn, later)
    return settled


def _member_of(conn: sqlite3.Connection, row: dict[str, Any], result: dict[str, Any]) -> int | None:
    if isinstance(result.get("member_id"), int) and row["kind"] != "member.enrol":
        return result["member_id"]
    return resolve_member(conn, row["payload"].get("member"))


def _keep_answer(conn: sqlite3.Connection, row: dict[str, Any], result: dict[str, Any], status: str,
                 now: str, member: int | None) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO sync_rejections(mutation_id, kind, payload, staff_id, created_at, status, reason, "
        "message, current, member_id, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row["mutation_id"], row["kind"], json.dumps(row["payload"], ensure_ascii=False, sort_keys=True),
         row["staff_id"], row["created_at"], status, result.get("reason"), result.get("message"),
         None if result.get("current") is None else json.dumps(result["current"], ensure_ascii=False),
         result.get("member_id") if isinstance(result.get("member_id"), int) else member, now),
    )


def _restore(store: Store, kind: str, payload: dict[str, Any], member: int | None, current: Any,
             status: str) -> None:
    """Put the local data back to HQ's state where the device's change did not (fully) happen."""
    conn = store.conn
    if kind.startswith("tag."):
        if isinstance(current, dict) and isinstance(current.get("tags"), list) and member is not None:
            _reset_group(conn, member, current)
        elif status == "rejected" and kind == "tag.apply" and member is not None:
            conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?", (member, payload.get("tag_id")))
    elif kind.startswith("task"):
        docs = current if isinstance(current, dict) and "task" in current else {"task": current}
        for entity, doc in (("task", docs.get("task")), ("task_target", docs.get("target"))):
            if _well_formed(entity, doc):
                upsert = hq_data.upsert_tasks if entity == "task" else hq_data.upsert_task_targets
                upsert(store, [without_nulls(doc)])
    elif kind == "member.reassign" and member is not None and isinstance(current, dict):
        _restore_advisor(store, member, current)
    elif kind == "interaction.log" and status == "rejected":
        conn.execute("DELETE FROM interactions WHERE id = ?", (payload.get("id"),))
    elif kind == "member.enrol" and status == "rejected":
        lead = conn.execute("SELECT id FROM members WHERE lead_uuid = ? AND id < 0", (payload.get("lead"),)).fetchone()
        if lead is not None:
            hq_data.delete_members(store, [lead[0]])


def _restore_advisor(store: Store, member: int, current: dict[str, Any]) -> None:
    """HQ's advisor of the member and of its targets, from a ``member.reassign`` answer's ``current``."""
    if current.get("advisor_id") is None or isinstance(current["advisor_id"], str):
        store.conn.execute("UPDATE members SET advisor_id = ? WHERE id = ?", (current.get("advisor_id"), member))
    targets = current.get("targets") if isinstance(current.get("targets"), list) else []
    hq_data.upsert_task_targets(store, [without_nulls(d) for d in targets
                                        if _well_formed("task_target", d) and d["member_id"] == member])


def _reset_group(conn: sqlite3.Connection, member: int, current: dict[str, Any]) -> None:
    tags = [t for t in current["tags"] if isinstance(t, list) and len(t) == 3 and type(t[0]) is int]
    group = current.get("group_id")
    if type(group) is not int:
        return
    conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id IN "
                 "(SELECT id FROM tags WHERE group_id = ?)", (member, group))
    conn.executemany("INSERT OR REPLACE INTO member_tags(member_id, tag_id, applied_at, applied_by) "
                     "VALUES (?, ?, ?, ?)", [(member, t[0], t[1], t[2]) for t in tags])


def _well_formed(entity: str, doc: Any) -> bool:
    if entity not in SPECS or not isinstance(doc, dict):
        return False
    try:
        check_doc(entity, doc)
    except ProtocolError:
        return False
    return True
