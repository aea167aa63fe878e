"""member.reassign / task_target.reassign: HQ checks the manager's reassignment again, re-renders it into
the feed, applies it once, and lets the later reassignment win whichever arrives first."""

from __future__ import annotations

from typing import Any

from hq.admin.members import edit_member
from hq.admin.staff import deactivate_staff
from hq.admin.tasks import cancel_task
from tests.hq import test_push_support as kit
from tests.hq.test_push_support import SH001_MEMBER, SH002_MEMBER, ago, scalar, statuses

# SH001_MEMBER is A001's; its targets: 500 converted (worked), 501 not reachable (open), 502 and 503 open.
TARGETS = "SELECT task_id, advisor_id FROM task_targets WHERE member_id = ? ORDER BY task_id"


def member_move(staff_id: str, member: int | str, advisor_id: Any, at: str | None = None) -> dict[str, Any]:
    return kit.mutation("member.reassign", staff_id, {"member": member, "advisor_id": advisor_id, "at": at or ago(1)})


def target_move(staff_id: str, task_id: int, member: int | str, advisor_id: Any,
                at: str | None = None) -> dict[str, Any]:
    return kit.mutation("task_target.reassign", staff_id,
                        {"task_id": task_id, "member": member, "advisor_id": advisor_id, "at": at or ago(1)})


def advisors(db, member_id: int = SH001_MEMBER) -> tuple[str, list[tuple]]:
    """The member's advisor on HQ, and each of their targets' (task, advisor)."""
    with db.read() as tx:
        return (tx.scalar("SELECT advisor_id FROM members WHERE id = ?", (member_id,)),
                [tuple(r) for r in tx.all(TARGETS, (member_id,))])


def test_a_manager_gives_a_member_and_their_open_targets_to_another_advisor(api, hq_db):
    manager, newcomer = api("SH001", "M001"), api("SH001", "A002")
    _, cursor = newcomer.pull_all()
    version = scalar(hq_db, "SELECT version FROM members WHERE id = ?", (SH001_MEMBER,))
    result = manager.push(member_move("M001", SH001_MEMBER, "A002"))[0]
    assert (result["status"], result["reason"], result["member_id"]) == ("applied", None, SH001_MEMBER)
    assert advisors(hq_db) == ("A002", [(500, "A001"), (501, "A002"), (502, "A002"), (503, "A002")])
    changed, _ = newcomer.pull_all(cursor)  # re-rendered into the feed: the devices pull it
    member = changed["member"][str(SH001_MEMBER)]
    assert (member["advisor_id"], member["version"]) == ("A002", version + 1)
    assert sorted(changed["task_target"]) == [f"{t}:{SH001_MEMBER}" for t in (501, 502, 503)]
    assert {d["advisor_id"] for d in changed["task_target"].values()} == {"A002"}


def test_a_manager_gives_one_target_to_another_advisor(api, hq_db):
    manager = api("SH001", "M001")
    _, cursor = manager.pull_all()
    assert statuses(manager.push(target_move("M001", 502, SH001_MEMBER, "A003"))) == [("applied", None)]
    assert advisors(hq_db) == ("A001", [(500, "A001"), (501, "A001"), (502, "A003"), (503, "A001")])
    changed, _ = manager.pull_all(cursor)
    assert list(changed) == ["task_target"] and changed["task_target"][f"502:{SH001_MEMBER}"]["advisor_id"] == "A003"


def test_advisors_and_cashiers_are_refused_whatever_their_device_did(api, hq_db):
    before = advisors(hq_db)
    for staff in ("A001", "C001"):
        results = api("SH001", staff).push(member_move(staff, SH001_MEMBER, "A002"),
                                           target_move(staff, 502, SH001_MEMBER, "A002"))
        assert statuses(results) == [("rejected", "role_not_allowed")] * 2
        assert "may not reassign" in results[0]["message"]
    assert advisors(hq_db) == before


def test_another_stores_members_tasks_and_advisors_are_out_of_scope(api, hq_db):
    manager = api("SH001", "M001")
    results = manager.push(member_move("M001", SH002_MEMBER, "A001"), target_move("M001", 510, SH002_MEMBER, "A001"),
                           target_move("M001", 510, SH001_MEMBER, "A001"), member_move("M001", SH001_MEMBER, "A101"))
    assert statuses(results) == [("rejected", "not_your_store")] * 3 + [("rejected", "not_an_advisor")]
    assert [r["current"] for r in results[:3]] == [None] * 3  # nothing of the other store is shown
    assert advisors(hq_db, SH002_MEMBER)[0] == "A101" and advisors(hq_db)[0] == "A001"


def test_only_an_active_advisor_of_the_store_can_take_over(api, hq_db):
    manager = api("SH001", "M001")
    deactivate_staff(hq_db, "A003")
    before = advisors(hq_db)
    results = manager.push(*(member_move("M001", SH001_MEMBER, who) for who in ("C001", "M001", "X999", "A003")),
                           target_move("M001", 502, SH001_MEMBER, "A003"), member_move("M001", SH001_MEMBER, 7))
    assert statuses(results) == [("rejected", "not_an_advisor")] * 5 + [("rejected", "invalid_payload")]
    current = results[0]["current"]  # HQ's state, for the device to put back
    assert (current["member_id"], current["advisor_id"]) == (SH001_MEMBER, "A001")
    assert {d["task_id"]: d["advisor_id"] for d in current["targets"]} == dict(before[1])
    assert results[4]["current"]["target"]["advisor_id"] == "A001"
    assert advisors(hq_db) == before


def test_worked_targets_and_closed_tasks_keep_their_advisor(api, hq_db):
    manager = api("SH001", "M001")
    cancel_task(hq_db, 503)
    newcomer = kit.enrol("M001", "13700002222")
    results = manager.push(target_move("M001", 500, SH001_MEMBER, "A002"),
                           target_move("M001", 503, SH001_MEMBER, "A002"),
                           target_move("M001", 999, SH001_MEMBER, "A002"), newcomer,
                           target_move("M001", 502, f"lead:{newcomer['payload']['lead']}", "A002"))
    assert statuses(results) == [("rejected", "target_closed"), ("rejected", "task_cancelled"),
                                 ("rejected", "unknown_task"), ("applied", None), ("rejected", "not_a_target")]
    assert results[0]["current"]["target"]["outcome"] == "converted"
    assert advisors(hq_db)[1][0] == (500, "A001") and advisors(hq_db)[1][3] == (503, "A001")


def test_a_lead_enrolled_in_the_same_batch_is_reassigned_by_its_uuid(api, hq_db):
    manager = api("SH001", "M001")
    lead = kit.enrol("M001", "13700003333")
    results = manager.push(lead, member_move("M001", f"lead:{lead['payload']['lead']}", "A003"))
    assert statuses(results) == [("applied", None)] * 2
    assert advisors(hq_db, results[0]["member_id"])[0] == "A003"


def test_a_retry_is_a_duplicate_and_changes_nothing_more(api, hq_db):
    manager = api("SH001", "M001")
    batch = [member_move("M001", SH001_MEMBER, "A002"), target_move("M001", 502, SH001_MEMBER, "A003", ago(0.5))]
    assert statuses(manager.push(*batch)) == [("applied", None)] * 2
    _, cursor = manager.pull_all()
    again = manager.push(*batch)
    assert [(r["status"], r["original_status"]) for r in again] == [("duplicate", "applied")] * 2
    assert manager.pull_all(cursor)[0] == {}
    assert advisors(hq_db) == ("A002", [(500, "A001"), (501, "A002"), (502, "A003"), (503, "A002")])
    assert scalar(hq_db, "SELECT count(*) FROM applied_mutations WHERE staff_id = 'M001'") == 2


def test_the_later_reassignment_wins_whichever_arrives_first(api, hq_db):
    manager = api("SH001", "M001")
    other_device = api("SH001", "M001")
    assert manager.push(member_move("M001", SH001_MEMBER, "A003", ago(5)))[0]["status"] == "applied"
    late = other_device.push(member_move("M001", SH001_MEMBER, "A002", ago(30)))[0]  # made earlier, offline
    assert (late["status"], late["reason"]) == ("merged", "superseded")
    assert (late["current"]["advisor_id"], late["current"]["by"]) == ("A003", "M001")
    assert advisors(hq_db)[0] == "A003"
    # per target too: a target given away after the member's reassignment was made keeps its advisor
    assert manager.push(target_move("M001", 502, SH001_MEMBER, "A001", ago(2)))[0]["status"] == "applied"
    partly = other_device.push(member_move("M001", SH001_MEMBER, "A002", ago(3)))[0]
    assert (partly["status"], partly["reason"]) == ("merged", "superseded")
    assert advisors(hq_db) == ("A002", [(500, "A001"), (501, "A002"), (502, "A001"), (503, "A002")])
    assert {d["task_id"]: d["advisor_id"] for d in partly["current"]["targets"]}[502] == "A001"


def test_hqs_own_later_reassignment_wins_over_an_offline_one(api, hq_db):
    manager = api("SH001", "M001")
    offline = member_move("M001", SH001_MEMBER, "A002", ago(10))
    edit_member(hq_db, SH001_MEMBER, {"advisor_id": "A003"})
    result = manager.push(offline)[0]
    assert (result["status"], result["reason"], result["current"]["advisor_id"]) == ("merged", "superseded", "A003")
    assert advisors(hq_db) == ("A003", [(500, "A001"), (501, "A003"), (502, "A003"), (503, "A003")])
