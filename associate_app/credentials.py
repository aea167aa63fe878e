"""Bearer tokens live in the operating system's keyring, or only in this process's memory.

Like Vorta's keyring wrapper: use the system keyring when it is a real, secure one; otherwise (no backend,
the null or fail backend, a plaintext store, or a backend that raises: locked, D-Bus down...) keep tokens in
a dict for this run only, say so once in the log and offer the UI a notice. A token is never written to a
file, a log line or an exception message. Nothing but tokens is kept here.
"""

from __future__ import annotations

import logging
import threading

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import PasswordDeleteError

from associate_app.settings import normalise_code, validate_hq_url

SERVICE = "associate-app"
NOTICE_CODE = "credentials_not_persistent"
NOTICE = ("No secure credential store (keyring) is available on this computer: "
          "you will have to sign in again each time the app starts.")

_log = logging.getLogger(__name__)


def account_key(hq_url: str, store_code: str, staff_no: str) -> str:
    """The keyring user name of one staff member of one store of one HQ, the same however it was typed."""
    store, staff = normalise_code(store_code, "store_code"), normalise_code(staff_no, "staff_no")
    if not store or not staff:
        raise ValueError("A credential needs both a store code and a staff number.")
    return f"{validate_hq_url(hq_url)}|{store}|{staff}"


def is_secure_backend(backend: KeyringBackend) -> bool:
    """A backend that really keeps secrets: not fail/null, not a plaintext one (priority < 1), not an empty chain."""
    try:
        if isinstance(backend, fail.Keyring | null.Keyring):
            return False
        if isinstance(backend, ChainerBackend):
            chained = backend.backends  # highest priority first; that one receives what is saved
            return bool(chained) and is_secure_backend(chained[0])
        return float(backend.priority) >= 1
    except Exception:  # a backend whose priority cannot even be computed is not usable
        return False


class CredentialStore:
    """``save``/``load``/``delete`` a token per account key; ``secure`` says whether it outlives the process."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._lock = threading.Lock()
        self._memory: dict[str, str] = {}  # this run's copy; the only copy when there is no keyring
        self._backend: KeyringBackend | None = None
        try:
            chosen = backend if backend is not None else keyring.get_keyring()
        except Exception as exc:
            self._fall_back(f"the keyring could not be opened ({_describe(exc)})")
            return
        if is_secure_backend(chosen):
            self._backend = chosen
        else:
            self._fall_back(f"the keyring backend {_name(chosen)} is not a secure store")

    @property
    def secure(self) -> bool:
        return self._backend is not None

    @property
    def notice(self) -> str | None:
        """English sentence for the UI when tokens are not kept across restarts (translated via ``notice_code``)."""
        return None if self.secure else NOTICE

    @property
    def notice_code(self) -> str | None:
        return None if self.secure else NOTICE_CODE

    def save(self, account: str, token: str) -> None:
        if not account or not isinstance(token, str) or not token:
            raise ValueError("A token needs a non-empty account and must be a non-empty string.")
        with self._lock:
            self._memory[account] = token
            if self._backend is not None:
                try:
                    self._backend.set_password(SERVICE, account, token)
                except Exception as exc:
                    self._fall_back(f"saving a token failed ({_describe(exc, token)})")

    def load(self, account: str) -> str | None:
        with self._lock:
            if self._backend is not None:
                try:
                    stored = self._backend.get_password(SERVICE, account)
                    if stored is not None:
                        return stored
                except Exception as exc:
                    self._fall_back(f"reading a token failed ({_describe(exc)})")
            return self._memory.get(account)

    def delete(self, account: str) -> None:
        with self._lock:
            self._memory.pop(account, None)
            if self._backend is not None:
                try:
                    self._backend.delete_password(SERVICE, account)
                except PasswordDeleteError:
                    pass  # nothing was stored under that account
                except Exception as exc:
                    self._fall_back(f"deleting a token failed ({_describe(exc)})")

    def __repr__(self) -> str:
        return f"CredentialStore(secure={self.secure}, accounts={len(self._memory)})"

    def _fall_back(self, reason: str) -> None:
        """From now on this process keeps tokens in memory only; logged once, never with a token."""
        self._backend = None
        _log.warning("Sign-in tokens are kept in memory only for this run: %s.", reason)


def _name(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _describe(exc: BaseException, secret: str | None = None) -> str:
    """Exception type and a short message, with the token cut out should a backend have echoed it."""
    try:
        text = str(exc)
    except Exception:
        text = ""
    if secret:
        text = text.replace(secret, "<token>")
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
