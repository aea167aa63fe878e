"""HQ's "reset required" and interrupted downloads: the outbox survives, stale data goes, and a
download that stopped half-way resumes from its last page instead of starting again."""

from __future__ import annotations

from associate_app.domain import interactions
from associate_app.domain.actor import Actor
from associate_app.domain.vocabulary import Role
from associate_app.lookup.search import lookup
from associate_app.store import open_store
from associate_app.sync.auth import sign_in
from associate_app.sync.errors import Offline
from associate_app.sync.results import DOWNLOADING
from hq.admin import tasks as hq_tasks
from hq.maintenance import purge_tombstones, rotate_epoch
from tests.sync.conftest import PASSWORD


def _replica(store) -> dict:
    return {
        "members": store.all("SELECT id, version, phone FROM members ORDER BY id"),
        "tags": store.all("SELECT member_id, tag_id FROM member_tags ORDER BY member_id, tag_id"),
        "tasks": store.all("SELECT id, status FROM tasks ORDER BY id"),
        "targets": store.all("SELECT task_id, member_id, outcome FROM task_targets ORDER BY task_id, member_id"),
    }


class CutAfter:
    """Lets ``n`` pulls through, then fails like a dropped connection (the network going away)."""

    def __init__(self, client, n: int) -> None:
        self.client, self.n, self.calls = client, n, 0
        self.real_pull = client.pull
        client.pull = self.pull

    def pull(self, *args, **kwargs):
        self.calls += 1
        if self.calls > self.n:
            raise Offline("cut by the test")
        return self.real_pull(*args, **kwargs)

    def restore(self) -> None:
        self.client.pull = self.real_pull


def test_server_restored_downloads_again_keeps_the_outbox_and_drops_what_hq_lost(device, hq_database):
    dev = device(page_limit=20)
    dev.sync_ok()
    member = dev.store.scalar("SELECT id FROM members WHERE advisor_id = 'A001' LIMIT 1")
    dev.store.conn.execute("INSERT INTO members(id, name, store_code) VALUES (99999999, '已不存在', 'SH001')")
    rotate_epoch(hq_database)  # as after restoring HQ from a backup
    waiting = interactions.log_interaction(dev.store, dev.actor, member, "call", note="恢复前的记录")
    dev.client.push, real_push = (lambda _m: (_ for _ in ()).throw(Offline("push cut"))), dev.client.push
    result = dev.sync()  # push fails; nothing is lost
    assert result.outcome == "offline" and dev.store.scalar("SELECT count(*) FROM outbox") == 1
    dev.client.push = real_push
    result = dev.sync_ok()
    assert result.reset_reason == "server_restored" and result.full_download
    assert result.pushed == 1 and dev.store.scalar("SELECT count(*) FROM outbox") == 0
    assert dev.store.scalar("SELECT count(*) FROM members WHERE id = 99999999") == 0
    assert dev.store.scalar("SELECT count(*) FROM interactions WHERE id = ?", (waiting.id,)) == 1
    fresh = device(name="fresh")
    fresh.sync_ok()
    assert _replica(dev.store) == _replica(fresh.store)


def test_a_change_made_during_a_re_download_survives_its_final_sweep(device, hq_database):
    dev = device(page_limit=15)
    dev.sync_ok()
    member = dev.store.scalar("SELECT id FROM members WHERE advisor_id = 'A001' LIMIT 1")
    rotate_epoch(hq_database)
    ui = open_store(dev.path)
    made: list = []

    def edit(progress) -> None:
        if progress.phase == DOWNLOADING and not made:  # HQ has not got it, so it never sends it back
            made.append(interactions.log_interaction(ui, dev.actor, member, "wechat", note="重新下载时记录"))

    result = dev.engine.run_cycle(progress=edit)
    assert result.ok and result.reset_reason == "server_restored" and made
    assert dev.store.scalar("SELECT count(*) FROM interactions WHERE id = ?", (made[0].id,)) == 1
    assert dev.store.scalar("SELECT count(*) FROM outbox") == 1
    dev.sync_ok()
    with hq_database.read() as tx:
        assert tx.scalar("SELECT count(*) FROM interactions WHERE id = ?", (made[0].id,)) == 1
    ui.close()


def test_an_interrupted_first_download_resumes_where_it_stopped(device):
    dev = device(page_limit=10)
    cut = CutAfter(dev.client, 12)
    first = dev.sync()
    assert first.outcome == "offline" and first.pages == 12 and first.pulled == 120
    assert dev.store.get_state("cursor") and dev.store.scalar("SELECT count(*) FROM members") > 0
    assert dev.store.get_state("bulk_load")  # indexes still deferred: the download is not finished
    cut.restore()
    second = dev.sync_ok()
    assert dev.store.get_state("bulk_load") is None
    assert dev.store.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'members_phone'") == 1
    whole = device(name="whole", page_limit=10)
    complete = whole.sync_ok()
    assert second.pulled + first.pulled == complete.pulled  # nothing downloaded twice
    assert _replica(dev.store) == _replica(whole.store)


def test_an_interrupted_re_download_resumes_and_then_sweeps(device, hq_database):
    dev = device(page_limit=10)
    dev.sync_ok()
    dev.store.conn.execute("INSERT INTO members(id, name, store_code) VALUES (99999998, '旧数据', 'SH001')")
    rotate_epoch(hq_database)
    cut = CutAfter(dev.client, 4)  # the 410, then three pages of the re-download
    stopped = dev.sync()
    assert stopped.outcome == "offline" and stopped.reset_reason == "server_restored"
    assert dev.store.get_state("resync") == "1"
    assert dev.store.scalar("SELECT count(*) FROM members WHERE id = 99999998") == 1  # shown until replaced
    cut.restore()
    resumed = dev.sync_ok()
    assert resumed.reset_reason is None and resumed.full_download
    assert dev.store.get_state("resync") is None
    assert dev.store.scalar("SELECT count(*) FROM members WHERE id = 99999998") == 0
    assert dev.store.scalar("SELECT count(*) FROM sync_seen") == 0


def test_a_cashier_signing_in_on_an_advisors_device_gets_the_cashier_view_at_once(device, live_hq):
    dev = device("SH001", "A001")
    dev.sync_ok()
    full_phone = dev.store.scalar("SELECT phone FROM members WHERE phone IS NOT NULL LIMIT 1")
    assert dev.store.scalar("SELECT count(*) FROM tasks") > 0
    signed = sign_in(dev.client, "SH001", "C001", PASSWORD, dev.store.get_state("device_id"))
    dev.client.token = lambda: signed.token
    result = dev.sync_ok()
    assert result.reset_reason == "scope_changed"
    assert dev.store.scalar("SELECT count(*) FROM tasks") == 0
    assert dev.store.scalar("SELECT count(*) FROM interactions") == 0
    assert dev.store.scalar("SELECT count(*) FROM members WHERE phone NOT LIKE '%****%'") == 0
    assert dev.store.scalar("SELECT count(*) FROM members WHERE address IS NOT NULL") == 0
    cashier = Actor("C001", Role.CASHIER, "SH001")
    found = lookup(dev.store, cashier, full_phone)  # the salted hash finds the member; the number is not here
    assert len(found.hits) == 1 and found.hits[0].match == "exact"
    assert found.hits[0].phone == full_phone[:3] + "****" + full_phone[-4:]


def test_after_a_tombstone_purge_devices_can_still_download_their_store_page_by_page(device, hq_database):
    """Found by the kill harness: HQ answered ``cursor_too_old`` to every cursor below ``purged_through``,
    and mid-way through a download from nothing the cursor is always that low (it follows the oldest
    documents first), so after one purge no device could finish a download of more than one page: a new
    device never, a device sent back by the purge never again."""
    away = device("SH001", "A001", page_limit=20)
    away.sync_ok()
    with hq_database.read() as tx:
        member = tx.scalar("SELECT member_id FROM task_targets WHERE task_id = 503 AND advisor_id = 'A002' "
                           "AND outcome IS NULL ORDER BY member_id LIMIT 1")
    hq_tasks.remove_targets(hq_database, 503, [member])  # a tombstone the device has not seen...
    purge_tombstones(hq_database)  # ...and now never will: it must download again
    new = device("SH001", "A002", page_limit=20).sync()
    assert new.ok and new.pages > 1, new.summary()
    again = away.sync()
    assert again.ok and again.reset_reason == "cursor_too_old", again.summary()
    assert away.store.one("SELECT 1 FROM task_targets WHERE task_id = 503 AND member_id = ?", (member,)) is None
