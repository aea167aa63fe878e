"""Completion over a push-task's life: how many of its targets were closed, spoken to and converted by each day.

Progress is never stored (progress.py), so neither is its history: it is derived from the same rows. The
day a target entered a state is the earliest evidence of it: a contact logged for this task with such an
outcome (interactions are append-only, so a "reached" later upgraded to "converted" still dates the first
conversation), or else the target's own ``outcome_at``. Only targets in that state *now* are counted, so
the last day always equals the figures the dashboard shows beside the chart (a "reached" later corrected
to "wrong number" no longer counts as spoken to). Evidence from before the task's first day, after its
last, or without a date is counted on the nearest end of the range, for the same reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.progress import LIVE_TASK_STATUSES, SPOKEN_TO_OUTCOMES, sql_list
from associate_app.domain.validation import whole_number
from associate_app.domain.vocabulary import CLOSING_OUTCOMES, Outcome, Role
from associate_app.errors import UnknownTask
from associate_app.store.database import Store

# series -> the outcomes that put a target in it (the same sets TargetCounts adds up)
SERIES: dict[str, frozenset[str]] = {
    "closed": frozenset(CLOSING_OUTCOMES),
    "contacted": frozenset(SPOKEN_TO_OUTCOMES),
    "converted": frozenset({Outcome.CONVERTED}),
}


@dataclass(frozen=True)
class DayPoint:
    """Cumulative counts at the end of ``day`` (store time)."""

    day: dt.date
    closed: int
    contacted: int
    converted: int


@dataclass(frozen=True)
class TaskHistory:
    task_id: int
    start: dt.date  # the task's first day
    due: dt.date | None  # HQ's due date: the chart's axis runs to it so the manager sees the time left
    total: int  # targets of the task: the chart's ceiling
    days: tuple[DayPoint, ...]  # one per day from ``start``; the last is today (or the task's last day)

    @property
    def last(self) -> DayPoint:
        return self.days[-1]


def task_history(store: Store, actor: Actor, task_id: int) -> TaskHistory:
    """Cumulative closed / contacted / converted targets per day, from the task's start to today."""
    actor.require(Role.MANAGER, action="see the store's completion figures")
    whole_number(task_id, "task id")
    task = store.one("SELECT status, start_date, due_date, created_at FROM tasks WHERE id = ?", (task_id,))
    if task is None:
        raise UnknownTask(f"No push-task with id {task_id}.", task_id=task_id)
    evidence = ", ".join(
        f"(SELECT min(i.occurred_at) FROM interactions i WHERE i.task_id = tt.task_id "
        f"AND i.member_id = tt.member_id AND i.outcome IN {sql_list(outcomes)}) AS first_{name}"
        for name, outcomes in SERIES.items())
    targets = store.all(f"SELECT tt.outcome, tt.outcome_at, {evidence} FROM task_targets tt WHERE tt.task_id = ?",
                        (task_id,))
    today = clock.today()
    start = _first_day(task, today)
    due = dt.date.fromisoformat(task["due_date"]) if task["due_date"] else None
    entered = {name: [_entered(t, name) for t in targets if t["outcome"] in outcomes]
               for name, outcomes in SERIES.items()}
    if task["status"] in LIVE_TASK_STATUSES or due is None:
        last = today
    else:  # a finished task: its life ends at the due date or its last recorded change, whichever is later
        latest = max((d for days in entered.values() for d in days if d is not None), default=start)
        last = min(today, max(due, latest))
    last = max(last, start)
    length = (last - start).days + 1
    curves = {name: _cumulative(days, start, length) for name, days in entered.items()}
    points = tuple(DayPoint(start + dt.timedelta(days=n), curves["closed"][n], curves["contacted"][n],
                            curves["converted"][n]) for n in range(length))
    return TaskHistory(task_id, start, due, len(targets), points)


def _first_day(task: dict, today: dt.date) -> dt.date:
    """HQ's start date, else the day HQ created the task, else today."""
    if task["start_date"]:
        return dt.date.fromisoformat(task["start_date"])
    if task["created_at"]:
        return clock.local_date(task["created_at"])
    return today


def _entered(target: dict, series: str) -> dt.date | None:
    """The earliest evidence that ``target`` is in ``series``: a logged contact, else its outcome's time."""
    instants = [i for i in (target[f"first_{series}"], target["outcome_at"]) if i]
    return clock.local_date(min(instants)) if instants else None


def _cumulative(days: Iterable[dt.date | None], start: dt.date, length: int) -> list[int]:
    """Running totals over ``length`` days from ``start``; out-of-range or unknown days clamp to the ends."""
    per_day = [0] * length
    for day in days:
        offset = 0 if day is None else min(max((day - start).days, 0), length - 1)
        per_day[offset] += 1
    running, total = [], 0
    for count in per_day:
        total += count
        running.append(total)
    return running
