"""Staff accounts: HQ opens them, resets passwords and closes them; a closed account is signed out at once."""

from __future__ import annotations

from tests.hq.api import Api
from tests.hq.test_admin_support import ADMIN, Device, ok, refused

NEW = {"id": "A009", "store_code": "SH001", "name": "新导购", "role": "advisor", "password": "welcome-2026"}


def _login(hq, store: str, staff_no: str, password: str) -> int:
    client = Api(hq.url)
    return client.post("/v1/auth/login", json={"store_code": store, "staff_no": staff_no, "password": password,
                                               "device_id": client.device_id}).status_code


def test_a_new_account_signs_in_and_its_store_sees_it(api, hq):
    admin = api(*ADMIN)
    store = Device(api("SH001", "M001"))
    person = ok(admin.post("/v1/admin/staff", json=NEW), 201)
    assert (person["id"], person["role"], person["active"]) == ("A009", "advisor", True)
    assert "password" not in str(person) and "hash" not in str(person)
    assert store.pull().doc("staff", "A009")["name"] == "新导购"
    newcomer = Api(hq.url).login("SH001", "A009", "welcome-2026")
    assert newcomer.staff["role"] == "advisor"
    assert {p["id"] for p in ok(admin.get("/v1/admin/staff", params={"store_code": "SH001"}))} >= {"A001", "A009"}


def test_bad_accounts_are_refused(api):
    admin = api(*ADMIN)
    before = ok(admin.get("/v1/admin/staff"))
    for body, status, code in [
        ({**NEW, "id": "a001"}, 409, "id_taken"),  # sign-in ignores case, so the number is taken
        ({**NEW, "password": "short"}, 422, "invalid_request"),
        ({**NEW, "store_code": "XX999"}, 404, "unknown_store"),
        ({**NEW, "store_code": None}, 422, "invalid_request"),
        ({**NEW, "role": "hq_admin"}, 422, "invalid_request"),
        ({**NEW, "role": "owner"}, 422, "invalid_request"),
        ({**NEW, "id": "A 9"}, 422, "invalid_request"),
    ]:
        refused(admin.post("/v1/admin/staff", json=body), status, code)
    assert ok(admin.get("/v1/admin/staff")) == before


def test_deactivating_ends_the_sessions_and_the_store_learns_it(api, hq):
    admin = api(*ADMIN)
    a002 = api("SH001", "A002")
    store = Device(api("SH001", "M001"))
    result = ok(admin.post("/v1/admin/staff/A002/deactivate"))
    assert result["active"] is False and result["sessions_revoked"] >= 1 and result["members_still_assigned"] > 0
    refused(a002.get("/v1/auth/me"), 401)
    assert _login(hq, "SH001", "A002", "demo-2026") == 401
    assert store.pull().doc("staff", "A002")["active"] is False
    refused(admin.post("/v1/admin/members/reassign", json={"member_ids": [1000000], "to_advisor": "A002"}), 422,
            "staff_inactive")
    # the departed advisor's members can still be handed over
    moved = ok(admin.post("/v1/admin/members/reassign", json={"from_advisor": "A002", "to_advisor": "A001"}))
    assert moved["moved"] == result["members_still_assigned"]
    refused(admin.post("/v1/admin/staff/NOPE/deactivate"), 404, "unknown_staff")


def test_a_password_reset_signs_out_the_old_sessions(api, hq):
    admin = api(*ADMIN)
    old_session = api("SH001", "C001")
    ok(admin.post("/v1/admin/staff/C001/password", json={"password": "new-secret-1"}))
    refused(old_session.get("/v1/auth/me"), 401)
    assert _login(hq, "SH001", "C001", "demo-2026") == 401
    assert _login(hq, "SH001", "C001", "new-secret-1") == 200
    refused(admin.post("/v1/admin/staff/C001/password", json={"password": "1234567"}), 422)


def test_the_last_admin_cannot_lock_hq_out(api):
    admin = api(*ADMIN)
    refused(admin.post("/v1/admin/staff/HQ001/deactivate"), 409, "last_admin")
    second = {"id": "HQ002", "store_code": None, "name": "总部二号", "role": "hq_admin", "password": "another-2026"}
    ok(admin.post("/v1/admin/staff", json=second), 201)
    assert ok(admin.post("/v1/admin/staff/HQ001/deactivate"))["active"] is False
    refused(admin.get("/v1/admin/staff"), 401)
