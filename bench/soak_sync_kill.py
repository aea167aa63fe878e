"""Soak: a syncing device killed with SIGKILL over and over (default 1,000 times), checked after every kill.

``python -m bench.soak_sync_kill [--kills 1000] [--seed N] [--page-limit 20] [--resets epoch,purge]``

The same harness as tests/sync/test_kill_sync.py (tests/sync/kill_harness.py), only longer: a seeded SQLite
reference HQ on loopback keeps changing the store while a device process edits and syncs; each kill lands
after a random delay or just after a chosen step (push, settling HQ's answer, a page being applied, a local
write), and every few seconds HQ makes the device download everything again (a new epoch, purged
tombstones). Prints the kills by step, the mutations made, HQ's answers and the time; exits non-zero on
the first violation (a lost or doubled change, a cursor ahead of the data, a store that will not open)
and when the device and HQ disagree after the last, clean run. ``--sabotage MODE`` breaks the engine on
purpose to show the harness notices.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from hq.embedded import EmbeddedHQ
from hq.seed import seed as seed_hq
from hq.service import open_hq
from tests.sync.kill_client import SABOTAGE
from tests.sync.kill_harness import RESETS, run_kills


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, help="replays a run's kill timings (default: random, printed)")
    parser.add_argument("--members", type=int, default=60, help="members of the device's store on HQ")
    parser.add_argument("--page-limit", type=int, default=20, help="documents per pulled page")
    parser.add_argument("--max-delay", type=float, default=0.3, help="longest random wait before a kill, seconds")
    parser.add_argument("--resets", default=",".join(RESETS),
                        help="what forces a re-download now and then: epoch (a restore), purge (tombstones); '' none")
    parser.add_argument("--reset-every", type=float, default=6.0, help="seconds between forced re-downloads")
    parser.add_argument("--sabotage", choices=SABOTAGE, help="break the engine on purpose (the soak must fail)")
    args = parser.parse_args(argv or [])
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    print(f"soak_sync_kill: {args.kills} kills, seed {seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="soak-kill-") as tmp:
        workdir = Path(tmp)
        started = time.monotonic()
        hq = open_hq(f"sqlite:///{workdir / 'hq.db'}")
        seed_hq(hq, members=args.members, stores=2)
        print(f"HQ seeded in {time.monotonic() - started:.1f} s", flush=True)
        try:
            with EmbeddedHQ(hq) as server:
                report = run_kills(hq, server.url, workdir, args.kills, seed, page_limit=args.page_limit,
                                   max_delay=args.max_delay, reset_every=args.reset_every,
                                   resets=tuple(r for r in args.resets.split(",") if r), sabotage=args.sabotage,
                                   log=lambda line: print(line, flush=True))
        finally:
            hq.close()
    print(report.summary())
    print("kills by step:")
    for phase, count in sorted(report.phases.items(), key=lambda item: -item[1]):
        print(f"  {phase:<28} {count:>6}")
    print(f"{report.kills / report.seconds:.1f} kills/s; mutations made {report.mutations}, "
          f"HQ's answers {dict(report.answers)}")
    for line in report.violations[:50]:
        print(f"VIOLATION {line}")
    if report.violations:
        print(f"FAILED: {len(report.violations)} violations (replay with --seed {seed})")
        return False
    print("OK: nothing lost, nothing applied twice, the cursor never ahead of the data")
    return True


if __name__ == "__main__":
    raise SystemExit(0 if main(sys.argv[1:]) else 1)
