"""Only HQ admins reach /v1/admin: every store role is refused by the server, whatever the request holds."""

from __future__ import annotations

import re

import pytest

from tests.hq.test_admin_support import ADMIN, Device, ok, refused


def _admin_routes(api) -> list[tuple[str, str]]:
    spec = ok(api().get("/openapi.json"))
    routes = [(method.upper(), re.sub(r"\{[^}]+\}", "1000001", path))
              for path, item in spec["paths"].items() if path.startswith("/v1/admin/") for method in item]
    assert len(routes) >= 25
    return routes


@pytest.mark.parametrize("staff_no", ["A001", "C001", "M001"])
def test_store_roles_get_403_on_every_admin_endpoint(api, hq_db, staff_no):
    routes = _admin_routes(api)
    person = api("SH001", staff_no)
    device = Device(person)
    for method, path in routes:
        # a body that would be valid for some endpoints: refused all the same, and nothing changes
        r = person.request(method, path, json={"name": "x", "to_advisor": staff_no, "member_ids": [1000001]})
        refused(r, 403, "admin_only")
    assert device.pull().upserts == {}


def test_without_a_token_admin_endpoints_answer_401(api):
    for method, path in _admin_routes(api):
        refused(api().request(method, path, json={}), 401)


def test_openapi_documents_the_admin_requests(api):
    spec = ok(api().get("/openapi.json"))
    schemas = spec["components"]["schemas"]
    for name in ("GroupCreate", "TaskCreate", "MemberImport", "Reassign", "StaffCreate", "MemberEdit"):
        assert schemas[name]["additionalProperties"] is False, name
    assert spec["paths"]["/v1/admin/members/{member_id}"]["patch"]["requestBody"]


def test_an_admin_is_let_in(api):
    admin = api(*ADMIN)
    assert ok(admin.get("/v1/admin/staff"))[0]["role"] == "hq_admin"
