"""Tokens go to a secure keyring, or stay in memory with a notice; they never reach a log or an error."""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import pytest
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from associate_app.credentials import NOTICE, NOTICE_CODE, SERVICE, CredentialStore, account_key
from associate_app.errors import InvalidInput

TOKEN = "mF3q0Q4yq0h2bX0x3pXcN1c0mTtH6u8kQ2vY1pJb0sE"
ACCOUNT = "https://hq.example.com|SH001|A001"


class DictKeyring(keyring.backend.KeyringBackend):
    """A secure-looking backend for the tests; ``viable = False`` keeps keyring's discovery from picking it."""

    priority = 1
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class PlaintextKeyring(DictKeyring):
    """Like keyrings.alt's file backends: works, but writes secrets in the clear (priority < 1)."""

    priority = 0.5


class LockedKeyring(DictKeyring):
    """Every call fails the way a locked keyring or a dead D-Bus does, echoing what it was given."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked(f"collection is locked ({service}, {username})")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked(f"cannot store {password!r}: collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.fixture
def use_keyring():
    """Install a backend with ``keyring.set_keyring`` and put the original back afterwards."""
    original = keyring.get_keyring()

    def install(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(original)


def test_secure_backend_keeps_the_token_in_the_keyring(use_keyring) -> None:
    backend = use_keyring(DictKeyring())
    store = CredentialStore()
    assert store.secure and store.notice is None and store.notice_code is None
    store.save(ACCOUNT, TOKEN)
    assert backend.entries == {(SERVICE, ACCOUNT): TOKEN}
    assert store.load(ACCOUNT) == TOKEN
    assert CredentialStore().load(ACCOUNT) == TOKEN  # a later start finds it
    assert CredentialStore().load("https://hq.example.com|SH001|A002") is None
    store.delete(ACCOUNT)
    assert backend.entries == {}
    assert CredentialStore().load(ACCOUNT) is None
    store.delete(ACCOUNT)  # deleting twice is fine
    assert store.secure


def _assert_memory_only(store: CredentialStore, caplog) -> None:
    assert not store.secure
    assert store.notice == NOTICE and store.notice_code == NOTICE_CODE
    store.save(ACCOUNT, TOKEN)
    assert store.load(ACCOUNT) == TOKEN
    store.delete(ACCOUNT)
    assert store.load(ACCOUNT) is None
    fallbacks = [r for r in caplog.records if r.name == "associate_app.credentials"]
    assert len(fallbacks) == 1 and fallbacks[0].levelno == logging.WARNING
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(store)


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), PlaintextKeyring()],
                         ids=["fail", "null", "plaintext"])
def test_no_secure_backend_means_memory_only_with_a_notice(use_keyring, caplog, backend) -> None:
    use_keyring(backend)
    caplog.set_level(logging.INFO)
    store = CredentialStore()
    _assert_memory_only(store, caplog)
    if isinstance(backend, PlaintextKeyring):
        assert backend.entries == {}  # the insecure store never saw the token
    assert CredentialStore().load(ACCOUNT) is None  # nothing survives the "restart"


def test_a_chain_without_backends_is_not_secure(use_keyring, monkeypatch, caplog) -> None:
    monkeypatch.setattr(keyring.backend, "_limit", lambda _backend: False)  # nothing may be chained
    use_keyring(ChainerBackend())
    caplog.set_level(logging.INFO)
    _assert_memory_only(CredentialStore(), caplog)


def test_a_chain_led_by_a_secure_backend_is_used(use_keyring) -> None:
    inner = DictKeyring()

    class OneChain(ChainerBackend):
        viable = False
        backends = (inner, PlaintextKeyring())

    use_keyring(OneChain())
    store = CredentialStore()
    assert store.secure
    store.save(ACCOUNT, TOKEN)
    assert inner.entries == {(SERVICE, ACCOUNT): TOKEN}


def test_a_raising_backend_falls_back_once_and_never_leaks_the_token(use_keyring, caplog) -> None:
    use_keyring(LockedKeyring())
    caplog.set_level(logging.DEBUG)
    store = CredentialStore()
    assert store.secure  # looks fine until it is used
    store.save(ACCOUNT, TOKEN)  # raises inside, with the token in its message
    assert not store.secure and store.notice == NOTICE
    assert store.load(ACCOUNT) == TOKEN  # this run still signs in
    store.save(ACCOUNT, TOKEN + "2")
    store.delete(ACCOUNT)
    assert store.load(ACCOUNT) is None
    records = [r for r in caplog.records if r.name == "associate_app.credentials"]
    assert len(records) == 1 and "KeyringLocked" in records[0].getMessage()
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("first_call", ["load", "delete"])
def test_read_and_delete_failures_fall_back_too(use_keyring, caplog, first_call) -> None:
    use_keyring(LockedKeyring())
    caplog.set_level(logging.INFO)
    store = CredentialStore()
    getattr(store, first_call)(ACCOUNT)
    assert not store.secure and store.notice_code == NOTICE_CODE
    _assert_memory_only(store, caplog)


def test_a_bad_argument_error_does_not_show_the_token(use_keyring) -> None:
    use_keyring(DictKeyring())
    with pytest.raises(ValueError) as refused:
        CredentialStore().save("", TOKEN)
    assert TOKEN not in str(refused.value)


def test_account_key_is_normalised() -> None:
    assert account_key("HTTPS://HQ.Example.com/ ", " sh001", "a001") == ACCOUNT
    assert account_key("http://127.0.0.1:8000/", "SH002", "C001") == "http://127.0.0.1:8000|SH002|C001"
    with pytest.raises(InvalidInput):
        account_key("http://hq.example.com", "SH001", "A001")
    with pytest.raises(InvalidInput):
        account_key("https://hq.example.com", "SH/001", "A001")
    with pytest.raises(ValueError):
        account_key("https://hq.example.com", "SH001", "")
