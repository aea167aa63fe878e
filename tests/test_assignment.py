"""The manager's reassignment on the device: member or target, with its outbox row, in one transaction;
other roles and bad input are refused before anything is written; queued ones survive a pulled page."""

from __future__ import annotations

import pytest

from associate_app.domain import assignment
from associate_app.domain.assignment import reassign_member, reassign_target, store_advisors
from associate_app.domain.enrolment import enrol_lead
from associate_app.errors import InvalidInput, NotAnAdvisor, NotPermitted, TargetClosed, TaskClosed, UnknownMember
from associate_app.store import hq_data
from associate_app.store.outbox import pending
from associate_app.sync import overlay
from associate_app.sync.replica import Touched
from tests.test_tasks import TASK, M, make_task

MEMBER = M[0]  # A001's


def state(store) -> tuple:
    """Everything a reassignment could touch, and SQLite's count of changed rows."""
    return (store.all("SELECT id, advisor_id FROM members ORDER BY id"),
            store.all("SELECT * FROM task_targets ORDER BY task_id, member_id"),
            store.all("SELECT * FROM outbox"), store.conn.total_changes)


def advisor_of(store, member_id: int, task_id: int | None = None) -> str | None:
    if task_id is None:
        return store.scalar("SELECT advisor_id FROM members WHERE id = ?", (member_id,))
    return store.scalar("SELECT advisor_id FROM task_targets WHERE task_id = ? AND member_id = ?", (task_id, member_id))


def test_the_manager_picks_from_the_stores_active_advisors(demo_store, manager, advisor, cashier):
    with demo_store.write():
        hq_data.upsert_staff(demo_store, [{"id": "A009", "store_code": "SH001", "name": "离职", "role": "advisor",
                                           "active": False}])
    advisors = store_advisors(demo_store, manager)
    assert [a.id for a in advisors] == ["A001", "A002", "A003"]
    assert advisors[0].name == "李娜"
    assert sum(a.members for a in advisors) == demo_store.scalar("SELECT count(*) FROM members")
    for other in (advisor, cashier):
        with pytest.raises(NotPermitted):
            store_advisors(demo_store, other)


def test_a_member_moves_with_their_open_targets_of_live_tasks_and_one_outbox_row(demo_store, manager):
    make_task(demo_store, targets=[(MEMBER, "A001"), (M[1], "A001")])
    make_task(demo_store, targets=[(MEMBER, "A001", "converted")], task_id=TASK + 1)  # worked: stays A001's
    make_task(demo_store, status="cancelled", targets=[(MEMBER, "A001")], task_id=TASK + 2)  # closed: stays
    make_task(demo_store, targets=[(MEMBER, None, "not_reachable")], task_id=TASK + 3)  # still open: follows
    before = len(pending(demo_store))
    moved = reassign_member(demo_store, manager, MEMBER, "A002")
    assert (moved.changed, moved.previous_advisor_id, moved.advisor_id, moved.task_id) == (True, "A001", "A002", None)
    assert set(moved.targets_moved) >= {TASK, TASK + 3} and not {TASK + 1, TASK + 2} & set(moved.targets_moved)
    assert advisor_of(demo_store, MEMBER) == "A002"
    assert [advisor_of(demo_store, MEMBER, t) for t in (TASK, TASK + 1, TASK + 2, TASK + 3)] == [
        "A002", "A001", "A001", "A002"]
    assert advisor_of(demo_store, M[1], TASK) == "A001"  # another member's target is not touched
    queued = pending(demo_store)
    assert len(queued) == before + 1
    row = queued[-1]
    assert (row["kind"], row["mutation_id"], row["staff_id"]) == ("member.reassign", moved.mutation_id, "M001")
    assert row["payload"] == {"member": MEMBER, "advisor_id": "A002", "at": moved.at}
    # the member's search keys follow too: "my members" of A002 find them, A001's no longer
    assert demo_store.scalar("SELECT count(*) FROM member_keys WHERE member_id = ? AND advisor_id = 'A001'",
                             (MEMBER,)) == 0


def test_one_target_moves_alone(demo_store, manager):
    make_task(demo_store)
    moved = reassign_target(demo_store, manager, TASK, M[0], "A003")
    assert (moved.changed, moved.previous_advisor_id, moved.task_id) == (True, "A001", TASK)
    assert advisor_of(demo_store, M[0], TASK) == "A003" and advisor_of(demo_store, M[0]) == "A001"
    row = pending(demo_store)[-1]
    assert (row["kind"], row["payload"]) == ("task_target.reassign", {"task_id": TASK, "member": M[0],
                                                                      "advisor_id": "A003", "at": moved.at})


def test_the_change_and_its_outbox_row_are_one_transaction(demo_store, manager, monkeypatch):
    make_task(demo_store)
    before = state(demo_store)[:3]

    def outbox_fails(*_args, **_kwargs):
        raise RuntimeError("disk gone between the change and its outbox row")

    monkeypatch.setattr(assignment, "enqueue", outbox_fails)
    for call in (lambda: reassign_member(demo_store, manager, MEMBER, "A002"),
                 lambda: reassign_target(demo_store, manager, TASK, MEMBER, "A002")):
        with pytest.raises(RuntimeError):
            call()
        assert state(demo_store)[:3] == before


def test_the_same_advisor_again_is_a_no_op_that_writes_nothing(demo_store, manager):
    make_task(demo_store)
    before = state(demo_store)
    assert not reassign_member(demo_store, manager, MEMBER, "A001").changed
    same = reassign_target(demo_store, manager, TASK, M[2], "A002")
    assert (same.changed, same.mutation_id, same.at) == (False, None, None)
    assert state(demo_store) == before


def test_only_a_manager_may_reassign(demo_store, advisor, cashier):
    make_task(demo_store)
    before = state(demo_store)
    for actor in (advisor, cashier):
        with pytest.raises(NotPermitted):
            reassign_member(demo_store, actor, MEMBER, "A002")
        with pytest.raises(NotPermitted):
            reassign_target(demo_store, actor, TASK, MEMBER, "A002")
    assert state(demo_store) == before


@pytest.mark.parametrize("advisor_id", ["C001", "M001", "X999", "A009", "A101", "", None, 2])
def test_only_an_active_advisor_of_this_store_can_take_over(demo_store, manager, advisor_id):
    make_task(demo_store)
    with demo_store.write():
        hq_data.upsert_staff(demo_store, [
            {"id": "A009", "store_code": "SH001", "name": "离职", "role": "advisor", "active": False},
            {"id": "A101", "store_code": "SH002", "name": "别店", "role": "advisor", "active": True}])
    before = state(demo_store)
    with pytest.raises(NotAnAdvisor) as refused:
        reassign_member(demo_store, manager, MEMBER, advisor_id)
    assert refused.value.code == "not_an_advisor" and refused.value.details["advisor_id"] == advisor_id
    with pytest.raises(NotAnAdvisor):
        reassign_target(demo_store, manager, TASK, MEMBER, advisor_id)
    assert state(demo_store) == before


def test_bad_members_tasks_and_targets_change_nothing(demo_store, manager):
    make_task(demo_store, targets=[(M[0], "A001"), (M[1], "A001", "declined")])
    make_task(demo_store, status="done", targets=[(M[0], "A001")], task_id=TASK + 1)
    before = state(demo_store)
    refusals = [
        (UnknownMember, lambda: reassign_member(demo_store, manager, 42, "A002")),
        (InvalidInput, lambda: reassign_member(demo_store, manager, "1000000", "A002")),
        (InvalidInput, lambda: reassign_member(demo_store, manager, True, "A002")),
        (TargetClosed, lambda: reassign_target(demo_store, manager, TASK, M[1], "A002")),  # already worked
        (TaskClosed, lambda: reassign_target(demo_store, manager, TASK + 1, M[0], "A002")),
        (InvalidInput, lambda: reassign_target(demo_store, manager, TASK, M[5], "A002")),  # not a target
        (UnknownMember, lambda: reassign_target(demo_store, manager, TASK, 42, "A002")),
        (InvalidInput, lambda: reassign_target(demo_store, manager, None, M[0], "A002")),
    ]
    for error, call in refusals:
        with pytest.raises(error):
            call()
    assert state(demo_store) == before


def test_a_lead_is_named_by_its_uuid(demo_store, manager):
    lead = enrol_lead(demo_store, manager, "13700001234", "新客")
    moved = reassign_member(demo_store, manager, lead.member_id, "A003")
    assert moved.member_id == lead.member_id < 0
    assert pending(demo_store)[-1]["payload"]["member"] == f"lead:{lead.lead_uuid}"


def test_a_queued_reassignment_is_laid_back_on_top_of_a_pulled_page(demo_store, manager):
    make_task(demo_store)
    reassign_member(demo_store, manager, M[0], "A003")
    reassign_target(demo_store, manager, TASK, M[2], "A001")
    with demo_store.write():  # a pulled page brings HQ's older state of both
        demo_store.conn.execute("UPDATE members SET advisor_id = 'A001' WHERE id = ?", (M[0],))
        demo_store.conn.execute("UPDATE task_targets SET advisor_id = ? WHERE task_id = ? AND member_id = ?",
                                ("A001", TASK, M[0]))
        demo_store.conn.execute("UPDATE task_targets SET advisor_id = 'A002' WHERE task_id = ? AND member_id = ?",
                                (TASK, M[2]))
        assert overlay.reapply(demo_store.conn, Touched(members={M[0]}, tasks={TASK})) >= 2
    assert advisor_of(demo_store, M[0]) == "A003" and advisor_of(demo_store, M[0], TASK) == "A003"
    assert advisor_of(demo_store, M[2], TASK) == "A001"
