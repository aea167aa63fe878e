"""Interactions are append-only facts, inserted if their device-made id is absent."""

from __future__ import annotations

from tests.hq.test_push_support import SH001_MEMBER, interaction, scalar, statuses


def test_an_interaction_is_inserted_and_delivered_by_pull(api):
    advisor = api("SH001", "A001")
    logged = interaction("A001", SH001_MEMBER, note="宝宝对牛奶蛋白过敏，推荐深度水解", task_id=500,
                         next_follow_up="2031-01-05")
    assert statuses(advisor.push(logged)) == [("applied", None)]
    state, _ = advisor.pull_all()
    doc = state["interaction"][logged["payload"]["id"]]
    assert (doc["member_id"], doc["staff_id"], doc["task_id"], doc["next_follow_up"]) == (
        SH001_MEMBER, "A001", 500, "2031-01-05")
    assert doc["note"] == "宝宝对牛奶蛋白过敏，推荐深度水解"


def test_the_same_interaction_in_a_new_mutation_is_a_duplicate(api, hq_db):
    advisor = api("SH001", "A001")
    first = interaction("A001", SH001_MEMBER)
    advisor.push(first)
    resent = {**first, "mutation_id": "resent-" + first["mutation_id"][:50]}  # e.g. a restored outbox
    result = advisor.push(resent)[0]
    assert (result["status"], result["original_status"]) == ("duplicate", "applied")
    assert scalar(hq_db, "SELECT count(*) FROM interactions WHERE id = ?", (first["payload"]["id"],)) == 1


def test_the_same_id_with_other_content_is_refused(api, hq_db):
    advisor = api("SH001", "A001")
    first = interaction("A001", SH001_MEMBER, note="约了周六到店")
    advisor.push(first)
    rewritten = interaction("A001", SH001_MEMBER, note="改成周日", interaction_id=first["payload"]["id"])
    result = advisor.push(rewritten)[0]
    assert (result["status"], result["reason"]) == ("rejected", "id_conflict")
    assert result["current"]["note"] == "约了周六到店"
    assert scalar(hq_db, "SELECT note FROM interactions WHERE id = ?", (first["payload"]["id"],)) == "约了周六到店"


def test_the_logger_in_the_payload_must_be_the_author(api, hq_db):
    advisor = api("SH001", "A001")
    forged = interaction("A001", SH001_MEMBER)
    forged["payload"]["staff_id"] = "A002"
    assert statuses(advisor.push(forged)) == [("rejected", "invalid_payload")]
    assert scalar(hq_db, "SELECT count(*) FROM interactions WHERE id = ?", (forged["payload"]["id"],)) == 0


def test_a_task_of_another_store_cannot_be_linked(api, hq_db):
    advisor = api("SH001", "A001")
    results = advisor.push(interaction("A001", SH001_MEMBER, task_id=510),
                           interaction("A001", SH001_MEMBER, task_id=4040))
    assert statuses(results) == [("rejected", "not_your_store"), ("rejected", "unknown_task")]


def test_a_manager_may_log_too(api):
    manager = api("SH001", "M001")
    assert statuses(manager.push(interaction("M001", SH001_MEMBER))) == [("applied", None)]
