"""What must hold on a device killed mid-sync, judged from its own database and HQ's (no trust in the worker).

What the device made is what its outbox numbers: ``seq`` is AUTOINCREMENT, so every number from 1 to
``sqlite_sequence`` was one mutation, and each must still be queued or be on HQ (under the same id, once).
The cursor is opaque to the device, but the reference HQ writes ``<epoch>.<store>.<f|c>.<seq>``: every
feed row with a sequence up to the cursor's is HQ's latest version of that document, so the replica must
hold exactly it (pending local edits aside). Each check returns English violations; empty means fine.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from associate_app.store import Store, open_store
from hq.db import Database
from tests.sync.kill_client import NOTE_PREFIX

LIKE_KILL = f"{NOTE_PREFIX}%"
# entity -> (local table, local key columns, fields compared with HQ's document)
COMPARED: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "member": ("members", ("id",), ("version", "points", "level", "advisor_id", "name", "status")),
    "task": ("tasks", ("id",), ("status", "title", "assignee_id", "due_date")),
    "task_target": ("task_targets", ("task_id", "member_id"),
                    ("advisor_id", "outcome", "outcome_at", "outcome_by", "note", "sort_order")),
    "interaction": ("interactions", ("id",), ("member_id", "staff_id", "type", "outcome", "note", "occurred_at")),
    "staff": ("staff", ("id",), ("name", "role", "active")),
    "tag": ("tags", ("id",), ("group_id", "name", "retired")),
    "tag_group": ("tag_groups", ("id",), ("name", "kind", "choice", "retired")),
}


@dataclass
class Reported:
    """Edits the worker said had committed (printed after the commit: a subset of what it made)."""

    mutations: set[str] = field(default_factory=set)
    interactions: set[str] = field(default_factory=set)


def cursor_seq(cursor: str | None) -> int | None:
    """The sequence in the reference HQ's cursor (a device never does this; the harness may)."""
    return int(cursor.split(".")[3]) if cursor else None


def hq_mutations(hq: Database, device: str) -> list[tuple[str, int, str]]:
    with hq.read() as tx:
        return [(m, int(s), json.loads(r)["status"]) for m, s, r in tx.all(
            "SELECT mutation_id, device_seq, result FROM applied_mutations WHERE device_id = ?", (device,))]


def check_store(store: Store, hq: Database, device: str, reported: Reported) -> list[str]:
    """Nothing lost, nothing twice: the outbox and HQ's record of this device's mutations agree."""
    bad: list[str] = []
    if store.scalar("PRAGMA integrity_check") != "ok":
        bad.append("PRAGMA integrity_check is not ok")
    made = int(store.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'") or 0)
    queued = {r["seq"]: r["mutation_id"] for r in store.all("SELECT seq, mutation_id FROM outbox")}
    on_hq = hq_mutations(hq, device)
    by_seq: dict[int, list[str]] = {}
    for mutation_id, seq, _status in on_hq:
        by_seq.setdefault(seq, []).append(mutation_id)
    bad += [f"HQ applied device_seq {s} more than once: {ids}" for s, ids in by_seq.items() if len(ids) > 1]
    bad += [f"mutation #{s} is lost: neither queued nor on HQ" for s in range(1, made + 1)
            if s not in queued and s not in by_seq]
    bad += [f"HQ has mutation #{s} that the device has no record of making" for s in by_seq if s > made]
    bad += [f"mutation #{s} is {queued[s]} here but {by_seq[s]} on HQ" for s in queued
            if s in by_seq and by_seq[s] != [queued[s]]]
    known = set(queued.values()) | {m for m, _, _ in on_hq}
    bad += [f"edit {m} was reported saved but is neither queued nor on HQ" for m in reported.mutations - known]
    local = {r["id"] for r in store.all("SELECT id FROM interactions WHERE note LIKE ?", (LIKE_KILL,))}
    rejected = {m for m, _, status in on_hq if status == "rejected"}
    if rejected:
        bad.append(f"HQ rejected {len(rejected)} of this device's mutations: {sorted(rejected)[:5]}")
    bad += [f"interaction {i} was reported saved but is gone" for i in reported.interactions - local]
    outbox_ids = {r["id"] for r in store.all(
        "SELECT json_extract(payload, '$.id') AS id FROM outbox WHERE kind = 'interaction.log'")}
    with hq.read() as tx:
        remote = {r[0] for r in tx.all("SELECT id FROM interactions WHERE note LIKE ?", (LIKE_KILL,))}
    bad += [f"HQ has interaction {i} that the device no longer has" for i in remote - local]
    bad += [f"interaction {i} is on the device but neither queued nor on HQ" for i in local - outbox_ids - remote]
    return bad


def pending_scope(store: Store) -> tuple[set[int], set[int], set[tuple[int, int]]]:
    """Members whose tags, tasks whose status, targets whose outcome a queued edit changed locally."""
    members, tasks, targets = set(), set(), set()
    for row in store.all("SELECT kind, payload FROM outbox"):
        payload = json.loads(row["payload"])
        if row["kind"].startswith("tag."):
            members.add(payload["member"])
        elif row["kind"] == "task_target.outcome":
            tasks.add(payload["task_id"])
            targets.add((payload["task_id"], payload["member"]))
    return members, tasks, targets


def check_replica(store: Store, hq: Database, store_code: str, upto: int | None, *,
                  redownloading: bool = False) -> list[str]:
    """The replica holds HQ's version of every document up to sequence ``upto`` (None: all, and no more).

    During a re-download a row HQ deleted may still be here: the first page carries no tombstones, and
    whatever HQ did not send again is swept away only when the download completes.
    """
    limit, params = ("", (store_code,)) if upto is None else (" AND seq <= ?", (store_code, upto))
    with hq.read() as tx:
        rows = tx.all(f"SELECT entity, key, seq, deleted, doc FROM sync_rows WHERE scope IN (?, '*'){limit}", params)
    members, tasks, targets = pending_scope(store)
    bad: list[str] = []
    live: dict[str, set[tuple]] = {e: set() for e in COMPARED}
    for entity, key, seq, deleted, doc in rows:
        if entity not in COMPARED:
            continue
        table, keys, fields = COMPARED[entity]
        values = tuple(int(k) if k.lstrip("-").isdigit() and entity != "staff" else k for k in key.split(":"))
        local = store.one(f"SELECT * FROM {table} WHERE {' AND '.join(f'{k} = ?' for k in keys)}", values)
        if deleted:
            if local is not None and not redownloading:
                bad.append(f"{entity} {key} was deleted on HQ at seq {seq} but is still here")
            continue
        live[entity].add(values)
        document = orjson.loads(doc)
        if local is None:
            bad.append(f"{entity} {key} (seq {seq}) is missing here")
            continue
        skip = {"status"} if entity == "task" and values[0] in tasks else set()
        if entity == "task_target" and values in targets:
            skip = {"outcome", "outcome_at", "outcome_by", "note"}
        diff = {f: (local[f], document.get(f)) for f in fields if f not in skip and local[f] != document.get(f)}
        if entity == "member" and values[0] not in members:
            held = [[r["tag_id"], r["applied_at"], r["applied_by"]] for r in store.all(
                "SELECT tag_id, applied_at, applied_by FROM member_tags WHERE member_id = ? ORDER BY tag_id", values)]
            if held != document["tags"]:
                diff["tags"] = (held, document["tags"])
        if diff:
            bad.append(f"{entity} {key} (seq {seq}) differs from HQ's (here, HQ): {diff}")
    if upto is None:
        for entity, (table, keys, _) in COMPARED.items():
            extra = {tuple(r.values()) for r in store.all(f"SELECT {', '.join(keys)} FROM {table}")} - live[entity]
            bad += [f"{entity} {k} is here but not on HQ" for k in sorted(extra)[:10]]
    return bad


def check_after_kill(path: Path, hq: Database, device: str, store_code: str, reported: Reported,
                     last_seq: int | None) -> tuple[list[str], int | None, str]:
    """Everything that must hold right after a SIGKILL. Returns the violations, the cursor's sequence and
    where the download stood: ``re-download`` (unfinished), ``caught up`` (the last page had no more) or
    ``pulling`` (a first or an incremental download under way)."""
    try:
        store = open_store(path)
    except Exception as exc:  # any failure to open after a kill is the finding itself
        return [f"the store does not open after the kill: {exc!r}"], last_seq, "pulling"
    try:
        bad = check_store(store, hq, device, reported)
        seq = cursor_seq(store.get_state("cursor"))
        high_water = store.get_state("high_water")
        redownloading = store.get_state("resync") == "1"
        if seq is not None:
            if last_seq is not None and seq < last_seq and not redownloading:
                bad.append(f"the cursor went back from seq {last_seq} to {seq}")
            if high_water is None or int(high_water) < seq:
                bad.append(f"high_water {high_water} is behind the cursor's seq {seq}")
            bad += check_replica(store, hq, store_code, seq, redownloading=redownloading)
        caught_up = seq is not None and high_water is not None and seq == int(high_water)
        return bad, seq, "re-download" if redownloading else "caught up" if caught_up else "pulling"
    finally:
        store.close()


def check_final(path: Path, hq: Database, device: str, store_code: str, reported: Reported) -> list[str]:
    """After a clean last run: the outbox is empty and HQ and the device agree on everything."""
    store = open_store(path)
    try:
        bad = check_store(store, hq, device, reported)
        if store.scalar("SELECT count(*) FROM outbox"):
            bad.append(f"{store.scalar('SELECT count(*) FROM outbox')} mutations are still queued")
        made = int(store.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'") or 0)
        seqs = Counter(s for _, s, _ in hq_mutations(hq, device))
        if set(seqs) != set(range(1, made + 1)) or sum(seqs.values()) != made:
            bad.append(f"HQ holds {sum(seqs.values())} mutations of this device, it made {made}")
        with hq.read() as tx:
            notes = Counter(r[0] for r in tx.all("SELECT note FROM interactions WHERE note LIKE ?", (LIKE_KILL,)))
            high = int(tx.scalar("SELECT value FROM counters WHERE name = 'change_seq'"))
            tables = _hq_tables(tx, store_code)
        bad += [f"HQ holds the interaction noted {n[:20]!r}… {c} times" for n, c in notes.items() if c > 1]
        if cursor_seq(store.get_state("cursor")) != high:
            bad.append(f"the cursor {store.get_state('cursor')} is not at HQ's high water {high}")
        bad += check_replica(store, hq, store_code, None)
        for name, rows in _local_tables(store).items():
            if rows != tables[name]:
                bad.append(f"{name} differ from HQ's tables: only here {sorted(rows - tables[name])[:5]}, "
                           f"only on HQ {sorted(tables[name] - rows)[:5]}")
        if store.conn.execute("PRAGMA foreign_key_check").fetchall():
            bad.append("PRAGMA foreign_key_check finds rows without their parent")
        bad += _schema_as_migrated(store, path)
        return bad
    finally:
        store.close()


def _schema_as_migrated(store: Store, path: Path) -> list[str]:
    """A first download defers indexes and triggers (sync/bulk.py): killed or not, all must be back."""
    fresh = open_store(path.with_name("schema-reference.db"))
    try:
        def schema(s: Store) -> set:
            return set(s.conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
        missing = schema(fresh) - schema(store)
    finally:
        fresh.close()
    expected = store.scalar("SELECT count(DISTINCT k.value || '|' || m.id) FROM members m, json_each(m.search_keys) k")
    problems = [f"{kind} {name} is missing after the download" for kind, name, _sql in sorted(missing)]
    if store.get_state("bulk_load") is not None:
        problems.append("the first download's deferred indexes were never rebuilt")
    if store.scalar("SELECT count(*) FROM member_keys") != expected:
        problems.append("member_keys does not hold every member's name keys")
    return problems


def _hq_tables(tx: Any, store_code: str) -> dict[str, set[tuple]]:
    """Members with version and tags, tasks and targets as HQ's own tables have them (not its feed)."""
    return {
        "members": set(tx.all("SELECT id, version, points FROM members WHERE store_code = ? AND merged_into IS NULL",
                              (store_code,))),
        "member tags": set(tx.all("SELECT mt.member_id, mt.tag_id FROM member_tags mt JOIN members m ON m.id = "
                                  "mt.member_id WHERE mt.present = 1 AND m.store_code = ?", (store_code,))),
        "tasks": set(tx.all("SELECT id, status FROM tasks WHERE store_code = ?", (store_code,))),
        "targets": set(tx.all("SELECT tt.task_id, tt.member_id, tt.advisor_id, tt.outcome, tt.outcome_by FROM "
                              "task_targets tt JOIN tasks t ON t.id = tt.task_id WHERE t.store_code = ?",
                              (store_code,))),
    }


def _local_tables(store: Store) -> dict[str, set[tuple]]:
    def rows(sql: str) -> set[tuple]:
        return {tuple(r.values()) for r in store.all(sql)}

    return {"members": rows("SELECT id, version, points FROM members"),
            "member tags": rows("SELECT member_id, tag_id FROM member_tags"),
            "tasks": rows("SELECT id, status FROM tasks"),
            "targets": rows("SELECT task_id, member_id, advisor_id, outcome, outcome_by FROM task_targets")}
