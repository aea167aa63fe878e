"""Pushing the outbox: acknowledged changes leave it, rejections are kept and never block, edits made
while a sync runs are neither lost nor marked as sent, and stay visible on top of pulled data."""

from __future__ import annotations

import json

from associate_app.domain import enrolment, interactions, tags
from associate_app.store import open_store
from associate_app.sync.results import DOWNLOADING
from hq.admin import catalogue, members


def _manual_tags(store, role: str = "advisor") -> list[dict]:
    return store.all(
        "SELECT t.id, t.group_id, g.choice FROM tags t JOIN tag_groups g ON g.id = t.group_id "
        "WHERE g.kind = 'manual' AND t.retired = 0 AND g.retired = 0 AND g.roles LIKE ? ORDER BY t.id",
        (f'%"{role}"%',))


def _hq_scalar(db, sql: str, params=()):
    with db.read() as tx:
        return tx.scalar(sql, params)


def _own_member(dev) -> int:
    return dev.store.scalar("SELECT id FROM members WHERE advisor_id = ? ORDER BY id LIMIT 1", (dev.actor.staff_id,))


def test_offline_edits_reach_hq_once_and_leave_the_outbox(device, hq_database):
    dev = device()
    dev.sync_ok()
    member = _own_member(dev)
    logged = [interactions.log_interaction(dev.store, dev.actor, member, "call", outcome="reached", note=f"第{i}次")
              for i in range(3)]
    tag = _manual_tags(dev.store)[0]
    tags.apply_tag(dev.store, dev.actor, member, tag["id"])
    assert dev.store.scalar("SELECT count(*) FROM outbox") == 4
    result = dev.sync_ok()
    assert (result.pushed, result.applied, result.pending) == (4, 4, 0)
    ids = [log.id for log in logged]
    assert _hq_scalar(hq_database, f"SELECT count(*) FROM interactions WHERE id IN ({','.join('?' * 3)})", ids) == 3
    assert _hq_scalar(hq_database, "SELECT present FROM member_tags WHERE member_id = ? AND tag_id = ?",
                      (member, tag["id"])) == 1
    again = dev.sync_ok()
    assert again.pushed == 0


def test_a_rejected_change_is_kept_with_hqs_reason_and_does_not_block_the_next(device, hq_database):
    dev = device()
    dev.sync_ok()
    member = _own_member(dev)
    held = {r["tag_id"] for r in dev.store.all("SELECT tag_id FROM member_tags WHERE member_id = ?", (member,))}
    tag = next(t for t in _manual_tags(dev.store) if t["choice"] == "multi" and t["id"] not in held)
    tags.apply_tag(dev.store, dev.actor, member, tag["id"])  # offline; meanwhile HQ retires the tag
    note = interactions.log_interaction(dev.store, dev.actor, member, "wechat", note="之后的联系")
    catalogue.set_tag_retired(hq_database, tag["id"], True)
    result = dev.sync_ok()
    assert (result.rejected, result.applied, result.pending) == (1, 1, 0), result.summary()
    kept = dev.store.one("SELECT kind, status, reason, current, payload FROM sync_rejections")
    assert (kept["kind"], kept["status"], kept["reason"]) == ("tag.apply", "rejected", "tag_retired")
    assert json.loads(kept["payload"])["tag_id"] == tag["id"]
    assert dev.store.scalar("SELECT count(*) FROM member_tags WHERE member_id = ? AND tag_id = ?",
                            (member, tag["id"])) == 0  # the local tag went back to HQ's state
    assert _hq_scalar(hq_database, "SELECT count(*) FROM interactions WHERE id = ?", (note.id,)) == 1


def test_edits_made_while_a_sync_runs_stay_visible_and_are_pushed_next_time(device, hq_database):
    dev = device(page_limit=10)
    dev.sync_ok()
    ui = open_store(dev.path)  # the UI's own connection, as in the app
    member = _own_member(dev)
    held = {r["tag_id"] for r in ui.all("SELECT tag_id FROM member_tags WHERE member_id = ?", (member,))}
    tag = next(t for t in _manual_tags(ui) if t["id"] not in held)
    made: list = []

    def edit_mid_download(progress) -> None:
        if progress.phase == DOWNLOADING and not made:
            made.append(tags.apply_tag(ui, dev.actor, member, tag["id"]))
            made.append(interactions.log_interaction(ui, dev.actor, member, "call", note="同步时记录"))
            # HQ changes the member again: its document arrives on a later page of this same download
            members.edit_member(hq_database, member, {"address": "上海市新地址1号"})

    for other in range(2, 30):  # enough HQ changes for several pages
        members.edit_member(hq_database, member + other, {"points": 4242})
    first = dev.engine.run_cycle(progress=edit_mid_download)
    assert first.ok and first.pages > 1 and len(made) == 2
    assert dev.store.scalar("SELECT address FROM members WHERE id = ?", (member,)) == "上海市新地址1号"
    assert dev.store.scalar("SELECT count(*) FROM member_tags WHERE member_id = ? AND tag_id = ?",
                            (member, tag["id"])) == 1  # pulled document, local change on top
    assert dev.store.scalar("SELECT count(*) FROM outbox") == 2  # not marked as sent
    second = dev.sync_ok()
    assert (second.pushed, second.pending) == (2, 0)
    assert _hq_scalar(hq_database, "SELECT present FROM member_tags WHERE member_id = ? AND tag_id = ?",
                      (member, tag["id"])) == 1
    assert _hq_scalar(hq_database, "SELECT count(*) FROM interactions WHERE id = ?", (made[1].id,)) == 1
    ui.close()


def test_an_offline_enrolment_takes_the_id_hq_gives_it(device, hq_database):
    dev = device()
    dev.sync_ok()
    lead = enrolment.enrol_lead(dev.store, dev.actor, "13912340000", "新会员")
    assert lead.member_id < 0
    tag = _manual_tags(dev.store)[0]
    tags.apply_tag(dev.store, dev.actor, lead.member_id, tag["id"])
    call = interactions.log_interaction(dev.store, dev.actor, lead.member_id, "store_visit", note="到店登记")
    dev.sync_ok()
    hq_id = _hq_scalar(hq_database, "SELECT id FROM members WHERE lead_uuid = ?", (lead.lead_uuid,))
    assert hq_id and hq_id > 0
    assert dev.store.scalar("SELECT count(*) FROM members WHERE id < 0") == 0
    assert dev.store.one("SELECT id, name FROM members WHERE lead_uuid = ?", (lead.lead_uuid,)) == {
        "id": hq_id, "name": "新会员"}
    assert dev.store.scalar("SELECT member_id FROM interactions WHERE id = ?", (call.id,)) == hq_id
    assert dev.store.scalar("SELECT count(*) FROM member_tags WHERE member_id = ?", (hq_id,)) >= 1
    assert _hq_scalar(hq_database, "SELECT member_id FROM interactions WHERE id = ?", (call.id,)) == hq_id


def _queue_raw(store, mutation_id: str, payload: dict, kind: str = "interaction.log") -> None:
    """An outbox row no domain function would write: what a device bug (or a corrupted row) looks like."""
    with store.write():
        store.conn.execute("INSERT INTO outbox(mutation_id, kind, payload, staff_id, created_at) "
                           "VALUES (?, ?, ?, 'A001', '2026-11-25T06:30:00.000Z')",
                           (mutation_id, kind, json.dumps(payload)))


def test_a_change_hq_cannot_even_read_is_set_aside_and_the_rest_go_through(device, hq_database):
    dev = device()
    dev.sync_ok()
    member = _own_member(dev)
    before = [interactions.log_interaction(dev.store, dev.actor, member, "call", note=f"前{i}") for i in range(3)]
    _queue_raw(dev.store, "x" * 80, {"id": "bad", "member": member})  # an id longer than HQ accepts: 422
    after = [interactions.log_interaction(dev.store, dev.actor, member, "call", note=f"后{i}") for i in range(3)]
    result = dev.sync_ok()
    assert (result.applied, result.rejected, result.pending) == (6, 1, 0)
    kept = dev.store.one("SELECT mutation_id, status, reason FROM sync_rejections")
    assert kept == {"mutation_id": "x" * 80, "status": "rejected", "reason": "invalid_request"}
    ids = [log.id for log in before + after]
    assert _hq_scalar(hq_database, f"SELECT count(*) FROM interactions WHERE id IN ({','.join('?' * 6)})", ids) == 6


def test_a_batch_too_large_for_hq_is_sent_in_smaller_ones(device, hq_database):
    dev = device()
    dev.sync_ok()
    member = _own_member(dev)
    notes = [interactions.log_interaction(dev.store, dev.actor, member, "wechat", note="长" * 500) for _ in range(4)]
    with dev.store.write():  # make each row big enough that the whole batch passes HQ's 8 MB limit
        dev.store.conn.execute("UPDATE outbox SET payload = json_set(payload, '$.padding', ?)", ("p" * 3_000_000,))
    result = dev.sync_ok()
    assert (result.applied, result.pending) == (4, 0)
    ids = [n.id for n in notes]
    assert _hq_scalar(hq_database, f"SELECT count(*) FROM interactions WHERE id IN ({','.join('?' * 4)})", ids) == 4
