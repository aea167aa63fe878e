"""Manual tag operations on the demo store: the rules a cashier or advisor would notice at the counter."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from associate_app import clock
from associate_app.domain.tags import apply_tag, member_tag_state, remove_tag, toggle_tag, undo_last_tag_change
from associate_app.errors import (
    InvalidInput,
    NothingToUndo,
    TagNotAllowed,
    TagReadOnly,
    TagRetired,
    UnknownMember,
    UnknownTag,
)
from associate_app.store import hq_data, outbox

MEMBER = 1_000_000
OTHER = 1_000_001
STAGE_0_6, STAGE_6_12, STAGE_1_3 = 103, 104, 105  # group 1 家庭阶段: single choice, advisors and cashiers
MILK, BREAST, SLEEP = 201, 202, 204  # group 2 育儿关注: multi choice
PRICE_HIGH = 301  # group 3 价格敏感度: advisors only
RFM_TOP = 1001  # group 10: automatic


def tags_in_group(store, member_id: int, group_id: int) -> set[int]:
    rows = store.all("SELECT mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id "
                     "WHERE mt.member_id = ? AND t.group_id = ?", (member_id, group_id))
    return {r["tag_id"] for r in rows}


def clear_group(store, member_id: int, group_id: int) -> None:
    store.conn.execute("DELETE FROM member_tags WHERE member_id = ? AND tag_id IN "
                       "(SELECT id FROM tags WHERE group_id = ?)", (member_id, group_id))


def snapshot(store) -> tuple:
    """Everything a tag operation may write: a failed or no-op operation must leave it equal."""
    return tuple(
        store.all(f"SELECT * FROM {table} ORDER BY 1, 2")
        for table in ("member_tags", "tag_history", "outbox")
    )


def history(store) -> list[dict]:
    return store.all("SELECT staff_id, member_id, group_id, added, removed, undone FROM tag_history ORDER BY id")


# --- applying and the single-choice slot ---------------------------------------------------------

def test_apply_writes_the_tag_its_history_and_one_outbox_entry(demo_store, advisor):
    clear_group(demo_store, MEMBER, 1)
    moment = dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)
    with clock.frozen(moment):
        change = apply_tag(demo_store, advisor, MEMBER, STAGE_0_6)
    assert change.changed and change.added == (STAGE_0_6,) and change.removed == ()
    assert change.group_id == 1 and len(change.mutation_ids) == 1
    row = demo_store.one("SELECT applied_by, applied_at FROM member_tags WHERE member_id = ? AND tag_id = ?",
                         (MEMBER, STAGE_0_6))
    assert row == {"applied_by": "A001", "applied_at": "2025-03-01T08:30:00.000Z"}
    [entry] = outbox.pending(demo_store)
    assert entry["mutation_id"] == change.mutation_ids[0] and entry["kind"] == "tag.apply"
    assert entry["payload"] == {"member": MEMBER, "tag_id": STAGE_0_6, "group_id": 1,
                                "at": "2025-03-01T08:30:00.000Z", "replaces": []}
    assert history(demo_store) == [{"staff_id": "A001", "member_id": MEMBER, "group_id": 1,
                                    "added": "[103]", "removed": "[]", "undone": 0}]


def test_single_choice_apply_replaces_the_sibling(demo_store, cashier):
    clear_group(demo_store, MEMBER, 1)
    apply_tag(demo_store, cashier, MEMBER, STAGE_0_6)
    change = apply_tag(demo_store, cashier, MEMBER, STAGE_6_12)
    assert change.added == (STAGE_6_12,) and change.removed == (STAGE_0_6,)
    assert tags_in_group(demo_store, MEMBER, 1) == {STAGE_6_12}
    last = outbox.pending(demo_store)[-1]
    assert last["kind"] == "tag.apply" and last["payload"]["replaces"] == [STAGE_0_6]
    assert outbox.pending_count(demo_store) == 2


def test_single_choice_apply_clears_a_doubled_slot_even_when_the_tag_is_already_there(demo_store, advisor):
    """HQ data may arrive with two values in a slot; applying one of them leaves exactly that one."""
    clear_group(demo_store, MEMBER, 1)
    hq_data.put_member_tags(demo_store, [{"member_id": MEMBER, "tag_id": STAGE_0_6},
                                         {"member_id": MEMBER, "tag_id": STAGE_1_3}])
    change = apply_tag(demo_store, advisor, MEMBER, STAGE_0_6)
    assert change.changed and change.added == () and change.removed == (STAGE_1_3,)
    assert tags_in_group(demo_store, MEMBER, 1) == {STAGE_0_6}


def test_multi_choice_tags_are_independent(demo_store, advisor):
    clear_group(demo_store, MEMBER, 2)
    apply_tag(demo_store, advisor, MEMBER, MILK)
    change = apply_tag(demo_store, advisor, MEMBER, SLEEP)
    assert change.removed == ()
    assert tags_in_group(demo_store, MEMBER, 2) == {MILK, SLEEP}
    assert outbox.pending(demo_store)[-1]["payload"]["replaces"] == []


def test_applying_an_applied_tag_writes_nothing(demo_store, advisor):
    apply_tag(demo_store, advisor, MEMBER, MILK)
    before, changes = snapshot(demo_store), demo_store.conn.total_changes
    change = apply_tag(demo_store, advisor, MEMBER, MILK)
    assert not change.changed and change.mutation_ids == ()
    assert snapshot(demo_store) == before and demo_store.conn.total_changes == changes


def test_remove_and_removing_an_absent_tag(demo_store, advisor):
    clear_group(demo_store, MEMBER, 2)
    apply_tag(demo_store, advisor, MEMBER, MILK)
    change = remove_tag(demo_store, advisor, MEMBER, MILK)
    assert change.removed == (MILK,) and change.added == ()
    assert tags_in_group(demo_store, MEMBER, 2) == set()
    last = outbox.pending(demo_store)[-1]
    assert last["kind"] == "tag.remove"
    assert set(last["payload"]) == {"member", "tag_id", "group_id", "at"} and last["payload"]["tag_id"] == MILK
    before = snapshot(demo_store)
    assert not remove_tag(demo_store, advisor, MEMBER, MILK).changed
    assert snapshot(demo_store) == before


def test_toggle_twice_takes_the_tag_back(demo_store, cashier):
    clear_group(demo_store, MEMBER, 1)
    apply_tag(demo_store, cashier, MEMBER, STAGE_0_6)
    first = toggle_tag(demo_store, cashier, MEMBER, STAGE_6_12)
    assert first.added == (STAGE_6_12,) and first.removed == (STAGE_0_6,)
    second = toggle_tag(demo_store, cashier, MEMBER, STAGE_6_12)
    assert second.removed == (STAGE_6_12,) and second.added == ()
    assert tags_in_group(demo_store, MEMBER, 1) == set()
    assert [e["kind"] for e in outbox.pending(demo_store)] == ["tag.apply", "tag.apply", "tag.remove"]


def test_a_lead_is_named_by_its_client_id(demo_store, advisor):
    with demo_store.write():
        hq_data.upsert_members(demo_store, [{"id": -5, "lead_uuid": "0190-lead", "name": "王女士", "is_lead": 1}])
    apply_tag(demo_store, advisor, -5, MILK)
    assert outbox.pending(demo_store)[-1]["payload"]["member"] == "lead:0190-lead"


# --- refusals: nothing written ------------------------------------------------------------------

def test_cashier_refused_an_advisor_only_group(demo_store, cashier):
    before = snapshot(demo_store)
    with pytest.raises(TagNotAllowed) as caught:
        apply_tag(demo_store, cashier, MEMBER, PRICE_HIGH)
    assert caught.value.details["group_id"] == 3
    with pytest.raises(TagNotAllowed):
        toggle_tag(demo_store, cashier, MEMBER, PRICE_HIGH)
    assert snapshot(demo_store) == before


def test_manager_may_use_what_advisors_may(demo_store, manager):
    clear_group(demo_store, MEMBER, 3)
    assert apply_tag(demo_store, manager, MEMBER, PRICE_HIGH).added == (PRICE_HIGH,)
    assert tags_in_group(demo_store, MEMBER, 3) == {PRICE_HIGH}


@pytest.mark.parametrize("who", ["advisor", "cashier", "manager"])
def test_automatic_tags_are_read_only_for_everyone(demo_store, who, request):
    actor = request.getfixturevalue(who)
    before = snapshot(demo_store)
    for operation in (apply_tag, remove_tag, toggle_tag):
        with pytest.raises(TagReadOnly):
            operation(demo_store, actor, MEMBER, RFM_TOP)
    assert snapshot(demo_store) == before


@pytest.mark.parametrize("retire_sql", ["UPDATE tags SET retired = 1 WHERE id = 204",
                                        "UPDATE tag_groups SET retired = 1 WHERE id = 2"])
def test_retired_tag_or_group_refused(demo_store, advisor, retire_sql):
    demo_store.conn.execute(retire_sql)
    before = snapshot(demo_store)
    with pytest.raises(TagRetired):
        apply_tag(demo_store, advisor, MEMBER, SLEEP)
    with pytest.raises(TagRetired):
        remove_tag(demo_store, advisor, MEMBER, SLEEP)
    assert snapshot(demo_store) == before


def test_unknown_tag_member_and_malformed_ids(demo_store, advisor):
    before = snapshot(demo_store)
    with pytest.raises(UnknownTag):
        apply_tag(demo_store, advisor, MEMBER, 999)
    with pytest.raises(UnknownMember):
        apply_tag(demo_store, advisor, 42, MILK)
    with pytest.raises(InvalidInput):
        apply_tag(demo_store, advisor, "1000000", MILK)
    with pytest.raises(InvalidInput):
        toggle_tag(demo_store, advisor, MEMBER, True)
    assert snapshot(demo_store) == before


def test_a_failing_outbox_insert_leaves_the_tags_untouched(demo_store, advisor):
    """The change and its outbox entry are one transaction: if HQ's copy cannot be queued, nothing changes."""
    clear_group(demo_store, MEMBER, 1)
    apply_tag(demo_store, advisor, MEMBER, STAGE_0_6)
    demo_store.conn.execute("CREATE TRIGGER outbox_broken BEFORE INSERT ON outbox "
                            "BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END")
    before = snapshot(demo_store)
    with pytest.raises(sqlite3.IntegrityError, match="outbox unavailable"):
        apply_tag(demo_store, advisor, MEMBER, STAGE_6_12)
    assert snapshot(demo_store) == before
    assert tags_in_group(demo_store, MEMBER, 1) == {STAGE_0_6}
    assert not demo_store.conn.in_transaction


# --- undo -----------------------------------------------------------------------------------------

def test_undo_an_apply_removes_it_and_tells_hq(demo_store, advisor):
    clear_group(demo_store, MEMBER, 2)
    apply_tag(demo_store, advisor, MEMBER, MILK)
    change = undo_last_tag_change(demo_store, advisor)
    assert change.removed == (MILK,) and change.added == () and len(change.mutation_ids) == 1
    assert tags_in_group(demo_store, MEMBER, 2) == set()
    assert outbox.pending(demo_store)[-1]["kind"] == "tag.remove"
    assert [h["undone"] for h in history(demo_store)] == [1]  # marked, and no new history row


def test_undo_a_single_choice_replacement_restores_the_previous_value(demo_store, advisor):
    clear_group(demo_store, MEMBER, 1)
    apply_tag(demo_store, advisor, MEMBER, STAGE_0_6)
    apply_tag(demo_store, advisor, MEMBER, STAGE_6_12)
    change = undo_last_tag_change(demo_store, advisor)
    assert change.added == (STAGE_0_6,) and change.removed == (STAGE_6_12,)
    assert tags_in_group(demo_store, MEMBER, 1) == {STAGE_0_6}
    last = outbox.pending(demo_store)[-1]
    assert last["kind"] == "tag.apply" and last["payload"]["tag_id"] == STAGE_0_6
    assert last["payload"]["replaces"] == [STAGE_6_12]


def test_undo_a_remove_puts_the_tag_back(demo_store, advisor):
    apply_tag(demo_store, advisor, MEMBER, SLEEP)
    remove_tag(demo_store, advisor, MEMBER, SLEEP)
    assert undo_last_tag_change(demo_store, advisor).added == (SLEEP,)
    assert SLEEP in tags_in_group(demo_store, MEMBER, 2)


def test_repeated_undo_walks_back_then_runs_out(demo_store, advisor):
    clear_group(demo_store, MEMBER, 1)
    clear_group(demo_store, OTHER, 2)
    apply_tag(demo_store, advisor, MEMBER, STAGE_0_6)
    apply_tag(demo_store, advisor, OTHER, MILK)
    apply_tag(demo_store, advisor, MEMBER, STAGE_6_12)
    undone = [undo_last_tag_change(demo_store, advisor) for _ in range(3)]
    assert [(u.member_id, u.removed) for u in undone] == [
        (MEMBER, (STAGE_6_12,)), (OTHER, (MILK,)), (MEMBER, (STAGE_0_6,))]
    assert tags_in_group(demo_store, MEMBER, 1) == set() and tags_in_group(demo_store, OTHER, 2) == set()
    before = snapshot(demo_store)
    with pytest.raises(NothingToUndo):
        undo_last_tag_change(demo_store, advisor)
    assert snapshot(demo_store) == before
    assert len(history(demo_store)) == 3 and outbox.pending_count(demo_store) == 6


def test_undo_only_reverses_ones_own_changes(demo_store, advisor, other_advisor):
    clear_group(demo_store, MEMBER, 2)
    apply_tag(demo_store, advisor, MEMBER, MILK)
    apply_tag(demo_store, other_advisor, MEMBER, BREAST)
    assert undo_last_tag_change(demo_store, advisor).removed == (MILK,)
    assert tags_in_group(demo_store, MEMBER, 2) == {BREAST}
    with pytest.raises(NothingToUndo):
        undo_last_tag_change(demo_store, advisor)


def test_undo_restricted_to_one_member(demo_store, advisor):
    clear_group(demo_store, MEMBER, 2)
    clear_group(demo_store, OTHER, 2)
    apply_tag(demo_store, advisor, MEMBER, MILK)
    apply_tag(demo_store, advisor, OTHER, MILK)
    change = undo_last_tag_change(demo_store, advisor, member_id=MEMBER)
    assert change.member_id == MEMBER
    assert tags_in_group(demo_store, OTHER, 2) == {MILK}
    with pytest.raises(NothingToUndo):
        undo_last_tag_change(demo_store, advisor, member_id=MEMBER)
    with pytest.raises(UnknownMember):
        undo_last_tag_change(demo_store, advisor, member_id=42)


def test_undo_refused_once_hq_retired_the_tag(demo_store, advisor):
    clear_group(demo_store, MEMBER, 1)
    apply_tag(demo_store, advisor, MEMBER, STAGE_0_6)
    apply_tag(demo_store, advisor, MEMBER, STAGE_6_12)
    demo_store.conn.execute("UPDATE tags SET retired = 1 WHERE id = ?", (STAGE_0_6,))
    before = snapshot(demo_store)
    with pytest.raises(TagRetired):
        undo_last_tag_change(demo_store, advisor)
    assert snapshot(demo_store) == before


def test_undo_after_someone_else_already_reverted_changes_nothing(demo_store, advisor, other_advisor):
    clear_group(demo_store, MEMBER, 2)
    apply_tag(demo_store, advisor, MEMBER, MILK)
    remove_tag(demo_store, other_advisor, MEMBER, MILK)
    queued = outbox.pending_count(demo_store)
    change = undo_last_tag_change(demo_store, advisor)
    assert not change.changed and outbox.pending_count(demo_store) == queued
    assert json.loads(history(demo_store)[0]["added"]) == [MILK] and history(demo_store)[0]["undone"] == 1


# --- what the UI draws --------------------------------------------------------------------------------

def test_tag_state_per_role(demo_store, advisor, cashier, manager):
    clear_group(demo_store, MEMBER, 1)
    apply_tag(demo_store, advisor, MEMBER, STAGE_6_12)
    cashier_view = member_tag_state(demo_store, cashier, MEMBER)
    assert [g.id for g in cashier_view] == [1, 2, 4]  # no advisor-only groups, no automatic tags
    assert all(g.editable for g in cashier_view)
    advisor_view = {g.id: g for g in member_tag_state(demo_store, advisor, MEMBER)}
    assert list(advisor_view) == [1, 2, 3, 4, 5, 10, 11, 12]
    assert [g.id for g in advisor_view.values() if not g.editable] == [10, 11, 12]
    assert [g.id for g in member_tag_state(demo_store, manager, MEMBER)] == list(advisor_view)
    stage = advisor_view[1]
    assert [t.id for t in stage.tags] == list(range(101, 108))  # sort_order
    assert [t.id for t in stage.tags if t.applied] == [STAGE_6_12]
    assert stage.tags[0].name == "备孕" and stage.tags[0].color == "#e8a33d"
    applied = {r["tag_id"] for r in demo_store.all("SELECT tag_id FROM member_tags WHERE member_id = ?", (MEMBER,))}
    assert {t.id for g in advisor_view.values() for t in g.tags if t.applied} == applied


def test_tag_state_hides_retired_groups_and_tags(demo_store, advisor):
    demo_store.conn.execute("UPDATE tag_groups SET retired = 1 WHERE id = 4")
    demo_store.conn.execute("UPDATE tags SET retired = 1 WHERE id = 101")
    view = {g.id: g for g in member_tag_state(demo_store, advisor, MEMBER)}
    assert 4 not in view and 101 not in [t.id for t in view[1].tags]
    with pytest.raises(UnknownMember):
        member_tag_state(demo_store, advisor, 42)
