"""Push applies each mutation exactly once and answers a repeat with the stored outcome."""

from __future__ import annotations

from tests.hq.test_push_support import (
    SH001_MEMBER,
    ago,
    enrol,
    interaction,
    outcome,
    present_tags,
    scalar,
    statuses,
    tag,
)


def test_the_same_batch_twice_applies_once_and_answers_duplicate(api, hq_db):
    advisor = api("SH001", "A001")
    _, cursor = advisor.pull_all()
    batch = [tag("apply", "A001", SH001_MEMBER, 203, ago(3)), interaction("A001", SH001_MEMBER),
             outcome("A001", 503, SH001_MEMBER, "interested")]
    first = advisor.push(*batch)
    assert statuses(first) == [("applied", None)] * 3
    state, cursor = advisor.pull_all(cursor)
    assert 203 in [t[0] for t in state["member"][str(SH001_MEMBER)]["tags"]]
    assert state["task_target"][f"503:{SH001_MEMBER}"]["outcome"] == "interested"

    second = advisor.push(*batch)
    assert [r["status"] for r in second] == ["duplicate"] * 3
    assert [r["original_status"] for r in second] == ["applied"] * 3
    assert [r["mutation_id"] for r in second] == [m["mutation_id"] for m in batch]
    assert all(r["member_id"] == SH001_MEMBER for r in second)
    nothing_new, _ = advisor.pull_all(cursor)
    assert nothing_new == {}
    assert scalar(hq_db, "SELECT count(*) FROM interactions WHERE id = ?", (batch[1]["payload"]["id"],)) == 1
    assert scalar(hq_db, "SELECT count(*) FROM applied_mutations") == 3


def test_a_lost_response_is_retried_and_answered_with_the_real_outcome(api, hq_db):
    advisor = api("SH001", "A001")
    enrolment = enrol("A001", "13912345678")
    lost = advisor.post("/v1/push", json={"mutations": [enrolment]})  # the device never reads this answer
    assert lost.status_code == 200
    _, cursor = advisor.pull_all()

    retry = advisor.push(enrolment)
    assert retry[0]["status"] == "duplicate" and retry[0]["original_status"] == "applied"
    assert retry[0]["member_id"] == lost.json()["results"][0]["member_id"]
    assert scalar(hq_db, "SELECT count(*) FROM members WHERE phone = '13912345678'") == 1
    assert advisor.pull_all(cursor)[0] == {}


def test_a_rejection_is_stored_too_and_repeated_on_retry(api):
    advisor = api("SH001", "A001")
    bad = tag("apply", "A001", SH001_MEMBER, 9999, ago(1))
    assert statuses(advisor.push(bad)) == [("rejected", "unknown_tag")]
    again = advisor.push(bad)[0]
    assert (again["status"], again["original_status"], again["reason"]) == ("duplicate", "rejected", "unknown_tag")


def test_the_same_mutation_id_with_another_payload_is_refused(api, hq_db):
    advisor = api("SH001", "A001")
    original = tag("apply", "A001", SH001_MEMBER, 204, ago(2))
    assert advisor.push(original)[0]["status"] == "applied"
    forged = {**original, "payload": {**original["payload"], "tag_id": 206}}
    other_kind = {**original, "kind": "tag.remove"}
    assert statuses(advisor.push(forged, other_kind)) == [("rejected", "mutation_id_reused")] * 2
    assert 204 in present_tags(hq_db, SH001_MEMBER, 2)
    assert 206 not in present_tags(hq_db, SH001_MEMBER, 2)


def test_a_rejected_mutation_does_not_block_the_ones_after_it(api, hq_db):
    advisor = api("SH001", "A001")
    results = advisor.push(tag("apply", "A001", SH001_MEMBER, 203, ago(3)),
                           tag("apply", "A001", SH001_MEMBER, 1101, ago(3)),  # automatic: refused
                           interaction("A001", "lead:never-enrolled"),
                           tag("apply", "A001", SH001_MEMBER, 207, ago(3)))
    assert statuses(results) == [("applied", None), ("rejected", "tag_read_only"), ("rejected", "unknown_member"),
                                 ("applied", None)]
    assert {203, 207} <= set(present_tags(hq_db, SH001_MEMBER, 2))


def test_a_repeat_inside_one_batch_is_a_duplicate(api, hq_db):
    advisor = api("SH001", "A001")
    once = interaction("A001", SH001_MEMBER)
    results = advisor.push(once, once)
    assert [r["status"] for r in results] == ["applied", "duplicate"]
    assert scalar(hq_db, "SELECT count(*) FROM interactions WHERE id = ?", (once["payload"]["id"],)) == 1


def test_the_device_sequence_is_recorded(api, hq_db):
    advisor = api("SH001", "A001")
    batch = [interaction("A001", SH001_MEMBER), interaction("A001", SH001_MEMBER)]
    advisor.push(*batch)
    last = scalar(hq_db, "SELECT last_seq FROM devices WHERE device_id = ?", (advisor.device_id,))
    assert last == max(m["device_seq"] for m in batch)
    assert scalar(hq_db, "SELECT store_code FROM devices WHERE device_id = ?", (advisor.device_id,)) == "SH001"
