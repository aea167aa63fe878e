"""SIGKILL at random moments of push, pull and local writes, then a restart: nothing lost, nothing applied
twice, the cursor never ahead of the data (issue 4).

A device process (tests/sync/kill_client.py) edits and syncs against the live reference HQ while HQ keeps
changing the store; it is killed over and over and its store is checked after every kill, then a last
clean run must leave the device equal to HQ (tests/sync/kill_harness.py, kill_checks.py). The seed is
random per run and printed: ``KILL_SYNC_SEED=<seed>`` replays its kill schedule (the delays and the steps
aimed at; the machine's own timing still varies). The long soak is ``python -m bench.soak_sync_kill``.
"""

from __future__ import annotations

import os
import random

import pytest

from tests.sync.kill_client import SABOTAGE
from tests.sync.kill_harness import run_kills

KILLS = 110
SEED_ENV = "KILL_SYNC_SEED"
# Re-downloads forced meanwhile: a new epoch (HQ restored) and a tombstone purge (devices away too long).
RESETS = ("epoch", "purge")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and fork are POSIX")]


def _seed() -> int:
    seed = int(os.environ.get(SEED_ENV) or random.SystemRandom().randrange(1, 1_000_000))
    print(f"{SEED_ENV}={seed}")
    return seed


def test_sigkill_during_push_and_pull_loses_nothing_applies_nothing_twice_and_never_runs_the_cursor_ahead(
        hq_database, live_hq, tmp_path):
    seed = _seed()
    report = run_kills(hq_database, live_hq.url, tmp_path, KILLS, seed, resets=RESETS)
    print(report.summary())
    assert report.violations == [], f"{SEED_ENV}={seed}: {report.summary()}\n" + "\n".join(report.violations[:40])
    assert report.kills == KILLS and report.mutations > 0
    in_push = sum(n for phase, n in report.phases.items() if phase.startswith("push"))
    in_pull = sum(n for phase, n in report.phases.items() if phase.startswith("pull"))
    assert in_push and in_pull, report.summary()


@pytest.mark.parametrize("mode", SABOTAGE)
def test_the_harness_catches_an_engine_that_breaks_its_promises(mode, hq_database, live_hq, tmp_path):
    """cursor-first: the cursor commits before its page; drop-outbox: rows leave the outbox before HQ has
    them; new-ids: a resend goes out under new mutation ids. Each must be caught (it takes a few kills)."""
    seed = _seed()
    report = run_kills(hq_database, live_hq.url, tmp_path, 60, seed, resets=RESETS, sabotage=mode,
                       log=lambda _line: None)
    caught = [v for v in report.violations if v.startswith("kill ")]  # after a kill, not only at the end
    assert caught, f"{mode} went unnoticed ({SEED_ENV}={seed}): {report.summary()}"
