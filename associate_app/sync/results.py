"""What a sync cycle reports: progress while it runs, a result when it ends (plain data, no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# sync_state keys the engine keeps: when the last cycle succeeded, and what stopped the last one that did not.
LAST_SYNC, LAST_ERROR = "last_sync_at", "last_error"
# Phases, in the order a cycle goes through them.
CHECKING, PUSHING, DOWNLOADING, DONE = "checking", "pushing", "downloading", "done"


@dataclass(frozen=True)
class SyncProgress:
    """One step of a cycle, for a status line or a progress bar."""

    phase: str
    done: int = 0  # mutations pushed, or documents received, so far in this phase
    total: int | None = None  # expected total when known (documents: HQ's estimate at the start)
    full_download: bool = False  # a first download or a re-download: the big one worth a progress bar

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


ProgressCallback = Callable[[SyncProgress], None]


@dataclass
class SyncResult:
    """How a cycle ended. ``outcome`` is ``ok`` or the code of the SyncError that stopped it."""

    outcome: str = "ok"
    error: str | None = None  # English, for logs; the UI words ``outcome`` itself
    pushed: int = 0  # mutations HQ answered (and that left the outbox)
    applied: int = 0
    merged: int = 0
    rejected: int = 0
    pulled: int = 0  # documents received
    pages: int = 0
    reset_reason: str | None = None  # set when HQ required a re-download in this cycle
    full_download: bool = False
    pending: int = 0  # changes still waiting in the outbox when the cycle ended
    retry_after: float | None = None  # HQ asked to wait this long (busy)
    seconds: float = 0.0
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def reached_hq(self) -> bool:
        """HQ answered (even with a refusal): the device is online."""
        return self.outcome not in ("offline",)

    def summary(self) -> str:
        text = (f"{self.outcome}: pushed {self.pushed} (applied {self.applied}, merged {self.merged}, "
                f"rejected {self.rejected}), pulled {self.pulled} documents in {self.pages} pages, "
                f"{self.pending} waiting, {self.seconds:.2f} s")
        if self.reset_reason:
            text += f"; HQ required a re-download ({self.reset_reason})"
        if self.error:
            text += f"; {self.error}"
        return text
