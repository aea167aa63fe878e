"""Push-tasks: the status state machine, recording outcomes per target, derived progress, next target."""

from __future__ import annotations

import itertools

import pytest

from associate_app.domain.tasks import (
    is_legal_transition,
    next_open_target,
    progress_by_advisor,
    record_outcome,
    set_task_status,
    task_progress,
)
from associate_app.errors import (
    IllegalTransition,
    InvalidInput,
    NoteTooLong,
    NotPermitted,
    TaskClosed,
    UnknownMember,
    UnknownTask,
)
from associate_app.store import hq_data
from associate_app.store.outbox import pending

TASK = 900
M = [1_000_000 + i for i in range(8)]  # demo members
STATES = ["pending", "in_progress", "done", "cancelled", "expired"]


def make_task(store, status="pending", targets=None, assignee=None, task_id=TASK):
    """A task of our own on the demo store; targets: (member_id, advisor_id[, outcome]) in list order."""
    targets = targets or [(M[0], "A001"), (M[1], "A001"), (M[2], "A002"), (M[3], "A001")]
    with store.write():
        hq_data.upsert_tasks(store, [{"id": task_id, "title": "测试任务", "status": status, "assignee_id": assignee}])
        hq_data.upsert_task_targets(store, [
            {"task_id": task_id, "member_id": t[0], "advisor_id": t[1], "outcome": t[2] if len(t) > 2 else None,
             "sort_order": n}
            for n, t in enumerate(targets)
        ])
    return task_id


def snapshot(store):
    """Everything a refused task operation could have touched, and SQLite's count of changed rows."""
    return (store.all("SELECT * FROM tasks ORDER BY id"),
            store.all("SELECT * FROM task_targets ORDER BY task_id, member_id"),
            store.scalar("SELECT count(*) FROM outbox"), store.conn.total_changes)


def status_of(store, task_id=TASK):
    return store.scalar("SELECT status FROM tasks WHERE id = ?", (task_id,))


# What store staff get when asking to move a task from one state (row) to another (column).
STAFF_TABLE = {
    "pending": {"pending": "noop", "in_progress": "ok", "done": "ok", "cancelled": "hq_only", "expired": "hq_only"},
    "in_progress": {"pending": "illegal", "in_progress": "noop", "done": "ok", "cancelled": "hq_only",
                    "expired": "hq_only"},
    **{final: {s: "noop" if s == final else "closed" for s in STATES} for final in ("done", "cancelled", "expired")},
}


@pytest.mark.parametrize(("current", "requested"), list(itertools.product(STATES, STATES)))
def test_state_machine_every_pair(demo_store, advisor, current, requested):
    make_task(demo_store, status=current)
    expected = STAFF_TABLE[current][requested]
    assert is_legal_transition(current, requested) == (expected in ("ok", "hq_only"))
    before = snapshot(demo_store)
    if expected == "ok":
        result = set_task_status(demo_store, advisor, TASK, requested)
        assert result.changed and status_of(demo_store) == requested
        [entry] = pending(demo_store)
        assert entry["kind"] == "task.status"
        assert entry["payload"] == {"task_id": TASK, "status": requested, "at": result.at}
        return
    if expected == "noop":
        result = set_task_status(demo_store, advisor, TASK, requested)
        assert not result.changed
    else:
        error = {"illegal": IllegalTransition, "closed": TaskClosed, "hq_only": NotPermitted}[expected]
        with pytest.raises(error):
            set_task_status(demo_store, advisor, TASK, requested)
    assert snapshot(demo_store) == before


def test_closed_task_says_why(demo_store, advisor):
    make_task(demo_store, status="cancelled")
    with pytest.raises(TaskClosed, match="cancelled by HQ"):
        set_task_status(demo_store, advisor, TASK, "in_progress")


def test_cashier_cannot_touch_tasks(demo_store, cashier):
    make_task(demo_store)
    before = snapshot(demo_store)
    for attempt in (lambda: set_task_status(demo_store, cashier, TASK, "in_progress"),
                    lambda: record_outcome(demo_store, cashier, TASK, M[0], "reached"),
                    lambda: next_open_target(demo_store, cashier, TASK)):
        with pytest.raises(NotPermitted):
            attempt()
    assert snapshot(demo_store) == before


def test_task_assigned_to_another_advisor_is_theirs_to_start(demo_store, advisor, other_advisor, manager):
    make_task(demo_store, assignee="A002")
    with pytest.raises(NotPermitted):
        set_task_status(demo_store, advisor, TASK, "in_progress")
    assert set_task_status(demo_store, other_advisor, TASK, "in_progress").changed
    assert set_task_status(demo_store, manager, TASK, "done").changed


def test_unknown_task_and_bad_status(demo_store, advisor):
    make_task(demo_store)
    before = snapshot(demo_store)
    with pytest.raises(UnknownTask):
        set_task_status(demo_store, advisor, 4242, "done")
    with pytest.raises(InvalidInput, match="not a valid task status"):
        set_task_status(demo_store, advisor, TASK, "finished")
    assert snapshot(demo_store) == before


def test_first_outcome_starts_a_pending_task_in_the_same_transaction(demo_store, advisor):
    make_task(demo_store, status="pending")
    result = record_outcome(demo_store, advisor, TASK, M[0], "reached", note="宝宝下月满一岁 🎂")
    assert status_of(demo_store) == "in_progress" and result.task_status == "in_progress"
    row = demo_store.one("SELECT * FROM task_targets WHERE task_id = ? AND member_id = ?", (TASK, M[0]))
    assert (row["outcome"], row["outcome_by"], row["note"]) == ("reached", "A001", "宝宝下月满一岁 🎂")
    [entry] = pending(demo_store)  # the server starts the task itself: no separate task.status
    assert entry["kind"] == "task_target.outcome"
    assert entry["payload"] == {"task_id": TASK, "member": M[0], "outcome": "reached",
                                "note": "宝宝下月满一岁 🎂", "at": result.at}
    assert (result.progress.total, result.progress.open, result.progress.reached) == (4, 3, 1)


def test_outcome_can_change_later_and_note_is_kept_unless_given(demo_store, advisor):
    make_task(demo_store, status="in_progress")
    record_outcome(demo_store, advisor, TASK, M[0], "interested", note="周六到店试饮")
    result = record_outcome(demo_store, advisor, TASK, M[0], "converted")
    assert result.previous_outcome == "interested" and result.outcome == "converted"
    assert result.note == "周六到店试饮"
    assert (result.progress.interested, result.progress.converted) == (0, 1)
    assert [e["payload"]["outcome"] for e in pending(demo_store)] == ["interested", "converted"]
    assert pending(demo_store)[-1]["payload"]["note"] == "周六到店试饮"


@pytest.mark.parametrize(("status", "why"), [("cancelled", "cancelled by HQ"), ("expired", "expired"),
                                              ("done", "already done")])
def test_outcome_refused_on_a_closed_task(demo_store, advisor, status, why):
    make_task(demo_store, status=status)
    before = snapshot(demo_store)
    with pytest.raises(TaskClosed, match=why):
        record_outcome(demo_store, advisor, TASK, M[0], "reached")
    assert snapshot(demo_store) == before


def test_advisor_cannot_record_on_another_advisors_target_but_manager_can(demo_store, advisor, manager):
    make_task(demo_store)
    before = snapshot(demo_store)
    with pytest.raises(NotPermitted):
        record_outcome(demo_store, advisor, TASK, M[2], "reached")  # M[2] is A002's
    assert snapshot(demo_store) == before
    record_outcome(demo_store, manager, TASK, M[2], "declined")
    assert demo_store.scalar("SELECT outcome_by FROM task_targets WHERE member_id = ? AND task_id = ?",
                             (M[2], TASK)) == "M001"


def test_outcome_for_unknown_task_member_or_non_target_writes_nothing(demo_store, advisor):
    make_task(demo_store)
    before = snapshot(demo_store)
    with pytest.raises(UnknownTask):
        record_outcome(demo_store, advisor, 4242, M[0], "reached")
    with pytest.raises(UnknownMember):
        record_outcome(demo_store, advisor, TASK, 999, "reached")
    with pytest.raises(InvalidInput, match="not a target"):
        record_outcome(demo_store, advisor, TASK, M[6], "reached")
    with pytest.raises(InvalidInput, match="not a valid outcome"):
        record_outcome(demo_store, advisor, TASK, M[0], "maybe")
    with pytest.raises(NoteTooLong):
        record_outcome(demo_store, advisor, TASK, M[0], "reached", note="话" * 2001)
    assert snapshot(demo_store) == before


def test_progress_is_derived_from_targets_after_several_outcomes(demo_store, advisor, other_advisor):
    targets = [(M[i], "A001" if i < 5 else "A002") for i in range(8)]
    make_task(demo_store, status="in_progress", targets=targets)
    empty = task_progress(demo_store, TASK)
    assert (empty.total, empty.open, empty.completion_rate, empty.conversion_rate) == (8, 8, 0.0, 0.0)
    assert empty.conversion_of_contacted is None  # nobody spoken to yet: shown as "—", not 0%
    for member, outcome in [(M[0], "reached"), (M[1], "interested"), (M[2], "converted"), (M[3], "not_reachable"),
                            (M[4], "wrong_number")]:
        record_outcome(demo_store, advisor, TASK, member, outcome)
    record_outcome(demo_store, other_advisor, TASK, M[5], "declined")
    record_outcome(demo_store, advisor, TASK, M[1], "converted")  # interested, then bought
    p = task_progress(demo_store, TASK)
    assert (p.total, p.open, p.reached, p.interested, p.converted, p.declined, p.wrong_number, p.not_reachable) == (
        8, 3, 1, 0, 2, 1, 1, 1)  # open: M3 (not reachable: try again), M6, M7
    assert p.completion_rate == pytest.approx(5 / 8)
    assert p.contacted == 4 and p.contact_rate == pytest.approx(4 / 8)  # spoken to: M0, M1, M2, M5
    assert p.conversion_rate == pytest.approx(2 / 8)  # the campaign's 转化率: converted among all targets
    assert p.conversion_of_contacted == pytest.approx(2 / 4)  # converted among those spoken to
    mine = task_progress(demo_store, TASK, advisor_id="A001")
    assert (mine.total, mine.open, mine.converted) == (5, 1, 2)
    per = progress_by_advisor(demo_store, TASK)
    assert set(per) == {"A001", "A002"} and per["A001"] == mine
    assert (per["A002"].total, per["A002"].declined, per["A002"].open) == (3, 1, 2)
    with pytest.raises(UnknownTask):
        task_progress(demo_store, 4242)


def test_next_open_target_walks_the_list_skipping_closed_and_wraps(demo_store, advisor):
    targets = [(M[0], "A001"), (M[1], "A001", "reached"), (M[2], "A002"), (M[3], "A001", "not_reachable"),
               (M[4], None), (M[5], "A001")]
    make_task(demo_store, status="in_progress", targets=targets)
    first = next_open_target(demo_store, advisor, TASK)
    assert first.member_id == M[0] and first.remaining == 4  # M0, M3, M4 (unassigned), M5
    assert first.name == demo_store.scalar("SELECT name FROM members WHERE id = ?", (M[0],))
    walk = [first.member_id]
    while len(walk) < 4:
        walk.append(next_open_target(demo_store, advisor, TASK, walk[-1]).member_id)
    assert walk == [M[0], M[3], M[4], M[5]]
    assert next_open_target(demo_store, advisor, TASK, M[5]).member_id == M[0]  # wraps to the start
    for member in (M[0], M[3], M[4]):
        record_outcome(demo_store, advisor, TASK, member, "declined")
    assert next_open_target(demo_store, advisor, TASK, M[5]) is None  # only the current one is left
    assert next_open_target(demo_store, advisor, TASK).member_id == M[5]


def test_next_open_target_for_manager_closed_task_and_bad_position(demo_store, manager, advisor):
    make_task(demo_store, status="in_progress", targets=[(M[0], "A002"), (M[1], "A003")])
    assert next_open_target(demo_store, manager, TASK).member_id == M[0]  # a manager sees every target
    assert next_open_target(demo_store, advisor, TASK) is None  # none of them is A001's
    with pytest.raises(InvalidInput):
        next_open_target(demo_store, manager, TASK, after_member_id=M[5])
    with demo_store.write():
        demo_store.conn.execute("UPDATE tasks SET status = 'cancelled' WHERE id = ?", (TASK,))
    assert next_open_target(demo_store, manager, TASK) is None
