"""A text walk-through of the offline core, for ``associate-app --demo`` until the Qt console lands.

It builds a fresh demo store, signs in a demo account and shows what that person would see first:
their push-tasks with progress, today's and overdue follow-ups, a member looked up and tagged
offline (queued for HQ). On a terminal it then offers the one-box member lookup interactively.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

from associate_app import clock
from associate_app.demo.generator import StorePlan
from associate_app.demo.seed import seed_store
from associate_app.domain.actor import Actor
from associate_app.domain.profile import member_profile
from associate_app.domain.queries import count_my_members, follow_ups
from associate_app.domain.tags import toggle_tag
from associate_app.domain.task_lists import my_tasks
from associate_app.domain.vocabulary import ZH, Role
from associate_app.errors import AssociateError
from associate_app.lookup.member_code import generate_signing_key, issue_code
from associate_app.lookup.search import lookup
from associate_app.store import Store, open_store
from associate_app.store.outbox import pending_count

DEMO_ACCOUNTS = {Role.ADVISOR: "A001", Role.CASHIER: "C001", Role.MANAGER: "M001"}


def build_demo_store(path: Path, members: int) -> tuple[Store, bytes]:
    """A fresh demo store at ``path`` and the member-code signing key its 'HQ' uses."""
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    store = open_store(path)
    seed_store(store, StorePlan(members=members, seed=7))
    private_pem, public_b64 = generate_signing_key()
    with store.write():
        store.set_state("member_code_public_key", public_b64)
    return store, private_pem


def run(path: Path, members: int, role: Role, out: TextIO = sys.stdout, interactive: bool | None = None) -> int:
    store, private_pem = build_demo_store(path, members)
    try:
        actor = Actor(DEMO_ACCOUNTS[role], role, store.get_state("store_code") or "SH001")
        _overview(store, actor, private_pem, out)
        if interactive if interactive is not None else sys.stdin.isatty():
            _lookup_loop(store, actor, out)
    finally:
        store.close()
    return 0


def _overview(store: Store, actor: Actor, private_pem: bytes, out: TextIO) -> None:
    staff = store.one("SELECT name FROM staff WHERE id = ?", (actor.staff_id,))
    total = store.scalar("SELECT count(*) FROM members")
    print(f"门店导购工作台 · 演示数据（离线核心）\n门店：{store.get_state('store_name')}（{actor.store_code}）"
          f"  会员 {total} 人  数据库：{store.path}", file=out)
    print(f"登录：{staff['name']}（{ZH[actor.role]} {actor.staff_id}）\n", file=out)
    if actor.role != Role.CASHIER:
        print(f"我的会员：{count_my_members(store, actor)} 人\n\n推送任务：", file=out)
        for task in my_tasks(store, actor):
            p = task.progress
            rate = f"{p.completion_rate:.0%}" if p.completion_rate is not None else "—"
            print(f"  [{'高中低'[task.priority - 1]}] {task.title}  {ZH.get(task.status, task.status)}  "
                  f"完成 {p.closed}/{p.total}（{rate}） 已成交 {p.converted}  截止 {task.due_date}", file=out)
        due = follow_ups(store, actor)
        print(f"\n今日跟进 {len(due.today)} 人，逾期跟进 {len(due.overdue)} 人", file=out)
        for row in (due.overdue + due.today)[:5]:
            print(f"  {row.name}  {row.phone}  跟进日 {row.due}  {row.last_note or ''}", file=out)
    member = store.one("SELECT id, name, phone, card_no FROM members WHERE advisor_id = 'A001' ORDER BY id LIMIT 1")
    code = issue_code(private_pem, member["id"], clock.now() + dt.timedelta(minutes=1))
    print("\n查找会员（一个输入框：手机号、后四位、卡号、会员码、姓名、拼音）：", file=out)
    for text in (member["phone"][-4:], member["name"], member["card_no"], code):
        result = lookup(store, actor, text, limit=3)
        names = "、".join(f"{h.name}({h.phone})" for h in result.hits) or result.message
        print(f"  {_pad(text[:24], 26)} → [{result.query_kind}] {names}", file=out)
    profile = member_profile(store, actor, member["id"])
    h = profile.header
    kids = "，".join(c.label for c in profile.children) or "无"
    print(f"\n会员：{h.name} {ZH.get(h.level, h.level)} 积分 {h.points}  孩子：{kids}", file=out)
    change = toggle_tag(store, actor, member["id"], 202)  # 育儿关注 · 母乳喂养
    verb = "添加" if change.added else "取消"
    print(f"离线{verb}标签「母乳喂养」→ 已保存在本机，待上传 {pending_count(store)} 条", file=out)


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def _lookup_loop(store: Store, actor: Actor, out: TextIO) -> None:
    print("\n输入手机号/后四位/卡号/姓名/拼音查找会员，直接回车退出。", file=out)
    while True:
        try:
            text = input("查找> ").strip()
        except EOFError:
            return
        if not text:
            return
        try:
            result = lookup(store, actor, text)
        except AssociateError as exc:
            print(f"  {exc.message}", file=out)
            continue
        if not result.hits:
            print(f"  {result.message or '没有找到'}", file=out)
        for hit in result.hits:
            own = "★" if hit.is_own else " "
            print(f"  {own} {hit.name:<6} {hit.phone or '':<13} {ZH.get(hit.level, hit.level):<3} 卡号 {hit.card_no}",
                  file=out)
