"""Validation of typed input: characters counted as people see them, vocabulary codes, whole numbers."""

from __future__ import annotations

import pytest

from associate_app.domain.validation import NOTE_LIMIT, character_count, parse_choice, valid_note, whole_number
from associate_app.domain.vocabulary import Outcome
from associate_app.errors import InvalidInput, NoteTooLong

FAMILY = "👨\u200d👩\u200d👧"  # man ZWJ woman ZWJ girl: five code points, one picture
FLAG = "🇨🇳"  # two regional indicators
THUMB = "👍🏽"  # emoji + skin-tone modifier
HEART = "❤️"  # heart + variation selector 16
E_ACUTE = "e\u0301"  # e + combining acute accent, as some phone keyboards send it


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("宝宝过敏", 4),
    (FAMILY, 1),
    (FLAG, 1),
    (FLAG + "🇺🇸", 2),  # flags pair up, they do not merge
    ("🇨🇳🇺", 2),  # a lone indicator left over is a character of its own
    (THUMB, 1),
    ("👩🏽\u200d💻", 1),  # modifier and ZWJ sequence together
    (HEART, 1),
    ("1\ufe0f\u20e3", 1),  # keycap 1️⃣
    ("🏳️\u200d🌈", 1),
    ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 1),  # subdivision flag (tag characters)
    (E_ACUTE, 1),
    ("a\u0323\u0308", 1),  # several combining marks on one letter
    ("宝宝🍼" + FAMILY + "好", 5),
    ("\r\n", 1),
    ("a\n\u0301", 3),  # nothing attaches across a line break
    ("a\u200db", 2),  # a joiner between letters joins nothing
])
def test_character_count_counts_what_people_see(text, expected):
    assert character_count(text) == expected


def test_note_limit_counts_emoji_sequences_as_one_character():
    assert valid_note(FAMILY * NOTE_LIMIT) == FAMILY * NOTE_LIMIT  # 10,000 code points, 2,000 characters
    assert valid_note((FLAG + THUMB + HEART + E_ACUTE) * (NOTE_LIMIT // 4)).startswith(FLAG)
    with pytest.raises(NoteTooLong) as refused:
        valid_note(FAMILY * (NOTE_LIMIT + 1))
    assert refused.value.details["length"] == NOTE_LIMIT + 1
    assert "2001 characters" in refused.value.message


def test_note_is_trimmed_and_none_is_empty():
    assert valid_note("  周六到店  ") == "周六到店"
    assert valid_note(None) == ""
    assert valid_note(" " * 5000) == ""  # whitespace around the note does not count


def test_parse_choice_accepts_codes_and_names_the_allowed_ones():
    assert parse_choice(Outcome, " converted ", field="outcome") is Outcome.CONVERTED
    assert parse_choice(Outcome, Outcome.DECLINED, field="outcome") is Outcome.DECLINED
    with pytest.raises(InvalidInput, match=r"not a valid outcome.*not_reachable") as refused:
        parse_choice(Outcome, "maybe", field="outcome")
    assert refused.value.details == {"field": "outcome", "value": "maybe"}


@pytest.mark.parametrize("bad", [True, 1.0, "3", None, -1, 11])
def test_whole_number_refuses_anything_but_an_int_in_range(bad):
    with pytest.raises(InvalidInput):
        whole_number(bad, "limit", 0, 10)


def test_whole_number_passes_ints_in_range():
    assert [whole_number(v, "offset", 0) for v in (0, 10**9)] == [0, 10**9]
