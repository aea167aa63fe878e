"""HQ's push-tasks: created with targets, changed, cancelled and expired; the store's devices follow by pull."""

from __future__ import annotations

from tests.hq.test_admin_support import ADMIN, Device, at, mutation, ok, refused

TASK = {"store_code": "SH001", "title": "会员日邀约", "kind": "product_launch", "priority": 1,
        "script": "您好，本周六会员日……", "start_date": "2026-01-01", "due_date": "2099-12-31"}


def _create(admin, targets: list[dict], **extra) -> dict:
    return ok(admin.post("/v1/admin/tasks", json={**TASK, **extra, "targets": targets}), 201)


def test_a_new_task_reaches_the_stores_advisors_not_its_cashiers(api):
    admin = api(*ADMIN)
    advisor, cashier = Device(api("SH001", "A002")), Device(api("SH001", "C001"))
    other_store = Device(api("SH002", "A101"))
    task = _create(admin, [{"member_id": 1000001}, {"member_id": 1000003, "advisor_id": "A002"}], assignee_id="A002")
    assert (task["status"], task["targets"], task["store_code"]) == ("pending", 2, "SH001")
    seen = advisor.pull()
    assert seen.doc("task", task["id"])["title"] == "会员日邀约"
    assert seen.doc("task", task["id"])["assignee_id"] == "A002"
    targets = seen.of("task_target")
    assert {k: t["advisor_id"] for k, t in targets.items()} == {
        f"{task['id']}:1000001": advisor.state["member"]["1000001"]["advisor_id"], f"{task['id']}:1000003": "A002"}
    assert cashier.pull().upserts == {} and other_store.pull().upserts == {}


def test_bad_tasks_are_refused_and_nothing_is_created(api):
    admin = api(*ADMIN)
    advisor = Device(api("SH001", "A001"))
    before = ok(admin.get("/v1/admin/tasks"))
    for extra, targets, status, code in [
        ({}, [{"member_id": 1000001}, {"member_id": 11000001}], 422, "other_store"),
        ({}, [{"member_id": 1000001}, {"member_id": 1000001}], 422, "duplicate_target"),
        ({}, [{"member_id": 1000001, "advisor_id": "A101"}], 422, "other_store"),
        ({"assignee_id": "C001"}, [{"member_id": 1000001}], 422, "wrong_role"),
        ({"store_code": "XX999"}, [{"member_id": 1000001}], 404, "unknown_store"),
        ({"due_date": "2025-12-31"}, [{"member_id": 1000001}], 422, "invalid_request"),
        ({"kind": "party"}, [{"member_id": 1000001}], 422, "invalid_request"),
        ({}, [], 422, "invalid_request"),
        ({}, [{"member_id": 4242}], 404, "unknown_member"),
    ]:
        refused(admin.post("/v1/admin/tasks", json={**TASK, **extra, "targets": targets}), status, code)
    assert ok(admin.get("/v1/admin/tasks")) == before
    assert advisor.pull().upserts == {}


def test_cancelling_wins_over_a_device_finishing_the_task_offline(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    advisor = Device(a001)
    task = _create(admin, [{"member_id": 1000000}])
    advisor.pull()
    cancelled = ok(admin.post(f"/v1/admin/tasks/{task['id']}/cancel"))
    assert cancelled["status"] == "cancelled"
    assert advisor.pull().doc("task", task["id"])["status"] == "cancelled"
    late = a001.push(mutation("task_target.outcome", "A001", {"task_id": task["id"], "member": 1000000,
                                                              "outcome": "reached", "note": "", "at": at(5)}))[0]
    assert (late["status"], late["reason"]) == ("rejected", "task_cancelled")
    refused(admin.post(f"/v1/admin/tasks/{task['id']}/cancel"), 409, "task_closed")
    refused(admin.post(f"/v1/admin/tasks/{task['id']}/targets", json={"targets": [{"member_id": 1000001}]}), 409,
            "task_closed")
    refused(admin.post("/v1/admin/tasks/99999/cancel"), 404, "unknown_task")


def test_targets_can_be_added_and_removed_while_nobody_worked_on_them(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    advisor = Device(a001)
    task = _create(admin, [{"member_id": 1000000}, {"member_id": 1000003}])
    added = ok(admin.post(f"/v1/admin/tasks/{task['id']}/targets",
                          json={"targets": [{"member_id": 1000006}, {"member_id": 1000003}]}))
    assert (added["added"], added["already_targets"]) == ([1000006], [1000003])
    assert set(advisor.pull().of("task_target")) == {f"{task['id']}:{m}" for m in (1000000, 1000003, 1000006)}
    result = a001.push(mutation("task_target.outcome", "A001", {"task_id": task["id"], "member": 1000000,
                                                                "outcome": "interested", "note": "", "at": at(1)}))[0]
    assert result["status"] == "applied"
    advisor.pull()
    refused(admin.post(f"/v1/admin/tasks/{task['id']}/targets/remove", json={"member_ids": [1000000, 1000003]}),
            409, "target_worked")
    refused(admin.post(f"/v1/admin/tasks/{task['id']}/targets/remove", json={"member_ids": [1000009]}),
            404, "unknown_target")
    assert advisor.pull().upserts == {}
    removed = ok(admin.post(f"/v1/admin/tasks/{task['id']}/targets/remove", json={"member_ids": [1000003]}))
    assert removed["removed"] == [1000003]
    seen = advisor.pull()
    assert seen.deleted("task_target") == {f"{task['id']}:1000003"}
    assert f"{task['id']}:1000003" not in advisor.state["task_target"]


def test_overdue_tasks_expire_and_devices_see_it(api):
    admin = api(*ADMIN)
    advisor = Device(api("SH001", "A001"))
    old = _create(admin, [{"member_id": 1000000}], start_date="2026-01-01", due_date="2026-01-31")
    future = _create(admin, [{"member_id": 1000000}])
    advisor.pull()
    result = ok(admin.post("/v1/admin/tasks/expire", json={"today": "2026-02-01"}))
    assert old["id"] in result["expired"] and future["id"] not in result["expired"]
    seen = advisor.pull()
    assert seen.doc("task", old["id"])["status"] == "expired"
    assert str(future["id"]) not in seen.of("task")
    listed = {t["id"]: t for t in ok(admin.get("/v1/admin/tasks", params={"store_code": "SH001"}))}
    assert (listed[old["id"]]["status"], listed[old["id"]]["targets"], listed[old["id"]]["open"]) == ("expired", 1, 1)
    assert ok(admin.post("/v1/admin/tasks/expire", json={"today": "2026-02-01"}))["expired"] == []
    refused(admin.post("/v1/admin/tasks/expire", json={"today": "yesterday"}), 422)
