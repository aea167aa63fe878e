"""Logging interactions: who may, what is validated, the follow-up trigger, the outbox and the timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from associate_app import clock
from associate_app.domain.enrolment import enrol_lead
from associate_app.domain.interactions import log_interaction, record_contact, timeline
from associate_app.errors import InvalidDate, InvalidInput, NoteTooLong, NotPermitted, UnknownMember, UnknownTask
from associate_app.store.outbox import pending

MEMBER = 1_000_000


@pytest.fixture(autouse=True)
def quiet_member(demo_store):
    """MEMBER without the demo's history, some of which is dated later today and would outrank "now"."""
    with demo_store.write():
        demo_store.conn.execute("DELETE FROM interactions WHERE member_id = ?", (MEMBER,))
        demo_store.conn.execute("UPDATE members SET next_follow_up = NULL, last_contact_at = NULL WHERE id = ?",
                                (MEMBER,))


def snapshot(store):
    """What a refused log could have touched, and SQLite's count of changed rows."""
    return (store.scalar("SELECT count(*) FROM interactions"), store.scalar("SELECT count(*) FROM outbox"),
            store.all("SELECT next_follow_up, last_contact_at FROM members WHERE id = ?", (MEMBER,)),
            store.conn.total_changes)


def a_target_of(store, advisor_id="A001"):
    return store.one("SELECT task_id, member_id FROM task_targets WHERE advisor_id = ? LIMIT 1", (advisor_id,))


def test_advisor_logs_a_call_with_everything_queued_for_hq(demo_store, advisor):
    target = a_target_of(demo_store)
    follow = clock.today() + dt.timedelta(days=7)
    result = log_interaction(demo_store, advisor, target["member_id"], "call", outcome="interested",
                             note="约了周六到店试饮", task_id=target["task_id"], next_follow_up=follow)
    row = demo_store.one("SELECT * FROM interactions WHERE id = ?", (result.id,))
    assert (row["type"], row["outcome"], row["staff_id"]) == ("call", "interested", "A001")
    assert row["note"] == "约了周六到店试饮"
    assert row["next_follow_up"] == follow.isoformat() and row["task_id"] == target["task_id"]
    [entry] = pending(demo_store)
    assert entry["kind"] == "interaction.log" and entry["staff_id"] == "A001"
    assert entry["payload"] == {
        "id": result.id, "member": target["member_id"], "staff_id": "A001", "type": "call", "outcome": "interested",
        "note": "约了周六到店试饮", "occurred_at": result.occurred_at, "task_id": target["task_id"],
        "next_follow_up": follow.isoformat(),
    }


def test_the_trigger_moves_the_members_follow_up_and_last_contact(demo_store, advisor):
    follow = (clock.today() + dt.timedelta(days=3)).isoformat()
    result = log_interaction(demo_store, advisor, MEMBER, "wechat", next_follow_up=follow)
    member = demo_store.one("SELECT next_follow_up, last_contact_at FROM members WHERE id = ?", (MEMBER,))
    assert member == {"next_follow_up": follow, "last_contact_at": result.occurred_at}
    log_interaction(demo_store, advisor, MEMBER, "store_visit",
                    occurred_at=clock.now() - dt.timedelta(days=30))  # back-dated: the newer plan stands
    assert demo_store.scalar("SELECT next_follow_up FROM members WHERE id = ?", (MEMBER,)) == follow


def test_manager_may_log_cashier_may_not(demo_store, manager, cashier):
    before = snapshot(demo_store)
    with pytest.raises(NotPermitted):
        log_interaction(demo_store, cashier, MEMBER, "store_visit", note="到店买了奶粉")
    assert snapshot(demo_store) == before
    assert log_interaction(demo_store, manager, MEMBER, "store_visit").staff_id == "M001"


def test_emoji_and_cjk_note_of_2000_characters_round_trips(demo_store, advisor):
    note = ("宝宝🍼过敏👶换低敏配方🎉" * 200)[:2000]
    assert len(note) == 2000
    result = log_interaction(demo_store, advisor, MEMBER, "wechat", note=note)
    assert demo_store.scalar("SELECT note FROM interactions WHERE id = ?", (result.id,)) == note
    assert pending(demo_store)[0]["payload"]["note"] == note
    assert timeline(demo_store, advisor, MEMBER)[0]["note"] == note


def test_a_note_of_2000_family_emoji_fits_because_each_is_one_character(demo_store, advisor):
    family = "👨\u200d👩\u200d👧"  # five code points, one character on screen
    result = log_interaction(demo_store, advisor, MEMBER, "wechat", note=family * 2000)
    assert demo_store.scalar("SELECT note FROM interactions WHERE id = ?", (result.id,)) == family * 2000
    before = snapshot(demo_store)
    with pytest.raises(NoteTooLong):
        log_interaction(demo_store, advisor, MEMBER, "wechat", note=family * 2001)
    assert snapshot(demo_store) == before


def test_a_note_one_character_too_long_is_refused(demo_store, advisor):
    before = snapshot(demo_store)
    with pytest.raises(NoteTooLong):
        log_interaction(demo_store, advisor, MEMBER, "call", note="🎉" * 2001)
    assert snapshot(demo_store) == before


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"type": "email"}, InvalidInput),
    ({"outcome": "happy"}, InvalidInput),
    ({"next_follow_up": "yesterday"}, InvalidDate),
    ({"next_follow_up": "2020-01-01"}, InvalidDate),
    ({"occurred_at": "2020-01-01"}, InvalidInput),
    ({"task_id": 4242}, UnknownTask),
    ({"member_id": 999}, UnknownMember),
])
def test_bad_input_writes_nothing(demo_store, advisor, kwargs, error):
    args = {"member_id": MEMBER, "type": "call", **kwargs}
    before = snapshot(demo_store)
    with pytest.raises(error):
        log_interaction(demo_store, advisor, args.pop("member_id"), args.pop("type"), **args)
    assert snapshot(demo_store) == before


def test_follow_up_in_the_past_is_refused_today_is_fine(demo_store, advisor):
    with pytest.raises(InvalidDate):
        log_interaction(demo_store, advisor, MEMBER, "call", next_follow_up=clock.today() - dt.timedelta(days=1))
    assert log_interaction(demo_store, advisor, MEMBER, "call", next_follow_up=clock.today()).next_follow_up


def test_occurred_at_tolerates_small_clock_skew_but_not_the_future(demo_store, advisor):
    moment = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC)
    with clock.frozen(moment):
        skewed = log_interaction(demo_store, advisor, MEMBER, "call", occurred_at=moment + dt.timedelta(minutes=4))
        assert skewed.occurred_at == "2025-03-01T10:04:00.000Z"
        before = snapshot(demo_store)
        with pytest.raises(InvalidDate, match="future"):
            log_interaction(demo_store, advisor, MEMBER, "call", occurred_at=moment + dt.timedelta(hours=1))
        assert snapshot(demo_store) == before


def test_task_interaction_needs_the_member_to_be_a_target(demo_store, advisor):
    target = a_target_of(demo_store)
    outsider = demo_store.scalar("SELECT id FROM members WHERE id NOT IN (SELECT member_id FROM task_targets "
                                 "WHERE task_id = ?) LIMIT 1", (target["task_id"],))
    before = snapshot(demo_store)
    with pytest.raises(InvalidInput, match="not a target"):
        log_interaction(demo_store, advisor, outsider, "call", task_id=target["task_id"])
    assert snapshot(demo_store) == before


def test_a_lead_is_named_by_its_uuid_until_hq_confirms_it(demo_store, advisor):
    lead = enrol_lead(demo_store, advisor, "13900001111", "林小雨")
    log_interaction(demo_store, advisor, lead.member_id, "store_visit", note="第一次到店")
    assert pending(demo_store)[-1]["payload"]["member"] == f"lead:{lead.lead_uuid}"


def test_timeline_is_newest_first_with_staff_names(demo_store, advisor, other_advisor, manager, cashier):
    base = clock.now() - dt.timedelta(days=1)
    hour = dt.timedelta(hours=1)
    log_interaction(demo_store, advisor, MEMBER, "call", note="第一次", occurred_at=base)
    log_interaction(demo_store, other_advisor, MEMBER, "wechat", note="第三次", occurred_at=base + 2 * hour)
    log_interaction(demo_store, manager, MEMBER, "store_visit", note="第二次", occurred_at=base + hour)
    rows = timeline(demo_store, advisor, MEMBER)
    assert [r["note"] for r in rows] == ["第三次", "第二次", "第一次"]
    assert [r["staff_name"] for r in rows] == ["王芳", "郑店长", "李娜"]
    assert [r["mine"] for r in rows] == [False, False, True]
    assert [r["note"] for r in timeline(demo_store, advisor, MEMBER, limit=1)] == ["第三次"]
    with pytest.raises(NotPermitted):
        timeline(demo_store, cashier, MEMBER)
    with pytest.raises(InvalidInput):
        timeline(demo_store, advisor, MEMBER, limit=0)
    with pytest.raises(UnknownMember):
        timeline(demo_store, advisor, 999)


def test_a_back_dated_contact_neither_sets_nor_settles_the_follow_up(demo_store, advisor):
    import datetime as dt

    from associate_app import clock

    member = 1_000_000
    tomorrow = clock.today() + dt.timedelta(days=1)
    latest = log_interaction(demo_store, advisor, member, "call", next_follow_up=tomorrow)
    assert latest.is_latest_contact
    earlier = clock.now() - dt.timedelta(days=30)
    back_dated = log_interaction(demo_store, advisor, member, "wechat", occurred_at=earlier,
                                 next_follow_up=tomorrow + dt.timedelta(days=5))
    assert not back_dated.is_latest_contact
    assert demo_store.scalar("SELECT next_follow_up FROM members WHERE id = ?", (member,)) == tomorrow.isoformat()
    settled = log_interaction(demo_store, advisor, member, "store_visit")
    assert settled.is_latest_contact
    assert demo_store.scalar("SELECT next_follow_up FROM members WHERE id = ?", (member,)) is None


def test_a_contact_for_a_task_records_outcome_and_interaction_together(demo_store, advisor):
    target = a_target_of(demo_store)
    done = record_contact(demo_store, advisor, target["task_id"], target["member_id"], "converted", note="买了两罐")
    row = demo_store.one("SELECT outcome, note FROM task_targets WHERE task_id = ? AND member_id = ?",
                         (target["task_id"], target["member_id"]))
    logged = demo_store.one("SELECT task_id, outcome, note FROM interactions WHERE id = ?", (done.interaction.id,))
    assert row == {"outcome": "converted", "note": "买了两罐"}
    assert logged == {"task_id": target["task_id"], "outcome": "converted", "note": "买了两罐"}


def test_a_refused_half_of_a_contact_leaves_nothing_of_either(demo_store, advisor):
    """The interaction is refused (follow-up in the past) after the outcome was written: both roll back."""
    target = a_target_of(demo_store)
    before_target = demo_store.all("SELECT * FROM task_targets WHERE task_id = ?", (target["task_id"],))
    before = snapshot(demo_store)
    with pytest.raises(InvalidDate):
        record_contact(demo_store, advisor, target["task_id"], target["member_id"], "reached",
                       next_follow_up=clock.today() - dt.timedelta(days=1))
    assert demo_store.all("SELECT * FROM task_targets WHERE task_id = ?", (target["task_id"],)) == before_target
    assert snapshot(demo_store)[:2] == before[:2]
