"""Work HQ does on its own while it serves: expire overdue push-tasks, forget stale sign-in records.

Runs in a daemon thread of each server process. Every step is idempotent, so several processes
behind a load balancer may all run it; writes are serialised by the database anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from zoneinfo import ZoneInfo

from hq.admin.tasks import expire_overdue
from hq.auth import FAILURE_WINDOW
from hq.db import Database
from hq.timeutil import iso, now_utc

log = logging.getLogger("hq.housekeeping")
STORE_TIMEZONE = ZoneInfo("Asia/Shanghai")  # task due dates are days in the stores' calendar
SESSION_RETENTION = dt.timedelta(days=30)


def run_once(db: Database, now: dt.datetime | None = None) -> dict[str, int]:
    """One round; returns what it did (for the log and the tests)."""
    now = now or now_utc()
    store_today = now.astimezone(STORE_TIMEZONE).date().isoformat()
    expired = expire_overdue(db, store_today)["expired"]
    with db.write() as tx:
        failures = tx.execute("DELETE FROM login_failures WHERE at < ?", (iso(now - FAILURE_WINDOW),)).rowcount
        sessions = tx.execute("DELETE FROM sessions WHERE expires_at < ?", (iso(now - SESSION_RETENTION),)).rowcount
    return {"tasks_expired": len(expired), "login_failures_dropped": failures or 0,
            "sessions_dropped": sessions or 0}


class Housekeeper:
    """``Housekeeper(db).start()``: a round now, then one every ``interval`` seconds until ``stop()``."""

    def __init__(self, db: Database, interval: float = 600.0) -> None:
        self.db = db
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hq-housekeeping", daemon=True)

    def start(self) -> Housekeeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                done = run_once(self.db)
                if any(done.values()):
                    log.info("housekeeping: %s", done)
            except Exception:  # a failed round is logged and retried next time; serving goes on
                log.exception("housekeeping round failed")
            self._stop.wait(self.interval)
