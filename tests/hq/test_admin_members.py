"""HQ's member tools: CSV import, edits, reassigning advisors, member codes; devices see each by pull."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from associate_app.errors import MemberCodeExpired
from associate_app.lookup.member_code import verify_code
from tests.hq.test_admin_support import ADMIN, Device, at, mutation, ok, refused

HEADER = "card_no,phone,name,gender,birthday,level,points,store_code,advisor_id,join_date"
NEW_A = "880090000001,13912340001,新会员甲,F,1991-03-04,silver,120,SH001,A002,2026-01-05"
BAD = "880090000002,1391234000,新会员乙,F,1990-13-01,gold,50,SH001,A002,2026-01-05"
WRONG_ADVISOR = "880090000003,13912340003,新会员丙,M,,regular,,SH002,A001,"


def _phone(hq_db, member_id: int) -> str:
    with hq_db.read() as tx:
        return tx.scalar("SELECT phone FROM members WHERE id = ?", (member_id,))


def _csv(*lines: str) -> str:
    return "\ufeff" + "\r\n".join((HEADER, *lines)) + "\r\n"  # as Excel saves "CSV UTF-8"


def test_csv_import_is_all_or_nothing_with_numbered_errors(api, hq_db):
    admin = api(*ADMIN)
    store = Device(api("SH001", "M001"))
    error = refused(admin.post("/v1/admin/members/import", json={"csv": _csv(NEW_A, BAD, WRONG_ADVISOR)}), 422,
                    "invalid_csv")
    assert [(e["line"], e["column"]) for e in error["errors"]] == [(3, "phone"), (3, "birthday"), (4, None)]
    assert "2 rows have errors" in error["message"] and "line 3 (phone)" in error["message"]
    assert "A001 is not an active advisor of store SH002" in error["errors"][2]["message"]
    assert store.pull().upserts == {}
    existing = f"880001000005,{_phone(hq_db, 1000005)},改过名,F,,black_gold,,SH001,,"
    fixed = WRONG_ADVISOR.replace("A001", "A101")
    report = ok(admin.post("/v1/admin/members/import", json={"csv": _csv(NEW_A, fixed, existing)}))
    assert (report["created"], report["updated"], report["unchanged"], report["skipped"]) == (2, 1, 0, [])
    seen = store.pull().of("member")
    new = next(m for m in seen.values() if m["card_no"] == "880090000001")
    assert (new["name"], new["advisor_id"], new["level"], new["points"], new["phone"]) == (
        "新会员甲", "A002", "silver", 120, "13912340001")
    updated = seen["1000005"]
    assert (updated["name"], updated["level"], updated["version"]) == ("改过名", "black_gold", 2)
    assert "880090000003" not in {m["card_no"] for m in seen.values()}  # SH002's, not this store's
    again = ok(admin.post("/v1/admin/members/import", json={"csv": _csv(NEW_A, fixed, existing)}))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert store.pull().upserts == {}


def test_skip_bad_imports_the_good_rows_and_reports_the_others(api):
    admin = api(*ADMIN)
    report = ok(admin.post("/v1/admin/members/import", json={"csv": _csv(BAD, NEW_A), "skip_bad": True}))
    assert report["created"] == 1 and {e["line"] for e in report["skipped"]} == {2}


@pytest.mark.parametrize(("text", "problem"), [
    ("name,phone\n张三,13900000000\n", "missing columns: card_no, store_code"),
    (HEADER + ",shoe_size\n", "unknown columns: shoe_size"),
    ("", "missing columns"),
    (HEADER + "\n1,2\n", "2 cells where the header has 10 columns"),
])
def test_a_broken_file_is_refused_with_a_reason(api, text, problem):
    error = refused(api(*ADMIN).post("/v1/admin/members/import", json={"csv": text}), 422, "invalid_csv")
    assert problem in error["message"] or problem in str(error.get("errors"))


def test_hq_edit_reaches_devices_with_a_new_version(api, hq_db):
    admin = api(*ADMIN)
    store = Device(api("SH001", "A001"))
    before = store.state["member"]["1000001"]
    edited = ok(admin.request("PATCH", "/v1/admin/members/1000001",
                              json={"level": "gold", "address": "上海市浦东新区新地址1号", "gender": None}))
    assert edited["version"] == before["version"] + 1
    doc = store.pull().doc("member", 1000001)
    assert (doc["level"], doc["address"], doc["gender"], doc["version"]) == (
        "gold", "上海市浦东新区新地址1号", None, before["version"] + 1)
    for body, status, code in [
        ({"phone": _phone(hq_db, 1000002)}, 409, "phone_taken"),
        ({"phone": "12345"}, 422, "invalid_request"),
        ({"advisor_id": "A101"}, 422, "other_store"),
        ({"advisor_id": "C001"}, 422, "wrong_role"),
        ({"card_no": "1"}, 422, "invalid_request"),
        ({"birthday": "2999-01-01"}, 422, "invalid_request"),
        ({"level": "diamond"}, 422, "invalid_request"),
    ]:
        refused(admin.request("PATCH", "/v1/admin/members/1000001", json=body), status, code)
    refused(admin.request("PATCH", "/v1/admin/members/999", json={"level": "gold"}), 404, "unknown_member")
    assert store.pull().upserts == {}


def _open_targets(hq_db, advisor: str) -> dict[str, str]:
    """task:member → advisor of the open targets of live tasks whose member ``advisor`` serves."""
    with hq_db.read() as tx:
        rows = tx.all("SELECT tt.task_id, tt.member_id, tt.outcome FROM task_targets tt"
                      " JOIN tasks t ON t.id = tt.task_id JOIN members m ON m.id = tt.member_id"
                      " WHERE m.advisor_id = ? AND t.status IN ('pending', 'in_progress')", (advisor,))
    return {f"{t}:{m}": o for t, m, o in rows}


def test_reassigning_an_advisors_members_moves_their_open_targets(api, hq_db):
    admin = api(*ADMIN)
    store = Device(api("SH001", "M001"))
    theirs = {k for k, m in store.state["member"].items() if m["advisor_id"] == "A001"}
    targets = _open_targets(hq_db, "A001")
    open_ones = {k for k, o in targets.items() if o in (None, "not_reachable")}
    worked = {k for k, o in targets.items() if o not in (None, "not_reachable")}
    assert open_ones and worked
    result = ok(admin.post("/v1/admin/members/reassign", json={"from_advisor": "A001", "to_advisor": "A003"}))
    assert (result["moved"], result["targets_moved"]) == (len(theirs), len(open_ones))
    seen = store.pull()
    assert {k for k, m in seen.of("member").items() if m["advisor_id"] == "A003"} == theirs
    assert set(seen.of("task_target")) == open_ones
    assert all(store.state["task_target"][k]["advisor_id"] == "A003" for k in open_ones)
    assert all(store.state["task_target"][k]["advisor_id"] != "A003" for k in worked)


def test_reassigning_across_stores_or_to_a_non_advisor_changes_nothing(api):
    admin = api(*ADMIN)
    store = Device(api("SH001", "M001"))
    for body, status, code in [
        ({"member_ids": [1000001, 11000000], "to_advisor": "A002"}, 422, "other_store"),
        ({"member_ids": [1000001], "to_advisor": "C001"}, 422, "wrong_role"),
        ({"member_ids": [1000001, 424242], "to_advisor": "A002"}, 404, "unknown_member"),
        ({"to_advisor": "A002"}, 422, "invalid_request"),
        ({"from_advisor": "A001", "member_ids": [1000001], "to_advisor": "A002"}, 422, "invalid_request"),
        ({"from_advisor": "A002", "to_advisor": "A002"}, 422, "same_advisor"),
    ]:
        refused(admin.post("/v1/admin/members/reassign", json=body), status, code)
    assert store.pull().upserts == {}
    ok(admin.post("/v1/admin/members/reassign", json={"member_ids": [1000001], "to_advisor": "A003"}))
    assert store.pull().doc("member", 1000001)["advisor_id"] == "A003"


def test_a_member_code_verifies_with_the_key_devices_pull(api):
    cashier = Device(api("SH001", "C001"))
    public_key = cashier.state["setting"]["member_code_public_key"]["value"]
    issued = ok(api(*ADMIN).post("/v1/admin/members/1000007/code", json={"ttl_seconds": 120}))
    now = dt.datetime.now(dt.UTC)
    assert verify_code(public_key, issued["code"], now) == 1000007
    expires = dt.datetime.fromisoformat(issued["expires_at"].replace("Z", "+00:00"))
    assert 100 <= (expires - now).total_seconds() <= 121
    with pytest.raises(MemberCodeExpired):
        verify_code(public_key, issued["code"], now + dt.timedelta(seconds=300))
    default = ok(api(*ADMIN).post("/v1/admin/members/1000007/code"))
    assert verify_code(public_key, default["code"], now) == 1000007
    refused(api(*ADMIN).post("/v1/admin/members/1000007/code", json={"ttl_seconds": 86_401}), 422)
    refused(api(*ADMIN).post("/v1/admin/members/999/code", json={}), 404, "unknown_member")


def test_an_imported_id_is_never_handed_out_again(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    text = "id,card_no,phone,name,store_code\n90000002,880099999999,13912349999,带编号的会员,SH001\n"
    assert ok(admin.post("/v1/admin/members/import", json={"csv": text}))["created"] == 1
    enrolled = a001.push(mutation("member.enrol", "A001", {"lead": str(uuid.uuid4()), "phone": "13700003333",
                                                           "name": "新线索", "store_code": "SH001",
                                                           "advisor_id": "A001", "at": at(1)}))[0]
    assert enrolled["status"] == "applied" and enrolled["member_id"] > 90000002
