"""Pull while HQ keeps writing: nothing skipped, nothing delivered twice; tombstones; reset answers.

A device pulls in small pages while other threads change members, tags and interactions. When the
writes stop and the device has pulled to the end, its replica must equal HQ's current documents
exactly. Every write below changes its document (a member's version or tag times, a new
interaction), so the same (entity, key, document) arriving twice can only be one feed row (one
sequence) delivered twice.
"""

from __future__ import annotations

import random
import threading
import zlib
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from hq.admin.members import update_member
from hq.db import Database
from hq.schema import get_meta, set_meta
from hq.timeutil import iso, now_utc
from tests.hq.api import Api, entity_key

PAGE = 7  # small pages: many page boundaries while the writes go on


class Replica:
    """A device's local copy, built only from what /v1/pull answered, page by page."""

    def __init__(self, client: Api) -> None:
        self.client = client
        self.cursor = ""
        self.docs: dict[str, dict[str, Any]] = {}
        self.delivered: set[tuple[str, str, bytes]] = set()
        self.twice: list[tuple[str, str, bytes]] = []
        self.pages = 0

    def pull_page(self, limit: int = PAGE) -> bool:
        """One page; returns has_more."""
        r = self.client.get("/v1/pull", params={"cursor": self.cursor, "limit": limit})
        assert r.status_code == 200, r.text
        page = r.json()
        for entity, docs in page["upserts"].items():
            for doc in docs:
                key = entity_key(entity, doc)
                self._note(entity, key, orjson.dumps(doc, option=orjson.OPT_SORT_KEYS))
                self.docs.setdefault(entity, {})[key] = doc
        for entity, keys in page["deletes"].items():
            for key in keys:
                self._note(entity, key, b"deleted")
                self.docs.get(entity, {}).pop(key, None)
        self.cursor = page["cursor"]
        self.pages += 1
        return page["has_more"]

    def _note(self, entity: str, key: str, what: bytes) -> None:
        if (entity, key, what) in self.delivered:
            self.twice.append((entity, key, what))
        self.delivered.add((entity, key, what))

    def pull_to_end(self, limit: int = PAGE) -> None:
        while self.pull_page(limit):
            pass

    def snapshot(self) -> dict[str, dict[str, Any]]:
        return {entity: docs for entity, docs in self.docs.items() if docs}


def server_documents(db: Database, store: str) -> dict[str, dict[str, Any]]:
    """What HQ currently holds for an advisor of ``store``: the store's feed and the catalogue."""
    out: dict[str, dict[str, Any]] = {}
    with db.read() as tx:
        for entity, key, doc in tx.all(
            "SELECT entity, key, doc FROM sync_rows WHERE scope IN (?, '*') AND deleted = 0 AND doc IS NOT NULL",
            (store,),
        ):
            out.setdefault(entity, {})[key] = orjson.loads(bytes(doc))
    return out


def store_members(db: Database, store: str) -> dict[str, tuple[str, int, int]]:
    """The members table itself (not the feed): id → (name, points, version)."""
    with db.read() as tx:
        rows = tx.all("SELECT id, name, points, version FROM members WHERE store_code = ? AND merged_into IS NULL",
                      (store,))
    return {str(mid): (name, points, version) for mid, name, points, version in rows}


def member_ids(db: Database, store: str) -> list[int]:
    with db.read() as tx:
        return [r[0] for r in tx.all("SELECT id FROM members WHERE store_code = ? ORDER BY id", (store,))]


class Writer:
    """HQ-side changes to a fixed set of members, paced by the puller so writes land between pages."""

    def __init__(self, db: Database, name: str, members: list[int], pace: threading.Semaphore,
                 moves: bool = False) -> None:
        self.db, self.name, self.members, self.pace, self.moves = db, name, list(members), pace, moves
        self.rng = random.Random(name)
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, name=f"writer-{name}", daemon=True)

    def _run(self) -> None:
        try:
            for i in range(60):
                self.pace.acquire(timeout=30)
                self.step(i)
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.errors.append(exc)

    def step(self, i: int) -> None:
        member = self.rng.choice(self.members)
        action = i % 5
        if action in (0, 1):
            update_member(self.db, member, {"points": self.rng.randint(0, 99_999), "name": f"{self.name}改{i}"})
        elif action == 2:
            self.interaction(member, i)
        elif action == 3:
            self.tag(member, i)
        elif self.moves and len(self.members) > 5:
            self.members.remove(member)
            move_member(self.db, member, "SH002", "A101")
        else:
            update_member(self.db, member, {"level": self.rng.choice(["regular", "silver", "gold"])})

    def interaction(self, member: int, i: int) -> None:
        key = f"consist-{self.name}-{i}"
        with self.db.write() as tx:
            tx.execute(
                "INSERT INTO interactions(id, member_id, staff_id, type, outcome, note, occurred_at, task_id,"
                " next_follow_up, created_at, content_hash) VALUES (?, ?, 'A001', 'call', 'reached', ?, ?, NULL,"
                " NULL, ?, ?)",
                (key, member, f"第{i}次回访", iso(now_utc()), iso(now_utc()), key),
            )
            tx.touch("interaction", key)

    def tag(self, member: int, i: int) -> None:
        """Apply a parenting-concern tag (multi-choice group 2) with a time no other write uses."""
        tag_id = 200 + 1 + i % 5
        at = f"2026-11-25T06:{i // 60:02d}:{i % 60:02d}.{zlib.crc32(self.name.encode()) % 1000:03d}Z"
        with self.db.write() as tx:
            tx.execute(
                "INSERT INTO member_tags(member_id, tag_id, present, at, by_staff) VALUES (?, ?, 1, ?, 'A001')"
                " ON CONFLICT(member_id, tag_id) DO UPDATE SET present = 1, at = excluded.at",
                (member, tag_id, at),
            )
            tx.touch("member", member)


def move_member(db: Database, member: int, store: str, advisor: str) -> None:
    """HQ moves a member to another store: gone from the old store's feed, new in the other's."""
    with db.write() as tx:
        tx.execute("UPDATE members SET store_code = ?, advisor_id = ?, version = version + 1 WHERE id = ?",
                   (store, advisor, member))
        tx.touch("member", member)


def pull_while(replica: Replica, writers: list[Writer]) -> None:
    """Pull pages (one write permitted per page) until every writer is done, then to the end."""
    for w in writers:
        w.thread.start()
    while any(w.thread.is_alive() for w in writers):
        replica.pull_page()
        for w in writers:
            w.pace.release()
    for w in writers:
        w.thread.join()
        assert not w.errors, w.errors
    replica.pull_to_end()


def assert_replica_matches(replica: Replica, db: Database, store: str) -> None:
    assert replica.twice == [], f"delivered twice: {replica.twice[:5]}"
    assert replica.snapshot() == server_documents(db, store)
    table = store_members(db, store)
    members = replica.docs["member"]
    assert set(members) == set(table)
    assert {k: (m["name"], m["points"], m["version"]) for k, m in members.items()} == table


def test_a_pull_during_writes_ends_with_exactly_the_servers_documents(hq, hq_db, api):
    replica = Replica(api("SH001", "A001"))
    replica.pull_page()  # the download has begun before the first write
    writer = Writer(hq_db, "solo", member_ids(hq_db, "SH001"), threading.Semaphore(0), moves=True)
    pull_while(replica, [writer])
    assert replica.pages > 60  # the writes really were spread across many pages
    assert_replica_matches(replica, hq_db, "SH001")
    moved = set(map(str, member_ids(hq_db, "SH001"))) ^ {str(m) for m in writer.members}
    assert moved == set(), "the writer's own view of who stayed agrees with HQ"
    assert len(writer.members) < 60 and not set(map(str, member_ids(hq_db, "SH002"))) & set(replica.docs["member"])


def test_concurrent_writers_on_their_own_connections_skip_nothing(hq, hq_db, api):
    """Several writers at once (on PostgreSQL: several connections racing for sequence values)."""
    ids = member_ids(hq_db, "SH001")
    writers = [Writer(hq_db, f"w{n}", ids[n::4], threading.Semaphore(2)) for n in range(4)]
    replica = Replica(api("SH001", "A002"))
    pull_while(replica, writers)
    assert_replica_matches(replica, hq_db, "SH001")
    written = {f"consist-w{n}-{i}" for n in range(4) for i in range(60) if i % 5 == 2}
    assert written <= set(replica.docs["interaction"])


def test_a_member_moved_to_another_store_disappears_from_the_old_stores_devices(hq, hq_db, api):
    advisor, cashier, other = (Replica(api(*who)) for who in (("SH001", "A001"), ("SH001", "C001"),
                                                                 ("SH002", "A101")))
    for replica in (advisor, cashier, other):
        replica.pull_to_end(limit=1000)
    member = member_ids(hq_db, "SH001")[0]
    assert str(member) in advisor.docs["member"] and str(member) in cashier.docs["member"]
    move_member(hq_db, member, "SH002", "A101")
    for replica in (advisor, cashier, other):
        replica.pull_to_end()
    assert str(member) not in advisor.docs["member"] and str(member) not in cashier.docs["member"]
    assert other.docs["member"][str(member)]["store_code"] == "SH002"
    assert advisor.twice == cashier.twice == other.twice == []
    assert advisor.snapshot() == server_documents(hq_db, "SH001")


def test_a_tag_group_taken_away_from_cashiers_is_deleted_on_their_devices(hq, hq_db, api):
    cashier, advisor = Replica(api("SH001", "C001")), Replica(api("SH001", "A001"))
    cashier.pull_to_end(limit=1000)
    advisor.pull_to_end(limit=1000)
    assert "4" in cashier.docs["tag_group"]
    with hq_db.write() as tx:
        tx.execute("UPDATE tag_groups SET roles = '[\"advisor\"]' WHERE id = 4")
        tx.touch("tag_group", 4)
    cashier.pull_to_end()
    advisor.pull_to_end()
    assert "4" not in cashier.docs["tag_group"]
    assert advisor.docs["tag_group"]["4"]["roles"] == ["advisor"]


# --- reset required -------------------------------------------------------------------------------

def first_cursor(client: Api, limit: int = 5) -> str:
    r = client.get("/v1/pull", params={"limit": limit})
    assert r.status_code == 200 and r.json()["has_more"]
    return r.json()["cursor"]


def assert_reset(client: Api, cursor: str, reason: str) -> None:
    r = client.get("/v1/pull", params={"cursor": cursor})
    assert r.status_code == 410, r.text
    error = r.json()["error"]
    assert (error["code"], error["reason"]) == ("reset_required", reason) and error["message"]
    # what the device then does: download again from an empty cursor, which works
    state, fresh = client.pull_all()
    assert state["member"] and fresh != cursor


def with_seq(cursor: str, seq: int) -> str:
    return cursor.rsplit(".", 1)[0] + f".{seq}"


def change_meta(db: Database, key: str, value: Callable[[str | None], str]) -> None:
    with db.write() as tx:
        set_meta(tx, key, value(get_meta(tx, key)))


def test_a_cursor_from_before_a_restore_must_reset(hq, hq_db, api):
    advisor = api("SH001", "A001")
    cursor = first_cursor(advisor)
    change_meta(hq_db, "epoch", lambda old: "0badbeef" if old != "0badbeef" else "1badbeef")
    assert_reset(advisor, cursor, "server_restored")


def test_a_cursor_ahead_of_the_server_must_reset(hq, hq_db, api):
    advisor = api("SH001", "A001")
    r = advisor.get("/v1/pull", params={"limit": 1})
    ahead = with_seq(r.json()["cursor"], r.json()["high_water"] + 1000)
    assert_reset(advisor, ahead, "server_restored")


def test_a_cursor_older_than_the_purged_history_must_reset(hq, hq_db, api):
    advisor = api("SH001", "A001")
    cursor = first_cursor(advisor)
    seq = int(cursor.rsplit(".", 1)[1])
    change_meta(hq_db, "purged_through", lambda _old: str(seq + 1))
    assert_reset(advisor, cursor, "cursor_too_old")


@pytest.mark.parametrize("who", [("SH001", "C001"), ("SH002", "A101")])
def test_a_cursor_from_another_scope_must_reset(hq, api, who):
    cursor = first_cursor(api("SH001", "A001"))
    assert_reset(api(*who), cursor, "scope_changed")


@pytest.mark.parametrize("cursor", ["garbage", "abc.SH001.f.1", "0badbeef.SH001.x.5", "0badbeef.SH001.f.-1",
                                    "0badbeef.SH 001.f.5"])
def test_a_malformed_cursor_is_a_clear_400(hq, api, cursor):
    r = api("SH001", "A001").get("/v1/pull", params={"cursor": cursor})
    assert r.status_code == 400 and r.json()["error"]["code"] == "cursor_invalid"
