"""A deterministic, realistic store: staff, tag catalogue, members with children, tags, tasks.

Streams members in batches so 200,000 of them never sit in memory at once. The same seed always
gives the same store, which the tests and benchmarks rely on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from associate_app.demo.catalogue import STORES, TAG_GROUPS, TASK_THEMES
from associate_app.demo.names import NameMaker

PHONE_PREFIXES = ["139", "138", "137", "136", "135", "158", "159", "186", "187", "188", "150", "151",
                  "152", "177", "180", "181", "189", "199", "166", "173", "130", "131", "132", "155"]
LEVELS = [("regular", 55), ("silver", 25), ("gold", 15), ("black_gold", 5)]
LIFECYCLES = [("new", 10), ("active", 45), ("dormant", 30), ("lost", 15)]
CATEGORIES = ["奶粉", "纸尿裤", "辅食", "洗护", "玩具", "童装", "孕产用品", "营养品"]
DISTRICTS = ["浦东新区金桥路", "徐汇区漕溪北路", "闵行区七莘路", "杨浦区国权路", "静安区共和新路", "长宁区天山路"]
MEMBER_ID_BASE = 1_000_000


@dataclass
class StorePlan:
    """The shape of a generated store; ``advisors`` defaults to one per 2,500 members (at least 3)."""

    members: int = 300
    seed: int = 7
    store_code: str = STORES[0][0]
    today: dt.date = field(default_factory=dt.date.today)
    advisors: int | None = None
    member_id_base: int = MEMBER_ID_BASE  # HQ seeds several stores: each gets its own id range
    task_id_base: int = 500

    @property
    def advisor_count(self) -> int:
        return self.advisors or max(3, self.members // 2500)


ADVISOR_NAMES = ["李娜", "王芳", "张敏", "刘静", "陈丽", "杨艳", "赵娟", "黄霞", "周秀英", "吴慧"]


def staff(plan: StorePlan) -> list[dict]:
    """Advisors A001…, cashiers C001–C002 and the manager M001 of the plan's store."""
    people = [
        {"id": f"A{n + 1:03d}", "name": ADVISOR_NAMES[n % len(ADVISOR_NAMES)] + ("" if n < 10 else str(n // 10)),
         "role": "advisor"}
        for n in range(plan.advisor_count)
    ]
    people += [{"id": "C001", "name": "孙悦", "role": "cashier"}, {"id": "C002", "name": "马丽", "role": "cashier"}]
    people.append({"id": "M001", "name": "郑店长", "role": "manager"})
    return [{**p, "store_code": plan.store_code, "active": True} for p in people]


def tag_catalogue() -> tuple[list[dict], list[dict]]:
    groups, tags = [], []
    for order, (gid, name, kind, choice, roles, colour, names) in enumerate(TAG_GROUPS):
        groups.append({"id": gid, "name": name, "kind": kind, "choice": choice, "roles": roles,
                       "sort_order": order, "color": colour, "retired": False})
        tags += [{"id": gid * 100 + i + 1, "group_id": gid, "name": t, "sort_order": i}
                 for i, t in enumerate(names)]
    return groups, tags


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def _stage_tag(children: list[dict], today: dt.date) -> int | None:
    """The family-stage tag (group 1) that fits the youngest child."""
    if not children:
        return 101 if today.toordinal() % 2 else None
    if any(c.get("due_date") for c in children):
        return 102
    youngest = max(dt.date.fromisoformat(c["birthday"]) for c in children)
    months = (today - youngest).days / 30.44
    for limit, tag in ((6, 103), (12, 104), (36, 105), (72, 106)):
        if months < limit:
            return tag
    return 107


def iter_members(plan: StorePlan, batch: int = 5000) -> Iterator[tuple[list[dict], list[dict]]]:
    """Yield (member records, member-tag rows) in batches; about eight tags per member."""
    rng = random.Random(plan.seed)
    names = NameMaker(rng)
    advisors = [s["id"] for s in staff(plan) if s["role"] == "advisor"]
    phones: set[str] = set()
    members, tag_rows = [], []
    for i in range(plan.members):
        mid = plan.member_id_base + i
        gender = "F" if rng.random() < 0.86 else "M"  # mothers do most of the shopping
        name = names.person(gender)
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        while phone in phones:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        phones.add(phone)
        children = []
        if rng.random() < 0.08:
            children.append({"id": mid * 10, "name": None, "gender": None, "birthday": None,
                             "due_date": (plan.today + dt.timedelta(days=rng.randrange(10, 270))).isoformat()})
        else:
            for c in range(1 if rng.random() < 0.85 else 2):
                born = plan.today - dt.timedelta(days=rng.randrange(20, 8 * 365))
                children.append({"id": mid * 10 + c, "name": names.child(name[0]), "gender": rng.choice("FM"),
                                 "birthday": born.isoformat(), "due_date": None})
        lifecycle = _weighted(rng, LIFECYCLES)
        idle_days = {"new": 10, "active": 30, "dormant": 120, "lost": 300}[lifecycle]
        last_purchase = plan.today - dt.timedelta(days=rng.randrange(1, idle_days + 30))
        orders = rng.randrange(1, 40)
        basket = rng.randrange(80, 900)
        top = rng.sample(CATEGORIES, 3)
        members.append({
            "id": mid, "card_no": f"8800{mid:08d}", "phone": phone, "name": name, "gender": gender,
            "birthday": dt.date(rng.randrange(1982, 2001), rng.randrange(1, 13), rng.randrange(1, 29)).isoformat(),
            "level": _weighted(rng, LEVELS), "points": rng.randrange(0, 20000), "store_code": plan.store_code,
            "advisor_id": advisors[i % len(advisors)], "status": "member" if rng.random() < 0.9 else "quasi",
            "join_date": (plan.today - dt.timedelta(days=rng.randrange(30, 2000))).isoformat(),
            "last_purchase_at": last_purchase.isoformat(), "lifecycle": lifecycle,
            "rfm_segment": rng.choice(TAG_GROUPS[5][6]),
            "address": f"上海市{rng.choice(DISTRICTS)}{rng.randrange(1, 999)}弄{rng.randrange(1, 30)}号",
            "purchase_summary": {"orders_12m": orders, "total_12m": orders * basket, "avg_basket": basket,
                                 "top_categories": top, "last_order": last_purchase.isoformat()},
            "children": children, "version": 1,
        })
        tags = {1001 + TAG_GROUPS[5][6].index(members[-1]["rfm_segment"])}
        tags |= {1101 + CATEGORIES.index(c) for c in top[: rng.randrange(1, 4)]}
        tags.add(rng.choice([1201, 1202, 1202, 1203]))
        stage = _stage_tag(children, plan.today)
        if stage and rng.random() < 0.85:
            tags.add(stage)
        tags |= set(rng.sample(range(201, 208), rng.choice([0, 1, 1, 2, 2, 3])))
        if rng.random() < 0.35:
            tags.add(rng.choice([301, 302, 302, 303]))
        tags |= set(rng.sample(range(401, 405), rng.choice([0, 1, 1, 2])))
        tags |= set(rng.sample(range(501, 505), rng.choice([0, 0, 0, 1])))
        tag_rows += [{"member_id": mid, "tag_id": t} for t in sorted(tags)]
        if len(members) >= batch:
            yield members, tag_rows
            members, tag_rows = [], []
    if members:
        yield members, tag_rows


def tasks_and_targets(plan: StorePlan, per_advisor: int = 30) -> tuple[list[dict], list[dict]]:
    """The push-tasks HQ sent this store, each with up to ``per_advisor`` targets per advisor."""
    rng = random.Random(plan.seed + 1)
    advisors = [s["id"] for s in staff(plan) if s["role"] == "advisor"]
    tasks, targets = [], []
    for n, (kind, title, priority, script) in enumerate(TASK_THEMES):
        task_id = plan.task_id_base + n
        start = plan.today - dt.timedelta(days=3 + 4 * n)
        tasks.append({"id": task_id, "title": title, "kind": kind, "priority": priority, "script": script,
                      "start_date": start.isoformat(),
                      "due_date": (plan.today + dt.timedelta(days=[4, 0, 10, 14][n])).isoformat(),
                      "assignee_id": None, "status": "in_progress" if n < 3 else "pending",
                      "created_at": f"{start.isoformat()}T01:00:00.000Z"})
        for a, advisor in enumerate(advisors):
            count = min(per_advisor, max(1, plan.members // len(advisors)))
            for k in range(count):
                index = (a + len(advisors) * (k * 3 + n)) % plan.members
                outcome = None
                if n < 3 and rng.random() < 0.35:
                    outcome = rng.choice(["reached", "reached", "interested", "converted", "not_reachable",
                                          "declined"])
                targets.append({"task_id": task_id, "member_id": plan.member_id_base + index, "advisor_id": advisor,
                                "outcome": outcome, "outcome_by": advisor if outcome else None,
                                "outcome_at": f"{plan.today.isoformat()}T02:00:00.000Z" if outcome else None,
                                "sort_order": k})
    # one member can be a target of a task only once
    unique = {(t["task_id"], t["member_id"]): t for t in targets}
    return tasks, list(unique.values())
