"""Versioned schema migrations (sqlite-utils ``Migrations``).

Never edit a migration that has shipped: add a new one. ``tests/test_migrations.py`` keeps a
database made at every earlier version and checks it upgrades without losing rows.

Conventions: HQ's integer ids are the primary keys (members enrolled offline get a provisional
negative id until HQ confirms them; ``ON UPDATE CASCADE`` carries the new id everywhere). Dates are
``YYYY-MM-DD``; instants are UTC ISO-8601 strings ending in ``Z``.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

MIGRATIONS = Migrations("associate_app")


@MIGRATIONS(name="0001_initial")
def initial(db: sqlite_utils.Database) -> None:
    db.executescript(_V1)


@MIGRATIONS(name="0002_sync")
def sync_tables(db: sqlite_utils.Database) -> None:
    db.executescript(_V2)


@MIGRATIONS(name="0003_member_sort_indexes")
def member_sort_indexes(db: sqlite_utils.Database) -> None:
    """A manager's table of the whole store sorted by points or last purchase: its first page is a walk
    of an index, not a sort of 200,000 rows (118 ms) on the window's thread."""
    db.executescript(_V3)


def known_migration_names() -> list[str]:
    return [m.name for m in MIGRATIONS._migrations]


_V1 = """
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE staff (
    id         TEXT PRIMARY KEY,            -- staff number, unique within the chain
    store_code TEXT NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('advisor', 'cashier', 'manager')),
    active     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE members (
    id               INTEGER PRIMARY KEY,   -- HQ member id; negative = enrolled here, awaiting HQ
    lead_uuid        TEXT UNIQUE,           -- client id of an offline enrolment
    card_no          TEXT UNIQUE,
    phone            TEXT,                  -- full, or masked (138****5678) on cashier devices
    phone_last4      TEXT,
    name             TEXT NOT NULL DEFAULT '',
    name_sort        TEXT NOT NULL DEFAULT '',  -- pinyin syllables: Chinese lists sort by pinyin
    gender           TEXT CHECK (gender IN ('F', 'M') OR gender IS NULL),
    birthday         TEXT,
    level            TEXT NOT NULL DEFAULT 'regular'
                     CHECK (level IN ('regular', 'silver', 'gold', 'black_gold')),
    points           INTEGER NOT NULL DEFAULT 0,
    store_code       TEXT,
    advisor_id       TEXT,
    status           TEXT NOT NULL DEFAULT 'member' CHECK (status IN ('member', 'quasi')),
    is_lead          INTEGER NOT NULL DEFAULT 0, -- enrolled in store, for HQ to confirm or merge
    join_date        TEXT,
    last_purchase_at TEXT,
    lifecycle        TEXT CHECK (lifecycle IN ('new', 'active', 'dormant', 'lost') OR lifecycle IS NULL),
    rfm_segment      TEXT,
    address          TEXT,
    purchase_summary TEXT,                  -- JSON from HQ: totals, orders, top categories
    search_keys      TEXT NOT NULL DEFAULT '[]', -- JSON list kept in member_keys by triggers
    next_follow_up   TEXT,                  -- derived from interactions by trigger
    last_contact_at  TEXT,                  -- derived from interactions by trigger
    version          INTEGER NOT NULL DEFAULT 0, -- HQ row version: the base of a correction
    updated_at       TEXT
);
CREATE INDEX members_phone ON members(phone);
CREATE INDEX members_phone_last4 ON members(phone_last4, advisor_id);
CREATE INDEX members_name ON members(name);
CREATE INDEX members_advisor ON members(advisor_id, name_sort);
CREATE INDEX members_name_sort ON members(name_sort);
CREATE INDEX members_follow_up ON members(advisor_id, next_follow_up) WHERE next_follow_up IS NOT NULL;
CREATE INDEX members_level ON members(level);
CREATE INDEX members_lifecycle ON members(lifecycle);

-- One row per search key (name substrings, pinyin, initials) so every name lookup is an index seek.
CREATE TABLE member_keys (
    key        TEXT NOT NULL,
    advisor_id TEXT NOT NULL DEFAULT '',
    member_id  INTEGER NOT NULL,
    PRIMARY KEY (key, advisor_id, member_id)
) WITHOUT ROWID;
CREATE INDEX member_keys_member ON member_keys(member_id);

CREATE TRIGGER members_keys_insert AFTER INSERT ON members BEGIN
    INSERT OR IGNORE INTO member_keys(key, advisor_id, member_id)
        SELECT value, coalesce(NEW.advisor_id, ''), NEW.id FROM json_each(NEW.search_keys);
END;
CREATE TRIGGER members_keys_update AFTER UPDATE OF search_keys, advisor_id, id ON members BEGIN
    DELETE FROM member_keys WHERE member_id = OLD.id;
    INSERT OR IGNORE INTO member_keys(key, advisor_id, member_id)
        SELECT value, coalesce(NEW.advisor_id, ''), NEW.id FROM json_each(NEW.search_keys);
END;
CREATE TRIGGER members_keys_delete AFTER DELETE ON members BEGIN
    DELETE FROM member_keys WHERE member_id = OLD.id;
END;

CREATE TABLE children (
    id        INTEGER PRIMARY KEY,          -- HQ child id
    member_id INTEGER NOT NULL REFERENCES members(id) ON UPDATE CASCADE ON DELETE CASCADE,
    name      TEXT,
    gender    TEXT CHECK (gender IN ('F', 'M') OR gender IS NULL),
    birthday  TEXT,
    due_date  TEXT,                         -- 预产期, for an expected baby
    CHECK (birthday IS NOT NULL OR due_date IS NOT NULL)
);
CREATE INDEX children_member ON children(member_id);
CREATE INDEX children_birthday ON children(birthday, member_id);
CREATE INDEX children_due_date ON children(due_date, member_id) WHERE due_date IS NOT NULL;

CREATE TABLE tag_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('manual', 'automatic')),
    choice     TEXT NOT NULL CHECK (choice IN ('single', 'multi')),
    roles      TEXT NOT NULL DEFAULT '[]',  -- JSON list of roles that may apply its tags
    sort_order INTEGER NOT NULL DEFAULT 0,
    color      TEXT,
    retired    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES tag_groups(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    color      TEXT,
    retired    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tags_group ON tags(group_id, sort_order);

CREATE TABLE member_tags (
    member_id  INTEGER NOT NULL REFERENCES members(id) ON UPDATE CASCADE ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    applied_by TEXT,                        -- staff id for manual tags; NULL for HQ's
    applied_at TEXT,
    PRIMARY KEY (member_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX member_tags_tag ON member_tags(tag_id, member_id);

-- One's own tag changes, newest last, so "undo" can reverse the last one.
CREATE TABLE tag_history (
    id         INTEGER PRIMARY KEY,
    staff_id   TEXT NOT NULL,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON UPDATE CASCADE ON DELETE CASCADE,
    group_id   INTEGER NOT NULL,
    added      TEXT NOT NULL DEFAULT '[]',  -- JSON tag ids
    removed    TEXT NOT NULL DEFAULT '[]',  -- JSON tag ids
    at         TEXT NOT NULL,
    undone     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tag_history_staff ON tag_history(staff_id, undone, id);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,        -- HQ push-task id
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'general',
    priority    INTEGER NOT NULL DEFAULT 2, -- 1 high, 2 normal, 3 low
    script      TEXT NOT NULL DEFAULT '',   -- 话术 suggested by HQ
    start_date  TEXT,
    due_date    TEXT,
    assignee_id TEXT,                       -- NULL: the whole store
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'in_progress', 'done', 'cancelled', 'expired')),
    created_at  TEXT,
    updated_at  TEXT
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status);

CREATE TABLE task_targets (
    task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id) ON UPDATE CASCADE ON DELETE CASCADE,
    advisor_id TEXT,                        -- who should contact this member for this task
    outcome    TEXT CHECK (outcome IN ('reached', 'not_reachable', 'interested', 'converted',
                                       'declined', 'wrong_number') OR outcome IS NULL),
    outcome_at TEXT,
    outcome_by TEXT,
    note       TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, member_id)
) WITHOUT ROWID;
CREATE INDEX task_targets_member ON task_targets(member_id, outcome);
CREATE INDEX task_targets_advisor ON task_targets(advisor_id, task_id);

CREATE TABLE interactions (
    id             TEXT PRIMARY KEY,        -- UUIDv7 made on the device that logged it
    member_id      INTEGER NOT NULL REFERENCES members(id) ON UPDATE CASCADE ON DELETE CASCADE,
    staff_id       TEXT NOT NULL,
    type           TEXT NOT NULL CHECK (type IN ('call', 'wechat', 'store_visit', 'home_visit', 'sms', 'event')),
    outcome        TEXT,
    note           TEXT NOT NULL DEFAULT '',
    occurred_at    TEXT NOT NULL,
    task_id        INTEGER,
    next_follow_up TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX interactions_member ON interactions(member_id, occurred_at);
CREATE INDEX interactions_staff ON interactions(staff_id, occurred_at);

-- Interactions are append-only: their content can never change once written.
CREATE TRIGGER interactions_append_only BEFORE UPDATE OF
    id, staff_id, type, outcome, note, occurred_at, task_id, next_follow_up, created_at ON interactions
BEGIN
    SELECT RAISE(ABORT, 'interactions are append-only');
END;
-- A follow-up belongs to the latest contact: the next contact with the member, whoever makes it,
-- either sets a new follow-up or settles it. A back-dated interaction (older than the last contact)
-- changes neither.
CREATE TRIGGER interactions_follow_up AFTER INSERT ON interactions BEGIN
    UPDATE members SET next_follow_up = NEW.next_follow_up, last_contact_at = NEW.occurred_at
     WHERE id = NEW.member_id AND (last_contact_at IS NULL OR NEW.occurred_at >= last_contact_at);
END;

CREATE TABLE corrections (
    id           TEXT PRIMARY KEY,          -- UUIDv7
    member_id    INTEGER NOT NULL REFERENCES members(id) ON UPDATE CASCADE ON DELETE CASCADE,
    child_id     INTEGER,
    field        TEXT NOT NULL,
    old_value    TEXT,
    new_value    TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    staff_id     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'submitted', 'accepted', 'rejected')),
    hq_reason    TEXT
);
CREATE INDEX corrections_member ON corrections(member_id, created_at);

-- The transactional outbox: one row per user action, written in the action's own transaction,
-- deleted only when HQ has acknowledged it. seq is the per-device sequence the protocol carries.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id TEXT NOT NULL UNIQUE,       -- UUIDv7: HQ applies each id exactly once
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,              -- JSON
    staff_id    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
"""

# What the sync engine keeps beside HQ's data (issue 4).
_V2 = """
-- Cashier devices hold masked phones; HQ sends a salted hash so a full number typed at the till still
-- finds its member without the device ever holding the number.
ALTER TABLE members ADD COLUMN phone_hash TEXT;
CREATE INDEX members_phone_hash ON members(phone_hash) WHERE phone_hash IS NOT NULL;

-- HQ's answer to a mutation it did not apply as the device did (rejected, or merged with a newer
-- state): kept for the user to see and act on; the outbox row itself is gone, so nothing is blocked.
CREATE TABLE sync_rejections (
    mutation_id TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,              -- JSON, as it was queued
    staff_id    TEXT NOT NULL,
    created_at  TEXT NOT NULL,              -- when the user made the change
    status      TEXT NOT NULL CHECK (status IN ('rejected', 'merged')),
    reason      TEXT,                       -- HQ's reason code
    message     TEXT,                       -- HQ's English message, for support
    current     TEXT,                       -- JSON: HQ's state of the thing now
    member_id   INTEGER,                    -- the member it concerns, as HQ resolved it
    answered_at TEXT NOT NULL,
    seen        INTEGER NOT NULL DEFAULT 0  -- the user has dismissed it
);
CREATE INDEX sync_rejections_seen ON sync_rejections(seen, answered_at);

-- A lead HQ merged into an existing member: later local references to the lead resolve here.
CREATE TABLE lead_ids (
    lead_uuid TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL
);

-- During a re-download after "reset required": what HQ has sent so far, so whatever it did not send
-- can be removed at the end. Survives a crash, so the re-download resumes.
CREATE TABLE sync_seen (
    entity TEXT NOT NULL,
    key    TEXT NOT NULL,
    PRIMARY KEY (entity, key)
) WITHOUT ROWID;
"""

_V3 = """
CREATE INDEX members_points ON members(points, id);
CREATE INDEX members_last_purchase ON members(last_purchase_at, id);
"""

SCHEMA_VERSION = len(MIGRATIONS._migrations)
