"""Shared fixtures: a migrated empty store, a seeded demo store, and the staff who act on it."""

from __future__ import annotations

import os

import pytest

from associate_app.demo.generator import StorePlan
from associate_app.demo.seed import seed_store
from associate_app.domain.actor import Actor
from associate_app.domain.vocabulary import Role
from associate_app.store import Store, open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def store(tmp_path) -> Store:
    s = open_store(tmp_path / "store.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "demo.db"
    s = open_store(path)
    seed_store(s, StorePlan(members=300, seed=7))
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return path


@pytest.fixture
def demo_store(_seeded_template, tmp_path) -> Store:
    """A 300-member store (advisors A001–A003, cashiers C001–C002, manager M001), fresh per test."""
    target = tmp_path / "demo.db"
    target.write_bytes(_seeded_template.read_bytes())
    s = open_store(target)
    yield s
    s.close()


@pytest.fixture
def advisor() -> Actor:
    return Actor(staff_id="A001", role=Role.ADVISOR, store_code="SH001")


@pytest.fixture
def other_advisor() -> Actor:
    return Actor(staff_id="A002", role=Role.ADVISOR, store_code="SH001")


@pytest.fixture
def cashier() -> Actor:
    return Actor(staff_id="C001", role=Role.CASHIER, store_code="SH001")


@pytest.fixture
def manager() -> Actor:
    return Actor(staff_id="M001", role=Role.MANAGER, store_code="SH001")
