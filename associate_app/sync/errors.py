"""Why a sync call failed, as typed errors with stable codes (the UI words them, the engine reacts).

Each maps to one thing the device does next: wait and retry (offline, busy, server_error), ask the
person to sign in (auth_required), tell them to update (update_required), or log a bug and stop
(protocol_error, refused). None of them ever loses or half-applies local data.
"""

from __future__ import annotations

from typing import Any

from associate_app.errors import AssociateError


class SyncError(AssociateError):
    """Base of every sync failure."""

    code = "sync_error"


class Offline(SyncError):
    """HQ could not be reached (no network, refused, timed out, connection cut) after the retries."""

    code = "offline"


class CertificateError(SyncError):
    """HQ's TLS certificate could not be verified: never retried, never bypassed (it may not be HQ)."""

    code = "certificate"


class AuthRequired(SyncError):
    """No usable token: sign in again (HQ's own code, e.g. token_expired, is in ``details['hq_code']``)."""

    code = "auth_required"


class UpdateRequired(SyncError):
    """HQ and this app speak no common protocol version (426); never retried automatically."""

    code = "update_required"


class Forbidden(SyncError):
    """The signed-in account may not sync (403): e.g. an HQ admin account, or no store."""

    code = "forbidden"


class ServerBusy(SyncError):
    """HQ asked to wait (429/503) longer than a cycle waits; ``retry_after`` seconds, when HQ said."""

    code = "busy"

    def __init__(self, message: str, retry_after: float | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.retry_after = retry_after


class ServerError(SyncError):
    """HQ failed (5xx) on every retry."""

    code = "server_error"


class ProtocolError(SyncError):
    """HQ's answer cannot be read (bad JSON, wrong types, unknown version, too large): nothing applied."""

    code = "protocol_error"


class RequestRefused(SyncError):
    """HQ refused the request as malformed (400/404/422): a bug on one side, not worth retrying as is."""

    code = "refused"

    def __init__(self, message: str, status: int, hq_code: str | None = None, **details: Any) -> None:
        super().__init__(message, status=status, hq_code=hq_code, **details)
        self.status = status
        self.hq_code = hq_code


class BodyTooLarge(RequestRefused):
    """413: the push batch was too large for HQ; the engine sends smaller batches."""

    code = "body_too_large"


class ResetRequired(SyncError):
    """410: HQ cannot continue this device's cursor; download everything again (keep the outbox)."""

    code = "reset_required"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message, reason=reason)
        self.reason = reason
