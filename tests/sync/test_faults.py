"""The network between a device and HQ fails in every way the fault proxy knows: every mutation still
reaches HQ exactly once, the outbox empties only when HQ has answered, and a pull that fails never moves
the cursor past data the device does not have (issue 4, "a fault-injecting layer ...").

Real HTTP: SyncEngine -> HQClient -> FaultProxy -> the reference HQ on loopback. Retries are quick but
real (conftest's QUICK_RETRY: 4 tries per call); waits HQ asks for go through a fake sleep.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from associate_app.domain.interactions import log_interaction
from associate_app.domain.tags import toggle_tag
from associate_app.sync.auth import device_id, sign_in
from hq.admin import members, tasks
from hq.auth import revoke_staff_sessions
from tests.sync.conftest import PASSWORD, QUICK_RETRY
from tests.sync.faultproxy import Fault
from tests.sync.test_convergence import device_snapshot, hq_snapshot

MILK, SLEEP = 201, 204  # group 2 育儿关注: multi choice
ATTEMPTS = QUICK_RETRY.attempts
MARK = 7_000_000  # points HQ gives the members it edits (the seed gives none this many)
SLOW = (2.0, 0.5)  # a read timeout the delay/late faults outlast
# (fault, client timeout): each is survived by the engine's retries within one cycle.
FAULTS = [("drop_request", None), ("drop_response", None), ("duplicate", None), ("truncate", None),
          ("delay:1", SLOW), ("late:1", SLOW), ("status:500", None), ("status:503:0", None)]


def online(device, proxy, timeout=None, **kwargs):
    """A device signed in through the proxy and up to date with HQ."""
    dev = device(url=proxy.url, **({"timeout": timeout} if timeout else {}), **kwargs)
    dev.sync_ok()
    return dev


def queue_work(dev, count: int = 5) -> dict[str, list]:
    """Queue interactions with unique ids on ``count`` members and toggle a tag on two of them. Returns the
    interaction ids, the mutation ids and the (member, tag, present) states HQ must end with."""
    ids = [r["id"] for r in dev.store.all("SELECT id FROM members ORDER BY id LIMIT ?", (count,))]
    contacts = [log_interaction(dev.store, dev.actor, m, "call", note=f"回访 {n}").id for n, m in enumerate(ids)]
    toggled = [(m, t, toggle_tag(dev.store, dev.actor, m, t).added != ()) for m, t in ((ids[0], MILK), (ids[1], SLEEP))]
    mutations = [r["mutation_id"] for r in dev.store.all("SELECT mutation_id FROM outbox ORDER BY seq")]
    assert len(mutations) == count + 2
    return {"interactions": contacts, "mutations": mutations, "tags": toggled}


def outbox(dev) -> list[tuple]:
    return [tuple(r.values()) for r in dev.store.all("SELECT seq, mutation_id, kind, payload FROM outbox ORDER BY seq")]


def assert_exactly_once(hq_db, dev, work: dict[str, list]) -> None:
    """Each interaction once on HQ, each mutation answered once and applied, the outbox empty, no rejection."""
    marks, contacts = ", ".join("?" * len(work["mutations"])), ", ".join("?" * len(work["interactions"]))
    with hq_db.read() as tx:
        counts = dict(tx.all(f"SELECT id, count(*) FROM interactions WHERE id IN ({contacts}) GROUP BY id",
                             work["interactions"]))
        outcomes = tx.all(f"SELECT mutation_id, result FROM applied_mutations WHERE mutation_id IN ({marks})",
                          work["mutations"])
        tags = {(m, t): bool(p) for m, t, p in tx.all(
            "SELECT member_id, tag_id, present FROM member_tags WHERE " +
            " OR ".join("(member_id = ? AND tag_id = ?)" for _ in work["tags"]),
            [v for m, t, _ in work["tags"] for v in (m, t)])}
    assert counts == dict.fromkeys(work["interactions"], 1)
    assert sorted(m for m, _ in outcomes) == sorted(work["mutations"])
    assert {orjson.loads(r)["status"] for _, r in outcomes} == {"applied"}
    assert tags == {(m, t): present for m, t, present in work["tags"]}
    assert dev.store.scalar("SELECT count(*) FROM outbox") == 0
    assert dev.store.scalar("SELECT count(*) FROM sync_rejections") == 0
    assert dev.store.scalar(f"SELECT count(*) FROM interactions WHERE id IN ({contacts})",
                            work["interactions"]) == len(work["interactions"])


def name(fault: str) -> str:
    return fault.split(":")[0]


def requests_to(proxy, path: str, since: int = 0) -> list:
    """The proxy's log entries for ``path`` from entry ``since`` on."""
    return [e for e in proxy.log[since:] if urlsplit(e.path).path == path]


# Push ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fault", "timeout"), FAULTS, ids=[f for f, _ in FAULTS])
def test_a_push_fault_is_retried_and_every_mutation_lands_exactly_once(device, proxy, hq_database, fault, timeout):
    dev = online(device, proxy, timeout)
    work = queue_work(dev)
    proxy.only("/v1/push")
    proxy.plan([fault])
    result = dev.sync()
    assert result.ok, result.summary()
    assert (result.pushed, result.applied, result.pending) == (7, 7, 0)
    proxy.wait_idle()  # a delayed request reaches HQ (and the log) after the client gave up on it
    expected = [name(fault)] if fault == "duplicate" else [name(fault), "pass"]  # the fault, then a retry
    assert sorted(e.fault for e in requests_to(proxy, "/v1/push")) == sorted(expected)
    assert_exactly_once(hq_database, dev, work)


@pytest.mark.parametrize("fault", ["drop_request", "drop_response"])
def test_a_push_fault_that_outlasts_the_retries_keeps_the_outbox_for_the_next_cycle(device, proxy, hq_database,
                                                                                     fault):
    dev = online(device, proxy)
    work = queue_work(dev)
    before = outbox(dev)
    proxy.only("/v1/push")
    proxy.plan([fault] * ATTEMPTS)
    result = dev.sync()
    assert (result.outcome, result.pushed, result.pending) == ("offline", 0, 7)
    assert "HQ could not be reached" in result.error
    assert len(requests_to(proxy, "/v1/push")) == ATTEMPTS
    assert outbox(dev) == before  # nothing marked as sent, nothing lost
    assert {r["attempts"] for r in dev.store.all("SELECT attempts FROM outbox")} == {1}
    assert dev.store.scalar("SELECT last_error FROM outbox LIMIT 1").startswith("offline:")

    again = dev.sync()
    assert again.ok and (again.pushed, again.applied) == (7, 7), again.summary()
    assert_exactly_once(hq_database, dev, work)


def test_a_push_repeated_after_its_answer_was_lost_twice_is_still_applied_once(device, proxy, hq_database):
    """A lost answer, a truncated one and a duplicated request in one cycle: HQ took the batch four times."""
    dev = online(device, proxy)
    work = queue_work(dev)
    proxy.only("/v1/push")
    proxy.plan(["drop_response", "truncate", "duplicate"])
    result = dev.sync()
    assert result.ok and result.applied == 7, result.summary()
    assert [e.upstream_status for e in requests_to(proxy, "/v1/push")] == [200, 200, 200]
    assert_exactly_once(hq_database, dev, work)


# Pull ------------------------------------------------------------------------------------------------------


def hq_changes(hq_db, dev) -> None:
    """Enough HQ edits for a three-page pull at page_limit=20."""
    ids = [r["id"] for r in dev.store.all("SELECT id FROM members ORDER BY id LIMIT 45")]
    for n, member in enumerate(ids):
        members.update_member(hq_db, member, {"points": MARK + n})
    tasks.cancel_task(hq_db, 503)


def cursor_of(entry) -> str:
    return parse_qs(urlsplit(entry.path).query).get("cursor", [""])[0]


def assert_replica_equals_hq(hq_db, dev) -> None:
    expected, got = hq_snapshot(hq_db), device_snapshot(dev.store)
    for part in expected:
        assert got[part] == expected[part], part


@pytest.mark.parametrize(("fault", "timeout"), FAULTS, ids=[f for f, _ in FAULTS])
def test_a_pull_fault_is_retried_and_the_replica_equals_hq(device, proxy, hq_database, fault, timeout):
    dev = online(device, proxy, timeout, page_limit=20)
    hq_changes(hq_database, dev)
    seen = len(proxy.log)
    proxy.only("/v1/pull")
    proxy.plan(["pass", fault])
    result = dev.sync()
    assert result.ok, result.summary()
    proxy.wait_idle()
    pulls = requests_to(proxy, "/v1/pull", seen)
    if fault == "duplicate":  # HQ answered the same page twice; the device saw the second answer only
        assert [e.fault for e in pulls] == ["pass", "duplicate", "pass"]
    else:  # the failed page was asked for again, from the same place (a delayed one logs late)
        assert sorted(e.fault for e in pulls) == sorted(["pass", name(fault), "pass", "pass"])
        [bad] = [e for e in pulls if e.fault != "pass"]
        assert [cursor_of(e) for e in pulls].count(cursor_of(bad)) == 2
    assert result.pages == 3 and result.pulled == 46
    assert_replica_equals_hq(hq_database, dev)


@pytest.mark.parametrize("fault", ["truncate", "status:500"])
def test_a_pull_fault_that_outlasts_the_retries_leaves_the_cursor_at_the_last_page_applied(device, proxy, hq_database,
                                                                                            fault):
    dev = online(device, proxy, page_limit=20)
    start = dev.store.get_state("cursor")
    hq_changes(hq_database, dev)
    proxy.only("/v1/pull")
    seen = len(proxy.log)
    proxy.plan(["pass"] + [fault] * ATTEMPTS)
    result = dev.sync()
    assert result.outcome == ("server_error" if fault.startswith("status") else "offline"), result.summary()
    pulls = requests_to(proxy, "/v1/pull", seen)
    assert len(pulls) == 1 + ATTEMPTS
    failed = {cursor_of(e) for e in pulls[1:]}
    stored = dev.store.get_state("cursor")
    assert failed == {stored} and stored != start  # page one committed with its cursor, page two not at all
    applied = dev.store.scalar("SELECT count(*) FROM members WHERE points >= ?", (MARK,))
    assert 0 < applied <= 20  # page one's members, none of page two's

    again = dev.sync()
    assert again.ok, again.summary()
    assert cursor_of(requests_to(proxy, "/v1/pull", seen)[1 + ATTEMPTS]) == stored  # resumed where it stopped
    assert again.pulled == 46 - 20
    assert_replica_equals_hq(hq_database, dev)


# HQ's answers that say "not now" or "not you" --------------------------------------------------------------


def test_busy_with_retry_after_is_waited_for_then_retried(device, proxy, hq_database):
    dev = online(device, proxy)
    waits: list[float] = []
    dev.client.sleep = waits.append
    work = queue_work(dev)
    proxy.only("/v1/push")
    proxy.plan(["status:503:2", "status:429:1"])
    result = dev.sync()
    assert result.ok, result.summary()
    assert waits == [2.0, 1.0]  # exactly what HQ asked, no jitter added on top
    assert [e.fault for e in requests_to(proxy, "/v1/push")] == ["status", "status", "pass"]
    assert_exactly_once(hq_database, dev, work)


def test_busy_for_longer_than_a_cycle_waits_ends_the_cycle_with_the_wait(device, proxy, hq_database):
    dev = online(device, proxy)
    waits: list[float] = []
    dev.client.sleep = waits.append
    work = queue_work(dev)
    before = outbox(dev)
    proxy.only("/v1/push")
    proxy.rule(lambda method, path: "status:503:120")
    result = dev.sync()
    assert (result.outcome, result.retry_after, result.pending) == ("busy", 120.0, 7)
    assert waits == [] and len(requests_to(proxy, "/v1/push")) == 1  # no waiting two minutes inside a cycle
    assert outbox(dev) == before
    proxy.rule(None)
    assert dev.sync().ok
    assert_exactly_once(hq_database, dev, work)


def test_a_revoked_sign_in_stops_the_cycle_without_a_retry_storm(device, proxy, hq_database):
    dev = online(device, proxy)
    work = queue_work(dev)
    before = outbox(dev)
    with hq_database.write() as tx:
        assert revoke_staff_sessions(tx, "A001") >= 1  # a lost device: HQ ends the person's sessions
    seen = len(proxy.log)
    results = [dev.sync() for _ in range(3)]
    assert {r.outcome for r in results} == {"auth_required"}
    assert "sign in again" in results[0].error and results[0].details.get("hq_code") == "token_revoked"
    assert [(e.path, e.upstream_status) for e in proxy.log[seen:]] == [("/v1/push", 401)] * 3  # one call a cycle
    assert outbox(dev) == before

    signed = sign_in(dev.client, "SH001", "A001", PASSWORD, device_id(dev.store))
    dev.client.token = lambda: signed.token
    assert dev.sync().ok
    assert_exactly_once(hq_database, dev, work)


def test_update_required_is_not_retried_and_keeps_the_outbox(device, proxy, hq_database):
    dev = online(device, proxy)
    work = queue_work(dev)
    before = outbox(dev)
    envelope = orjson.dumps({"error": {"code": "client_too_old", "message": "update the app",
                                       "supported": {"min": 2, "max": 2}}})
    proxy.only("/v1/push")
    proxy.plan([Fault("replace", status=426, body=envelope, forward=False)])
    result = dev.sync()
    assert result.outcome == "update_required" and "update the app" in result.error
    assert len(requests_to(proxy, "/v1/push")) == 1
    assert outbox(dev) == before
    with hq_database.read() as tx:
        assert tx.scalar("SELECT count(*) FROM applied_mutations") == 0
    proxy.only(None)
    assert dev.sync().ok
    assert [urlsplit(e.path).path for e in proxy.log[-3:]] == ["/v1/hello", "/v1/push", "/v1/pull"]  # asks again
    assert_exactly_once(hq_database, dev, work)
