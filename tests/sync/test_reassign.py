"""The manager's reassignment end to end: console → push → HQ → the advisors' devices after their sync;
one HQ refuses is put back to HQ's state on the manager's console and explained."""

from __future__ import annotations

from associate_app.domain.assignment import reassign_member, reassign_target, store_advisors
from associate_app.domain.queries import my_member_ids
from associate_app.sync import rejections
from hq.admin.staff import deactivate_staff


def _hq(db, sql: str, params=()):
    with db.read() as tx:
        return tx.all(sql, params)


def _open_target(dev, advisor_id: str) -> tuple[int, int]:
    row = dev.store.one("SELECT tt.task_id, tt.member_id FROM task_targets tt JOIN tasks t ON t.id = tt.task_id "
                        "WHERE tt.advisor_id = ? AND tt.outcome IS NULL AND t.status IN ('pending', 'in_progress') "
                        "ORDER BY tt.task_id, tt.member_id LIMIT 1", (advisor_id,))
    return row["task_id"], row["member_id"]


def test_a_reassigned_member_leaves_the_former_advisors_list_and_joins_the_new_ones(device, hq_database):
    manager, former, new = device("SH001", "M001"), device("SH001", "A001"), device("SH001", "A002")
    for dev in (manager, former, new):
        dev.sync_ok()
    assert [a.id for a in store_advisors(manager.store, manager.actor)] == ["A001", "A002", "A003"]
    member = my_member_ids(former.store, former.actor)[0]
    task, other = _open_target(manager, "A003")
    reassign_member(manager.store, manager.actor, member, "A002")
    reassign_target(manager.store, manager.actor, task, other, "A001")
    result = manager.sync_ok()
    assert (result.pushed, result.applied, result.rejected) == (2, 2, 0), result.summary()
    assert _hq(hq_database, "SELECT advisor_id FROM members WHERE id = ?", (member,)) == [("A002",)]
    assert _hq(hq_database, "SELECT advisor_id FROM task_targets WHERE task_id = ? AND member_id = ?",
               (task, other)) == [("A001",)]
    former.sync_ok()
    new.sync_ok()
    assert member not in my_member_ids(former.store, former.actor)
    assert member in my_member_ids(new.store, new.actor)
    hq_targets = _hq(hq_database, "SELECT task_id, advisor_id FROM task_targets WHERE member_id = ? ORDER BY task_id",
                     (member,))
    assert [tuple(r.values()) for r in former.store.all(
        "SELECT task_id, advisor_id FROM task_targets WHERE member_id = ? ORDER BY task_id", (member,))] == hq_targets
    assert former.store.scalar("SELECT advisor_id FROM task_targets WHERE task_id = ? AND member_id = ?",
                               (task, other)) == "A001"


def test_a_reassignment_hq_refuses_is_put_back_and_explained(device, hq_database):
    manager = device("SH001", "M001")
    manager.sync_ok()
    member = manager.store.scalar("SELECT id FROM members WHERE advisor_id = 'A001' ORDER BY id LIMIT 1")
    before = manager.store.all("SELECT task_id, advisor_id FROM task_targets WHERE member_id = ? ORDER BY task_id",
                               (member,))
    moved = reassign_member(manager.store, manager.actor, member, "A003")  # offline; meanwhile A003 leaves
    assert moved.targets_moved
    deactivate_staff(hq_database, "A003")
    result = manager.sync_ok()
    assert result.rejected == 1, result.summary()
    [kept] = rejections.rejections(manager.store)
    assert (kept.kind, kept.reason, kept.member_id) == ("member.reassign", "not_an_advisor", member)
    assert "advisor" in kept.what_happened and kept.what_to_do == "Choose another advisor."
    assert manager.store.scalar("SELECT advisor_id FROM members WHERE id = ?", (member,)) == "A001"
    assert manager.store.all("SELECT task_id, advisor_id FROM task_targets WHERE member_id = ? ORDER BY task_id",
                             (member,)) == before
    assert "A003" not in [a.id for a in store_advisors(manager.store, manager.actor)]
