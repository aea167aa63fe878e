"""Offline enrolments: merged into the member who has the phone, else a new quasi-member; leads resolve."""

from __future__ import annotations

from tests.hq.test_push_support import SH001_MEMBER, ago, enrol, interaction, present_tags, scalar, statuses, tag


def test_a_new_phone_becomes_a_quasi_member_and_its_lead_resolves(api, hq_db):
    cashier = api("SH001", "C001")
    enrolment = enrol("C001", "13900001234", name="李女士")
    result = cashier.push(enrolment)[0]
    assert (result["status"], result["reason"]) == ("applied", None)
    member_id = result["member_id"]
    lead = f"lead:{enrolment['payload']['lead']}"
    # sent before the device learnt the real id: resolved through the lead
    assert statuses(cashier.push(tag("apply", "C001", lead, 102, ago(1)))) == [("applied", None)]
    assert present_tags(hq_db, member_id, 1) == [102]
    state, _ = api("SH001", "A001").pull_all()
    member = state["member"][str(member_id)]
    assert (member["status"], member["is_lead"], member["lead_uuid"], member["name"], member["store_code"]) == (
        "quasi", True, enrolment["payload"]["lead"], "李女士", "SH001")
    assert member["phone"] == "13900001234" and member["advisor_id"] is None


def test_a_known_phone_merges_into_the_existing_member(api, hq_db):
    advisor = api("SH001", "A002")
    phone = scalar(hq_db, "SELECT phone FROM members WHERE id = ?", (SH001_MEMBER,))
    enrolment = enrol("A002", phone)
    lead = f"lead:{enrolment['payload']['lead']}"
    before = scalar(hq_db, "SELECT count(*) FROM members")
    results = advisor.push(enrolment, interaction("A002", lead))  # one batch: the lead resolves at once
    assert (results[0]["status"], results[0]["reason"], results[0]["member_id"]) == (
        "merged", "same_phone", SH001_MEMBER)
    assert results[0]["current"]["member_id"] == SH001_MEMBER
    assert (results[1]["status"], results[1]["member_id"]) == ("applied", SH001_MEMBER)
    assert scalar(hq_db, "SELECT count(*) FROM members") == before
    assert scalar(hq_db, "SELECT member_id FROM lead_aliases WHERE lead_uuid = ?",
                  (enrolment["payload"]["lead"],)) == SH001_MEMBER


def test_the_same_lead_twice_is_one_member(api, hq_db):
    advisor = api("SH001", "A001")
    enrolment = enrol("A001", "13900005678")
    first = advisor.push(enrolment)[0]
    again = advisor.push({**enrolment, "mutation_id": enrolment["mutation_id"][:-4] + "f00d"})[0]
    assert again["status"] == "duplicate" and again["member_id"] == first["member_id"]
    assert scalar(hq_db, "SELECT count(*) FROM members WHERE phone = '13900005678'") == 1


def test_an_unknown_lead_and_a_bad_enrolment_are_refused(api, hq_db):
    advisor = api("SH001", "A001")
    results = advisor.push(tag("apply", "A001", "lead:0000-never", 102, ago(1)),
                           enrol("A001", "12345"), enrol("A001", "13900009999", store_code="SH002"))
    assert statuses(results) == [("rejected", "unknown_member"), ("rejected", "invalid_payload"),
                                 ("rejected", "not_your_store")]
    assert scalar(hq_db, "SELECT count(*) FROM members WHERE phone = '13900009999'") == 0
