"""HQ defines the tag catalogue; devices receive every change by pull, cashiers only what they may apply."""

from __future__ import annotations

from tests.hq.test_admin_support import ADMIN, Device, at, mutation, ok, refused


def _holders(hq_db, group_id: int) -> set[int]:
    with hq_db.read() as tx:
        return {r[0] for r in tx.all("SELECT DISTINCT mt.member_id FROM member_tags mt JOIN tags t ON t.id = mt.tag_id"
                                     " WHERE t.group_id = ? AND mt.present = 1", (group_id,))}


def test_new_groups_and_tags_reach_the_roles_that_may_apply_them(api):
    admin = api(*ADMIN)
    advisor, cashier = Device(api("SH001", "A001")), Device(api("SH001", "C001"))
    body = {"name": "到店目的", "choice": "single", "sort_order": 6, "roles": ["cashier", "advisor", "cashier"],
            "color": "#123abc"}
    group = ok(admin.post("/v1/admin/tag-groups", json=body), 201)
    assert (group["id"], group["roles"], group["retired"]) == (13, ["advisor", "cashier"], False)
    tag = ok(admin.post("/v1/admin/tag-groups/13/tags", json={"name": "买奶粉"}), 201)
    given = ok(admin.post("/v1/admin/tag-groups/13/tags", json={"id": 1399, "name": "看童装"}), 201)
    hidden = ok(admin.post("/v1/admin/tag-groups", json={"name": "导购私记", "roles": ["advisor"]}), 201)
    assert (tag["id"], given["id"], hidden["id"]) == (1301, 1399, 14)
    seen = advisor.pull()
    assert seen.doc("tag_group", 13)["choice"] == "single" and seen.doc("tag_group", 14)["name"] == "导购私记"
    assert set(seen.of("tag")) == {"1301", "1399"}
    till = cashier.pull()
    assert set(till.of("tag_group")) == {"13"} and set(till.of("tag")) == {"1301", "1399"}


def test_taking_a_role_off_a_group_republishes_its_members_for_cashiers(api, hq_db):
    admin = api(*ADMIN)
    cashier = Device(api("SH001", "C001"))
    holders = {str(m) for m in _holders(hq_db, 4)} & set(cashier.state["member"])
    assert holders and all(any(t[0] // 100 == 4 for t in cashier.state["member"][m]["tags"]) for m in holders)
    ok(admin.request("PATCH", "/v1/admin/tag-groups/4", json={"roles": ["advisor"]}))
    seen = cashier.pull()
    assert "4" in seen.deleted("tag_group") and {"401", "402", "403", "404"} <= seen.deleted("tag")
    assert holders <= set(seen.of("member"))
    assert not any(t[0] // 100 == 4 for m in holders for t in cashier.state["member"][m]["tags"])
    ok(admin.request("PATCH", "/v1/admin/tag-groups/4", json={"roles": ["advisor", "cashier"]}))
    seen = cashier.pull()
    assert seen.doc("tag_group", 4)["roles"] == ["advisor", "cashier"]
    assert all(any(t[0] // 100 == 4 for t in seen.doc("member", m)["tags"]) for m in holders)


def test_a_retired_tag_or_group_refuses_an_offline_apply_and_can_come_back(api):
    admin, a001 = api(*ADMIN), api("SH001", "A001")
    advisor = Device(a001)
    member = int(next(iter(advisor.state["member"])))

    def apply(tag_id: int) -> dict:
        payload = {"member": member, "tag_id": tag_id, "group_id": tag_id // 100, "at": at(1), "replaces": []}
        return a001.push(mutation("tag.apply", "A001", payload))[0]

    assert ok(admin.request("PATCH", "/v1/admin/tags/503", json={"retired": True}))["retired"] is True
    assert advisor.pull().doc("tag", 503)["retired"] is True
    assert (apply(503)["status"], apply(503)["reason"]) == ("rejected", "tag_retired")
    ok(admin.request("PATCH", "/v1/admin/tags/503", json={"retired": False, "name": "关注会员日"}))
    back = advisor.pull().doc("tag", 503)
    assert (back["retired"], back["name"]) == (False, "关注会员日")
    assert apply(503)["status"] == "applied"
    ok(admin.request("PATCH", "/v1/admin/tag-groups/5", json={"retired": True}))
    assert advisor.pull().doc("tag_group", 5)["retired"] is True
    assert apply(504)["reason"] == "tag_retired"


def test_bad_catalogue_input_is_refused_and_changes_nothing(api, hq_db):
    admin = api(*ADMIN)
    advisor = Device(api("SH001", "A001"))
    before = ok(admin.get("/v1/admin/tag-groups"))
    holders = _holders(hq_db, 2)
    with hq_db.read() as tx:  # the seed gives some members several "parenting concern" tags (multi-choice group 2)
        assert tx.scalar("SELECT count(*) FROM member_tags WHERE tag_id BETWEEN 201 AND 299 AND present = 1") > len(
            holders)
    attempts = [
        ("POST", "/v1/admin/tag-groups", {"name": "x", "roles": ["hq_admin"]}, 422, "invalid_request"),
        ("POST", "/v1/admin/tag-groups", {"name": "x", "kind": "automatic", "roles": ["advisor"]}, 422,
         "invalid_roles"),
        ("POST", "/v1/admin/tag-groups", {"id": 3, "name": "x"}, 409, "id_taken"),
        ("POST", "/v1/admin/tag-groups", {"name": "   "}, 422, "invalid_request"),
        ("POST", "/v1/admin/tag-groups", {"name": "x", "colour": "#ffffff"}, 422, "invalid_request"),
        ("POST", "/v1/admin/tag-groups", {"name": "a\u0000b"}, 422, "invalid_request"),
        ("POST", "/v1/admin/tag-groups/99/tags", {"name": "x"}, 404, "unknown_tag_group"),
        ("POST", "/v1/admin/tag-groups/1/tags", {"id": 101, "name": "x"}, 409, "id_taken"),
        ("PATCH", "/v1/admin/tag-groups/2", {"choice": "single"}, 409, "group_has_multiple"),
        ("PATCH", "/v1/admin/tag-groups/2", {}, 422, "nothing_to_change"),
        ("PATCH", "/v1/admin/tag-groups/2", {"name": None}, 422, "invalid_request"),
        ("PATCH", "/v1/admin/tag-groups/99999999999999999999", {"name": "x"}, 422, "invalid_request"),
        ("PATCH", "/v1/admin/tags/9999", {"name": "x"}, 404, "unknown_tag"),
        ("PATCH", "/v1/admin/tags/101", {"color": "red"}, 422, "invalid_request"),
    ]
    for method, path, body, status, code in attempts:
        refused(admin.request(method, path, json=body), status, code)
    assert ok(admin.get("/v1/admin/tag-groups")) == before
    assert advisor.pull().upserts == {}
