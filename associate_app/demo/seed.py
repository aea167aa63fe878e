"""Fill a local store with a generated store's data, as if an initial sync had just finished."""

from __future__ import annotations

import datetime as dt
import random

from associate_app import clock
from associate_app.demo.catalogue import STORES
from associate_app.demo.generator import StorePlan, iter_members, staff, tag_catalogue, tasks_and_targets
from associate_app.ids import uuid7
from associate_app.store import hq_data
from associate_app.store.database import Store

NOTES = ["宝宝最近睡眠不好，推荐了安睡系列，下周再回访", "对新品奶粉感兴趣，约了周六到店试饮",
         "电话未接通，稍后微信联系", "已加微信，发送了会员日活动海报 🎉", "上门回访，宝宝辅食添加顺利",
         "妈妈说孩子过敏，推荐了低敏配方", "不需要，暂时不打扰"]


def seed_store(store: Store, plan: StorePlan, *, interactions: bool = True) -> dict[str, int]:
    """Write the plan's staff, catalogue, members, tags, tasks and some history; return counts."""
    groups, tags = tag_catalogue()
    counts = {"members": 0, "member_tags": 0}
    with store.write():
        hq_data.upsert_staff(store, staff(plan))
        hq_data.upsert_tag_groups(store, groups)
        hq_data.upsert_tags(store, tags)
        store.set_state("store_code", plan.store_code)
        store.set_state("store_name", dict(STORES).get(plan.store_code, plan.store_code))
    for members, tag_rows in iter_members(plan):
        with store.write():
            counts["members"] += hq_data.upsert_members(store, members)
            hq_data.put_member_tags(store, tag_rows)
            counts["member_tags"] += len(tag_rows)
    tasks, targets = tasks_and_targets(plan)
    with store.write():
        hq_data.upsert_tasks(store, tasks)
        hq_data.upsert_task_targets(store, targets)
        if interactions:
            hq_data.insert_interactions(store, contact_history(plan, targets))
    counts["tasks"], counts["targets"] = len(tasks), len(targets)
    return counts


def contact_history(plan: StorePlan, targets: list[dict]) -> list[dict]:
    """Past contacts for targets that already have an outcome, with a few follow-ups due."""
    rng = random.Random(plan.seed + 2)
    rows = []
    for t in targets:
        if not t["outcome"]:
            continue
        # always in the past: between 1 hour and 6 days before now
        occurred = clock.now() - dt.timedelta(hours=1 + rng.randrange(6 * 24))
        follow = plan.today + dt.timedelta(days=rng.randrange(-3, 5)) if rng.random() < 0.6 else None
        rows.append({"id": uuid7(), "member_id": t["member_id"], "staff_id": t["advisor_id"],
                     "type": rng.choice(["call", "call", "wechat", "store_visit"]), "outcome": t["outcome"],
                     "note": rng.choice(NOTES), "occurred_at": clock.to_iso(occurred),
                     "task_id": t["task_id"], "next_follow_up": follow.isoformat() if follow else None})
    return rows
