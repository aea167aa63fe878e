"""Answers HQ (or something pretending to be HQ: a captive portal, a broken proxy) should never give: bad
JSON, wrong types, an unknown protocol version, huge bodies. Each ends the cycle with ``protocol_error``
and a sentence saying what was wrong, and the local database is exactly as it was (issue 4).

The fault proxy's ``replace`` fault rewrites HQ's real answer: for pushes HQ has committed the batch,
so the next clean cycle must still deliver every change exactly once.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from associate_app.store import Store
from hq.admin import catalogue, members
from tests.sync.faultproxy import Fault
from tests.sync.test_convergence import device_snapshot, hq_snapshot
from tests.sync.test_faults import assert_exactly_once, queue_work

# Bookkeeping a failed cycle is meant to write, left out of the comparison: the status line's last error
# (sync_state) and the outbox's attempt count and last error. Everything else must stay as it was.
ROWS = {"sync_state": "key NOT IN ('last_error', 'last_sync_at')"}
COLUMNS = {"outbox": "seq, mutation_id, kind, payload, staff_id, created_at"}
HTML = b"<!DOCTYPE html><html><head><title>Wi-Fi login</title></head><body>Please accept the terms</body></html>"


def db_state(store: Store) -> dict[str, tuple[int, str]]:
    """Every table (schema included) as (row count, hash of its rows in key order)."""
    conn, state = store.conn, {}
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    state["sqlite_master"] = _digest(conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name"))
    for table in tables:
        columns = COLUMNS.get(table) or ", ".join(f'"{r[1]}"' for r in conn.execute(f'PRAGMA table_info("{table}")'))
        state[table] = _digest(conn.execute(
            f'SELECT {columns} FROM "{table}" WHERE {ROWS.get(table, "1")} ORDER BY {columns}'))
    return state


def _digest(rows) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update(repr(tuple(row)).encode())
        count += 1
    return count, digest.hexdigest()


@pytest.fixture
def dev(device, proxy, hq_database):
    """A device up to date with HQ, through the proxy; then HQ changes members, tags and the catalogue, so the
    next pull has member documents with tags, a tag and deletions to corrupt."""
    d = device(url=proxy.url)
    d.sync_ok()
    ids = [r["id"] for r in d.store.all("SELECT id FROM members ORDER BY id LIMIT 5")]
    for n, member in enumerate(ids):
        members.update_member(hq_database, member, {"points": 5_000_000 + n, "level": "gold"})
    catalogue.update_tag(hq_database, 201, {"name": "奶粉(改)"})
    return d


def assert_clear_error(result, *words: str) -> None:
    assert result.outcome == "protocol_error", result.summary()
    text = result.error
    assert isinstance(text, str) and "\n" not in text and len(text) < 400, text
    assert text[0].isupper() and text.rstrip().endswith("."), text
    assert "Traceback" not in text and all(w in text for w in words), text


def rewrite(corrupt: Callable[[dict[str, Any]], Any]) -> Fault:
    """Replace HQ's real answer by ``corrupt(decoded answer)`` (JSON-encoded unless it returns bytes)."""
    def body(original: bytes, _headers: dict[str, str]) -> bytes:
        changed = corrupt(orjson.loads(original))
        return changed if isinstance(changed, bytes) else orjson.dumps(changed)
    return Fault("replace", status=200, body=body)


def first_member(page: dict[str, Any]) -> dict[str, Any]:
    return page["upserts"]["member"][0]


def _set(path: tuple, value: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def corrupt(page: dict[str, Any]) -> dict[str, Any]:
        target = page
        for step in path[:-1]:
            target = first_member(target) if step == "member0" else target[step]
        if value is _DROP:
            del target[path[-1]]
        else:
            target[path[-1]] = value(target[path[-1]]) if callable(value) else value
        return page
    return corrupt


_DROP = object()


def case(name: str, corrupt: Callable, *words: str):
    """One parametrised case: the corruption and words the error message must contain."""
    return pytest.param(corrupt, words, id=name)


PAGES = [
    case("member id as text", _set(("member0", "id"), str), "member.id"),
    case("points as text", _set(("member0", "points"), str), "member.points"),
    case("tag not a triple", _set(("member0", "tags"), lambda tags: [[t[0]] for t in tags]), "malformed tag"),
    case("tags an object", _set(("member0", "tags"), {"201": True}), "member.tags"),
    case("unknown protocol", _set(("protocol",), 2), "protocol 2"),
    case("protocol as text", _set(("protocol",), "1"), "protocol"),
    case("cursor missing", _set(("cursor",), _DROP), "cursor"),
    case("cursor of spaces", _set(("cursor",), "a b"), "cursor"),
    case("has_more as yes", _set(("has_more",), "yes"), "has_more"),
    case("upserts a list", _set(("upserts",), lambda u: list(u.values())), "upserts"),
    case("documents an object", _set(("upserts", "member"), lambda docs: {"0": docs[0]}), "upserts.member"),
    case("a document a list", _set(("upserts", "member"), lambda docs: [list(docs[0].values())]), "not an object"),
    case("level diamond", _set(("member0", "level"), "diamond"), "does not fit"),
    case("delete key an int", _set(("deletes",), {"member": [1000000]}), "deletes.member"),
    case("delete key not a number", _set(("deletes",), {"member": ["x1"]}), "member key"),
    case("page not an object", lambda page: [page], "not a JSON object"),
    case("garbage", lambda page: b"\x00\x9f\xffnot json at all", "not valid JSON"),
    case("html with 200", lambda page: HTML, "not valid JSON"),
    case("truncated json", lambda page: orjson.dumps(page)[:-20], "not valid JSON"),
    case("points beyond 64 bits", _set(("member0", "points"), 2**63), "member.points"),
    case("member id not an HQ id", _set(("member0", "id"), -1), "member.id"),
    case("delete key a lead id", _set(("deletes",), {"member": ["-1"]}), "member key"),
]


@pytest.mark.parametrize(("corrupt", "words"), PAGES)
def test_a_malformed_page_is_refused_whole_and_changes_nothing(dev, proxy, hq_database, corrupt, words):
    before = db_state(dev.store)
    proxy.only("/v1/pull")
    proxy.plan([rewrite(corrupt)])
    result = dev.sync()
    assert_clear_error(result, *words)
    assert result.pulled == 0 and len(proxy.log) and proxy.log[-1].fault == "replace"
    assert db_state(dev.store) == before
    assert dev.store.get_state("last_error").startswith("protocol_error: ")  # for the status line
    assert dev.sync().ok
    assert device_snapshot(dev.store) == hq_snapshot(hq_database)


def test_unknown_entities_and_fields_are_skipped_not_refused(dev, proxy, hq_database):
    """The other side of strictness: what a newer HQ may add (docs/sync-protocol.md) must pass."""
    def newer(page: dict[str, Any]) -> dict[str, Any]:
        page["upserts"]["voucher"] = [{"id": 1, "whatever": [1, 2]}]
        page["deletes"]["voucher"] = ["abc"]
        first_member(page)["loyalty_tier_v2"] = {"x": 1}
        page["server_note"] = "new in 1.1"
        return page

    proxy.only("/v1/pull")
    proxy.plan([rewrite(newer)])
    assert dev.sync().ok
    assert device_snapshot(dev.store) == hq_snapshot(hq_database)


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "inflated"])
def test_an_answer_larger_than_the_cap_is_refused_before_it_is_used(dev, proxy, hq_database, declared):
    before = db_state(dev.store)
    proxy.only("/v1/pull")
    huge = b"[" + b"0," * 2_000_000 + b"0]"  # 4 MB
    dev.client.max_answer_bytes = 1_000_000
    if declared:  # announced by its Content-Length: refused before it is read
        proxy.plan([Fault("replace", status=200, body=huge)])
    else:  # a few kB of gzip that inflate to 4 MB while they are read
        proxy.plan([Fault("replace", status=200, body=gzip.compress(huge), headers={"Content-Encoding": "gzip"})])
    result = dev.sync()
    assert_clear_error(result, "too large" if declared else "larger than 1,000,000 bytes")
    assert len(proxy.log) and proxy.log[-1].upstream_status == 200
    assert db_state(dev.store) == before
    dev.client.max_answer_bytes = 64 * 1024 * 1024
    proxy.plan([])
    assert dev.sync().ok
    assert device_snapshot(dev.store) == hq_snapshot(hq_database)


def test_a_hello_that_names_no_protocol_is_refused(device, proxy):
    fresh = device(url=proxy.url)
    before = db_state(fresh.store)
    proxy.only("/v1/hello")
    proxy.plan([Fault("replace", status=200, body=orjson.dumps({"server": "x", "protocol": {"min": "1", "max": 1}}))])
    result = fresh.sync()
    assert_clear_error(result, "protocol")
    assert db_state(fresh.store) == before
    assert fresh.sync().ok


# Push answers ----------------------------------------------------------------------------------------------


def _answer(change: Callable[[list[dict[str, Any]]], Any]) -> Callable[[dict[str, Any]], Any]:
    def corrupt(answer: dict[str, Any]) -> Any:
        changed = change(answer["results"])
        if isinstance(changed, bytes | dict):
            return changed
        answer["results"] = changed
        return answer
    return corrupt


def _each(**fields: Any) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda results: [{**r, **fields} for r in results]


PUSHES = [
    case("too few results", _answer(lambda results: results[:-1]), "does not answer each change"),
    case("too many results", _answer(lambda results: [*results, results[0]]), "does not answer each change"),
    case("results out of order", _answer(lambda results: results[::-1]), "out of order"),
    case("wrong mutation ids", _answer(_each(mutation_id="0193c7b0-0000-7000-8000-000000000000")), "out of order"),
    case("unknown status", _answer(_each(status="accepted")), "status 'accepted'"),
    case("duplicate of an unknown status", _answer(_each(status="duplicate", original_status="maybe")), "status"),
    case("reason a number", _answer(_each(status="rejected", reason=7)), "malformed reason"),
    case("member id as text", _answer(_each(member_id="1000000")), "malformed member_id"),
    case("results an object", _answer(lambda results: {"results": {"0": results[0]}}), "does not answer"),
    case("garbage", _answer(lambda results: b"<html>oops</html>"), "not valid JSON"),
    case("member id beyond 64 bits", _answer(_each(status="merged", reason="superseded", member_id=2**63)),
         "malformed member_id"),
    case("current with a malformed tag", _answer(_each(
        status="merged", reason="superseded", current={"member_id": 1, "group_id": 2, "tags": [[201, {}, None]]})),
        "current"),
]


@pytest.mark.parametrize(("corrupt", "words"), PUSHES)
def test_a_malformed_push_answer_marks_nothing_as_sent(dev, proxy, hq_database, corrupt, words):
    work = queue_work(dev)
    before = db_state(dev.store)
    proxy.only("/v1/push")
    proxy.plan([rewrite(corrupt)])  # HQ commits the batch; its answer is what goes wrong
    result = dev.sync()
    assert_clear_error(result, *words)
    assert (result.pushed, result.pending) == (0, 7)
    assert db_state(dev.store) == before  # the outbox with it: every change is still waiting
    assert dev.sync().ok
    assert_exactly_once(hq_database, dev, work)
    assert device_snapshot(dev.store) == hq_snapshot(hq_database)
