"""HQ fixtures: a fresh HQ database on SQLite and on PostgreSQL, seeded, served over real HTTP.

PostgreSQL runs when ASSOCIATE_TEST_PG names a server (``python3 dev.py test`` and ``.ci/run``
start one with scripts/start-postgres.sh). Each test gets its own schema, dropped afterwards.
Where no server is available the PostgreSQL variants are skipped, except under
ASSOCIATE_REQUIRE_PG=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest

from hq.db import Database
from hq.embedded import EmbeddedHQ
from hq.seed import seed
from hq.service import open_hq
from tests.hq.api import Api

PG_URL = os.environ.get("ASSOCIATE_TEST_PG", "")
REQUIRE_PG = os.environ.get("ASSOCIATE_REQUIRE_PG") == "1"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_schema_url(schema: str) -> str:
    joiner = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{joiner}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def make_hq_db(tmp_path) -> Iterator[Callable[[str], Database]]:
    """Open a fresh, empty HQ database on the given backend ('sqlite' or 'postgresql')."""
    opened: list[tuple[Database, str | None]] = []

    def make(backend: str) -> Database:
        if backend == "sqlite":
            db = open_hq(f"sqlite:///{tmp_path / f'hq-{len(opened)}.db'}")
            opened.append((db, None))
            return db
        if not PG_URL:
            if REQUIRE_PG:
                pytest.fail("ASSOCIATE_TEST_PG is not set, and CI requires the PostgreSQL tests")
            pytest.skip("no PostgreSQL server: set ASSOCIATE_TEST_PG (scripts/start-postgres.sh prints one)")
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        db = open_hq(_pg_schema_url(schema))
        opened.append((db, schema))
        return db

    yield make
    for db, schema in opened:
        db.close()
        if schema:
            import psycopg

            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def hq_db(make_hq_db, backend) -> Database:
    """A seeded HQ: stores SH001 (60 members) and SH002 (30), staff A001…/A101…, password demo-2026."""
    db = make_hq_db(backend)
    seed(db, members=60, stores=2)
    return db


@pytest.fixture
def hq(hq_db) -> Iterator[EmbeddedHQ]:
    with EmbeddedHQ(hq_db) as server:
        yield server


@pytest.fixture
def api(hq) -> Callable[..., Api]:
    """``api("SH001", "A001")``: a signed-in client on its own device."""

    def make(store_code: str | None = None, staff_no: str | None = None, device_id: str | None = None) -> Api:
        client = Api(hq.url, device_id=device_id)
        return client.login(store_code, staff_no) if store_code and staff_no else client

    return make
