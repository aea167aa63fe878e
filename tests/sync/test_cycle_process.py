"""Sync cycles in a child process (what the console runs): the same engine, against the real HQ on loopback."""

from __future__ import annotations

import threading
import time

from associate_app.domain import tags
from associate_app.store import open_store, outbox
from associate_app.sync.cycle_process import ProcessCycles
from associate_app.sync.results import DONE, DOWNLOADING
from associate_app.sync.scheduler import ONLINE, Listener, SyncScheduler


def _cycles(dev, url: str | None = None, **engine) -> ProcessCycles:
    return ProcessCycles(dev.path, url or dev.client.base_url, lambda: dev.token, engine_options=engine)


def test_a_first_download_in_a_child_process_reports_progress_and_lands_in_the_database(device):
    dev = device()
    progress = []
    result = _cycles(dev, page_limit=20).run(progress.append)
    assert result.ok and result.full_download, result.summary()
    assert dev.store.scalar("SELECT count(*) FROM members WHERE store_code = 'SH001'") == 60
    downloading = [p for p in progress if p.phase == DOWNLOADING]
    assert len(downloading) >= 3 and downloading[-1].done > downloading[0].done  # page by page
    assert progress[-1].phase == DONE


def test_an_edit_made_here_is_pushed_by_the_child_exactly_once(device, live_hq):
    dev = device()
    cycles = _cycles(dev)
    assert cycles.run(lambda p: None).ok
    member = dev.store.scalar("SELECT min(id) FROM members WHERE advisor_id = 'A001'")
    tag = dev.store.one("SELECT t.id FROM tags t JOIN tag_groups g ON g.id = t.group_id "
                        "WHERE g.choice = 'multi' AND g.kind = 'manual' AND g.roles LIKE '%advisor%' AND NOT EXISTS "
                        "(SELECT 1 FROM member_tags mt WHERE mt.member_id = ? AND mt.tag_id = t.id) "
                        "ORDER BY t.id LIMIT 1", (member,))["id"]
    tags.apply_tag(dev.store, dev.actor, member, tag)
    assert outbox.pending_count(dev.store) == 1
    result = cycles.run(lambda p: None)
    assert result.ok and result.pushed == 1 and result.applied == 1, result.summary()
    assert outbox.pending_count(dev.store) == 0
    again = cycles.run(lambda p: None)
    assert again.ok and again.pushed == 0


def test_a_wrong_token_is_the_same_outcome_as_in_the_thread(device):
    dev = device()
    result = ProcessCycles(dev.path, dev.client.base_url, lambda: "not-a-token").run(lambda p: None)
    assert result.outcome == "auth_required"


def test_an_unreachable_hq_is_offline_and_changes_nothing(device):
    dev = device()
    before = dev.store.scalar("SELECT count(*) FROM members")
    result = _cycles(dev, url="http://127.0.0.1:9").run(lambda p: None)
    assert result.outcome == "offline" and dev.store.scalar("SELECT count(*) FROM members") == before


def test_stopping_the_scheduler_ends_a_running_child_at_once_and_the_next_cycle_resumes(device, proxy):
    dev = device(url=proxy.url)
    proxy.plan(["pass"] * 3 + ["late:5"] * 50)  # the download crawls: each page waits 5 s before its answer
    cycles = _cycles(dev, url=proxy.url, page_limit=10)
    scheduler = SyncScheduler(lambda: open_store(dev.path), dev.client, interval=3600, cycles=cycles)
    started = threading.Event()
    scheduler.add_listener(Listener(on_progress=lambda p: p.phase == DOWNLOADING and started.set()))
    scheduler.start()
    assert started.wait(30)
    began = time.monotonic()
    scheduler.stop(timeout=10)
    assert time.monotonic() - began < 4  # not the 5 s a page takes: the child was ended
    proxy.plan([])
    result = _cycles(dev, url=proxy.url).run(lambda p: None)
    assert result.ok, result.summary()
    assert dev.store.scalar("SELECT count(*) FROM members WHERE store_code = 'SH001'") == 60


def test_the_scheduler_reports_a_childs_cycle_like_its_own(device):
    """The scheduler the console starts runs ProcessCycles; status and listeners work as with a thread."""
    dev = device()
    results = []
    scheduler = SyncScheduler(lambda: open_store(dev.path), dev.client, interval=3600, cycles=_cycles(dev))
    scheduler.add_listener(Listener(on_result=lambda r, s: results.append(s)))
    scheduler.start()
    try:
        deadline = time.monotonic() + 30
        while not results:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert results[0].connection == ONLINE and results[0].last_result.ok
    finally:
        scheduler.stop()


def test_what_the_child_logs_reaches_the_consoles_log(device, caplog):
    dev = device()
    with caplog.at_level("INFO", logger="associate_app.sync.cycle_process"):
        result = _cycles(dev, url="http://127.0.0.1:9").run(lambda p: None)
    assert result.outcome == "offline"
    assert any("sync process:" in r.getMessage() and "sync stopped" in r.getMessage() for r in caplog.records)
