"""The HQ client on its own: back-off, Retry-After, version check, TLS always verified."""

from __future__ import annotations

import random
import subprocess

import pytest

from associate_app.store import open_store
from associate_app.sync.auth import device_id, sign_in
from associate_app.sync.client import HQClient
from associate_app.sync.engine import SyncEngine
from associate_app.sync.errors import AuthRequired, CertificateError, Offline
from associate_app.sync.retry import RetryPolicy, parse_retry_after
from hq.seed import seed
from hq.service import open_hq
from tests.hq.test_serve_cli import _free_port, _self_signed, _serve, _wait
from tests.sync.conftest import PASSWORD
from tests.sync.faultproxy import Fault, FaultProxy


def test_backoff_grows_exponentially_with_full_jitter_and_a_cap():
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0)
    rng = random.Random(7)
    for retry, cap in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)):
        waits = [policy.backoff(retry, rng) for _ in range(200)]
        assert min(waits) >= 0 and max(waits) <= cap
        assert max(waits) > cap * 0.8  # jitter spreads over the whole range


def test_retry_after_reads_seconds_and_http_dates():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 25 Nov 2026 16:00:30 GMT", now=1795622400.0) == pytest.approx(30.0)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_a_busy_hq_is_waited_for_as_it_asks_then_the_call_succeeds(live_hq):
    waits: list[float] = []
    with FaultProxy(live_hq.url) as proxy:
        client = HQClient(proxy.url, sleep=waits.append, retry=RetryPolicy(attempts=4, max_retry_after=30))
        proxy.plan(["status:503:7", "status:429:3", "drop_request"])
        assert client.hello()["protocol"] == {"min": 1, "max": 1}
        assert waits[:2] == [7.0, 3.0] and len(waits) == 3 and waits[2] <= 2.0  # then plain back-off
        assert len(proxy.log) == 4


def test_a_wait_longer_than_a_cycle_allows_ends_the_cycle_as_busy(device, live_hq):
    with FaultProxy(live_hq.url) as proxy:
        waits: list[float] = []
        dev = device(url=proxy.url)
        dev.client.sleep = waits.append
        proxy.plan(["status:503:3600"])
        result = dev.sync()
        assert result.outcome == "busy" and result.retry_after == 3600 and waits == []


def test_transport_failures_are_retried_then_reported_offline(device, live_hq):
    with FaultProxy(live_hq.url) as proxy:
        dev = device(url=proxy.url)
        proxy.plan(["drop_request"] * 3)
        assert dev.sync().ok  # three failures, the fourth try gets through
        proxy.plan(["drop_request"] * 8)
        result = dev.sync()
        assert result.outcome == "offline" and "reached" in result.error


def test_an_hq_speaking_another_protocol_stops_the_cycle_with_update_required(device, live_hq):
    with FaultProxy(live_hq.url) as proxy:
        dev = device(url=proxy.url)
        before = len(proxy.log)
        proxy.rule(lambda method, path: Fault(name="replace", status=200, forward=False,
                                              body=b'{"server":"x","protocol":{"min":2,"max":3}}')
                   if path.startswith("/v1/hello") else None)
        result = dev.sync()
        assert result.outcome == "update_required" and "update the app" in result.error
        assert [e.path for e in proxy.log[before:]] == ["/v1/hello"]  # nothing else was tried, no retry


@pytest.fixture
def tls_hq(tmp_path):
    url = f"sqlite:///{tmp_path / 'hq-tls.db'}"
    seed(open_hq(url), members=20, stores=1)
    cert, key = _self_signed(tmp_path)
    port = _free_port()
    server = _serve(url, port, "--tls-cert", str(cert), "--tls-key", str(key))
    base = f"https://127.0.0.1:{port}"
    try:
        _wait(base, verify=str(cert))
        yield base, cert
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def test_tls_is_verified_against_the_retailers_ca_and_never_bypassed(tls_hq, tmp_path):
    base, cert = tls_hq
    store = open_store(tmp_path / "tls-device.db")
    untrusting = HQClient(base, retry=RetryPolicy(attempts=3, base_delay=0.01))
    with pytest.raises(CertificateError, match="certificate"):
        sign_in(untrusting, "SH001", "A001", PASSWORD, device_id(store))
    trusting = HQClient(base, verify=str(cert))
    signed = sign_in(trusting, "SH001", "A001", PASSWORD, device_id(store))
    trusting.token = lambda: signed.token
    assert SyncEngine(store, trusting).run_cycle().ok
    untrusting.token = lambda: signed.token
    result = SyncEngine(store, untrusting).run_cycle()
    assert result.outcome == "certificate"
    for client in (trusting, untrusting):
        client.close()
    store.close()


def test_not_signed_in_sends_nothing(live_hq):
    client = HQClient(live_hq.url)
    with pytest.raises(AuthRequired) as caught:
        client.pull("", 10)
    assert caught.value.code == "auth_required" and caught.value.details["hq_code"] == "token_missing"
    assert not isinstance(caught.value, Offline)
