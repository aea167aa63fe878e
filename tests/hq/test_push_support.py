"""Helpers for the push tests (no tests here): building mutations and reading HQ's state back.

Named test_push_* to stay inside the push work's files; pytest collects nothing from it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from hq.db import Database
from hq.timeutil import iso, now_utc

SH001_MEMBER = 1_000_000  # advisor A001's; the seed gives it family stage 106 and price sensitivity 302
SH002_MEMBER = 11_000_000
_seq = itertools.count(1)


def ago(minutes: float) -> str:
    """An instant ``minutes`` before now (negative: in the future), as devices write them."""
    return iso(now_utc() - dt.timedelta(minutes=minutes))


def mutation(kind: str, staff_id: str, payload: dict[str, Any], mutation_id: str | None = None) -> dict[str, Any]:
    return {"mutation_id": mutation_id or str(uuid.uuid4()), "device_seq": next(_seq), "kind": kind,
            "staff_id": staff_id, "created_at": ago(0), "payload": payload}


def tag(kind: str, staff_id: str, member: int | str, tag_id: int, at: str) -> dict[str, Any]:
    """tag.apply or tag.remove ("apply"/"remove") as the console queues it."""
    payload = {"member": member, "tag_id": tag_id, "group_id": tag_id // 100, "at": at}
    if kind == "apply":
        payload["replaces"] = []
    return mutation(f"tag.{kind}", staff_id, payload)


def interaction(staff_id: str, member: int | str, note: str = "问了奶粉段数", interaction_id: str | None = None,
                **extra: Any) -> dict[str, Any]:
    payload = {"id": interaction_id or str(uuid.uuid4()), "member": member, "staff_id": staff_id, "type": "call",
               "outcome": "reached", "note": note, "occurred_at": ago(5), "task_id": None,
               "next_follow_up": None, **extra}
    return mutation("interaction.log", staff_id, payload)


def outcome(staff_id: str, task_id: int, member: int | str, result: str = "reached", at: str | None = None,
            ) -> dict[str, Any]:
    return mutation("task_target.outcome", staff_id,
                    {"task_id": task_id, "member": member, "outcome": result, "note": "电话沟通", "at": at or ago(1)})


def task_status(staff_id: str, task_id: int, status: str) -> dict[str, Any]:
    return mutation("task.status", staff_id, {"task_id": task_id, "status": status, "at": ago(1)})


def correction(staff_id: str, member: int | str, field: str, new_value: str, base_version: int,
               child_id: int | None = None, old_value: str | None = None) -> dict[str, Any]:
    return mutation("correction.propose", staff_id,
                    {"id": str(uuid.uuid4()), "member": member, "field": field, "child_id": child_id,
                     "old_value": old_value, "new_value": new_value, "base_version": base_version, "at": ago(1)})


def enrol(staff_id: str, phone: str, store_code: str = "SH001", lead: str | None = None,
          name: str = "王女士") -> dict[str, Any]:
    return mutation("member.enrol", staff_id,
                    {"lead": lead or str(uuid.uuid4()), "phone": phone, "name": name, "store_code": store_code,
                     "advisor_id": staff_id if staff_id.startswith("A") else None, "at": ago(2)})


def present_tags(db: Database, member_id: int, group_id: int) -> list[int]:
    with db.read() as tx:
        return [r[0] for r in tx.all(
            "SELECT mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
            " WHERE mt.member_id = ? AND t.group_id = ? AND mt.present = 1 ORDER BY mt.tag_id", (member_id, group_id))]


def scalar(db: Database, sql: str, params: tuple = ()) -> Any:
    with db.read() as tx:
        return tx.scalar(sql, params)


def statuses(results: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(r["status"], r["reason"]) for r in results]
