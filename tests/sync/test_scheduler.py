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


def test_driven_from_a_qasync_event_loop_the_qt_loop_keeps_turning(device, qapp):
    """The console's set-up: Qt's event loop is the asyncio loop (qasync); a whole first download runs
    on the worker while a Qt timer keeps firing, and results arrive on the Qt (main) thread."""
    import qasync
    from PySide6.QtCore import QTimer

    dev = device()
    scheduler = _scheduler(dev, interval=3600, engine_options={"page_limit": 20})
    gaps: list[float] = []
    last = [time.monotonic()]
    arrived: list[tuple[int, object]] = []

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)

    async def main():
        first = asyncio.Event()

        def on_result(result, status) -> None:
            arrived.append((threading.get_ident(), result))
            first.set()

        scheduler.add_listener(Listener(on_result=on_result, loop=asyncio.get_running_loop()))
        timer.start()
        scheduler.start()  # the start-up cycle: the store's first download
        await asyncio.wait_for(first.wait(), 60)
        again = await scheduler.sync_now()
        timer.stop()
        return arrived[0][1], again

    try:
        with loop:
            result, again = loop.run_until_complete(main())
    finally:
        scheduler.stop()
        asyncio.set_event_loop(None)
    assert result.ok and result.full_download and result.pages > 5
    assert again.ok and not again.full_download
    assert {thread for thread, _ in arrived} == {threading.main_thread().ident}
    assert len(gaps) > 10  # Qt kept processing its timer while the download ran
