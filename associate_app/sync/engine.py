"""One sync cycle: check the protocol version, push the outbox until empty, pull until up to date.

The guarantees, and where they come from:
- Nothing entered is lost: an outbox row leaves only in the transaction that records HQ's answer to
  it. A lost answer means the row is sent again and HQ answers ``duplicate`` (exactly once).
- The cursor is never ahead of the data: a page and its cursor commit in one transaction.
- Edits made while a cycle runs are committed by the UI's own connection (its own transaction) and
  are simply still in the outbox afterwards; pulled data never hides them (see overlay.py).
- Reset required: the cursor is cleared and a re-download starts, the outbox untouched; whatever HQ
  did not send again is swept away when it completes. It resumes from its last page after a crash.

Runs on whatever thread calls it, one cycle at a time, with its own Store (SQLite connection).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from associate_app.clock import utc_now_iso
from associate_app.errors import AssociateError
from associate_app.store import outbox
from associate_app.store.database import Store
from associate_app.sync import bulk, overlay, replica
from associate_app.sync.client import PROTOCOL_VERSION, HQClient
from associate_app.sync.errors import (
    BodyTooLarge,
    Offline,
    ProtocolError,
    RequestRefused,
    ResetRequired,
    SyncError,
    UpdateRequired,
)
from associate_app.sync.outcomes import settle
from associate_app.sync.results import (
    CHECKING,
    DONE,
    DOWNLOADING,
    LAST_ERROR,
    LAST_SYNC,
    PUSHING,
    ProgressCallback,
    SyncProgress,
    SyncResult,
)
from associate_app.sync.validate import Page, check_page, check_push_answer

log = logging.getLogger(__name__)

CURSOR, RESYNC, HIGH_WATER = "cursor", "resync", "high_water"
# What HQ data that passed validation can still raise when written: it breaks a local rule. Rolled back.
UNFIT = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, OverflowError, KeyError,
         TypeError, ValueError)


class SyncEngine:
    def __init__(self, store: Store, client: HQClient, *, page_limit: int = 1000, push_batch: int = 250) -> None:
        self.store = store
        self.client = client
        self.page_limit = page_limit
        self.push_batch = push_batch
        self._lock = threading.Lock()
        self._version_ok = False
        self._last_saved_sync = 0.0
        # HQ's feed is ordered by change, not by dependency: see replica.py.
        store.conn.execute("PRAGMA foreign_keys = OFF")
        # What this connection writes can always be had again from HQ: a page (re-pulled from the cursor
        # before it, which commits atomically with it) or a push answer (a resent batch is answered
        # "duplicate" with the same outcome). So its commits need not wait for the disk: a power cut can
        # only take the device back a page, never split a page from its cursor. The users' own edits
        # commit on their connection with synchronous=FULL.
        store.conn.execute("PRAGMA synchronous = NORMAL")
        store.conn.execute("PRAGMA temp_store = FILE")  # index builds sort on disk, not in the app's memory

    def run_cycle(self, progress: ProgressCallback | None = None) -> SyncResult:
        """Push, then pull; never raises for network, HQ or storage trouble: the result says what happened."""
        report = progress or (lambda _p: None)
        result = SyncResult()
        started = time.monotonic()
        with self._lock:
            try:
                report(SyncProgress(CHECKING))
                self._check_version()
                self._push_all(result, report)
                self._pull_all(result, report)
            except AssociateError as exc:
                result.outcome, result.error = exc.code, exc.message
                result.retry_after = getattr(exc, "retry_after", None)
                result.details = {k: v for k, v in exc.details.items() if isinstance(v, str | int | float | None)}
                self._version_ok = self._version_ok and not isinstance(exc, Offline | UpdateRequired)
                log.info("sync stopped: %s", exc.message)
            try:
                result.pending = outbox.pending_count(self.store)
            except sqlite3.Error:  # the cycle's own outcome already says what went wrong
                log.warning("could not count the outbox", exc_info=True)
            result.seconds = time.monotonic() - started
            self._remember(result)
            report(SyncProgress(DONE, result.pulled, result.pulled, result.full_download))
        return result

    # Version -------------------------------------------------------------------------------------

    def _check_version(self) -> None:
        if self._version_ok:
            return
        hello = self.client.hello()
        supported = hello.get("protocol")
        low = supported.get("min") if isinstance(supported, dict) else None
        high = supported.get("max") if isinstance(supported, dict) else None
        if type(low) is not int or type(high) is not int:
            raise ProtocolError("HQ did not say which sync protocol it speaks.")
        if low > PROTOCOL_VERSION:
            raise UpdateRequired("This app is too old for HQ: update the app to sync again.", hq_code="client_too_old")
        if high < PROTOCOL_VERSION:
            raise UpdateRequired("HQ is older than this app and cannot sync with it yet: HQ must be upgraded.",
                                 hq_code="client_too_new")
        self._version_ok = True

    # Push ----------------------------------------------------------------------------------------

    def _push_all(self, result: SyncResult, report: ProgressCallback) -> None:
        total = outbox.pending_count(self.store)
        batch, refused_in_a_row = self.push_batch, 0
        while True:
            rows = outbox.pending(self.store, limit=batch)
            if not rows:
                return
            report(SyncProgress(PUSHING, result.pushed, max(total, result.pushed + len(rows))))
            sent = [{"mutation_id": r["mutation_id"], "device_seq": r["seq"], "kind": r["kind"],
                     "staff_id": r["staff_id"], "created_at": r["created_at"], "payload": r["payload"]} for r in rows]
            try:
                answer = self.client.push(sent)
            except RequestRefused as exc:
                if not isinstance(exc, BodyTooLarge) and exc.status != 422:
                    raise
                if len(rows) > 1:  # find the one HQ cannot take by halving the batch
                    batch = max(1, len(rows) // 2)
                    continue
                refused_in_a_row += 1
                if refused_in_a_row > 1:
                    raise  # two in a row: HQ refuses everything, keep the outbox as it is
                self._set_aside(rows[0], exc, result)
                continue
            except SyncError as exc:
                self._note_attempt(rows, exc)
                raise
            results = check_push_answer(answer, sent)
            try:
                with self.store.write():
                    settled = settle(self.store, rows, results)
                    overlay.reapply(self.store.conn, settled.touched)
            except UNFIT as exc:
                raise ProtocolError(f"HQ's answer does not fit this app's records ({exc}); "
                                    "nothing was marked as sent.") from exc
            result.pushed += len(rows)
            result.applied += settled.applied
            result.merged += settled.merged
            result.rejected += settled.rejected
            batch, refused_in_a_row = self.push_batch, 0

    def _set_aside(self, row: dict[str, Any], exc: RequestRefused, result: SyncResult) -> None:
        """A change HQ refuses as a request (it cannot even read it): kept as a rejection, out of the way."""
        log.warning("HQ refused mutation %s (%s) as a request: %s", row["mutation_id"], row["kind"], exc.message)
        verdict = {"mutation_id": row["mutation_id"], "effective": "rejected", "status": "rejected",
                   "reason": exc.hq_code or "refused", "message": exc.message, "current": None}
        with self.store.write():
            settle(self.store, [row], [verdict])
        result.pushed += 1
        result.rejected += 1

    def _note_attempt(self, rows: list[dict[str, Any]], exc: SyncError) -> None:
        try:
            with self.store.write():
                self.store.conn.executemany(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE mutation_id = ?",
                    [(f"{exc.code}: {exc.message}"[:300], r["mutation_id"]) for r in rows])
        except AssociateError:
            log.warning("could not note the failed attempt", exc_info=True)

    # Pull ----------------------------------------------------------------------------------------

    def _pull_all(self, result: SyncResult, report: ProgressCallback) -> None:
        try:
            self._download(result, report)
        except ResetRequired as exc:
            log.warning("HQ requires a re-download (%s)", exc.reason)
            result.reset_reason = exc.reason or "unknown"
            self._begin_reset(exc.reason)
            self._download(result, report)  # a second reset in one cycle propagates

    def _begin_reset(self, reason: str | None) -> None:
        """Start again from an empty cursor, keeping the outbox. After a change of store or role what is
        here must not stay visible meanwhile, so it goes at once; otherwise it stays until replaced."""
        with self.store.write():
            self.store.set_state(CURSOR, "")
            self.store.set_state(RESYNC, "1")
            self.store.conn.execute("DELETE FROM sync_seen")
            if reason == "scope_changed":
                replica.sweep_unseen(self.store)
                overlay.reapply(self.store.conn, None)

    def _download(self, result: SyncResult, report: ProgressCallback) -> None:
        """Pull to the end. The next page is fetched (and checked) on a helper thread while this one is
        written: HTTP, gzip and JSON overlap SQLite. Only one request is ever in flight."""
        cursor = self.store.get_state(CURSOR) or ""
        resync = self.store.get_state(RESYNC) == "1"
        full = resync or cursor == ""
        result.full_download = result.full_download or full
        bulk_start = cursor == "" and bulk.worth_it(self.store)
        page = self._fetch(cursor, full)
        total = None if page.remaining is None else page.count + page.remaining
        done, pool = 0, None
        try:
            while True:
                upcoming = None
                if page.has_more:
                    pool = pool or ThreadPoolExecutor(1, thread_name_prefix="sync-prefetch")
                    upcoming = pool.submit(self._fetch, page.cursor, False)
                done += page.count
                if page.count or page.cursor != cursor or (resync and not page.has_more):
                    self._apply(page, resync, begin_bulk=bulk_start)
                    bulk_start = False
                result.pulled += page.count
                result.pages += 1
                report(SyncProgress(DOWNLOADING, done, None if total is None else max(total, done), full))
                if upcoming is None:
                    return
                cursor, page = page.cursor, upcoming.result()
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _fetch(self, cursor: str, with_remaining: bool) -> Page:
        return check_page(self.client.pull(cursor, self.page_limit, with_remaining=with_remaining))

    def _apply(self, page: Page, resync: bool, *, begin_bulk: bool = False) -> None:
        try:
            with self.store.write():
                if begin_bulk:
                    bulk.begin(self.store)
                touched = replica.apply_page(self.store, page, track_seen=resync)
                self.store.set_state(CURSOR, page.cursor)
                self.store.set_state(HIGH_WATER, str(page.high_water))
                if resync and not page.has_more:
                    removed = replica.sweep_unseen(self.store)
                    self.store.set_state(RESYNC, None)
                    log.info("re-download complete; %d local rows HQ no longer has were removed", removed)
                    touched = None
                if not page.has_more and bulk.active(self.store):
                    bulk.finish(self.store)
                overlay.reapply(self.store.conn, touched)
        except UNFIT as exc:
            raise ProtocolError(f"HQ sent data that does not fit this app's records ({exc}); "
                                "nothing of that page was applied.") from exc

    # Bookkeeping ---------------------------------------------------------------------------------

    def _remember(self, result: SyncResult) -> None:
        """Last success and last error, for the status line across restarts (written at most once a minute
        when nothing changed, so an idle poll does not cost a disk flush every time)."""
        now = time.monotonic()
        if result.ok and result.pulled == 0 and result.pushed == 0 and now - self._last_saved_sync < 60:
            return
        try:
            with self.store.write():
                if result.ok:
                    self.store.set_state(LAST_SYNC, utc_now_iso())
                self.store.set_state(LAST_ERROR, None if result.ok else f"{result.outcome}: {result.error}")
            self._last_saved_sync = now
        except AssociateError:
            log.warning("could not record the sync result", exc_info=True)
