"""Read side on the 200,000-member store: the member profile (target p95 ≤ 10 ms) and the "my members" table.

``python -m bench.bench_profile``. Works on a private copy of the benchmark store, to which it adds a
contact history (30 interactions and a pending correction for each profiled member) so the timeline
query has real rows to read. The list figures have no target; they are printed for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys

from associate_app.clock import to_iso
from associate_app.domain.actor import Actor
from associate_app.domain.dashboard import store_completion, task_completion
from associate_app.domain.profile import member_profile
from associate_app.domain.queries import MemberFilter, count_my_members, follow_ups, my_members
from associate_app.domain.task_lists import my_tasks, task_targets
from associate_app.domain.vocabulary import Role
from associate_app.store import Store, hq_data
from bench.dataset import OUT, bench_store
from bench.stats import measure, report

PROFILE_TARGET_MS = 10.0
ADVISOR = Actor("A001", Role.ADVISOR, "SH001")
MANAGER = Actor("M001", Role.MANAGER, "SH001")
CASHIER = Actor("C001", Role.CASHIER, "SH001")


def add_history(store: Store, member_ids: list[int], per_member: int = 30) -> None:
    """Give the profiled members a realistic timeline and one correction waiting for HQ."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with store.write():
        hq_data.insert_interactions(store, (
            {"id": f"bench-{m}-{n}", "member_id": m, "staff_id": f"A{n % 80 + 1:03d}", "type": "call",
             "note": "电话回访，宝宝近况良好", "occurred_at": to_iso(start + dt.timedelta(days=n, hours=m % 7))}
            for m in member_ids for n in range(per_member)
        ))
        store.conn.executemany(
            "INSERT INTO corrections(id, member_id, field, new_value, base_version, staff_id, created_at) "
            "VALUES (?, ?, 'address', '上海市浦东新区', 1, 'A001', '2026-06-01T00:00:00.000Z')",
            [(f"bench-c-{m}", m) for m in member_ids],
        )
    store.conn.execute("ANALYZE")


def bench_profiles(store: Store, member_ids: list[int], runs: int) -> bool:
    ok = True
    for actor in (ADVISOR, CASHIER):
        ids = itertools.cycle(member_ids)
        samples = measure(lambda a=actor, i=ids: member_profile(store, a, next(i)), runs=runs)
        ok &= report(f"member_profile {actor.role} (random member)", samples, target_ms=PROFILE_TARGET_MS, pct=95)
    return ok


def bench_lists(store: Store, runs: int) -> None:
    common_tag = store.scalar("SELECT tag_id FROM member_tags INDEXED BY member_tags_tag "
                              "GROUP BY tag_id ORDER BY count(*) DESC LIMIT 1")
    filters = {
        "no filter": MemberFilter(),
        "tag 103 (5%)": MemberFilter(tag_ids=(103,)),
        f"tag {common_tag} (top)": MemberFilter(tag_ids=(common_tag,)),
        "follow-up due": MemberFilter(follow_up_due=True),
        "1-3y + gold": MemberFilter(child_age_band="1-3y", level="gold"),
    }
    for actor in (ADVISOR, MANAGER):
        for label, flt in filters.items():
            report(f"my_members p1 {actor.role}: {label}",
                   measure(lambda a=actor, f=flt: my_members(store, a, f), runs=runs, warmup=5))
            report(f"count_my_members {actor.role}: {label}",
                   measure(lambda a=actor, f=flt: count_my_members(store, a, f), runs=runs, warmup=5))
        report(f"my_members p20 by points {actor.role}",
               measure(lambda a=actor: my_members(store, a, order_by="points", offset=1900), runs=runs, warmup=5))
        report(f"follow_ups ({actor.role})", measure(lambda a=actor: follow_ups(store, a), runs=runs, warmup=5))
        report(f"my_tasks ({actor.role})", measure(lambda a=actor: my_tasks(store, a), runs=runs, warmup=5))
        report(f"task_targets ({actor.role})", measure(lambda a=actor: task_targets(store, a, 500), runs=runs,
                                                       warmup=5))
    report("store_completion (manager)", measure(lambda: store_completion(store, MANAGER), runs=runs // 2, warmup=3))
    report("task_completion (manager)", measure(lambda: task_completion(store, MANAGER), runs=runs, warmup=5))


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=2000, help="random members to profile")
    parser.add_argument("--runs", type=int, default=40, help="timed calls per list query")
    args = parser.parse_args(argv)
    store = bench_store(workdir=OUT / "run-profile")
    try:
        print(f"store: {store.scalar('SELECT count(*) FROM members'):,} members, "
              f"{store.scalar('SELECT count(*) FROM member_tags'):,} member tags")
        ids = [r[0] for r in store.conn.execute("SELECT id FROM members")]
        sample = random.Random(2026).sample(ids, args.profiles)
        add_history(store, sample)
        ok = bench_profiles(store, sample, runs=args.profiles)
        bench_lists(store, runs=args.runs)
        print("profile target met" if ok else "profile target MISSED")
    finally:
        store.close()
    return ok


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
