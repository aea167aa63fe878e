"""Dynamic member codes (会员码): what a member's WeChat mini-program shows as a QR code.

Format (version 1)::

    KWM1.<member_id>.<expires_unix>.<signature>

``member_id`` is HQ's member id (decimal), ``expires_unix`` the expiry as whole UTC seconds since the
epoch, and ``signature`` the Ed25519 signature of the ASCII text ``KWM1.<member_id>.<expires_unix>``,
base64url-encoded without padding. Example: ``KWM1.1000042.1767225600.2kB…Qw``.

Why signed and short-lived: the till works offline, so it cannot ask HQ whether a code is genuine.
HQ signs with a private key only it holds; every store keeps the matching public key (sync_state
``member_code_public_key``, the raw 32-byte key in standard base64) and checks the signature
locally. The expiry (HQ issues codes valid for about a minute) stops a photographed code from
being reused later. A device clock may be off a little, so a code is still accepted up to
``CLOCK_SKEW`` seconds after its expiry.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from associate_app.errors import MemberCodeExpired, MemberCodeInvalid

PREFIX = "KWM1."
PUBLIC_KEY_STATE = "member_code_public_key"
CLOCK_SKEW = 30  # seconds a code stays acceptable after its expiry, for device clocks that run ahead
# Anything shaped like a versioned member code: the lookup box routes it here rather than to a name search.
LOOKS_LIKE_CODE = re.compile(r"^KWM\d+\.")
_CODE = re.compile(r"^KWM1\.([1-9]\d{0,17})\.(\d{1,12})\.([A-Za-z0-9_-]{86})$")


def generate_signing_key() -> tuple[bytes, str]:
    """A new HQ key pair: (private key PEM for HQ's vault, public key base64 for the stores)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return pem, base64.b64encode(raw).decode("ascii")


def issue_code(private_key_pem: bytes, member_id: int, expires_at: dt.datetime | int) -> str:
    """The code HQ (or the demo) hands the mini-program for ``member_id``, valid until ``expires_at``."""
    if isinstance(member_id, bool) or not isinstance(member_id, int) or member_id <= 0:
        raise ValueError(f"member codes are issued for HQ member ids (positive integers), not {member_id!r}")
    private = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("member codes are signed with an Ed25519 key")
    body = f"{PREFIX}{member_id}.{_unix(expires_at)}"
    return f"{body}.{_b64url_encode(private.sign(body.encode('ascii')))}"


def verify_code(public_key_b64: str | None, text: str, now: dt.datetime | int) -> int:
    """The member id a scanned code stands for, or MemberCodeInvalid / MemberCodeExpired.

    The signature is checked before the expiry so a forged code is never reported as merely expired.
    """
    public = _public_key(public_key_b64)
    match = _CODE.match((text or "").strip())
    if match is None:
        raise MemberCodeInvalid("This is not a valid member code; ask the member to show the code again.",
                                reason="malformed")
    member_id, expires, signature = int(match[1]), int(match[2]), _b64url_decode(match[3])
    try:
        if _b64url_encode(signature) != match[3]:  # one canonical spelling: an altered character never passes
            raise InvalidSignature
        public.verify(signature, f"{PREFIX}{match[1]}.{match[2]}".encode("ascii"))
    except InvalidSignature:
        raise MemberCodeInvalid("This member code was not issued by HQ (forged or altered); it cannot be used.",
                                reason="bad_signature") from None
    if _unix(now) > expires + CLOCK_SKEW:
        when = dt.datetime.fromtimestamp(expires, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        raise MemberCodeExpired(
            f"This member code expired at {when}; ask the member to refresh the code in the mini-program.",
            member_id=member_id, expired_at=when,
        )
    return member_id


def _public_key(public_key_b64: str | None) -> Ed25519PublicKey:
    if not public_key_b64:
        raise MemberCodeInvalid("Member codes cannot be checked yet: HQ's key has not been synced to this device.",
                                reason="no_key")
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
    except (binascii.Error, ValueError):
        raise MemberCodeInvalid("The member-code key on this device is damaged; sync again to restore it.",
                                reason="bad_key") from None


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _unix(moment: dt.datetime | int) -> int:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            raise ValueError("member-code times must be timezone-aware")
        return int(moment.timestamp())
    return int(moment)
