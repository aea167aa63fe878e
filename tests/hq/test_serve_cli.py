"""``hq-server serve`` as an operator runs it: a real process, plain HTTP and HTTPS with a verified certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hq.seed import seed
from hq.service import open_hq


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hq.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "hq.pem", folder / "hq.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _serve(url: str, port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hq", "serve", "--database", url, "--host", "127.0.0.1", "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _wait(base: str, **kw) -> requests.Response:
    deadline = time.monotonic() + 30
    while True:
        try:
            return requests.get(base + "/v1/hello", timeout=5, **kw)
        except requests.exceptions.SSLError:
            raise
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def seeded_file(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'hq.db'}"
    seed(open_hq(url), members=30, stores=1)
    return url


def test_serve_answers_over_http(seeded_file):
    port = _free_port()
    server = _serve(seeded_file, port)
    try:
        r = _wait(f"http://127.0.0.1:{port}")
        assert r.status_code == 200 and r.json()["protocol"] == {"min": 1, "max": 1}
        login = requests.post(f"http://127.0.0.1:{port}/v1/auth/login", timeout=10, json={
            "store_code": "SH001", "staff_no": "A001", "password": "demo-2026", "device_id": "device-cli-test"})
        assert login.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_with_several_worker_processes(seeded_file):
    port = _free_port()
    server = _serve(seeded_file, port, "--workers", "2")
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait(base).status_code == 200
        answers = [requests.get(base + "/v1/hello", timeout=10) for _ in range(20)]
        assert {r.status_code for r in answers} == {200}
        assert len({r.json()["epoch"] for r in answers}) == 1  # one database behind every process
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_over_tls_is_verified_by_clients(seeded_file, tmp_path):
    cert, key = _self_signed(tmp_path)
    port = _free_port()
    server = _serve(seeded_file, port, "--tls-cert", str(cert), "--tls-key", str(key))
    try:
        base = f"https://127.0.0.1:{port}"
        assert _wait(base, verify=str(cert)).status_code == 200  # trusted certificate: fine
        with pytest.raises(requests.exceptions.SSLError):  # default trust store: refused, never silently accepted
            requests.get(base + "/v1/hello", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_reports_an_unreadable_database_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "hq", "serve", "--database", "sqlite:", "--port", str(_free_port())],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "sqlite:///" in result.stderr
