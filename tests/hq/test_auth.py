"""Sign-in, tokens and the failed sign-in limit, over real HTTP on both backends."""

from __future__ import annotations

import hashlib

from hq.auth import MAX_FAILURES_PER_ACCOUNT
from tests.hq.api import Api


def _login(api: Api, store: str, staff_no: str, password: str):
    return api.post("/v1/auth/login", json={"store_code": store, "staff_no": staff_no, "password": password,
                                           "device_id": api.device_id})


def test_sign_in_returns_a_token_that_identifies_the_person(api):
    advisor = api("SH001", "A001")
    me = advisor.get("/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["id"] == "A001" and me.json()["role"] == "advisor" and me.json()["store_code"] == "SH001"
    assert advisor.staff["name"]


def test_store_code_and_staff_number_are_case_insensitive(api):
    client = api()
    r = _login(client, "sh001", "a001", "demo-2026")
    assert r.status_code == 200 and r.json()["staff"]["id"] == "A001"


def test_wrong_password_unknown_staff_and_wrong_store_are_the_same_answer(api):
    client = api()
    answers = [_login(client, "SH001", "A001", "wrong-password"), _login(client, "SH001", "Z999", "demo-2026"),
               _login(client, "SH002", "A001", "demo-2026")]
    assert [r.status_code for r in answers] == [401, 401, 401]
    assert {r.json()["error"]["code"] for r in answers} == {"bad_credentials"}
    assert all("token" not in r.json() for r in answers)


def test_repeated_failures_lock_the_account_for_a_while(api):
    client = api()
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert _login(client, "SH001", "A002", "guess").status_code == 401
    blocked = _login(client, "SH001", "A002", "demo-2026")  # even the right password, for now
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    # other accounts are not affected
    assert _login(client, "SH001", "A003", "demo-2026").status_code == 200


def test_a_success_clears_earlier_failures(api):
    client = api()
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        _login(client, "SH001", "A002", "guess")
    assert _login(client, "SH001", "A002", "demo-2026").status_code == 200
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        _login(client, "SH001", "A002", "guess")
    assert _login(client, "SH001", "A002", "demo-2026").status_code == 200


def test_calls_without_a_valid_token_get_401(api):
    anonymous = api()
    r = anonymous.get("/v1/pull")
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_missing"
    forged = Api(anonymous.base_url, token="not-a-token")
    assert forged.get("/v1/pull").json()["error"]["code"] == "token_invalid"


def test_sign_out_revokes_the_token(api):
    advisor = api("SH001", "A001")
    assert advisor.post("/v1/auth/logout").status_code == 204
    r = advisor.get("/v1/auth/me")
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_revoked"


def test_an_expired_token_asks_to_sign_in_again(api, hq_db):
    advisor = api("SH001", "A001")
    with hq_db.write() as tx:
        tx.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE staff_id = 'A001'")
    r = advisor.get("/v1/auth/me")
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"


def test_tokens_and_passwords_are_not_stored_in_clear(api, hq_db):
    advisor = api("SH001", "A001")
    token = advisor.session.headers["Authorization"].removeprefix("Bearer ")
    with hq_db.read() as tx:
        hashes = [row[0] for row in tx.all("SELECT token_hash FROM sessions")]
        password = tx.scalar("SELECT password_hash FROM staff WHERE id = 'A001'")
    assert token not in hashes and hashlib.sha256(token.encode()).hexdigest() in hashes
    assert password.startswith("$argon2id$") and "demo-2026" not in password


def test_hq_admin_signs_in_with_store_code_hq_but_has_no_store_to_sync(api):
    admin = api("HQ", "HQ001")
    assert admin.staff["role"] == "hq_admin"
    r = admin.get("/v1/pull")
    assert r.status_code == 403 and r.json()["error"]["code"] == "no_store_scope"


def test_malformed_sign_in_is_a_clear_422(api):
    client = api()
    r = client.post("/v1/auth/login", json={"store_code": "SH001", "staff_no": "A001"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    r = client.post("/v1/auth/login", data=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
