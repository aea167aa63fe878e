"""Sync fixtures: a real reference HQ on loopback and console devices that sign in to it and sync.

``device("SH001", "A001")`` gives a Device: its own store file, a signed-in HQClient, a SyncEngine and
the Actor for domain operations. Retries are quick (tests must not sleep for seconds) but real.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from associate_app.domain.actor import Actor
from associate_app.domain.vocabulary import Role
from associate_app.store import Store, open_store
from associate_app.sync.auth import device_id, sign_in
from associate_app.sync.client import HQClient
from associate_app.sync.engine import SyncEngine
from associate_app.sync.results import SyncResult
from associate_app.sync.retry import RetryPolicy
from hq.db import Database
from hq.embedded import EmbeddedHQ
from hq.seed import seed
from hq.service import open_hq
from tests.sync.faultproxy import FaultProxy

PASSWORD = "demo-2026"
QUICK_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=2.0)


@dataclass
class Device:
    store: Store
    client: HQClient
    engine: SyncEngine
    actor: Actor
    path: Path
    token: str

    def sync(self) -> SyncResult:
        return self.engine.run_cycle()

    def sync_ok(self) -> SyncResult:
        result = self.engine.run_cycle()
        assert result.ok, result.summary()
        return result


def make_device(url: str, path: Path, store_code: str, staff_no: str, *, retry: RetryPolicy = QUICK_RETRY,
                timeout: tuple[float, float] = (2.0, 10.0), page_limit: int = 1000) -> Device:
    """A device database at ``path``, signed in as ``staff_no`` (reusing the device id if it exists)."""
    store = open_store(path)
    client = HQClient(url, retry=retry, timeout=timeout)
    signed = sign_in(client, store_code, staff_no, PASSWORD, device_id(store))
    client.token = lambda: signed.token
    role = Role(signed.staff["role"])
    return Device(store, client, SyncEngine(store, client, page_limit=page_limit),
                  Actor(signed.staff["id"], role, store_code), path, signed.token)


@pytest.fixture
def hq_database(tmp_path) -> Database:
    """A seeded SQLite HQ: SH001 with 60 members, SH002 with 30; staff A001…, C001, M001; password demo-2026."""
    db = open_hq(f"sqlite:///{tmp_path / 'hq.db'}")
    seed(db, members=60, stores=2)
    yield db
    db.close()


@pytest.fixture
def live_hq(hq_database) -> Iterator[EmbeddedHQ]:
    with EmbeddedHQ(hq_database) as server:
        yield server


@pytest.fixture
def proxy(live_hq) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the live HQ (tests/sync/faultproxy.py)."""
    with FaultProxy(live_hq.url) as p:
        yield p


@pytest.fixture
def device(live_hq, tmp_path) -> Iterator[Callable[..., Device]]:
    """Factory: device(store_code, staff_no, name=None, url=None) signed in to the live HQ (or ``url``)."""
    made: list[Device] = []

    def make(store_code: str = "SH001", staff_no: str = "A001", name: str | None = None,
             url: str | None = None, **kwargs) -> Device:
        path = tmp_path / f"{name or f'{store_code}-{staff_no}-{len(made)}'}.db"
        dev = make_device(url or live_hq.url, path, store_code, staff_no, **kwargs)
        made.append(dev)
        return dev

    yield make
    for dev in made:
        dev.client.close()
        dev.store.close()
