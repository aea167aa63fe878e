"""Manual tags: staff apply, remove, toggle and undo them on a member; the UI reads the chips to draw.

Why the shape: a cashier taps a chip at the till, so one tap is one change, one outbox mutation and
one history row; a second tap takes it back (toggle), and "undo" reverses the actor's own last change
even after other taps. A single-choice group (家庭阶段) is a slot: applying a tag evicts its sibling so
the member never holds two values of it. Automatic tags are HQ's; stores only see them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from associate_app.clock import utc_now_iso
from associate_app.domain.actor import Actor, may_apply_group
from associate_app.domain.common import member_ref, require_member
from associate_app.domain.validation import whole_number
from associate_app.domain.vocabulary import Choice, MutationKind, Role, TagKind
from associate_app.errors import (
    NothingToUndo,
    TagNotAllowed,
    TagReadOnly,
    TagRetired,
    UnknownTag,
)
from associate_app.store.database import Store
from associate_app.store.outbox import enqueue

_TAG_SQL = (
    "SELECT t.id, t.group_id, t.name, t.retired AS tag_retired, g.name AS group_name, g.kind, g.choice, "
    "g.roles, g.retired AS group_retired FROM tags t JOIN tag_groups g ON g.id = t.group_id WHERE t.id = ?"
)


@dataclass(frozen=True)
class TagChange:
    """What one action did to one member's tags in one group; ``changed`` is False for a no-op."""

    member_id: int
    group_id: int
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    mutation_ids: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class TagState:
    id: int
    name: str
    color: str | None
    applied: bool


@dataclass(frozen=True)
class TagGroupState:
    """One group as the UI draws it: chips (``editable``) or read-only badges (automatic tags)."""

    id: int
    name: str
    kind: TagKind
    choice: Choice
    color: str | None
    editable: bool
    tags: tuple[TagState, ...]


def apply_tag(store: Store, actor: Actor, member_id: int, tag_id: int) -> TagChange:
    """Give the member this tag (evicting its single-choice sibling); a no-op if already so."""
    return _act(store, actor, member_id, tag_id, present=True)


def remove_tag(store: Store, actor: Actor, member_id: int, tag_id: int) -> TagChange:
    """Take the tag off the member; a no-op if the member does not have it."""
    return _act(store, actor, member_id, tag_id, present=False)


def toggle_tag(store: Store, actor: Actor, member_id: int, tag_id: int) -> TagChange:
    """Apply, or remove if the member already has it: a second tap on a chip takes it back."""
    return _act(store, actor, member_id, tag_id, present=None)


def undo_last_tag_change(store: Store, actor: Actor, member_id: int | None = None) -> TagChange:
    """Reverse the actor's own newest not-yet-undone change (optionally for one member).

    Undo is not itself undoable (no history row), so pressing it again walks further back. The
    restored state is sent to HQ as ordinary apply/remove mutations.
    """
    if member_id is not None:
        whole_number(member_id, "member_id")
    with store.write():  # checked under the write lock, like _act: a sync committing meanwhile cannot slip past
        if member_id is not None:
            require_member(store, member_id)
        entry = _last_change(store, actor, member_id)
        if entry is None:
            scope = f" on member {member_id}" if member_id is not None else ""
            raise NothingToUndo(f"{actor.staff_id} has no tag change{scope} left to undo.", member_id=member_id)
        member = require_member(store, entry["member_id"])
        added, removed = json.loads(entry["added"]), json.loads(entry["removed"])
        tags = {t: _usable_tag(store, actor, t) for t in [*removed, *added]}
        steps = _inverse(next(iter(tags.values()))["choice"] if tags else Choice.MULTI, added, removed)
        store.conn.execute("UPDATE tag_history SET undone = 1 WHERE id = ?", (entry["id"],))
        at = utc_now_iso()
        results = [_write_change(store, actor, member, tags[t], present=p, at=at) for t, p in steps]
    return TagChange(
        member_id=member["id"], group_id=entry["group_id"],
        added=tuple(t for r in results for t in r[0]), removed=tuple(t for r in results for t in r[1]),
        mutation_ids=tuple(m for r in results for m in r[2]),
    )


def _inverse(choice: str, added: list[int], removed: list[int]) -> list[tuple[int, bool]]:
    """(tag, present) steps undoing a change. Single choice: re-apply the evicted tag (which evicts the
    added one) or, if the slot was empty, remove the added one."""
    if choice == Choice.SINGLE and removed:
        return [(removed[0], True)]
    return [(t, True) for t in removed] + [(t, False) for t in added]


def member_tag_state(store: Store, actor: Actor, member_id: int) -> list[TagGroupState]:
    """The groups this role may see for the member, with each non-retired tag and whether it is applied."""
    member = require_member(store, whole_number(member_id, "member_id"))
    rows = store.all(
        "SELECT g.id AS group_id, g.name AS group_name, g.kind, g.choice, g.roles, g.color AS group_color, "
        "t.id, t.name, coalesce(t.color, g.color) AS color, mt.tag_id IS NOT NULL AS applied "
        "FROM tag_groups g JOIN tags t ON t.group_id = g.id AND t.retired = 0 "
        "LEFT JOIN member_tags mt ON mt.member_id = ? AND mt.tag_id = t.id "
        "WHERE g.retired = 0 ORDER BY g.sort_order, g.id, t.sort_order, t.id",
        (member["id"],),
    )
    groups: dict[int, tuple[dict, bool, list[TagState]]] = {}
    for row in rows:
        if row["group_id"] not in groups:
            editable = _group_visibility(actor.role, row)
            if editable is None:
                continue
            groups[row["group_id"]] = (row, editable, [])
        tag = TagState(id=row["id"], name=row["name"], color=row["color"], applied=bool(row["applied"]))
        groups[row["group_id"]][2].append(tag)
    return [
        TagGroupState(id=g["group_id"], name=g["group_name"], kind=TagKind(g["kind"]), choice=Choice(g["choice"]),
                      color=g["group_color"], editable=editable, tags=tuple(tags))
        for g, editable, tags in groups.values()
    ]


def _group_visibility(role: Role, group: dict) -> bool | None:
    """None: hidden from this role; False: shown read-only (automatic); True: the role may apply it."""
    if group["kind"] == TagKind.AUTOMATIC:
        return None if role == Role.CASHIER else False
    return True if may_apply_group(role, json.loads(group["roles"])) else None


def _act(store: Store, actor: Actor, member_id: int, tag_id: int, *, present: bool | None) -> TagChange:
    """Validate, then in one transaction change the tag, record it for undo and queue it for HQ.

    The member, the tag and its group's rules (single choice, retired, roles) are read inside the write
    transaction: the sync worker commits through its own connection, and a rule read before BEGIN IMMEDIATE
    could be stale by the time the tag is written (a second value in a slot, a retired or forbidden tag).
    """
    whole_number(member_id, "member_id")
    whole_number(tag_id, "tag_id")
    with store.write():
        member = require_member(store, member_id)
        tag = _usable_tag(store, actor, tag_id)
        if present is None:
            present = store.one("SELECT 1 FROM member_tags WHERE member_id = ? AND tag_id = ?",
                                (member["id"], tag["id"])) is None
        at = utc_now_iso()
        added, removed, mutation_ids = _write_change(store, actor, member, tag, present=present, at=at)
        if added or removed:
            store.conn.execute(
                "INSERT INTO tag_history(staff_id, member_id, group_id, added, removed, at) VALUES (?, ?, ?, ?, ?, ?)",
                (actor.staff_id, member["id"], tag["group_id"], json.dumps(added), json.dumps(removed), at),
            )
    return TagChange(member_id=member["id"], group_id=tag["group_id"], added=added, removed=removed,
                     mutation_ids=mutation_ids)


def _write_change(store: Store, actor: Actor, member: dict, tag: dict, *, present: bool,
                  at: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    """Make ``tag`` present or absent for the member (inside write()); return (added, removed, mutation ids).

    Writes nothing and queues nothing when the member is already in that state.
    """
    conn = store.conn
    held = {r[0] for r in conn.execute(
        "SELECT mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id "
        "WHERE mt.member_id = ? AND t.group_id = ?", (member["id"], tag["group_id"]))}
    if present:
        added = () if tag["id"] in held else (tag["id"],)
        removed = tuple(sorted(held - {tag["id"]})) if tag["choice"] == Choice.SINGLE else ()
    else:
        added, removed = (), ((tag["id"],) if tag["id"] in held else ())
    if not (added or removed):
        return (), (), ()
    conn.executemany("DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?",
                     [(member["id"], t) for t in removed])
    conn.executemany("INSERT INTO member_tags(member_id, tag_id, applied_by, applied_at) VALUES (?, ?, ?, ?)",
                     [(member["id"], t, actor.staff_id, at) for t in added])
    payload = {"member": member_ref(member), "tag_id": tag["id"], "group_id": tag["group_id"], "at": at}
    if present:
        mutation_id = enqueue(store, MutationKind.TAG_APPLY, {**payload, "replaces": list(removed)}, actor.staff_id)
    else:
        mutation_id = enqueue(store, MutationKind.TAG_REMOVE, payload, actor.staff_id)
    return added, removed, (mutation_id,)


def _usable_tag(store: Store, actor: Actor, tag_id: int) -> dict:
    """The tag with its group, or the reason this actor may not change it now (writes nothing)."""
    tag = store.one(_TAG_SQL, (tag_id,))
    details = {"tag_id": tag_id}
    if tag is None:
        raise UnknownTag(f"No tag with id {tag_id}.", **details)
    details |= {"group_id": tag["group_id"], "tag": tag["name"], "group": tag["group_name"]}
    if tag["kind"] == TagKind.AUTOMATIC:
        raise TagReadOnly(f"“{tag['name']}” is an automatic tag computed by HQ; stores cannot change it.", **details)
    if tag["tag_retired"] or tag["group_retired"]:
        raise TagRetired(f"HQ has retired the tag “{tag['name']}” (group “{tag['group_name']}”).", **details)
    if not may_apply_group(actor.role, json.loads(tag["roles"])):
        raise TagNotAllowed(f"A {actor.role} may not use tags of the group “{tag['group_name']}”.",
                            role=str(actor.role), **details)
    return tag


def _last_change(store: Store, actor: Actor, member_id: int | None) -> dict | None:
    sql = "SELECT id, member_id, group_id, added, removed FROM tag_history WHERE staff_id = ? AND undone = 0"
    params: tuple = (actor.staff_id,)
    if member_id is not None:
        sql, params = sql + " AND member_id = ?", (*params, member_id)
    return store.one(sql + " ORDER BY id DESC LIMIT 1", params)

