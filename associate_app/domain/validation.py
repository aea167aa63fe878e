"""Validation of what staff type: phone numbers, dates, notes. Raises typed errors, writes nothing."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from associate_app.errors import InvalidDate, InvalidPhone, NoteTooLong

MOBILE = re.compile(r"^1[3-9]\d{9}$")
NOTE_LIMIT = 2000


def normalise_phone(text: str) -> str:
    """Full-width digits, spaces, dashes and a +86 / 0086 prefix removed."""
    digits = unicodedata.normalize("NFKC", text or "").strip()
    digits = re.sub(r"[\s\-()]", "", digits)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits


def valid_mobile(text: str) -> str:
    """A mainland mobile number (1[3-9] + 9 digits) in normal form, or InvalidPhone."""
    phone = normalise_phone(text)
    if not MOBILE.match(phone):
        raise InvalidPhone(
            f"“{text}” is not a mainland mobile number (11 digits starting 13–19).", value=text
        )
    return phone


def valid_date(text: str | dt.date, *, field: str = "date", earliest: dt.date | None = None,
               latest: dt.date | None = None) -> str:
    """An ISO date (YYYY-MM-DD) within bounds, or InvalidDate."""
    if isinstance(text, dt.date):
        value = text
    else:
        try:
            value = dt.date.fromisoformat(unicodedata.normalize("NFKC", str(text)).strip())
        except ValueError:
            raise InvalidDate(f"“{text}” is not a date (YYYY-MM-DD).", field=field, value=str(text)) from None
    if earliest and value < earliest:
        raise InvalidDate(f"{field} {value} is before {earliest}.", field=field, value=value.isoformat())
    if latest and value > latest:
        raise InvalidDate(f"{field} {value} is after {latest}.", field=field, value=value.isoformat())
    return value.isoformat()


def valid_note(text: str | None) -> str:
    """A note of at most 2,000 characters (counted as people count them, emoji included)."""
    note = (text or "").strip()
    if len(note) > NOTE_LIMIT:
        raise NoteTooLong(f"The note has {len(note)} characters; at most {NOTE_LIMIT} fit.", length=len(note))
    return note
