"""How long to wait before trying HQ again: exponential back-off with full jitter, and Retry-After.

Full jitter (a random wait between zero and the exponential cap) keeps a whole store's counter PCs
from hammering HQ in step when it comes back after an outage.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries per call, the first included
    base_delay: float = 0.5  # seconds; the cap doubles per retry
    max_delay: float = 8.0
    max_retry_after: float = 30.0  # HQ asking to wait longer than this ends the cycle instead

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The wait before retry number ``retry`` (1 = the first retry)."""
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2 ** (retry - 1)))


NO_RETRY = RetryPolicy(attempts=1)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
