"""Writing a pulled page into the local replica (inside the caller's transaction, with its cursor).

The engine's connection runs with foreign keys off: HQ's feed is ordered by change, not by
dependency, so a task target can arrive a page before its member. Everything a cascade would do is
done here explicitly (deleting a member deletes its children, tags, targets, interactions...), and
once a download has finished (``has_more`` false) the replica is consistent again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from associate_app.store import hq_data
from associate_app.store.database import Store
from associate_app.sync.leads import adopt_lead
from associate_app.sync.validate import Page

# Settings HQ publishes that the device keeps (sync_state keys); anything else is ignored.
KEPT_SETTINGS = ("member_code_public_key", "phone_hash_salt", "chain_name")
# Upserts in dependency order (within a page; across pages the feed's order rules).
ORDER = ("setting", "staff", "tag_group", "tag", "member", "task", "task_target", "interaction", "correction")
# How each entity's key reads in SQL, for the sweep after a re-download.
KEY_SQL = {
    "member": ("members", "CAST(id AS TEXT)", "id > 0"), "staff": ("staff", "id", "1"),
    "tag_group": ("tag_groups", "CAST(id AS TEXT)", "1"), "tag": ("tags", "CAST(id AS TEXT)", "1"),
    "task": ("tasks", "CAST(id AS TEXT)", "1"),
    "task_target": ("task_targets", "task_id || ':' || member_id", "member_id > 0"),
    "interaction": ("interactions", "id", "member_id > 0"), "correction": ("corrections", "id", "member_id > 0"),
}


@dataclass
class Touched:
    """What a page (or a push answer) changed, so pending local edits can be laid back on top."""

    members: set[int] = field(default_factory=set)
    tasks: set[int] = field(default_factory=set)

    def add(self, other: Touched) -> None:
        self.members |= other.members
        self.tasks |= other.tasks


def apply_page(store: Store, page: Page, *, track_seen: bool = False) -> Touched:
    """Apply one page; ``track_seen`` (a re-download) remembers its keys for the final sweep."""
    conn, touched = store.conn, Touched()
    for entity, keys in page.deletes.items():
        _delete(store, entity, keys, touched)
    for entity in ORDER:
        docs = page.upserts.get(entity)
        if docs:
            _UPSERTS[entity](store, docs, touched)
    if track_seen:
        conn.executemany("INSERT OR IGNORE INTO sync_seen(entity, key) VALUES (?, ?)",
                         [(entity, _key(entity, doc)) for entity, docs in page.upserts.items() for doc in docs])
    return touched


def _key(entity: str, doc: dict[str, Any]) -> str:
    if entity == "task_target":
        return f"{doc['task_id']}:{doc['member_id']}"
    if entity == "setting":
        return doc["key"]
    return str(doc["id"])


def _delete(store: Store, entity: str, keys: list[str], touched: Touched) -> None:
    conn = store.conn
    if entity == "member":
        ids = [int(k) for k in keys]
        touched.members.update(ids)
        hq_data.delete_members(store, ids)
    elif entity == "task":
        ids = [(int(k),) for k in keys]
        touched.tasks.update(i for (i,) in ids)
        conn.executemany("DELETE FROM task_targets WHERE task_id = ?", ids)
        conn.executemany("DELETE FROM tasks WHERE id = ?", ids)
    elif entity == "task_target":
        pairs = [tuple(int(p) for p in k.split(":")) for k in keys]
        touched.tasks.update(t for t, _ in pairs)
        conn.executemany("DELETE FROM task_targets WHERE task_id = ? AND member_id = ?", pairs)
    elif entity in ("tag", "tag_group"):
        ids = [(int(k),) for k in keys]
        if entity == "tag_group":
            conn.executemany("DELETE FROM member_tags WHERE tag_id IN (SELECT id FROM tags WHERE group_id = ?)", ids)
            conn.executemany("DELETE FROM tags WHERE group_id = ?", ids)
            conn.executemany("DELETE FROM tag_groups WHERE id = ?", ids)
        else:
            conn.executemany("DELETE FROM member_tags WHERE tag_id = ?", ids)
            conn.executemany("DELETE FROM tags WHERE id = ?", ids)
    elif entity == "setting":
        conn.executemany("DELETE FROM sync_state WHERE key = ?", [(k,) for k in keys if k in KEPT_SETTINGS])
    else:
        table = {"staff": "staff", "interaction": "interactions", "correction": "corrections"}[entity]
        conn.executemany(f"DELETE FROM {table} WHERE id = ?", [(k,) for k in keys])


def _members(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    conn = store.conn
    ids = [d["id"] for d in docs]
    touched.members.update(ids)
    known = _present(conn, "SELECT id FROM members WHERE id IN ", ids)
    _release_unique_values(store, docs)
    hq_data.upsert_members(store, docs, known=known)
    with_tags = [d for d in docs if d.get("tags") is not None]
    conn.executemany("DELETE FROM member_tags WHERE member_id = ?", [(d["id"],) for d in with_tags if d["id"] in known])
    conn.executemany(
        "INSERT OR REPLACE INTO member_tags(member_id, tag_id, applied_at, applied_by) VALUES (?, ?, ?, ?)",
        [(d["id"], t[0], t[1], t[2]) for d in with_tags for t in d["tags"]],
    )
    new = [i for i in ids if i not in known]
    if new:  # their contacts may have arrived on an earlier page: derive the follow-up the trigger could not
        conn.execute(_FOLLOW_UP_SQL + f"({', '.join('?' * len(new))}))", new)


# As the interactions_follow_up trigger would have left it: the latest contact's follow-up.
_FOLLOW_UP_SQL = """
UPDATE members SET (last_contact_at, next_follow_up) = (
    SELECT occurred_at, next_follow_up FROM interactions i WHERE i.member_id = members.id
    ORDER BY occurred_at DESC, created_at DESC LIMIT 1)
WHERE id IN (SELECT DISTINCT member_id FROM interactions WHERE member_id IN """


def _present(conn: sqlite3.Connection, sql: str, values: list) -> set:
    """Which of ``values`` the query finds (one statement per page rather than one per document)."""
    found: set = set()
    for start in range(0, len(values), 5000):
        chunk = values[start:start + 5000]
        found.update(r[0] for r in conn.execute(sql + f"({', '.join('?' * len(chunk))})", chunk))
    return found


def _release_unique_values(store: Store, docs: list[dict[str, Any]]) -> None:
    """A card number or lead id another local row still holds (HQ moved it, or merged a lead)."""
    conn = store.conn
    cards = {d["card_no"]: d["id"] for d in docs if d.get("card_no")}
    holders = conn.execute(f"SELECT id, card_no FROM members WHERE card_no IN ({', '.join('?' * len(cards))})",
                           list(cards)).fetchall() if cards else []
    conn.executemany("UPDATE members SET card_no = NULL WHERE id = ?",
                     [(member,) for member, card in holders if cards[card] != member])
    for doc in docs:
        if doc.get("lead_uuid"):
            adopt_lead(conn, doc["lead_uuid"], doc["id"])


def without_nulls(doc: dict[str, Any]) -> dict[str, Any]:
    """A document without its nulls, so the table's defaults apply (HQ may send null for 'not set')."""
    return {k: v for k, v in doc.items() if v is not None}


def _clean(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [without_nulls(d) for d in docs]


def _settings(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    for doc in docs:
        if doc["key"] in KEPT_SETTINGS:
            store.set_state(doc["key"], doc.get("value"))


def _staff(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    hq_data.upsert_staff(store, docs)


def _tag_groups(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    hq_data.upsert_tag_groups(store, _clean(docs))


def _tags(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    hq_data.upsert_tags(store, _clean(docs))


def _tasks(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    touched.tasks.update(d["id"] for d in docs)
    hq_data.upsert_tasks(store, _clean(docs))


def _targets(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    touched.tasks.update(d["task_id"] for d in docs)
    hq_data.upsert_task_targets(store, _clean(docs))


def _interactions(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    hq_data.insert_interactions(store, _clean(docs))


def _corrections(store: Store, docs: list[dict[str, Any]], touched: Touched) -> None:
    cols = ("id", "member_id", "child_id", "field", "old_value", "new_value", "base_version", "staff_id",
            "created_at", "status", "hq_reason")
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols[1:])
    store.conn.executemany(
        f"INSERT INTO corrections({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}",
        [tuple(d.get(c) for c in cols) for d in docs],
    )


_UPSERTS = {
    "setting": _settings, "staff": _staff, "tag_group": _tag_groups, "tag": _tags, "member": _members,
    "task": _tasks, "task_target": _targets, "interaction": _interactions, "correction": _corrections,
}


def sweep_unseen(store: Store) -> int:
    """After a complete re-download: remove what HQ no longer has (its keys were never sent), keep
    this device's own leads. Returns the number of rows removed."""
    conn, removed = store.conn, 0
    gone = [r[0] for r in conn.execute(
        "SELECT id FROM members WHERE id > 0 AND CAST(id AS TEXT) NOT IN "
        "(SELECT key FROM sync_seen WHERE entity = 'member')")]
    hq_data.delete_members(store, gone)
    removed += len(gone)
    for entity, (table, key_sql, where) in KEY_SQL.items():
        if entity == "member":
            continue
        removed += conn.execute(
            f"DELETE FROM {table} WHERE {where} AND {key_sql} NOT IN "
            "(SELECT key FROM sync_seen WHERE entity = ?)", (entity,)).rowcount
    conn.execute("DELETE FROM member_tags WHERE tag_id NOT IN (SELECT id FROM tags)")
    conn.execute("DELETE FROM sync_seen")
    return removed
