"""Run every benchmark in turn: ``python -m bench`` (or ``python3 dev.py bench``).

Each prints its figures with the target and the ratio measured/target; the exit code is non-zero
when any target was missed, so a regression is visible, but nothing here runs in the test suite.
"""

from __future__ import annotations

import importlib
import sys

from bench import dataset

BENCHMARKS = ["bench.bench_lookup", "bench.bench_tags", "bench.bench_profile", "bench.bench_hq", "bench.bench_sync"]


def main() -> int:
    dataset.build()
    failed = []
    for name in BENCHMARKS:
        print(f"\n== {name}", flush=True)
        module = importlib.import_module(name)
        if not module.main([]):
            failed.append(name)
    if failed:
        print(f"\nMISSED targets in: {', '.join(failed)}")
        return 1
    print("\nAll benchmark targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
