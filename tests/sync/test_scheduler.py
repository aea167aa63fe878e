"""The scheduler: a cycle on start, on demand, debounced after edits, on its interval; online state
from real outcomes; results delivered on an asyncio loop's thread without blocking it."""

from __future__ import annotations

import asyncio
import threading
import time

from associate_app.domain import interactions
from associate_app.store import open_store
from associate_app.sync.client import HQClient
from associate_app.sync.scheduler import OFFLINE, ONLINE, SIGNED_OUT, Listener, SyncScheduler
from tests.sync.conftest import QUICK_RETRY


def _scheduler(dev, **kwargs) -> SyncScheduler:
    return SyncScheduler(lambda: open_store(dev.path), dev.client, **kwargs)


def _wait(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def test_syncs_on_start_then_on_demand_and_reports_online(device):
    dev = device()
    results = []
    scheduler = _scheduler(dev, interval=3600)
    scheduler.add_listener(Listener(on_result=lambda r, s: results.append((r, s))))
    scheduler.start()
    try:
        _wait(lambda: len(results) == 1)
        first, status = results[0]
        assert first.ok and first.full_download and status.connection == ONLINE and status.last_success
        assert dev.store.scalar("SELECT count(*) FROM members") > 0  # written by the worker's own connection
        again = scheduler.request_sync().result(timeout=20)
        assert again.ok and not again.full_download
    finally:
        scheduler.stop()


def test_a_local_edit_is_pushed_shortly_after_without_asking(device, hq_database):
    dev = device()
    dev.sync_ok()
    scheduler = _scheduler(dev, interval=3600, debounce=0.2, max_debounce=1.0)
    done = []
    scheduler.add_listener(Listener(on_result=lambda r, s: done.append(r)))
    scheduler.start()
    try:
        _wait(lambda: len(done) == 1)  # the start-up cycle
        member = dev.store.scalar("SELECT id FROM members WHERE advisor_id = 'A001' LIMIT 1")
        logged = interactions.log_interaction(dev.store, dev.actor, member, "call", note="自动上传")
        scheduler.notify_local_edit()
        scheduler.notify_local_edit()  # a burst of edits: one cycle
        _wait(lambda: len(done) >= 2)
        time.sleep(0.5)
        assert len(done) == 2 and done[1].pushed == 1
        with hq_database.read() as tx:
            assert tx.scalar("SELECT count(*) FROM interactions WHERE id = ?", (logged.id,)) == 1
    finally:
        scheduler.stop()


def test_runs_again_on_its_interval(device):
    dev = device()
    done = []
    scheduler = _scheduler(dev, interval=0.3)
    scheduler.add_listener(Listener(on_result=lambda r, s: done.append(r)))
    scheduler.start()
    try:
        _wait(lambda: len(done) >= 3)
        assert all(r.ok for r in done)
    finally:
        scheduler.stop()


def test_offline_when_hq_cannot_be_reached_and_signed_out_on_401(device, tmp_path):
    dev = device()
    unreachable = HQClient("http://127.0.0.1:9", retry=QUICK_RETRY, timeout=(0.5, 0.5))
    unreachable.token = dev.client.token
    scheduler = SyncScheduler(lambda: open_store(dev.path), unreachable, offline_backoff=(60, 600))
    scheduler.start()
    try:
        result = scheduler.request_sync().result(timeout=20)
        assert result.outcome == "offline" and scheduler.status.connection == OFFLINE
        assert scheduler.status.last_success is None
    finally:
        scheduler.stop()
    dev.client.token = lambda: "not-a-token"
    scheduler = _scheduler(dev)
    scheduler.start()
    try:
        result = scheduler.request_sync().result(timeout=20)
        assert result.outcome == "auth_required" and scheduler.status.connection == SIGNED_OUT
    finally:
        scheduler.stop()


def test_results_arrive_on_the_event_loop_thread_which_never_waits(device):
    dev = device()
    scheduler = _scheduler(dev, interval=3600)
    seen_threads: set[int] = set()
    ticks: list[float] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        scheduler.add_listener(Listener(on_progress=lambda p: seen_threads.add(threading.get_ident()),
                                        on_result=lambda r, s: seen_threads.add(threading.get_ident()), loop=loop))

        async def tick() -> None:
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.005)

        ticker = asyncio.create_task(tick())
        scheduler.start()
        result = await scheduler.sync_now()
        await asyncio.sleep(0.05)
        ticker.cancel()
        assert result.ok

    try:
        asyncio.run(main())
    finally:
        scheduler.stop()
    assert seen_threads == {threading.main_thread().ident}
    assert len(ticks) > 5  # the loop kept turning while cycles ran on the worker
