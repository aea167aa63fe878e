"""Enrolling quasi-members from a phone number: provisional ids, duplicates, search keys, outbox."""

from __future__ import annotations

import pytest

from associate_app import clock
from associate_app.domain.enrolment import enrol_lead
from associate_app.errors import AlreadyMember, InvalidInput, InvalidPhone
from associate_app.store.outbox import pending


def snapshot(store):
    """What a refused enrolment could have touched, and SQLite's count of changed rows."""
    return (store.scalar("SELECT count(*) FROM members"), store.scalar("SELECT count(*) FROM member_keys"),
            store.scalar("SELECT count(*) FROM outbox"), store.conn.total_changes)


def test_advisor_enrols_a_lead_of_their_own(demo_store, advisor):
    result = enrol_lead(demo_store, advisor, "139 0000 1111", " 林小雨 ")
    row = demo_store.one("SELECT * FROM members WHERE id = ?", (result.member_id,))
    assert result.member_id == -1 and row["lead_uuid"] == result.lead_uuid
    assert (row["phone"], row["phone_last4"], row["name"]) == ("13900001111", "1111", "林小雨")
    assert (row["status"], row["is_lead"], row["store_code"], row["advisor_id"]) == ("quasi", 1, "SH001", "A001")
    assert row["join_date"] == clock.today().isoformat()
    [entry] = pending(demo_store)
    assert entry["kind"] == "member.enrol" and entry["staff_id"] == "A001"
    assert entry["payload"] == {"lead": result.lead_uuid, "phone": "13900001111", "name": "林小雨",
                                "store_code": "SH001", "advisor_id": "A001", "at": entry["payload"]["at"]}


def test_each_lead_gets_the_next_lower_provisional_id(store, advisor, manager):
    ids = [enrol_lead(store, advisor, f"1390000000{n}").member_id for n in range(3)]
    assert ids == [-1, -2, -3]
    assert enrol_lead(store, manager, "13900000009").member_id == -4


def test_cashier_enrols_at_the_till_with_no_advisor_and_a_masked_answer(demo_store, cashier, manager):
    result = enrol_lead(demo_store, cashier, "13900002222")
    assert result.advisor_id is None and result.phone == "139****2222"
    assert demo_store.scalar("SELECT advisor_id FROM members WHERE id = ?", (result.member_id,)) is None
    assert enrol_lead(demo_store, manager, "13900003333").advisor_id is None


def test_lead_is_findable_at_once_by_last_four_digits_and_name_keys(demo_store, advisor):
    lead = enrol_lead(demo_store, advisor, "13900004444", "欧阳小雨")
    by_last4 = demo_store.all("SELECT id FROM members WHERE phone_last4 = ? AND advisor_id = ?", ("4444", "A001"))
    assert {"id": lead.member_id} in by_last4
    keys = {r["key"] for r in demo_store.all("SELECT key FROM member_keys WHERE member_id = ?", (lead.member_id,))}
    assert {"欧阳小雨", "小雨", "ouyangxiaoyu", "oyxy"} <= keys
    assert demo_store.scalar("SELECT member_id FROM member_keys WHERE key = 'oyxy' AND advisor_id = 'A001'") == (
        lead.member_id)


def test_known_phone_is_already_a_member(demo_store, advisor):
    existing = demo_store.one("SELECT id, phone FROM members ORDER BY id LIMIT 1")
    before = snapshot(demo_store)
    with pytest.raises(AlreadyMember) as caught:
        enrol_lead(demo_store, advisor, "+86 " + existing["phone"], "王芳")
    assert caught.value.details["member_id"] == existing["id"]
    assert snapshot(demo_store) == before


def test_a_lead_enrolled_earlier_is_found_too(demo_store, advisor, cashier):
    lead = enrol_lead(demo_store, advisor, "13900005555")
    with pytest.raises(AlreadyMember) as caught:
        enrol_lead(demo_store, cashier, "13900005555")
    assert caught.value.details["member_id"] == lead.member_id


@pytest.mark.parametrize(("phone", "name", "error"), [
    ("12345", None, InvalidPhone),
    ("10012345678", None, InvalidPhone),
    ("", "林小雨", InvalidPhone),
    ("13900006666", "名" * 21, InvalidInput),
])
def test_bad_input_writes_nothing(demo_store, cashier, phone, name, error):
    before = snapshot(demo_store)
    with pytest.raises(error):
        enrol_lead(demo_store, cashier, phone, name)
    assert snapshot(demo_store) == before


def test_a_twenty_character_name_fits(store, advisor):
    assert enrol_lead(store, advisor, "13900007777", "名" * 20).name == "名" * 20
