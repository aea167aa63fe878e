"""The till's read of a member (no Qt): masked phone for cashiers, only the groups HQ opened to cashiers."""

from __future__ import annotations

import pytest

from associate_app.domain.checkout import checkout_groups, checkout_member, confirmed_id
from associate_app.domain.enrolment import enrol_lead
from associate_app.domain.tags import toggle_tag
from associate_app.errors import UnknownMember
from associate_app.lookup.search import lookup

CASHIER_GROUPS = {1, 2, 4}  # 家庭阶段, 育儿关注, 到店偏好 (demo catalogue); 3 and 5 are advisors' only


def test_the_quick_tag_groups_are_those_hq_opened_to_cashiers(demo_store):
    assert checkout_groups(demo_store) == CASHIER_GROUPS


@pytest.mark.parametrize("who", ["cashier", "advisor", "manager"])
def test_every_role_gets_the_same_quick_tags_and_no_automatic_ones(demo_store, who, request):
    actor = request.getfixturevalue(who)
    member_id = demo_store.scalar("SELECT min(id) FROM members")
    member = checkout_member(demo_store, actor, member_id)
    assert {g.id for g in member.groups} == CASHIER_GROUPS
    held = {r["tag_id"] for r in demo_store.all("SELECT tag_id FROM member_tags WHERE member_id = ?", (member_id,))}
    assert {t.id for g in member.groups for t in g.tags if t.applied} == held & {
        t.id for g in member.groups for t in g.tags}


def test_a_cashier_never_sees_a_full_phone_even_typing_it(demo_store, cashier, advisor):
    row = demo_store.one("SELECT id, phone FROM members ORDER BY id LIMIT 1")
    masked = row["phone"][:3] + "****" + row["phone"][-4:]
    assert checkout_member(demo_store, cashier, row["id"]).phone == masked
    assert checkout_member(demo_store, advisor, row["id"]).phone == row["phone"]
    found = lookup(demo_store, cashier, row["phone"])
    assert [h.phone for h in found.hits] == [masked]
    assert row["phone"] not in (lookup(demo_store, cashier, "13900000000").message or "")
    enrolled = enrol_lead(demo_store, cashier, "13900000000")
    assert enrolled.phone == "139****0000"
    assert checkout_member(demo_store, cashier, enrolled.member_id).phone == "139****0000"


def test_a_tag_change_shows_in_the_read(demo_store, cashier):
    member_id = demo_store.scalar("SELECT min(id) FROM members")
    tag = next(t for g in checkout_member(demo_store, cashier, member_id).groups if g.id == 2 for t in g.tags
               if not t.applied)
    toggle_tag(demo_store, cashier, member_id, tag.id)
    after = {t.id: t.applied for g in checkout_member(demo_store, cashier, member_id).groups for t in g.tags}
    assert after[tag.id] is True


def test_unknown_member_and_a_lead_followed_to_hqs_id(demo_store, cashier):
    with pytest.raises(UnknownMember):
        checkout_member(demo_store, cashier, 10**9)
    enrolled = enrol_lead(demo_store, cashier, "13900000001")
    assert confirmed_id(demo_store, enrolled.lead_uuid) is None
    demo_store.conn.execute("INSERT INTO lead_ids(lead_uuid, member_id) VALUES (?, ?)", (enrolled.lead_uuid, 42))
    assert confirmed_id(demo_store, enrolled.lead_uuid) == 42
    assert confirmed_id(demo_store, None) is None
