"""Entity → the JSON document devices receive, encoded once when it changes (never per pull).

Each renderer takes keys and returns ``{key: (scope, doc, doc_cashier)}`` for entities that exist,
leaving out deleted ones. ``doc_cashier`` is what a cashier's device gets: phones masked, no
address, birthday or purchase history, only the tag groups cashiers may apply; ``None`` hides the
entity from cashiers altogether. Field names follow docs/sync-protocol.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import orjson

from associate_app.domain.privacy import mask_phone, phone_hash
from hq.db import Tx

Rendered = tuple[str, bytes, bytes | None]
CHUNK = 500
CATALOGUE_SCOPE = "*"
# hq_meta keys that devices receive as settings; everything else there (the signing key!) stays on HQ.
PUBLISHED_SETTINGS = ("member_code_public_key", "phone_hash_salt", "chain_name")


def _chunks(keys: Iterable[str], size: int = CHUNK) -> Iterable[list[str]]:
    keys = list(keys)
    for i in range(0, len(keys), size):
        yield keys[i : i + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _ints(keys: Sequence[str]) -> list[int]:
    out = []
    for k in keys:
        try:
            out.append(int(k))
        except ValueError:
            continue
    return out


def cashier_groups(tx: Tx) -> set[int]:
    rows = tx.all("SELECT id, roles FROM tag_groups WHERE kind = 'manual'")
    return {gid for gid, roles in rows if "cashier" in orjson.loads(roles)}


def render_members(tx: Tx, keys: Sequence[str]) -> dict[str, Rendered]:
    out: dict[str, Rendered] = {}
    salt = tx.scalar("SELECT value FROM hq_meta WHERE key = 'phone_hash_salt'") or ""
    groups_for_cashier = cashier_groups(tx)
    tag_group = dict(tx.all("SELECT id, group_id FROM tags"))
    for chunk in _chunks(keys):
        ids = _ints(chunk)
        if not ids:
            continue
        members = tx.dicts(
            "SELECT id, card_no, phone, name, gender, birthday, level, points, store_code, advisor_id, status,"
            " is_lead, lead_uuid, join_date, last_purchase_at, lifecycle, rfm_segment, address, purchase_summary,"
            f" version, updated_at FROM members WHERE id IN ({_marks(len(ids))}) AND merged_into IS NULL",
            ids,
        )
        if not members:
            continue
        present = [m["id"] for m in members]
        children: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in tx.dicts(
            f"SELECT id, member_id, name, gender, birthday, due_date FROM children WHERE member_id IN "
            f"({_marks(len(present))}) ORDER BY id",
            present,
        ):
            children[row.pop("member_id")].append(row)
        tags: dict[int, list[list[Any]]] = defaultdict(list)
        for member_id, tag_id, at, by in tx.all(
            f"SELECT member_id, tag_id, at, by_staff FROM member_tags WHERE present = 1 AND member_id IN "
            f"({_marks(len(present))}) ORDER BY member_id, tag_id",
            present,
        ):
            tags[member_id].append([tag_id, at, by])
        for m in members:
            mid = m["id"]
            m["is_lead"] = bool(m["is_lead"])
            summary = m.pop("purchase_summary")
            m["purchase_summary"] = orjson.loads(summary) if summary else None
            m["children"] = children.get(mid, [])
            m["tags"] = tags.get(mid, [])
            doc = orjson.dumps(m)
            cashier = {
                k: m[k]
                for k in ("id", "card_no", "name", "gender", "level", "points", "store_code", "advisor_id", "status",
                          "is_lead", "lead_uuid", "version", "updated_at")
            }
            cashier["phone"] = mask_phone(m["phone"])
            cashier["phone_hash"] = phone_hash(salt, m["phone"])
            cashier["children"] = [
                {"id": c["id"], "gender": c["gender"], "birthday": c["birthday"], "due_date": c["due_date"]}
                for c in m["children"]
            ]
            cashier["tags"] = [t for t in m["tags"] if tag_group.get(t[0]) in groups_for_cashier]
            out[str(mid)] = (m["store_code"] or "", doc, orjson.dumps(cashier))
    return out


def _simple(sql: str, key_sql: str, scope: Callable[[dict[str, Any]], str],
            cashier: Callable[[Tx], Callable[[dict[str, Any]], dict[str, Any] | None]] | None = None,
            shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
            int_keys: bool = True) -> Callable[[Tx, Sequence[str]], dict]:
    """A renderer for a table whose rows map to documents one to one (keys looked up by index).

    ``cashier(tx)`` gives the cashier's view of one document (None: hidden); it is asked once per call,
    so whatever it needs from the catalogue is read once, not once per row.
    """

    def render(tx: Tx, keys: Sequence[str]) -> dict[str, Rendered]:
        out: dict[str, Rendered] = {}
        cashier_view = cashier(tx) if cashier else None
        for chunk in _chunks(keys):
            params: list[Any] = _ints(chunk) if int_keys else list(chunk)
            if not params:
                continue
            for row in tx.dicts(f"{sql} WHERE {key_sql} IN ({_marks(len(params))})", params):
                key = str(row.pop("_key"))
                doc = shape(row) if shape else row
                seen = cashier_view(doc) if cashier_view else None
                out[key] = (scope(row), orjson.dumps(doc), orjson.dumps(seen) if seen is not None else None)
        return out

    return render


def render_task_targets(tx: Tx, keys: Sequence[str]) -> dict[str, Rendered]:
    by_task: dict[int, list[int]] = defaultdict(list)
    for key in keys:
        task, _, member = key.partition(":")
        if task.isdigit() and member.lstrip("-").isdigit():
            by_task[int(task)].append(int(member))
    out: dict[str, Rendered] = {}
    for task_id, members in by_task.items():
        scope = tx.scalar("SELECT store_code FROM tasks WHERE id = ?", (task_id,))
        for chunk in _chunks(members):
            for row in tx.dicts(
                "SELECT task_id, member_id, advisor_id, outcome, outcome_at, outcome_by, note, sort_order"
                f" FROM task_targets WHERE task_id = ? AND member_id IN ({_marks(len(chunk))})",
                [task_id, *chunk],
            ):
                out[f"{task_id}:{row['member_id']}"] = (scope, orjson.dumps(row), None)
    return out


def render_settings(tx: Tx, keys: Sequence[str]) -> dict[str, Rendered]:
    """Only the published settings: the member-code signing key and the like never leave HQ."""
    out: dict[str, Rendered] = {}
    for key in keys:
        if key in PUBLISHED_SETTINGS:
            value = tx.scalar("SELECT value FROM hq_meta WHERE key = ?", (key,))
            if value is not None:
                doc = orjson.dumps({"key": key, "value": value})
                out[key] = (CATALOGUE_SCOPE, doc, doc)
    return out


def _group_shape(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "roles": orjson.loads(row["roles"]), "retired": bool(row["retired"])}


def _groups_for_cashier(_tx: Tx) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    return lambda doc: doc if doc["kind"] == "manual" and "cashier" in doc["roles"] else None


def _tags_for_cashier(tx: Tx) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    groups = cashier_groups(tx)
    return lambda doc: doc if doc["group_id"] in groups else None


def _visible_to_all(_tx: Tx) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda doc: doc


RENDERERS: dict[str, Callable[[Tx, Sequence[str]], dict[str, Rendered]]] = {
    "member": render_members,
    "staff": _simple(
        "SELECT id AS _key, id, store_code, name, role, active FROM staff", "id",
        lambda r: r["store_code"], _visible_to_all, lambda r: {**r, "active": bool(r["active"])},
        int_keys=False,
    ),
    "tag_group": _simple(
        "SELECT id AS _key, id, name, kind, choice, roles, sort_order, color, retired FROM tag_groups",
        "id", lambda r: CATALOGUE_SCOPE, _groups_for_cashier, _group_shape,
    ),
    "tag": _simple(
        "SELECT id AS _key, id, group_id, name, sort_order, color, retired FROM tags", "id",
        lambda r: CATALOGUE_SCOPE, _tags_for_cashier, lambda r: {**r, "retired": bool(r["retired"])},
    ),
    "task": _simple(
        "SELECT id AS _key, id, store_code, title, kind, priority, script, start_date, due_date, assignee_id,"
        " status, created_at, updated_at FROM tasks",
        "id", lambda r: r["store_code"],
    ),
    "task_target": render_task_targets,
    "interaction": _simple(
        "SELECT i.id AS _key, i.id, i.member_id, i.staff_id, i.type, i.outcome, i.note, i.occurred_at, i.task_id,"
        " i.next_follow_up, i.created_at, m.store_code AS _scope FROM interactions i"
        " JOIN members m ON m.id = i.member_id",
        "i.id", lambda r: r.pop("_scope") or "", int_keys=False,
    ),
    "correction": _simple(
        "SELECT c.id AS _key, c.id, c.member_id, c.child_id, c.field, c.old_value, c.new_value, c.base_version,"
        " c.staff_id, c.created_at, c.status, c.hq_reason, m.store_code AS _scope FROM corrections c"
        " JOIN members m ON m.id = c.member_id",
        "c.id", lambda r: r.pop("_scope") or "", int_keys=False,
    ),
    "setting": render_settings,
}
