"""``associate-app sign-in`` / ``sync --once`` / ``sign-out`` against a real HQ, as IT staff run them."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import keyring
import pytest
from keyring.backend import KeyringBackend

from associate_app import cli
from associate_app.store import open_store


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring for the test (priority 1), kept in a dict."""

    priority = 1
    viable = False  # never picked up by keyring's own discovery in other tests

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def app_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ASSOCIATE_APP_HOME", str(home))
    return home


def _run(monkeypatch, capsys, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_sign_in_then_sync_once_then_sign_out(live_hq, app_home, memory_keyring, monkeypatch, capsys):
    code, out, _ = _run(monkeypatch, capsys, ["sign-in", "--hq", live_hq.url, "--store", "sh001", "--staff", "a001",
                                               "--password-stdin"], "demo-2026\n")
    assert code == 0 and "A001" in out
    assert len(memory_keyring.secrets) == 1
    assert "demo-2026" not in (app_home / "settings.ini").read_text()
    assert not any(v in (app_home / "settings.ini").read_text() for v in memory_keyring.secrets.values())
    code, out, _ = _run(monkeypatch, capsys, ["sync", "--once"])
    assert code == 0 and out.startswith("sync ok:") and "pulled" in out
    store = open_store(app_home / "profiles" / "SH001.db")
    assert store.scalar("SELECT count(*) FROM members") > 0
    store.close()
    code, _, _ = _run(monkeypatch, capsys, ["sign-out"])
    assert code == 0 and memory_keyring.secrets == {}
    code, _, err = _run(monkeypatch, capsys, ["sync", "--once"])
    assert code == 3 and "sign-in" in err


def test_wrong_password_is_one_clear_line(live_hq, app_home, memory_keyring, monkeypatch, capsys):
    code, _, err = _run(monkeypatch, capsys, ["sign-in", "--hq", live_hq.url, "--store", "SH001", "--staff", "A001",
                                              "--password-stdin"], "wrong\n")
    assert code == 2 and err.strip() == "associate-app: The store code, staff number or password is wrong."
    assert memory_keyring.secrets == {}


def test_sync_once_exits_non_zero_when_hq_is_unreachable(app_home, memory_keyring, monkeypatch, capsys):
    code, _, err = _run(monkeypatch, capsys, ["sync", "--once", "--hq", "http://127.0.0.1:9", "--store", "SH001",
                                              "--staff", "A001", "--password-stdin"], "demo-2026\n")
    assert code == 2 and "reached" in err  # sign-in itself could not reach HQ


def test_headless_sync_in_a_fresh_process_without_a_keyring(live_hq, tmp_path):
    env = {**os.environ, "ASSOCIATE_APP_HOME": str(tmp_path / "it"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run(
        [sys.executable, "-m", "associate_app", "sync", "--once", "--progress", "--hq", live_hq.url,
         "--store", "SH001", "--staff", "M001", "--password-stdin"],
        input="demo-2026\n", capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sync ok:")
    assert "downloading:" in done.stderr and "Traceback" not in done.stderr
