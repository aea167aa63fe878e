"""UI fixtures: the real widgets, offscreen, in Chinese, over a seeded store or a real embedded HQ.

``ui_ctx``: an AppContext signed in as advisor A001 on the 300-member demo store, offline (no HQ).
``ui_ctx_for(role)``: the same for another role. ``live_ctx``: a real demo HQ on loopback, the advisor
signed in over HTTP and synced once. ``wait_idle(ctx)`` waits until every background write answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from keyring.backends import null

from associate_app.credentials import CredentialStore
from associate_app.demo.live_hq import DEMO_ACCOUNTS, DEMO_PASSWORD, start_demo_hq
from associate_app.domain.actor import Actor
from associate_app.domain.vocabulary import Role
from associate_app.session import Session, sign_in
from associate_app.settings import Options
from associate_app.store import Store
from associate_app.sync.client import HQClient
from associate_app.sync.retry import RetryPolicy
from associate_app.ui import i18n
from associate_app.ui.context import AppContext

NAMES = {"A001": "李娜", "C001": "孙悦", "M001": "郑店长"}


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Settings, logs and profiles of a test stay in its own folder."""
    monkeypatch.setenv("ASSOCIATE_APP_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def qapp_args():
    return ["associate-app-tests"]


@pytest.fixture(scope="session", autouse=True)
def _chinese(qapp):
    """The UI's first language, as a user sees it."""
    translators = i18n.install(qapp, "zh_CN")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def offline_session(store: Store, role: Role = Role.ADVISOR) -> Session:
    staff = DEMO_ACCOUNTS[role]
    options = Options(hq_url="http://127.0.0.1:9", store_code="SH001", staff_no=staff)
    client = HQClient(options.hq_url, lambda: None, retry=RetryPolicy(attempts=1), timeout=(0.2, 0.2))
    return Session(options, store, Actor(staff, role, "SH001"), NAMES[staff], client,
                   CredentialStore(backend=null.Keyring()))


def wait_idle(qtbot, ctx: AppContext, timeout: int = 5000) -> None:
    """Every write and background job handed to ``ctx`` has answered on the UI thread."""
    qtbot.waitUntil(lambda: ctx.runner.pending == 0, timeout=timeout)


@pytest.fixture
def ui_ctx_for(demo_store, qapp) -> Iterator[Callable[[Role], AppContext]]:
    made: list[AppContext] = []

    def make(role: Role = Role.ADVISOR) -> AppContext:
        ctx = AppContext(offline_session(demo_store, role))
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def ui_ctx(ui_ctx_for) -> AppContext:
    return ui_ctx_for(Role.ADVISOR)


@pytest.fixture
def demo_hq(tmp_path):
    """A real reference HQ with the demo chain (60 members at SH001) on a loopback port."""
    hq = start_demo_hq(tmp_path / "hq", members=60)
    yield hq
    hq.stop()


@pytest.fixture
def live_ctx_for(demo_hq, qapp, qtbot) -> Iterator[Callable[[Role], AppContext]]:
    """Factory: an AppContext signed in over HTTP to ``demo_hq`` as ``role``, after its first sync."""
    made: list[AppContext] = []

    def make(role: Role = Role.ADVISOR) -> AppContext:
        options = demo_hq.options(role, sync_interval_seconds=3600)
        session = sign_in(options, DEMO_PASSWORD, CredentialStore(backend=null.Keyring()))
        ctx = AppContext(session)
        made.append(ctx)
        results = []
        ctx.sync_finished.connect(lambda result, status: results.append(result))
        ctx.start_sync(debounce=0.05, max_debounce=0.2)
        qtbot.waitUntil(lambda: bool(results), timeout=30000)
        assert results[0].ok, results[0].summary()
        return ctx

    yield make
    for ctx in made:
        ctx.close()
        ctx.session.close()


@pytest.fixture
def live_ctx(live_ctx_for) -> AppContext:
    return live_ctx_for(Role.ADVISOR)
