"""``associate-app sign-in`` / ``sync --once`` / ``sign-out``: the sync engine for IT staff and scripts.

Same settings file, same store database and same keyring entry as the app, so a script sees what
the counter PC sees. Exit codes: 0 synced, 1 the cycle failed (the summary says why), 3 not signed
in or not set up.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TextIO

from associate_app import settings
from associate_app.credentials import CredentialStore, account_key
from associate_app.errors import AssociateError
from associate_app.store import open_store
from associate_app.sync.auth import device_id, sign_in, sign_out
from associate_app.sync.client import HQClient
from associate_app.sync.engine import SyncEngine
from associate_app.sync.results import DOWNLOADING, PUSHING, SyncProgress

NOT_READY = 3


def _options(hq: str | None, store_code: str | None, staff_no: str | None) -> settings.Options:
    loaded = settings.load()
    for problem in loaded.problems:
        print(f"associate-app: settings: {problem}", file=sys.stderr)
    changes = {k: v for k, v in (("hq_url", hq), ("store_code", store_code), ("staff_no", staff_no)) if v}
    return replace(loaded.options, **changes) if changes else loaded.options


def _require_set_up(options: settings.Options) -> None:
    if not options.is_set_up:
        raise AssociateError("HQ's address, the store code and the staff number are not set up: "
                             "run `associate-app sign-in --hq URL --store CODE --staff NO` first.")


def _client(options: settings.Options, token: Callable[[], str | None] | None = None) -> HQClient:
    return HQClient(options.hq_url, token, verify=options.tls_verify)


def run_sign_in(hq: str | None, store_code: str | None, staff_no: str | None, password: str,
                credentials: CredentialStore | None = None, out: TextIO = sys.stdout) -> int:
    """Sign in, keep the token in the keyring and the address/store/staff in the settings file."""
    options = _options(hq, store_code, staff_no)
    _require_set_up(options)
    credentials = credentials or CredentialStore()
    store = open_store(options.database_path)
    client = _client(options)
    try:
        signed = sign_in(client, options.store_code, options.staff_no, password, device_id(store))
    finally:
        client.close()
        store.close()
    credentials.save(account_key(options.hq_url, options.store_code, options.staff_no), signed.token)
    settings.save(options)
    print(f"Signed in as {signed.staff.get('name')} ({signed.staff['id']}, {signed.staff['role']}) "
          f"at {options.store_code}; the sign-in lasts until {signed.expires_at}.", file=out)
    if not credentials.secure:
        print(f"associate-app: {credentials.notice}", file=sys.stderr)
    return 0


def run_sync_once(hq: str | None, store_code: str | None, staff_no: str | None, *,
                  password: str | None = None, credentials: CredentialStore | None = None,
                  out: TextIO = sys.stdout, show_progress: bool = False) -> int:
    """One full cycle with the app's configuration; prints a one-line summary."""
    options = _options(hq, store_code, staff_no)
    _require_set_up(options)
    credentials = credentials or CredentialStore()
    account = account_key(options.hq_url, options.store_code, options.staff_no)
    token = credentials.load(account)
    store = open_store(options.database_path)
    client = _client(options, lambda: token)
    try:
        if token is None and password is not None:
            token = sign_in(client, options.store_code, options.staff_no, password, device_id(store)).token
        if token is None:
            print("associate-app: not signed in on this computer: run `associate-app sign-in` "
                  "(or pass --password-stdin).", file=sys.stderr)
            return NOT_READY
        result = SyncEngine(store, client).run_cycle(_printer(sys.stderr) if show_progress else None)
    finally:
        client.close()
        store.close()
    print(f"sync {result.summary()}", file=out)
    if result.outcome == "auth_required":
        credentials.delete(account)
        print("associate-app: HQ no longer accepts this sign-in: run `associate-app sign-in` again.",
              file=sys.stderr)
    return 0 if result.ok else 1


def run_sign_out(hq: str | None, store_code: str | None, staff_no: str | None,
                 credentials: CredentialStore | None = None) -> int:
    """Revoke the token on HQ (if reachable) and forget it here in any case."""
    options = _options(hq, store_code, staff_no)
    _require_set_up(options)
    credentials = credentials or CredentialStore()
    account = account_key(options.hq_url, options.store_code, options.staff_no)
    token = credentials.load(account)
    credentials.delete(account)
    if token:
        client = _client(options, lambda: token)
        try:
            sign_out(client)
        except AssociateError as exc:
            print(f"associate-app: signed out here; HQ could not be told ({exc.message}).", file=sys.stderr)
        finally:
            client.close()
    return 0


def _printer(stream: TextIO) -> Callable[[SyncProgress], None]:
    def show(progress: SyncProgress) -> None:
        if progress.phase in (PUSHING, DOWNLOADING):
            total = f"/{progress.total}" if progress.total else ""
            print(f"  {progress.phase}: {progress.done}{total}", file=stream)
    return show
