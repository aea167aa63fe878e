"""Two devices of one store and HQ edit the same members while the devices are offline; after syncing,
every device and HQ hold the same state (issue 4, "all converge to the same state").

Device A is advisor A001, device M the store manager M001 (a manager may use every tag group advisors
may, and work every target). HQ's side edits through hq.admin, as HQ staff would. Device edits are
made with the clock pinned (associate_app.clock.frozen), so which change is "later" is decided by the
test, not by the machine's timing. After every scenario a normalised snapshot of each device is
compared with HQ's own tables for the store.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from associate_app import clock
from associate_app.domain.corrections import propose_correction
from associate_app.domain.enrolment import enrol_lead
from associate_app.domain.interactions import log_interaction
from associate_app.domain.tags import apply_tag
from associate_app.domain.tasks import record_outcome
from associate_app.store import Store
from hq.admin import catalogue, imports, members, tasks
from hq.db import Database

STORE = "SH001"
STAGE_0_6, STAGE_6_12 = 103, 104  # group 1 家庭阶段: single choice
MILK, SLEEP, ALLERGY = 201, 204, 205  # group 2 育儿关注: multi choice
TASK = 502  # in progress, unassigned, due after the seed's today
NEW_PHONE = "13900001111"


def minutes_ago(minutes: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)


# Snapshots ------------------------------------------------------------------------------------------------


def device_snapshot(store: Store) -> dict[str, Any]:
    """What a device shows, in the same shape as hq_snapshot."""
    q = store.conn.execute
    return {
        "members": {r[0]: tuple(r[1:]) for r in q(
            "SELECT id, version, phone, name, birthday, address, status, lead_uuid FROM members")},
        "tags": _group(q("SELECT member_id, tag_id, applied_at, applied_by FROM member_tags ORDER BY 1, 2")),
        "tasks": dict(q("SELECT id, status FROM tasks").fetchall()),
        "targets": {(r[0], r[1]): tuple(r[2:]) for r in q(
            "SELECT task_id, member_id, advisor_id, outcome, outcome_at, outcome_by, note FROM task_targets")},
        "corrections": {r[0]: tuple(r[1:]) for r in q(
            "SELECT id, member_id, field, new_value, status, hq_reason FROM corrections")},
        "interactions": dict(q("SELECT id, member_id FROM interactions").fetchall()),
    }


def hq_snapshot(db: Database, store_code: str = STORE) -> dict[str, Any]:
    """HQ's own tables for one store (living members only, present tags only)."""
    live = "m.store_code = ? AND m.merged_into IS NULL"
    with db.read() as tx:
        return {
            "members": {r[0]: tuple(r[1:]) for r in tx.all(
                "SELECT id, version, phone, name, birthday, address, status, lead_uuid FROM members m "
                f"WHERE {live}", (store_code,))},
            "tags": _group(tx.all(
                "SELECT mt.member_id, mt.tag_id, mt.at, mt.by_staff FROM member_tags mt "
                f"JOIN members m ON m.id = mt.member_id WHERE mt.present = 1 AND {live} ORDER BY 1, 2",
                (store_code,))),
            "tasks": dict(tx.all("SELECT id, status FROM tasks WHERE store_code = ?", (store_code,))),
            "targets": {(r[0], r[1]): tuple(r[2:]) for r in tx.all(
                "SELECT tt.task_id, tt.member_id, tt.advisor_id, tt.outcome, tt.outcome_at, tt.outcome_by, tt.note "
                "FROM task_targets tt JOIN tasks t ON t.id = tt.task_id WHERE t.store_code = ?", (store_code,))},
            "corrections": {r[0]: tuple(r[1:]) for r in tx.all(
                "SELECT c.id, c.member_id, c.field, c.new_value, c.status, c.hq_reason FROM corrections c "
                f"JOIN members m ON m.id = c.member_id WHERE {live}", (store_code,))},
            "interactions": dict(tx.all(
                f"SELECT i.id, i.member_id FROM interactions i JOIN members m ON m.id = i.member_id WHERE {live}",
                (store_code,))),
        }


def _group(rows) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = {}
    for member, *rest in rows:
        grouped.setdefault(member, []).append(tuple(rest))
    return grouped


def converge(hq_db: Database, *devices) -> dict[str, Any]:
    """Sync every device twice over (the second round brings each what the others pushed); every outbox
    ends empty and every device's snapshot equals HQ's. Returns HQ's snapshot."""
    for _ in range(2):
        for dev in devices:
            dev.sync_ok()
    expected = hq_snapshot(hq_db)
    assert len(expected["members"]) >= 60 and expected["tags"] and expected["targets"]  # a real comparison
    for dev in devices:
        assert dev.store.scalar("SELECT count(*) FROM outbox") == 0
        got = device_snapshot(dev.store)
        for part in expected:
            assert got[part] == expected[part], f"{dev.actor.staff_id}: {part} differs from HQ"
    return expected


def rejections(store: Store) -> list[dict[str, Any]]:
    return store.all("SELECT kind, status, reason, current, member_id, payload FROM sync_rejections "
                     "ORDER BY created_at")


def held(store: Store, member: int, group: int) -> set[int]:
    return {r["tag_id"] for r in store.all(
        "SELECT mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? "
        "AND t.group_id = ?", (member, group))}


def hq_tags(db: Database, member: int, group: int) -> set[int]:
    with db.read() as tx:
        return {r[0] for r in tx.all(
            "SELECT mt.tag_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? "
            "AND t.group_id = ? AND mt.present = 1", (member, group))}


@pytest.fixture
def pair(device, hq_database):
    """Advisor A001's device and manager M001's, both up to date with HQ (and equal to it)."""
    a, m = device(STORE, "A001", name="advisor"), device(STORE, "M001", name="manager")
    converge(hq_database, a, m)
    return a, m


def own_member(dev, *, offset: int = 0, without: tuple[int, ...] = ()) -> int:
    """The ``offset``-th member of advisor A001's (by id) holding none of the tags ``without`` (so a device's
    edit is a real change, never a no-op that queues nothing)."""
    marks = ", ".join("?" * len(without)) or "NULL"
    return dev.store.scalar(
        "SELECT id FROM members WHERE advisor_id = 'A001' AND id NOT IN (SELECT member_id FROM member_tags "
        f"WHERE tag_id IN ({marks})) ORDER BY id LIMIT 1 OFFSET ?", (*without, offset))


def queued(*devices) -> list[int]:
    return [dev.store.scalar("SELECT count(*) FROM outbox") for dev in devices]


# Tags ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("later", ["A001", "M001"])
@pytest.mark.parametrize("first", ["A001", "M001"])
def test_single_choice_group_set_on_both_devices_converges_on_the_later_change(pair, hq_database, later, first):
    a, m = pair
    member = own_member(a, without=(STAGE_0_6, STAGE_6_12))
    by_staff = {"A001": a, "M001": m}
    winner, loser = by_staff[later], by_staff["M001" if later == "A001" else "A001"]
    with clock.frozen(minutes_ago(10)):
        apply_tag(loser.store, loser.actor, member, STAGE_0_6)
    with clock.frozen(minutes_ago(5)):
        apply_tag(winner.store, winner.actor, member, STAGE_6_12)
    assert held(loser.store, member, 1) == {STAGE_0_6} and held(winner.store, member, 1) == {STAGE_6_12}
    assert queued(a, m) == [1, 1]

    second = by_staff["M001" if first == "A001" else "A001"]
    by_staff[first].sync_ok()
    second.sync_ok()
    converge(hq_database, a, m)

    assert hq_tags(hq_database, member, 1) == {STAGE_6_12}
    for dev in pair:
        assert held(dev.store, member, 1) == {STAGE_6_12}
    assert rejections(winner.store) == []
    lost = rejections(loser.store)
    if loser is second:  # the loser's change reached HQ after the winner's: HQ kept the newer and said so
        assert [(r["kind"], r["status"], r["reason"], r["member_id"]) for r in lost] == [
            ("tag.apply", "merged", "superseded", member)]
        current = json.loads(lost[0]["current"])
        assert [t[0] for t in current["tags"]] == [STAGE_6_12] and current["group_id"] == 1
    else:  # it reached HQ first, was applied, and was then replaced by the later change like any HQ change
        assert lost == []


def test_multi_choice_group_keeps_both_devices_tags_everywhere(pair, hq_database):
    a, m = pair
    member = own_member(a, offset=1, without=(MILK, SLEEP))
    before = hq_tags(hq_database, member, 2)
    with clock.frozen(minutes_ago(6)):
        apply_tag(a.store, a.actor, member, MILK)
    with clock.frozen(minutes_ago(8)):
        apply_tag(m.store, m.actor, member, SLEEP)
    assert queued(a, m) == [1, 1]
    m.sync_ok()
    a.sync_ok()
    converge(hq_database, a, m)
    assert hq_tags(hq_database, member, 2) == before | {MILK, SLEEP}
    for dev in pair:
        assert held(dev.store, member, 2) == before | {MILK, SLEEP}
        assert rejections(dev.store) == []


def test_a_tag_hq_retired_meanwhile_is_refused_and_taken_off_the_device(pair, hq_database):
    a, m = pair
    member = own_member(a, offset=2, without=(ALLERGY, MILK))
    apply_tag(a.store, a.actor, member, ALLERGY)
    apply_tag(m.store, m.actor, member, MILK)  # the other device's change to the same group still goes through
    catalogue.retire_tag(hq_database, ALLERGY)
    converge(hq_database, a, m)
    assert ALLERGY not in held(a.store, member, 2) and MILK in held(a.store, member, 2)
    [lost] = rejections(a.store)
    assert (lost["status"], lost["reason"]) == ("rejected", "tag_retired")
    assert a.store.scalar("SELECT retired FROM tags WHERE id = ?", (ALLERGY,)) == 1


# Tasks -----------------------------------------------------------------------------------------------------


def test_outcomes_recorded_offline_lose_to_hqs_cancellation(pair, hq_database):
    a, m = pair
    open_targets = a.store.all(
        "SELECT member_id FROM task_targets WHERE task_id = ? AND advisor_id = 'A001' AND outcome IS NULL "
        "ORDER BY member_id LIMIT 2", (TASK,))
    mine, other = (r["member_id"] for r in open_targets)
    record_outcome(a.store, a.actor, TASK, mine, "reached", note="宝宝6个月了")
    record_outcome(m.store, m.actor, TASK, other, "interested")
    assert a.store.scalar("SELECT outcome FROM task_targets WHERE task_id = ? AND member_id = ?",
                          (TASK, mine)) == "reached"
    tasks.cancel_task(hq_database, TASK)

    result = a.sync_ok()
    assert (result.rejected, result.pending) == (1, 0)
    assert a.store.scalar("SELECT status FROM tasks WHERE id = ?", (TASK,)) == "cancelled"
    assert a.store.scalar("SELECT outcome FROM task_targets WHERE task_id = ? AND member_id = ?", (TASK, mine)) is None
    [lost] = rejections(a.store)
    assert (lost["kind"], lost["status"], lost["reason"]) == ("task_target.outcome", "rejected", "task_cancelled")
    current = json.loads(lost["current"])
    assert current["task"]["status"] == "cancelled" and current["target"]["outcome"] is None
    assert json.loads(lost["payload"])["outcome"] == "reached"  # what the advisor did is kept to show them

    converge(hq_database, a, m)
    assert [(r["reason"]) for r in rejections(m.store)] == ["task_cancelled"]
    with hq_database.read() as tx:
        assert tx.scalar("SELECT count(*) FROM task_targets WHERE task_id = ? AND outcome IS NOT NULL "
                         "AND member_id IN (?, ?)", (TASK, mine, other)) == 0


@pytest.mark.parametrize("later_first", [True, False], ids=["later-pushed-first", "later-pushed-last"])
def test_two_outcomes_for_one_target_converge_on_the_later(pair, hq_database, later_first):
    a, m = pair
    member = a.store.scalar("SELECT member_id FROM task_targets WHERE task_id = ? AND advisor_id = 'A001' "
                            "AND outcome IS NULL ORDER BY member_id LIMIT 1", (TASK,))
    with clock.frozen(minutes_ago(3)):
        record_outcome(a.store, a.actor, TASK, member, "interested", note="下周来店")
    with clock.frozen(minutes_ago(9)):
        record_outcome(m.store, m.actor, TASK, member, "not_reachable")
    for dev in ((a, m) if later_first else (m, a)):
        dev.sync_ok()
    converge(hq_database, a, m)
    for dev in pair:
        assert dev.store.one("SELECT outcome, outcome_by, note FROM task_targets WHERE task_id = ? AND member_id = ?",
                             (TASK, member)) == {"outcome": "interested", "outcome_by": "A001", "note": "下周来店"}
    lost = [(r["status"], r["reason"]) for r in rejections(m.store)]
    assert lost == ([("merged", "superseded")] if later_first else [])
    assert rejections(a.store) == []


# Corrections -----------------------------------------------------------------------------------------------


def test_correction_of_a_field_hq_changed_meanwhile_waits_for_review(pair, hq_database):
    a, m = pair
    member = own_member(a, offset=3)
    proposal = propose_correction(a.store, a.actor, member, "address", "上海市杨浦区国定路400号")
    members.edit_member(hq_database, member, {"address": "上海市徐汇区田林路200号"})

    result = a.sync_ok()
    assert (result.merged, result.pending) == (1, 0)
    [kept] = rejections(a.store)
    assert (kept["kind"], kept["status"], kept["reason"]) == ("correction.propose", "merged", "field_changed_at_hq")
    assert json.loads(kept["current"])["value"] == "上海市徐汇区田林路200号"
    assert a.store.one("SELECT status, hq_reason FROM corrections WHERE id = ?",
                       (proposal.id,)) == {"status": "submitted", "hq_reason": None}
    assert a.store.scalar("SELECT address FROM members WHERE id = ?", (member,)) == "上海市徐汇区田林路200号"

    snapshot = converge(hq_database, a, m)
    assert snapshot["corrections"][proposal.id][3] == "submitted"
    assert snapshot["members"][member][4] == "上海市徐汇区田林路200号"


def test_correction_of_an_untouched_field_is_applied_and_reaches_the_other_device(pair, hq_database):
    a, m = pair
    member = own_member(a, offset=4)
    version = a.store.scalar("SELECT version FROM members WHERE id = ?", (member,))
    members.edit_member(hq_database, member, {"address": "上海市徐汇区田林路200号"})  # another field
    proposal = propose_correction(a.store, a.actor, member, "birthday", "1990-02-03")

    result = a.sync_ok()
    assert (result.applied, result.merged, result.rejected) == (1, 0, 0)
    assert a.store.scalar("SELECT status FROM corrections WHERE id = ?", (proposal.id,)) == "accepted"
    snapshot = converge(hq_database, a, m)
    row = m.store.one("SELECT birthday, address, version FROM members WHERE id = ?", (member,))
    assert row == {"birthday": "1990-02-03", "address": "上海市徐汇区田林路200号", "version": version + 2}
    assert snapshot["corrections"][proposal.id][3] == "accepted"
    assert rejections(a.store) == []


# Enrolment -------------------------------------------------------------------------------------------------


def _enrol_with_work(dev, phone: str) -> tuple[int, str, str]:
    """Enrol a lead offline, tag it and log a contact with it: (provisional id, lead uuid, interaction id)."""
    lead = enrol_lead(dev.store, dev.actor, phone, "林女士")
    apply_tag(dev.store, dev.actor, lead.member_id, STAGE_0_6)
    apply_tag(dev.store, dev.actor, lead.member_id, MILK)
    contact = log_interaction(dev.store, dev.actor, lead.member_id, "store_visit", note="第一次到店")
    assert lead.member_id < 0
    return lead.member_id, lead.lead_uuid, contact.id


def _leads_gone(store: Store) -> None:
    for table in ("members", "member_tags", "interactions", "tag_history", "corrections", "task_targets"):
        column = "id" if table == "members" else "member_id"
        assert store.scalar(f"SELECT count(*) FROM {table} WHERE {column} < 0") == 0, table


def test_an_offline_enrolment_adopts_hqs_id_with_its_tags_and_contacts(pair, hq_database):
    a, m = pair
    provisional, lead, contact = _enrol_with_work(a, NEW_PHONE)
    result = a.sync_ok()
    assert (result.applied, result.rejected) == (4, 0)
    with hq_database.read() as tx:
        hq_id, is_lead = tx.one("SELECT id, is_lead FROM members WHERE lead_uuid = ?", (lead,))
    assert hq_id > 0 and is_lead == 1
    _leads_gone(a.store)
    assert a.store.one("SELECT id, phone FROM members WHERE lead_uuid = ?", (lead,)) == {"id": hq_id,
                                                                                          "phone": NEW_PHONE}
    assert held(a.store, hq_id, 1) == {STAGE_0_6} and held(a.store, hq_id, 2) == {MILK}
    assert a.store.scalar("SELECT member_id FROM interactions WHERE id = ?", (contact,)) == hq_id
    assert provisional != hq_id
    converge(hq_database, a, m)
    assert m.store.scalar("SELECT member_id FROM interactions WHERE id = ?", (contact,)) == hq_id


def test_the_same_customer_enrolled_on_both_devices_becomes_one_member(pair, hq_database):
    a, m = pair
    _, lead_a, contact_a = _enrol_with_work(a, NEW_PHONE)
    _, lead_m, contact_m = _enrol_with_work(m, NEW_PHONE)
    a.sync_ok()
    result = m.sync_ok()
    assert result.merged == 1
    with hq_database.read() as tx:
        [(member,)] = tx.all("SELECT id FROM members WHERE phone = ? AND merged_into IS NULL", (NEW_PHONE,))
        aliases = dict(tx.all("SELECT lead_uuid, member_id FROM lead_aliases WHERE lead_uuid IN (?, ?)",
                              (lead_a, lead_m)))
    assert aliases == {lead_a: member, lead_m: member}
    snapshot = converge(hq_database, a, m)
    for dev in pair:
        _leads_gone(dev.store)
        assert dev.store.scalar("SELECT count(*) FROM members WHERE phone = ?", (NEW_PHONE,)) == 1
        assert {r["member_id"] for r in dev.store.all("SELECT member_id FROM interactions WHERE id IN (?, ?)",
                                                      (contact_a, contact_m))} == {member}
    assert snapshot["members"][member][6] == lead_a  # the first enrolment HQ saw made the member


def test_an_enrolment_of_a_member_hq_imported_meanwhile_merges_into_it(pair, hq_database):
    """The phone reached HQ after the device's last pull (a CRM import), so the device could not know."""
    a, m = pair
    imports.import_members(hq_database, f"card_no,phone,name,store_code,advisor_id\nIMP0001,{NEW_PHONE},"
                                        "林晓,SH001,A002\n")
    with hq_database.read() as tx:
        survivor = tx.scalar("SELECT id FROM members WHERE phone = ?", (NEW_PHONE,))
    _, lead, contact = _enrol_with_work(a, NEW_PHONE)

    result = a.sync_ok()
    assert (result.merged, result.rejected) == (1, 0)
    [kept] = rejections(a.store)
    assert (kept["kind"], kept["status"], kept["reason"], kept["member_id"]) == (
        "member.enrol", "merged", "same_phone", survivor)
    _leads_gone(a.store)
    assert a.store.one("SELECT name, advisor_id FROM members WHERE id = ?", (survivor,)) == {
        "name": "林晓", "advisor_id": "A002"}  # HQ's member, not the lead's details
    assert held(a.store, survivor, 1) == {STAGE_0_6} and held(a.store, survivor, 2) == {MILK}
    assert a.store.scalar("SELECT member_id FROM interactions WHERE id = ?", (contact,)) == survivor
    snapshot = converge(hq_database, a, m)
    assert lead not in {row[6] for row in snapshot["members"].values()}


def test_an_enrolment_of_a_member_the_device_holds_under_an_old_phone_merges_into_it(pair, hq_database):
    """HQ gave an existing member the number after the device's last pull: the device has that member, but
    not the number, so it enrols a lead; HQ merges it and the device folds the lead into its member."""
    a, m = pair
    survivor = own_member(a, offset=5)
    members.edit_member(hq_database, survivor, {"phone": NEW_PHONE})
    _, lead, contact = _enrol_with_work(m, NEW_PHONE)
    had = held(m.store, survivor, 2)

    result = m.sync_ok()
    assert (result.merged, result.rejected) == (1, 0)
    _leads_gone(m.store)
    assert m.store.scalar("SELECT count(*) FROM members WHERE lead_uuid = ?", (lead,)) == 0
    assert m.store.scalar("SELECT phone FROM members WHERE id = ?", (survivor,)) == NEW_PHONE
    assert held(m.store, survivor, 1) == {STAGE_0_6} and held(m.store, survivor, 2) == had | {MILK}
    assert m.store.scalar("SELECT member_id FROM interactions WHERE id = ?", (contact,)) == survivor
    converge(hq_database, a, m)
    assert a.store.scalar("SELECT member_id FROM interactions WHERE id = ?", (contact,)) == survivor
