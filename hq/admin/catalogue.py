"""HQ's tag catalogue: groups and tags; a retired tag can no longer be applied, even offline.

Who may apply a group's tags decides what cashiers receive (their member documents carry only the
tags of groups cashiers may apply), so a change of a group's roles or kind re-publishes the group's
tags and every member holding one of them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson

from hq.admin.checks import MAX_ID, Invalid
from hq.db import Database, Tx
from hq.errors import Conflict, NotFound

_GROUP_SQL = "SELECT id, name, kind, choice, roles, sort_order, color, retired FROM tag_groups"
_TAG_SQL = "SELECT id, group_id, name, sort_order, color, retired FROM tags"
BLOCK = 100  # tag ids of group g are g×100+1 … g×100+99 while there is room (the demo catalogue's scheme)


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    row["retired"] = bool(row["retired"])
    if "roles" in row:
        row["roles"] = orjson.loads(row["roles"])
    return row


def _get(tx: Tx, sql: str, key: int, what: str, code: str) -> dict[str, Any]:
    rows = tx.dicts(f"{sql} WHERE id = ?", (key,))
    if not rows:
        raise NotFound(f"{what} {key} does not exist", code=code)
    return _shape(rows[0])


def _group(tx: Tx, group_id: int) -> dict[str, Any]:
    return _get(tx, _GROUP_SQL, group_id, "tag group", "unknown_tag_group")


def _tag(tx: Tx, tag_id: int) -> dict[str, Any]:
    return _get(tx, _TAG_SQL, tag_id, "tag", "unknown_tag")


def list_catalogue(db: Database) -> list[dict[str, Any]]:
    """Every group (retired ones too) with its tags, in display order."""
    with db.read() as tx:
        groups = [_shape(g) for g in tx.dicts(f"{_GROUP_SQL} ORDER BY sort_order, id")]
        tags = [_shape(t) for t in tx.dicts(f"{_TAG_SQL} ORDER BY sort_order, id")]
    by_group: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for tag in tags:
        by_group[tag["group_id"]].append(tag)
    return [{**g, "tags": by_group[g["id"]]} for g in groups]


def _set(tx: Tx, table: str, key: int, changes: dict[str, Any]) -> None:
    if not changes:
        raise Invalid("nothing to change", code="nothing_to_change")
    columns = list(changes)
    tx.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
               [_column_value(c, changes[c]) for c in columns] + [key])


def _column_value(column: str, value: Any) -> Any:
    if column == "roles":
        return orjson.dumps(value).decode()
    return int(value) if isinstance(value, bool) else value  # PostgreSQL's INTEGER takes no booleans


def _free_id(tx: Tx, table: str, wanted: int | None, fallback: int) -> int:
    key = wanted if wanted is not None else fallback
    if tx.scalar(f"SELECT 1 FROM {table} WHERE id = ?", (key,)) is not None:
        raise Conflict(f"id {key} is already taken in {table}", code="id_taken")
    return key


def _check_rules(group: dict[str, Any]) -> None:
    if group["kind"] == "automatic" and group["roles"]:
        raise Invalid("automatic tags are computed by HQ and no role may apply them: give roles []",
                      code="invalid_roles")


def create_group(db: Database, fields: dict[str, Any]) -> dict[str, Any]:
    """A new group (id given or the next free one): name, kind, choice, roles, sort_order, color."""
    fields = {"kind": "manual", "choice": "multi", "roles": [], "sort_order": 0, "color": None, **fields}
    _check_rules(fields)
    with db.write() as tx:
        group_id = _free_id(tx, "tag_groups", fields.get("id"), (tx.scalar("SELECT max(id) FROM tag_groups") or 0) + 1)
        tx.execute("INSERT INTO tag_groups(id, name, kind, choice, roles, sort_order, color, retired)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                   (group_id, fields["name"], fields["kind"], fields["choice"], orjson.dumps(fields["roles"]).decode(),
                    fields["sort_order"], fields["color"]))
        tx.touch("tag_group", group_id)
        return _group(tx, group_id)


def update_group(db: Database, group_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change a group; a new roles list or kind re-publishes its tags and the members holding them."""
    with db.write() as tx:
        before = _group(tx, group_id)
        after = {**before, **changes}
        _check_rules(after)
        if before["choice"] == "multi" and after["choice"] == "single":
            _require_one_per_member(tx, group_id)
        _set(tx, "tag_groups", group_id, changes)
        tx.touch("tag_group", group_id)
        if (before["roles"], before["kind"]) != (after["roles"], after["kind"]):
            _touch_holders(tx, group_id)
        return _group(tx, group_id)


def _require_one_per_member(tx: Tx, group_id: int) -> None:
    """A group cannot become single-choice while members hold two of its tags (no slot could hold both)."""
    count = tx.scalar(
        "SELECT count(*) FROM (SELECT mt.member_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
        " WHERE t.group_id = ? AND mt.present = 1 GROUP BY mt.member_id HAVING count(*) > 1) AS holders",
        (group_id,),
    )
    if count:
        raise Conflict(f"{count} members hold several tags of group {group_id}: it cannot become single-choice",
                       code="group_has_multiple", members=int(count))


def _touch_holders(tx: Tx, group_id: int) -> None:
    tx.touch("tag", *(r[0] for r in tx.all("SELECT id FROM tags WHERE group_id = ?", (group_id,))))
    tx.touch("member", *(r[0] for r in tx.all(
        "SELECT DISTINCT mt.member_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
        " WHERE t.group_id = ? AND mt.present = 1", (group_id,))))


def set_group_retired(db: Database, group_id: int, retired: bool) -> dict[str, Any]:
    """Retire (or bring back) a whole group: devices stop offering its tags."""
    return update_group(db, group_id, {"retired": int(retired)})


def _next_tag_id(tx: Tx, group_id: int) -> int:
    first = group_id * BLOCK
    if first + BLOCK - 1 <= MAX_ID:
        top = tx.scalar("SELECT max(id) FROM tags WHERE id > ? AND id < ?", (first, first + BLOCK))
        candidate = (top or first) + 1
        if candidate < first + BLOCK:
            return candidate
    return (tx.scalar("SELECT max(id) FROM tags") or 0) + 1


def create_tag(db: Database, group_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """A new tag in a group: name, sort_order, color; id given or the next free one."""
    with db.write() as tx:
        _group(tx, group_id)
        tag_id = _free_id(tx, "tags", fields.get("id"), _next_tag_id(tx, group_id))
        tx.execute("INSERT INTO tags(id, group_id, name, sort_order, color, retired) VALUES (?, ?, ?, ?, ?, 0)",
                   (tag_id, group_id, fields["name"], fields.get("sort_order", 0), fields.get("color")))
        tx.touch("tag", tag_id)
        return _tag(tx, tag_id)


def update_tag(db: Database, tag_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Rename, reorder or recolour a tag (name, sort_order, color, retired)."""
    with db.write() as tx:
        _tag(tx, tag_id)
        _set(tx, "tags", tag_id, changes)
        tx.touch("tag", tag_id)
        return _tag(tx, tag_id)


def set_tag_retired(db: Database, tag_id: int, retired: bool) -> dict[str, Any]:
    return update_tag(db, tag_id, {"retired": int(retired)})


def retire_tag(db: Database, tag_id: int) -> None:
    set_tag_retired(db, tag_id, True)
