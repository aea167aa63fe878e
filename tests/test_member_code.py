"""Dynamic member codes: HQ signs them, the till checks them offline; stolen, forged or altered codes fail."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest

from associate_app.errors import MemberCodeExpired, MemberCodeInvalid
from associate_app.lookup.member_code import CLOCK_SKEW, generate_signing_key, issue_code, verify_code

EXPIRES = dt.datetime(2026, 5, 1, 8, 0, 0, tzinfo=dt.UTC)
MEMBER = 1_000_042


@pytest.fixture(scope="module")
def hq_key() -> tuple[bytes, str]:
    return generate_signing_key()


@pytest.fixture(scope="module")
def code(hq_key) -> str:
    return issue_code(hq_key[0], MEMBER, EXPIRES)


def test_a_fresh_code_names_its_member(hq_key, code):
    assert verify_code(hq_key[1], code, EXPIRES - dt.timedelta(seconds=50)) == MEMBER


def test_code_has_the_documented_format(code):
    prefix, member, expires, signature = code.split(".")
    assert (prefix, member, expires) == ("KWM1", str(MEMBER), str(int(EXPIRES.timestamp())))
    assert re.fullmatch(r"[A-Za-z0-9_-]{86}", signature)  # base64url, no padding
    assert len(base64.urlsafe_b64decode(signature + "==")) == 64  # an Ed25519 signature


def test_public_key_is_32_raw_bytes_in_base64(hq_key):
    private_pem, public_b64 = hq_key
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert len(base64.b64decode(public_b64)) == 32


def test_clock_skew_of_30_seconds_is_tolerated(hq_key, code):
    assert verify_code(hq_key[1], code, EXPIRES + dt.timedelta(seconds=CLOCK_SKEW)) == MEMBER
    assert verify_code(hq_key[1], code, int(EXPIRES.timestamp()) + CLOCK_SKEW) == MEMBER


def test_an_expired_code_says_when_it_expired(hq_key, code):
    with pytest.raises(MemberCodeExpired) as caught:
        verify_code(hq_key[1], code, EXPIRES + dt.timedelta(seconds=CLOCK_SKEW + 1))
    assert "2026-05-01 08:00:00 UTC" in caught.value.message
    assert caught.value.details["member_id"] == MEMBER
    assert caught.value.code == "member_code_expired"


def test_a_code_signed_by_another_key_is_forged_even_when_also_expired(hq_key):
    forged = issue_code(generate_signing_key()[0], MEMBER, EXPIRES)
    for now in (EXPIRES, EXPIRES + dt.timedelta(days=1)):
        with pytest.raises(MemberCodeInvalid) as caught:
            verify_code(hq_key[1], forged, now)
        assert not isinstance(caught.value, MemberCodeExpired)
        assert caught.value.details["reason"] == "bad_signature"


@pytest.mark.parametrize("alter", [
    lambda c: c.replace(f".{MEMBER}.", f".{MEMBER + 1}."),  # someone else's account
    lambda c: c.replace(f".{int(EXPIRES.timestamp())}.", f".{int(EXPIRES.timestamp()) + 86400}."),  # longer life
])
def test_an_altered_member_or_expiry_is_refused(hq_key, code, alter):
    with pytest.raises(MemberCodeInvalid, match="forged or altered"):
        verify_code(hq_key[1], alter(code), EXPIRES)


def test_any_altered_signature_character_is_refused(hq_key, code):
    head, signature = code.rsplit(".", 1)
    for position in range(len(signature)):  # the last character too: only one spelling of a signature passes
        swapped = "B" if signature[position] == "A" else "A"
        altered = signature[:position] + swapped + signature[position + 1:]
        with pytest.raises(MemberCodeInvalid):
            verify_code(hq_key[1], f"{head}.{altered}", EXPIRES)


@pytest.mark.parametrize("text", ["", "KWM1", "KWM1.1000042", "KWM1.1000042.1777622400", "KWM1.abc.1.sig",
                                  "KWM2.1000042.1777622400.x", "KWM1.0.1777622400." + "A" * 86,
                                  "KWM1.1000042.1777622400." + "A" * 85 + "="])
def test_malformed_text_is_not_a_code(hq_key, text):
    with pytest.raises(MemberCodeInvalid) as caught:
        verify_code(hq_key[1], text, EXPIRES)
    assert caught.value.details["reason"] == "malformed"


def test_without_hqs_key_no_code_can_be_checked(code):
    with pytest.raises(MemberCodeInvalid, match="not been synced") as caught:
        verify_code(None, code, EXPIRES)
    assert caught.value.details["reason"] == "no_key"
    with pytest.raises(MemberCodeInvalid, match="damaged"):
        verify_code("not a key!", code, EXPIRES)


def test_hq_issues_codes_only_for_real_member_ids(hq_key):
    for bad in (0, -5, True):
        with pytest.raises(ValueError):
            issue_code(hq_key[0], bad, EXPIRES)
    with pytest.raises(ValueError, match="timezone"):
        issue_code(hq_key[0], MEMBER, dt.datetime(2026, 5, 1, 8, 0))
