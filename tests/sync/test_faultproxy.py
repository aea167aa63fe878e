"""The fault proxy itself: each fault does to the client what it says, and to HQ what it says.

Real HTTP both ways: plain ``requests`` -> FaultProxy -> the reference HQ on loopback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from hq.embedded import EmbeddedHQ
from hq.protocol import PROTOCOL_MAX, VERSION_HEADER
from hq.seed import DEMO_PASSWORD, seed
from hq.service import open_hq
from tests.hq.test_push_support import interaction, scalar
from tests.sync.faultproxy import Fault, FaultProxy

BROKEN_BODY = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError,
               requests.exceptions.ContentDecodingError)


@pytest.fixture
def hq(tmp_path) -> Iterator[EmbeddedHQ]:
    db = open_hq(f"sqlite:///{tmp_path / 'hq.db'}")
    seed(db, members=20, stores=1)
    with EmbeddedHQ(db) as server:
        yield server
    db.close()


@pytest.fixture
def proxy(hq) -> Iterator[FaultProxy]:
    with FaultProxy(hq.url) as p:
        yield p


class Device:
    """A signed-in requests.Session that talks to HQ through the proxy."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers[VERSION_HEADER] = str(PROTOCOL_MAX)
        r = self.post("/v1/auth/login", json={"store_code": "SH001", "staff_no": "A001", "password": DEMO_PASSWORD,
                                              "device_id": "test-device-0001"})
        assert r.status_code == 200, r.text
        self.session.headers["Authorization"] = f"Bearer {r.json()['token']}"
        self.member = self.get("/v1/pull").json()["upserts"]["member"][0]["id"]

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=kw.pop("timeout", 30), **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.session.post(self.base_url + path, timeout=kw.pop("timeout", 30), **kw)

    def push(self, mutation: dict[str, Any], **kw: Any) -> requests.Response:
        return self.post("/v1/push", json={"mutations": [mutation]}, **kw)

    def status_of(self, mutation: dict[str, Any]) -> str:
        """Push again (through the proxy, now passing) and return HQ's answer for the mutation."""
        r = self.push(mutation)
        assert r.status_code == 200, r.text
        return r.json()["results"][0]["status"]


@pytest.fixture
def device(proxy) -> Device:
    return Device(proxy.url)


def logged(db, mutation: dict[str, Any]) -> int:
    return scalar(db, "SELECT count(*) FROM interactions WHERE id = ?", (mutation["payload"]["id"],))


def test_pass_forwards_status_headers_and_bytes_over_one_kept_alive_connection(hq, proxy, device):
    direct = requests.get(hq.url + "/v1/pull", headers=dict(device.session.headers), timeout=30)
    via = device.get("/v1/pull")
    assert via.status_code == 200 and via.headers["Content-Encoding"] == "gzip"
    assert via.headers["Content-Length"] == direct.headers["Content-Length"]
    assert via.json() == direct.json()
    for _ in range(5):
        assert device.get("/v1/hello").status_code == 200
    assert proxy.connections == 1
    assert {e.fault for e in proxy.log} == {"pass"} and len(proxy.log) == 8


def test_pass_keeps_hqs_retry_after(proxy):
    bad = {"store_code": "SH001", "staff_no": "A002", "password": "wrong", "device_id": "test-device-0002"}
    answers = [requests.post(proxy.url + "/v1/auth/login", json=bad, timeout=30) for _ in range(6)]
    assert [r.status_code for r in answers] == [401] * 5 + [429]
    assert int(answers[-1].headers["Retry-After"]) > 0
    assert answers[-1].json()["error"]["code"] == "too_many_attempts"


def test_drop_request_never_reaches_hq(hq, proxy, device):
    m = interaction("A001", device.member)
    proxy.plan(["drop_request"])
    with pytest.raises(requests.exceptions.ConnectionError):
        device.push(m)
    assert proxy.log[-1] == ("POST", "/v1/push", "drop_request", None)
    assert logged(hq.db, m) == 0
    assert device.status_of(m) == "applied"


def test_drop_response_loses_the_answer_after_hq_committed(hq, proxy, device):
    m = interaction("A001", device.member)
    proxy.plan(["drop_response"])
    with pytest.raises(requests.exceptions.ConnectionError):
        device.push(m)
    assert proxy.log[-1] == ("POST", "/v1/push", "drop_response", 200)
    assert logged(hq.db, m) == 1
    assert device.status_of(m) == "duplicate"


def test_duplicate_sends_twice_and_answers_the_second(hq, proxy, device):
    m = interaction("A001", device.member)
    proxy.plan(["duplicate"])
    r = device.push(m)
    assert r.status_code == 200
    result = r.json()["results"][0]
    assert (result["status"], result["original_status"]) == ("duplicate", "applied")
    assert logged(hq.db, m) == 1


@pytest.mark.parametrize("fault", ["delay:1.5", "late:1.5"])
def test_a_slow_answer_times_out_but_hq_still_commits(hq, proxy, device, fault):
    m = interaction("A001", device.member)
    proxy.plan([fault])
    before = len(proxy.log)
    with pytest.raises(requests.exceptions.Timeout):
        device.push(m, timeout=(5, 0.25))
    assert proxy.wait_log(before + 1)[-1] == ("POST", "/v1/push", fault.split(":")[0], 200)
    assert logged(hq.db, m) == 1
    proxy.wait_idle()
    assert device.status_of(m) == "duplicate"


def test_truncate_cuts_the_body_after_hq_answered(hq, proxy, device):
    proxy.plan(["truncate"])
    with pytest.raises(BROKEN_BODY):
        device.get("/v1/pull")
    m = interaction("A001", device.member)
    proxy.plan(["truncate"])
    with pytest.raises(BROKEN_BODY):
        device.push(m)
    assert [e.fault for e in proxy.log[-2:]] == ["truncate", "truncate"]
    assert logged(hq.db, m) == 1
    assert device.get("/v1/pull").status_code == 200  # the next request passes, on a new connection


def test_status_answers_without_forwarding(hq, proxy, device):
    m = interaction("A001", device.member)
    proxy.plan(["status:503:2", "status:500"])
    busy = device.push(m)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
    assert busy.json()["error"]["code"] == "busy"
    failed = device.push(m)
    assert failed.status_code == 500 and "Retry-After" not in failed.headers
    assert proxy.log[-2:] == [("POST", "/v1/push", "status", None)] * 2
    assert logged(hq.db, m) == 0
    assert device.status_of(m) == "applied"


def test_replace_with_bytes_without_forwarding(hq, proxy, device):
    m = interaction("A001", device.member)
    proxy.plan([Fault("replace", status=200, body=b"{not json", headers={"X-Injected": "1"}, forward=False)])
    r = device.push(m)
    assert (r.status_code, r.content, r.headers["X-Injected"]) == (200, b"{not json", "1")
    with pytest.raises(requests.exceptions.JSONDecodeError):
        r.json()
    assert logged(hq.db, m) == 0 and proxy.log[-1].upstream_status is None


def test_replace_with_a_function_of_the_decoded_answer(proxy, device):
    seen: list[dict[str, str]] = []

    def wrong_type(body: bytes, headers: dict[str, str]) -> bytes:
        seen.append(headers)
        page = json.loads(body)
        page["upserts"]["member"][0]["id"] = str(page["upserts"]["member"][0]["id"])
        return json.dumps(page).encode()

    proxy.plan([Fault("replace", status=200, body=wrong_type)])
    r = device.get("/v1/pull")
    assert seen[0]["content-encoding"] == "gzip"
    assert "Content-Encoding" not in r.headers and int(r.headers["Content-Length"]) == len(r.content)
    assert r.json()["upserts"]["member"][0]["id"] == str(device.member)
    assert proxy.log[-1] == ("GET", "/v1/pull", "replace", 200)


def test_plan_only_and_rule(proxy, device):
    proxy.only("/v1/push")
    proxy.plan(["status:500", "status:503"])
    assert device.get("/v1/hello").status_code == 200  # outside the prefix: passes, plan untouched
    assert proxy.pending == 2
    assert [device.post("/v1/push", json={"mutations": []}).status_code for _ in range(3)] == [500, 503, 200]
    proxy.rule(lambda method, path: "status:429:1" if method == "POST" else None)
    proxy.plan(["status:500"])
    assert device.post("/v1/push", json={"mutations": []}).status_code == 429
    assert proxy.pending == 1  # the rule decided; the plan waits
    proxy.rule(None)
    proxy.only(None)
    assert device.get("/v1/hello").status_code == 500
    assert device.get("/v1/hello").status_code == 200


def test_fault_specs():
    assert Fault.parse("delay:0.2") == Fault("delay", seconds=0.2)
    assert Fault.parse("status:503:2") == Fault("status", status=503, retry_after="2")
    assert Fault.parse("replace:500") == Fault("replace", status=500)
    assert Fault.parse("drop_request").name == "drop_request"
    for bad in ("bogus", "delay", "status", "pass:1", "status:x"):
        with pytest.raises(ValueError):
            Fault.parse(bad)


def test_closing_cuts_connections_and_frees_the_port(hq):
    proxy = FaultProxy(hq.url).start()
    session = requests.Session()
    assert session.get(proxy.url + "/v1/hello", timeout=30).status_code == 200
    proxy.close()
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(proxy.url + "/v1/hello", timeout=30)
