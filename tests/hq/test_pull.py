"""Pull: keyset pages over the change sequence, scoped to the caller's store and role."""

from __future__ import annotations

from hq.pull import pull_page  # noqa: F401  (imported so a broken module fails here first)


def test_advisor_downloads_own_store_only(api, hq_db):
    advisor = api("SH001", "A001")
    state, cursor = advisor.pull_all(limit=50)
    members = state["member"]
    assert len(members) == 60
    assert {m["store_code"] for m in members.values()} == {"SH001"}
    assert all(len(m["phone"]) == 11 and "*" not in m["phone"] for m in members.values())
    assert {g["id"] for g in state["tag_group"].values()} == {1, 2, 3, 4, 5, 10, 11, 12}
    assert "member_code_public_key" in state["setting"]
    assert "member_code_private_key" not in state["setting"]
    assert {t["store_code"] for t in state["task"].values()} == {"SH001"}
    assert state["task_target"] and state["interaction"]
    # nothing new: the next pull is empty and keeps the cursor
    r = advisor.get("/v1/pull", params={"cursor": cursor})
    assert r.status_code == 200 and r.json()["count"] == 0 and r.json()["cursor"] == cursor


def test_cashier_gets_masked_phones_and_only_cashier_groups(api):
    cashier = api("SH001", "C001")
    state, _ = cashier.pull_all()
    members = state["member"]
    assert len(members) == 60
    assert all(m["phone"][3:7] == "****" for m in members.values())
    assert all("address" not in m and "birthday" not in m for m in members.values())
    assert {g["id"] for g in state["tag_group"].values()} == {1, 2, 4}
    cashier_groups = {1, 2, 4}
    tag_group = {t["id"]: t["group_id"] for t in state["tag"].values()}
    assert all(tag_group[t[0]] in cashier_groups for m in members.values() for t in m["tags"])
    assert "task" not in state and "interaction" not in state
