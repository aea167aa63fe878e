"""A tap on a tag chip at the till, on the 200,000-member store: change + history + outbox, fsynced.

Every timed call really changes something (jobs are planned untimed from each member's current tags),
so the figure is the cost of a committed write with ``synchronous = FULL``, not of a no-op.
Run: ``python -m bench.bench_tags``.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator

from associate_app.domain.actor import Actor
from associate_app.domain.tags import apply_tag, member_tag_state, undo_last_tag_change
from associate_app.domain.vocabulary import Role
from associate_app.store.database import Store
from bench.dataset import OUT, bench_store
from bench.stats import measure, report

RUNS, WARMUP = 600, 20
TARGET_MS = 5.0
SLOT_PAIR = (103, 104)  # 家庭阶段 0-6月 / 6-12月: single choice
MULTI_TAGS = tuple(range(201, 208))  # 育儿关注: multi choice
ADVISOR = Actor("A001", Role.ADVISOR, "SH001")


def held_tags(store: Store, member_id: int) -> set[int]:
    return {r[0] for r in store.conn.execute("SELECT tag_id FROM member_tags WHERE member_id = ?", (member_id,))}


def slot_jobs(store: Store, members: list[int]) -> Iterator[tuple[int, int]]:
    """Each member gets the one of the pair it does not hold, so the slot always changes hands."""
    for m in members:
        yield m, SLOT_PAIR[1] if SLOT_PAIR[0] in held_tags(store, m) else SLOT_PAIR[0]


def multi_jobs(store: Store, members: list[int], rng: random.Random) -> Iterator[tuple[int, int]]:
    for m in members:
        free = [t for t in MULTI_TAGS if t not in held_tags(store, m)]
        if free:
            yield m, rng.choice(free)


def timed_applies(store: Store, jobs: Iterator[tuple[int, int]]) -> tuple[Callable[[], object], list[bool]]:
    """A no-argument call applying the next planned (member, tag), and the list of whether each changed."""
    changed: list[bool] = []

    def call() -> None:
        member, tag = next(jobs)
        changed.append(apply_tag(store, ADVISOR, member, tag).changed)

    return call, changed


def main(argv: list[str] | None = None) -> bool:
    store = bench_store(workdir=OUT / "run-tags")  # own copy: other benchmarks may run at once
    sync = store.scalar("PRAGMA synchronous")
    assert sync == 2, f"expected synchronous = FULL (2), got {sync}"
    rng = random.Random(2026)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM members")]
    picked = rng.sample(ids, 3 * (RUNS + WARMUP))
    slot_members, multi_members, read_members = (picked[i::3] for i in range(3))
    print(f"{len(ids):,} members, {store.scalar('SELECT count(*) FROM member_tags'):,} member tags, "
          f"journal={store.scalar('PRAGMA journal_mode')}, synchronous=FULL")

    results = []
    call, changed = timed_applies(store, slot_jobs(store, slot_members))
    samples = measure(call, RUNS, WARMUP)
    assert all(changed), "every single-choice apply should replace the slot"
    results.append(report("apply single-choice (replaces sibling)", samples, target_ms=TARGET_MS, pct=95))

    call, changed = timed_applies(store, multi_jobs(store, multi_members, rng))
    samples = measure(call, RUNS, WARMUP)
    assert all(changed), "every multi-choice apply should add a tag"
    results.append(report("apply multi-choice", samples, target_ms=TARGET_MS, pct=95))

    samples = measure(lambda: undo_last_tag_change(store, ADVISOR), RUNS, WARMUP)
    results.append(report("undo own last change", samples, target_ms=TARGET_MS, pct=95))

    members = iter(read_members)
    samples = measure(lambda: member_tag_state(store, ADVISOR, next(members)), RUNS, WARMUP)
    results.append(report("member_tag_state (read, chips)", samples, target_ms=TARGET_MS, pct=95))

    print(f"outbox rows: {store.scalar('SELECT count(*) FROM outbox'):,}; "
          f"targets met: {sum(results)}/{len(results)}")
    store.close()
    return all(results)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
