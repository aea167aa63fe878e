"""Errors HQ answers with: an HTTP status, a stable machine code and a readable message.

Every error body is ``{"error": {"code": ..., "message": ..., ...extra}}`` (docs/sync-protocol.md).
"""

from __future__ import annotations

from typing import Any


class HQError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


class Unauthorized(HQError):
    status = 401
    code = "unauthorized"


class Forbidden(HQError):
    status = 403
    code = "forbidden"


class NotFound(HQError):
    status = 404
    code = "not_found"


class Conflict(HQError):
    status = 409
    code = "conflict"


class ResetRequired(HQError):
    """The device's cursor cannot be continued: it must download again (keeping its unsent changes)."""

    status = 410
    code = "reset_required"


class UnsupportedProtocol(HQError):
    status = 426
    code = "unsupported_protocol"


class TooManyAttempts(HQError):
    status = 429
    code = "too_many_attempts"
