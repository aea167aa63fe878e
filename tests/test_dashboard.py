"""The manager's completion figures, recomputed independently from the demo store's rows."""

from __future__ import annotations

import datetime as dt

import pytest

from associate_app import clock
from associate_app.domain.dashboard import store_completion, task_completion
from associate_app.errors import NotPermitted
from associate_app.store import hq_data

# Wednesday of the current week, store time: the demo data is dated around the day it is generated.
MONDAY = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
WEDNESDAY = dt.datetime.combine(MONDAY + dt.timedelta(days=2), dt.time(6)).astimezone()
MIDNIGHT = dt.datetime.combine(MONDAY, dt.time()).astimezone()
CLOSED = {"reached", "interested", "converted", "declined", "wrong_number"}
SPOKEN_TO = CLOSED - {"wrong_number"}
OUTCOMES = ("reached", "interested", "converted", "declined", "wrong_number", "not_reachable")


def local_iso(moment: dt.datetime) -> str:
    return clock.to_iso(moment.astimezone())


def counts(targets: list[dict]) -> dict[str, int]:
    outcomes = [t["outcome"] for t in targets]
    return {"total": len(outcomes), "closed": sum(o in CLOSED for o in outcomes),
            "open": sum(o not in CLOSED for o in outcomes), "contacted": sum(o in SPOKEN_TO for o in outcomes),
            **{o: outcomes.count(o) for o in OUTCOMES}}


def shown(target_counts) -> dict[str, int]:
    return {k: getattr(target_counts, k) for k in ("total", "closed", "open", "contacted", *OUTCOMES)}


def test_only_managers_see_completion(demo_store, advisor, cashier):
    for actor in (advisor, cashier):
        with pytest.raises(NotPermitted):
            store_completion(demo_store, actor)
        with pytest.raises(NotPermitted):
            task_completion(demo_store, actor)


def test_store_completion_per_advisor_matches_the_rows(demo_store, manager):
    with clock.frozen(WEDNESDAY):
        with demo_store.write():
            demo_store.conn.execute("UPDATE tasks SET status = 'cancelled' WHERE id = 501")
            hq_data.upsert_staff(demo_store, [{"id": "A004", "store_code": "SH001", "name": "新人", "role": "advisor"}])
            hq_data.insert_interactions(demo_store, [
                {"id": "sun", "member_id": 1_000_000, "staff_id": "A001", "type": "call",
                 "occurred_at": local_iso(MIDNIGHT - dt.timedelta(seconds=1))},
                {"id": "mon", "member_id": 1_000_003, "staff_id": "A001", "type": "wechat",
                 "occurred_at": local_iso(MIDNIGHT)},
            ])
        rows = {r.advisor_id: r for r in store_completion(demo_store, manager)}
        members = demo_store.all("SELECT id, advisor_id, next_follow_up FROM members")
        live = {t["id"] for t in demo_store.all("SELECT id FROM tasks WHERE status <> 'cancelled'")}
        targets = [t for t in demo_store.all("SELECT * FROM task_targets") if t["task_id"] in live]
        interactions = demo_store.all("SELECT staff_id, occurred_at FROM interactions")
        today = clock.today()

    assert list(rows) == ["A001", "A002", "A003", "A004"]
    for advisor_id in ("A001", "A002", "A003"):
        row = rows[advisor_id]
        mine = [t for t in targets if t["advisor_id"] == advisor_id]
        assert row.members == sum(m["advisor_id"] == advisor_id for m in members) == 100
        assert shown(row.targets) == counts(mine) and row.targets.total == 90
        assert row.completion_rate == pytest.approx(counts(mine)["closed"] / 90)
        assert row.conversion_rate == pytest.approx(counts(mine)["converted"] / 90)
        assert row.contacts_this_week == sum(
            i["staff_id"] == advisor_id
            and dt.datetime.fromisoformat(i["occurred_at"]).astimezone().date() >= MONDAY
            for i in interactions)
        assert row.overdue_follow_ups == sum(
            m["advisor_id"] == advisor_id and m["next_follow_up"] is not None
            and dt.date.fromisoformat(m["next_follow_up"]) < today for m in members)
    assert any(r.overdue_follow_ups for r in rows.values()) and any(r.contacts_this_week for r in rows.values())
    newcomer = rows["A004"]
    assert (newcomer.members, newcomer.targets.total, newcomer.contacts_this_week) == (0, 0, 0)
    assert newcomer.completion_rate is None and newcomer.conversion_rate is None


def test_monday_midnight_starts_the_week(demo_store, manager):
    with clock.frozen(WEDNESDAY):
        before = store_completion(demo_store, manager)[0].contacts_this_week
        with demo_store.write():
            hq_data.insert_interactions(demo_store, [
                {"id": "late-sunday", "member_id": 1_000_000, "staff_id": "A001", "type": "call",
                 "occurred_at": local_iso(MIDNIGHT - dt.timedelta(milliseconds=1))},
                {"id": "monday", "member_id": 1_000_000, "staff_id": "A001", "type": "call",
                 "occurred_at": local_iso(MIDNIGHT)},
            ])
        assert store_completion(demo_store, manager)[0].contacts_this_week == before + 1


def test_task_completion_per_task_matches_the_rows(demo_store, manager):
    with demo_store.write():
        demo_store.conn.execute("UPDATE tasks SET due_date = '2020-01-01' WHERE id = 503")
        demo_store.conn.execute("UPDATE tasks SET status = 'done', due_date = '2020-01-01' WHERE id = 502")
    targets = demo_store.all("SELECT task_id, outcome FROM task_targets")
    tasks = task_completion(demo_store, manager)
    assert [t.task_id for t in tasks] == [500, 501, 503, 502]  # open first by priority; the done one last
    for task in tasks:
        assert shown(task.targets) == counts([t for t in targets if t["task_id"] == task.task_id])
    assert {t.task_id: t.overdue for t in tasks} == {500: False, 501: False, 503: True, 502: False}
    assert tasks[0].targets.converted > 0 and tasks[-1].status == "done"
