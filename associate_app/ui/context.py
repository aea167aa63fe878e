"""What every view is given: the session (store for reads, actor), the background runner and app-wide signals.

Views read through ``ctx.store`` on the UI thread (indexed queries of a millisecond or two) and change
data only through ``ctx.write(op, on_success)``, which runs ``op(store, actor)`` on the writer thread, then
tells the sync scheduler (push soon) and every view (``changed``) on the UI thread. A refusal of the core
(``AssociateError``) is shown as a clear, translated message; anything else goes to the error dialog.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from associate_app.domain.actor import Actor
from associate_app.errors import AssociateError
from associate_app.lookup import name_keys
from associate_app.session import Session
from associate_app.store import Store
from associate_app.sync.results import SyncProgress, SyncResult
from associate_app.sync.scheduler import Listener, SyncStatus
from associate_app.ui import labels
from associate_app.ui.background import Runner
from associate_app.ui.error_dialog import show_unexpected

log = logging.getLogger(__name__)
UI_SWITCH_INTERVAL_S = 0.0005
T = TypeVar("T")


class AppContext(QObject):
    """One per signed-in session; views hold it, never the reverse."""

    changed = Signal(str, object)  # what changed ("tags", "interaction", "task", "sync"...), member id or None
    member_requested = Signal(int)  # open a member's profile (from search, a list, a task…)
    sync_progress = Signal(object)  # SyncProgress, on the UI thread
    sync_finished = Signal(object, object)  # SyncResult, SyncStatus, on the UI thread
    message = Signal(str)  # a short confirmation for the status bar ("Saved. 3 changes waiting.")
    _worker_progress = Signal(object)  # emitted on the sync worker, delivered queued on the UI thread
    _worker_result = Signal(object, object)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        name_keys.preload()  # searching a name needs pinyin; loading it later would freeze the window
        self.runner = Runner(session.open_store, self.unexpected, self)
        self._window: QWidget | None = None
        self._worker_progress.connect(self.sync_progress.emit, Qt.ConnectionType.QueuedConnection)
        self._worker_result.connect(self._sync_result, Qt.ConnectionType.QueuedConnection)

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def actor(self) -> Actor:
        return self.session.actor

    def set_window(self, window: QWidget) -> None:
        """The parent for message boxes."""
        self._window = window

    # Work ---------------------------------------------------------------------------------------

    def write(self, op: Callable[[Store, Actor], T], on_success: Callable[[T], None] | None = None, *,
              what: str = "data", member_id: int | None = None,
              on_failure: Callable[[BaseException], None] | None = None) -> None:
        """Run a domain write off the UI thread; on success notify sync and views, then ``on_success``."""
        actor = self.actor

        def done(result: T) -> None:
            if self.session.scheduler is not None:
                self.session.scheduler.notify_local_edit()
            self.changed.emit(what, member_id)
            if on_success is not None:
                on_success(result)

        self.runner.write(lambda store: op(store, actor), done, on_failure or self.refused)

    def run(self, fn: Callable[[], T], on_success: Callable[[T], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None) -> None:
        self.runner.run(fn, on_success, on_failure or self.refused)

    def open_member(self, member_id: int) -> None:
        self.member_requested.emit(int(member_id))

    # Errors -------------------------------------------------------------------------------------

    def refused(self, error: BaseException) -> None:
        """A refusal the core made on purpose: say it plainly; anything else is unexpected."""
        if not isinstance(error, AssociateError):
            self.unexpected(error)
            return
        log.info("refused: %s (%s)", error.message, error.code)
        QMessageBox.warning(self._window, self.tr("Not saved"), labels.error_message(error))

    def unexpected(self, error: BaseException) -> None:
        show_unexpected(error, self._window)

    # Sync ---------------------------------------------------------------------------------------

    def start_sync(self, **scheduler_options: Any) -> None:
        """Start the scheduler; its progress and results reach the UI thread as signals.

        Each cycle runs in a child process (``in_process``): on a thread here, its parsing and writing held
        the GIL, which every Qt and SQLite call of the UI thread gives up and must wait to take back, and
        the window froze for a few hundred milliseconds at a time. What still runs on threads here (the
        runner's reads and writes) gets the GIL back promptly with a 0.5 ms switch interval.
        """
        sys.setswitchinterval(UI_SWITCH_INTERVAL_S)
        scheduler = self.session.start_sync(**{"in_process": True, **scheduler_options})
        scheduler.add_listener(Listener(on_progress=self._progress_from_worker, on_result=self._result_from_worker))

    def sync_now(self) -> None:
        if self.session.scheduler is not None:
            self.session.scheduler.request_sync()

    def sync_status(self) -> SyncStatus:
        return self.session.scheduler.status if self.session.scheduler is not None else SyncStatus()

    def _progress_from_worker(self, progress: SyncProgress) -> None:
        self._worker_progress.emit(progress)

    def _result_from_worker(self, result: SyncResult, status: SyncStatus) -> None:
        self._worker_result.emit(result, status)

    def _sync_result(self, result: SyncResult, status: SyncStatus) -> None:
        """On the UI thread: views refresh when HQ's data or the outbox changed."""
        self.sync_finished.emit(result, status)
        if result.pulled or result.pushed or result.full_download:
            self.changed.emit("sync", None)

    def close(self) -> None:
        self.runner.shutdown()
