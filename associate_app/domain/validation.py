"""Validation of what staff type: phone numbers, dates, notes, vocabulary codes. Raises typed errors, writes nothing."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import TypeVar

from associate_app.errors import InvalidDate, InvalidInput, InvalidPhone, NoteTooLong

MOBILE = re.compile(r"^1[3-9]\d{9}$")
NOTE_LIMIT = 2000
E = TypeVar("E", bound=StrEnum)


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


def whole_number(value: object, what: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` if it is an int within [low, high], else InvalidInput (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low) \
            or (high is not None and value > high):
        bounds = ""
        if low is not None and high is not None:
            bounds = f" from {low} to {high}"
        elif low is not None:
            bounds = f" of at least {low}"
        elif high is not None:
            bounds = f" of at most {high}"
        raise InvalidInput(f"{what} must be a whole number{bounds}, not {value!r}.", field=what, value=repr(value))
    return value


def parse_choice(enum: type[E], value: E | str, *, field: str) -> E:
    """A vocabulary code (enum member or its string) or InvalidInput naming the allowed codes."""
    try:
        return enum(str(value).strip())
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InvalidInput(f"“{value}” is not a valid {field} (one of: {allowed}).", field=field,
                           value=str(value)) from None


# --------------------------------------------------------------------------- characters as people see them
_ZWJ, _ZWNJ = "\u200d", "\u200c"


def _is_regional_indicator(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _extends(ch: str) -> bool:
    """Code points drawn as part of the character before them: combining marks (accents, variation
    selectors, keycap), joiners, emoji skin-tone modifiers and the tag characters of subdivision flags."""
    return (unicodedata.category(ch) in ("Mn", "Me", "Mc") or ch in (_ZWJ, _ZWNJ)
            or "\U0001f3fb" <= ch <= "\U0001f3ff" or "\U000e0020" <= ch <= "\U000e007f")


def _is_break_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp")


def character_count(text: str) -> int:
    """How many characters a person counts in ``text``: user-perceived characters, not code points.

    A simplified form of Unicode's extended grapheme clusters (UAX #29) using only ``unicodedata``:
    a combining mark, variation selector, skin-tone modifier, joiner or tag character extends the
    character before it; a symbol after a zero-width joiner joins it (👨‍👩‍👧 is one); regional
    indicators pair into one flag (🇨🇳); CR LF is one; nothing attaches across a line break or control
    character. Not covered (counted per code point): Hangul spelled in conjoining jamo and Indic
    conjuncts, which staff of this app do not type.
    """
    count, prev, lone_indicator = 0, "", False
    for ch in text:
        if count and _continues(prev, ch, lone_indicator):
            lone_indicator = False  # an indicator pair or any extension closes an open flag
        else:
            count += 1
            lone_indicator = _is_regional_indicator(ch)
        prev = ch
    return count


def _continues(prev: str, ch: str, lone_indicator: bool) -> bool:
    """Whether ``ch`` belongs to the same user-perceived character as the one ending in ``prev``."""
    if prev == "\r" and ch == "\n":
        return True
    if _is_break_control(prev) or _is_break_control(ch):
        return False
    if _extends(ch):
        return True
    if prev == _ZWJ and unicodedata.category(ch) == "So":
        return True
    return lone_indicator and _is_regional_indicator(ch)


def valid_note(text: str | None) -> str:
    """A note of at most 2,000 characters, counted as people count them (👨‍👩‍👧, 🇨🇳, 👍🏽 and é are one each)."""
    note = (text or "").strip()
    length = character_count(note)
    if length > NOTE_LIMIT:
        raise NoteTooLong(f"The note has {length} characters; at most {NOTE_LIMIT} fit.", length=length)
    return note
