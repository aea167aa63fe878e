"""When to sync: at start, every N seconds while online, on demand, and shortly after local edits.

One worker thread runs the cycles, with its own SQLite connection (opened on that thread), so the
UI's event loop never waits on HQ or on a big download. Given ``cycles`` (the console passes
``cycle_process.ProcessCycles``), the worker thread only waits while each cycle runs in a child
process. Progress and results go to listeners on the worker thread; ``Listener(fn, loop)`` hands them
to an asyncio loop (qasync's, in the console) with ``call_soon_threadsafe`` instead, so widgets are
only ever touched from the main thread.

Online or offline is what the last cycle found, never a guess: a cycle that reached HQ (even one
HQ refused) means online. Offline, the next try backs off from 15 s up to 10 minutes; "sign in
again" and "update the app" wait for the user instead of retrying on their own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from associate_app.store.database import Store
from associate_app.sync.client import HQClient
from associate_app.sync.results import ProgressCallback, SyncProgress, SyncResult

log = logging.getLogger(__name__)

ONLINE, OFFLINE, UNKNOWN, SIGNED_OUT, UPDATE_REQUIRED = "online", "offline", "unknown", "signed_out", "update"
WAIT_FOR_USER = {"auth_required": SIGNED_OUT, "update_required": UPDATE_REQUIRED, "forbidden": SIGNED_OUT}


class Cycles(Protocol):
    """Runs one cycle elsewhere (a child process) and can stop a running one."""

    def run(self, progress: ProgressCallback) -> SyncResult: ...

    def interrupt(self) -> None: ...


@dataclass(frozen=True)
class SyncStatus:
    """What a status bar shows: connection, whether a cycle runs, the last result and last success."""

    connection: str = UNKNOWN
    running: bool = False
    last_result: SyncResult | None = None
    last_success: float | None = None  # time.time() of the last successful cycle
    progress: SyncProgress | None = None


@dataclass(frozen=True)
class Listener:
    on_progress: Callable[[SyncProgress], Any] | None = None
    on_result: Callable[[SyncResult, SyncStatus], Any] | None = None
    loop: asyncio.AbstractEventLoop | None = None  # deliver on this loop's thread instead

    def deliver(self, fn: Callable[..., Any] | None, *args: Any) -> None:
        if fn is None:
            return
        if self.loop is not None:
            self.loop.call_soon_threadsafe(fn, *args)
        else:
            fn(*args)


class SyncScheduler:
    def __init__(self, open_store: Callable[[], Store], client: HQClient, *, interval: float = 300.0,
                 debounce: float = 2.0, max_debounce: float = 15.0,
                 offline_backoff: tuple[float, float] = (15.0, 600.0),
                 engine_options: dict[str, Any] | None = None, cycles: Cycles | None = None) -> None:
        self._open_store = open_store
        self._cycles = cycles
        self._client = client
        self.interval = interval
        self.debounce, self.max_debounce = debounce, max_debounce
        self.offline_backoff = offline_backoff
        self._engine_options = engine_options or {}
        self._cond = threading.Condition()
        self._waiters: list[concurrent.futures.Future[SyncResult]] = []
        self._requested = False
        self._edit_due: float | None = None
        self._first_edit: float | None = None
        self._next_due: float | None = 0.0  # a cycle on start
        self._offline_wait = offline_backoff[0]
        self._stopping = False
        self._status = SyncStatus()
        self._listeners: list[Listener] = []
        self._thread: threading.Thread | None = None

    # The API the UI drives -------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        with self._cond:
            self._listeners.append(listener)

    @property
    def status(self) -> SyncStatus:
        with self._cond:
            return self._status

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def request_sync(self) -> concurrent.futures.Future[SyncResult]:
        """Sync as soon as the worker is free; the future resolves with that cycle's result."""
        future: concurrent.futures.Future[SyncResult] = concurrent.futures.Future()
        with self._cond:
            if self._stopping:
                future.cancel()
                return future
            self._waiters.append(future)
            self._requested = True
            self._cond.notify_all()
        return future

    async def sync_now(self) -> SyncResult:
        """``await`` a cycle from the event loop without blocking it."""
        return await asyncio.wrap_future(self.request_sync())

    def notify_local_edit(self) -> None:
        """A change was saved locally: push it soon, after a short quiet spell (at most ``max_debounce``)."""
        now = time.monotonic()
        with self._cond:
            if self._first_edit is None:
                self._first_edit = now
            self._edit_due = min(self._first_edit + self.max_debounce, now + self.debounce)
            self._cond.notify_all()

    def stop(self, timeout: float = 30.0) -> None:
        """Let a running cycle finish (its work is committed page by page), then end the worker.

        A cycle in a child process is ended at once instead: quitting must not wait for a download.
        """
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._cycles is not None:
            self._cycles.interrupt()
        if self._thread is not None:
            self._thread.join(timeout)

    # The worker ------------------------------------------------------------------------------------

    def _run(self) -> None:
        store = None if self._cycles is not None else self._open_store()
        if self._cycles is not None:
            run = self._cycles.run
        else:
            from associate_app.sync.engine import SyncEngine  # not imported by a console whose cycles run elsewhere

            run = SyncEngine(store, self._client, **self._engine_options).run_cycle
        try:
            while self._wait_for_turn():
                self._cycle(run)
        finally:
            if store is not None:
                store.close()
            with self._cond:
                waiters, self._waiters = self._waiters, []
            for future in waiters:
                future.cancel()

    def _wait_for_turn(self) -> bool:
        with self._cond:
            while not self._stopping:
                due = min((t for t in (self._next_due, self._edit_due) if t is not None), default=None)
                now = time.monotonic()
                if self._requested or (due is not None and due <= now):
                    self._requested = False
                    self._edit_due = self._first_edit = None
                    self._status = replace(self._status, running=True)
                    return True
                self._cond.wait(None if due is None else due - now)
            return False

    def _cycle(self, run: Callable[[ProgressCallback], SyncResult]) -> None:
        with self._cond:
            waiters, self._waiters = self._waiters, []
        try:
            result = run(self._progress)
        except Exception as exc:  # a bug, not a sync failure: keep the worker alive, say so
            log.exception("sync cycle failed unexpectedly")
            result = SyncResult(outcome="internal_error", error=f"{type(exc).__name__}: {exc}")
        status = self._settle(result)
        for future in waiters:
            if not future.cancelled():
                future.set_result(result)
        for listener in self._listeners_now():
            listener.deliver(listener.on_result, result, status)

    def _settle(self, result: SyncResult) -> SyncStatus:
        now = time.monotonic()
        with self._cond:
            if result.outcome in WAIT_FOR_USER:
                connection, self._next_due = WAIT_FOR_USER[result.outcome], None
            elif not result.reached_hq:
                connection, self._next_due = OFFLINE, now + self._offline_wait
                self._offline_wait = min(self._offline_wait * 2, self.offline_backoff[1])
            else:
                connection = ONLINE
                self._offline_wait = self.offline_backoff[0]
                wait = self.interval if result.retry_after is None else max(result.retry_after, 1.0)
                self._next_due = now + (wait if result.ok else min(wait, self._offline_wait))
            last_success = time.time() if result.ok else self._status.last_success
            self._status = SyncStatus(connection, False, result, last_success, None)
            return self._status

    def _progress(self, progress: SyncProgress) -> None:
        with self._cond:
            self._status = replace(self._status, progress=progress)
        for listener in self._listeners_now():
            listener.deliver(listener.on_progress, progress)

    def _listeners_now(self) -> list[Listener]:
        with self._cond:
            return list(self._listeners)
