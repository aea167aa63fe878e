"""A sync worker writes through its own connection: what it commits while an operation is under way must not
be overwritten or slipped past. Each test lets "HQ" commit on a second connection at the last moment before
the operation takes the write lock (when its ``BEGIN IMMEDIATE`` starts), which is where a check made before
the transaction would go stale."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from associate_app.domain.enrolment import enrol_lead
from associate_app.domain.interactions import log_interaction
from associate_app.domain.tags import apply_tag, undo_last_tag_change
from associate_app.domain.tasks import record_outcome, set_task_status
from associate_app.errors import TagNotAllowed, TagRetired, TaskClosed, UnknownMember
from associate_app.store import Store, hq_data, open_store

TASK = 900
MEMBER = 1_000_000
MILK, SLEEP = 201, 204  # group 2 育儿关注: multi choice
STAGE_0_6, STAGE_6_12 = 103, 104  # group 1 家庭阶段: single choice, advisors and cashiers


@contextlib.contextmanager
def hq_commits_just_before_the_write(store: Store, *statements: str) -> Iterator[list[str]]:
    """Run ``statements`` on another connection, once, right before ``store`` takes its write lock."""
    sync = open_store(store.path)
    fired: list[str] = []

    def trace(sql: str) -> None:
        if sql.startswith("BEGIN IMMEDIATE") and not fired:
            fired.append(sql)
            with sync.write():
                for statement in statements:
                    sync.conn.execute(statement)

    store.conn.set_trace_callback(trace)
    try:
        yield fired
    finally:
        store.conn.set_trace_callback(None)
        sync.close()


def outbox_count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM outbox")


@pytest.fixture
def task(demo_store) -> int:
    with demo_store.write():
        hq_data.upsert_tasks(demo_store, [{"id": TASK, "title": "并发", "status": "pending"}])
        hq_data.upsert_task_targets(demo_store, [{"task_id": TASK, "member_id": MEMBER, "advisor_id": "A001"}])
    return TASK


@pytest.mark.parametrize("requested", ["in_progress", "done"])
def test_hq_cancelling_a_task_meanwhile_is_not_overwritten_by_a_status_change(demo_store, advisor, task, requested):
    queued = outbox_count(demo_store)
    with hq_commits_just_before_the_write(demo_store, f"UPDATE tasks SET status = 'cancelled' WHERE id = {task}") \
            as fired, pytest.raises(TaskClosed):
        set_task_status(demo_store, advisor, task, requested)
    assert fired
    assert demo_store.scalar("SELECT status FROM tasks WHERE id = ?", (task,)) == "cancelled"
    assert outbox_count(demo_store) == queued


def test_hq_expiring_a_task_meanwhile_refuses_the_outcome_and_keeps_the_task_expired(demo_store, advisor, task):
    queued = outbox_count(demo_store)
    with hq_commits_just_before_the_write(demo_store, f"UPDATE tasks SET status = 'expired' WHERE id = {task}") \
            as fired, pytest.raises(TaskClosed):
        record_outcome(demo_store, advisor, task, MEMBER, "reached")
    assert fired
    assert demo_store.scalar("SELECT status FROM tasks WHERE id = ?", (task,)) == "expired"
    assert demo_store.scalar("SELECT outcome FROM task_targets WHERE task_id = ? AND member_id = ?",
                             (task, MEMBER)) is None
    assert outbox_count(demo_store) == queued


def test_a_tag_hq_retires_meanwhile_is_not_applied(demo_store, advisor):
    demo_store.conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?", (MEMBER, SLEEP))
    queued = outbox_count(demo_store)
    with hq_commits_just_before_the_write(demo_store, f"UPDATE tags SET retired = 1 WHERE id = {SLEEP}") as fired, \
            pytest.raises(TagRetired):
        apply_tag(demo_store, advisor, MEMBER, SLEEP)
    assert fired
    assert demo_store.scalar("SELECT 1 FROM member_tags WHERE member_id = ? AND tag_id = ?", (MEMBER, SLEEP)) is None
    assert outbox_count(demo_store) == queued


def test_a_group_hq_closes_to_cashiers_meanwhile_is_refused_to_the_cashier(demo_store, cashier):
    demo_store.conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id IN (101, 102, 103, 104, 105, 106, "
                            "107)", (MEMBER,))
    with hq_commits_just_before_the_write(demo_store, "UPDATE tag_groups SET roles = '[\"advisor\"]' WHERE id = 1") \
            as fired, pytest.raises(TagNotAllowed):
        apply_tag(demo_store, cashier, MEMBER, STAGE_0_6)
    assert fired
    assert demo_store.scalar("SELECT count(*) FROM member_tags WHERE member_id = ? AND tag_id = ?",
                             (MEMBER, STAGE_0_6)) == 0


def test_a_group_hq_makes_single_choice_meanwhile_never_holds_two_values(demo_store, advisor):
    """The slot rule is read in the same transaction that writes: a stale 'multi' would add a second value."""
    demo_store.conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id IN "
                            "(SELECT id FROM tags WHERE group_id = 2)", (MEMBER,))
    hq_data.put_member_tags(demo_store, [{"member_id": MEMBER, "tag_id": MILK}])
    with hq_commits_just_before_the_write(demo_store, "UPDATE tag_groups SET choice = 'single' WHERE id = 2") as fired:
        change = apply_tag(demo_store, advisor, MEMBER, SLEEP)
    assert fired
    assert change.removed == (MILK,)
    held = {r["tag_id"] for r in demo_store.all(
        "SELECT mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? "
        "AND t.group_id = 2", (MEMBER,))}
    assert held == {SLEEP}


def test_undo_of_a_tag_hq_retired_meanwhile_is_refused_and_stays_undoable(demo_store, advisor):
    demo_store.conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id IN "
                            "(SELECT id FROM tags WHERE group_id = 1)", (MEMBER,))
    apply_tag(demo_store, advisor, MEMBER, STAGE_0_6)
    apply_tag(demo_store, advisor, MEMBER, STAGE_6_12)
    queued = outbox_count(demo_store)
    with hq_commits_just_before_the_write(demo_store, f"UPDATE tags SET retired = 1 WHERE id = {STAGE_0_6}") \
            as fired, pytest.raises(TagRetired):
        undo_last_tag_change(demo_store, advisor)
    assert fired
    assert outbox_count(demo_store) == queued
    assert demo_store.scalar("SELECT count(*) FROM tag_history WHERE undone = 0") == 2


def test_a_lead_hq_confirms_meanwhile_is_a_clear_error_not_a_database_failure(demo_store, advisor):
    """HQ's confirmation gives the lead its real id; logging against the provisional one is refused, typed."""
    lead = enrol_lead(demo_store, advisor, "13900001111", "林小雨")
    queued = outbox_count(demo_store)
    with hq_commits_just_before_the_write(
            demo_store, f"UPDATE members SET id = 1999999, is_lead = 0 WHERE id = {lead.member_id}") as fired, \
            pytest.raises(UnknownMember):
        log_interaction(demo_store, advisor, lead.member_id, "store_visit", note="第一次到店")
    assert fired
    assert outbox_count(demo_store) == queued
    assert demo_store.scalar("SELECT count(*) FROM interactions WHERE member_id = 1999999") == 0
