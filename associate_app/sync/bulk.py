"""A first download into an empty replica, with the search indexes built once at the end.

Kept up to date row by row, the members' secondary indexes and the name-key trigger (about a
million ``member_keys`` rows for 200,000 members) make every page of a first download scatter writes
across the whole file: that alone took most of a minute. So the first page's transaction drops them
(remembering their SQL as the migrations made it), pages load into bare tables, and the last page's
transaction rebuilds the keys and recreates every index and trigger. Both ends commit with their
page, so a crash mid-way resumes in the same mode and the rebuild still happens exactly once.
Lookups during the first download are slower; the console shows the download's progress meanwhile.
"""

from __future__ import annotations

import json

from associate_app.store.database import Store

FLAG = "bulk_load"  # sync_state: the dropped definitions, while a first download is under way
DEFERRED = (
    "members_phone", "members_phone_last4", "members_name", "members_advisor", "members_name_sort",
    "members_follow_up", "members_level", "members_lifecycle", "members_phone_hash", "member_tags_tag",
    "children_birthday", "children_due_date", "members_keys_insert", "members_keys_update",
    "members_points", "members_last_purchase",
)


def worth_it(store: Store) -> bool:
    """Only into an empty replica: with data present, dropping indexes would slow everyone down."""
    return not active(store) and store.scalar("SELECT 1 FROM members WHERE id > 0 LIMIT 1") is None


def active(store: Store) -> bool:
    return store.get_state(FLAG) is not None


def begin(store: Store) -> None:
    """Drop the deferred indexes and triggers (inside the first page's transaction)."""
    marks = ", ".join("?" * len(DEFERRED))
    found = store.conn.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE name IN ({marks}) AND sql IS NOT NULL", DEFERRED).fetchall()
    store.set_state(FLAG, json.dumps([[kind, name, sql] for kind, name, sql in found]))
    for kind, name, _sql in found:
        store.conn.execute(f'DROP {"TRIGGER" if kind == "trigger" else "INDEX"} IF EXISTS "{name}"')


def finish(store: Store) -> None:
    """Build the name keys in one pass and recreate what ``begin`` dropped (last page's transaction)."""
    conn = store.conn
    conn.execute("DELETE FROM member_keys")
    conn.execute(
        "INSERT OR IGNORE INTO member_keys(key, advisor_id, member_id) "
        "SELECT k.value, coalesce(m.advisor_id, ''), m.id FROM members m, json_each(m.search_keys) k")
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    for _kind, name, sql in json.loads(store.get_state(FLAG) or "[]"):
        if name not in existing:
            conn.execute(sql)
    store.set_state(FLAG, None)
