"""The one model of task progress: what counts as open, contacted and converted, and the rates built on them."""

from __future__ import annotations

import pytest

from associate_app.domain.dashboard import task_completion
from associate_app.domain.progress import NO_TARGETS, TARGET_COUNTS_SQL, TargetCounts
from associate_app.domain.task_lists import my_tasks
from associate_app.store import hq_data

TASK, EMPTY_TASK = 900, 901
OUTCOMES = [None, None, "not_reachable", "reached", "interested", "converted", "converted", "declined",
            "wrong_number", "wrong_number"]


@pytest.fixture
def counted(demo_store) -> TargetCounts:
    """Ten targets of one task, one per outcome above, counted by the shared SQL."""
    with demo_store.write():
        hq_data.upsert_tasks(demo_store, [{"id": TASK, "title": "口径", "status": "in_progress"},
                                          {"id": EMPTY_TASK, "title": "空任务", "status": "pending", "priority": 1}])
        hq_data.upsert_task_targets(demo_store, [
            {"task_id": TASK, "member_id": 1_000_000 + n, "advisor_id": "A001", "outcome": outcome}
            for n, outcome in enumerate(OUTCOMES)
        ])
    row = demo_store.one(f"SELECT {TARGET_COUNTS_SQL} FROM task_targets tt WHERE tt.task_id = ?", (TASK,))
    return TargetCounts.from_row(row)


def test_counts_by_outcome_and_not_reachable_stays_open(counted):
    assert counted == TargetCounts(total=10, open=3, reached=1, interested=1, converted=2, declined=1,
                                   wrong_number=2, not_reachable=1)
    assert counted.closed == 7  # wrong numbers are closed: nothing more to do with them
    assert counted.contacted == 5  # spoken to: reached, interested, 2 converted, declined


def test_rates_and_what_each_one_divides_by(counted):
    assert counted.completion_rate == pytest.approx(7 / 10)
    assert counted.contact_rate == pytest.approx(5 / 10)
    assert counted.conversion_rate == pytest.approx(2 / 10)  # 转化率: over every target HQ chose
    assert counted.conversion_of_contacted == pytest.approx(2 / 5)


def test_nothing_to_divide_by_gives_none_not_zero():
    assert NO_TARGETS.total == NO_TARGETS.closed == NO_TARGETS.contacted == 0
    rates = ("completion_rate", "contact_rate", "conversion_rate", "conversion_of_contacted")
    assert [getattr(NO_TARGETS, r) for r in rates] == [None] * 4
    nobody_spoken_to = TargetCounts(3, 1, 0, 0, 0, 0, 2, 1)  # two wrong numbers, one not reachable
    assert (nobody_spoken_to.completion_rate, nobody_spoken_to.conversion_rate) == (pytest.approx(2 / 3), 0.0)
    assert nobody_spoken_to.conversion_of_contacted is None


def test_every_screen_shows_the_same_figures(demo_store, counted, advisor, manager):
    """The advisor's task list and the manager's dashboard count with the same model and SQL."""
    advisor_view = {t.id: t.progress for t in my_tasks(demo_store, advisor)}
    manager_view = {t.task_id: t.targets for t in task_completion(demo_store, manager)}
    assert advisor_view[TASK] == manager_view[TASK] == counted
    assert advisor_view[EMPTY_TASK] == manager_view[EMPTY_TASK] == NO_TARGETS  # a task without targets counts 0
