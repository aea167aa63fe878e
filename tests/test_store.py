"""The local store: pragmas, transactions, storage failures, backups and schema versions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from associate_app.domain.vocabulary import MutationKind
from associate_app.errors import DatabaseLocked, DiskFull, SchemaTooNew, StorageError
from associate_app.ids import uuid7
from associate_app.store import open_store
from associate_app.store.migrations import known_migration_names
from associate_app.store.outbox import enqueue, pending, pending_count

FIXTURES = Path(__file__).parent / "fixtures" / "schema"


def test_store_uses_wal_full_sync_and_foreign_keys(store):
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA synchronous") == 2  # FULL
    assert store.scalar("PRAGMA foreign_keys") == 1


def test_write_commits_together_or_not_at_all(store):
    with pytest.raises(RuntimeError), store.write():
        store.conn.execute("INSERT INTO staff(id, store_code, name, role) VALUES ('A9', 'SH001', '王芳', 'advisor')")
        enqueue(store, MutationKind.TAG_APPLY, {"member": 1}, "A9")
        raise RuntimeError("power cut")
    assert store.scalar("SELECT count(*) FROM staff") == 0
    assert pending_count(store) == 0


def test_outbox_refuses_to_queue_outside_a_transaction(store):
    with pytest.raises(RuntimeError, match=r"inside Store\.write"):
        enqueue(store, MutationKind.TAG_APPLY, {"member": 1}, "A001")


def test_outbox_keeps_device_order_and_unicode_payloads(store):
    with store.write():
        first = enqueue(store, MutationKind.INTERACTION_LOG, {"note": "宝宝睡眠不好 😴"}, "A001")
        second = enqueue(store, MutationKind.TAG_REMOVE, {"member": 1}, "A001")
    rows = pending(store)
    assert [r["mutation_id"] for r in rows] == [first, second]
    assert rows[0]["payload"]["note"] == "宝宝睡眠不好 😴"
    assert rows[0]["seq"] < rows[1]["seq"]


def test_a_locked_database_is_a_clear_error_and_nothing_is_written(tmp_path):
    path = tmp_path / "s.db"
    store = open_store(path, busy_timeout_ms=100)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked), store.write():
            store.conn.execute("INSERT INTO sync_state VALUES ('x', '1')")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.get_state("x") is None
    store.close()


def test_a_full_disk_is_a_clear_error_and_nothing_is_written(store):
    pages = store.scalar("PRAGMA page_count")
    store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
    big = "x" * 200_000
    with pytest.raises(DiskFull), store.write():
        store.set_state("blob", big)
    assert store.get_state("blob") is None


def test_a_damaged_file_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError, match="damaged"):
        open_store(path)


def test_a_database_from_a_newer_app_is_refused(tmp_path):
    path = tmp_path / "s.db"
    store = open_store(path)
    store.conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('associate_app', '9999_future', 'x')"
    )
    store.close()
    with pytest.raises(SchemaTooNew):
        open_store(path)


def _load_fixture(sql_file: Path, target: Path) -> None:
    conn = sqlite3.connect(target)
    conn.executescript(sql_file.read_text(encoding="utf-8"))
    conn.close()


def _row_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    conn.close()
    return counts


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("v*.sql")), ids=lambda p: p.stem)
def test_every_earlier_schema_version_upgrades_without_losing_rows(fixture, tmp_path):
    path = tmp_path / "field.db"
    _load_fixture(fixture, path)
    before = _row_counts(path)
    assert before["members"] > 0 and before["outbox"] > 0
    store = open_store(path)
    applied = [r["name"] for r in store.all("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == known_migration_names()
    store.close()
    after = _row_counts(path)
    for table, count in before.items():
        if table != "_sqlite_migrations":
            assert after.get(table, 0) >= count, f"{table} lost rows in the upgrade"
    version = int(fixture.stem[1:])
    if version < len(known_migration_names()):
        backups = list(tmp_path.glob(f"field.v{version}.*.bak.db"))
        assert len(backups) == 1
        assert _row_counts(backups[0]) == before


def test_the_newest_fixture_is_the_current_schema():
    """When a migration is added, a fixture of the previous version must be committed with it."""
    newest = max(int(p.stem[1:]) for p in FIXTURES.glob("v*.sql"))
    assert newest >= len(known_migration_names()) - 1


@pytest.fixture
def with_next_migration(monkeypatch):
    """The real migration set plus one more, as the next release would ship it."""
    from sqlite_utils import Migrations

    import associate_app.store.database as database
    from associate_app.store import migrations

    upgraded = Migrations("associate_app")
    upgraded._migrations = list(migrations.MIGRATIONS._migrations)
    calls = {"fail": False}

    @upgraded(name="9000_add_member_wechat")
    def add_wechat(db):
        db.execute("ALTER TABLE members ADD COLUMN wechat_id TEXT")
        if calls["fail"]:
            raise RuntimeError("migration bug")

    monkeypatch.setattr(database, "MIGRATIONS", upgraded)
    monkeypatch.setattr(database, "known_migration_names", lambda: [m.name for m in upgraded._migrations])
    return calls


def test_a_pending_migration_backs_up_first_and_keeps_every_row(with_next_migration, tmp_path):
    path = tmp_path / "field.db"
    _load_fixture(FIXTURES / "v1.sql", path)
    before = _row_counts(path)
    store = open_store(path)
    assert "wechat_id" in store.db["members"].columns_dict
    store.close()
    after = _row_counts(path)
    assert {t: after[t] for t in before if t != "_sqlite_migrations"} == {
        t: c for t, c in before.items() if t != "_sqlite_migrations"
    }
    backups = list(tmp_path.glob("field.v1.*.bak.db"))
    assert len(backups) == 1 and _row_counts(backups[0]) == before


def test_a_failing_migration_leaves_the_database_as_it_was(with_next_migration, tmp_path):
    path = tmp_path / "field.db"
    _load_fixture(FIXTURES / "v1.sql", path)
    with_next_migration["fail"] = True
    with pytest.raises(RuntimeError, match="migration bug"):
        open_store(path)
    conn = sqlite3.connect(path)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(members)")]
    conn.close()
    assert "wechat_id" not in columns
    assert list(tmp_path.glob("field.v1.*.bak.db"))


def test_opening_an_up_to_date_store_makes_no_backup(tmp_path):
    path = tmp_path / "s.db"
    open_store(path).close()
    open_store(path).close()
    assert list(tmp_path.glob("*.bak*")) == []


def test_uuid7_ids_are_unique_ordered_and_version_7():
    ids = [uuid7() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert all(i[14] == "7" and i[19] in "89ab" for i in ids)
