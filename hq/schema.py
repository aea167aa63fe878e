"""HQ's tables, the same DDL on SQLite and PostgreSQL (only the binary type differs).

``sync_rows`` is the change feed: one row per (scope, entity, key) holding the pre-encoded JSON
document devices receive, stamped with the change sequence of its last change. A pull is one
keyset range over ``(scope, seq)``. Deleting or moving something out of a scope leaves a tombstone
(``deleted = 1``) there, so devices learn of it.
"""

from __future__ import annotations

import secrets

from hq.db import Database, Tx

SCHEMA_VERSION = 1

_DDL = """
CREATE TABLE IF NOT EXISTS hq_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS stores (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    city   TEXT,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS staff (
    id            TEXT PRIMARY KEY,          -- staff number, unique in the chain
    store_code    TEXT REFERENCES stores(code), -- NULL for HQ admins
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('advisor', 'cashier', 'manager', 'hq_admin')),
    password_hash TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,             -- sha256 of the bearer token (the token itself is never stored)
    staff_id   TEXT NOT NULL REFERENCES staff(id),
    device_id  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS sessions_staff ON sessions(staff_id);
CREATE TABLE IF NOT EXISTS login_failures (
    subject TEXT NOT NULL,                   -- 'staff:<store>/<number>' or 'ip:<address>'
    at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_subject ON login_failures(subject, at);
CREATE TABLE IF NOT EXISTS device_staff (
    device_id  TEXT NOT NULL,
    staff_id   TEXT NOT NULL REFERENCES staff(id),
    first_seen TEXT NOT NULL,
    PRIMARY KEY (device_id, staff_id)
);
CREATE TABLE IF NOT EXISTS members (
    id               BIGINT PRIMARY KEY,
    card_no          TEXT UNIQUE,
    phone            TEXT,
    name             TEXT NOT NULL DEFAULT '',
    gender           TEXT,
    birthday         TEXT,
    level            TEXT NOT NULL DEFAULT 'regular',
    points           BIGINT NOT NULL DEFAULT 0,
    store_code       TEXT REFERENCES stores(code),
    advisor_id       TEXT,
    status           TEXT NOT NULL DEFAULT 'member',
    is_lead          INTEGER NOT NULL DEFAULT 0,
    lead_uuid        TEXT UNIQUE,
    join_date        TEXT,
    last_purchase_at TEXT,
    lifecycle        TEXT,
    rfm_segment      TEXT,
    address          TEXT,
    purchase_summary TEXT,
    version          BIGINT NOT NULL DEFAULT 1,
    updated_at       TEXT,
    merged_into      BIGINT                  -- a lead merged into another member: gone from the feed
);
CREATE INDEX IF NOT EXISTS members_phone ON members(phone);
CREATE INDEX IF NOT EXISTS members_store ON members(store_code, advisor_id);
-- The member version at which each field last changed: a correction based on an older version of
-- a field HQ has changed since is kept for review instead of overwriting HQ's value.
CREATE TABLE IF NOT EXISTS member_field_versions (
    member_id BIGINT NOT NULL REFERENCES members(id),
    field     TEXT NOT NULL,                 -- 'phone', 'birthday', 'address', 'child:<id>:birthday', …
    version   BIGINT NOT NULL,
    PRIMARY KEY (member_id, field)
);
-- Every offline enrolment HQ has seen, and the member it became (new, or merged into an existing one):
-- later mutations naming "lead:<uuid>" are resolved here.
CREATE TABLE IF NOT EXISTS lead_aliases (
    lead_uuid TEXT PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id)
);
CREATE TABLE IF NOT EXISTS children (
    id        BIGINT PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES members(id),
    name      TEXT,
    gender    TEXT,
    birthday  TEXT,
    due_date  TEXT
);
CREATE INDEX IF NOT EXISTS children_member ON children(member_id);
CREATE TABLE IF NOT EXISTS tag_groups (
    id         BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('manual', 'automatic')),
    choice     TEXT NOT NULL CHECK (choice IN ('single', 'multi')),
    roles      TEXT NOT NULL DEFAULT '[]',   -- JSON list of roles that may apply its tags
    sort_order INTEGER NOT NULL DEFAULT 0,
    color      TEXT,
    retired    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS tags (
    id         BIGINT PRIMARY KEY,
    group_id   BIGINT NOT NULL REFERENCES tag_groups(id),
    name       TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    color      TEXT,
    retired    INTEGER NOT NULL DEFAULT 0
);
-- Last writer wins per (member, tag): a removal is kept (present = 0) with its time, so an older
-- offline apply cannot resurrect a tag someone removed later.
CREATE TABLE IF NOT EXISTS member_tags (
    member_id BIGINT NOT NULL REFERENCES members(id),
    tag_id    BIGINT NOT NULL REFERENCES tags(id),
    present   INTEGER NOT NULL,
    at        TEXT NOT NULL,
    by_staff  TEXT,
    PRIMARY KEY (member_id, tag_id)
);
CREATE INDEX IF NOT EXISTS member_tags_tag ON member_tags(tag_id);
CREATE TABLE IF NOT EXISTS tasks (
    id          BIGINT PRIMARY KEY,
    store_code  TEXT NOT NULL REFERENCES stores(code),
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'general',
    priority    INTEGER NOT NULL DEFAULT 2,
    script      TEXT NOT NULL DEFAULT '',
    start_date  TEXT,
    due_date    TEXT,
    assignee_id TEXT,
    status      TEXT NOT NULL DEFAULT 'pending',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_store ON tasks(store_code);
CREATE TABLE IF NOT EXISTS task_targets (
    task_id    BIGINT NOT NULL REFERENCES tasks(id),
    member_id  BIGINT NOT NULL REFERENCES members(id),
    advisor_id TEXT,
    outcome    TEXT,
    outcome_at TEXT,
    outcome_by TEXT,
    note       TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, member_id)
);
CREATE INDEX IF NOT EXISTS task_targets_member ON task_targets(member_id);
-- When a member's advisor (task_id 0) or one task target's advisor was last set, and by whom: a
-- store manager's reassignment made offline loses to a later one (last writer wins by its ``at``).
-- No row: set when HQ created it, older than any reassignment.
CREATE TABLE IF NOT EXISTS assignments (
    member_id BIGINT NOT NULL,
    task_id   BIGINT NOT NULL,
    at        TEXT NOT NULL,
    by_staff  TEXT,
    PRIMARY KEY (member_id, task_id)
);
CREATE TABLE IF NOT EXISTS interactions (
    id             TEXT PRIMARY KEY,         -- UUIDv7 made by the device
    member_id      BIGINT NOT NULL REFERENCES members(id),
    staff_id       TEXT NOT NULL,
    type           TEXT NOT NULL,
    outcome        TEXT,
    note           TEXT NOT NULL DEFAULT '',
    occurred_at    TEXT NOT NULL,
    task_id        BIGINT,
    next_follow_up TEXT,
    created_at     TEXT NOT NULL,
    content_hash   TEXT NOT NULL             -- the same id with other content is refused
);
CREATE INDEX IF NOT EXISTS interactions_member ON interactions(member_id);
CREATE TABLE IF NOT EXISTS corrections (
    id           TEXT PRIMARY KEY,
    member_id    BIGINT NOT NULL REFERENCES members(id),
    child_id     BIGINT,
    field        TEXT NOT NULL,
    old_value    TEXT,
    new_value    TEXT NOT NULL,
    base_version BIGINT NOT NULL,
    staff_id     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected')),
    hq_reason    TEXT,
    reviewed_by  TEXT,
    reviewed_at  TEXT
);
CREATE INDEX IF NOT EXISTS corrections_status ON corrections(status);
-- Exactly once: every mutation id HQ has seen, with the outcome it answered.
CREATE TABLE IF NOT EXISTS applied_mutations (
    mutation_id  TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    device_seq   BIGINT NOT NULL,
    staff_id     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    result       TEXT NOT NULL,              -- the JSON outcome, answered again on a duplicate
    applied_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS applied_mutations_device ON applied_mutations(device_id, device_seq);
CREATE TABLE IF NOT EXISTS devices (
    device_id  TEXT PRIMARY KEY,
    store_code TEXT,
    last_seq   BIGINT NOT NULL DEFAULT 0,
    last_seen  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_rows (
    scope       TEXT NOT NULL,               -- a store code, or '*' for the chain-wide catalogue
    entity      TEXT NOT NULL,
    key         TEXT NOT NULL,
    seq         BIGINT NOT NULL UNIQUE,
    deleted     INTEGER NOT NULL DEFAULT 0,
    doc         {BLOB},                      -- what advisors and managers receive
    doc_cashier {BLOB},                      -- what cashiers receive (NULL: hidden from cashiers)
    PRIMARY KEY (scope, entity, key)
);
CREATE INDEX IF NOT EXISTS sync_rows_feed ON sync_rows(scope, seq);
CREATE INDEX IF NOT EXISTS sync_rows_entity ON sync_rows(entity, key);
"""


def ddl(dialect: str) -> list[str]:
    text = _DDL.replace("{BLOB}", "BYTEA" if dialect == "postgresql" else "BLOB")
    return [s.strip() for s in text.split(";") if s.strip()]


def create_schema(db: Database) -> None:
    """Create the tables (idempotent) and the database's identity: epoch and counters."""
    with db.write() as tx:
        for statement in ddl(db.dialect):
            tx.execute(statement)
        version = tx.scalar("SELECT value FROM hq_meta WHERE key = 'schema_version'")
        if version is not None and int(version) > SCHEMA_VERSION:
            raise RuntimeError(
                f"this HQ database has schema {version}; this server knows up to {SCHEMA_VERSION}: upgrade the server"
            )
        _init_meta(tx)


def _init_meta(tx: Tx) -> None:
    defaults = {
        "schema_version": str(SCHEMA_VERSION),
        "epoch": secrets.token_hex(4),  # a new database is a new history: old cursors must reset
        "purged_through": "0",
    }
    for key, value in defaults.items():
        tx.execute("INSERT INTO hq_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", (key, value))
    for name, start in (("change_seq", 0), ("member_id", 90_000_000), ("child_id", 900_000_000), ("task_id", 1000)):
        tx.execute("INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING", (name, start))


def get_meta(tx: Tx, key: str) -> str | None:
    return tx.scalar("SELECT value FROM hq_meta WHERE key = ?", (key,))


def set_meta(tx: Tx, key: str, value: str) -> None:
    tx.execute(
        "INSERT INTO hq_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def next_id(tx: Tx, counter: str, count: int = 1) -> int:
    """Allocate ``count`` ids from a counter; returns the first. Runs under the write lock."""
    end = tx.scalar("UPDATE counters SET value = value + ? WHERE name = ? RETURNING value", (count, counter))
    return int(end) - count + 1
