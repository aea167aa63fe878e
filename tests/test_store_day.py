"""Instants are UTC, calendar dates are the store's local day. On a UTC test machine the two agree, so
these tests move the process to Shanghai (UTC+8), where 01:00 on Monday is still Sunday in UTC."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from associate_app import clock
from associate_app.domain.dashboard import week_start
from associate_app.domain.interactions import log_interaction
from associate_app.domain.queries import follow_ups
from associate_app.errors import InvalidDate

MONDAY_1AM_SHANGHAI = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)  # Monday 2 March, 01:00 in the store
MEMBER, OTHER = 1_000_000, 1_000_003  # both A001's


@pytest.fixture
def in_shanghai(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    with clock.frozen(MONDAY_1AM_SHANGHAI):
        yield
    monkeypatch.undo()
    time.tzset()


def test_follow_ups_are_due_by_the_stores_day_not_utcs(demo_store, advisor, in_shanghai):
    assert clock.today() == dt.date(2026, 3, 2)
    with demo_store.write():
        demo_store.conn.execute("UPDATE members SET next_follow_up = NULL")
        demo_store.conn.executemany("UPDATE members SET next_follow_up = ? WHERE id = ?",
                                    [("2026-03-02", MEMBER), ("2026-03-01", OTHER)])
    due = follow_ups(demo_store, advisor)
    assert [r.member_id for r in due.today] == [MEMBER]
    assert [(r.member_id, r.days_overdue) for r in due.overdue] == [(OTHER, 1)]


def test_a_follow_up_on_the_stores_yesterday_is_in_the_past(demo_store, advisor, in_shanghai):
    with pytest.raises(InvalidDate):
        log_interaction(demo_store, advisor, MEMBER, "call", next_follow_up="2026-03-01")
    logged = log_interaction(demo_store, advisor, MEMBER, "call", next_follow_up="2026-03-02")
    assert logged.occurred_at == "2026-03-01T17:00:00.000Z"  # stamped in UTC all the same


def test_the_week_starts_at_monday_midnight_store_time(in_shanghai):
    assert week_start(clock.today()) == "2026-03-01T16:00:00.000Z"
