"""Completion over a task's life and the members behind each figure, checked against the rows themselves."""

from __future__ import annotations

import datetime as dt

import pytest

from associate_app import clock
from associate_app.domain.dashboard import store_completion, task_completion
from associate_app.domain.dashboard_history import task_history
from associate_app.domain.dashboard_members import MEASURES, MEMBER_MEASURES, TARGET_MEASURES, members_behind
from associate_app.errors import InvalidInput, NotPermitted, UnknownTask
from associate_app.store import hq_data

CLOSED = {"reached", "interested", "converted", "declined", "wrong_number"}
SPOKEN_TO = CLOSED - {"wrong_number"}
NOON = dt.time(12)


def at(day: dt.date, time: dt.time = NOON) -> str:
    """A store-time moment as the UTC instant the tables hold."""
    return clock.to_iso(dt.datetime.combine(day, time).astimezone())


def prepare(store, task_id: int, start: dt.date, due: dt.date, outcomes: list[tuple[str | None, str | None]]):
    """Give the task a known life and its first targets known outcomes; the other targets are reset to open."""
    with store.write():
        store.conn.execute("UPDATE tasks SET start_date = ?, due_date = ?, status = 'in_progress' WHERE id = ?",
                           (start.isoformat(), due.isoformat(), task_id))
        store.conn.execute("UPDATE task_targets SET outcome = NULL, outcome_at = NULL WHERE task_id = ?", (task_id,))
        store.conn.execute("DELETE FROM interactions WHERE task_id = ?", (task_id,))
        members = [r["member_id"] for r in store.all(
            "SELECT member_id FROM task_targets WHERE task_id = ? ORDER BY sort_order, member_id", (task_id,))]
        for member, (outcome, when) in zip(members, outcomes, strict=False):
            store.conn.execute("UPDATE task_targets SET outcome = ?, outcome_at = ? "
                               "WHERE task_id = ? AND member_id = ?", (outcome, when, task_id, member))
    return members


def test_only_managers_see_the_history_and_the_members_behind(demo_store, advisor, cashier):
    for actor in (advisor, cashier):
        with pytest.raises(NotPermitted):
            task_history(demo_store, actor, 500)
        with pytest.raises(NotPermitted):
            members_behind(demo_store, actor, "total", task_id=500)


def test_history_counts_each_target_on_the_day_it_entered_the_state(demo_store, manager):
    start = dt.date(2026, 3, 2)
    day = [start + dt.timedelta(days=n) for n in range(8)]
    members = prepare(demo_store, 500, start, day[7], [
        ("reached", at(day[1])),
        ("converted", at(day[3])),  # converted on day 3, but first spoken to on day 2 (the logged contact)
        ("declined", at(day[3], dt.time(0, 30))),  # 00:30 store time is the previous day in UTC
        ("wrong_number", at(day[4])),  # closed, never spoken to
        ("not_reachable", at(day[2])),  # still open: in no series
        ("reached", at(start - dt.timedelta(days=5))),  # before the task began: counted on its first day
        ("interested", None),  # no date at all: also on the first day, so the totals still add up
    ])
    with demo_store.write():
        hq_data.insert_interactions(demo_store, [
            {"id": "early-contact", "member_id": members[1], "staff_id": "A001", "type": "call",
             "outcome": "reached", "occurred_at": at(day[2]), "task_id": 500},
            {"id": "other-task", "member_id": members[0], "staff_id": "A001", "type": "call",
             "outcome": "converted", "occurred_at": at(day[0]), "task_id": 501},  # proves nothing about task 500
        ])
    with clock.frozen(dt.datetime.combine(day[5], NOON).astimezone()):
        history = task_history(demo_store, manager, 500)
        shown = next(t for t in task_completion(demo_store, manager) if t.task_id == 500).targets

    assert (history.start, history.due, history.total) == (start, day[7], shown.total)
    assert [p.day for p in history.days] == day[:6]  # from the first day to today
    assert [p.closed for p in history.days] == [2, 3, 4, 5, 6, 6]
    assert [p.contacted for p in history.days] == [2, 3, 4, 5, 5, 5]
    assert [p.converted for p in history.days] == [0, 0, 0, 1, 1, 1]
    last = history.last
    assert (last.closed, last.contacted, last.converted) == (shown.closed, shown.contacted, shown.converted)


def test_a_finished_task_ends_at_its_due_date_and_a_future_one_shows_its_first_day(demo_store, manager):
    start = dt.date(2026, 3, 2)
    prepare(demo_store, 502, start, start + dt.timedelta(days=3), [("converted", at(start + dt.timedelta(days=1)))])
    with demo_store.write():
        demo_store.conn.execute("UPDATE tasks SET status = 'expired' WHERE id = 502")
        demo_store.conn.execute("UPDATE tasks SET start_date = '2026-04-01', due_date = '2026-04-09' WHERE id = 503")
    with clock.frozen(dt.datetime.combine(dt.date(2026, 3, 20), NOON).astimezone()):
        done = task_history(demo_store, manager, 502)
        future = task_history(demo_store, manager, 503)
    assert [p.converted for p in done.days] == [0, 1, 1, 1] and done.days[-1].day == start + dt.timedelta(days=3)
    assert [p.day for p in future.days] == [dt.date(2026, 4, 1)] and future.last.closed == 0


def test_history_of_an_unknown_task_is_refused(demo_store, manager):
    with pytest.raises(UnknownTask):
        task_history(demo_store, manager, 999)


def test_every_figure_of_every_task_lists_exactly_its_members(demo_store, manager):
    with demo_store.write():
        demo_store.conn.execute("UPDATE tasks SET status = 'cancelled' WHERE id = 501")
    for task in task_completion(demo_store, manager):
        for measure in TARGET_MEASURES:
            rows = members_behind(demo_store, manager, measure, task_id=task.task_id)
            assert len(rows) == getattr(task.targets, measure), (task.task_id, measure)
            assert {r.task_id for r in rows} <= {task.task_id}
        expected = demo_store.all("SELECT member_id FROM task_targets WHERE task_id = ? AND outcome = 'converted' "
                                  "ORDER BY sort_order, member_id", (task.task_id,))
        converted = members_behind(demo_store, manager, "converted", task_id=task.task_id)
        assert [r.member_id for r in converted] == [r["member_id"] for r in expected]
        assert all(r.detail == "converted" for r in converted)


def test_every_figure_of_every_advisor_lists_exactly_its_rows(demo_store, manager):
    wednesday = dt.datetime.combine(clock.today() - dt.timedelta(days=clock.today().weekday() - 2), NOON)
    with clock.frozen(wednesday.astimezone()):
        with demo_store.write():
            demo_store.conn.execute("UPDATE tasks SET status = 'cancelled' WHERE id = 501")
        for row in store_completion(demo_store, manager):
            for measure in TARGET_MEASURES:
                rows = members_behind(demo_store, manager, measure, advisor_id=row.advisor_id)
                assert len(rows) == getattr(row.targets, measure), (row.advisor_id, measure)
                assert 501 not in {r.task_id for r in rows}
            for measure, figure in (("members", row.members), ("contacts_this_week", row.contacts_this_week),
                                    ("overdue_follow_ups", row.overdue_follow_ups)):
                rows = members_behind(demo_store, manager, measure, advisor_id=row.advisor_id)
                assert len(rows) == figure, (row.advisor_id, measure)
                assert all(r.task_id is None for r in rows)
            mine = members_behind(demo_store, manager, "members", advisor_id=row.advisor_id)
            assert {r.advisor_id for r in mine} <= {row.advisor_id}
    assert set(TARGET_MEASURES) | MEMBER_MEASURES == MEASURES


def test_one_advisors_share_of_one_task(demo_store, manager):
    rows = members_behind(demo_store, manager, "closed", task_id=500, advisor_id="A002")
    expected = demo_store.scalar(f"SELECT count(*) FROM task_targets WHERE task_id = 500 AND advisor_id = 'A002' "
                                 f"AND outcome IN ({', '.join(repr(o) for o in sorted(CLOSED))})")
    assert len(rows) == expected > 0 and {r.advisor_id for r in rows} == {"A002"}
    assert {r.advisor_name for r in rows} == {"王芳"}


def test_a_measure_without_its_scope_is_refused(demo_store, manager):
    with pytest.raises(InvalidInput):
        members_behind(demo_store, manager, "members", task_id=500)
    with pytest.raises(InvalidInput):
        members_behind(demo_store, manager, "converted")
    with pytest.raises(InvalidInput):
        members_behind(demo_store, manager, "1; DROP TABLE members", task_id=500)
