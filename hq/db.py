"""One small database layer for SQLite and PostgreSQL, so every HQ operation is written once.

SQL is written with ``?`` placeholders (translated for psycopg). Writes are serialised: SQLite has a
single writer anyway (``BEGIN IMMEDIATE``), and on PostgreSQL every write transaction first takes one
transaction-scoped advisory lock. That is what makes the change feed safe: a change sequence value
is allocated at the end of a write transaction, so sequence order is commit order and a pull can
never skip a change that commits late (the classic out-of-order ``nextval`` trap). A reference HQ
writes little (pushes are batched); reads, which are most of the traffic, never take the lock.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

WRITE_LOCK_KEY = 7_406_241  # the advisory lock every PostgreSQL write transaction holds

try:  # PostgreSQL is optional at import time: a SQLite-only deployment needs no driver
    import psycopg
    import psycopg_pool

    IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
    OperationalError: tuple[type[Exception], ...] = (sqlite3.OperationalError, psycopg.OperationalError)
except ImportError:  # pragma: no cover - psycopg is a declared dependency
    psycopg = None
    IntegrityError = (sqlite3.IntegrityError,)
    OperationalError = (sqlite3.OperationalError,)


class Tx:
    """A transaction in progress: thin helpers over a DB-API cursor, ``?`` placeholders everywhere."""

    def __init__(self, db: Database, conn: Any) -> None:
        self.db = db
        self.conn = conn
        self._savepoints = 0
        self.touched: dict[str, set[str]] = {}

    def touch(self, entity: str, *keys: object) -> None:
        """Note that these entities changed: their feed documents are re-rendered before commit."""
        self.touched.setdefault(entity, set()).update(str(k) for k in keys)

    def _sql(self, sql: str) -> str:
        return self.db.translate(sql)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.db.dialect == "postgresql":  # binary results: feed documents arrive as bytes, not hex text
            return self.conn.execute(self._sql(sql), tuple(params), binary=True)
        return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        if self.db.dialect == "sqlite":
            self.conn.executemany(sql, rows)
        else:
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), rows)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        return self.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(sql, params)
        return row[0] if row else None

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested unit that can fail alone: one push mutation is rolled back without its batch."""
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self.execute(f"RELEASE SAVEPOINT {name}")
        finally:
            self._savepoints -= 1


class Database:
    """Opened with :func:`open_database`. ``write()`` and ``read()`` give transactions."""

    dialect: str
    # Called with the transaction just before a write commits (hq.feed publishes touched entities).
    before_commit: Callable[[Tx], None] | None = None

    @contextlib.contextmanager
    def _run(self, conn: Any, statements: Sequence[str]) -> Iterator[Tx]:
        """BEGIN (and whatever must follow it), then COMMIT after the feed hook, or ROLLBACK on any error."""
        conn.execute(statements[0])
        try:
            for statement in statements[1:]:
                conn.execute(statement)
            tx = Tx(self, conn)
            yield tx
            if tx.touched and self.before_commit is not None:
                self.before_commit(tx)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def translate(self, sql: str) -> str:
        return sql

    def write(self) -> contextlib.AbstractContextManager[Tx]:
        raise NotImplementedError

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SQLiteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # an acknowledged push must survive a power cut
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def write(self) -> contextlib.AbstractContextManager[Tx]:
        return self._run(self._conn(), ["BEGIN IMMEDIATE"])

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        return self._run(self._conn(), ["BEGIN"])  # a WAL read transaction: one snapshot for all statements

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str, max_connections: int = 16) -> None:
        self.url = url
        self.pool = psycopg_pool.ConnectionPool(
            url, min_size=1, max_size=max_connections, open=True, kwargs={"autocommit": True}
        )
        self._cache: dict[str, str] = {}

    def translate(self, sql: str) -> str:
        out = self._cache.get(sql)
        if out is None:
            out = self._cache[sql] = sql.replace("%", "%%").replace("?", "%s")
        return out

    @contextlib.contextmanager
    def _pooled(self, statements: Sequence[str]) -> Iterator[Tx]:
        with self.pool.connection() as conn, self._run(conn, statements) as tx:
            yield tx

    def write(self) -> contextlib.AbstractContextManager[Tx]:
        return self._pooled(["BEGIN ISOLATION LEVEL READ COMMITTED", f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"])

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        return self._pooled(["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"])

    def close(self) -> None:
        self.pool.close()


def open_database(url: str) -> Database:
    """``postgresql://user:pw@host:port/db``, ``sqlite:///path/hq.db`` or a plain file path."""
    if url.startswith(("postgresql://", "postgres://")):
        if psycopg is None:  # pragma: no cover
            raise RuntimeError("PostgreSQL needs the psycopg package")
        return PostgresDatabase(url)
    if url.startswith("sqlite:///"):  # SQLAlchemy's convention: sqlite:///relative, sqlite:////absolute
        url = url[len("sqlite:///"):]
    elif url.startswith("sqlite:"):
        raise ValueError(f"cannot read the database URL {url!r}: use sqlite:///path/to/hq.db")
    path = Path(url).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return SQLiteDatabase(path)
