"""Task progress: the one definition of an open target, a live task, and what a task's targets add up to.

Every screen that shows progress (the advisor's task list, the task itself after an outcome, the
manager's dashboard) counts targets with ``TARGET_COUNTS_SQL`` and reads the result as ``TargetCounts``,
so a figure can never mean one thing on one screen and another elsewhere. Progress is always derived
from the targets, never stored, so it cannot disagree with them after a sync.

Definitions (codes in vocabulary.py, terms in DOMAIN.md):
- open: no outcome yet, or not reachable (未接通): the member still needs a (further) try.
- closed: any other outcome, wrong number included: nothing more to do with this target.
- contacted: actually spoken to: reached, interested, converted or declined.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from associate_app.domain.vocabulary import CLOSING_OUTCOMES, Outcome, TaskStatus

# Outcomes that mean the member was actually spoken to (TargetCounts.contacted counts the same four).
SPOKEN_TO_OUTCOMES = frozenset({Outcome.REACHED, Outcome.INTERESTED, Outcome.CONVERTED, Outcome.DECLINED})

# Tasks staff can still work on; done, cancelled and expired ones are final.
LIVE_TASK_STATUSES = frozenset({TaskStatus.PENDING, TaskStatus.IN_PROGRESS})


def sql_list(values: Iterable[str]) -> str:
    """A fixed vocabulary (never user text) as an SQL list literal: ('a', 'b')."""
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def open_target_sql(column: str = "tt.outcome") -> str:
    """SQL for "this target is still open": no outcome yet, or one that leaves it open (not reachable).

    Built from vocabulary.CLOSING_OUTCOMES so progress, filters and navigation can never disagree.
    """
    return f"({column} IS NULL OR {column} NOT IN {sql_list(CLOSING_OUTCOMES)})"


def live_task_sql(column: str = "t.status") -> str:
    """SQL for "this task can still be worked on" (pending or in progress)."""
    return f"{column} IN {sql_list(LIVE_TASK_STATUSES)}"


# Aggregates over task_targets aliased ``tt``. ``tt.member_id`` is never NULL in a real row, so the
# NULL-extended row of a LEFT JOIN (a task without targets) counts as nothing.
TARGET_COUNTS_SQL = ", ".join([
    "count(tt.member_id) AS total",
    f"coalesce(sum(tt.member_id IS NOT NULL AND {open_target_sql()}), 0) AS open",
    *(f"coalesce(sum(tt.outcome = '{o}'), 0) AS {o}" for o in Outcome),
])


@dataclass(frozen=True)
class TargetCounts:
    """A set of task targets (one task, one advisor's share, or an advisor across tasks) by outcome.

    ``open`` targets still need a (further) contact; the outcome counts say how the others ended. The
    rates are None when there is nothing to divide by, which the UI shows as "—".
    """

    total: int
    open: int
    reached: int
    interested: int
    converted: int
    declined: int
    wrong_number: int
    not_reachable: int  # also counted in ``open``: not reachable means try again

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> TargetCounts:
        """From a row selected with TARGET_COUNTS_SQL (other columns in the row are ignored)."""
        return cls(**{f.name: int(row[f.name] or 0) for f in fields(cls)})

    @property
    def closed(self) -> int:
        return self.total - self.open

    @property
    def contacted(self) -> int:
        """Targets actually spoken to (reached, interested, converted, declined)."""
        return self.reached + self.interested + self.converted + self.declined

    @property
    def completion_rate(self) -> float | None:
        """Closed share of all targets: how much of the list is done."""
        return _rate(self.closed, self.total)

    @property
    def contact_rate(self) -> float | None:
        """Share of all targets actually spoken to."""
        return _rate(self.contacted, self.total)

    @property
    def conversion_rate(self) -> float | None:
        """Converted share of ALL targets: the campaign's 转化率.

        This is the figure a manager compares across tasks and advisors: HQ chose the targets, so every
        one of them counts, and an unfinished list honestly shows a lower rate. To judge the conversations
        themselves use ``conversion_of_contacted``.
        """
        return _rate(self.converted, self.total)

    @property
    def conversion_of_contacted(self) -> float | None:
        """Converted share of the targets actually spoken to."""
        return _rate(self.converted, self.contacted)


NO_TARGETS = TargetCounts(0, 0, 0, 0, 0, 0, 0, 0)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None
