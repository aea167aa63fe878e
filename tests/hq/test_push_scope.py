"""Scope and roles on push: each role tries what it must not do, and HQ refuses it, whatever the device did."""

from __future__ import annotations

from tests.hq import test_push_support as kit
from tests.hq.api import Api
from tests.hq.test_push_support import SH001_MEMBER


def test_an_advisor_cannot_act_on_another_stores_member(api, hq_db):
    advisor = api("SH002", "A101")
    results = advisor.push(kit.tag("apply", "A101", SH001_MEMBER, 203, kit.ago(1)),
                           kit.interaction("A101", SH001_MEMBER),
                           kit.correction("A101", SH001_MEMBER, "address", "南京路1号", 1),
                           kit.outcome("A101", 500, SH001_MEMBER))
    assert kit.statuses(results) == [("rejected", "not_your_store")] * 4
    assert all(r["current"] is None for r in results)  # nothing of the other store's member is shown
    assert 203 not in kit.present_tags(hq_db, SH001_MEMBER, 2)
    assert kit.scalar(hq_db, "SELECT count(*) FROM applied_mutations WHERE staff_id = 'A101'") == 4


def test_a_cashier_may_use_only_the_cashier_groups(api, hq_db):
    cashier = api("SH001", "C001")
    results = cashier.push(kit.tag("apply", "C001", SH001_MEMBER, 301, kit.ago(1)),  # 价格敏感度: advisors only
                           kit.tag("apply", "C001", SH001_MEMBER, 502, kit.ago(1)),  # 沟通备注: advisors only
                           kit.tag("remove", "C001", SH001_MEMBER, 302, kit.ago(1)),
                           kit.tag("apply", "C001", SH001_MEMBER, 402, kit.ago(1)))  # 到店偏好: cashiers too
    assert kit.statuses(results) == [("rejected", "tag_not_allowed")] * 3 + [("applied", None)]
    assert kit.present_tags(hq_db, SH001_MEMBER, 3) == [302]
    assert kit.present_tags(hq_db, SH001_MEMBER, 5) == []


def test_a_cashier_cannot_log_interactions_or_work_tasks(api, hq_db):
    cashier = api("SH001", "C001")
    results = cashier.push(kit.interaction("C001", SH001_MEMBER), kit.task_status("C001", 503, "done"),
                           kit.outcome("C001", 503, SH001_MEMBER),
                           kit.correction("C001", SH001_MEMBER, "address", "x路", 1))
    assert kit.statuses(results) == [("rejected", "role_not_allowed")] * 4
    assert kit.scalar(hq_db, "SELECT status FROM tasks WHERE id = 503") == "pending"
    assert kit.scalar(hq_db, "SELECT count(*) FROM interactions WHERE staff_id = 'C001'") == 0


def test_the_authors_role_counts_not_the_token_holders(api, hq_db):
    advisor = api("SH001", "A001")
    Api(advisor.base_url, device_id=advisor.device_id).login("SH001", "C001")  # the cashier used this device too
    results = advisor.push(kit.interaction("C001", SH001_MEMBER),
                           kit.tag("apply", "C001", SH001_MEMBER, 203, kit.ago(1)))
    assert kit.statuses(results) == [("rejected", "role_not_allowed"), ("applied", None)]
    assert kit.scalar(hq_db, "SELECT by_staff FROM member_tags WHERE member_id = ? AND tag_id = 203",
                  (SH001_MEMBER,)) == "C001"


def test_an_author_who_never_signed_in_on_this_device_is_refused(api, hq_db):
    advisor = api("SH001", "A001")
    api("SH001", "A002")  # signed in, but on another device
    Api(advisor.base_url, device_id=advisor.device_id).login("SH002", "A101")  # this device, another store
    results = advisor.push(kit.tag("apply", "A002", SH001_MEMBER, 203, kit.ago(1)),
                           kit.tag("apply", "A101", SH001_MEMBER, 204, kit.ago(1)),
                           kit.tag("apply", "HQ001", SH001_MEMBER, 206, kit.ago(1)),
                           kit.tag("apply", "A001", SH001_MEMBER, 207, kit.ago(1)))
    assert kit.statuses(results) == [("rejected", "author_not_on_device")] * 3 + [("applied", None)]
    group = set(kit.present_tags(hq_db, SH001_MEMBER, 2))
    assert 207 in group and not group & {203, 204, 206}


def test_automatic_tags_are_read_only(api, hq_db):
    advisor = api("SH001", "A001")
    results = advisor.push(kit.tag("apply", "A001", SH001_MEMBER, 1102, kit.ago(1)),
                           kit.tag("remove", "A001", SH001_MEMBER, 1001, kit.ago(1)))
    assert kit.statuses(results) == [("rejected", "tag_read_only")] * 2
    assert 1001 in kit.present_tags(hq_db, SH001_MEMBER, 10)


def test_a_manager_acts_where_advisors_may(api, hq_db):
    manager = api("SH001", "M001")
    results = manager.push(kit.tag("apply", "M001", SH001_MEMBER, 503, kit.ago(1)),
                           kit.task_status("M001", 503, "in_progress"))
    assert kit.statuses(results) == [("applied", None)] * 2


def test_push_needs_a_store_account_a_token_and_the_protocol_header(api, hq_db):
    body = {"mutations": [kit.interaction("HQ001", SH001_MEMBER)]}
    admin = api("HQ", "HQ001")
    refused = admin.post("/v1/push", json=body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "no_store_scope"
    anonymous = api()
    assert anonymous.post("/v1/push", json=body).status_code == 401
    advisor = api("SH001", "A001")
    del advisor.session.headers["X-Protocol-Version"]
    assert advisor.post("/v1/push", json=body).json()["error"]["code"] == "protocol_version_missing"
    assert kit.scalar(hq_db, "SELECT count(*) FROM applied_mutations") == 0
