"""Operator commands on the feed: after a restore, and purging tombstones, devices are told to reset."""

from __future__ import annotations

import pytest

from hq.admin.members import update_member
from hq.cli import main as hq_cli
from hq.maintenance import purge_tombstones, rotate_epoch
from hq.seed import seed
from hq.service import open_hq


def _pull(client, cursor):
    return client.get("/v1/pull", params={"cursor": cursor})


def test_rotating_the_epoch_makes_devices_download_again(api, hq_db):
    advisor = api("SH001", "A001")
    state, cursor = advisor.pull_all()
    rotate_epoch(hq_db)
    r = _pull(advisor, cursor)
    assert r.status_code == 410
    assert r.json()["error"]["code"] == "reset_required" and r.json()["error"]["reason"] == "server_restored"
    again, _ = advisor.pull_all()  # from an empty cursor: everything, same documents
    assert again["member"] == state["member"]


def test_purging_tombstones_resets_only_devices_that_were_away(api, hq_db):
    advisor = api("SH001", "A001")
    _, old_cursor = advisor.pull_all()
    with hq_db.write() as tx:  # a member moves to the other store: a tombstone in SH001
        tx.execute("UPDATE members SET store_code = 'SH002', advisor_id = 'A101' WHERE id = 1000001")
        tx.touch("member", 1000001)
    update_member(hq_db, 1000002, {"points": 4242})
    with hq_db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM sync_rows WHERE deleted = 1") == 1
    deleted, _ = purge_tombstones(hq_db)
    assert deleted == 1
    r = _pull(advisor, old_cursor)
    assert r.status_code == 410 and r.json()["error"]["reason"] == "cursor_too_old"
    state, fresh = advisor.pull_all()
    assert "1000001" not in state["member"] and state["member"]["1000002"]["points"] == 4242
    assert _pull(advisor, fresh).status_code == 200  # a current device is not disturbed


@pytest.mark.parametrize("command", ["rotate-epoch", "purge-tombstones"])
def test_operator_commands_run_from_the_cli(tmp_path, capsys, command):
    url = f"sqlite:///{tmp_path / 'hq.db'}"
    seed(open_hq(url), members=30, stores=1)
    assert hq_cli([command, "--database", url]) == 0
    assert "download again" in capsys.readouterr().out


def test_housekeeping_expires_tasks_overdue_in_the_stores_calendar(api, hq_db):
    import datetime as dt

    from hq.housekeeping import run_once

    advisor = api("SH001", "A001")
    _, cursor = advisor.pull_all()
    with hq_db.write() as tx:
        tx.execute("UPDATE tasks SET due_date = '2026-11-24' WHERE id = 500")
        tx.execute("UPDATE tasks SET due_date = '2026-11-25' WHERE id = 501")
        tx.touch("task", 500, 501)
    # 17:00 UTC on the 24th is already 01:00 on the 25th in Shanghai: task 500 (due the 24th) is overdue
    done = run_once(hq_db, now=dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC))
    assert done["tasks_expired"] == 1
    state, _ = advisor.pull_all(cursor)
    assert state["task"]["500"]["status"] == "expired"
    assert state["task"]["501"]["status"] != "expired"
    assert run_once(hq_db, now=dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC))["tasks_expired"] == 0
