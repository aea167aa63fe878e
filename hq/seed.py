"""Demo data for HQ: a small mother-and-baby chain with staff, catalogue, members, tasks and history.

Built from the same deterministic generator the console's tests use, so the first store (SH001,
staff A001…, C001, C002, M001) matches what the console's demo and tests expect. Every account gets
the one demo password, printed once by ``hq-server seed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import orjson

from associate_app.demo.catalogue import STORES
from associate_app.demo.generator import (
    MEMBER_ID_BASE,
    StorePlan,
    iter_members,
    staff,
    tag_catalogue,
    tasks_and_targets,
)
from associate_app.demo.seed import contact_history
from hq.db import Database, Tx
from hq.passwords import hash_password
from hq.render import PUBLISHED_SETTINGS
from hq.schema import set_meta
from hq.timeutil import iso, now_utc

DEMO_PASSWORD = "demo-2026"
ADMIN_ID = "HQ001"
CITIES = {"SH": "上海", "NJ": "南京"}


@dataclass
class SeedReport:
    stores: list[str]
    staff: list[dict]
    members: int
    member_tags: int
    tasks: int
    targets: int
    password: str


def _renumber(staff_id: str, store_index: int) -> str:
    """A001 in the first store, A101 in the second…: staff numbers are unique in the chain."""
    return staff_id if store_index == 0 else f"{staff_id[0]}{store_index}{staff_id[2:]}"


def seed(db: Database, members: int = 300, stores: int = 3, password: str = DEMO_PASSWORD, seed: int = 7,
         today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> SeedReport:
    """Fill an empty HQ database; ``members`` per store (the first store gets all of them, others a third)."""
    today = today or dt.date.today()
    hashed = hash_password(password)
    now = iso(now_utc())
    groups, tags = tag_catalogue()
    report = SeedReport([], [], 0, 0, 0, 0, password)
    with db.write() as tx:
        tx.executemany(
            "INSERT INTO tag_groups(id, name, kind, choice, roles, sort_order, color, retired)"
            " VALUES (?,?,?,?,?,?,?,0)",
            [(g["id"], g["name"], g["kind"], g["choice"], orjson.dumps(g["roles"]).decode(), g["sort_order"],
              g["color"]) for g in groups],
        )
        tx.executemany("INSERT INTO tags(id, group_id, name, sort_order, color, retired) VALUES (?,?,?,?,?,0)",
                       [(t["id"], t["group_id"], t["name"], t["sort_order"], t.get("color")) for t in tags])
        tx.touch("tag_group", *(g["id"] for g in groups))
        tx.touch("tag", *(t["id"] for t in tags))
        tx.execute("INSERT INTO staff(id, store_code, name, role, password_hash, active, created_at)"
                   " VALUES (?, NULL, ?, 'hq_admin', ?, 1, ?)", (ADMIN_ID, "总部运营", hashed, now))
        set_meta(tx, "chain_name", "贝贝母婴连锁")
        tx.touch("setting", *PUBLISHED_SETTINGS)
    report.staff.append({"id": ADMIN_ID, "store_code": "HQ", "role": "hq_admin", "name": "总部运营"})
    for index, (code, name) in enumerate(STORES[:stores]):
        plan = StorePlan(members=members if index == 0 else max(30, members // 3), seed=seed + index,
                         store_code=code, today=today, member_id_base=MEMBER_ID_BASE + index * 10_000_000,
                         task_id_base=500 + index * 10)
        _seed_store(db, plan, index, name, hashed, now, report, progress)
    return report


def _seed_store(db: Database, plan: StorePlan, index: int, name: str, hashed: str, now: str,
                report: SeedReport, progress: Callable[[str], None] | None) -> None:
    people = staff(plan)
    ids = {p["id"]: _renumber(p["id"], index) for p in people}
    with db.write() as tx:
        tx.execute("INSERT INTO stores(code, name, city, active) VALUES (?, ?, ?, 1)",
                   (plan.store_code, name, CITIES.get(plan.store_code[:2])))
        tx.executemany(
            "INSERT INTO staff(id, store_code, name, role, password_hash, active, created_at) VALUES (?,?,?,?,?,1,?)",
            [(ids[p["id"]], plan.store_code, p["name"], p["role"], hashed, now) for p in people],
        )
        tx.touch("staff", *ids.values())
    report.stores.append(plan.store_code)
    report.staff += [{"id": ids[p["id"]], "store_code": plan.store_code, "role": p["role"], "name": p["name"]}
                     for p in people]
    for batch, tag_rows in iter_members(plan):
        with db.write() as tx:
            _insert_members(tx, batch, tag_rows, ids)
        report.members += len(batch)
        report.member_tags += len(tag_rows)
        if progress:
            progress(f"{plan.store_code}: {report.members} members")
    tasks, targets = tasks_and_targets(plan)
    history = contact_history(plan, targets)
    with db.write() as tx:
        tx.executemany(
            "INSERT INTO tasks(id, store_code, title, kind, priority, script, start_date, due_date, assignee_id,"
            " status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(t["id"], plan.store_code, t["title"], t["kind"], t["priority"], t["script"], t["start_date"],
              t["due_date"], t["assignee_id"], t["status"], t["created_at"], t["created_at"]) for t in tasks],
        )
        tx.executemany(
            "INSERT INTO task_targets(task_id, member_id, advisor_id, outcome, outcome_at, outcome_by, note,"
            " sort_order) VALUES (?,?,?,?,?,?,?,?)",
            [(t["task_id"], t["member_id"], ids.get(t["advisor_id"]), t["outcome"], t["outcome_at"],
              ids.get(t["outcome_by"]), None, t["sort_order"]) for t in targets],
        )
        tx.executemany(
            "INSERT INTO interactions(id, member_id, staff_id, type, outcome, note, occurred_at, task_id,"
            " next_follow_up, created_at, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,'seed')",
            [(h["id"], h["member_id"], ids[h["staff_id"]], h["type"], h["outcome"], h["note"], h["occurred_at"],
              h["task_id"], h["next_follow_up"], h["occurred_at"]) for h in history],
        )
        tx.touch("task", *(t["id"] for t in tasks))
        tx.touch("task_target", *(f"{t['task_id']}:{t['member_id']}" for t in targets))
        tx.touch("interaction", *(h["id"] for h in history))
    report.tasks += len(tasks)
    report.targets += len(targets)


def _insert_members(tx: Tx, batch: list[dict], tag_rows: list[dict], ids: dict[str, str]) -> None:
    tx.executemany(
        "INSERT INTO members(id, card_no, phone, name, gender, birthday, level, points, store_code, advisor_id,"
        " status, is_lead, join_date, last_purchase_at, lifecycle, rfm_segment, address, purchase_summary, version,"
        " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?,?,1,?)",
        [(m["id"], m["card_no"], m["phone"], m["name"], m["gender"], m["birthday"], m["level"], m["points"],
          m["store_code"], ids[m["advisor_id"]], m["status"], m["join_date"], m["last_purchase_at"], m["lifecycle"],
          m["rfm_segment"], m["address"], orjson.dumps(m["purchase_summary"]).decode(),
          f"{m['join_date']}T00:00:00.000Z")
         for m in batch],
    )
    tx.executemany(
        "INSERT INTO children(id, member_id, name, gender, birthday, due_date) VALUES (?,?,?,?,?,?)",
        [(c["id"], m["id"], c["name"], c["gender"], c["birthday"], c["due_date"])
         for m in batch for c in m["children"]],
    )
    joined = {m["id"]: f"{m['join_date']}T02:00:00.000Z" for m in batch}
    tx.executemany(
        "INSERT INTO member_tags(member_id, tag_id, present, at, by_staff) VALUES (?, ?, 1, ?, NULL)",
        [(r["member_id"], r["tag_id"], joined[r["member_id"]]) for r in tag_rows],
    )
    tx.touch("member", *(m["id"] for m in batch))
