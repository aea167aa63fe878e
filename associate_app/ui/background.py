"""Work off the UI thread, answers back on it: Picard's thread pool, Anki's success/failure callbacks.

``Runner.run(fn, on_success, on_failure)`` runs ``fn`` on an explicit executor and calls exactly one of
the callbacks on the main thread, through a queued Qt signal (so it works under qasync's loop and under
pytest-qt's). ``Runner.write(op, ...)`` runs a domain write ``op(store)`` on the one writer thread, which
has its own SQLite connection: a write that waits for the sync worker's lock never freezes the window.
``Runner.read(op, ...)`` runs a query on the one reader thread, also with its own connection: a lookup
that is slow for once (a first download has deferred the indexes) delays its answer, not the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from associate_app.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")
Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class _Bridge(QObject):
    finished = Signal(object, object, object)  # callback, argument, None


class Runner(QObject):
    """Owns the executors; ``pending`` counts jobs not yet answered (tests and shutdown wait on it)."""

    idle = Signal()

    def __init__(self, open_store: Callable[[], Store], on_unexpected: Failure, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_store = open_store
        self._on_unexpected = on_unexpected
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ui-work")
        self._writer = _Lane("ui-writer", open_store)
        self._reader = _Lane("ui-reader", open_store)
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.pending = 0

    def run(self, fn: Callable[[], T], on_success: Callable[[T], None] | None = None,
            on_failure: Failure | None = None) -> Future:
        return self._submit(self._pool, fn, on_success, on_failure)

    def write(self, op: Callable[[Store], T], on_success: Callable[[T], None] | None = None,
              on_failure: Failure | None = None) -> Future:
        """``op(store)`` on the writer thread's own connection; one write at a time, in order."""
        return self._submit(self._writer.executor, lambda: op(self._writer.store()), on_success, on_failure)

    def read(self, op: Callable[[Store], T], on_success: Callable[[T], None] | None = None,
             on_failure: Failure | None = None) -> Future:
        """``op(store)`` on the reader thread's own connection; queries answer in the order asked."""
        return self._submit(self._reader.executor, lambda: op(self._reader.store()), on_success, on_failure)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._reader.shutdown()
        self._writer.shutdown()

    # -------------------------------------------------------------------------------------------

    def _submit(self, executor: ThreadPoolExecutor, fn: Callable[[], Any], on_success: Success | None,
                on_failure: Failure | None) -> Future:
        self.pending += 1
        future = executor.submit(fn)
        future.add_done_callback(lambda f: self._finished(f, on_success, on_failure))
        return future

    def _finished(self, future: Future, on_success: Success | None, on_failure: Failure | None) -> None:
        """On the worker thread: hand the outcome to the main thread (never touch a widget here)."""
        if future.cancelled():
            self._bridge.finished.emit(None, None, None)
            return
        error = future.exception()
        if error is None:
            self._bridge.finished.emit(on_success, future.result(), None)
        else:
            self._bridge.finished.emit(on_failure or self._on_unexpected, error, None)

    def _deliver(self, callback: Callable[[Any], None] | None, argument: Any, _unused: object) -> None:
        self.pending -= 1
        try:
            if callback is not None:
                callback(argument)
        except Exception as exc:  # a bug in a callback: report it, keep the window alive
            log.exception("a background callback failed")
            self._on_unexpected(exc)
        finally:
            if self.pending == 0:
                self.idle.emit()


class _Lane:
    """One thread with its own SQLite connection (a connection belongs to the thread that opened it)."""

    def __init__(self, name: str, open_store: Callable[[], Store]) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._open_store = open_store
        self._store: Store | None = None

    def store(self) -> Store:
        """On the lane's thread: its connection, opened on first use."""
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def shutdown(self) -> None:
        self.executor.submit(self._close)
        self.executor.shutdown(wait=True)

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
