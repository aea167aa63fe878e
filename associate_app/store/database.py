"""Opening the store: pragmas, backup-then-migrate, and the write transaction.

Why ``BEGIN IMMEDIATE``: the sync worker writes through its own connection. A deferred
transaction that read first and then wants to write fails at once with SQLITE_BUSY_SNAPSHOT in WAL
mode, which the busy timeout cannot wait out; taking the write lock up front makes a writer wait
its turn instead.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from associate_app.errors import DatabaseLocked, DiskFull, SchemaTooNew, StorageError
from associate_app.store.migrations import MIGRATIONS, SCHEMA_VERSION, known_migration_names

BUSY_TIMEOUT_MS = 5000


@dataclass
class Store:
    """An open store database. ``db`` is a sqlite-utils Database (dicts in, dicts out)."""

    db: sqlite_utils.Database
    path: Path | None

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction; everything inside commits together or not at all.

        Storage failures come out as typed ``StorageError``s with nothing written.
        """
        with translate_storage_errors():
            if self.conn.in_transaction:  # nested: a savepoint inside the caller's transaction
                with self.db.atomic():
                    yield self.db
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def one(self, sql: str, params: tuple | list | dict = ()) -> dict | None:
        """The first row of a query as a dict, or None."""
        cursor = self.conn.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def all(self, sql: str, params: tuple | list | dict = ()) -> list[dict]:
        """All rows of a query as dicts."""
        cursor = self.conn.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: tuple | list | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get_state(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM sync_state WHERE key = ?", (key,))
        return default if value is None else value

    def set_state(self, key: str, value: str | None) -> None:
        """Set a sync-state value; call inside ``write()`` when it must commit with other changes."""
        self.conn.execute(
            "INSERT INTO sync_state(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def close(self) -> None:
        self.conn.close()


@contextlib.contextmanager
def translate_storage_errors() -> Iterator[None]:
    """Turn SQLite's and the OS's storage failures into typed errors a user can be told about."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise DatabaseLocked("The local database is busy in another program; try again.") from exc
        if "disk is full" in text or "database or disk is full" in text:
            raise DiskFull("The disk is full: free some space, nothing was saved.") from exc
        if "readonly" in text or "read-only" in text:
            raise StorageError("The local database is read-only; nothing was saved.") from exc
        raise
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.IntegrityError):
            raise
        raise StorageError(f"The local database is damaged: {exc}") from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFull("The disk is full: free some space, nothing was saved.") from exc
        raise


def connect(path: Path | str | None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite_utils.Database:
    """A connection with the pragmas every store connection needs (also used by worker threads)."""
    target = ":memory:" if path is None else str(path)
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000)
    with translate_storage_errors():
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if path is not None:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StorageError(f"Could not switch the database to WAL mode (got {mode}).")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -32000")  # 32 MB page cache
    return sqlite_utils.Database(conn)


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in MIGRATIONS.applied(db)]


def backup_before_migrating(path: Path, db: sqlite_utils.Database) -> Path:
    """Copy the database (consistently, via SQLite's online backup) next to itself before a migration."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    version = len(applied_migrations(db))
    target = path.with_name(f"{path.stem}.v{version}.{stamp}.bak{path.suffix}")
    if target.exists():
        target = path.with_name(f"{path.stem}.v{version}.{stamp}.{time.time_ns()}.bak{path.suffix}")
    free = shutil.disk_usage(path.parent).free
    if free < path.stat().st_size * 2 + 10_000_000:
        raise DiskFull("Not enough free disk space to back up the database before upgrading it.")
    dest = sqlite3.connect(str(target))
    try:
        with dest:
            db.conn.backup(dest)
    finally:
        dest.close()
    return target


def open_store(path: Path | str | None, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
    """Open (creating if needed) a store database and bring its schema up to date.

    An existing database with pending migrations is backed up first. A database that has
    migrations this version does not know was written by a newer app and is refused.
    """
    file = None if path is None else Path(path)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    db = connect(file, busy_timeout_ms=busy_timeout_ms)
    try:
        _bring_up_to_date(db, file, migrate)
    except BaseException:
        db.conn.close()
        raise
    return Store(db=db, path=file)


def _bring_up_to_date(db: sqlite_utils.Database, file: Path | None, migrate: bool) -> None:
    with translate_storage_errors():
        applied = applied_migrations(db)
        unknown = [name for name in applied if name not in known_migration_names()]
        if unknown:
            raise SchemaTooNew(
                "This database was written by a newer version of the app; please upgrade the app.",
                unknown=unknown,
            )
        if migrate and MIGRATIONS.pending(db):
            if file is not None and applied:
                backup_before_migrating(file, db)
            MIGRATIONS.apply(db)


__all__ = ["SCHEMA_VERSION", "Store", "connect", "open_store"]
