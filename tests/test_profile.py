"""The 360° member profile: header, children's ages, tags by group, timeline, tasks, corrections; cashier's view."""

from __future__ import annotations

import datetime as dt

import pytest

from associate_app import clock
from associate_app.demo.generator import StorePlan, staff, tag_catalogue
from associate_app.domain.profile import age_label, member_profile, months_before
from associate_app.errors import InvalidInput, UnknownMember
from associate_app.store import hq_data

NOW = dt.datetime(2026, 6, 15, 9, 30).astimezone()  # the store's morning, wherever it is
MEMBER = 2_000_001


@pytest.fixture
def profile_store(store):
    """One fully described member (and a neighbour) in an otherwise empty store, at a fixed today."""
    groups, tags = tag_catalogue()
    member = {
        "id": MEMBER, "card_no": "880002000001", "phone": "13812345678", "name": "王小美", "gender": "F",
        "birthday": "1990-05-02", "level": "gold", "points": 3200, "store_code": "SH001", "advisor_id": "A001",
        "status": "quasi", "join_date": "2024-01-10", "lifecycle": "active", "rfm_segment": "重要价值",
        "address": "上海市浦东新区金桥路1号", "version": 3,
        "purchase_summary": {"orders_12m": 9, "total_12m": 2700, "avg_basket": 300,
                             "top_categories": ["奶粉", "辅食"], "last_order": "2026-06-01"},
        "children": [
            {"id": 1, "name": "大宝", "gender": "M", "birthday": "2023-03-15"},
            {"id": 2, "name": "二宝", "gender": "F", "birthday": "2025-11-20"},
            {"id": 3, "name": None, "gender": None, "birthday": None, "due_date": "2026-09-01"},
            {"id": 4, "name": "小宝", "gender": "F", "birthday": "2026-06-03"},
            {"id": 5, "name": "表姐", "gender": "F", "birthday": "2024-06-15"},
        ],
    }
    with store.write():
        hq_data.upsert_staff(store, staff(StorePlan()))
        hq_data.upsert_tag_groups(store, groups)
        hq_data.upsert_tags(store, tags)
        hq_data.upsert_members(store, [member, {"id": MEMBER + 1, "name": "邻居", "advisor_id": "A002"}])
        hq_data.put_member_tags(store, [{"member_id": MEMBER, "tag_id": t, "applied_by": "A001"}
                                        for t in (102, 203, 201, 302, 1001, 1103, 1101)])
        hq_data.upsert_tasks(store, [
            {"id": 1, "title": "进行中", "status": "in_progress", "priority": 2, "due_date": "2026-06-20"},
            {"id": 2, "title": "未开始", "status": "pending", "priority": 1, "due_date": "2026-06-30"},
            {"id": 3, "title": "已成交", "status": "in_progress"},
            {"id": 4, "title": "已取消", "status": "cancelled"},
        ])
        hq_data.upsert_task_targets(store, [
            {"task_id": 1, "member_id": MEMBER, "advisor_id": "A001"},
            {"task_id": 2, "member_id": MEMBER, "advisor_id": "A001", "outcome": "not_reachable"},
            {"task_id": 3, "member_id": MEMBER, "advisor_id": "A001", "outcome": "converted"},
            {"task_id": 4, "member_id": MEMBER, "advisor_id": "A001"},
        ])
        hq_data.insert_interactions(store, [
            {"id": f"i{n:02d}", "member_id": MEMBER, "staff_id": "A001" if n % 2 else "A002", "type": "call",
             "note": f"第{n}次", "occurred_at": f"2026-05-{n:02d}T03:00:00.000Z"}
            for n in range(1, 26)
        ])
        store.conn.executemany(
            "INSERT INTO corrections(id, member_id, field, new_value, base_version, staff_id, created_at, status) "
            "VALUES (?, ?, 'address', ?, 3, 'A001', ?, ?)",
            [(f"c{n}", MEMBER, f"地址{n}", f"2026-06-0{n}T00:00:00.000Z", status)
             for n, status in enumerate(("pending", "submitted", "accepted", "rejected"), start=1)],
        )
    with clock.frozen(NOW):
        yield store


def test_header_shows_the_member_as_hq_has_them(profile_store, advisor):
    header = member_profile(profile_store, advisor, MEMBER).header
    assert (header.name, header.level, header.points, header.phone) == ("王小美", "gold", 3200, "13812345678")
    assert (header.status, header.card_no, header.join_date) == ("quasi", "880002000001", "2024-01-10")
    assert (header.lifecycle, header.rfm_segment, header.advisor_name) == ("active", "重要价值", "李娜")
    assert header.address == "上海市浦东新区金桥路1号"


def test_children_youngest_first_with_ages_in_months_and_words(profile_store, advisor):
    children = member_profile(profile_store, advisor, MEMBER).children
    assert [(c.child_id, c.months, c.label) for c in children] == [
        (3, None, "预产期 2026-09-01"),
        (4, 0, "12天"),
        (2, 6, "6个月"),
        (5, 24, "2岁"),
        (1, 39, "3岁3个月"),
    ]


def test_tags_split_into_read_only_automatic_and_manual_by_group(profile_store, advisor):
    profile = member_profile(profile_store, advisor, MEMBER)
    assert [(t.group_name, t.name) for t in profile.automatic_tags] == [
        ("RFM分层", "重要价值"), ("品类偏好", "奶粉"), ("品类偏好", "辅食")]
    groups = {g.name: g for g in profile.manual_tags}
    assert list(groups) == ["家庭阶段", "育儿关注", "价格敏感度", "到店偏好", "沟通备注"]  # HQ's order, empty ones too
    assert [t.name for t in groups["家庭阶段"].tags] == ["孕期"]
    assert [t.name for t in groups["育儿关注"].tags] == ["奶粉喂养", "辅食添加"]  # tag order, not applied order
    assert groups["家庭阶段"].choice == "single" and groups["育儿关注"].choice == "multi"
    assert groups["到店偏好"].tags == () and all(g.editable for g in groups.values())
    assert groups["育儿关注"].tags[0].applied_by == "A001"


def test_retired_group_shows_only_if_the_member_has_its_tags_and_is_then_read_only(profile_store, advisor):
    with profile_store.write():
        profile_store.conn.execute("UPDATE tag_groups SET retired = 1 WHERE id IN (3, 5)")
    groups = {g.group_id: g for g in member_profile(profile_store, advisor, MEMBER).manual_tags}
    assert set(groups) == {1, 2, 3, 4} and not groups[3].editable


def test_cashier_sees_the_tills_reduced_profile(profile_store, cashier):
    profile = member_profile(profile_store, cashier, MEMBER)
    assert profile.reduced and profile.header.phone == "138****5678" and profile.header.address is None
    assert profile.timeline == () and profile.corrections == () and profile.automatic_tags == ()
    assert [g.name for g in profile.manual_tags] == ["家庭阶段", "育儿关注", "到店偏好"]
    assert all(g.editable for g in profile.manual_tags)
    assert len(profile.children) == 5  # the stage of the family is what a cashier tags from


def test_timeline_is_the_last_twenty_contacts_newest_first_with_staff_names(profile_store, advisor):
    timeline = member_profile(profile_store, advisor, MEMBER).timeline
    assert [e.note for e in timeline] == [f"第{n}次" for n in range(25, 5, -1)]
    assert {(e.staff_id, e.staff_name) for e in timeline} == {("A001", "李娜"), ("A002", "王芳")}


def test_open_targets_are_unfinished_targets_of_live_tasks(profile_store, advisor):
    targets = member_profile(profile_store, advisor, MEMBER).open_targets
    assert [(t.task_id, t.outcome) for t in targets] == [(2, "not_reachable"), (1, None)]  # by priority


def test_only_corrections_still_waiting_for_hq_are_shown(profile_store, advisor):
    corrections = member_profile(profile_store, advisor, MEMBER).corrections
    assert [(c.new_value, c.status) for c in corrections] == [("地址1", "pending"), ("地址2", "submitted")]


def test_own_member_flag_and_manager_view(profile_store, advisor, other_advisor, manager):
    assert member_profile(profile_store, advisor, MEMBER).is_own
    assert not member_profile(profile_store, other_advisor, MEMBER).is_own
    full = member_profile(profile_store, manager, MEMBER)
    assert not full.reduced and full.header.phone == "13812345678" and len(full.timeline) == 20
    assert all(g.editable for g in full.manual_tags)


def test_purchase_summary_is_decoded_and_broken_json_is_no_summary(profile_store, advisor):
    purchase = member_profile(profile_store, advisor, MEMBER).purchase
    assert (purchase.orders_12m, purchase.total_12m, purchase.top_categories) == (9, 2700, ("奶粉", "辅食"))
    with profile_store.write():
        profile_store.conn.execute("UPDATE members SET purchase_summary = '{oops' WHERE id = ?", (MEMBER,))
    assert member_profile(profile_store, advisor, MEMBER).purchase is None
    assert member_profile(profile_store, advisor, MEMBER + 1).purchase is None  # HQ sent none


def test_unknown_or_malformed_member_id_is_refused(profile_store, advisor):
    with pytest.raises(UnknownMember):
        member_profile(profile_store, advisor, 42)
    with pytest.raises(InvalidInput):
        member_profile(profile_store, advisor, str(MEMBER))


def test_demo_member_profile_matches_its_rows(demo_store, advisor):
    member_id = 1_000_003
    profile = member_profile(demo_store, advisor, member_id)
    tags = {r["tag_id"] for r in demo_store.all("SELECT tag_id FROM member_tags WHERE member_id = ?", (member_id,))}
    shown = {t.tag_id for t in profile.automatic_tags} | {t.tag_id for g in profile.manual_tags for t in g.tags}
    assert shown == tags
    assert len(profile.children) == demo_store.scalar("SELECT count(*) FROM children WHERE member_id = ?",
                                                      (member_id,))


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-08-31", 6, "2026-02-28"), ("2024-03-31", 1, "2024-02-29"), ("2026-01-15", 1, "2025-12-15"),
    ("2026-06-15", 72, "2020-06-15"), ("2026-06-15", 0, "2026-06-15"),
])
def test_months_before_clamps_to_the_end_of_shorter_months(day, months, expected):
    assert months_before(dt.date.fromisoformat(day), months).isoformat() == expected


@pytest.mark.parametrize(("born", "expected"), [
    ("2026-06-15", "0天"), ("2026-05-16", "30天"), ("2026-05-15", "1个月"), ("2024-06-16", "23个月"),
    ("2024-06-15", "2岁"), ("2019-01-01", "7岁5个月"), ("2026-07-01", "0天"),
])
def test_age_label(born, expected):
    assert age_label(dt.date.fromisoformat(born), dt.date(2026, 6, 15)) == expected
