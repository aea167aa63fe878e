"""HQ's review of leads: members a store enrolled offline (``is_lead = 1``) that HQ has not vetted yet.

A lead is confirmed (it stays, as a quasi-member or a member) or merged into the member it really is.
A merge moves everything the lead collected (interactions, tags, task targets, corrections, children,
the ``lead:<uuid>`` aliases devices still send) to the surviving member and leaves the lead as a
tombstone in the feed, so every device drops it and shows the history on the survivor.
"""

from __future__ import annotations

from typing import Any

from hq.admin.checks import Invalid, require_member
from hq.admin.members import bump_fields, member_summary
from hq.db import Database, Tx
from hq.errors import Conflict
from hq.timeutil import iso, now_utc


def list_leads(db: Database, store_code: str | None = None) -> list[dict[str, Any]]:
    """Leads waiting for review, each with the members sharing its phone (the likely merge targets)."""
    sql, params = "SELECT id FROM members WHERE is_lead = 1 AND merged_into IS NULL", []
    if store_code is not None:
        sql, params = sql + " AND store_code = ?", [store_code]
    with db.read() as tx:
        out = []
        for (lead_id,) in tx.all(sql + " ORDER BY id", params):
            lead = member_summary(tx, lead_id)
            lead["same_phone"] = [r[0] for r in tx.all(
                "SELECT id FROM members WHERE phone = ? AND id <> ? AND merged_into IS NULL ORDER BY id",
                (lead["phone"], lead_id))] if lead["phone"] else []
            out.append(lead)
        return out


def _lead(tx: Tx, member_id: int) -> dict[str, Any]:
    member = require_member(tx, member_id)
    if not member["is_lead"]:
        raise Conflict(f"member {member_id} is not a lead (already confirmed)", code="not_a_lead")
    return member


def confirm_lead(db: Database, member_id: int, make_member: bool = False) -> dict[str, Any]:
    """The lead is a real, new person: keep them (and make them a full member if asked)."""
    with db.write() as tx:
        _lead(tx, member_id)
        tx.execute("UPDATE members SET is_lead = 0 WHERE id = ?", (member_id,))
        if make_member:
            tx.execute("UPDATE members SET status = 'member' WHERE id = ?", (member_id,))
        bump_fields(tx, member_id, ["is_lead", "status"] if make_member else ["is_lead"])
        return member_summary(tx, member_id)


def merge_lead(db: Database, lead_id: int, into: int) -> dict[str, Any]:
    """The lead is someone HQ already knows: fold it into ``into`` (see the module docstring)."""
    if lead_id == into:
        raise Invalid("a lead cannot be merged into itself", code="same_member")
    with db.write() as tx:
        lead = _lead(tx, lead_id)
        survivor = require_member(tx, into)
        moved = {entity: _move_rows(tx, entity, table, lead_id, into)
                 for entity, table in (("interaction", "interactions"), ("correction", "corrections"))}
        tx.execute("UPDATE children SET member_id = ? WHERE member_id = ?", (into, lead_id))
        tags = _merge_tags(tx, lead_id, into)
        targets = _move_targets(tx, lead_id, into, survivor["store_code"])
        tx.execute("UPDATE lead_aliases SET member_id = ? WHERE member_id = ?", (into, lead_id))
        if lead["lead_uuid"]:
            tx.execute("INSERT INTO lead_aliases(lead_uuid, member_id) VALUES (?, ?) ON CONFLICT(lead_uuid)"
                       " DO UPDATE SET member_id = excluded.member_id", (lead["lead_uuid"], into))
        tx.execute("UPDATE members SET merged_into = ? WHERE id = ? OR merged_into = ?", (into, lead_id, lead_id))
        tx.execute("UPDATE members SET updated_at = ? WHERE id = ?", (iso(now_utc()), lead_id))
        tx.touch("member", lead_id)  # rendered as gone: a tombstone for every device that had it
        bump_fields(tx, into, [])
        return {"lead_id": lead_id, "into": member_summary(tx, into), "interactions": moved["interaction"],
                "corrections": moved["correction"], "tags": tags, "task_targets": targets}


def _move_rows(tx: Tx, entity: str, table: str, lead_id: int, into: int) -> int:
    ids = [r[0] for r in tx.all(f"SELECT id FROM {table} WHERE member_id = ?", (lead_id,))]
    tx.execute(f"UPDATE {table} SET member_id = ? WHERE member_id = ?", (into, lead_id))
    tx.touch(entity, *ids)
    return len(ids)


def _merge_tags(tx: Tx, lead_id: int, into: int) -> int:
    """Each (member, tag) keeps the later of the two states; a single-choice group keeps its newest tag."""
    mine = dict(tx.all("SELECT tag_id, at FROM member_tags WHERE member_id = ?", (into,)))
    taken = [row for row in tx.all("SELECT tag_id, present, at, by_staff FROM member_tags WHERE member_id = ?",
                                   (lead_id,)) if row[0] not in mine or mine[row[0]] < row[2]]
    tx.executemany("DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?", [(into, r[0]) for r in taken])
    tx.executemany("INSERT INTO member_tags(member_id, tag_id, present, at, by_staff) VALUES (?, ?, ?, ?, ?)",
                   [(into, *r) for r in taken])
    tx.execute("DELETE FROM member_tags WHERE member_id = ?", (lead_id,))
    present = tx.all(
        "SELECT t.group_id, mt.tag_id, mt.at FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
        " JOIN tag_groups g ON g.id = t.group_id WHERE mt.member_id = ? AND mt.present = 1 AND g.choice = 'single'"
        " ORDER BY t.group_id, mt.at DESC, mt.tag_id", (into,))
    newest: dict[int, str] = {}
    for group_id, tag_id, at in present:
        if group_id in newest:  # an older sibling loses its slot at the moment the newer tag was set
            tx.execute("UPDATE member_tags SET present = 0, at = ? WHERE member_id = ? AND tag_id = ?",
                       (newest[group_id], into, tag_id))
        else:
            newest[group_id] = at
    return len(taken)


def _move_targets(tx: Tx, lead_id: int, into: int, store_code: str | None) -> int:
    """The lead's task targets become the survivor's, unless the survivor is already a target of that task
    or the task belongs to another store than the survivor's; those are dropped (tombstoned)."""
    rows = tx.all("SELECT tt.task_id, t.store_code, EXISTS (SELECT 1 FROM task_targets s WHERE s.task_id = tt.task_id"
                  " AND s.member_id = ?) FROM task_targets tt JOIN tasks t ON t.id = tt.task_id WHERE tt.member_id = ?",
                  (into, lead_id))
    keep = [task for task, store, taken in rows if not taken and store == store_code]
    tx.executemany("UPDATE task_targets SET member_id = ? WHERE task_id = ? AND member_id = ?",
                   [(into, task, lead_id) for task in keep])
    tx.execute("DELETE FROM task_targets WHERE member_id = ?", (lead_id,))
    tx.touch("task_target", *(f"{task}:{lead_id}" for task, _, _ in rows), *(f"{task}:{into}" for task in keep))
    return len(keep)
