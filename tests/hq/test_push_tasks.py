"""Tasks and their targets follow HQ's state machine; HQ cancelling wins over a device finishing offline."""

from __future__ import annotations

from hq.admin.tasks import cancel_task
from tests.hq.test_push_support import SH001_MEMBER, ago, enrol, outcome, scalar, statuses, task_status

TARGET_503 = SH001_MEMBER  # a target of task 503 (pending) and of 500 (in progress), assigned to A001


def test_hq_cancelling_wins_over_a_device_marking_the_task_done(api, hq_db):
    advisor = api("SH001", "A001")
    done_offline = task_status("A001", 503, "done")
    cancel_task(hq_db, 503)
    result = advisor.push(done_offline)[0]
    assert (result["status"], result["reason"]) == ("rejected", "task_cancelled")
    assert result["current"]["id"] == 503 and result["current"]["status"] == "cancelled"
    state, _ = advisor.pull_all()
    assert state["task"]["503"]["status"] == "cancelled"


def test_hq_cancelling_wins_over_a_target_outcome(api, hq_db):
    advisor = api("SH001", "A001")
    sql = "SELECT outcome, outcome_at FROM task_targets WHERE task_id = 500 AND member_id = ?"
    with hq_db.read() as tx:
        before = tx.one(sql, (TARGET_503,))
    cancel_task(hq_db, 500)
    result = advisor.push(outcome("A001", 500, TARGET_503, "wrong_number"))[0]
    assert (result["status"], result["reason"]) == ("rejected", "task_cancelled")
    assert result["current"]["task"]["status"] == "cancelled"
    assert result["current"]["target"]["member_id"] == TARGET_503
    with hq_db.read() as tx:
        assert tx.one(sql, (TARGET_503,)) == before


def test_an_expired_task_refuses_both(api, hq_db):
    with hq_db.write() as tx:  # HQ's expiry job (not part of this work) does no more than this
        tx.execute("UPDATE tasks SET status = 'expired' WHERE id = 503")
    advisor = api("SH001", "A001")
    results = advisor.push(task_status("A001", 503, "in_progress"), outcome("A001", 503, TARGET_503))
    assert statuses(results) == [("rejected", "task_expired")] * 2


def test_staff_moves_follow_the_state_machine(api, hq_db):
    advisor = api("SH001", "A001")
    assert statuses(advisor.push(task_status("A001", 503, "in_progress"), task_status("A001", 503, "done"),
                                 task_status("A001", 503, "in_progress"), task_status("A001", 502, "cancelled"),
                                 task_status("A001", 502, "pending"))) == [
        ("applied", None), ("applied", None), ("rejected", "illegal_transition"), ("rejected", "not_permitted"),
        ("rejected", "illegal_transition")]
    state, _ = advisor.pull_all()
    assert state["task"]["503"]["status"] == "done" and state["task"]["502"]["status"] == "in_progress"
    # a second device marking the same task done is no conflict
    assert advisor.push(task_status("A001", 503, "done"))[0]["status"] == "applied"


def test_a_first_outcome_starts_a_pending_task(api):
    advisor = api("SH001", "A001")
    assert advisor.push(outcome("A001", 503, TARGET_503, "interested"))[0]["status"] == "applied"
    state, _ = advisor.pull_all()
    assert state["task"]["503"]["status"] == "in_progress"
    target = state["task_target"][f"503:{TARGET_503}"]
    assert (target["outcome"], target["outcome_by"], target["note"]) == ("interested", "A001", "电话沟通")


def test_a_task_done_elsewhere_refuses_a_late_outcome(api, hq_db):
    advisor, manager = api("SH001", "A001"), api("SH001", "M001")
    assert manager.push(task_status("M001", 503, "done"))[0]["status"] == "applied"
    result = advisor.push(outcome("A001", 503, TARGET_503))[0]
    assert (result["status"], result["reason"]) == ("rejected", "task_done")


def test_the_later_of_two_outcomes_for_one_target_wins(api, hq_db):
    advisor, manager = api("SH001", "A001"), api("SH001", "M001")
    assert manager.push(outcome("M001", 503, TARGET_503, "converted", at=ago(5)))[0]["status"] == "applied"
    late = advisor.push(outcome("A001", 503, TARGET_503, "not_reachable", at=ago(30)))[0]
    assert (late["status"], late["reason"]) == ("merged", "superseded")
    assert late["current"]["target"]["outcome"] == "converted"
    assert scalar(hq_db, "SELECT outcome FROM task_targets WHERE task_id = 503 AND member_id = ?",
                  (TARGET_503,)) == "converted"


def test_outcomes_need_a_target_of_the_advisors_own(api, hq_db):
    advisor = api("SH001", "A002")  # TARGET_503 is A001's
    newcomer = enrol("A002", "13700001111")  # every seeded member is a target: a new one is not
    results = advisor.push(newcomer, outcome("A002", 503, TARGET_503),
                           outcome("A002", 503, f"lead:{newcomer['payload']['lead']}"),
                           outcome("A002", 999, TARGET_503), outcome("A002", 510, TARGET_503))
    assert statuses(results) == [("applied", None), ("rejected", "not_assignee"), ("rejected", "not_a_target"),
                                 ("rejected", "unknown_task"), ("rejected", "not_your_store")]
