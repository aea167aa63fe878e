"""Corrections are field-level: one HQ changed meanwhile stays a proposal; others apply and bump versions."""

from __future__ import annotations

from hq.admin.members import field_version, update_member
from tests.hq.test_push_support import SH001_MEMBER, correction, scalar, statuses


def _member(advisor, member_id: int = SH001_MEMBER) -> dict:
    state, _ = advisor.pull_all()
    return state["member"][str(member_id)]


def test_a_correction_against_an_hq_edit_stays_a_proposal(api, hq_db):
    advisor = api("SH001", "A001")
    seen = _member(advisor)
    update_member(hq_db, SH001_MEMBER, {"phone": "13611112222"})  # HQ's CRM, while the advisor was offline
    result = advisor.push(correction("A001", SH001_MEMBER, "phone", "13633334444", seen["version"],
                                     old_value=seen["phone"]))[0]
    assert (result["status"], result["reason"]) == ("merged", "field_changed_at_hq")
    assert result["current"]["value"] == "13611112222" and result["current"]["field"] == "phone"
    state, _ = advisor.pull_all()
    assert state["member"][str(SH001_MEMBER)]["phone"] == "13611112222"
    proposal = next(c for c in state["correction"].values() if c["member_id"] == SH001_MEMBER)
    assert (proposal["status"], proposal["new_value"]) == ("submitted", "13633334444")


def test_an_unconflicted_correction_applies_and_bumps_the_version(api, hq_db):
    advisor = api("SH001", "A001")
    seen = _member(advisor)
    result = advisor.push(correction("A001", SH001_MEMBER, "address", "上海市浦东新区金桥路100弄3号",
                                     seen["version"], old_value=seen["address"]))[0]
    assert (result["status"], result["member_id"]) == ("applied", SH001_MEMBER)
    state, _ = advisor.pull_all()
    member = state["member"][str(SH001_MEMBER)]
    assert member["address"] == "上海市浦东新区金桥路100弄3号"
    assert member["version"] == seen["version"] + 1
    assert [c["status"] for c in state["correction"].values()] == ["accepted"]
    with hq_db.read() as tx:
        assert field_version(tx, SH001_MEMBER, "address") == member["version"]


def test_an_hq_edit_of_another_field_does_not_block_a_correction(api, hq_db):
    advisor = api("SH001", "A001")
    seen = _member(advisor)
    update_member(hq_db, SH001_MEMBER, {"level": "gold"})
    result = advisor.push(correction("A001", SH001_MEMBER, "birthday", "1990-05-06", seen["version"]))[0]
    assert result["status"] == "applied"
    assert scalar(hq_db, "SELECT birthday FROM members WHERE id = ?", (SH001_MEMBER,)) == "1990-05-06"


def test_a_childs_field_is_versioned_on_its_own(api, hq_db):
    advisor = api("SH001", "A001")
    seen = _member(advisor)
    child = seen["children"][0]["id"]
    first = correction("A001", SH001_MEMBER, "child_birthday", "2021-03-01", seen["version"], child_id=child)
    assert advisor.push(first)[0]["status"] == "applied"
    assert scalar(hq_db, "SELECT birthday FROM children WHERE id = ?", (child,)) == "2021-03-01"
    # a second device, still on the old version, proposes another date for the same child: kept for review
    second = correction("A001", SH001_MEMBER, "child_birthday", "2021-03-09", seen["version"], child_id=child)
    result = advisor.push(second)[0]
    assert (result["status"], result["reason"]) == ("merged", "field_changed_at_hq")
    assert result["current"]["field"] == f"child:{child}:birthday" and result["current"]["value"] == "2021-03-01"


def test_bad_corrections_are_refused_without_a_trace(api, hq_db):
    advisor = api("SH001", "A001")
    seen = _member(advisor)
    other_child = scalar(hq_db, "SELECT min(id) FROM children WHERE member_id <> ?", (SH001_MEMBER,))
    results = advisor.push(
        correction("A001", SH001_MEMBER, "phone", "12345", seen["version"]),
        correction("A001", SH001_MEMBER, "child_birthday", "2021-03-01", seen["version"], child_id=other_child),
        correction("A001", SH001_MEMBER, "child_birthday", "2021-03-01", seen["version"]),
        correction("A001", SH001_MEMBER, "nickname", "小王", seen["version"]),
    )
    assert statuses(results) == [("rejected", "invalid_payload")] * 4
    assert scalar(hq_db, "SELECT count(*) FROM corrections") == 0


def test_a_resent_correction_is_a_duplicate_and_a_changed_one_a_conflict(api, hq_db):
    advisor = api("SH001", "A001")
    seen = _member(advisor)
    first = correction("A001", SH001_MEMBER, "address", "上海市浦东新区1号", seen["version"])
    advisor.push(first)
    again = {**first, "mutation_id": first["mutation_id"][:-4] + "beef"}
    changed = {**again, "mutation_id": first["mutation_id"][:-4] + "cafe",
               "payload": {**first["payload"], "new_value": "上海市浦东新区2号"}}
    assert [r["status"] for r in advisor.push(again)] == ["duplicate"]
    assert statuses(advisor.push(changed)) == [("rejected", "id_conflict")]
    assert scalar(hq_db, "SELECT address FROM members WHERE id = ?", (SH001_MEMBER,)) == "上海市浦东新区1号"
