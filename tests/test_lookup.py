"""The one entry box: each kind of text finds the right members, best first, through indexes only."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from associate_app import clock
from associate_app.errors import (
    InvalidInput,
    InvalidPhone,
    MemberCodeExpired,
    MemberCodeInvalid,
    UnknownCard,
    UnknownMember,
)
from associate_app.lookup.member_code import PUBLIC_KEY_STATE, generate_signing_key, issue_code
from associate_app.lookup.name_keys import sort_key
from associate_app.lookup.search import LookupResult, classify, lookup
from associate_app.store import hq_data

NOW = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
# (id, name, phone, advisor) — members made for these tests, beside the 300 demo members
PEOPLE = [
    (9_000_001, "王芳", "13700000427", "A002"),
    (9_000_002, "王芳", "13700010427", "A001"),
    (9_000_003, "王芳娜", "13700020427", "A001"),
    (9_000_004, "张小明", "13700030001", "A001"),
    (9_000_005, "曾小明", "13700040002", "A002"),
    (9_000_006, "欧阳娜", "13700050003", None),
    (9_000_007, "单丽", "13700060004", "A003"),
    (9_000_008, "刘小红", "139****2468", "A001"),  # as a cashier's device caches it: masked
]


@pytest.fixture
def people(demo_store):
    records = [{"id": i, "name": n, "phone": p, "advisor_id": a, "card_no": f"88990000{i % 10_000:04d}",
                "store_code": "SH001", "level": "gold"} for i, n, p, a in PEOPLE]
    records.append({"id": 9_000_100, "name": "陈静", "phone": "13700070005", "card_no": "KW12AB34",
                    "advisor_id": "A002", "is_lead": True})
    with demo_store.write():
        hq_data.upsert_members(demo_store, records)
    return demo_store


def ids(result: LookupResult) -> list[int]:
    return [h.member_id for h in result.hits]


def assert_ranked(result: LookupResult) -> None:
    """Exact before partial, own before others, then pinyin order of the name."""
    ranks = [(h.match != "exact", not h.is_own) for h in result.hits]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("13812345678", "phone", "13812345678"),
    ("+86 138-1234-5678", "phone", "13812345678"),
    ("0086 13812345678", "phone", "13812345678"),
    ("１３８ １２３４ ５６７８", "phone", "13812345678"),  # full-width digits from a Chinese IME
    ("5678", "phone_last4", "5678"),
    ("880001000005", "card", "880001000005"),
    ("8800 0100 0005", "card", "880001000005"),
    ("kw12ab34", "card", "kw12ab34"),
    ("12345", "card", "12345"),
    ("王芳", "name", "王芳"),
    (" 王 芳 ", "name", "王芳"),
    ("Zhang Xiao", "pinyin", "zhangxiao"),
    ("ＺＥＮＧ", "pinyin", "zeng"),
    ("lü", "pinyin", "lv"),
    ("xi'an", "pinyin", "xian"),
    ("KWM1.1.2.abc", "member_code", "KWM1.1.2.abc"),
    ("   ", "empty", ""),
])
def test_text_is_classified_by_its_form(text, kind, value):
    query = classify(text)
    assert (query.kind, query.value) == (kind, value)


@pytest.mark.parametrize(("text", "error"), [
    ("12345678901", InvalidPhone), ("+852 9123 4567", InvalidPhone), ("23812345678", InvalidPhone),
    ("123", InvalidInput), ("@#!", InvalidInput), ("🙂", InvalidInput),
])
def test_text_that_can_be_nothing_is_refused_clearly(people, advisor, text, error):
    with pytest.raises(error) as caught:
        lookup(people, advisor, text)
    assert text in caught.value.message


def test_an_empty_box_finds_nothing_and_says_nothing(people, advisor):
    assert lookup(people, advisor, "") == LookupResult("empty", (), None)


def test_full_phone_finds_its_member_in_any_spelling(people, advisor):
    for text in ("13700030001", "+86 137 0003 0001", "137-0003-0001"):
        result = lookup(people, advisor, text)
        assert result.query_kind == "phone"
        assert ids(result) == [9_000_004]
        hit = result.hits[0]
        assert (hit.name, hit.phone, hit.match, hit.is_own) == ("张小明", "13700030001", "exact", True)
        assert (hit.level, hit.card_no, hit.is_lead) == ("gold", "889900000004", False)


def test_an_unknown_phone_is_no_hits_with_a_message_not_an_error(people, advisor):
    before = people.conn.total_changes
    result = lookup(people, advisor, "13600000000")
    assert (result.query_kind, result.hits) == ("phone", ())
    assert "13600000000" in result.message
    assert people.conn.total_changes == before  # a lookup never writes


def test_last_four_digits_put_the_advisors_own_members_first(people, advisor, other_advisor):
    mine = lookup(people, advisor, "0427")
    assert mine.query_kind == "phone_last4"
    assert {9_000_001, 9_000_002, 9_000_003} <= set(ids(mine))
    assert all(h.phone.endswith("0427") for h in mine.hits)
    assert_ranked(mine)
    assert [h.is_own for h in mine.hits][:2] == [True, True]
    theirs = lookup(people, other_advisor, "0427")
    assert theirs.hits[0].member_id == 9_000_001 and theirs.hits[0].is_own


def test_card_number_finds_exactly_one_member(people, cashier):
    demo = people.one("SELECT id, card_no FROM members WHERE id = 1000005")
    result = lookup(people, cashier, demo["card_no"])
    assert (result.query_kind, ids(result), result.hits[0].match) == ("card", [1_000_005], "exact")
    lead = lookup(people, cashier, "kw12ab34")  # scanned or typed in lower case
    assert ids(lead) == [9_000_100] and lead.hits[0].is_lead


def test_an_unknown_card_is_a_clear_error(people, cashier):
    with pytest.raises(UnknownCard, match="880099999999") as caught:
        lookup(people, cashier, "880099999999")
    assert caught.value.details["card_no"] == "880099999999"
    with pytest.raises(UnknownCard):
        lookup(people, cashier, "KW99ZZ00")
    with pytest.raises(InvalidInput, match="11-digit phone number"):  # 5-10 digits, and no such card either
        lookup(people, cashier, "1234567")


def test_a_two_character_name_is_found_exact_matches_first(people, advisor):
    result = lookup(people, advisor, "王芳", limit=200)
    assert result.query_kind == "name"
    assert {9_000_001, 9_000_002, 9_000_003} <= set(ids(result))
    exact = [h for h in result.hits if h.match == "exact"]
    assert {h.name for h in exact} == {"王芳"}
    assert all("王芳" in h.name for h in result.hits)
    assert_ranked(result)
    assert ids(result).index(9_000_002) < ids(result).index(9_000_001)  # own 王芳 before another's 王芳
    assert ids(result).index(9_000_001) < ids(result).index(9_000_003)  # any exact 王芳 before 王芳娜


def test_part_of_a_name_finds_it_and_a_three_character_name_is_exact(people, advisor):
    middle = lookup(people, advisor, "小明")
    assert {9_000_004, 9_000_005} <= set(ids(middle))
    assert all(h.match == "partial" for h in middle.hits if h.member_id in (9_000_004, 9_000_005))
    compound = lookup(people, advisor, "欧阳娜")
    assert compound.hits[0].member_id == 9_000_006 and compound.hits[0].match == "exact"


def test_a_single_character_is_a_surname_in_pinyin_order(people, advisor):
    result = lookup(people, advisor, "曾", limit=200)
    assert 9_000_005 in ids(result)
    assert all(h.name.startswith("曾") for h in result.hits)
    assert_ranked(result)
    for own in (True, False):
        names = [h.name for h in result.hits if h.is_own is own]
        assert names == sorted(names, key=sort_key)
    shan = lookup(people, advisor, "单")  # 单 as a surname is shan: its names sort under s, not d
    assert 9_000_007 in ids(shan)
    assert [h.name for h in shan.hits] == sorted((h.name for h in shan.hits), key=sort_key)


@pytest.mark.parametrize(("text", "member", "match"), [
    ("zengxiaoming", 9_000_005, "exact"),  # 曾 as a surname is zeng, not ceng
    ("ZENG XIAO MING", 9_000_005, "exact"),
    ("zxm", 9_000_005, "exact"),
    ("zxm", 9_000_004, "exact"),
    ("xiaoming", 9_000_004, "exact"),  # the given name alone
    ("zhangx", 9_000_004, "partial"),
    ("zengx", 9_000_005, "partial"),
    ("ouyangna", 9_000_006, "exact"),
    ("oyn", 9_000_006, "exact"),
    ("shanli", 9_000_007, "exact"),
])
def test_pinyin_finds_names_by_full_spelling_initials_and_prefix(people, advisor, text, member, match):
    result = lookup(people, advisor, text, limit=200)
    assert result.query_kind == "pinyin"
    assert {h.member_id: h.match for h in result.hits}[member] == match
    assert_ranked(result)


def test_pinyin_reads_surnames_as_surnames(people, advisor):
    assert 9_000_005 not in ids(lookup(people, advisor, "cengxiaoming"))
    zeng = lookup(people, advisor, "zeng", limit=200)
    assert 9_000_005 in ids(zeng)
    assert all(h.name.startswith("曾") for h in zeng.hits)


def test_own_members_come_first_for_pinyin(people, advisor, other_advisor):
    assert ids(lookup(people, advisor, "zxm"))[:1] == [9_000_004]  # 张小明 is A001's
    theirs = lookup(people, other_advisor, "zxm")
    assert theirs.hits[0].member_id == 9_000_005 and theirs.hits[0].is_own  # 曾小明 is A002's


def test_a_single_letter_asks_for_more(people, advisor):
    result = lookup(people, advisor, "z")
    assert result.hits == () and "two letters" in result.message


def test_a_name_nobody_has_says_so(people, advisor):
    for text in ("慕容雪", "qwxz"):
        result = lookup(people, advisor, text)
        assert result.hits == () and "No member" in result.message


def test_more_matches_than_fit_are_cut_with_a_message(people, advisor):
    result = lookup(people, advisor, "王", limit=3)
    assert len(result.hits) == 3 and "More than 3" in result.message
    with pytest.raises(InvalidInput):
        lookup(people, advisor, "王", limit=0)


def test_cashiers_see_masked_phones_advisors_full_ones(people, advisor, cashier):
    for text in ("13700030001", "张小明", "zxm", "0001"):
        hit = next(h for h in lookup(people, cashier, text).hits if h.member_id == 9_000_004)
        assert hit.phone == "137****0001"
        assert not hit.is_own  # a cashier owns no members
    assert lookup(people, advisor, "张小明").hits[0].phone == "13700030001"
    assert "137****0000" in lookup(people, cashier, "13700000000").message


def test_on_a_device_caching_masked_phones_a_full_number_still_finds_the_member(people, cashier):
    result = lookup(people, cashier, "13912342468")
    assert ids(result) == [9_000_008]
    assert result.hits[0].match == "partial"  # the middle digits could not be compared
    assert ids(lookup(people, cashier, "2468"))[:1] == [9_000_008]


@pytest.fixture
def hq_key(people):
    private_pem, public_b64 = generate_signing_key()
    with people.write():
        people.set_state(PUBLIC_KEY_STATE, public_b64)
    return private_pem


def test_a_valid_member_code_finds_its_member(people, cashier, hq_key):
    with clock.frozen(NOW):
        result = lookup(people, cashier, issue_code(hq_key, 9_000_004, NOW + dt.timedelta(seconds=60)))
    assert result.query_kind == "member_code"
    assert ids(result) == [9_000_004] and result.hits[0].match == "exact"
    assert result.hits[0].phone == "137****0001"


def test_an_expired_member_code_is_refused_with_its_expiry(people, cashier, hq_key):
    code = issue_code(hq_key, 9_000_004, NOW)
    with clock.frozen(NOW + dt.timedelta(minutes=5)), pytest.raises(MemberCodeExpired, match="expired at 2026-05-01"):
        lookup(people, cashier, code)


def test_forged_tampered_or_unknown_member_codes_are_refused(people, cashier, hq_key):
    expires = NOW + dt.timedelta(seconds=60)
    forged = issue_code(generate_signing_key()[0], 9_000_004, expires)
    tampered = issue_code(hq_key, 9_000_004, expires).replace(".9000004.", ".9000005.")
    with clock.frozen(NOW):
        for code in (forged, tampered):
            with pytest.raises(MemberCodeInvalid) as caught:
                lookup(people, cashier, code)
            assert not isinstance(caught.value, MemberCodeExpired)
        with pytest.raises(UnknownMember, match="not on this device"):
            lookup(people, cashier, issue_code(hq_key, 9_999_999, expires))


def test_without_hqs_key_a_member_code_cannot_be_checked(people, cashier):
    with pytest.raises(MemberCodeInvalid, match="not been synced"):
        lookup(people, cashier, issue_code(generate_signing_key()[0], 9_000_004, NOW))


SCAN_OF_A_TABLE = re.compile(r"^SCAN (members|member_keys|m)\b")


@pytest.mark.parametrize("text", ["13700030001", "13912342468", "0427", "889900000004", "王芳", "欧阳娜", "曾",
                                  "zengxiaoming", "zxm", "zhangx", "zh", "code"])
@pytest.mark.parametrize("actor_name", ["advisor", "cashier"])
def test_every_lookup_seeks_indexes_and_never_scans(people, hq_key, request, text, actor_name):
    actor = request.getfixturevalue(actor_name)
    if text == "code":
        text = issue_code(hq_key, 9_000_004, NOW)
    statements: list[str] = []
    people.conn.set_trace_callback(statements.append)
    try:
        with clock.frozen(NOW):
            assert lookup(people, actor, text).hits
    finally:
        people.conn.set_trace_callback(None)
    assert statements
    for sql in statements:
        assert "LIKE" not in sql.upper()
        plan = [row["detail"] for row in people.all("EXPLAIN QUERY PLAN " + sql)]
        assert not [step for step in plan if SCAN_OF_A_TABLE.match(step)], (sql, plan)
        assert any(step.startswith("SEARCH") for step in plan), (sql, plan)
