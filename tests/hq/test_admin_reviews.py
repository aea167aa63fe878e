"""HQ reviews corrections kept as proposals and leads enrolled offline; the advisor's device learns each verdict."""

from __future__ import annotations

import uuid

from tests.hq.test_admin_support import ADMIN, Device, at, mutation, ok, refused


def _propose(client, member: int, field: str, new_value: str, base_version: int, child_id: int | None = None,
             expect: str = "merged") -> str:
    """A correction pushed by A001; "merged" (the default) means HQ kept it for review."""
    correction_id = str(uuid.uuid4())
    result = client.push(mutation("correction.propose", "A001", {
        "id": correction_id, "member": member, "field": field, "child_id": child_id, "old_value": None,
        "new_value": new_value, "base_version": base_version, "at": at(1)}))[0]
    assert result["status"] == expect, result
    return correction_id


def test_accepting_a_correction_applies_it_and_the_advisor_sees_the_verdict(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    advisor = Device(a001)
    seen_version = advisor.state["member"]["1000001"]["version"]
    ok(admin.request("PATCH", "/v1/admin/members/1000001", json={"birthday": "1988-08-08"}))  # HQ edits meanwhile
    correction_id = _propose(a001, 1000001, "birthday", "1989-09-09", seen_version)
    waiting = {c["id"]: c for c in ok(admin.get("/v1/admin/corrections", params={"store_code": "SH001"}))}
    proposal = waiting[correction_id]
    assert (proposal["new_value"], proposal["current_value"]) == ("1989-09-09", "1988-08-08")
    advisor.pull()
    decided = ok(admin.post(f"/v1/admin/corrections/{correction_id}/accept"))
    assert (decided["status"], decided["reviewed_by"]) == ("accepted", "HQ001")
    seen = advisor.pull()
    assert seen.doc("correction", correction_id)["status"] == "accepted"
    member = seen.doc("member", 1000001)
    assert member["birthday"] == "1989-09-09" and member["version"] == seen_version + 2
    refused(admin.post(f"/v1/admin/corrections/{correction_id}/accept"), 409, "already_reviewed")
    assert correction_id not in {c["id"] for c in ok(admin.get("/v1/admin/corrections"))}


def test_rejecting_keeps_hqs_value_and_tells_the_advisor_why(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    advisor = Device(a001)
    seen_version = advisor.state["member"]["1000004"]["version"]
    ok(admin.request("PATCH", "/v1/admin/members/1000004", json={"address": "上海市长宁区天山路1号"}))
    correction_id = _propose(a001, 1000004, "address", "上海市闵行区七莘路9号", seen_version)
    advisor.pull()
    refused(admin.post(f"/v1/admin/corrections/{correction_id}/reject", json={"reason": " "}), 422)
    refused(admin.post(f"/v1/admin/corrections/{correction_id}/reject", json={}), 422)
    ok(admin.post(f"/v1/admin/corrections/{correction_id}/reject", json={"reason": "地址已由会员在小程序更新"}))
    seen = advisor.pull()
    verdict = seen.doc("correction", correction_id)
    assert (verdict["status"], verdict["hq_reason"]) == ("rejected", "地址已由会员在小程序更新")
    assert seen.doc("member", 1000004)["address"] == "上海市长宁区天山路1号"
    refused(admin.post("/v1/admin/corrections/no-such-id/accept"), 404, "unknown_correction")


def test_accepting_a_childs_birthday_changes_the_child(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    advisor = Device(a001)
    member_id, child = next((int(k), m["children"][0]) for k, m in advisor.state["member"].items()
                            if m["children"] and m["children"][0]["birthday"])
    version = advisor.state["member"][str(member_id)]["version"]
    # two advisors correct the same birthday from the same version: the first applies, the second waits
    _propose(a001, member_id, "child_birthday", "2024-03-01", version, child_id=child["id"], expect="applied")
    correction_id = _propose(a001, member_id, "child_birthday", "2024-02-29", version, child_id=child["id"])
    ok(admin.post(f"/v1/admin/corrections/{correction_id}/accept"))
    children = advisor.pull().doc("member", member_id)["children"]
    assert next(c for c in children if c["id"] == child["id"])["birthday"] == "2024-02-29"


def _enrol(client, phone: str) -> tuple[str, int]:
    lead = str(uuid.uuid4())
    payload = {"lead": lead, "phone": phone, "name": "林女士", "store_code": "SH001", "advisor_id": "A001", "at": at(3)}
    result = client.push(mutation("member.enrol", "A001", payload))[0]
    assert result["status"] == "applied", result
    return lead, result["member_id"]


def test_merging_a_lead_moves_its_history_and_leaves_a_tombstone(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    lead, lead_id = _enrol(a001, "13700001111")
    survivor = 1000003
    advisor = Device(a001)
    held = {t[0] for t in advisor.state["member"][str(survivor)]["tags"]}
    stage = next(t for t in range(101, 108) if t not in held)
    for tag_id in (stage, 206):
        payload = {"member": f"lead:{lead}", "tag_id": tag_id, "group_id": tag_id // 100, "at": at(1), "replaces": []}
        assert a001.push(mutation("tag.apply", "A001", payload))[0]["status"] == "applied"
    talk = str(uuid.uuid4())
    a001.push(mutation("interaction.log", "A001", {
        "id": talk, "member": f"lead:{lead}", "staff_id": "A001", "type": "store_visit", "outcome": "interested",
        "note": "想办会员", "occurred_at": at(2), "task_id": None, "next_follow_up": None}))
    shared = ok(admin.post("/v1/admin/tasks", json={"store_code": "SH001", "title": "两人都在", "targets": [
        {"member_id": lead_id}, {"member_id": survivor}]}), 201)["id"]
    alone = ok(admin.post("/v1/admin/tasks", json={"store_code": "SH001", "title": "只有线索",
                                                   "targets": [{"member_id": lead_id}]}), 201)["id"]
    assert lead_id in {m["id"] for m in ok(admin.get("/v1/admin/leads", params={"store_code": "SH001"}))}
    advisor.pull()
    merged = ok(admin.post(f"/v1/admin/leads/{lead_id}/merge", json={"into": survivor}))
    assert (merged["interactions"], merged["tags"], merged["task_targets"]) == (1, 2, 1)
    seen = advisor.pull()
    assert str(lead_id) in seen.deleted("member")
    assert seen.doc("interaction", talk)["member_id"] == survivor
    tags = {t[0] for t in seen.doc("member", survivor)["tags"]}
    assert {stage, 206} <= tags and not (tags - {stage}) & set(range(101, 108))  # one family stage
    assert seen.deleted("task_target") == {f"{shared}:{lead_id}", f"{alone}:{lead_id}"}
    assert f"{alone}:{survivor}" in seen.of("task_target")
    # the device still names the lead by its uuid: HQ files it on the survivor
    later = a001.push(mutation("tag.apply", "A001", {"member": f"lead:{lead}", "tag_id": 401, "group_id": 4,
                                                     "at": at(0), "replaces": []}))[0]
    assert later["status"] == "applied"
    assert 401 in {t[0] for t in advisor.pull().doc("member", survivor)["tags"]}
    assert lead_id not in {m["id"] for m in ok(admin.get("/v1/admin/leads"))}
    refused(admin.post(f"/v1/admin/leads/{lead_id}/merge", json={"into": survivor}), 404, "unknown_member")
    refused(admin.post(f"/v1/admin/leads/{survivor}/merge", json={"into": 1000006}), 409, "not_a_lead")


def test_confirming_a_lead_makes_it_a_member(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    _, lead_id = _enrol(a001, "13700002222")
    advisor = Device(a001)
    refused(admin.post(f"/v1/admin/leads/{lead_id}/merge", json={"into": lead_id}), 422, "same_member")
    refused(admin.post(f"/v1/admin/leads/{lead_id}/merge", json={"into": 4242}), 404, "unknown_member")
    confirmed = ok(admin.post(f"/v1/admin/leads/{lead_id}/confirm", json={"make_member": True}))
    assert (confirmed["is_lead"], confirmed["status"]) == (False, "member")
    doc = advisor.pull().doc("member", lead_id)
    assert (doc["is_lead"], doc["status"]) == (False, "member")
    refused(admin.post(f"/v1/admin/leads/{lead_id}/confirm"), 409, "not_a_lead")
