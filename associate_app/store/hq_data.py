"""Writing HQ's view of the world into the local cache.

Used by the sync engine's pulls, the demo seeding and the benchmarks' data loading: one place that
knows how an HQ member record becomes rows (search keys, last four digits, children, JSON fields).
Callers wrap these in ``Store.write()``; they do not open transactions themselves so a pulled page
and its cursor can commit together.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from associate_app.lookup.name_keys import search_keys, sort_key
from associate_app.store.database import Store

MEMBER_COLUMNS = (
    "id", "lead_uuid", "card_no", "phone", "phone_last4", "name", "name_sort", "gender", "birthday", "level", "points",
    "store_code", "advisor_id", "status", "is_lead", "join_date", "last_purchase_at", "lifecycle",
    "rfm_segment", "address", "purchase_summary", "search_keys", "version", "updated_at", "phone_hash",
)
TASK_COLUMNS = ("id", "title", "kind", "priority", "script", "start_date", "due_date", "assignee_id", "status",
                "created_at", "updated_at")
TARGET_COLUMNS = ("task_id", "member_id", "advisor_id", "outcome", "outcome_at", "outcome_by", "note", "sort_order")


def _upsert(conn: sqlite3.Connection, table: str, columns: Sequence[str], key_columns: Sequence[str],
            rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows (values in ``columns`` order), or overwrite every non-key column of the row HQ already sent.

    Names come from this module's constants, never from HQ's data; values are always bound parameters.
    """
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key_columns)
    conn.executemany(
        f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT({', '.join(key_columns)}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING"),
        rows,
    )


def member_row(record: Mapping[str, Any]) -> tuple:
    """One HQ member record as a members row, in MEMBER_COLUMNS order (derived columns computed here,
    nowhere else). Written out long-hand: it runs 200,000 times in a first download."""
    get = record.get
    phone = get("phone") or None
    name = get("name") or ""
    summary = get("purchase_summary")
    return (
        get("id"), get("lead_uuid"), get("card_no"), phone, phone[-4:] if phone and len(phone) >= 4 else None,
        name, sort_key(name), get("gender"), get("birthday"), get("level") or "regular", int(get("points") or 0),
        get("store_code"), get("advisor_id"), get("status") or "member", int(bool(get("is_lead"))),
        get("join_date"), get("last_purchase_at"), get("lifecycle"), get("rfm_segment"), get("address"),
        None if summary is None else orjson.dumps(summary).decode(), orjson.dumps(search_keys(name)).decode(),
        int(get("version") or 0), get("updated_at"), get("phone_hash"),
    )


def upsert_members(store: Store, records: Iterable[Mapping[str, Any]], *, known: set[int] | None = None) -> int:
    """Insert or update members with their children (a record's ``children`` replaces the old list).

    ``known``: the ids that may already have rows here (None: any may); only their old children are
    looked for, which spares a first download 200,000 pointless deletes.
    """
    records = list(records)
    conn = store.conn
    _upsert(conn, "members", MEMBER_COLUMNS, ("id",), [member_row(r) for r in records])
    with_children = [r for r in records if "children" in r]
    if with_children:
        conn.executemany("DELETE FROM children WHERE member_id = ?",
                         [(r["id"],) for r in with_children if known is None or r["id"] in known])
        conn.executemany(
            "INSERT OR REPLACE INTO children(id, member_id, name, gender, birthday, due_date) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (c["id"], r["id"], c.get("name"), c.get("gender"), c.get("birthday"), c.get("due_date"))
                for r in with_children
                for c in r["children"] or []
            ],
        )
    return len(records)


MEMBER_DEPENDENTS = ("children", "member_tags", "tag_history", "task_targets", "interactions", "corrections")


def delete_members(store: Store, member_ids: Iterable[int]) -> None:
    """Members and everything hanging off them, explicitly: the sync engine's connection runs with foreign
    keys off (HQ's feed is ordered by change, not dependency), so ON DELETE CASCADE cannot be relied on."""
    params = [(i,) for i in member_ids]
    for table in MEMBER_DEPENDENTS:
        store.conn.executemany(f"DELETE FROM {table} WHERE member_id = ?", params)
    store.conn.executemany("DELETE FROM members WHERE id = ?", params)


def upsert_staff(store: Store, records: Iterable[Mapping[str, Any]]) -> None:
    _upsert(store.conn, "staff", ("id", "store_code", "name", "role", "active"), ("id",),
            [(r["id"], r["store_code"], r["name"], r["role"], int(r.get("active", True))) for r in records])


def upsert_tag_groups(store: Store, records: Iterable[Mapping[str, Any]]) -> None:
    _upsert(
        store.conn, "tag_groups", ("id", "name", "kind", "choice", "roles", "sort_order", "color", "retired"), ("id",),
        [
            (g["id"], g["name"], g["kind"], g["choice"], json.dumps(list(g.get("roles", []))),
             g.get("sort_order", 0), g.get("color"), int(bool(g.get("retired"))))
            for g in records
        ],
    )


def upsert_tags(store: Store, records: Iterable[Mapping[str, Any]]) -> None:
    _upsert(
        store.conn, "tags", ("id", "group_id", "name", "sort_order", "color", "retired"), ("id",),
        [
            (t["id"], t["group_id"], t["name"], t.get("sort_order", 0), t.get("color"), int(bool(t.get("retired"))))
            for t in records
        ],
    )


def put_member_tags(store: Store, rows: Iterable[Mapping[str, Any]]) -> None:
    """Set (member, tag) assignments as HQ has them (``applied_by``/``applied_at`` optional)."""
    _upsert(store.conn, "member_tags", ("member_id", "tag_id", "applied_by", "applied_at"), ("member_id", "tag_id"),
            [(r["member_id"], r["tag_id"], r.get("applied_by"), r.get("applied_at")) for r in rows])


def drop_member_tags(store: Store, pairs: Iterable[tuple[int, int]]) -> None:
    store.conn.executemany("DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?", list(pairs))


def upsert_tasks(store: Store, records: Iterable[Mapping[str, Any]]) -> None:
    defaults = {"kind": "general", "priority": 2, "script": "", "status": "pending"}
    _upsert(store.conn, "tasks", TASK_COLUMNS, ("id",),
            [tuple({**defaults, **t}.get(c) for c in TASK_COLUMNS) for t in records])


def upsert_task_targets(store: Store, records: Iterable[Mapping[str, Any]]) -> None:
    _upsert(store.conn, "task_targets", TARGET_COLUMNS, ("task_id", "member_id"),
            [tuple({"sort_order": 0, **t}.get(c) for c in TARGET_COLUMNS) for t in records])


def insert_interactions(store: Store, records: Iterable[Mapping[str, Any]]) -> None:
    """Interactions are append-only: insert if absent, never overwrite."""
    cols = ("id", "member_id", "staff_id", "type", "outcome", "note", "occurred_at", "task_id",
            "next_follow_up", "created_at")
    store.conn.executemany(
        f"INSERT OR IGNORE INTO interactions({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [tuple({"note": "", "created_at": r.get("occurred_at"), **r}.get(c) for c in cols) for r in records],
    )
