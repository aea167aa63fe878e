"""The protocol's envelope: version negotiation, gzip, body and page limits (docs/sync-protocol.md)."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlsplit

import pytest

from hq.limits import MAX_BODY_BYTES
from hq.protocol import MAX_PULL_LIMIT, PROTOCOL_MAX, PROTOCOL_MIN, VERSION_HEADER


def test_hello_names_the_supported_range_without_signing_in(api):
    r = api().get("/v1/hello")
    assert r.status_code == 200
    body = r.json()
    assert body["protocol"] == {"min": PROTOCOL_MIN, "max": PROTOCOL_MAX}
    assert body["server_time"].endswith("Z") and len(body["epoch"]) == 8


@pytest.mark.parametrize(
    ("header", "status", "code"),
    [
        (None, 400, "protocol_version_missing"),
        (str(PROTOCOL_MIN - 1), 426, "client_too_old"),
        (str(PROTOCOL_MAX + 1), 426, "client_too_new"),
        ("one", 400, "protocol_version_invalid"),
        ("", 400, "protocol_version_invalid"),
    ],
)
def test_pull_refuses_a_version_it_cannot_speak_and_names_the_range(api, header, status, code):
    advisor = api("SH001", "A001")
    if header is None:
        del advisor.session.headers[VERSION_HEADER]
    else:
        advisor.session.headers[VERSION_HEADER] = header
    r = advisor.get("/v1/pull")
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert error["supported"] == {"min": PROTOCOL_MIN, "max": PROTOCOL_MAX}
    assert error["message"]


def test_the_current_version_is_accepted(api):
    r = api("SH001", "A001").get("/v1/pull", params={"limit": 1})
    assert r.status_code == 200 and r.json()["protocol"] == PROTOCOL_MAX


def test_a_big_pull_is_gzipped_when_the_client_accepts_it(api):
    advisor = api("SH001", "A001")
    r = advisor.get("/v1/pull", params={"limit": 500}, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers.get("Content-Encoding") == "gzip"
    assert r.json()["count"] > 50  # requests decompressed it: the body is the real page
    plain = advisor.get("/v1/pull", params={"limit": 500}, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.json() == r.json()


def test_the_compressed_bytes_are_a_real_gzip_stream(api):
    """Read the raw bytes (no client decompression) to be sure what crosses the wire is gzip."""
    advisor = api("SH001", "A001")
    url = urlsplit(advisor.base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", "/v1/pull?limit=500", headers={
        "Authorization": advisor.session.headers["Authorization"], VERSION_HEADER: str(PROTOCOL_MAX),
        "Accept-Encoding": "gzip"})
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    inflated = gzip.decompress(raw)
    assert inflated.startswith(b'{"protocol":') and len(raw) < len(inflated) / 2


def test_small_answers_are_not_compressed(api):
    advisor = api("SH001", "A001")
    _, cursor = advisor.pull_all()
    for r in (advisor.get("/v1/hello"), advisor.get("/v1/pull", params={"cursor": cursor})):
        assert r.status_code == 200
        assert "Content-Encoding" not in r.headers


def test_a_body_over_the_limit_is_refused_before_it_is_read(api):
    client = api()
    big = b'{"store_code": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}'
    r = client.post("/v1/auth/login", data=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "body_too_large"


def test_a_streamed_body_over_the_limit_is_refused_too(api):
    """Without a Content-Length (chunked upload) the limit is counted while reading."""
    client = api()

    def chunks():
        yield b'{"store_code": "'
        for _ in range(MAX_BODY_BYTES // (1024 * 1024) + 1):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    r = client.post("/v1/auth/login", data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "body_too_large"


def test_a_body_just_under_the_limit_is_read_and_judged_on_its_content(api):
    client = api()
    body = b'{"store_code": "' + b"x" * (MAX_BODY_BYTES - 100) + b'"}'
    r = client.post("/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("limit", ["0", "-1", str(MAX_PULL_LIMIT + 1), "many", "1.5"])
def test_a_pull_limit_out_of_range_is_a_clear_422(api, limit):
    r = api("SH001", "A001").get("/v1/pull", params={"limit": limit})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_request" and "limit" in error["message"]


def test_the_largest_allowed_limit_is_served(api):
    r = api("SH001", "A001").get("/v1/pull", params={"limit": MAX_PULL_LIMIT})
    assert r.status_code == 200 and r.json()["has_more"] is False


@pytest.mark.parametrize(("method", "path", "status"), [("GET", "/v1/no-such-thing", 404),
                                                     ("DELETE", "/v1/hello", 405)])
def test_unknown_routes_and_methods_answer_the_error_envelope(api, method, path, status):
    r = api().request(method, path)
    assert r.status_code == status
    error = r.json()["error"]
    assert error["code"] and error["message"]
