"""Timing helpers shared by the benchmarks: percentiles of repeated calls, printed one line each."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(fn: Callable[[], object], runs: int, warmup: int = 20) -> list[float]:
    """Milliseconds per call over ``runs`` calls, after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float], *, target_ms: float | None = None, pct: float = 99) -> bool:
    """Print median/p95/p99 and the ratio to the target; return whether the target was met."""
    p = percentile(samples, pct)
    line = (f"{label:<44} n={len(samples):<6} median={statistics.median(samples):7.3f} ms  "
            f"p95={percentile(samples, 95):7.3f} ms  p99={percentile(samples, 99):7.3f} ms")
    ok = True
    if target_ms is not None:
        ok = p <= target_ms
        line += f"  target p{pct:g}≤{target_ms:g} ms  ratio={p / target_ms:5.2f}  {'OK' if ok else 'MISSED'}"
    print(line, flush=True)
    return ok
