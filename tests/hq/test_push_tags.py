"""Manual tags: last writer wins per (member, tag); a single-choice group is one slot; retired tags win."""

from __future__ import annotations

from hq.admin.catalogue import retire_tag
from tests.hq.test_push_support import SH001_MEMBER, ago, present_tags, scalar, statuses, tag


def _tags_in_group(advisor, member_id: int, group_id: int) -> list[int]:
    """What a device holds after a full pull: the member's tags of one group."""
    state, _ = advisor.pull_all()
    return sorted(t[0] for t in state["member"][str(member_id)]["tags"] if t[0] // 100 == group_id)


def test_an_older_offline_apply_loses_to_a_newer_removal(api, hq_db):
    first, second = api("SH001", "A001"), api("SH001", "A002")
    assert statuses(first.push(tag("apply", "A001", SH001_MEMBER, 203, ago(30)))) == [("applied", None)]
    # A002 removes it at 10 minutes ago; A001's device, offline, had applied it again at 20 minutes ago
    assert statuses(second.push(tag("remove", "A002", SH001_MEMBER, 203, ago(10)))) == [("applied", None)]
    late = first.push(tag("apply", "A001", SH001_MEMBER, 203, ago(20)))[0]
    assert (late["status"], late["reason"]) == ("merged", "superseded")
    assert late["current"]["group_id"] == 2 and 203 not in [t[0] for t in late["current"]["tags"]]
    assert 203 not in _tags_in_group(first, SH001_MEMBER, 2)
    assert scalar(hq_db, "SELECT by_staff FROM member_tags WHERE member_id = ? AND tag_id = 203",
                  (SH001_MEMBER,)) == "A002"


def test_a_newer_change_wins_whatever_order_it_arrives_in(api, hq_db):
    advisor = api("SH001", "A001")
    advisor.push(tag("remove", "A001", SH001_MEMBER, 201, ago(20)))
    assert advisor.push(tag("apply", "A001", SH001_MEMBER, 201, ago(5)))[0]["status"] == "applied"
    assert 201 in present_tags(hq_db, SH001_MEMBER, 2)
    # a remove made offline between the two arrives last: older than the apply, so the tag stays
    late = advisor.push(tag("remove", "A001", SH001_MEMBER, 201, ago(10)))[0]
    assert (late["status"], late["reason"]) == ("merged", "superseded")
    assert 201 in _tags_in_group(advisor, SH001_MEMBER, 2)


def test_a_change_dated_in_the_future_is_clamped_to_hqs_clock(api, hq_db):
    first, second = api("SH001", "A001"), api("SH001", "A002")
    first.push(tag("apply", "A001", SH001_MEMBER, 204, ago(-600)))  # a device clock ten hours fast
    stored = scalar(hq_db, "SELECT at FROM member_tags WHERE member_id = ? AND tag_id = 204", (SH001_MEMBER,))
    assert stored <= ago(0)
    # so a real removal made a moment later still wins
    assert second.push(tag("remove", "A002", SH001_MEMBER, 204, ago(-0.05)))[0]["status"] == "applied"
    assert 204 not in present_tags(hq_db, SH001_MEMBER, 2)


def test_single_choice_slot_keeps_the_later_of_two_devices(api, hq_db):
    first, second = api("SH001", "A001"), api("SH001", "A002")
    # A002 chose 104 later (10 min ago) and synced first; A001 chose 103 earlier (20 min ago) offline
    assert statuses(second.push(tag("apply", "A002", SH001_MEMBER, 104, ago(10)))) == [("applied", None)]
    late = first.push(tag("apply", "A001", SH001_MEMBER, 103, ago(20)))[0]
    assert (late["status"], late["reason"]) == ("merged", "superseded")
    assert [t[0] for t in late["current"]["tags"]] == [104]
    assert _tags_in_group(first, SH001_MEMBER, 1) == [104]


def test_single_choice_apply_evicts_an_older_sibling(api, hq_db):
    first, second = api("SH001", "A001"), api("SH001", "A002")
    assert present_tags(hq_db, SH001_MEMBER, 1) == [106]  # from the seed
    assert first.push(tag("apply", "A001", SH001_MEMBER, 103, ago(20)))[0]["status"] == "applied"
    assert second.push(tag("apply", "A002", SH001_MEMBER, 104, ago(10)))[0]["status"] == "applied"
    assert _tags_in_group(second, SH001_MEMBER, 1) == [104]
    # the evicted sibling is a removal at the time of the apply: an older re-apply of it loses too
    assert first.push(tag("apply", "A001", SH001_MEMBER, 106, ago(15)))[0]["reason"] == "superseded"
    assert present_tags(hq_db, SH001_MEMBER, 1) == [104]


def test_multi_choice_group_keeps_both_devices_tags(api, hq_db):
    first, second = api("SH001", "A001"), api("SH001", "A002")
    assert first.push(tag("apply", "A001", SH001_MEMBER, 203, ago(10)))[0]["status"] == "applied"
    assert second.push(tag("apply", "A002", SH001_MEMBER, 206, ago(20)))[0]["status"] == "applied"
    assert {203, 206} <= set(_tags_in_group(first, SH001_MEMBER, 2))


def test_a_retired_tag_wins_over_an_offline_apply(api, hq_db):
    advisor = api("SH001", "A001")
    offline = tag("apply", "A001", SH001_MEMBER, 207, ago(30))  # made before HQ retired the tag
    retire_tag(hq_db, 207)
    result = advisor.push(offline)[0]
    assert (result["status"], result["reason"]) == ("rejected", "tag_retired")
    assert result["current"]["member_id"] == SH001_MEMBER and result["current"]["group_id"] == 2
    assert 207 not in _tags_in_group(advisor, SH001_MEMBER, 2)
    # taking a retired tag off a member is still allowed
    retire_tag(hq_db, 201)
    assert advisor.push(tag("remove", "A001", SH001_MEMBER, 201, ago(1)))[0]["status"] == "applied"
    assert 201 not in present_tags(hq_db, SH001_MEMBER, 2)


def test_an_unknown_tag_is_refused(api):
    advisor = api("SH001", "A001")
    assert statuses(advisor.push(tag("apply", "A001", SH001_MEMBER, 4242, ago(1)))) == [("rejected", "unknown_tag")]


def test_a_removal_of_a_tag_the_member_already_lacks_is_harmless(api, hq_db):
    advisor = api("SH001", "A001")
    assert advisor.push(tag("remove", "A001", SH001_MEMBER, 202, ago(1)))[0]["status"] == "applied"
    assert 202 not in present_tags(hq_db, SH001_MEMBER, 2)
    assert advisor.push(tag("apply", "A001", SH001_MEMBER, 202, ago(0.5)))[0]["status"] == "applied"
    assert 202 in present_tags(hq_db, SH001_MEMBER, 2)
