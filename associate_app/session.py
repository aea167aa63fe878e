"""A signed-in person on this computer: their store database, HQ client, token and sync scheduler.

Qt-free, so the console, the tests and scripts share one way of signing in, resuming and signing out.
The token lives only in the credential store (keyring or this run's memory). For the shared counter
PC's quick unlock, a salted scrypt hash of the password is kept in the store database (never the
password), so a locked screen can be reopened offline by the person who locked it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from associate_app.credentials import CredentialStore, account_key
from associate_app.domain.actor import Actor
from associate_app.domain.vocabulary import Role
from associate_app.errors import AssociateError
from associate_app.settings import Options
from associate_app.store import Store, open_store
from associate_app.sync import auth
from associate_app.sync.client import HQClient
from associate_app.sync.scheduler import SyncScheduler

log = logging.getLogger(__name__)

SESSION_KEY = "session_staff"  # sync_state: who signed in last on this store database (JSON)
UNLOCK_KEY = "unlock_hash"  # sync_state: scrypt hash of that person's password, for the quick unlock
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


class NotSignedIn(AssociateError):
    """No usable sign-in on this computer for the configured account: the sign-in dialog is next."""

    code = "not_signed_in"


class RoleNotSupported(AssociateError):
    """An account whose role has no place in the store console (HQ's own administrators)."""

    code = "role_not_supported"


@dataclass
class Session:
    """Everything that belongs to the person signed in. ``store`` is the UI thread's connection."""

    options: Options
    store: Store
    actor: Actor
    staff_name: str
    client: HQClient
    credentials: CredentialStore
    scheduler: SyncScheduler | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def account(self) -> str:
        return account_key(self.options.hq_url, self.options.store_code, self.options.staff_no)

    def open_store(self) -> Store:
        """Another connection to the same database, for a worker thread (opened on that thread)."""
        return open_store(self.store.path)

    def start_sync(self, **scheduler_options: Any) -> SyncScheduler:
        """The scheduler runs cycles on its own thread, with its own connection; started once.

        ``in_process=True`` (the console) runs each cycle in a child process instead (sync/cycle_process.py).
        """
        if self.scheduler is None:
            interval = scheduler_options.pop("interval", self.options.sync_interval_seconds)
            if scheduler_options.pop("in_process", False):
                from associate_app.sync.cycle_process import ProcessCycles

                scheduler_options["cycles"] = ProcessCycles(
                    self.options.database_path, self.client.base_url, self.client.token, verify=self.client.verify,
                    engine_options=scheduler_options.get("engine_options"))
            self.scheduler = SyncScheduler(self.open_store, self.client, interval=interval, **scheduler_options)
            self.scheduler.start()
        return self.scheduler

    def verify_password(self, password: str) -> bool:
        """The quick unlock: the password of the person signed in, checked offline against its hash."""
        stored = self.store.get_state(UNLOCK_KEY)
        if not stored or not password:
            return False
        salt_hex, _, digest_hex = stored.partition("$")
        try:
            salt, digest = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
        except ValueError:
            return False
        return hmac.compare_digest(_scrypt(password, salt), digest)

    def close(self) -> None:
        """Stop syncing (a running cycle finishes its page) and close connections; the token stays."""
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler = None
        self.client.close()
        self.store.close()


def _scrypt(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


def _client(options: Options, credentials: CredentialStore, account: str) -> HQClient:
    return HQClient(options.hq_url, lambda: credentials.load(account), verify=options.tls_verify)


def _actor(options: Options, staff: dict[str, Any]) -> Actor:
    try:
        role = Role(staff["role"])
    except ValueError:
        raise RoleNotSupported(f"A {staff['role']} account cannot use the store console.",
                               role=staff["role"]) from None
    return Actor(str(staff["id"]), role, options.store_code)


def sign_in(options: Options, password: str, credentials: CredentialStore,
            client_factory: Callable[[Options, CredentialStore, str], HQClient] = _client) -> Session:
    """Sign in to HQ (network: call off the UI thread); keeps the token, the unlock hash and who it was."""
    if not options.is_set_up:
        raise NotSignedIn("HQ's address, the store code and the staff number are needed to sign in.")
    account = account_key(options.hq_url, options.store_code, options.staff_no)
    store = open_store(options.database_path)
    client = client_factory(options, credentials, account)
    try:
        signed = auth.sign_in(client, options.store_code, options.staff_no, password, auth.device_id(store))
        actor = _actor(options, signed.staff)
        credentials.save(account, signed.token)
        salt = os.urandom(16)
        with store.write():
            store.set_state(SESSION_KEY, json.dumps({"id": actor.staff_id, "role": str(actor.role),
                                                     "name": signed.staff.get("name") or actor.staff_id,
                                                     "expires_at": signed.expires_at}, ensure_ascii=False))
            store.set_state(UNLOCK_KEY, f"{salt.hex()}${_scrypt(password, salt).hex()}")
            if signed.staff.get("store_name"):  # the window title and the scripts' {store} use it
                store.set_state("store_name", str(signed.staff["store_name"]))
    except BaseException:
        client.close()
        store.close()
        raise
    return Session(options, store, actor, signed.staff.get("name") or actor.staff_id, client, credentials)


def resume(options: Options, credentials: CredentialStore,
           client_factory: Callable[[Options, CredentialStore, str], HQClient] = _client) -> Session:
    """The last sign-in on this computer, without the network: its token must still be in the credential store.

    HQ may have revoked it meanwhile; the first sync then reports ``auth_required`` and the UI asks again.
    """
    if not options.is_set_up:
        raise NotSignedIn("This computer is not set up yet.")
    account = account_key(options.hq_url, options.store_code, options.staff_no)
    if not credentials.load(account):
        raise NotSignedIn("No sign-in is kept on this computer.")
    store = open_store(options.database_path)
    try:
        raw = store.get_state(SESSION_KEY)
        staff = json.loads(raw) if raw else None
        if not isinstance(staff, dict) or str(staff.get("id", "")).upper() != options.staff_no:
            raise NotSignedIn("The kept sign-in belongs to someone else.")
        actor = _actor(options, staff)
    except (NotSignedIn, RoleNotSupported, ValueError):
        store.close()
        credentials.delete(account)
        raise NotSignedIn("The kept sign-in cannot be used: sign in again.") from None
    return Session(options, store, actor, str(staff.get("name") or actor.staff_id),
                   client_factory(options, credentials, account), credentials)


def sign_out(session: Session) -> str | None:
    """Revoke on HQ when reachable, forget the token and the unlock hash here in any case.

    Queued changes stay in the outbox: whoever signs in next on this store pushes them (HQ checks that
    their author signed in on this device). Returns HQ's problem as text when it could not be told.
    """
    problem = None
    token = session.credentials.load(session.account)
    session.credentials.delete(session.account)
    try:
        with session.store.write():
            session.store.set_state(UNLOCK_KEY, None)
            session.store.set_state(SESSION_KEY, None)
    except AssociateError as exc:
        log.warning("sign-out could not clear the unlock hash: %s", exc.message)
    if token:
        try:
            auth.sign_out(session.client)
        except AssociateError as exc:
            problem = exc.message
    session.close()
    return problem


def switch_account(options: Options, store_code: str, staff_no: str) -> Options:
    """The same computer and HQ, another person (the shared counter PC)."""
    return replace(options, store_code=store_code, staff_no=staff_no)
