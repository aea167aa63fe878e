"""The sync protocol's version range, checked on every sync call (docs/sync-protocol.md)."""

from __future__ import annotations

from hq.errors import HQError, UnsupportedProtocol

PROTOCOL_MIN = 1
PROTOCOL_MAX = 1
VERSION_HEADER = "X-Protocol-Version"
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 1000
MAX_PUSH_MUTATIONS = 500


def check_version(value: str | None) -> int:
    """The version a request speaks; a clear answer when this server cannot speak it."""
    if value is None:
        raise HQError(f"send the {VERSION_HEADER} header (this server speaks {PROTOCOL_MIN}–{PROTOCOL_MAX})",
                      code="protocol_version_missing", supported={"min": PROTOCOL_MIN, "max": PROTOCOL_MAX})
    try:
        version = int(value)
    except ValueError:
        raise HQError(f"{VERSION_HEADER} must be a whole number", code="protocol_version_invalid",
                      supported={"min": PROTOCOL_MIN, "max": PROTOCOL_MAX}) from None
    if version < PROTOCOL_MIN:
        raise UnsupportedProtocol(
            f"this app speaks sync protocol {version}; HQ needs {PROTOCOL_MIN} or newer: update the app",
            code="client_too_old", supported={"min": PROTOCOL_MIN, "max": PROTOCOL_MAX})
    if version > PROTOCOL_MAX:
        raise UnsupportedProtocol(
            f"this app speaks sync protocol {version}; this HQ speaks up to {PROTOCOL_MAX}: "
            "use a version the server offers (GET /v1/hello) or ask IT to upgrade HQ",
            code="client_too_new", supported={"min": PROTOCOL_MIN, "max": PROTOCOL_MAX})
    return version
