"""What the user is told about changes HQ did not take, and sending one again once it can succeed."""

from __future__ import annotations

import pytest

from associate_app.domain import interactions
from associate_app.domain.actor import Actor
from associate_app.domain.vocabulary import Role
from associate_app.errors import InvalidInput
from associate_app.sync import rejections
from associate_app.sync.auth import sign_in
from tests.sync.conftest import PASSWORD


def test_a_change_by_someone_not_signed_in_here_can_be_sent_again_after_they_sign_in(device, hq_database):
    dev = device("SH001", "A001")
    dev.sync_ok()
    colleague = Actor("A002", Role.ADVISOR, "SH001")  # using A001's session on the shared counter PC
    member = dev.store.scalar("SELECT id FROM members WHERE advisor_id = 'A002' LIMIT 1")
    logged = interactions.log_interaction(dev.store, colleague, member, "call", note="同事代记")
    result = dev.sync_ok()
    assert result.rejected == 1
    [kept] = rejections.rejections(dev.store)
    assert kept.reason == "author_not_on_device" and kept.can_resend and kept.kind == "interaction.log"
    assert "signed in" in kept.what_happened and kept.payload["id"] == logged.id
    assert rejections.unseen_count(dev.store) == 1
    sign_in(dev.client, "SH001", "A002", PASSWORD, dev.store.get_state("device_id"))  # A002 signs in here
    rejections.resend(dev.store, kept.mutation_id)
    assert rejections.unseen_count(dev.store) == 0
    assert dev.store.scalar("SELECT count(*) FROM interactions WHERE id = ?", (logged.id,)) == 1  # shown again
    again = dev.sync_ok()
    assert again.applied == 1
    with hq_database.read() as tx:
        assert tx.scalar("SELECT staff_id FROM interactions WHERE id = ?", (logged.id,)) == "A002"


def test_a_rejection_that_cannot_be_helped_is_explained_and_dismissed(device, hq_database):
    from hq.admin import tasks

    dev = device()
    dev.sync_ok()
    target = dev.store.one("SELECT tt.task_id, tt.member_id FROM task_targets tt JOIN tasks t ON t.id = tt.task_id "
                           "WHERE tt.advisor_id = 'A001' AND tt.outcome IS NULL AND t.status IN "
                           "('pending', 'in_progress') LIMIT 1")
    from associate_app.domain import tasks as local_tasks

    local_tasks.record_outcome(dev.store, dev.actor, target["task_id"], target["member_id"], "converted")
    tasks.cancel_task(hq_database, target["task_id"])
    dev.sync_ok()
    [kept] = rejections.rejections(dev.store)
    assert kept.reason == "task_cancelled" and not kept.can_resend
    assert kept.what_happened.startswith("HQ cancelled this task")
    assert kept.current["task"]["status"] == "cancelled"
    assert dev.store.scalar("SELECT status FROM tasks WHERE id = ?", (target["task_id"],)) == "cancelled"
    with pytest.raises(InvalidInput):
        rejections.resend(dev.store, kept.mutation_id)
    rejections.dismiss(dev.store, kept.mutation_id)
    assert rejections.rejections(dev.store) == [] and len(rejections.rejections(dev.store, include_seen=True)) == 1
