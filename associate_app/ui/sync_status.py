"""The status bar's sync line, always in sight: online or not, when last synced, what still waits to upload.

Staff must be able to trust that a tag or a call they saved is safe: the waiting count comes from the
outbox itself (re-read on every local change and sync result), "offline" is what the last cycle found,
and a failed cycle says why in words. HQ's rejections show as a clickable count; a cycle that HQ
answered with "sign in again" raises ``sign_in_required`` for the main window.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from associate_app.store.outbox import pending_count
from associate_app.sync import rejections
from associate_app.sync.results import DOWNLOADING, LAST_SYNC, PUSHING, SyncProgress, SyncResult
from associate_app.sync.scheduler import OFFLINE, ONLINE, SIGNED_OUT, UPDATE_REQUIRED, SyncStatus
from associate_app.ui import labels
from associate_app.ui.style import DANGER, MUTED, OK, PRIMARY

_WARN = "#d97706"
_DOT_COLOURS = {ONLINE: OK, OFFLINE: MUTED, SIGNED_OUT: _WARN, UPDATE_REQUIRED: DANGER}


def clock_time(when: dt.datetime) -> str:
    """HH:MM today, MM-DD HH:MM on another day (local time)."""
    local = when.astimezone()
    return local.strftime("%H:%M" if local.date() == dt.date.today() else "%m-%d %H:%M")


def last_synced_at(ctx, status: SyncStatus | None = None) -> dt.datetime | None:
    """When this device last synced successfully: this run's scheduler, else what an earlier run kept."""
    status = ctx.sync_status() if status is None else status
    if status.last_success is not None:
        return dt.datetime.fromtimestamp(status.last_success, dt.UTC)
    kept = ctx.store.get_state(LAST_SYNC)
    try:
        return dt.datetime.fromisoformat(kept.replace("Z", "+00:00")) if kept else None
    except ValueError:
        return None


class SyncStatusWidget(QWidget):
    rejections_requested = Signal()
    sign_in_required = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("syncStatus")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 0, 8, 0)
        row.setSpacing(10)
        self.dot = QLabel("●", objectName="syncDot")
        self.connection = QLabel(objectName="syncConnection")
        self.last_synced = QLabel(objectName="lastSynced")
        self.pending = QLabel(objectName="pendingCount")
        self.busy = QLabel(objectName="syncBusy")
        self.busy.setStyleSheet(f"color: {PRIMARY};")
        self.progress = QProgressBar(objectName="syncProgress")
        self.progress.setRange(0, 1000)
        self.progress.setFixedWidth(180)
        self.progress.setFormat(self.tr("Downloading %p%"))
        self.outcome = QLabel(objectName="syncOutcome")
        self.outcome.setStyleSheet(f"color: {DANGER};")
        self.badge = QPushButton(objectName="rejectionsBadge")
        self.badge.setFlat(True)
        self.badge.setStyleSheet(f"color: {DANGER}; font-weight: 600; border: none; padding: 2px 6px;")
        self.badge.setToolTip(self.tr("Changes HQ did not accept: see what to do"))
        self.badge.clicked.connect(self.rejections_requested)
        self.sync_button = QPushButton(self.tr("Sync now"), objectName="syncNow")
        self.sync_button.clicked.connect(self.sync_now)
        for widget in (self.dot, self.connection, self.last_synced, self.pending, self.busy, self.progress):
            row.addWidget(widget)
        row.addWidget(self.outcome, 1)
        row.addWidget(self.badge)
        row.addWidget(self.sync_button)
        self.progress.hide()
        ctx.changed.connect(self._changed)
        ctx.sync_progress.connect(self.show_progress)
        ctx.sync_finished.connect(self.show_result)
        status = ctx.sync_status()
        self._show_status(status)
        if status.last_result is not None and not status.last_result.ok:
            self._show_failure(status.last_result)
        self._show_running(status.running)
        self.refresh()

    def refresh(self) -> None:
        """Re-read what waits in the outbox and the unseen rejections (two indexed counts)."""
        waiting = pending_count(self.ctx.store)
        self.pending.setText(self.tr("{0} waiting to upload").format(waiting))
        self.pending.setStyleSheet(f"color: {_WARN if waiting else MUTED};")
        unseen = rejections.unseen_count(self.ctx.store)
        self.badge.setText(self.tr("{0} rejected by HQ").format(unseen))
        self.badge.setVisible(unseen > 0)

    def sync_now(self) -> None:
        if self.ctx.session.scheduler is None:
            return
        self._show_running(True)
        self.outcome.clear()
        self.ctx.sync_now()

    # Signals from the context -------------------------------------------------------------------

    def _changed(self, what: str, _member_id: object) -> None:
        self.refresh()

    def show_progress(self, progress: SyncProgress) -> None:
        fraction = progress.fraction
        if progress.full_download and fraction is not None:
            self.busy.hide()
            self.progress.setValue(round(fraction * 1000))
            self.progress.show()
            return
        self.progress.hide()
        if progress.phase == PUSHING and progress.total:
            text = self.tr("Uploading {0} of {1}…").format(progress.done, progress.total)
        elif progress.phase == DOWNLOADING:
            text = self.tr("Receiving HQ's changes…")
        else:
            text = self.tr("Syncing…")
        self.busy.setText(text)
        self.busy.show()
        self.sync_button.setEnabled(False)

    def show_result(self, result: SyncResult, status: SyncStatus) -> None:
        self._show_running(False)
        self._show_status(status)
        if result.ok:
            self.outcome.clear()
        else:
            self._show_failure(result)
        self.refresh()
        if result.outcome in ("auth_required", "forbidden"):
            self.sign_in_required.emit()

    # Pieces -------------------------------------------------------------------------------------

    def _show_running(self, running: bool) -> None:
        self.sync_button.setEnabled(not running)
        self.busy.setText(self.tr("Syncing…"))
        self.busy.setVisible(running)
        if not running:
            self.progress.hide()

    def _show_status(self, status: SyncStatus) -> None:
        words = {ONLINE: self.tr("Online"), OFFLINE: self.tr("Offline"), SIGNED_OUT: self.tr("Sign in again"),
                 UPDATE_REQUIRED: self.tr("Update required")}
        self.connection.setText(words.get(status.connection, self.tr("Not connected yet")))
        self.dot.setStyleSheet(f"color: {_DOT_COLOURS.get(status.connection, MUTED)}; font-size: 16px;")
        self.last_synced.setText(self._last_synced_text(status))

    def _last_synced_text(self, status: SyncStatus) -> str:
        when = last_synced_at(self.ctx, status)
        if when is None:
            return self.tr("Never synced")
        return self.tr("Last synced {0}").format(clock_time(when))

    def _show_failure(self, result: SyncResult) -> None:
        self.outcome.setText(labels.sync_outcome(result.outcome))
        self.outcome.setToolTip(labels.sync_outcome(result.outcome))
