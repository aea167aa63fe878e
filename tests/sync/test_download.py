"""First download, incremental pulls, deletions, progress and resuming an interrupted download."""

from __future__ import annotations

from associate_app.sync.results import DOWNLOADING
from hq.admin import catalogue


def _hq_member_ids(db, store_code: str) -> set[int]:
    with db.read() as tx:
        return {r[0] for r in tx.all("SELECT id FROM members WHERE store_code = ? AND merged_into IS NULL",
                                     (store_code,))}


def test_first_download_brings_the_store_and_nothing_of_other_stores(device, hq_database):
    dev = device("SH001", "A001")
    result = dev.sync_ok()
    local = {r["id"] for r in dev.store.all("SELECT id FROM members")}
    assert local == _hq_member_ids(hq_database, "SH001")
    assert not local & _hq_member_ids(hq_database, "SH002")
    assert result.full_download and result.pulled > len(local)
    assert dev.store.scalar("SELECT count(*) FROM member_tags") > 0
    assert dev.store.get_state("member_code_public_key")
    assert dev.store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_download_reports_progress_towards_hqs_estimate(device):
    dev = device("SH001", "A001", page_limit=50)
    seen = []
    result = dev.engine.run_cycle(progress=seen.append)
    steps = [p for p in seen if p.phase == DOWNLOADING]
    assert result.ok and len(steps) == result.pages > 3
    assert steps[0].total == result.pulled  # HQ's count at the start is exact when nothing changes meanwhile
    assert [p.done for p in steps] == sorted(p.done for p in steps)
    assert steps[-1].fraction == 1.0 and all(p.full_download for p in steps)


def test_a_second_cycle_with_nothing_new_pulls_nothing(device):
    dev = device()
    dev.sync_ok()
    again = dev.sync_ok()
    assert (again.pulled, again.pushed, again.full_download) == (0, 0, False)


def test_hq_changes_reach_the_device_including_deletions(device, hq_database):
    dev = device()
    dev.sync_ok()
    tag = dev.store.one("SELECT id, group_id FROM tags WHERE retired = 0 ORDER BY id LIMIT 1")
    catalogue.update_tag(hq_database, tag["id"], {"name": "改名了"})
    catalogue.set_tag_retired(hq_database, tag["id"], True)
    dev.sync_ok()
    assert dev.store.one("SELECT name, retired FROM tags WHERE id = ?", (tag["id"],)) == {"name": "改名了",
                                                                                          "retired": 1}


def test_follow_ups_are_right_even_when_contacts_arrive_before_their_member(device, hq_database):
    from hq.admin import members

    with hq_database.read() as tx:
        contacted = [r[0] for r in tx.all("SELECT DISTINCT i.member_id FROM interactions i JOIN members m "
                                          "ON m.id = i.member_id WHERE m.store_code = 'SH001'")]
    for member in contacted:  # each member's document now comes after its contacts in HQ's feed
        members.edit_member(hq_database, member, {"points": 777})
    dev = device(page_limit=7)
    dev.sync_ok()
    wrong = dev.store.all(
        "SELECT m.id FROM members m WHERE m.last_contact_at IS NOT "
        "(SELECT max(occurred_at) FROM interactions i WHERE i.member_id = m.id)")
    assert contacted and wrong == []


def _schema(store) -> set:
    return {tuple(r) for r in store.conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE "
                                                 "'sqlite_%'")}


def test_a_first_download_ends_with_every_index_and_name_key_in_place(device, tmp_path):
    from associate_app.domain.actor import Actor
    from associate_app.domain.vocabulary import Role
    from associate_app.lookup.search import lookup
    from associate_app.store import open_store

    empty = open_store(tmp_path / "empty.db")
    dev = device(page_limit=25)
    seen = []
    dev.engine.run_cycle(progress=lambda p: seen.append(
        dev.store.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'members_name_sort'")))
    assert 0 in seen  # built without the index meanwhile...
    assert _schema(dev.store) == _schema(empty)  # ...and every index and trigger is back, as migrated
    assert dev.store.get_state("bulk_load") is None
    expected = dev.store.scalar("SELECT count(DISTINCT k.value || '|' || m.id) FROM members m, "
                                "json_each(m.search_keys) k")
    assert dev.store.scalar("SELECT count(*) FROM member_keys") == expected > 0
    name = dev.store.scalar("SELECT name FROM members WHERE length(name) = 3 ORDER BY id LIMIT 1")
    hits = lookup(dev.store, Actor("A001", Role.ADVISOR, "SH001"), name[1:]).hits  # a given name: member_keys
    assert any(h.name == name for h in hits)
    empty.close()
