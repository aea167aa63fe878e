"""Data corrections: proposals for HQ, validated per field, never changing the member row itself."""

from __future__ import annotations

import datetime as dt

import pytest

from associate_app import clock
from associate_app.domain.corrections import pending_corrections, propose_correction
from associate_app.errors import InvalidDate, InvalidInput, InvalidPhone, NotPermitted, UnknownMember
from associate_app.store.outbox import pending

MEMBER = 1_000_000


def snapshot(store):
    """What a refused proposal could have touched, and SQLite's count of changed rows."""
    return (store.scalar("SELECT count(*) FROM corrections"), store.scalar("SELECT count(*) FROM outbox"),
            store.all("SELECT * FROM members WHERE id = ?", (MEMBER,)),
            store.all("SELECT * FROM children WHERE member_id = ?", (MEMBER,)), store.conn.total_changes)


def member(store, member_id=MEMBER):
    return store.one("SELECT * FROM members WHERE id = ?", (member_id,))


def days(n: int) -> str:
    return (clock.today() + dt.timedelta(days=n)).isoformat()


def child_of(store, member_id=MEMBER):
    return store.one("SELECT * FROM children WHERE member_id = ? ORDER BY id LIMIT 1", (member_id,))


def test_phone_correction_is_a_proposal_the_member_row_stays(demo_store, advisor):
    before = member(demo_store)
    result = propose_correction(demo_store, advisor, MEMBER, "phone", "+86 139-0000-1234")
    assert member(demo_store) == before
    assert (result.old_value, result.new_value, result.base_version) == (before["phone"], "13900001234", 1)
    row = demo_store.one("SELECT * FROM corrections WHERE id = ?", (result.id,))
    assert (row["status"], row["field"], row["staff_id"], row["new_value"]) == ("pending", "phone", "A001",
                                                                                "13900001234")
    [entry] = pending(demo_store)
    assert entry["kind"] == "correction.propose"
    assert entry["payload"] == {"id": result.id, "member": MEMBER, "field": "phone", "child_id": None,
                                "old_value": before["phone"], "new_value": "13900001234", "base_version": 1,
                                "at": result.at}


@pytest.mark.parametrize(("field", "value", "error"), [
    ("phone", "12345", InvalidPhone),
    ("phone", "10012345678", InvalidPhone),
    ("birthday", "1990-02-30", InvalidDate),
    ("birthday", days(1), InvalidDate),  # in the future
    ("birthday", days(-365 * 5), InvalidDate),  # a child's birthday typed into the parent's
    ("birthday", "1900-01-01", InvalidDate),
    ("address", "   ", InvalidInput),
    ("address", "路" * 201, InvalidInput),
    ("nickname", "小雨", InvalidInput),
])
def test_bad_values_write_nothing(demo_store, advisor, field, value, error):
    before = snapshot(demo_store)
    with pytest.raises(error):
        propose_correction(demo_store, advisor, MEMBER, field, value)
    assert snapshot(demo_store) == before


def test_good_birthday_and_address(demo_store, manager):
    assert propose_correction(demo_store, manager, MEMBER, "birthday", "1990-06-15").new_value == "1990-06-15"
    address = "上海市浦东新区金桥路" + "一" * 190
    assert propose_correction(demo_store, manager, MEMBER, "address", f"  {address} ").new_value == address


def test_same_value_as_now_is_nothing_to_correct(demo_store, advisor):
    current = member(demo_store)
    before = snapshot(demo_store)
    with pytest.raises(InvalidInput, match="nothing to correct"):
        propose_correction(demo_store, advisor, MEMBER, "phone", current["phone"])
    with pytest.raises(InvalidInput, match="nothing to correct"):
        propose_correction(demo_store, advisor, MEMBER, "address", current["address"])
    assert snapshot(demo_store) == before


def test_the_same_proposal_twice_is_refused_while_waiting(demo_store, advisor):
    propose_correction(demo_store, advisor, MEMBER, "address", "上海市徐汇区漕溪北路1号")
    before = snapshot(demo_store)
    with pytest.raises(InvalidInput, match="already been proposed"):
        propose_correction(demo_store, advisor, MEMBER, "address", "上海市徐汇区漕溪北路1号")
    assert snapshot(demo_store) == before
    propose_correction(demo_store, advisor, MEMBER, "address", "上海市徐汇区漕溪北路2号")  # a different value is fine


def test_cashier_may_not_propose(demo_store, cashier):
    before = snapshot(demo_store)
    with pytest.raises(NotPermitted):
        propose_correction(demo_store, cashier, MEMBER, "address", "上海市静安区共和新路5号")
    assert snapshot(demo_store) == before


def test_unknown_member(demo_store, advisor):
    with pytest.raises(UnknownMember):
        propose_correction(demo_store, advisor, 999, "address", "上海市静安区共和新路5号")


def test_child_birthday_needs_one_of_the_members_own_children(demo_store, advisor):
    child = child_of(demo_store)
    others = child_of(demo_store, MEMBER + 1)
    before = snapshot(demo_store)
    for kwargs in ({}, {"child_id": others["id"]}, {"child_id": 12345}):
        with pytest.raises(InvalidInput, match="child"):
            propose_correction(demo_store, advisor, MEMBER, "child_birthday", days(-100), **kwargs)
    with pytest.raises(InvalidDate):
        propose_correction(demo_store, advisor, MEMBER, "child_birthday", days(1), child_id=child["id"])
    with pytest.raises(InvalidInput, match="not a child"):
        propose_correction(demo_store, advisor, MEMBER, "address", "上海市静安区共和新路5号", child_id=child["id"])
    assert snapshot(demo_store) == before
    result = propose_correction(demo_store, advisor, MEMBER, "child_birthday", days(-100), child_id=child["id"])
    assert (result.child_id, result.old_value, result.new_value) == (child["id"], child["birthday"], days(-100))
    assert pending(demo_store)[0]["payload"]["child_id"] == child["id"]
    assert child_of(demo_store) == child


@pytest.mark.parametrize(("offset", "ok"), [(-31, False), (-30, True), (0, True), (300, True), (301, False)])
def test_due_date_window(demo_store, advisor, offset, ok):
    child = child_of(demo_store)
    if ok:
        assert propose_correction(demo_store, advisor, MEMBER, "child_due_date", days(offset),
                                  child_id=child["id"]).new_value == days(offset)
    else:
        with pytest.raises(InvalidDate):
            propose_correction(demo_store, advisor, MEMBER, "child_due_date", days(offset), child_id=child["id"])


def test_pending_corrections_for_the_profile(demo_store, advisor):
    first = propose_correction(demo_store, advisor, MEMBER, "address", "上海市闵行区七莘路8号")
    second = propose_correction(demo_store, advisor, MEMBER, "birthday", "1991-01-01")
    propose_correction(demo_store, advisor, MEMBER + 1, "birthday", "1991-01-01")
    rows = pending_corrections(demo_store, MEMBER)
    assert [r["id"] for r in rows] == [second.id, first.id]
    assert rows[0]["staff_name"] == "李娜" and rows[0]["status"] == "pending"
    with demo_store.write():
        demo_store.conn.execute("UPDATE corrections SET status = 'rejected', hq_reason = '地址不存在' WHERE id = ?",
                                (first.id,))
    assert [r["id"] for r in pending_corrections(demo_store, MEMBER)] == [second.id]
    rejected = pending_corrections(demo_store, MEMBER, include_rejected=True)
    assert [(r["id"], r["hq_reason"]) for r in rejected] == [(second.id, None), (first.id, "地址不存在")]
