"""tag.apply / tag.remove: last writer wins per (member, tag), by the time the device made the change.

member_tags keeps removals (present = 0) with their time, so an older offline apply cannot resurrect a
tag someone removed later. A single-choice group is one slot per (member, group): an apply clears the
siblings older than it, and loses (``merged``/``superseded``) to any change in the slot newer than it.
A tag HQ retired refuses an offline apply; automatic groups are HQ's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import orjson

from associate_app.domain.actor import may_apply_group
from associate_app.domain.vocabulary import Role
from hq.db import Tx
from hq.mutations.base import APPLIED, MERGED, Author, Rejected, Result, invalid
from hq.mutations.common import resolve_member
from hq.mutations.payload import Fields

_UPSERT = (
    "INSERT INTO member_tags(member_id, tag_id, present, at, by_staff) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT(member_id, tag_id) DO UPDATE SET present = excluded.present, at = excluded.at,"
    " by_staff = excluded.by_staff"
)


def apply_tag(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    return _change(tx, author, payload, now, present=True)


def remove_tag(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime) -> Result:
    return _change(tx, author, payload, now, present=False)


def group_state(tx: Tx, member_id: int, group_id: int) -> dict[str, Any]:
    """``current`` for tag outcomes: the member's present tags in the group, as [tag_id, at, by]."""
    rows = tx.all("SELECT mt.tag_id, mt.at, mt.by_staff FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
                  " WHERE mt.member_id = ? AND t.group_id = ? AND mt.present = 1 ORDER BY mt.tag_id",
                  (member_id, group_id))
    return {"member_id": member_id, "group_id": group_id, "tags": [list(r) for r in rows]}


class _Tag(NamedTuple):
    name: str
    group_id: int
    choice: str
    retired: bool  # the tag or its whole group


def _usable_tag(tx: Tx, author: Author, tag_id: int) -> _Tag:
    """The tag, if this author may change it at all; else the reason (retirement is the caller's rule)."""
    row = tx.one("SELECT t.name, t.retired, g.id, g.kind, g.choice, g.roles, g.retired FROM tags t"
                 " JOIN tag_groups g ON g.id = t.group_id WHERE t.id = ?", (tag_id,))
    if row is None:
        raise Rejected("unknown_tag", f"HQ has no tag {tag_id}")
    name, tag_retired, group_id, kind, choice, roles, group_retired = row
    if kind != "manual":
        raise Rejected("tag_read_only", f"“{name}” is an automatic tag computed by HQ; stores cannot change it")
    if not may_apply_group(Role(author.role), orjson.loads(roles)):
        raise Rejected("tag_not_allowed", f"a {author.role} may not use the tags of group {group_id}")
    return _Tag(name, int(group_id), choice, bool(tag_retired or group_retired))


def _change(tx: Tx, author: Author, payload: dict[str, Any], now: dt.datetime, *, present: bool) -> Result:
    fields = Fields(payload)
    ref, tag_id, at = fields.member(), fields.integer("tag_id"), fields.instant("at", now)
    fields.integer("group_id", optional=True)  # the device's view of the catalogue; HQ's group is the truth
    if not isinstance(payload.get("replaces", []), list):
        raise invalid("payload.replaces must be a list of tag ids")
    member = resolve_member(tx, author, ref)
    name, group_id, choice, retired = _usable_tag(tx, author, tag_id)
    if present and retired:  # removing a retired tag stays possible: it only tidies the member
        raise Rejected("tag_retired", f"HQ has retired tag {tag_id}; it can no longer be applied",
                       current=group_state(tx, member.id, group_id), member_id=member.id)
    held = {t: (bool(p), a) for t, p, a in tx.all(
        "SELECT mt.tag_id, mt.present, mt.at FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
        " WHERE mt.member_id = ? AND t.group_id = ?", (member.id, group_id))}
    mine = held.get(tag_id)
    slot = choice == "single" and present
    newer = (mine is not None and mine[1] > at) or (slot and any(a > at for t, (_, a) in held.items() if t != tag_id))
    if newer:
        if (mine is not None and mine[0]) == present:
            return Result(APPLIED, f"HQ already had “{name}” {'on' if present else 'off'} from a later change",
                          member_id=member.id)
        return Result(MERGED, f"a later change to {'this group' if slot else f'“{name}”'} on HQ wins; kept HQ's tags",
                      "superseded", group_state(tx, member.id, group_id), member.id)
    rows = [(member.id, tag_id, int(present), at, author.staff_id)]
    if slot:
        rows += [(member.id, t, 0, at, author.staff_id) for t, (p, _) in held.items() if p and t != tag_id]
    tx.executemany(_UPSERT, rows)
    tx.touch("member", member.id)
    return Result(APPLIED, f"“{name}” {'applied' if present else 'removed'}", member_id=member.id)
