"""Checking HQ's answers before anything of them touches the local database.

A page or a push answer is checked whole, first: any wrong type, missing key or unknown protocol
version makes it a ProtocolError and the database is left exactly as it was. Checks are exact-type
lookups (``type(v) in allowed``) so 200,000 members cost a fraction of a second, not seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from associate_app.sync.client import PROTOCOL_VERSION
from associate_app.sync.errors import ProtocolError

S, N, B, D, L = (str,), (int,), (bool,), (dict,), (list,)  # N: a whole number
ID = frozenset({int})  # an id HQ made: a whole number from 1 (negative ids are this device's leads)
LIMIT = 2**53  # the protocol's integers stay below 2^53 (JSON numbers); larger ones would overflow SQLite
# (field, allowed types, required): None is allowed wherever a field is not required.
SPECS: dict[str, tuple[tuple[str, tuple[type, ...] | frozenset[type], bool], ...]] = {
    "member": (
        ("id", ID, True), ("card_no", S, False), ("phone", S, False), ("phone_hash", S, False), ("name", S, False),
        ("gender", S, False), ("birthday", S, False), ("level", S, False), ("points", N, False),
        ("store_code", S, False), ("advisor_id", S, False), ("status", S, False), ("is_lead", B, False),
        ("lead_uuid", S, False), ("join_date", S, False), ("last_purchase_at", S, False), ("lifecycle", S, False),
        ("rfm_segment", S, False), ("address", S, False), ("version", N, False), ("updated_at", S, False),
        ("purchase_summary", D, False), ("children", L, False), ("tags", L, False),
    ),
    "child": (("id", ID, True), ("name", S, False), ("gender", S, False), ("birthday", S, False),
              ("due_date", S, False)),
    "staff": (("id", S, True), ("store_code", S, True), ("name", S, True), ("role", S, True), ("active", B, False)),
    "tag_group": (("id", ID, True), ("name", S, True), ("kind", S, True), ("choice", S, True), ("roles", L, False),
                  ("sort_order", N, False), ("color", S, False), ("retired", B, False)),
    "tag": (("id", ID, True), ("group_id", ID, True), ("name", S, True), ("sort_order", N, False),
            ("color", S, False), ("retired", B, False)),
    "task": (("id", ID, True), ("title", S, True), ("kind", S, False), ("priority", N, False), ("script", S, False),
             ("start_date", S, False), ("due_date", S, False), ("assignee_id", S, False), ("status", S, True),
             ("created_at", S, False), ("updated_at", S, False)),
    "task_target": (("task_id", ID, True), ("member_id", ID, True), ("advisor_id", S, False), ("outcome", S, False),
                    ("outcome_at", S, False), ("outcome_by", S, False), ("note", S, False),
                    ("sort_order", N, False)),
    "interaction": (("id", S, True), ("member_id", ID, True), ("staff_id", S, True), ("type", S, True),
                    ("outcome", S, False), ("note", S, False), ("occurred_at", S, True), ("task_id", N, False),
                    ("next_follow_up", S, False), ("created_at", S, False)),
    "correction": (("id", S, True), ("member_id", ID, True), ("child_id", N, False), ("field", S, True),
                   ("old_value", S, False), ("new_value", S, True), ("base_version", N, True),
                   ("staff_id", S, True), ("created_at", S, True), ("status", S, True), ("hq_reason", S, False)),
    "setting": (("key", S, True), ("value", S, False)),
}
ENTITIES = tuple(e for e in SPECS if e != "child")
_INT_KEY = re.compile(r"[1-9]\d{0,15}")
_TARGET_KEY = re.compile(r"[1-9]\d{0,15}:[1-9]\d{0,15}")
_KEY_RULES = {"member": _INT_KEY, "tag_group": _INT_KEY, "tag": _INT_KEY, "task": _INT_KEY, "task_target": _TARGET_KEY}
CURSOR = re.compile(r"[\x21-\x7e]{1,120}")
PUSH_STATUSES = ("applied", "merged", "rejected")


@dataclass(frozen=True)
class Page:
    cursor: str
    has_more: bool
    high_water: int
    remaining: int | None
    upserts: dict[str, list[dict[str, Any]]]  # known entities only
    deletes: dict[str, list[str]]
    count: int


def _bad(what: str) -> ProtocolError:
    return ProtocolError(f"HQ sent a page this app cannot read ({what}); nothing was applied.")


def check_doc(entity: str, doc: Any) -> None:
    if type(doc) is not dict:
        raise _bad(f"a {entity} that is not an object")
    for field, allowed, required in SPECS[entity]:
        value = doc.get(field)
        if value is None:
            if required:
                raise _bad(f"a {entity} without {field}")
        elif type(value) not in allowed:
            raise _bad(f"{entity}.{field} is a {type(value).__name__}")
        elif type(value) is int and not (-LIMIT < value < LIMIT and (allowed is not ID or value > 0)):
            raise _bad(f"{entity}.{field} is out of range")


def valid_tag_entry(tag: Any) -> bool:
    """``[tag_id, applied_at, applied_by]`` as in a member document and a tag answer's ``current``."""
    return (type(tag) is list and len(tag) == 3 and type(tag[0]) is int and 0 < tag[0] < LIMIT
            and (tag[1] is None or type(tag[1]) is str) and (tag[2] is None or type(tag[2]) is str))


def _check_member(doc: dict[str, Any]) -> None:
    for child in doc.get("children") or ():
        check_doc("child", child)
    for tag in doc.get("tags") or ():
        if not valid_tag_entry(tag):
            raise _bad(f"member {doc['id']} has a malformed tag")


def _valid_tag_current(current: Any) -> bool:
    if current is None:
        return True
    return (type(current) is dict and type(current.get("member_id")) is int and type(current.get("group_id")) is int
            and type(current.get("tags")) is list and all(valid_tag_entry(t) for t in current["tags"]))


def check_page(body: Any) -> Page:
    """A pull answer as a Page, or ProtocolError. Unknown entities are dropped (a newer HQ may add some)."""
    if type(body) is not dict:
        raise _bad("not a JSON object")
    if body.get("protocol") != PROTOCOL_VERSION or type(body.get("protocol")) is not int:
        raise ProtocolError(f"HQ answered in sync protocol {body.get('protocol')!r}; this app speaks "
                            f"{PROTOCOL_VERSION}. Nothing was applied.")
    cursor, has_more, high_water = body.get("cursor"), body.get("has_more"), body.get("high_water")
    if type(cursor) is not str or not CURSOR.fullmatch(cursor):
        raise _bad("cursor")
    if type(has_more) is not bool or type(high_water) is not int or not 0 <= high_water < LIMIT:
        raise _bad("has_more or high_water")
    remaining = body.get("remaining")
    if remaining is not None and (type(remaining) is not int or not 0 <= remaining < LIMIT):
        raise _bad("remaining")
    upserts_in, deletes_in = body.get("upserts", {}), body.get("deletes", {})
    if type(upserts_in) is not dict or type(deletes_in) is not dict:
        raise _bad("upserts or deletes")
    upserts: dict[str, list[dict[str, Any]]] = {}
    deletes: dict[str, list[str]] = {}
    count = 0
    for entity, docs in upserts_in.items():
        if type(docs) is not list:
            raise _bad(f"upserts.{entity}")
        count += len(docs)
        if entity in SPECS and entity != "child":
            for doc in docs:
                check_doc(entity, doc)
                if entity == "member":
                    _check_member(doc)
            upserts[entity] = docs
    for entity, keys in deletes_in.items():
        if type(keys) is not list or any(type(k) is not str or len(k) > 80 for k in keys):
            raise _bad(f"deletes.{entity}")
        count += len(keys)
        rule = _KEY_RULES.get(entity)
        if rule is not None and not all(rule.fullmatch(k) for k in keys):
            raise _bad(f"a {entity} key")
        if entity in ENTITIES:
            deletes[entity] = keys
    return Page(cursor, has_more, high_water, remaining, upserts, deletes, count)


def check_push_answer(body: Any, sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """HQ's per-mutation results, in request order, with ``effective`` (a duplicate's first status) added."""
    results = body.get("results") if type(body) is dict else None
    if type(results) is not list or len(results) != len(sent):
        raise ProtocolError("HQ's push answer does not answer each change sent; nothing was marked as sent.")
    checked = []
    for mutation, result in zip(sent, results, strict=True):
        if type(result) is not dict or result.get("mutation_id") != mutation["mutation_id"]:
            raise ProtocolError("HQ's push answer is out of order; nothing was marked as sent.")
        status = result.get("status")
        effective = (result.get("original_status") or "applied") if status == "duplicate" else status
        if effective not in PUSH_STATUSES:
            raise ProtocolError(f"HQ answered a change with status {status!r}; nothing was marked as sent.")
        for field, allowed in (("reason", S), ("message", S), ("member_id", N)):
            if result.get(field) is not None and type(result[field]) not in allowed:
                raise ProtocolError(f"HQ's push answer has a malformed {field}; nothing was marked as sent.")
        member_id = result.get("member_id")
        if member_id is not None and not 0 < member_id < LIMIT:
            raise ProtocolError("HQ's push answer has a malformed member_id; nothing was marked as sent.")
        if mutation["kind"].startswith("tag.") and not _valid_tag_current(result.get("current")):
            raise ProtocolError("HQ's push answer has a malformed current tag state; nothing was marked as sent.")
        checked.append({**result, "effective": effective})
    return checked
